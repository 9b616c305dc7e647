//! Metadata: JSON-LD, then OpenGraph/Twitter/Dublin Core `<meta>`, microdata, `<time>`, visible bylines.

use crate::date;
#[path = "dateline.rs"]
pub mod dateline;
use crate::dom::{push_collapsed, Dom};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// JSON-LD `articleBody`, when present.
    pub article_body: Option<String>,
    /// All `<h1>` texts in document order.
    pub h1s: Vec<String>,
    pub html_title: Option<String>,
    /// The page's host without `www.` (from the page URL or the canonical URL).
    pub host: Option<String>,
}

#[derive(Default, Debug)]
struct Ld {
    headline: Option<String>,
    authors: Vec<String>,
    org_authors: Vec<String>,
    published: Option<String>,
    modified: Option<String>,
    image: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    language: Option<String>,
    url: Option<String>,
    body: Option<String>,
    is_article: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "liveblogposting",
    "socialmediaposting",
    "posting",
    "report",
    "advertisercontentarticle",
    "satiricalarticle",
    "medicalscholarlyarticle",
];

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = html_unescape(s.trim());
            (!t.is_empty()).then_some(t)
        }
        Value::Array(a) => a.iter().find_map(str_of),
        Value::Object(o) => o.get("name").or_else(|| o.get("@value")).and_then(str_of),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(url_of),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .or_else(|| o.get("@id"))
            .and_then(url_of),
        _ => None,
    }
}

fn names_of(v: &Value, out: &mut Vec<String>, orgs: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            for n in split_names(s) {
                out.push(n);
            }
        }
        Value::Array(a) => a.iter().take(20).for_each(|x| names_of(x, out, orgs)),
        Value::Object(o) => {
            if types_of(o)
                .iter()
                .any(|t| t.contains("organization") || t == "corporation")
            {
                if let Some(n) = o.get("name").and_then(str_of) {
                    orgs.push(n);
                }
                return;
            }
            if let Some(n) = o.get("name").and_then(str_of) {
                for n in split_names(&n) {
                    out.push(n);
                }
            } else if let (Some(g), Some(f)) = (
                o.get("givenName").and_then(str_of),
                o.get("familyName").and_then(str_of),
            ) {
                out.push(format!("{g} {f}"));
            }
        }
        _ => {}
    }
}

fn types_of(o: &serde_json::Map<String, Value>) -> Vec<String> {
    match o.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(|s| s.to_ascii_lowercase()))
            .collect(),
        _ => vec![],
    }
}

fn walk_ld(v: &Value, lds: &mut Vec<(Ld, u8)>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().take(200).for_each(|x| walk_ld(x, lds, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                walk_ld(g, lds, depth + 1);
            }
            let types = types_of(o);
            let is_article = types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()));
            let is_page = types.iter().any(|t| {
                t.ends_with("page") || t == "recipe" || t == "howto" || t == "product" || t == "event" || t == "review"
            });
            if is_article || is_page {
                let mut ld = Ld {
                    is_article,
                    ..Default::default()
                };
                ld.headline = o
                    .get("headline")
                    .and_then(str_of)
                    .or_else(|| o.get("name").and_then(str_of));
                if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
                    names_of(a, &mut ld.authors, &mut ld.org_authors);
                }
                ld.published = o.get("datePublished").or_else(|| o.get("dateCreated")).and_then(str_of);
                ld.modified = o.get("dateModified").and_then(str_of);
                ld.image = o.get("image").or_else(|| o.get("thumbnailUrl")).and_then(url_of);
                ld.description = o.get("description").and_then(str_of);
                ld.publisher = o.get("publisher").and_then(|p| match p {
                    Value::Object(po) => po.get("name").and_then(str_of),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                });
                ld.language = o.get("inLanguage").and_then(str_of);
                ld.url = o
                    .get("url")
                    .and_then(url_of)
                    .or_else(|| o.get("mainEntityOfPage").and_then(url_of));
                ld.body = o.get("articleBody").and_then(|b| b.as_str().map(|s| s.to_string()));
                lds.push((ld, if is_article { 0 } else { 1 }));
            }
            if let Some(me) = o.get("mainEntity") {
                walk_ld(me, lds, depth + 1);
            }
        }
        _ => {}
    }
}

fn parse_ld(raw: &str) -> Option<Value> {
    let t = raw.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
    let t = t.trim_end_matches(';');
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    // Common breakage: raw control characters inside strings.
    let cleaned: String = t.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    serde_json::from_str(&cleaned).ok()
}

