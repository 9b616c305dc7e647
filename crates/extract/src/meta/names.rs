//! Names: an author string split into names, what a person's name looks like, and the site's own
//! names (an author by these names is the site, not a person).

use super::text::{find_ci, html_unescape};
use crate::date;

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

/// The distinctive label of a host: `news.example.co.uk` → `example`.
pub fn host_label(host: &str) -> Option<String> {
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    labels.pop();
    if labels.len() >= 2 {
        if let Some(l) = labels.last() {
            if l.len() <= 3 && matches!(*l, "co" | "com" | "org" | "net" | "gov" | "ac" | "edu" | "or" | "ne") {
                labels.pop();
            }
        }
    }
    let l: String = labels
        .last()?
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect();
    (l.len() >= 3).then_some(l)
}

/// Lower-case letters and digits only.
pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// An author name that stands for the site (its name, its host) or a staff account.
pub(super) fn weak_author(a: &str, sites: &[String]) -> bool {
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
pub(super) fn site_named(a: &str, sites: &[String]) -> bool {
    let sq = squash(a);
    !sq.is_empty()
        && sites
            .iter()
            .any(|s| sq == *s || (s.len() >= 4 && sq.contains(s.as_str())) || (sq.len() >= 4 && s.contains(&sq)))
}
