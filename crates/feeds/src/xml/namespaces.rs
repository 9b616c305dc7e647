//! Namespace URIs mapped to the short prefixes the feed mappers match on, whatever prefix a document chose.

use std::collections::HashMap;

/// The canonical prefix for a namespace URI, or `None` when the URI is not one the mappers know.
pub(crate) fn canonical_prefix(uri: &str) -> Option<&'static str> {
    let uri = uri.trim().trim_end_matches(['/', '#']).to_ascii_lowercase();
    let uri = uri
        .strip_prefix("https://")
        .map(|u| format!("http://{u}"))
        .unwrap_or(uri);
    Some(match uri.as_str() {
        "http://www.w3.org/2005/atom" | "http://purl.org/atom/ns" => "atom",
        // RSS 0.90, 1.0 and the rarely used RSS 2.0 namespaces: plain RSS elements.
        "http://purl.org/rss/1.0"
        | "http://my.netscape.com/rdf/simple/0.9"
        | "http://backend.userland.com/rss2"
        | "http://backend.userland.com/rss"
        | "http://blogs.law.harvard.edu/tech/rss" => "",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns" => "rdf",
        "http://purl.org/rss/1.0/modules/content" => "content",
        "http://purl.org/dc/elements/1.1" => "dc",
        "http://purl.org/dc/terms" => "dcterms",
        "http://search.yahoo.com/mrss" => "media",
        "http://www.itunes.com/dtds/podcast-1.0.dtd" => "itunes",
        "http://www.w3.org/1999/xhtml" => "xhtml",
        "http://www.w3.org/xml/1998/namespace" => "xml",
        _ => return None,
    })
}

/// The in-scope namespace declarations while reading a document.
///
/// Looked up by prefix, and each URI mapped once when declared: a search through every declaration (or a
/// long URI read again) for every element would make the cost declarations × elements.
#[derive(Debug, Default)]
pub(crate) struct Scopes {
    /// For each prefix ("" is the default namespace), the canonical prefix of each URI declared for it
    /// (`None` when the URI is not one the mappers know), innermost last.
    decls: HashMap<String, Vec<Option<&'static str>>>,
    /// The prefixes each open element declared.
    pushed: Vec<Vec<String>>,
}

impl Scopes {
    pub(crate) fn open(&mut self, attrs: &[(String, String)]) {
        let mut declared = Vec::new();
        for (name, value) in attrs {
            let prefix = if name == "xmlns" {
                Some(String::new())
            } else {
                name.strip_prefix("xmlns:").map(str::to_string)
            };
            if let Some(prefix) = prefix {
                self.decls
                    .entry(prefix.clone())
                    .or_default()
                    .push(canonical_prefix(value));
                declared.push(prefix);
            }
        }
        self.pushed.push(declared);
    }

    pub(crate) fn close(&mut self) {
        for prefix in self.pushed.pop().unwrap_or_default() {
            if let Some(uris) = self.decls.get_mut(&prefix) {
                uris.pop();
            }
        }
    }

    /// The innermost declaration of `prefix`: `Some(canonical)` when declared.
    fn lookup(&self, prefix: &str) -> Option<Option<&'static str>> {
        self.decls.get(prefix).and_then(|uris| uris.last().copied())
    }

    /// Whether the prefix of `qname` is declared (or needs no declaration).
    pub(crate) fn is_declared(&self, qname: &str) -> bool {
        let (prefix, _) = split_qname(qname);
        prefix.is_empty() || prefix == "xml" || prefix == "xmlns" || self.lookup(prefix).is_some()
    }

    /// The canonical prefix of a qualified name (`dc:creator` → `dc`), falling back to the prefix as
    /// written when the document forgot to declare it.
    pub(crate) fn resolve(&self, qname: &str) -> String {
        let (prefix, _) = split_qname(qname);
        match self.lookup(prefix).flatten() {
            Some(canon) => canon.to_string(),
            // An unknown default namespace still means "plain feed element".
            None if prefix.is_empty() => String::new(),
            None => canonical_for_written_prefix(prefix),
        }
    }
}

/// Undeclared but conventional prefixes, as real feeds use them.
fn canonical_for_written_prefix(prefix: &str) -> String {
    let lower = prefix.to_ascii_lowercase();
    match lower.as_str() {
        "rss" => String::new(),
        "atom" | "atom03" | "atom10" => "atom".into(),
        "dcterms" | "dct" => "dcterms".into(),
        _ => lower,
    }
}

/// `prefix:local` → (`prefix`, `local`); no prefix → ("", name).
pub(crate) fn split_qname(qname: &str) -> (&str, &str) {
    match qname.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qname),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_prefixes_map_to_canonical_ones() {
        let mut s = Scopes::default();
        s.open(&[
            ("xmlns".into(), "http://www.w3.org/2005/Atom".into()),
            ("xmlns:creator".into(), "http://purl.org/dc/elements/1.1/".into()),
        ]);
        assert_eq!(s.resolve("title"), "atom");
        assert_eq!(s.resolve("creator:creator"), "dc");
        s.close();
        assert_eq!(s.resolve("title"), "");
    }

    #[test]
    fn undeclared_prefixes_are_kept_as_written() {
        let s = Scopes::default();
        assert_eq!(s.resolve("dc:creator"), "dc");
        assert_eq!(s.resolve("content:encoded"), "content");
    }
}