pub fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let mut done = false;
        if let Some(e) = end {
            let ent = &rest[1..e];
            let ch = if let Some(num) = ent.strip_prefix('#') {
                let v = if let Some(h) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    num.parse().ok()
                };
                v.and_then(char::from_u32)
            } else {
                match ent {
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "nbsp" => Some(' '),
                    "rsquo" => Some('’'),
                    "lsquo" => Some('‘'),
                    "ldquo" => Some('“'),
                    "rdquo" => Some('”'),
                    "ndash" => Some('–'),
                    "mdash" => Some('—'),
                    "bull" => Some('•'),
                    "hellip" => Some('…'),
                    "middot" => Some('·'),
                    "raquo" => Some('»'),
                    "laquo" => Some('«'),
                    _ => None,
                }
            };
            if let Some(c) = ch {
                out.push(c);
                rest = &rest[e + 1..];
                done = true;
            }
        }
        if !done {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Clean an author string into names: drop "By", dates, roles, e-mail, "and"/"&" separators.
pub fn split_names(s: &str) -> Vec<String> {
    let s = html_unescape(s);
    let mut s = s.trim().to_string();
    if s.is_empty() || s.len() > 300 || s.starts_with("http") {
        return vec![];
    }
    // "This post was written by Jane Doe": drop a short lead-in ending in "by"
    if let Some(i) = find_ci(&s, " by ") {
        if s[..i].split_whitespace().count() <= 5 && !s[..i].contains(',') {
            s = s[i + 4..].trim().to_string();
        }
    }
    for p in [
        "written by",
        "posted by",
        "published by",
        "reviewed by",
        "words by",
        "by:",
        "by ",
        "von ",
        "par ",
        "por ",
    ] {
        if s.len() > p.len() && s.get(..p.len()).map(|x| x.eq_ignore_ascii_case(p)).unwrap_or(false) {
            s = s[p.len()..].trim().to_string();
        }
    }
    // Cut at things that are not names.
    for stop in [
        " | ",
        " - ",
        " — ",
        " – ",
        "\n",
        " on ",
        " updated",
        " published",
        " posted",
        "@",
    ] {
        if let Some(i) = find_ci(&s, stop) {
            if i > 0 {
                s.truncate(i);
            }
        }
    }
    let mut out = Vec::new();
    for part in s.split([',', ';', '&', '·', '•', '|']).flat_map(|p| p.split(" and ")) {
        let p = part
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != ')');
        if p.is_empty() || p.len() > 60 {
            continue;
        }
        let lower = p.to_lowercase();
        if date::from_text(p).is_some()
            || lower.chars().filter(|c| c.is_ascii_digit()).count() > 2
            || (lower.chars().any(|c| c.is_ascii_digit()) && date::from_text(&format!("{p} 2000")).is_some())
        {
            continue;
        }
        // credentials / roles after a comma: "MS", "RD", "Staff Writer" kept only if it looks like a name
        let words = p.split_whitespace().count();
        if words > 6 {
            continue;
        }
        if words == 1
            && !out.is_empty()
            && (p.contains('.') || (p.len() <= 6 && p.chars().all(|c| c.is_uppercase() || c == '-')))
        {
            continue;
        }
        const ROLES: &[&str] = &[
            "staff",
            "editor",
            "contributor",
            "writer",
            "reporter",
            "correspondent",
            "author",
            "admin",
            "expert",
            "director",
            "manager",
            "analyst",
            "specialist",
            "columnist",
            "producer",
            "founder",
            "ceo",
            "president",
            "professor",
            "journalist",
            "intern",
            "dietitian",
            "officer",
            "head of",
            "senior",
            "chief",
            "team lead",
        ];
        if !out.is_empty()
            && ROLES.iter().any(|r| {
                lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *r) || (r.contains(' ') && lower.contains(r))
            })
        {
            continue;
        }
        out.push(p.to_string());
    }
    out
}

/// ASCII case-insensitive find of an ASCII needle; the index is a char boundary.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn meta_map(dom: &Dom) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = HashMap::new();
    for n in &dom.nodes {
        if &*n.tag != "meta" {
            continue;
        }
        let Some(content) = n.attr("content") else { continue };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = n.attr(key) {
                for k in k.split_whitespace() {
                    let k = k.to_ascii_lowercase();
                    // article:author may repeat; join repeated authors
                    if k == "article:author"
                        || k == "author"
                        || k == "dc.creator"
                        || k == "parsely-author"
                        || k == "sailthru.author"
                    {
                        m.entry(k)
                            .and_modify(|v| {
                                if !v.split('\u{1}').any(|x| x == content) {
                                    v.push('\u{1}');
                                    v.push_str(content)
                                }
                            })
                            .or_insert_with(|| content.to_string());
                    } else {
                        m.entry(k).or_insert_with(|| content.to_string());
                    }
                }
            }
        }
    }
    m
}

