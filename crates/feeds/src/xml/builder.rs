//! The lenient tokenizer and tree builder.
//!
//! It never fails: whatever a document holds becomes elements and text, and every place where it had to
//! guess (a bare `&`, an HTML entity without a DTD, a `<` that starts no tag, a missing end tag, a
//! truncated end) is noted in [`Repairs`].

use std::collections::HashMap;

use super::namespaces::{split_qname, Scopes};
use super::tree::{Element, Node, HTML_VOID};
use crate::entities::{read_reference, Reference};
use crate::repairs::Repairs;
use crate::urls::resolve;

/// Namespaces whose elements get the tag-soup repairs below.
const FEED_PREFIXES: &[&str] = &["", "atom", "dc", "dcterms", "content"];

/// Feed elements that hold only text; one of them still open when another feed element starts was
/// never closed.
const LEAVES: &[&str] = &[
    "title",
    "link",
    "guid",
    "pubdate",
    "description",
    "category",
    "comments",
    "creator",
    "date",
    "id",
    "updated",
    "published",
    "summary",
    "language",
    "lastbuilddate",
    "author",
    "encoded",
    "issued",
    "modified",
    "created",
    "subject",
    "rights",
    "copyright",
    "ttl",
    "generator",
    "webmaster",
    "managingeditor",
    "name",
    "email",
    "uri",
];

/// Feed elements whose start proves the open leaf should have been closed.
const TRIGGERS: &[&str] = &[
    "item",
    "entry",
    "title",
    "link",
    "guid",
    "pubdate",
    "description",
    "category",
    "comments",
    "enclosure",
    "source",
    "author",
    "creator",
    "id",
    "updated",
    "published",
    "summary",
    "content",
    "encoded",
    "date",
    "issued",
    "modified",
    "name",
    "email",
    "uri",
];

/// Reads `src` into top-level nodes. `doc_url` is the base for `xml:base`.
pub(crate) fn parse_tree(src: &str, doc_url: Option<&str>, repairs: &mut Repairs) -> Vec<Node> {
    let mut b = Builder {
        stack: Vec::new(),
        top: Vec::new(),
        scopes: Scopes::default(),
        entities: HashMap::new(),
        repairs,
        doc_url: doc_url.map(str::to_string),
        seen_element: false,
    };
    b.run(src);
    b.top
}

struct Builder<'r> {
    stack: Vec<Element>,
    top: Vec<Node>,
    scopes: Scopes,
    /// Entities declared in the document's internal DTD subset.
    entities: HashMap<String, String>,
    repairs: &'r mut Repairs,
    doc_url: Option<String>,
    seen_element: bool,
}

struct StartTag {
    qname: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
    end: usize,
    /// An attribute value lacked its closing quote.
    unclosed_quote: bool,
}

