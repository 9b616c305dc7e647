//! User rules: per-domain CSS selectors that say where the content is (`keep`) or what to drop.
//!
//! The file format is one rule a line, `#` starts a comment:
//!
//! ```text
//! # domain        action  selector
//! example.com     keep    div.story-body
//! example.com     drop    .inline-promo, aside.more
//! *               drop    .my-global-junk
//! ```
//!
//! A domain matches itself and its subdomains; `*` matches every site. Attribute selectors see the
//! attributes the extractor keeps (class, id, role, itemprop, itemtype, href, src, rel, lang, type,
//! name, property, title, aria-*, data-testid). Selectors support the
//! common subset of CSS: `tag`, `.class`, `#id`, `[attr]`, `[attr=value]`, `[attr*=value]`,
//! compounds of these (`div.a.b[role=main]`), descendant combinators (`article .body`) and
//! comma-separated lists. No rules ship by default.

use crate::content::Analysis;
use crate::dom::{Dom, NONE};

#[derive(Debug, Clone, PartialEq, Eq)]
enum AttrOp {
    Exists,
    Eq(String),
    Contains(String),
    Prefix(String),
}

#[derive(Debug, Clone, Default)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, AttrOp)>,
}

/// A parsed selector: a chain of compounds joined by descendant combinators.
#[derive(Debug, Clone)]
pub struct Selector(Vec<Compound>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Keep,
    Drop,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub domain: String,
    pub action: Action,
    pub selectors: Vec<Selector>,
}

/// A set of user rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("line {line}: {msg}")]
    Syntax { line: usize, msg: String },
}

fn parse_compound(s: &str) -> Option<Compound> {
    let mut c = Compound::default();
    let b = s.as_bytes();
    let mut i = 0;
    let ident_end = |from: usize| -> usize {
        let mut j = from;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_' || b[j] >= 0x80) {
            j += 1;
        }
        j
    };
    if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'*') {
        let e = if b[i] == b'*' { i + 1 } else { ident_end(i) };
        if &s[i..e] != "*" {
            c.tag = Some(s[i..e].to_ascii_lowercase());
        }
        i = e;
    }
    while i < b.len() {
        match b[i] {
            b'.' => {
                let e = ident_end(i + 1);
                if e == i + 1 {
                    return None;
                }
                c.classes.push(s[i + 1..e].to_string());
                i = e;
            }
            b'#' => {
                let e = ident_end(i + 1);
                if e == i + 1 {
                    return None;
                }
                c.id = Some(s[i + 1..e].to_string());
                i = e;
            }
            b'[' => {
                let close = s[i..].find(']')? + i;
                let inner = &s[i + 1..close];
                let (name, op) = if let Some(p) = inner.find("*=") {
                    (&inner[..p], AttrOp::Contains(unquote(&inner[p + 2..])))
                } else if let Some(p) = inner.find("^=") {
                    (&inner[..p], AttrOp::Prefix(unquote(&inner[p + 2..])))
                } else if let Some(p) = inner.find('=') {
                    (&inner[..p], AttrOp::Eq(unquote(&inner[p + 1..])))
                } else {
                    (inner, AttrOp::Exists)
                };
                c.attrs.push((name.trim().to_ascii_lowercase(), op));
                i = close + 1;
            }
            _ => return None,
        }
    }
    Some(c)
}

/// The first whitespace-separated word of `s` and what follows it, both trimmed.
fn first_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (s, ""),
    }
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(['"', '\'']).to_string()
}

impl Selector {
    pub fn parse(s: &str) -> Option<Selector> {
        let parts: Option<Vec<Compound>> = s.split_whitespace().map(parse_compound).collect();
        let parts = parts?;
        (!parts.is_empty()).then_some(Selector(parts))
    }

    fn matches_compound(c: &Compound, n: &crate::dom::Node) -> bool {
        if n.is_text() {
            return false;
        }
        if let Some(t) = &c.tag {
            if &*n.tag != t {
                return false;
            }
        }
        if let Some(id) = &c.id {
            if n.attr("id") != Some(id.as_str()) {
                return false;
            }
        }
        if !c.classes.is_empty() {
            let cls = n.attr("class").unwrap_or("");
            if !c.classes.iter().all(|k| cls.split_whitespace().any(|x| x == k)) {
                return false;
            }
        }
        c.attrs.iter().all(|(name, op)| match (n.attr(name), op) {
            (None, _) => false,
            (Some(_), AttrOp::Exists) => true,
            (Some(v), AttrOp::Eq(x)) => v == x,
            (Some(v), AttrOp::Contains(x)) => v.contains(x.as_str()),
            (Some(v), AttrOp::Prefix(x)) => v.starts_with(x.as_str()),
        })
    }

    /// Does node `i` match (the last compound on `i`, earlier ones on its ancestors, in order)?
    pub fn matches(&self, dom: &Dom, i: u32) -> bool {
        let parts = &self.0;
        let Some(last) = parts.last() else { return false };
        if !Self::matches_compound(last, dom.node(i)) {
            return false;
        }
        let mut k = parts.len() - 1;
        let mut anc = dom.node(i).parent;
        while k > 0 {
            if anc == NONE {
                return false;
            }
            if Self::matches_compound(&parts[k - 1], dom.node(anc)) {
                k -= 1;
            }
            anc = dom.node(anc).parent;
        }
        true
    }
}