fn text_of_node(dom: &Dom, i: u32, max: usize) -> String {
    let end = dom.subtree_end(i);
    let mut s = String::new();
    for k in i..end {
        let n = &dom.nodes[k as usize];
        if n.is_text() {
            push_collapsed(&mut s, &n.text);
            if s.len() > max {
                break;
            }
        } else if matches!(&*n.tag, "br" | "p" | "div" | "li") && !s.is_empty() && !s.ends_with(' ') {
            s.push(' ');
        }
    }
    s.trim().to_string()
}

fn class_id(n: &crate::dom::Node) -> String {
    let mut s = String::new();
    if let Some(c) = n.attr("class") {
        s.push_str(c);
    }
    s.push(' ');
    if let Some(c) = n.attr("id") {
        s.push_str(c);
    }
    s.to_ascii_lowercase()
}

/// A link to an author's page: a path segment such as `author` or `staff` followed by a slug.
fn author_href(h: &str) -> bool {
    const SEGS: &[&str] = &[
        "author",
        "authors",
        "writer",
        "writers",
        "contributor",
        "contributors",
        "byline",
        "staff",
        "journalist",
        "profile",
        "people",
        "team",
    ];
    let path = h.split(['?', '#']).next().unwrap_or("");
    let mut segs = path.split('/').filter(|s| !s.is_empty());
    while let Some(s) = segs.next() {
        if s.len() <= 12 && SEGS.iter().any(|x| s.eq_ignore_ascii_case(x)) {
            return segs.next().map(|slug| slug.len() >= 2).unwrap_or(false);
        }
    }
    false
}

/// A cheap test, without allocating, that the class or id may name a byline or an author.
fn maybe_byline_attr(n: &crate::dom::Node) -> bool {
    [n.attr("class"), n.attr("id")].into_iter().flatten().any(|v| {
        let b = v.as_bytes();
        // "author" and "byline" both have a 'u' or a 'y' at their second letter: look there only
        b.iter().enumerate().any(|(i, c)| {
            matches!(c, b'u' | b'U' | b'y' | b'Y')
                && i >= 1
                && (b[i - 1..].len() >= 6
                    && (b[i - 1..i + 5].eq_ignore_ascii_case(b"author")
                        || b[i - 1..i + 5].eq_ignore_ascii_case(b"byline")))
        }) || v.split_whitespace().any(|w| w == "fn")
    })
}

/// Lower-case letters and digits only.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// An author name that stands for the site (its name, its host) or a staff account.
fn weak_author(a: &str, sites: &[String]) -> bool {
    let sq = squash(a);
    if sq.is_empty() {
        return true;
    }
    let lower = a.to_lowercase();
    if lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "staff" | "admin" | "team" | "editors" | "editorial" | "desk" | "newsroom"
        )
    }) {
        return true;
    }
    site_named(a, sites)
}

/// An author name that is the site's name (or holds it, or is held in it).
fn site_named(a: &str, sites: &[String]) -> bool {
    let sq = squash(a);
    !sq.is_empty()
        && sites
            .iter()
            .any(|s| sq == *s || (s.len() >= 4 && sq.contains(s.as_str())) || (sq.len() >= 4 && s.contains(&sq)))
}

/// Is node `i` inside the site's navigation (a `<nav>`, header/footer or menu)?
/// An ancestor that also holds the headline `h1` is the page's frame, not a menu.
fn in_navigation(dom: &Dom, i: usize, h1: Option<usize>) -> bool {
    let mut k = dom.nodes[i].parent;
    for _ in 0..10 {
        let Some(n) = dom.nodes.get(k as usize) else {
            return false;
        };
        if let Some(h) = h1 {
            if (k as usize) < h && h < dom.subtree_end(k) as usize {
                return false;
            }
        }
        if &*n.tag == "nav" {
            return true;
        }
        // the page's header and footer, not an article's
        if matches!(&*n.tag, "header" | "footer") && n.depth <= 4 {
            return true;
        }
        if matches!(&*n.tag, "body" | "article" | "main") {
            return false;
        }
        let ci = class_id(n);
        let role = n.attr("role").unwrap_or("");
        if ci.contains("menu")
            || role.contains("menu")
            || role == "navigation"
            || ci
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "nav" || w == "navigation")
        {
            return true;
        }
        k = n.parent;
    }
    false
}

/// Is this class/id list that of a byline or an author's name (not of the author's photo, job title or
/// biography)?
fn byline_class(ci: &str) -> bool {
    const NOT_LAST: &[&str] = &[
        "title",
        "role",
        "position",
        "job",
        "jobtitle",
        "desc",
        "description",
        "bio",
        "label",
        "image",
        "img",
        "photo",
        "pic",
        "avatar",
        "social",
        "date",
        "time",
        "count",
        "follow",
        "email",
        "twitter",
        "comment",
        "comments",
        "list",
        "more",
        "about",
        "info",
        "details",
    ];
    ci.split_whitespace()
        .filter(|w| w.contains("author") || w.contains("byline") || *w == "fn")
        .any(|w| {
            let last = w.rsplit(['-', '_']).find(|x| !x.is_empty()).unwrap_or(w);
            !w.contains("comment")
                && (w.contains("name")
                    || !(NOT_LAST.contains(&last) || w.contains("avatar") || w.contains("bio") || w.contains("list")))
        })
}

