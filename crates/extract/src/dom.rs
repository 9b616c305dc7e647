//! A compact, read-only arena built in one linear pass over the source.
//!
//! The parser is a byte-level HTML tokenizer with a simplified HTML5 tree builder: implied end
//! tags (`p`, `li`, `dd`/`dt`, table cells and rows, headings), scoped end tags, void and raw-text
//! elements, `html`/`head`/`body` implied, character references decoded with the HTML5 entity
//! table. It does not reparent (no adoption agency, no foster parenting), so nodes come out in
//! document order (pre-order): a parent always has a smaller index than its descendants, the
//! subtree of `i` is the contiguous range `i..subtree_end(i)`, and iterating indices backwards is
//! a valid post-order. Everything after parsing works on this arena with index loops: no
//! recursion, so no depth can overflow the stack.
//!
//! What never holds article text is dropped while parsing: comments, scripts (JSON-LD is kept
//! aside), styles, SVG/MathML, form controls, media, iframes, templates.

/// Elements nested deeper than this are attached to their ancestor at this depth (text is kept).
pub const MAX_DEPTH: usize = 256;
/// The last levels below [`MAX_DEPTH`] take only elements that hold paragraphs: on a page nested
/// past the cap, text then still lands in a paragraph rather than in a `<b>` or a caption.
const PARAGRAPH_LEVELS: usize = 8;
/// Attribute values longer than this are cut (a 10 MB attribute costs nothing further).
pub const MAX_ATTR_LEN: usize = 4096;
/// At most this many arena nodes are kept; the rest of the document is ignored.
pub const MAX_NODES: usize = 400_000;

pub const NONE: u32 = u32::MAX;

#[derive(Debug)]
pub struct Node {
    pub parent: u32,
    pub children: Vec<u32>,
    /// Lower-case local name; empty for text nodes.
    pub tag: Box<str>,
    pub attrs: Vec<(Box<str>, Box<str>)>,
    /// Text content for text nodes.
    pub text: Box<str>,
    pub depth: u16,
}

impl Node {
    pub fn is_text(&self) -> bool {
        self.tag.is_empty()
    }
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
    }
}

pub struct Dom {
    pub nodes: Vec<Node>,
    /// Raw contents of `<script type="application/ld+json">` blocks.
    pub json_ld: Vec<String>,
    /// Index of `<body>` (or the root when there is none).
    pub body: u32,
    pub head: u32,
}

const KEEP_ATTRS: &[&str] = &[
    "class",
    "id",
    "role",
    "itemprop",
    "itemtype",
    "itemscope",
    "href",
    "src",
    "data-src",
    "data-lazy-src",
    "data-original",
    "srcset",
    "data-srcset",
    "alt",
    "hidden",
    "style",
    "aria-hidden",
    "content",
    "datetime",
    "property",
    "name",
    "rel",
    "lang",
    "type",
    "title",
    "http-equiv",
    "charset",
    "aria-label",
    "aria-labelledby",
    "data-testid",
];

/// Elements whose whole subtree is dropped.
fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "textarea"
            | "button"
            | "input"
            | "option"
            | "optgroup"
            | "datalist"
            | "audio"
            | "video"
            | "source"
            | "track"
            | "map"
            | "dialog"
            | "noembed"
            | "noframes"
            | "frameset"
    )
}

fn keep_attr(name: &str) -> bool {
    KEEP_ATTRS.contains(&name) || name.starts_with("data-") && name.contains("date")
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "frame"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "noembed"
            | "noframes"
            | "xmp"
            | "textarea"
            | "title"
            | "plaintext"
    )
}

/// Start tags that close an open `<p>` (HTML5 "in body" rules).
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "form"
            | "li"
            | "dd"
            | "dt"
            | "plaintext"
            | "table"
            | "hr"
            | "xmp"
    )
}

/// HTML5 "special" elements: an unmatched end tag of an inline element stops at them.
fn is_special(tag: &str) -> bool {
    closes_p(tag)
        || matches!(
            tag,
            "applet"
                | "area"
                | "base"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "col"
                | "colgroup"
                | "embed"
                | "frame"
                | "head"
                | "html"
                | "iframe"
                | "img"
                | "input"
                | "link"
                | "marquee"
                | "meta"
                | "noembed"
                | "noframes"
                | "noscript"
                | "object"
                | "param"
                | "script"
                | "select"
                | "source"
                | "style"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "title"
                | "tr"
                | "track"
                | "wbr"
        )
}

