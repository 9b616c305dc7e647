//! Bylines found in the page: elements classed as a byline or an author, author links, "By …"
//! texts and labels near the headline, a name beside the dateline; and what is the site's
//! navigation rather than the article.

use super::names::{looks_like_name, split_names, weak_author};
use super::text::{text_of_node, texts_near_h1};
use crate::date;
use crate::dom::Dom;

pub(super) fn class_id(n: &crate::dom::Node) -> String {
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
pub(super) fn author_href(h: &str) -> bool {
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
pub(super) fn maybe_byline_attr(n: &crate::dom::Node) -> bool {
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

/// Is node `i` inside the site's navigation (a `<nav>`, header/footer or menu)?
/// An ancestor that also holds the headline `h1` is the page's frame, not a menu.
pub(super) fn in_navigation(dom: &Dom, i: usize, h1: Option<usize>) -> bool {
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
pub(super) fn byline_class(ci: &str) -> bool {
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

/// Does this byline container hold a smaller element classed as the author's name? (Then that
/// element is read, not the container with its job title and bio.)
pub(super) fn has_name_child(dom: &Dom, i: usize) -> bool {
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
pub(super) fn byline_near_h1(dom: &Dom, head: Option<usize>) -> Vec<String> {
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
pub(super) fn visible_byline(dom: &Dom, head: Option<usize>) -> Vec<String> {
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
pub(super) fn name_beside_dateline(dom: &Dom, head: Option<usize>, sites: &[String]) -> Option<String> {
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