/// Does this look like a person's (or a desk's) name: 1–5 capitalised words, no digits?
pub fn looks_like_name(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty()
        || t.len() > 60
        || t.chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == '|' || c == ':')
    {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let particles = [
        "de", "da", "van", "von", "la", "le", "del", "der", "di", "and", "bin", "al", "du", "dos", "y",
    ];
    words.iter().all(|w| {
        w.chars()
            .next()
            .map(|c| c.is_uppercase() || !c.is_alphabetic())
            .unwrap_or(false)
            || particles.contains(w)
    }) && ![
        "Home", "Author", "Authors", "Menu", "About", "Contact", "Team", "Staff", "Our Team", "View", "More",
    ]
    .contains(&t)
        && !words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            NOT_NAME_WORDS.contains(&w.as_str())
        })
}

/// Words of interface labels and dates, never part of a person's name.
const NOT_NAME_WORDS: &[&str] = &[
    "login",
    "log",
    "sign",
    "signin",
    "member",
    "members",
    "people",
    "subscribe",
    "newsletter",
    "share",
    "follow",
    "comments",
    "comment",
    "menu",
    "search",
    "name",
    "author",
    "authors",
    "written",
    "posted",
    "by",
    "profile",
    "account",
    "meet",
    "read",
    "view",
    "more",
    "posts",
    "articles",
    "all",
    "see",
    "admin",
    "administrator",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "updated",
    "published",
    "min",
    "minutes",
    "ago",
    "home",
    "contact",
    "about",
    "bio",
    "full",
];

/// The trimmed, non-empty text nodes around the page's first `<h1>`: from `before` nodes ahead of it, at
/// most `limit` of them. Empty when the page has no `<h1>`.
fn texts_near_h1(dom: &Dom, head: Option<usize>, before: usize, limit: usize) -> impl Iterator<Item = &str> {
    let start = head.map(|h1| h1.saturating_sub(before));
    let nodes = start.map(|s| &dom.nodes[s..]).unwrap_or(&[]);
    nodes
        .iter()
        .filter(|n| n.is_text())
        .map(|n| n.text.trim())
        .filter(|t| !t.is_empty())
        .take(limit)
}

/// Does this byline container hold a smaller element classed as the author's name? (Then that
/// element is read, not the container with its job title and bio.)
fn has_name_child(dom: &Dom, i: usize) -> bool {
    let end = (dom.subtree_end(i as u32) as usize).min(i + 60);
    dom.nodes[i + 1..end].iter().any(|c| {
        !c.is_text() && {
            let ci = class_id(c);
            (ci.contains("author") || ci.contains("byline")) && ci.contains("name")
        }
    })
}

/// Credits that are not the author's.
const OTHER_ROLES: &[&str] = &[
    "reviewed",
    "review by",
    "fact check",
    "fact-check",
    "edited by",
    "editor:",
    "photo",
    "illustrat",
    "video by",
    "medically",
    "translated",
];

/// Names in a byline near the headline: a "By …" text, an author link (`rel=author`, `/author/…`)
/// or an element classed as a byline or author name, among the nodes around the first `<h1>`.
fn byline_near_h1(dom: &Dom, head: Option<usize>) -> Vec<String> {
    let Some(h1) = head else {
        return vec![];
    };
    let start = h1.saturating_sub(150);
    let end = (h1 + 400).min(dom.nodes.len());
    // the last short label seen ("Reviewed by", "Photos by") and where it stops applying
    let mut other_role_until = 0usize;
    for i in start..end {
        let n = &dom.nodes[i];
        if n.is_text() {
            let t = n.text.trim();
            let lower = t.to_lowercase();
            if t.len() <= 40 && OTHER_ROLES.iter().any(|r| lower.contains(r)) {
                // the label's element and the one after it
                other_role_until = i + 12;
                continue;
            }
            if t.len() < 100
                && (lower.starts_with("by ") || lower.starts_with("by:") || lower.starts_with("written by"))
                && !in_navigation(dom, i, Some(h1))
            {
                let names: Vec<String> = split_names(t).into_iter().filter(|x| looks_like_name(x)).collect();
                if !names.is_empty() {
                    return names;
                }
            }
            continue;
        }
        let author_link = &*n.tag == "a"
            && (n
                .attr("rel")
                .map(|r| r.to_ascii_lowercase().contains("author"))
                .unwrap_or(false)
                || n.attr("href")
                    .map(|h| {
                        let h = h.to_ascii_lowercase();
                        h.contains("/author/") || h.contains("/authors/") || h.contains("/staff/")
                    })
                    .unwrap_or(false));
        let ci = class_id(n);
        if (author_link
            || ((ci.contains("byline") || ci.contains("author")) && byline_class(&ci) && !has_name_child(dom, i)))
            && i > other_role_until
            && !in_navigation(dom, i, Some(h1))
        {
            let t = text_of_node(dom, i as u32, 200);
            let lower = t.to_lowercase();
            let other = OTHER_ROLES.iter().any(|r| lower.contains(r))
                || ["review", "editor", "fact", "photo", "illustrat"]
                    .iter()
                    .any(|r| ci.contains(r));
            if !t.is_empty() && t.len() < 120 && !other {
                let names: Vec<String> = split_names(&t).into_iter().filter(|x| looks_like_name(x)).collect();
                if !names.is_empty() {
                    return names;
                }
            }
        }
    }
    vec![]
}

