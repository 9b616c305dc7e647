//! Text helpers: HTML entities in metadata values, a case-insensitive find, the text of a node and
//! the texts around the headline.

use crate::dom::{push_collapsed, Dom};

/// Metadata text with its character references decoded (the workspace's one decoder); `&nbsp;` is a
/// plain space here, as titles and names are compared and shown on one line.
pub fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    newsdesk_entities::decode_html(&s.replace("&nbsp;", " "))
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

pub(super) fn text_of_node(dom: &Dom, i: u32, max: usize) -> String {
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

/// The trimmed, non-empty text nodes around the page's first `<h1>`: from `before` nodes ahead of it, at
/// most `limit` of them. Empty when the page has no `<h1>`.
pub(super) fn texts_near_h1(dom: &Dom, head: Option<usize>, before: usize, limit: usize) -> impl Iterator<Item = &str> {
    let start = head.map(|h1| h1.saturating_sub(before));
    let nodes = start.map(|s| &dom.nodes[s..]).unwrap_or(&[]);
    nodes
        .iter()
        .filter(|n| n.is_text())
        .map(|n| n.text.trim())
        .filter(|t| !t.is_empty())
        .take(limit)
}
