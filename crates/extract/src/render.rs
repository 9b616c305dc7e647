//! Chosen content → blocks → text, Markdown and sanitized HTML (built from the blocks, never by
//! re-serialising the source).

pub use crate::block::{Block, Kind};
use crate::content::{is_block, Analysis};
use crate::dom::{Dom, NONE};

struct Ctx<'a> {
    dom: &'a Dom,
    base: Option<url::Url>,
    blocks: Vec<Block>,
    text: String,
    md: String,
    html: String,
    link_chars: usize,
    in_link: u32,
    kinds: Vec<Kind>,
    list_stack: Vec<bool>,
    pre: u32,
    /// Inline elements (a, em, strong) opened in the current block, innermost last.
    open: Vec<u32>,
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

/// Text as Markdown that reads back as the same text: the characters Markdown would take as emphasis, links,
/// code, escapes or raw HTML (`<b>` in a sentence would vanish from a Hugo page) are escaped.
fn md_esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '`' | '\\' | '<') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

impl<'a> Ctx<'a> {
    fn abs(&self, u: &str) -> Option<String> {
        let u = u.trim();
        if u.is_empty() || u.starts_with("javascript:") || u.starts_with("data:") || u.starts_with('#') {
            return None;
        }
        match &self.base {
            Some(b) => b.join(u).ok().map(|x| x.to_string()),
            None => url::Url::parse(u)
                .ok()
                .filter(|x| matches!(x.scheme(), "http" | "https" | "mailto"))
                .map(|x| x.to_string()),
        }
    }

    fn push_text(&mut self, t: &str) {
        if self.pre > 0 {
            self.text.push_str(t);
            self.md.push_str(t);
            self.html.push_str(&esc(t));
            return;
        }
        let mut buf = String::new();
        for c in t.chars() {
            if c.is_whitespace() || c == '\u{a0}' {
                let last_space = if buf.is_empty() {
                    self.text.is_empty() || self.text.ends_with([' ', '\n'])
                } else {
                    buf.ends_with(' ')
                };
                if !last_space {
                    buf.push(' ');
                }
            } else if c != '\u{200b}' && c != '\u{ad}' {
                buf.push(c);
            }
        }
        if buf.is_empty() {
            return;
        }
        if self.in_link > 0 {
            self.link_chars += buf.trim().chars().count();
        }
        self.text.push_str(&buf);
        self.md.push_str(&md_esc(&buf));
        self.html.push_str(&esc(&buf));
    }

    fn close_inline(&mut self, i: u32) {
        match &*self.dom.node(i).tag {
            "a" => {
                match self.dom.node(i).attr("href").and_then(|h| self.abs(h)) {
                    Some(h) => self.md.push_str(&format!("]({h})")),
                    None => self.md.push(']'),
                }
                self.html.push_str("</a>");
            }
            "em" | "i" => {
                self.md.push('*');
                self.html.push_str("</em>");
            }
            _ => {
                self.md.push_str("**");
                self.html.push_str("</strong>");
            }
        }
    }

    fn flush(&mut self) {
        while let Some(o) = self.open.pop() {
            self.close_inline(o);
        }
        let text = self.text.trim();
        if !text.is_empty() {
            let kind = *self.kinds.last().unwrap_or(&Kind::Para);
            let text = text
                .lines()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let md = self.md.trim().to_string();
            let html = self.html.trim().to_string();
            self.blocks.push(Block {
                kind,
                text,
                md,
                html,
                link_chars: self.link_chars,
            });
        }
        self.text.clear();
        self.md.clear();
        self.html.clear();
        self.link_chars = 0;
    }
}