/// A visible byline near the headline: "By Jane Doe", or a "Written by" / "Author" label followed by a name.
fn visible_byline(dom: &Dom, head: Option<usize>) -> Vec<String> {
    let mut label = false;
    for t in texts_near_h1(dom, head, 80, 100) {
        if label && looks_like_name(t) {
            return split_names(t);
        }
        let lower = t.to_lowercase();
        let l = lower.trim_end_matches([':', ' ']);
        label = matches!(
            l,
            "by" | "written by"
                | "author"
                | "authors"
                | "contributor"
                | "contributors"
                | "words by"
                | "posted by"
                | "reviewed by"
                | "von"
                | "par"
                | "por"
        );
        if t.len() < 100 && (lower.starts_with("by ") || lower.starts_with("by:") || lower.starts_with("written by ")) {
            let names: Vec<String> = split_names(t).into_iter().filter(|x| looks_like_name(x)).collect();
            if !names.is_empty() {
                return names;
            }
        }
    }
    vec![]
}

/// A name printed right beside the dateline under the headline ("Luke Kim" over "December 17,
/// 2025", "2025-12-17 · Trond Teigen"): the text just before or after the first short date text,
/// separators skipped.
fn name_beside_dateline(dom: &Dom, head: Option<usize>, sites: &[String]) -> Option<String> {
    let h1 = head?;
    let start = dom.subtree_end(h1 as u32) as usize;
    let mut texts: Vec<(usize, &str)> = Vec::new();
    for (k, n) in dom.nodes.iter().enumerate().skip(start) {
        if !n.is_text() {
            continue;
        }
        let t = n.text.trim();
        if !t.chars().any(|c| c.is_alphanumeric()) {
            continue;
        }
        if t.len() > 250 || texts.len() >= 30 {
            break;
        }
        texts.push((k, t));
    }
    let d = texts
        .iter()
        .position(|(_, t)| t.len() <= 30 && date::from_text(t).is_some())?;
    [d.checked_sub(1), Some(d + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| texts.get(j))
        // "Jane Doe in Gardening": the name before the section link
        .map(|(k, t)| (k, t.strip_suffix(" in").unwrap_or(t).trim_end()))
        .find(|(k, t)| {
            let words = t.split_whitespace().count();
            let lower = t.to_lowercase();
            (2..=4).contains(&words)
                && looks_like_name(t)
                && !t.contains('&')
                && !lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| ROLE_WORDS.contains(&w))
                && !weak_author(t, sites)
                && !in_link_to_section(dom, **k)
                && !in_navigation(dom, **k, head)
        })
        .map(|(_, t)| t.to_string())
}

/// Words of a job title or a publication's name, never of a person's name.
const ROLE_WORDS: &[&str] = &[
    "founder",
    "director",
    "editor",
    "writer",
    "manager",
    "ceo",
    "president",
    "officer",
    "head",
    "lead",
    "contributor",
    "reporter",
    "correspondent",
    "marketing",
    "senior",
    "chief",
    "forum",
    "blog",
    "news",
    "magazine",
    "journal",
];

/// Is text node `i` inside a link to a section, category or tag page (a kicker, not a name)?
fn in_link_to_section(dom: &Dom, i: usize) -> bool {
    let mut k = dom.nodes[i].parent;
    for _ in 0..4 {
        let Some(n) = dom.nodes.get(k as usize) else {
            return false;
        };
        if &*n.tag == "a" {
            let h = n.attr("href").unwrap_or("").to_ascii_lowercase();
            return ["/category/", "/categories/", "/tag/", "/tags/", "/topic", "/section/"]
                .iter()
                .any(|w| h.contains(w));
        }
        k = n.parent;
    }
    false
}

