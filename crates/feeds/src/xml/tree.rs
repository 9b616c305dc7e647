//! The element tree the feed mappers read, and its serialisation back to HTML.
//!
//! Every walk over the tree keeps its own stack instead of recursing, dropping included: the builder
//! caps nesting, but a thread's stack (2 MiB on tokio's workers) must never be what limits a document.

use std::rc::Rc;
use std::slice;

/// An element as read, with names normalised for matching.
///
/// No `Clone`, `PartialEq` or `Debug`: derived ones would recurse once per level.
#[derive(Default)]
pub(crate) struct Element {
    /// The name as written (`dc:creator`).
    pub qname: String,
    /// Canonical namespace prefix ("" for plain RSS elements, "atom", "dc", "media", …).
    pub prefix: String,
    /// Lower-cased local name (`pubdate`).
    pub local: String,
    /// Attributes as written, values decoded.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// The effective `xml:base` (resolved against enclosing ones and the document URL), shared with the
    /// descendants that inherit it: a copy per element would make memory grow with elements × length.
    pub base: Option<Rc<str>>,
    /// The effective `xml:lang`, shared the same way.
    pub lang: Option<Rc<str>>,
}

pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// Elements HTML never closes; kept childless so serialised HTML stays right.
pub(crate) const HTML_VOID: &[&str] = &[
    "br", "img", "hr", "wbr", "input", "meta", "area", "col", "embed", "param", "track", "basefont", "frame",
];

impl Element {
    pub(crate) fn is(&self, prefixes: &[&str], local: &str) -> bool {
        self.local == local && prefixes.contains(&self.prefix.as_str())
    }

    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this local name in one of these namespaces.
    pub(crate) fn child(&self, prefixes: &[&str], local: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(prefixes, local))
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        prefixes: &'a [&'a str],
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.is(prefixes, local))
    }

    /// An attribute by name, case-insensitively; an unprefixed query also matches a prefixed attribute
    /// (`about` finds `rdf:about`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        let exact = self.attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
        exact
            .or_else(|| {
                self.attrs
                    .iter()
                    .find(|(n, _)| n.rsplit_once(':').is_some_and(|(_, l)| l.eq_ignore_ascii_case(name)))
            })
            .map(|(_, v)| v.as_str())
    }

    /// All text inside the element, markup dropped.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }

    pub(crate) fn has_element_children(&self) -> bool {
        self.elements().next().is_some()
    }

    /// The element's content as HTML: its text when it holds only text (escaped HTML or CDATA), else
    /// its children serialised back to markup.
    pub(crate) fn inner_html(&self) -> String {
        if !self.has_element_children() {
            return self.text();
        }
        let mut out = String::new();
        serialize_children(self, &mut out);
        out
    }

    /// The outermost descendants with this local name, in document order; the search does not go
    /// inside a match (items do not hold items).
    pub(crate) fn outermost_named<'a>(&'a self, local: &str) -> Vec<&'a Element> {
        let mut out = Vec::new();
        let mut stack: Vec<slice::Iter<'a, Node>> = vec![self.children.iter()];
        while let Some(level) = stack.last_mut() {
            match level.next() {
                None => {
                    stack.pop();
                }
                Some(Node::Text(_)) => {}
                Some(Node::Element(c)) if c.local == local => out.push(c),
                Some(Node::Element(c)) => stack.push(c.children.iter()),
            }
        }
        out
    }
}

impl Drop for Element {
    fn drop(&mut self) {
        if self.children.iter().all(|c| match c {
            Node::Element(e) => e.children.is_empty(),
            Node::Text(_) => true,
        }) {
            return;
        }
        // Each element's children move to this list before the element goes, so no drop nests.
        let mut pending = std::mem::take(&mut self.children);
        while let Some(node) = pending.pop() {
            if let Node::Element(mut e) = node {
                pending.append(&mut e.children);
            }
        }
    }
}

fn collect_text(e: &Element, out: &mut String) {
    let mut stack: Vec<slice::Iter<'_, Node>> = vec![e.children.iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            None => {
                stack.pop();
            }
            Some(Node::Text(t)) => out.push_str(t),
            Some(Node::Element(c)) => {
                if c.local == "br" {
                    out.push(' ');
                }
                stack.push(c.children.iter());
            }
        }
    }
}

/// The name an element is serialised under: namespace declarations of XHTML wrappers mean nothing
/// inside an HTML fragment, so the prefix goes.
fn html_name(e: &Element) -> &str {
    e.qname.rsplit_once(':').map_or(e.qname.as_str(), |(_, l)| l)
}

/// `e`'s children as markup (without `e`'s own tags).
fn serialize_children(e: &Element, out: &mut String) {
    // Each level: the element whose end tag is still to write (none for `e` itself) and its children left.
    let mut stack: Vec<(Option<&Element>, slice::Iter<'_, Node>)> = vec![(None, e.children.iter())];
    while let Some((owner, level)) = stack.last_mut() {
        let owner = *owner;
        match level.next() {
            None => {
                if let Some(el) = owner {
                    out.push_str("</");
                    out.push_str(html_name(el));
                    out.push('>');
                }
                stack.pop();
            }
            Some(Node::Text(t)) => escape_into(t, false, out),
            Some(Node::Element(c)) => {
                let name = html_name(c);
                out.push('<');
                out.push_str(name);
                for (k, v) in c.attrs.iter().filter(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:")) {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_into(v, true, out);
                    out.push('"');
                }
                if HTML_VOID.contains(&c.local.as_str()) && c.children.is_empty() {
                    out.push_str(" />");
                    continue;
                }
                out.push('>');
                stack.push((Some(c), c.children.iter()));
            }
        }
    }
}

fn escape_into(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
