//! A compact, read-only arena built once from the html5ever tree (via dom_query).
//!
//! Everything after parsing works on this arena with index loops: no recursion, so no depth
//! can overflow the stack. Nodes are stored in document order (pre-order), so a parent always has
//! a smaller index than its descendants, and iterating indices backwards is a valid post-order.

use dom_query::{Document, NodeData, NodeRef};

/// Elements nested deeper than this are attached to their ancestor at this depth (text is kept).
pub const MAX_DEPTH: usize = 256;
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

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "select",
    "textarea", "button", "input", "option", "audio", "video", "source", "track", "map", "dialog",
];

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
    "data-testid",
];

/// Nesting deeper than this (counted by a cheap pre-scan of the tags) is flattened before parsing:
/// the HTML tree-building algorithm is quadratic in the depth of the open-element stack.
pub const MAX_SOURCE_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
    "keygen", "frame",
];
/// Elements that close themselves implicitly (not counted as nesting).
const AUTO_CLOSE: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp", "thead", "tbody", "tfoot",
];
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

fn tag_name(b: &[u8], mut i: usize) -> (String, usize) {
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':' || b[i] == b'_') {
        i += 1;
    }
    (String::from_utf8_lossy(&b[start..i]).to_ascii_lowercase(), i)
}

const DROP_NON_CONTENT: bool = false;

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || hay.len() - from < needle.len() {
        return None;
    }
    let first = needle[0].to_ascii_lowercase();
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let p = hay[i..hay.len() - needle.len() + 1]
            .iter()
            .position(|&c| c.to_ascii_lowercase() == first)?;
        i += p;
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// One linear pre-pass over the source before parsing:
/// - drops what never holds article text and costs the parser most: comments, `<style>`, `<svg>`,
///   and `<script>` blocks other than JSON-LD;
/// - drops start tags that would nest deeper than [`MAX_SOURCE_DEPTH`] (text is kept), since the
///   HTML tree-building algorithm is quadratic in the depth of its open-element stack.
///
/// End tags look at most 16 entries down its own stack, so the pass stays linear.
pub fn cap_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut out: Option<String> = None;
    let mut copied = 0usize; // bytes of `html` already copied to `out` (or skipped)
    let mut i = 0usize;
    // drop html[from..to] from the output
    let drop_range = |out: &mut Option<String>, copied: &mut usize, from: usize, to: usize| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
        if from > *copied {
            o.push_str(&html[*copied..from]);
        }
        let mut t = to.min(b.len());
        while t < b.len() && !html.is_char_boundary(t) {
            t += 1;
        }
        *copied = t.max(*copied);
    };
    while i < b.len() {
        let Some(p) = b[i..].iter().position(|&c| c == b'<') else {
            break;
        };
        let lt = i + p;
        i = lt + 1;
        if i >= b.len() {
            break;
        }
        if b[i..].starts_with(b"!--") {
            let end = match find_ci(b, i + 3, b"-->") {
                Some(e) => e + 3,
                None => b.len(),
            };
            drop_range(&mut out, &mut copied, lt, end);
            i = end;
            continue;
        }
        let closing = b[i] == b'/';
        let name_start = if closing { i + 1 } else { i };
        if name_start >= b.len() || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let (name, after) = tag_name(b, name_start);
        let gt = match b[after..].iter().position(|&c| c == b'>') {
            Some(e) => after + e,
            None => b.len() - 1,
        };
        let self_closing = gt > 0 && b[gt - 1] == b'/';
        i = gt + 1;
        if closing {
            let depth = stack.len();
            if let Some(k) = stack.iter().rev().take(16).position(|s| *s == name) {
                stack.truncate(depth - k - 1);
            }
            continue;
        }
        // (Dropping <style>/<svg>/<script> here was measured: no clear gain in parse time, and it
        // shifts the windows the byline/date finders use. Kept as a switch for experiments.)
        let droppable = DROP_NON_CONTENT
            && match name.as_str() {
                "style" | "svg" => true,
                "script" => !b[after..gt.max(after)]
                    .windows(8)
                    .any(|w| w.eq_ignore_ascii_case(b"ld+json")),
                _ => false,
            };
        if RAW_TEXT.contains(&name.as_str()) || droppable {
            if self_closing && name == "svg" {
                drop_range(&mut out, &mut copied, lt, gt + 1);
                continue;
            }
            let close = format!("</{name}");
            let end = find_ci(b, i, close.as_bytes());
            let content_end = end.unwrap_or(b.len());
            if droppable {
                let tag_end = match end {
                    Some(e) => {
                        e + b[e..]
                            .iter()
                            .position(|&c| c == b'>')
                            .map(|x| x + 1)
                            .unwrap_or(b.len() - e)
                    }
                    None => b.len(),
                };
                drop_range(&mut out, &mut copied, lt, tag_end);
                i = tag_end;
            } else {
                i = content_end;
            }
            continue;
        }
        if VOID.contains(&name.as_str()) || AUTO_CLOSE.contains(&name.as_str()) || self_closing {
            continue;
        }
        if stack.len() >= MAX_SOURCE_DEPTH {
            drop_range(&mut out, &mut copied, lt, gt + 1);
            continue;
        }
        stack.push(name);
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            if copied < html.len() {
                o.push_str(&html[copied..]);
            }
            std::borrow::Cow::Owned(o)
        }
    }
}

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let html = cap_nesting(html);
        let html: &str = &html;
        let doc = Document::from(html);
        let mut nodes: Vec<Node> = Vec::with_capacity(html.len() / 40 + 16);
        let mut json_ld = Vec::new();
        nodes.push(Node {
            parent: NONE,
            children: Vec::new(),
            tag: "#root".into(),
            attrs: Vec::new(),
            text: "".into(),
            depth: 0,
        });
        let tree = &doc.tree;
        let root = doc.root();
        let mut stack: Vec<(NodeRef, u32)> = Vec::new();
        if let Some(fc) = root.first_child() {
            stack.push((fc, 0));
        }
        let mut body = NONE;
        let mut head = NONE;
        while let Some((nr, parent)) = stack.pop() {
            if nodes.len() >= MAX_NODES {
                break;
            }
            // One borrow: read what we need from this node.
            enum What {
                Elem(Box<str>, Vec<(Box<str>, Box<str>)>),
                Text(Box<str>),
                Skip,
            }
            let (what, first_child, next_sibling) = nr
                .query(|tn| {
                    let w = match &tn.data {
                        NodeData::Element(e) => {
                            let name: &str = &e.name.local;
                            let mut attrs = Vec::new();
                            for a in e.attrs.iter() {
                                let an: &str = &a.name.local;
                                if KEEP_ATTRS.contains(&an) || an.starts_with("data-") && an.contains("date") {
                                    let v: &str = &a.value;
                                    let limit = if an == "content" { 65536 } else { MAX_ATTR_LEN };
                                    let v = if v.len() > limit { cut(v, limit) } else { v };
                                    attrs.push((an.into(), v.into()));
                                }
                            }
                            What::Elem(name.to_ascii_lowercase().into(), attrs)
                        }
                        NodeData::Text { contents } => What::Text((&**contents).into()),
                        _ => What::Skip,
                    };
                    (w, tn.first_child, tn.next_sibling)
                })
                .unwrap_or((What::Skip, None, None));
            if let Some(ns) = next_sibling {
                stack.push((NodeRef::new(ns, tree), parent));
            }
            let pdepth = nodes[parent as usize].depth;
            match what {
                What::Skip => {}
                What::Text(t) => {
                    let idx = nodes.len() as u32;
                    nodes.push(Node {
                        parent,
                        children: Vec::new(),
                        tag: "".into(),
                        attrs: Vec::new(),
                        text: t,
                        depth: pdepth + 1,
                    });
                    nodes[parent as usize].children.push(idx);
                }
                What::Elem(tag, attrs) => {
                    if &*tag == "script" {
                        let is_ld = attrs
                            .iter()
                            .any(|(n, v)| &**n == "type" && v.to_ascii_lowercase().contains("ld+json"));
                        if is_ld {
                            if let Some(fc) = first_child {
                                json_ld.push(NodeRef::new(fc, tree).text().to_string());
                            }
                        }
                        continue;
                    }
                    if SKIP.contains(&&*tag) {
                        continue;
                    }
                    // Depth cap: deeper elements are flattened into their ancestor.
                    let (idx, child_parent) = if pdepth as usize >= MAX_DEPTH {
                        (parent, parent)
                    } else {
                        let idx = nodes.len() as u32;
                        if &*tag == "body" && body == NONE {
                            body = idx;
                        }
                        if &*tag == "head" && head == NONE {
                            head = idx;
                        }
                        nodes.push(Node {
                            parent,
                            children: Vec::new(),
                            tag,
                            attrs,
                            text: "".into(),
                            depth: pdepth + 1,
                        });
                        nodes[parent as usize].children.push(idx);
                        (idx, idx)
                    };
                    let _ = idx;
                    if let Some(fc) = first_child {
                        stack.push((NodeRef::new(fc, tree), child_parent));
                    }
                }
            }
        }
        if body == NONE {
            body = 0;
        }
        Dom {
            nodes,
            json_ld,
            body,
            head,
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