/// Render the subtrees `roots` (skipping removed and dropped nodes) into blocks.
pub fn render(dom: &Dom, a: &Analysis, drop: &[bool], roots: &[u32], base: Option<&str>) -> Vec<Block> {
    let mut cx = Ctx {
        dom,
        base: base.and_then(|b| url::Url::parse(b).ok()),
        blocks: Vec::new(),
        text: String::new(),
        md: String::new(),
        html: String::new(),
        link_chars: 0,
        in_link: 0,
        kinds: vec![Kind::Para],
        list_stack: Vec::new(),
        pre: 0,
        open: Vec::new(),
    };
    // (node, exiting)
    let mut stack: Vec<(u32, bool)> = Vec::new();
    for &r in roots.iter().rev() {
        stack.push((r, false));
    }
    while let Some((i, exiting)) = stack.pop() {
        let node = cx.dom.node(i);
        if node.is_text() {
            let t = node.text.clone();
            cx.push_text(&t);
            continue;
        }
        let tag = &*node.tag;
        if exiting {
            match tag {
                "a" | "em" | "i" | "strong" | "b" => {
                    if tag == "a" {
                        cx.in_link = cx.in_link.saturating_sub(1);
                    }
                    if cx.open.last() == Some(&i) {
                        cx.open.pop();
                        cx.close_inline(i);
                    }
                }
                "td" | "th" => {
                    cx.text.push_str(" | ");
                    cx.md.push_str(" | ");
                    cx.html.push_str(" | ");
                }
                _ => {}
            }
            if is_block(tag) && !matches!(tag, "td" | "th") {
                cx.flush();
                match tag {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "pre" | "tr" | "figcaption"
                    | "dt" => {
                        cx.kinds.pop();
                    }
                    "ul" | "ol" => {
                        cx.list_stack.pop();
                    }
                    _ => {}
                }
                if tag == "pre" {
                    cx.pre = cx.pre.saturating_sub(1);
                }
            }
            continue;
        }
        if a.removed[i as usize] || drop[i as usize] {
            continue;
        }
        if is_block(tag) && !matches!(tag, "td" | "th") {
            cx.flush();
            let parent_kind = *cx.kinds.last().unwrap_or(&Kind::Para);
            match tag {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => cx.kinds.push(Kind::Heading(tag.as_bytes()[1] - b'0')),
                "li" => {
                    let ordered = *cx.list_stack.last().unwrap_or(&false);
                    let depth = cx.list_stack.len().saturating_sub(1).min(6) as u8;
                    cx.kinds.push(Kind::Item(ordered, depth))
                }
                "dt" => cx.kinds.push(Kind::Heading(6)),
                "blockquote" => cx.kinds.push(Kind::Quote),
                "pre" => {
                    cx.pre += 1;
                    cx.kinds.push(Kind::Pre)
                }
                "tr" => cx.kinds.push(Kind::Row),
                "figcaption" => cx.kinds.push(Kind::Caption),
                "ul" | "ol" => cx.list_stack.push(tag == "ol"),
                _ => {}
            }
            let _ = parent_kind;
        } else {
            match tag {
                "br" => {
                    cx.text.push('\n');
                    cx.md.push_str("  \n");
                    cx.html.push_str("<br>");
                }
                "a" => {
                    cx.in_link += 1;
                    cx.open.push(i);
                    cx.md.push('[');
                    match node.attr("href").and_then(|h| cx.abs(h)) {
                        Some(h) => cx.html.push_str(&format!("<a href=\"{}\">", esc(&h))),
                        None => cx.html.push_str("<a>"),
                    }
                }
                "em" | "i" => {
                    cx.open.push(i);
                    cx.md.push('*');
                    cx.html.push_str("<em>");
                }
                "strong" | "b" => {
                    cx.open.push(i);
                    cx.md.push_str("**");
                    cx.html.push_str("<strong>");
                }
                "img" => {
                    let src = ["data-src", "data-lazy-src", "data-original", "src"]
                        .iter()
                        .filter_map(|k| node.attr(k))
                        .find(|s| !s.trim().is_empty() && !s.starts_with("data:"))
                        .and_then(|s| cx.abs(s));
                    if let Some(src) = src {
                        let alt = node.attr("alt").unwrap_or("").trim().to_string();
                        // images are their own block, with no text
                        let saved = (
                            std::mem::take(&mut cx.text),
                            std::mem::take(&mut cx.md),
                            std::mem::take(&mut cx.html),
                            cx.link_chars,
                        );
                        cx.blocks.push(Block {
                            kind: Kind::Image,
                            text: String::new(),
                            md: format!("![{}]({})", md_esc(&alt), src),
                            html: format!("<img src=\"{}\" alt=\"{}\">", esc(&src), esc(&alt)),
                            link_chars: 0,
                        });
                        cx.text = saved.0;
                        cx.md = saved.1;
                        cx.html = saved.2;
                        cx.link_chars = saved.3;
                    }
                    continue;
                }
                _ => {}
            }
        }
        stack.push((i, true));
        for &c in node.children.iter().rev() {
            stack.push((c, false));
        }
    }
    cx.flush();
    let _ = NONE;
    cx.blocks
}

