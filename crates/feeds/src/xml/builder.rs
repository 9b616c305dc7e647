//! The lenient tokenizer and tree builder.
//!
//! It never fails: whatever a document holds becomes elements and text, and every place where it had to
//! guess (a bare `&`, an HTML entity without a DTD, a `<` that starts no tag, a missing end tag, a
//! truncated end) is noted in [`Repairs`].
//!
//! Every body up to the fetcher's size limit reaches it, so no input may cost more than linear time and
//! memory, nor a stack deeper than a fixed bound: nesting, entity expansion and `xml:base` are capped, and
//! no search looks past what it can use.

use std::collections::HashMap;
use std::rc::Rc;

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

/// Open elements beyond this depth are flattened into the deepest one: no feed nests this far, and the
/// mappers and serialisers then never walk deeper (libxml2 refuses documents past 256 levels).
const MAX_DEPTH: usize = 1000;

/// The longest entity name read, in bytes. Looking further for the `;` of a reference would make every
/// bare `&` scan the rest of the text.
const MAX_ENTITY_NAME: usize = 64;

/// Declared entities may add this many times the document's size in total (at least
/// [`MIN_EXPANSION_BUDGET`]), as libxml2 and expat limit amplification against "billion laughs" and
/// one large entity referenced many times.
const EXPANSION_FACTOR: usize = 10;
const MIN_EXPANSION_BUDGET: usize = 1 << 20;

/// An `xml:base` longer than this (as written or resolved) is ignored: every link below it is resolved
/// against it, so its length is what each link may grow by. Real bases are short URLs.
const MAX_BASE_LEN: usize = 512;

/// Reads `src` into top-level nodes. `doc_url` is the base for `xml:base`.
pub(crate) fn parse_tree(src: &str, doc_url: Option<&str>, repairs: &mut Repairs) -> Vec<Node> {
    let mut b = Builder {
        stack: Vec::new(),
        open: OpenIndex::default(),
        flattened: Vec::new(),
        top: Vec::new(),
        scopes: Scopes::default(),
        entities: HashMap::new(),
        expansion_left: src.len().saturating_mul(EXPANSION_FACTOR).max(MIN_EXPANSION_BUDGET),
        no_cdata_end_from: usize::MAX,
        repairs,
        doc_url: doc_url.map(Rc::from),
        seen_element: false,
    };
    b.run(src);
    b.top
}

struct Builder<'r> {
    stack: Vec<Element>,
    /// What is open, by name, so that end tags and tag-soup repairs need not search the stack.
    open: OpenIndex,
    /// Start tags past [`MAX_DEPTH`] not opened, innermost last, so that their end tags are dropped too.
    flattened: Vec<String>,
    top: Vec<Node>,
    scopes: Scopes,
    /// Entities declared in the document's internal DTD subset.
    entities: HashMap<String, String>,
    /// Bytes that declared entities may still add.
    expansion_left: usize,
    /// No `]]>` at or after this position: an unterminated CDATA section found that out once.
    no_cdata_end_from: usize,
    repairs: &'r mut Repairs,
    doc_url: Option<Rc<str>>,
    seen_element: bool,
}

/// Counts of the open elements by name, kept beside the stack.
#[derive(Default)]
struct OpenIndex {
    qnames: HashMap<String, usize>,
    /// By lower-cased local name.
    locals: HashMap<String, usize>,
    /// Open feed `<item>`s and `<entry>`s.
    blocks: [usize; 2],
    /// For each open element: whether it is one that feeds leave unclosed (`<enclosure>`, `<link href>`).
    empty_by_nature: Vec<bool>,
}

impl OpenIndex {
    fn push(&mut self, e: &Element) {
        bump(&mut self.qnames, &e.qname, 1);
        bump(&mut self.locals, &e.local, 1);
        if let Some(b) = block(e) {
            self.blocks[b] += 1;
        }
        let empty = match (e.prefix.as_str(), e.local.as_str()) {
            ("", "enclosure") | ("media", "thumbnail") | ("itunes", "image") => true,
            ("" | "atom", "link") => e.attr("href").is_some(),
            _ => false,
        };
        self.empty_by_nature.push(empty);
    }

    fn pop(&mut self, e: &Element) {
        bump(&mut self.qnames, &e.qname, -1);
        bump(&mut self.locals, &e.local, -1);
        if let Some(b) = block(e) {
            self.blocks[b] = self.blocks[b].saturating_sub(1);
        }
        self.empty_by_nature.pop();
    }

    fn has_qname(&self, qname: &str) -> bool {
        self.qnames.get(qname).is_some_and(|n| *n > 0)
    }

    fn has_local(&self, lower_local: &str) -> bool {
        self.locals.get(lower_local).is_some_and(|n| *n > 0)
    }
}

/// Counts stay in the map at zero: a key per distinct name, so no allocation per element.
fn bump(map: &mut HashMap<String, usize>, key: &str, by: isize) {
    match map.get_mut(key) {
        Some(n) => *n = n.saturating_add_signed(by),
        None if by > 0 => {
            map.insert(key.to_string(), by.unsigned_abs());
        }
        None => {}
    }
}

fn block(e: &Element) -> Option<usize> {
    let i = match e.local.as_str() {
        "item" => 0,
        "entry" => 1,
        _ => return None,
    };
    FEED_PREFIXES.contains(&e.prefix.as_str()).then_some(i)
}