fn visible_date(dom: &Dom, head: Option<usize>) -> Option<String> {
    visible_dates(dom, head).into_iter().next()
}

/// Short date texts near the page's first `<h1>` (datelines), in document order.
fn visible_dates(dom: &Dom, head: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    // look a little before the h1 (datelines above the title) and further after it
    for t in texts_near_h1(dom, head, 60, 80) {
        if t.len() <= 80 {
            if let Some(d) = date::from_text(t) {
                out.push(d);
            }
        }
    }
    out
}

fn modified_date(lds: &[(Ld, u8)], m: &HashMap<String, String>, microdata: &HashMap<&str, String>) -> Option<String> {
    let ld_first = |f: &dyn Fn(&Ld) -> Option<String>| lds.iter().find_map(|(l, _)| f(l));
    ld_first(&|l| l.modified.as_deref().and_then(date::normalize))
        .or_else(|| {
            [
                "article:modified_time",
                "og:updated_time",
                "dateModified",
                "last-modified",
                "dcterms.modified",
            ]
            .iter()
            .find_map(|k| m.get(&k.to_ascii_lowercase()).and_then(|v| date::normalize(v)))
        })
        .or_else(|| microdata.get("dateModified").and_then(|v| date::normalize(v)))
}

pub fn extract(dom: &Dom, page_url: Option<&str>) -> Meta {
    let mut lds = Vec::new();
    for raw in &dom.json_ld {
        if raw.len() > 4 * 1024 * 1024 {
            continue;
        }
        if let Some(v) = parse_ld(raw) {
            walk_ld(&v, &mut lds, 0);
        }
    }
    // JSON-LD carried in a <meta> (name="script:ld+json") by some frameworks
    for n in dom.nodes.iter().filter(|n| &*n.tag == "meta") {
        let key = n.attr("name").or(n.attr("property")).unwrap_or("");
        if key.len() >= 7 && key.to_ascii_lowercase().ends_with("ld+json") {
            if let Some(v) = n.attr("content").and_then(parse_ld) {
                walk_ld(&v, &mut lds, 0);
            }
        }
    }
    lds.sort_by_key(|(_, p)| *p);
    let ld_first = |f: &dyn Fn(&Ld) -> Option<String>| lds.iter().find_map(|(l, _)| f(l));
    let m = meta_map(dom);
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            m.get(*k)
                .map(|v| html_unescape(v.split('\u{1}').next().unwrap_or(v).trim()))
                .filter(|v| !v.is_empty())
        })
    };

    let mut out = Meta::default();

    // h1s and <title>
    let mut microdata: HashMap<&str, String> = HashMap::new();
    let mut time_dates: Vec<String> = Vec::new();
    let mut bylines: Vec<String> = Vec::new();
    let mut rel_authors: Vec<String> = Vec::new();
    let mut href_authors: Vec<String> = Vec::new();
    let mut canonical = None;
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.is_text() {
            continue;
        }
        match &*n.tag {
            "h1" if out.h1s.len() < 10 => {
                let t = text_of_node(dom, i as u32, 500);
                if !t.is_empty() {
                    out.h1s.push(t);
                }
            }
            "title" if out.html_title.is_none() => {
                let t = text_of_node(dom, i as u32, 500);
                if !t.is_empty() {
                    out.html_title = Some(t);
                }
            }
            "link" => {}
            "time" if time_dates.len() < 10 => {
                if let Some(d) = n.attr("datetime").and_then(date::normalize) {
                    time_dates.push(d);
                } else if let Some(d) = date::from_text(&text_of_node(dom, i as u32, 200)) {
                    time_dates.push(d);
                }
            }
            "a" if rel_authors.len() < 5 || href_authors.len() < 5 => {
                if n.attr("rel")
                    .map(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case("author")))
                    .unwrap_or(false)
                {
                    let t = text_of_node(dom, i as u32, 200);
                    if !t.is_empty() && t.len() < 80 {
                        rel_authors.push(t);
                    }
                } else if let Some(h) = n.attr("href") {
                    if author_href(h) && !in_navigation(dom, i, None) {
                        let t = text_of_node(dom, i as u32, 200);
                        if looks_like_name(&t) {
                            href_authors.push(t);
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(ip) = n.attr("itemprop") {
            for key in ["headline", "author", "datePublished", "dateModified", "name"] {
                if ip.split_whitespace().any(|x| x == key) && !microdata.contains_key(key) {
                    let v = if key == "author" {
                        // the author's name may be a nested itemprop=name
                        text_of_node(dom, i as u32, 200)
                    } else {
                        n.attr("content")
                            .or(n.attr("datetime"))
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| text_of_node(dom, i as u32, 300))
                    };
                    if !v.is_empty() {
                        microdata.insert(key, v);
                    }
                }
            }
        }
        if bylines.len() < 20
            && !matches!(&*n.tag, "meta" | "body" | "html" | "article" | "main" | "link")
            && maybe_byline_attr(n)
        {
            let ci = class_id(n);
            if (ci.contains("byline") || ci.contains("author") || ci.split_whitespace().any(|w| w == "fn"))
                && byline_class(&ci)
                && !has_name_child(dom, i)
            {
                let t = text_of_node(dom, i as u32, 200);
                if !t.is_empty() && t.len() < 120 {
                    bylines.push(t);
                } else if t.len() >= 120 {
                    // an author box: its first short text, when it is a name
                    let end = (dom.subtree_end(i as u32) as usize).min(i + 40);
                    if let Some(name) = dom.nodes[i + 1..end]
                        .iter()
                        .filter(|c| c.is_text() && !c.text.trim().is_empty())
                        .take(3)
                        .map(|c| c.text.trim())
                        .find(|t| looks_like_name(t) && t.contains(' '))
                    {
                        bylines.push(name.to_string());
                    }
                }
            }
        }
    }
    for n in &dom.nodes {
        if &*n.tag == "link" {
            if let (Some(rel), Some(href)) = (n.attr("rel"), n.attr("href")) {
                if rel.eq_ignore_ascii_case("canonical") && canonical.is_none() {
                    canonical = Some(href.to_string());
                }
            }
        }
    }

    // Title
    out.title = ld_first(&|l| if l.is_article { l.headline.clone() } else { None })
        .or_else(|| {
            get(&[
                "og:title",
                "twitter:title",
                "dc.title",
                "dcterms.title",
                "parsely-title",
                "sailthru.title",
            ])
        })
        .or_else(|| microdata.get("headline").cloned());
    out.title = out.title.map(|t| crate::dom::cut(t.trim(), 1000).to_string());
    // The headline element: bylines and datelines are read around it.
    let hints: Vec<&str> = out
        .title
        .iter()
        .chain(out.html_title.iter())
        .map(|s| s.as_str())
        .collect();
    let head = dateline::headline(dom, &hints);

    // Authors
    // The site's own names (an author by these names is the site, not a person).
    let host_lbl = page_url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().and_then(crate::title::host_label));
    let mut sites: Vec<String> = ["og:site_name", "application-name", "twitter:site", "publisher"]
        .iter()
        .filter_map(|k| m.get(*k))
        .map(|v| squash(v.trim_start_matches('@')))
        .chain(lds.iter().filter_map(|(l, _)| l.publisher.as_deref().map(squash)))
        .chain(host_lbl)
        .filter(|s| s.len() >= 3)
        .collect();
    if let Some(t) = &out.html_title {
        if let Some(i) = t.rfind(" | ").or_else(|| t.rfind(" - ")) {
            sites.push(squash(&t[i + 3..]));
        }
    }
    let mut authors: Vec<String> = lds
        .iter()
        .filter(|(l, _)| !l.authors.is_empty())
        .min_by_key(|(l, _)| l.authors.iter().all(|a| weak_author(a, &sites)))
        .map(|(l, _)| l.authors.clone())
        .unwrap_or_default();
    let mut username: Option<String> = None;
    if authors.is_empty() {
        for key in [
            "author",
            "article:author",
            "dc.creator",
            "parsely-author",
            "sailthru.author",
            "twitter:creator",
            "byl",
        ] {
            if let Some(v) = m.get(key) {
                for part in v.split('\u{1}') {
                    if part.starts_with("http") || (key == "twitter:creator" && part.starts_with('@')) {
                        continue;
                    }
                    let p = part.trim();
                    if !p.contains(' ') && (p.chars().all(|c| !c.is_uppercase()) || p.contains('.')) {
                        if username.is_none() {
                            username = Some(p.to_string());
                        }
                        continue;
                    }
                    authors.extend(split_names(part));
                }
                if !authors.is_empty() {
                    break;
                }
            }
        }
    }
    if authors.is_empty() {
        if let Some(a) = microdata.get("author") {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        if let Some(a) = rel_authors.first() {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        for b in &bylines {
            let names: Vec<String> = split_names(b).into_iter().filter(|n| looks_like_name(n)).collect();
            if !names.is_empty() {
                authors = names;
                break;
            }
        }
    }
    if authors.is_empty() {
        if let Some(a) = href_authors.first() {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        authors = visible_byline(dom, head);
    }
    if authors.is_empty() {
        authors.extend(name_beside_dateline(dom, head, &sites));
    }
    if authors.is_empty() {
        // "Written by Jane Doe" anywhere (author boxes at the end of the article)
        let mut label = false;
        for n in dom.nodes.iter().filter(|n| n.is_text()).take(100_000) {
            let t = n.text.trim();
            if t.is_empty() {
                continue;
            }
            if label && looks_like_name(t) && t.contains(' ') {
                authors = split_names(t);
                break;
            }
            if t.len() >= 70 {
                label = false;
                continue;
            }
            let l = t.to_ascii_lowercase();
            label = matches!(
                l.trim_end_matches([':', ' ']),
                "written by" | "posted by" | "article by" | "author" | "about the author" | "words by"
            );
            {
                if l.starts_with("written by ") || l.starts_with("posted by ") || l.starts_with("article by ") {
                    let names: Vec<String> = split_names(t).into_iter().filter(|x| looks_like_name(x)).collect();
                    if !names.is_empty() {
                        authors = names;
                        break;
                    }
                }
            }
        }
    }
    if authors.is_empty() {
        if let Some(org) = lds.iter().find_map(|(l, _)| l.org_authors.first().cloned()) {
            authors = vec![org];
        } else if let Some(u) = username {
            authors = vec![u];
        }
    }
    // An author that is the site itself (or its staff account) gives way to a person named in a
    // visible byline.
    if !authors.is_empty() && authors.iter().all(|a| weak_author(a, &sites)) {
        let person = byline_near_h1(dom, head)
            .into_iter()
            .find(|n| looks_like_name(n) && !weak_author(n, &sites) && n.contains(' '));
        if let Some(p) = person {
            authors = vec![p];
        }
    }
    // Beside people, the site's own name in a byline is not an author ("Jane Doe and The Herald").
    if authors.len() > 1 && authors.iter().any(|a| !site_named(a, &sites)) {
        authors.retain(|a| !site_named(a, &sites));
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));
    authors.truncate(12);
    out.authors = authors;

    // Dates: a date in the URL, then the dateline a reader sees under the headline, then metadata.
    let lines = head.map(|h| dateline::find(dom, h)).unwrap_or_default();
    let meta_pub = ld_first(&|l| l.published.as_deref().and_then(date::normalize))
        .or_else(|| {
            [
                "article:published_time",
                "og:published_time",
                "published_time",
                "datepublished",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "dcterms.date",
                "pubdate",
                "publishdate",
                "publish-date",
                "parsely-pub-date",
                "sailthru.date",
                "article.published",
                "citation_publication_date",
                "citation_date",
                "date.available",
            ]
            .iter()
            .find_map(|k| m.get(*k).and_then(|v| date::normalize(v)))
        })
        .or_else(|| microdata.get("datePublished").and_then(|v| date::normalize(v)))
        .or_else(|| {
            // any other date-like meta key
            let mut keys: Vec<&String> = m
                .keys()
                .filter(|k| {
                    (k.contains("date") || k.contains("publish")) && !k.contains("modif") && !k.contains("update")
                })
                .collect();
            keys.sort();
            keys.iter().find_map(|k| m.get(*k).and_then(|v| date::normalize(v)))
        });
    let modified = modified_date(&lds, &m, &microdata);
    let page_dates = dateline::scan_page(dom);
    out.published = page_url
        .and_then(date::from_url)
        .or(page_dates.original)
        .or_else(|| {
            lines
                .published
                .as_deref()
                .map(|d| dateline::reconcile(d, meta_pub.as_deref(), modified.as_deref()))
        })
        .or(page_dates.labelled)
        .or(meta_pub)
        .or_else(|| time_dates.first().cloned())
        .or_else(|| visible_date(dom, head))
        .or_else(|| bylines.iter().find_map(|b| date::from_text(b)))
        .or_else(|| modified.clone())
        .or(page_dates.first);
    out.modified = modified;

    // Other fields
    out.language = dom
        .nodes
        .iter()
        .find(|n| &*n.tag == "html")
        .and_then(|n| n.attr("lang"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.len() < 20)
        .or_else(|| get(&["og:locale", "content-language", "dc.language", "language"]).map(|s| s.replace('_', "-")))
        .or_else(|| ld_first(&|l| l.language.clone()));
    out.site_name = get(&["og:site_name", "application-name", "publisher", "twitter:site"])
        .map(|s| s.trim_start_matches('@').to_string())
        .or_else(|| ld_first(&|l| l.publisher.clone()));
    out.image = get(&[
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| ld_first(&|l| l.image.clone()));
    out.description = get(&["og:description", "description", "twitter:description", "dc.description"])
        .or_else(|| ld_first(&|l| l.description.clone()));
    out.url = canonical
        .or_else(|| get(&["og:url"]))
        .or_else(|| ld_first(&|l| l.url.clone()));
    out.host = page_url
        .or(out.url.as_deref())
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase()));
    out.article_body = lds.iter().filter_map(|(l, _)| l.body.clone()).max_by_key(|b| b.len());
    out
}