/// Join blocks: headings and paragraphs separated by a blank line, list items and table rows one per line.
/// Figure captions (and their credits) stay out of the text; Markdown and HTML keep them.
pub fn to_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut prev: Option<Kind> = None;
    for b in blocks {
        if b.kind == Kind::Image || b.text.is_empty() || b.kind == Kind::Caption {
            continue;
        }
        let text = if b.kind == Kind::Row {
            b.text.trim_end_matches(['|', ' ']).to_string()
        } else {
            b.text.clone()
        };
        if let Some(p) = prev {
            let tight = matches!((p, b.kind), (Kind::Item(..), Kind::Item(..)) | (Kind::Row, Kind::Row));
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&text);
        prev = Some(b.kind);
    }
    out
}

pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut prev: Option<Kind> = None;
    let mut n_ordered = 0;
    for b in blocks {
        if b.md.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            let tight = matches!((p, b.kind), (Kind::Item(..), Kind::Item(..)) | (Kind::Row, Kind::Row));
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        if !matches!(b.kind, Kind::Item(true, _)) {
            n_ordered = 0;
        }
        match b.kind {
            Kind::Heading(l) => {
                out.push_str(&"#".repeat(l.clamp(2, 6) as usize));
                out.push(' ');
                out.push_str(&b.md.replace('\n', " "));
            }
            Kind::Item(ordered, depth) => {
                out.push_str(&"  ".repeat(depth as usize));
                if ordered {
                    n_ordered += 1;
                    out.push_str(&format!("{n_ordered}. "));
                } else {
                    out.push_str("- ");
                }
                out.push_str(&b.md.replace('\n', " "));
            }
            Kind::Quote => {
                for (k, l) in b.md.lines().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    out.push_str("> ");
                    out.push_str(l);
                }
            }
            Kind::Pre => {
                out.push_str("```\n");
                out.push_str(&b.text);
                out.push_str("\n```");
            }
            Kind::Row => {
                out.push_str("| ");
                out.push_str(b.md.trim_end_matches(['|', ' ']));
                out.push_str(" |");
            }
            Kind::Caption => {
                out.push('*');
                out.push_str(&b.md);
                out.push('*');
            }
            _ => out.push_str(&b.md),
        }
        prev = Some(b.kind);
    }
    out
}

pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut open_list: Option<bool> = None;
    for b in blocks {
        let is_item = matches!(b.kind, Kind::Item(..));
        if let Some(o) = open_list {
            if !is_item || matches!(b.kind, Kind::Item(ord, _) if ord != o) {
                out.push_str(if o { "</ol>\n" } else { "</ul>\n" });
                open_list = None;
            }
        }
        match b.kind {
            Kind::Heading(l) => {
                let l = l.clamp(2, 6);
                out.push_str(&format!("<h{l}>{}</h{l}>\n", b.html));
            }
            Kind::Item(ord, _) => {
                if open_list.is_none() {
                    out.push_str(if ord { "<ol>\n" } else { "<ul>\n" });
                    open_list = Some(ord);
                }
                out.push_str(&format!("<li>{}</li>\n", b.html));
            }
            Kind::Quote => out.push_str(&format!("<blockquote><p>{}</p></blockquote>\n", b.html)),
            Kind::Pre => out.push_str(&format!("<pre>{}</pre>\n", esc(&b.text))),
            Kind::Row => out.push_str(&format!("<p>{}</p>\n", b.html.trim_end_matches(['|', ' ']))),
            Kind::Caption => out.push_str(&format!("<figcaption>{}</figcaption>\n", b.html)),
            Kind::Image => out.push_str(&format!("<figure>{}</figure>\n", b.html)),
            Kind::Para => out.push_str(&format!("<p>{}</p>\n", b.html)),
        }
    }
    if let Some(o) = open_list {
        out.push_str(if o { "</ol>\n" } else { "</ul>\n" });
    }
    out
}