fn block_index(local: &str) -> usize {
    usize::from(local == "entry")
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
                let close = if pos + 9 >= self.no_cdata_end_from {
                    None
                } else {
                    body.find("]]>")
                };
                if close.is_none() {
                    // Later sections need not search again: every one of them would scan to the end.
                    self.no_cdata_end_from = self.no_cdata_end_from.min(pos + 9);
                }
                match close {
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
            // A name longer than any reference can use is skipped without scanning on for its end.
            let Some((name_len, _)) = body
                .char_indices()
                .take_while(|(i, _)| *i <= MAX_ENTITY_NAME)
                .find(|(_, c)| c.is_whitespace())
            else {
                continue;
            };
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
            if let Some((value, n)) = declared_entity(&self.entities, rest) {
                if value.len() <= self.expansion_left {
                    self.expansion_left -= value.len();
                    out.push_str(value);
                } else {
                    self.expansion_left = 0;
                    self.repairs.fault(format!(
                        "entity expansion stopped at its limit ({EXPANSION_FACTOR} times the document, at least \
                         {} MiB): later references kept as written",
                        MIN_EXPANSION_BUDGET >> 20
                    ));
                    out.push_str(&rest[..n]);
                }
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
                    text.push_to(&mut out);
                    n
                }
                Reference::Legacy(text, n) => {
                    self.repairs.html_entity(&rest[..n]);
                    text.push_to(&mut out);
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
        if self.stack.len() >= MAX_DEPTH {
            self.repairs.fault(format!(
                "elements nested deeper than {MAX_DEPTH} levels flattened into their ancestor"
            ));
            if !self_closing && !HTML_VOID.contains(&local.as_str()) {
                self.flattened.push(qname);
            }
            return;
        }
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
            Some((_, v)) => {
                let resolved = (v.len() <= MAX_BASE_LEN)
                    .then(|| resolve(parent_base.as_deref(), v))
                    .filter(|r| r.len() <= MAX_BASE_LEN);
                match resolved {
                    Some(r) => Some(Rc::from(r)),
                    None => {
                        self.repairs
                            .info(format!("xml:base longer than {MAX_BASE_LEN} bytes ignored"));
                        parent_base
                    }
                }
            }
            None => parent_base,
        };
        let lang = match attrs.iter().find(|(k, _)| k == "xml:lang") {
            Some((_, v)) => Some(Rc::from(v.as_str())),
            None => parent_lang,
        };
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
        self.open.push(&element);
        self.stack.push(element);
        if self_closing || void {
            self.close_top();
        }
    }

    /// Tag-soup repairs: a new `<item>` closes an unclosed one; a feed element starting inside a text-only
    /// feed element (`<title>…<link>`) closes it.
    fn close_unclosed_before(&mut self, prefix: &str, local: &str) {
        if self.open.empty_by_nature.last() == Some(&true) {
            if let Some(top) = self.stack.last() {
                let note = format!("<{}> without '/>' closed", top.qname);
                self.repairs.fault(note);
                self.close_top();
            }
        }
        if !FEED_PREFIXES.contains(&prefix) {
            return;
        }
        if local == "item" || local == "entry" {
            let open = if self.open.blocks[block_index(local)] > 0 {
                self.stack
                    .iter()
                    .rposition(|e| e.local == local && FEED_PREFIXES.contains(&e.prefix.as_str()))
            } else {
                None
            };
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
        if self.flattened.last().is_some_and(|f| f == name) {
            self.flattened.pop();
            return;
        }
        let local = split_qname(name).1;
        // The index says whether a search can succeed; one that does is paid for by the elements it closes.
        let mut found = None;
        if self.open.has_qname(name) {
            found = self.stack.iter().rposition(|e| e.qname == name);
        }
        if found.is_none() && self.open.has_local(&local.to_ascii_lowercase()) {
            found = self.stack.iter().rposition(|e| e.local.eq_ignore_ascii_case(local));
            if found.is_some() {
                self.repairs
                    .fault(format!("end tag </{name}> matched by local name or case"));
            }
        }
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
        self.open.pop(&element);
        // Flattened start tags were inside the element at the depth limit; it is closed now.
        self.flattened.clear();
        self.scopes.close();
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.top.push(Node::Element(element)),
        }
    }
}

/// The declared entity referenced at the start of `at` (`&name;`): its value and the bytes the reference
/// takes.
fn declared_entity<'e>(entities: &'e HashMap<String, String>, at: &str) -> Option<(&'e str, usize)> {
    if entities.is_empty() {
        return None;
    }
    let window = &at.as_bytes()[..at.len().min(MAX_ENTITY_NAME + 2)];
    let end = window.iter().position(|b| *b == b';')?;
    entities.get(at.get(1..end)?).map(|v| (v.as_str(), end + 1))
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

/// Reads `<name attr="v" …>` at the start of `s`. `None` when it is not a tag after all (a `<` in text):
/// another `<` or the end of the document comes before the closing `>`.
///
/// Nothing past that next `<` is read, so a document of tags that fail costs each stretch of it once.
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
                let after = &s[i + 1..];
                let stop = after.find([*q as char, '<']);
                match stop {
                    Some(c) if after.as_bytes()[c] == *q => {
                        attrs.push((name, after[..c].to_string()));
                        i += c + 2;
                    }
                    // XML forbids '<' in attribute values: one there means the closing quote is missing.
                    _ => {
                        let before_lt = &after[..stop.unwrap_or(after.len())];
                        let gt = before_lt.find('>')?;
                        let value = &after[..gt];
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
                // A '<' ends an unquoted value too (and with it the tag, read as text): like a quoted value,
                // it cannot hold one.
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b'>' | b'<') && !bytes[i].is_ascii_whitespace() {
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