/// Tags whose open count is kept, so that implied end tags cost nothing when none is open.
fn tracked(tag: &str) -> Option<usize> {
    Some(match tag {
        "p" => 0,
        "li" => 1,
        "dd" => 2,
        "dt" => 3,
        "td" => 4,
        "th" => 5,
        "tr" => 6,
        "tbody" => 7,
        "thead" => 8,
        "tfoot" => 9,
        "a" => 10,
        "h1" => 11,
        "h2" => 12,
        "h3" => 13,
        "h4" => 14,
        "h5" => 15,
        "h6" => 16,
        _ => return None,
    })
}

/// Elements whose text the content scoring reads as paragraphs, and the lists and tables around
/// them (a cell outside its row would render as a stray row).
fn holds_paragraphs(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "pre"
            | "blockquote"
            | "div"
            | "section"
            | "article"
            | "main"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
    ) || is_heading(tag)
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// applet, caption, html, table, td, th, marquee, object, template
    Default,
    /// Default + button
    Button,
    /// Default + ol, ul
    ListItem,
    /// html, table, template
    Table,
}

fn is_scope_boundary(tag: &str, scope: Scope) -> bool {
    match scope {
        Scope::Table => matches!(tag, "html" | "table" | "template"),
        _ => {
            matches!(
                tag,
                "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
            ) || (scope == Scope::Button && tag == "button")
                || (scope == Scope::ListItem && matches!(tag, "ol" | "ul"))
        }
    }
}

/// How far down the open-element stack any search looks: keeps every tag O(1), so deep
/// nesting stays linear (pages nest a few dozen levels).
const STACK_SEARCH: usize = 256;

#[derive(Clone, Copy)]
struct Open {
    tag: TagName,
    /// Arena node that receives the children (an ancestor when the depth cap flattened it).
    idx: u32,
    /// Inside a dropped subtree.
    skip: bool,
}

struct Builder<'a> {
    src: &'a str,
    nodes: Vec<Node>,
    json_ld: Vec<String>,
    stack: Vec<Open>,
    html: u32,
    head: u32,
    body: u32,
    /// Number of open dropped elements.
    skip: u32,
    /// Open elements per tracked tag (see [`tracked`]).
    open_count: [u32; 17],
    text: String,
    full: bool,
}

impl<'a> Builder<'a> {
    fn cur(&self) -> u32 {
        self.stack.last().map(|o| o.idx).unwrap_or(0)
    }