impl Builder<'_> {
    fn run(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut pos = 0;
        let first_markup = s.find('<').unwrap_or(s.len());
        if first_markup > 0 {
            if s[..first_markup].trim().is_empty() {
                if s[first_markup..].starts_with("<?xml") {
                    self.repairs.fault("whitespace before the XML declaration removed");
                }
            } else {
                self.repairs.fault("leading garbage before the first tag removed");
            }
            pos = first_markup;
        }
        while pos < bytes.len() {
            if bytes[pos] != b'<' {
                let end = s[pos..].find('<').map_or(s.len(), |i| pos + i);
                let text = self.decode(&s[pos..end]);
                self.push_text(text);
                pos = end;
                continue;
            }
            let rest = &s[pos..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                pos = comment.find("-->").map_or(s.len(), |i| pos + 4 + i + 3);
            } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
                match body.find("]]>") {
                    Some(i) => {
                        self.push_text(body[..i].to_string());
                        pos += 9 + i + 3;
                    }
                    None => {
                        // Most often the `]]>` was forgotten before the element's end tag.
                        let end_tag = self.stack.last().map(|e| format!("</{}", e.qname));
                        let end = end_tag.and_then(|t| body.find(&t)).unwrap_or(body.len());
                        self.repairs.fault("unterminated CDATA section closed");
                        self.push_text(body[..end].to_string());
                        pos += 9 + end;
                    }
                }
            } else if rest.starts_with("<!") {
                pos += self.doctype(rest);
            } else if rest.starts_with("<?") {
                pos = rest.find("?>").map_or(s.len(), |i| pos + i + 2);
            } else if let Some(after) = rest.strip_prefix("</") {
                let name_len = after
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '<')
                    .unwrap_or(after.len());
                if name_len == 0 {
                    self.repairs.fault("unescaped '<' in text kept as text");
                    self.push_text("<".into());
                    pos += 1;
                    continue;
                }
                let name = &after[..name_len];
                let tail = &after[name_len..];
                pos += 2 + name_len;
                match tail.find(['>', '<']) {
                    Some(i) if tail.as_bytes()[i] == b'>' => pos += i + 1,
                    Some(i) => pos += i,
                    None => pos = s.len(),
                }
                self.end_tag(name);
            } else if rest[1..].starts_with(is_name_start) {
                match read_start_tag(rest) {
                    Some(tag) => {
                        pos += tag.end;
                        if tag.unclosed_quote {
                            self.repairs
                                .fault("attribute value without its closing quote ended at '>'");
                        }
                        let attrs = tag.attrs.into_iter().map(|(k, v)| (k, self.decode(&v))).collect();
                        self.start_tag(tag.qname, attrs, tag.self_closing);
                    }
                    None => {
                        self.repairs.fault("unescaped '<' in text kept as text");
                        self.push_text("<".into());
                        pos += 1;
                    }
                }
            } else {
                self.repairs.fault("unescaped '<' in text kept as text");
                self.push_text("<".into());
                pos += 1;
            }
        }
        if let Some(open) = self.stack.last() {
            let note = format!(
                "document ends inside <{}> (truncated): closed the open elements",
                open.qname
            );
            self.repairs.fault(note);
        }
        while !self.stack.is_empty() {
            self.close_top();
        }
    }

    /// Skips a `<!DOCTYPE …>` (or other `<!…>`) and records the entities its internal subset declares.
    /// Returns the bytes consumed.
    fn doctype(&mut self, rest: &str) -> usize {
        let bytes = rest.as_bytes();
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        let mut end = rest.len();
        for (i, &c) in bytes.iter().enumerate().skip(2) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"') | (None, b'\'') => quote = Some(c),
                (None, b'[') => depth += 1,
                (None, b']') => depth = depth.saturating_sub(1),
                (None, b'>') if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let decl = &rest[..end];
        let mut search = decl;
        while let Some(i) = search.find("<!ENTITY") {
            search = &search[i + 8..];
            let body = search.trim_start();
            if body.starts_with('%') {
                continue;
            }
            let name_len = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_len];
            let value = body[name_len..].trim_start();
            if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(close) = value[1..].find(q) {
                    let decoded = crate::entities::decode_html(&value[1..1 + close]);
                    self.entities.insert(name.to_string(), decoded);
                }
            }
        }
        end
    }

    /// Decodes character references in text or an attribute value, repairing what XML would reject.
    fn decode(&mut self, raw: &str) -> String {
        if !raw.contains('&') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some((value, n)) = self.declared_entity(rest) {
                out.push_str(&value);
                rest = &rest[n..];
                continue;
            }
            let consumed = match read_reference(rest) {
                Reference::Xml(text, n) => {
                    out.push_str(&text);
                    n
                }
                Reference::Html(text, n, name) => {
                    self.repairs.html_entity(&format!("&{name}"));
                    out.push_str(text);
                    n
                }
                Reference::Legacy(text, n) => {
                    self.repairs.html_entity(&rest[..n]);
                    out.push_str(text);
                    n
                }
                Reference::Bare => {
                    self.repairs.fault("bare '&' kept as text");
                    out.push('&');
                    1
                }
            };
            rest = &rest[consumed..];
        }
        out.push_str(rest);
        out
    }

    fn declared_entity(&self, at: &str) -> Option<(String, usize)> {
        if self.entities.is_empty() {
            return None;
        }
        let end = at.find(';')?;
        self.entities.get(&at[1..end]).map(|v| (v.clone(), end + 1))
    }

    fn push_text(&mut self, text: String) {
        let Some(parent) = self.stack.last_mut() else {
            if !text.trim().is_empty() {
                if self.seen_element {
                    self.repairs.fault("text after the root element ignored");
                } else {
                    self.repairs.fault("leading garbage before the first tag removed");
                }
            }
            return;
        };
        match parent.children.last_mut() {
            Some(Node::Text(t)) => t.push_str(&text),
            _ => parent.children.push(Node::Text(text)),
        }
    }

    fn start_tag(&mut self, qname: String, attrs: Vec<(String, String)>, self_closing: bool) {
        self.seen_element = true;
        let local = split_qname(&qname).1.to_ascii_lowercase();
        let guess = self.scopes.resolve(&qname);
        self.close_unclosed_before(&guess, &local);
        self.scopes.open(&attrs);
        let prefix = self.scopes.resolve(&qname);
        if !self.scopes.is_declared(&qname) {
            self.repairs.fault(format!(
                "undeclared namespace prefix in <{qname}> read by its usual meaning"
            ));
        }
        let (parent_base, parent_lang) = match self.stack.last() {
            Some(p) => (p.base.clone(), p.lang.clone()),
            None => (self.doc_url.clone(), None),
        };
        let base = match attrs.iter().find(|(k, _)| k == "xml:base") {
            Some((_, v)) => Some(resolve(parent_base.as_deref(), v)),
            None => parent_base,
        };
        let lang = attrs
            .iter()
            .find(|(k, _)| k == "xml:lang")
            .map(|(_, v)| v.clone())
            .or(parent_lang);
        let element = Element {
            qname,
            prefix,
            local,
            attrs,
            children: Vec::new(),
            base,
            lang,
        };
        let void = HTML_VOID.contains(&element.local.as_str());
        self.stack.push(element);
        if self_closing || void {
            self.close_top();
        }
    }

    /// Tag-soup repairs: a new `<item>` closes an unclosed one; a feed element starting inside a text-only
    /// feed element (`<title>…<link>`) closes it.
    fn close_unclosed_before(&mut self, prefix: &str, local: &str) {
        if let Some(top) = self.stack.last() {
            let empty_by_nature = match (top.prefix.as_str(), top.local.as_str()) {
                ("", "enclosure") | ("media", "thumbnail") | ("itunes", "image") => true,
                ("" | "atom", "link") => top.attr("href").is_some(),
                _ => false,
            };
            if empty_by_nature {
                let note = format!("<{}> without '/>' closed", top.qname);
                self.repairs.fault(note);
                self.close_top();
            }
        }
        if !FEED_PREFIXES.contains(&prefix) {
            return;
        }
        if local == "item" || local == "entry" {
            let open = self
                .stack
                .iter()
                .rposition(|e| e.local == local && FEED_PREFIXES.contains(&e.prefix.as_str()));
            if let Some(i) = open {
                self.repairs
                    .fault(format!("missing </{local}> before the next <{local}> added"));
                while self.stack.len() > i {
                    self.close_top();
                }
            }
            return;
        }
        let Some(top) = self.stack.last() else { return };
        let is_leaf = FEED_PREFIXES.contains(&top.prefix.as_str()) && LEAVES.contains(&top.local.as_str());
        let author_part = top.local == "author" && matches!(local, "name" | "email" | "uri");
        if is_leaf && TRIGGERS.contains(&local) && !author_part {
            self.repairs.fault(format!("missing </{}> added", top.qname));
            self.close_top();
        }
    }

    fn end_tag(&mut self, name: &str) {
        let local = split_qname(name).1;
        let exact = self.stack.iter().rposition(|e| e.qname == name);
        let found = exact.or_else(|| {
            let loose = self.stack.iter().rposition(|e| e.local.eq_ignore_ascii_case(local));
            if loose.is_some() {
                self.repairs
                    .fault(format!("end tag </{name}> matched by local name or case"));
            }
            loose
        });
        let Some(i) = found else {
            if !HTML_VOID.iter().any(|v| v.eq_ignore_ascii_case(local)) {
                self.repairs.fault(format!("stray end tag </{name}> ignored"));
            }
            return;
        };
        while self.stack.len() > i + 1 {
            if let Some(open) = self.stack.last() {
                let note = format!("missing </{}> added", open.qname);
                self.repairs.fault(note);
            }
            self.close_top();
        }
        self.close_top();
    }

    fn close_top(&mut self) {
        let Some(element) = self.stack.pop() else { return };
        self.scopes.close();
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.top.push(Node::Element(element)),
        }
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

