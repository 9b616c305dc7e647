//! The element tree the feed mappers read, and its serialisation back to HTML.

/// An element as read, with names normalised for matching.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The effective `xml:base` (resolved against enclosing ones and the document URL).
    pub base: Option<String>,
    /// The effective `xml:lang`.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
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
        for child in &self.children {
            serialize(child, &mut out);
        }
        out
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => {
                if c.local == "br" {
                    out.push(' ');
                }
                collect_text(c, out);
            }
        }
    }
}

fn serialize(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => escape_into(t, false, out),
        Node::Element(e) => {
            // Namespace declarations of XHTML wrappers mean nothing inside an HTML fragment.
            let name = e.qname.rsplit_once(':').map_or(e.qname.as_str(), |(_, l)| l);
            out.push('<');
            out.push_str(name);
            for (k, v) in e.attrs.iter().filter(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:")) {
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                escape_into(v, true, out);
                out.push('"');
            }
            if HTML_VOID.contains(&e.local.as_str()) && e.children.is_empty() {
                out.push_str(" />");
                return;
            }
            out.push('>');
            for c in &e.children {
                serialize(c, out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
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