    fn add_node(&mut self, parent: u32, tag: &str, attrs: Vec<(Box<str>, Box<str>)>, text: Box<str>) -> u32 {
        if self.nodes.len() >= MAX_NODES {
            self.full = true;
            return parent;
        }
        let idx = self.nodes.len() as u32;
        let depth = self.nodes[parent as usize].depth + 1;
        self.nodes.push(Node {
            parent,
            children: Vec::new(),
            tag: tag.into(),
            attrs,
            text,
            depth,
        });
        self.nodes[parent as usize].children.push(idx);
        idx
    }

    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let t = std::mem::take(&mut self.text);
        if self.skip == 0 && !self.full {
            let p = self.cur();
            self.add_node(p, "", Vec::new(), t.as_str().into());
        }
        self.text = t;
        self.text.clear();
    }

    fn ensure_html(&mut self) {
        if self.html == NONE {
            self.html = self.add_node(0, "html", Vec::new(), "".into());
            self.push(Open {
                tag: TagName::new("html"),
                idx: self.html,
                skip: false,
            });
        }
    }

    fn ensure_head(&mut self) {
        self.ensure_html();
        if self.head == NONE {
            self.head = self.add_node(self.html, "head", Vec::new(), "".into());
            self.push(Open {
                tag: TagName::new("head"),
                idx: self.head,
                skip: false,
            });
        }
    }

    fn ensure_body(&mut self, attrs: Vec<(Box<str>, Box<str>)>) {
        if self.body != NONE {
            return;
        }
        self.ensure_head();
        self.flush_text();
        // leave the head (and anything left open in it)
        while let Some(o) = self.stack.last() {
            if o.idx == self.html && !o.skip {
                break;
            }
            self.pop();
        }
        if self.stack.is_empty() {
            self.push(Open {
                tag: TagName::new("html"),
                idx: self.html,
                skip: false,
            });
        }
        self.body = self.add_node(self.html, "body", attrs, "".into());
        self.push(Open {
            tag: TagName::new("body"),
            idx: self.body,
            skip: false,
        });
    }

    /// A repeated `<html>` or `<body>` tag adds the attributes the element lacks.
    fn merge_attrs(&mut self, i: u32, attrs: Vec<(Box<str>, Box<str>)>) {
        if i == NONE || i as usize >= self.nodes.len() {
            return;
        }
        let n = &mut self.nodes[i as usize];
        for (k, v) in attrs {
            if n.attr(&k).is_none() {
                n.attrs.push((k, v));
            }
        }
    }

    fn push(&mut self, o: Open) {
        if let Some(k) = tracked(o.tag.as_str()) {
            self.open_count[k] += 1;
        }
        self.stack.push(o);
    }

    /// Is any element named in `tags` (all tracked) open? O(1): the scope walks below only run
    /// when one is, which keeps deep nesting of other elements linear and cheap.
    fn any_open(&self, tags: &[&str]) -> bool {
        tags.iter()
            .any(|t| tracked(t).map(|k| self.open_count[k] > 0).unwrap_or(true))
    }

    fn pop(&mut self) {
        if let Some(o) = self.stack.pop() {
            if let Some(k) = tracked(o.tag.as_str()) {
                self.open_count[k] = self.open_count[k].saturating_sub(1);
            }
            if o.skip {
                self.skip = self.skip.saturating_sub(1);
            }
        }
    }

    /// Position (from the bottom) of the nearest open `tag` within `scope`, if any.
    fn in_scope(&self, scope: Scope, pred: impl Fn(&str) -> bool) -> Option<usize> {
        for (k, o) in self.stack.iter().enumerate().rev().take(STACK_SEARCH) {
            let t = o.tag.as_str();
            if pred(t) {
                return Some(k);
            }
            if is_scope_boundary(t, scope) {
                return None;
            }
        }
        None
    }

    fn pop_to(&mut self, k: usize) {
        self.flush_text();
        while self.stack.len() > k.max(1) {
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if !self.any_open(&["p"]) {
            return;
        }
        if let Some(k) = self.in_scope(Scope::Button, |t| t == "p") {
            self.pop_to(k);
        }
    }

    fn start_tag(&mut self, name: &str, attrs: Vec<(Box<str>, Box<str>)>, self_closing: bool) {
        let in_skip = self.skip > 0;
        match name {
            "html" => {
                self.ensure_html();
                let h = self.html;
                self.merge_attrs(h, attrs);
                return;
            }
            "head" => {
                self.ensure_head();
                return;
            }
            "body" => {
                if self.body == NONE {
                    self.ensure_body(attrs);
                } else {
                    let b = self.body;
                    self.merge_attrs(b, attrs);
                }
                return;
            }
            _ => {}
        }
        let head_elem = matches!(name, "base" | "basefont" | "bgsound" | "link" | "meta" | "title");
        if self.body == NONE {
            if head_elem {
                self.ensure_head();
            } else {
                self.ensure_body(Vec::new());
            }
        }
        self.flush_text();
        if !in_skip {
            if closes_p(name) {
                self.close_p();
            }
            match name {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    if self.stack.last().is_some_and(|o| is_heading(o.tag.as_str())) =>
                {
                    self.pop();
                }
                "li" if self.any_open(&["li"]) => {
                    if let Some(k) = self.in_scope(Scope::ListItem, |t| t == "li") {
                        self.pop_to(k);
                    }
                }
                "dd" | "dt" if self.any_open(&["dd", "dt"]) => {
                    if let Some(k) = self.in_scope(Scope::Default, |t| t == "dd" || t == "dt") {
                        self.pop_to(k);
                    }
                }
                "td" | "th" if self.any_open(&["td", "th"]) => {
                    if let Some(k) = self.in_scope(Scope::Table, |t| matches!(t, "td" | "th")) {
                        self.pop_to(k);
                    }
                }
                "tr" if self.any_open(&["tr"]) => {
                    if let Some(k) = self.in_scope(Scope::Table, |t| t == "tr") {
                        self.pop_to(k);
                    }
                }
                "tbody" | "thead" | "tfoot" if self.any_open(&["tbody", "thead", "tfoot"]) => {
                    if let Some(k) = self.in_scope(Scope::Table, |t| matches!(t, "tbody" | "thead" | "tfoot")) {
                        self.pop_to(k);
                    }
                }
                "a" if self.any_open(&["a"]) => {
                    if let Some(k) = self.in_scope(Scope::Default, |t| t == "a") {
                        self.pop_to(k);
                    }
                }
                _ => {}
            }
        }
        let _ = self_closing; // ignored on HTML elements, as browsers do
        let skipped = in_skip || is_skipped(name);
        if is_void(name) {
            if !skipped && !self.full {
                let p = self.cur();
                let tag = if name == "image" { "img" } else { name };
                if (self.nodes[p as usize].depth as usize) < MAX_DEPTH {
                    self.add_node(p, tag, attrs, "".into());
                }
            }
            return;
        }
        let mut idx = self.cur();
        let depth = self.nodes[idx as usize].depth as usize;
        let room = depth < MAX_DEPTH - PARAGRAPH_LEVELS || (depth < MAX_DEPTH && holds_paragraphs(name));
        if !skipped && !self.full && room {
            idx = self.add_node(idx, name, attrs, "".into());
        }
        if skipped {
            self.skip += 1;
        }
        self.push(Open {
            tag: TagName::new(name),
            idx,
            skip: skipped,
        });
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "html" | "body" | "head" => {
                self.flush_text();
                return;
            }
            "br" => {
                self.start_tag("br", Vec::new(), false);
                return;
            }
            _ => {}
        }
        let found = match name {
            "p" => self.in_scope(Scope::Button, |t| t == "p"),
            "li" => self.in_scope(Scope::ListItem, |t| t == "li"),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.in_scope(Scope::Default, is_heading),
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table" | "caption" => {
                self.in_scope(Scope::Table, |t| t == name)
            }
            _ if is_special(name) => self.in_scope(Scope::Default, |t| t == name),
            _ => {
                // any other end tag: the nearest open element of that name, unless a special
                // element comes first
                let mut r = None;
                for (k, o) in self.stack.iter().enumerate().rev().take(STACK_SEARCH) {
                    let t = o.tag.as_str();
                    if t == name || (o.tag.len as usize == o.tag.buf.len() && name.starts_with(t)) {
                        r = Some(k);
                        break;
                    }
                    if is_special(t) && !o.skip {
                        break;
                    }
                }
                r
            }
        };
        if let Some(k) = found {
            self.pop_to(k);
        }
    }
}