impl Rules {
    /// Parse a rules file (see the module docs for the format).
    pub fn parse(src: &str) -> Result<Rules, RulesError> {
        let mut rules = Vec::new();
        for (n, line) in src.lines().enumerate() {
            // a comment is a line starting with '#', or " # " after the rule ('#id' selectors stay)
            let line = line.trim();
            let line = line.split(" # ").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // columns are separated by any run of whitespace, so that they can be aligned
            let (domain, rest) = first_word(line);
            let domain = domain.to_ascii_lowercase();
            let (action, sel_src) = first_word(rest);
            let action = match action {
                "keep" => Action::Keep,
                "drop" => Action::Drop,
                other => {
                    return Err(RulesError::Syntax {
                        line: n + 1,
                        msg: format!("expected keep or drop, got {other:?}"),
                    })
                }
            };
            let mut selectors = Vec::new();
            for s in sel_src.split(',') {
                match Selector::parse(s.trim()) {
                    Some(sel) => selectors.push(sel),
                    None => {
                        return Err(RulesError::Syntax {
                            line: n + 1,
                            msg: format!("unsupported selector {s:?}"),
                        })
                    }
                }
            }
            if selectors.is_empty() {
                return Err(RulesError::Syntax {
                    line: n + 1,
                    msg: "no selector".into(),
                });
            }
            rules.push(Rule {
                domain,
                action,
                selectors,
            });
        }
        Ok(Rules { rules })
    }

    fn applies(domain: &str, host: Option<&str>) -> bool {
        if domain == "*" {
            return true;
        }
        match host {
            Some(h) => {
                let h = h.to_ascii_lowercase();
                h == domain || h.ends_with(&format!(".{domain}"))
            }
            None => false,
        }
    }

    /// Apply the rules for `host`: drop rules mark nodes removed; keep rules return the content roots.
    pub fn apply(&self, dom: &Dom, _html: &str, host: Option<&str>, an: &mut Analysis) -> Vec<u32> {
        let active: Vec<&Rule> = self.rules.iter().filter(|r| Self::applies(&r.domain, host)).collect();
        if active.is_empty() {
            return vec![];
        }
        let mut keep = Vec::new();
        let n = dom.nodes.len() as u32;
        let mut i = 0u32;
        while i < n {
            let mut skip_to = None;
            for r in &active {
                if r.selectors.iter().any(|s| s.matches(dom, i)) {
                    match r.action {
                        Action::Drop => {
                            let e = dom.subtree_end(i);
                            for k in i..e {
                                an.removed[k as usize] = true;
                            }
                        }
                        Action::Keep => {
                            keep.push(i);
                            skip_to = Some(dom.subtree_end(i));
                        }
                    }
                }
            }
            i = skip_to.unwrap_or(i + 1);
        }
        keep.retain(|&k| !an.removed[k as usize]);
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        let dom = Dom::parse("<div id=a class='x y'><p class=z itemprop=v>hi</p></div><p>no</p>");
        let s = Selector::parse("div.x p[itemprop=v]").unwrap();
        let hits: Vec<u32> = (0..dom.nodes.len() as u32).filter(|&i| s.matches(&dom, i)).collect();
        assert_eq!(hits.len(), 1);
        assert!(Selector::parse("#a").is_some());
        assert!(Selector::parse("div > p").is_none());
    }

    #[test]
    fn parse_file() {
        let r = Rules::parse("# c\nexample.com keep div.body # the story\n* drop .promo, aside, #ad\n").unwrap();
        assert_eq!(r.rules.len(), 2);
        assert_eq!(r.rules[1].selectors.len(), 3);
        assert!(Rules::parse("example.com maybe x").is_err());
        assert!(Rules::applies("example.com", Some("www.example.com")));
        assert!(!Rules::applies("example.com", Some("badexample.com")));
    }

    #[test]
    fn parses_the_example_in_the_module_docs() {
        // the example is read from this file's own docs, so the two cannot drift apart
        let example: String = include_str!("rules.rs")
            .lines()
            .skip_while(|l| l.trim() != "//! ```text")
            .skip(1)
            .take_while(|l| l.trim() != "//! ```")
            .map(|l| format!("{}\n", l.trim_start_matches("//!").strip_prefix(' ').unwrap_or("")))
            .collect();
        assert!(example.contains("example.com     keep    div.story-body"), "{example}");
        let r = Rules::parse(&example).expect("the documented example parses");
        assert_eq!(r.rules.len(), 3);
        assert_eq!(
            (r.rules[0].domain.as_str(), r.rules[0].action),
            ("example.com", Action::Keep)
        );
        assert_eq!(r.rules[0].selectors.len(), 1);
        assert_eq!(
            (r.rules[1].domain.as_str(), r.rules[1].action),
            ("example.com", Action::Drop)
        );
        assert_eq!(r.rules[1].selectors.len(), 2);
        assert_eq!((r.rules[2].domain.as_str(), r.rules[2].action), ("*", Action::Drop));
        // tabs and runs of spaces alike
        let r = Rules::parse("example.com\t\tdrop\t .promo ,  aside\n").expect("tabs");
        assert_eq!(r.rules[0].selectors.len(), 2);
        assert!(Rules::parse("example.com\n").is_err());
        assert!(Rules::parse("example.com   keep   \n").is_err());
    }
}