/// Reads `<name attr="v" …>` at the start of `s`. `None` when it is not a tag after all (a `<` in text):
/// another `<` or the end of the document comes before the closing `>`.
fn read_start_tag(s: &str) -> Option<StartTag> {
    let bytes = s.as_bytes();
    let name_end = s[1..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>' || c == '<')
        .map_or(s.len(), |i| i + 1);
    let qname = s[1..name_end].to_string();
    let mut attrs = Vec::new();
    let mut i = name_end;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                return Some(StartTag {
                    qname,
                    attrs,
                    self_closing: false,
                    end: i + 1,
                    unclosed_quote: false,
                })
            }
            b'/' => {
                if bytes.get(i + 1) == Some(&b'>') {
                    return Some(StartTag {
                        qname,
                        attrs,
                        self_closing: true,
                        end: i + 2,
                        unclosed_quote: false,
                    });
                }
                i += 1;
                continue;
            }
            b'<' => return None,
            _ => {}
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = s[name_start..i].to_string();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = s[i + 1..].find(*q as char);
                let value = close.map(|c| &s[i + 1..i + 1 + c]);
                match value {
                    // XML forbids '<' in attribute values: one there means the closing quote is missing.
                    Some(v) if !v.contains('<') => {
                        attrs.push((name, v.to_string()));
                        i += v.len() + 2;
                    }
                    _ => {
                        let gt = s[i + 1..].find('>')?;
                        let value = &s[i + 1..i + 1 + gt];
                        if value.contains('<') {
                            return None;
                        }
                        let self_closing = value.ends_with('/');
                        attrs.push((name, value.trim_end_matches('/').to_string()));
                        return Some(StartTag {
                            qname,
                            attrs,
                            self_closing,
                            end: i + 1 + gt + 1,
                            unclosed_quote: true,
                        });
                    }
                }
            }
            _ => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                attrs.push((name, s[start..i].to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (Element, Vec<String>) {
        let mut r = Repairs::default();
        let nodes = parse_tree(s, Some("http://example.com/feed/"), &mut r);
        let root = nodes
            .into_iter()
            .find_map(|n| match n {
                Node::Element(e) => Some(e),
                Node::Text(_) => None,
            })
            .expect("a root element");
        (root, r.into_notes())
    }

    #[test]
    fn well_formed_xml_needs_no_repair() {
        let (root, notes) =
            parse("<?xml version=\"1.0\"?><rss><title a='1'>A &amp; B<![CDATA[ <b>x</b>]]></title></rss>");
        assert!(notes.is_empty(), "{notes:?}");
        let title = root.child(&[""], "title").expect("title");
        assert_eq!(title.text(), "A & B <b>x</b>");
        assert_eq!(title.attr("a"), Some("1"));
    }

    #[test]
    fn bare_ampersand_and_html_entities_are_repaired() {
        let (root, notes) = parse("<rss><title>Q&A&nbsp;&hellip; &#8217;</title></rss>");
        assert_eq!(
            root.child(&[""], "title").map(Element::text).as_deref(),
            Some("Q&A\u{a0}… ’")
        );
        assert_eq!(
            notes,
            vec![
                "bare '&' kept as text",
                "HTML entities decoded without a DTD: &nbsp; &hellip;"
            ]
        );
    }

    #[test]
    fn unescaped_less_than_stays_text() {
        let (root, notes) = parse("<rss><title>1 < 2 and x<y</title></rss>");
        assert_eq!(
            root.child(&[""], "title").map(Element::text).as_deref(),
            Some("1 < 2 and x<y")
        );
        assert!(notes.iter().any(|n| n.contains("'<'")));
    }

    #[test]
    fn truncated_document_keeps_what_was_read() {
        let (root, notes) = parse("<rss><channel><item><title>One</title></item><item><title>Tw");
        let channel = root.child(&[""], "channel").expect("channel");
        assert_eq!(channel.children_named(&[""], "item").count(), 2);
        assert!(notes.iter().any(|n| n.contains("truncated")));
    }

    #[test]
    fn unclosed_leaf_is_closed_by_the_next_feed_element() {
        let (root, _) = parse("<rss><item><title>One<link>http://a/</link></item></rss>");
        let item = root.child(&[""], "item").expect("item");
        assert_eq!(item.child(&[""], "title").map(Element::text).as_deref(), Some("One"));
        assert_eq!(
            item.child(&[""], "link").map(Element::text).as_deref(),
            Some("http://a/")
        );
    }

    #[test]
    fn doctype_entities_are_used() {
        let (root, notes) = parse("<!DOCTYPE rss [<!ENTITY mdash \"&#8212;\">]><rss><title>a&mdash;b</title></rss>");
        assert_eq!(root.child(&[""], "title").map(Element::text).as_deref(), Some("a—b"));
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn xml_base_is_inherited_and_resolved() {
        let (root, _) =
            parse("<feed xml:base=\"/blog/\"><entry xml:base=\"2024/\"><link href=\"a.html\"/></entry></feed>");
        let entry = root.child(&[""], "entry").expect("entry");
        assert_eq!(entry.base.as_deref(), Some("http://example.com/blog/2024/"));
    }

    #[test]
    fn raw_html_children_serialise_back() {
        let (root, _) = parse("<rss><description><p class=\"x\">Hi &amp; <br>bye</p></description></rss>");
        let d = root.child(&[""], "description").expect("description");
        assert_eq!(d.inner_html(), "<p class=\"x\">Hi &amp; <br />bye</p>");
    }
}