/// Find the end tag `</name` (any case) followed by whitespace, `/` or `>` from `from`;
/// returns (start of `</`, index after its `>`).
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<(usize, usize)> {
    let mut k = from;
    while k < b.len() {
        let p = memchr::memmem::find(&b[k..], b"</")?;
        let s = k + p;
        let ns = s + 2;
        let ne = ns + name.len();
        if ne <= b.len()
            && b[ns..ne].eq_ignore_ascii_case(name)
            && (ne == b.len() || matches!(b[ne], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            let gt = memchr::memchr(b'>', &b[ne..]).map(|x| ne + x + 1).unwrap_or(b.len());
            return Some((s, gt));
        }
        k = s + 2;
    }
    None
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Text with CR LF and lone CR turned into LF, NUL dropped, references decoded.
fn push_text_run(out: &mut String, raw: &str, decode: bool) {
    let start = out.len();
    if decode && raw.as_bytes().contains(&b'&') {
        newsdesk_entities::decode_html_into(raw, false, out);
    } else {
        out.push_str(raw);
    }
    if out.as_bytes()[start..].iter().any(|&c| c == b'\r' || c == 0) {
        let fixed: String = out[start..]
            .replace("\r\n", "\n")
            .replace(['\r'], "\n")
            .replace('\0', "");
        out.truncate(start);
        out.push_str(&fixed);
    }
}

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let b = html.as_bytes();
        let mut bl = Builder {
            src: html,
            nodes: Vec::with_capacity(html.len() / 60 + 16),
            json_ld: Vec::new(),
            stack: Vec::with_capacity(64),
            html: NONE,
            head: NONE,
            body: NONE,
            skip: 0,
            open_count: [0; 17],
            text: String::new(),
            full: false,
        };
        bl.nodes.push(Node {
            parent: NONE,
            children: Vec::new(),
            tag: "#root".into(),
            attrs: Vec::new(),
            text: "".into(),
            depth: 0,
        });
        let mut i = 0usize;
        while i < b.len() && !bl.full {
            let lt = memchr::memchr(b'<', &b[i..]).map(|p| i + p).unwrap_or(b.len());
            if lt > i {
                bl.on_text(&html[i..lt]);
            }
            if lt + 1 >= b.len() {
                if lt < b.len() {
                    bl.on_text("<");
                }
                break;
            }
            i = lt + 1;
            let c = b[i];
            if c == b'!' {
                // comment, doctype, CDATA outside foreign content: all dropped
                if b[i..].starts_with(b"!--") {
                    let body = i + 3;
                    if b[body..].starts_with(b">") {
                        i = body + 1;
                    } else if b[body..].starts_with(b"->") {
                        i = body + 2;
                    } else {
                        i = memchr::memmem::find(&b[body..], b"-->")
                            .map(|p| body + p + 3)
                            .unwrap_or(b.len());
                    }
                } else {
                    i = memchr::memchr(b'>', &b[i..]).map(|p| i + p + 1).unwrap_or(b.len());
                }
                continue;
            }
            if c == b'?' {
                i = memchr::memchr(b'>', &b[i..]).map(|p| i + p + 1).unwrap_or(b.len());
                continue;
            }
            if c == b'/' {
                let ns = i + 1;
                if ns < b.len() && b[ns].is_ascii_alphabetic() {
                    let mut ne = ns;
                    while ne < b.len() && !is_ws(b[ne]) && b[ne] != b'/' && b[ne] != b'>' {
                        ne += 1;
                    }
                    let gt = memchr::memchr(b'>', &b[ne..]).map(|p| ne + p);
                    let Some(gt) = gt else {
                        break; // EOF inside a tag: the tag is dropped
                    };
                    let name = lower(&html[ns..ne]);
                    bl.end_tag(&name);
                    i = gt + 1;
                } else if ns < b.len() && b[ns] == b'>' {
                    i = ns + 1;
                } else {
                    i = memchr::memchr(b'>', &b[i..]).map(|p| i + p + 1).unwrap_or(b.len());
                }
                continue;
            }
            if !c.is_ascii_alphabetic() {
                bl.on_text("<");
                continue;
            }
            // start tag
            let ns = i;
            let mut j = ns;
            while j < b.len() && !is_ws(b[j]) && b[j] != b'/' && b[j] != b'>' {
                j += 1;
            }
            let name = lower(&html[ns..j]);
            let mut attrs: Vec<(Box<str>, Box<str>)> = Vec::new();
            let mut self_closing = false;
            let mut closed = false;
            while j < b.len() {
                while j < b.len() && (is_ws(b[j]) || b[j] == b'/') {
                    self_closing = b[j] == b'/';
                    j += 1;
                }
                if j >= b.len() {
                    break;
                }
                if b[j] == b'>' {
                    j += 1;
                    closed = true;
                    break;
                }
                self_closing = false;
                let an_s = j;
                j += 1; // the first character may be '='
                while j < b.len() && !is_ws(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                    j += 1;
                }
                let an_e = j;
                while j < b.len() && is_ws(b[j]) {
                    j += 1;
                }
                let mut val: Option<(usize, usize)> = None;
                if j < b.len() && b[j] == b'=' {
                    j += 1;
                    while j < b.len() && is_ws(b[j]) {
                        j += 1;
                    }
                    if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                        let q = b[j];
                        let vs = j + 1;
                        let ve = memchr::memchr(q, &b[vs..]).map(|p| vs + p).unwrap_or(b.len());
                        val = Some((vs, ve));
                        j = (ve + 1).min(b.len());
                    } else {
                        let vs = j;
                        while j < b.len() && !is_ws(b[j]) && b[j] != b'>' {
                            j += 1;
                        }
                        val = Some((vs, j));
                    }
                }
                if bl.skip > 0 && name != "script" {
                    continue;
                }
                let an = lower(&html[an_s..an_e]);
                if keep_attr(&an) && !attrs.iter().any(|(n, _)| **n == *an) {
                    let v = match val {
                        Some((vs, ve)) => {
                            let limit = if an == "content" { 65536 } else { MAX_ATTR_LEN };
                            let raw = cut(&html[vs..ve], limit);
                            if raw.as_bytes().contains(&b'&') {
                                let mut o = String::with_capacity(raw.len());
                                newsdesk_entities::decode_html_into(raw, true, &mut o);
                                o.into_boxed_str()
                            } else {
                                raw.into()
                            }
                        }
                        None => "".into(),
                    };
                    attrs.push((an.into_owned().into_boxed_str(), v));
                }
            }
            if !closed {
                break; // EOF inside a tag: the tag is dropped
            }
            i = j;
            if is_raw_text(&name) {
                let (cs, ce, after) = if name == "plaintext" {
                    (i, b.len(), b.len())
                } else {
                    match find_end_tag(b, i, name.as_bytes()) {
                        Some((s, a)) => (i, s, a),
                        None => (i, b.len(), b.len()),
                    }
                };
                let content = &html[cs..ce];
                i = after;
                match &*name {
                    "script" => {
                        if bl.skip == 0
                            && attrs
                                .iter()
                                .any(|(n, v)| &**n == "type" && v.to_ascii_lowercase().contains("ld+json"))
                        {
                            bl.json_ld.push(content.to_string());
                        }
                    }
                    "title" | "xmp" | "plaintext" => {
                        if bl.skip == 0 {
                            bl.start_tag(&name, attrs, false);
                            if name == "title" {
                                push_text_run(&mut bl.text, content, true);
                            } else {
                                push_text_run(&mut bl.text, content, false);
                            }
                            bl.flush_text();
                            if let Some(k) = bl.stack.iter().rposition(|o| o.tag.as_str() == name) {
                                bl.pop_to(k);
                            }
                        }
                    }
                    _ => {
                        // style, noscript, iframe, textarea…: dropped; they still end a head
                        if bl.body == NONE && !matches!(&*name, "style" | "noscript" | "noframes") {
                            bl.ensure_body(Vec::new());
                        }
                    }
                }
                continue;
            }
            if (name == "svg" || name == "math") && !self_closing {
                // foreign content: skipped whole
                if bl.body == NONE {
                    bl.ensure_body(Vec::new());
                }
                i = find_end_tag(b, i, name.as_bytes()).map(|(_, a)| a).unwrap_or(b.len());
                continue;
            }
            if name == "svg" || name == "math" {
                continue;
            }
            let skip_first_newline = matches!(&*name, "pre" | "listing");
            bl.start_tag(&name, attrs, self_closing);
            if skip_first_newline {
                if b[i..].starts_with(b"\r\n") {
                    i += 2;
                } else if i < b.len() && (b[i] == b'\n' || b[i] == b'\r') {
                    i += 1;
                }
            }
        }
        bl.flush_text();
        if bl.html == NONE {
            bl.ensure_html();
        }
        if bl.head == NONE {
            // an empty head, as HTML5 always has one
            let h = bl.add_node(bl.html, "head", Vec::new(), "".into());
            bl.head = h;
        }
        if bl.body == NONE {
            bl.body = 0;
        }
        let _ = bl.src;
        Dom {
            nodes: bl.nodes,
            json_ld: bl.json_ld,
            body: bl.body,
            head: bl.head,
        }
    }

    pub fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    /// Indices of the subtree rooted at `i`, in document order (including `i`).
    pub fn subtree_end(&self, i: u32) -> u32 {
        // Since nodes are in pre-order, the subtree of i is the contiguous range i..end.
        let mut j = i;
        loop {
            let n = &self.nodes[j as usize];
            match n.children.last() {
                Some(&c) => j = c,
                None => return j + 1,
            }
        }
    }

    /// Collapsed text of a subtree.
    pub fn text_of(&self, i: u32) -> String {
        let end = self.subtree_end(i);
        let mut s = String::new();
        for k in i..end {
            let n = &self.nodes[k as usize];
            if n.is_text() {
                push_collapsed(&mut s, &n.text);
            } else if matches!(&*n.tag, "br" | "p" | "div" | "li" | "td" | "th") && !s.ends_with(' ') && !s.is_empty() {
                s.push(' ');
            }
        }
        s.trim().to_string()
    }
}

/// Append text with runs of whitespace collapsed to one space.
pub fn push_collapsed(out: &mut String, t: &str) {
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' {
            if c == '\u{200b}' {
                continue;
            }
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut e = max;
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    &s[..e]
}

impl<'a> Builder<'a> {
    fn on_text(&mut self, raw: &str) {
        if self.skip > 0 || self.full {
            return;
        }
        if self.body == NONE {
            if raw.bytes().all(is_ws) {
                return;
            }
            self.ensure_body(Vec::new());
        }
        push_text_run(&mut self.text, raw, true);
    }
}

fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A tag name in a fixed buffer (names longer than 15 bytes are cut: a cut name matches only
/// names starting with it).
#[derive(Clone, Copy, PartialEq, Eq)]
struct TagName {
    len: u8,
    buf: [u8; 15],
}

impl TagName {
    fn new(s: &str) -> TagName {
        let mut t = TagName { len: 0, buf: [0; 15] };
        let mut n = s.len().min(15);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        t.buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        t.len = n as u8;
        t
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(d: &Dom, parent: u32) -> Vec<String> {
        d.node(parent)
            .children
            .iter()
            .map(|&c| {
                let n = d.node(c);
                if n.is_text() {
                    format!("'{}'", n.text)
                } else {
                    n.tag.to_string()
                }
            })
            .collect()
    }

    fn find(d: &Dom, tag: &str) -> u32 {
        d.nodes
            .iter()
            .position(|n| &*n.tag == tag)
            .map(|i| i as u32)
            .unwrap_or(NONE)
    }

    #[test]
    fn implied_structure_and_end_tags() {
        let d = Dom::parse("<title>A &amp; B</title><p>one<p>two<div>three</div><ul><li>a<li>b</ul>");
        assert_ne!(d.head, NONE);
        assert_eq!(tags(&d, d.head), vec!["title"]);
        assert_eq!(d.text_of(find(&d, "title")), "A & B");
        // a <p> is closed by the next <p> and by a <div>; list items close each other
        assert_eq!(tags(&d, d.body), vec!["p", "p", "div", "ul"]);
        assert_eq!(tags(&d, find(&d, "ul")), vec!["li", "li"]);
    }

    #[test]
    fn tables_headings_and_stray_end_tags() {
        let d = Dom::parse("<body><table><tr><td>1<td>2<tr><td>3</table><h2>x<h3>y</h3></span></div><p>z</p>");
        let tr: Vec<u32> = (0..d.nodes.len() as u32).filter(|&i| &*d.node(i).tag == "tr").collect();
        assert_eq!(tr.len(), 2);
        assert_eq!(tags(&d, tr[0]), vec!["td", "td"]);
        assert_eq!(tags(&d, d.body), vec!["table", "h2", "h3", "p"]);
    }

    #[test]
    fn dropped_subtrees_and_json_ld() {
        let d = Dom::parse(
            "<head><script type='application/ld+json'>{\"a\":\"<b>\"}</script><style>p{}</style></head>\
             <body><script>var s = '<p>no</p>';</script><!-- <p>no</p> --><svg><text>no</text></svg>\
             <select><option>no</select><p>yes &eacute;&#x41;&nbsp&copy2024</p><template><p>no</p></template>",
        );
        assert_eq!(d.json_ld, vec!["{\"a\":\"<b>\"}".to_string()]);
        assert_eq!(d.text_of(d.body), "yes éA ©2024"); // nbsp collapses like a space
    }

    #[test]
    fn attributes() {
        let d = Dom::parse("<html lang=en-GB><a HREF=\"/x?a=1&amp;b=2\" class=k data-x=1 onclick=\"y\">l</a><img src=/i.jpg alt='a \"b\"'>");
        let a = d.node(find(&d, "a"));
        assert_eq!(a.attr("href"), Some("/x?a=1&b=2"));
        assert_eq!(a.attr("class"), Some("k"));
        assert_eq!(a.attr("onclick"), None);
        assert_eq!(d.node(find(&d, "html")).attr("lang"), Some("en-GB"));
        assert_eq!(d.node(find(&d, "img")).attr("alt"), Some("a \"b\""));
    }

    #[test]
    fn preorder_and_caps() {
        let deep = "<div>".repeat(MAX_DEPTH * 3) + "deep text" + &"</div>".repeat(MAX_DEPTH * 3);
        let d = Dom::parse(&deep);
        assert!(d.nodes.iter().all(|n| (n.depth as usize) <= MAX_DEPTH + 1));
        assert!(d.text_of(d.body).contains("deep text"));
        for (i, n) in d.nodes.iter().enumerate() {
            assert!(n.parent == NONE || (n.parent as usize) < i);
            for &c in &n.children {
                assert!(c as usize > i && c < d.subtree_end(i as u32));
            }
        }
    }
}
