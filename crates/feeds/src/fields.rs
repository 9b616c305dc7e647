//! Reading typed values out of elements: plain-text fields, HTML fields, Atom text constructs, images.

use std::collections::HashSet;

use base64::Engine;

use crate::entities::{collapse_whitespace, html_to_text, looks_like_html};
use crate::urls::resolve;
use crate::xml::Element;

/// A text field (title, category, source) as plain text: markup dropped, references decoded once more
/// when the text still looks like HTML (escaped tags, double-escaped entities).
pub(crate) fn plain_text(el: &Element) -> String {
    if el.has_element_children() {
        return html_to_text(&el.inner_html());
    }
    let text = el.text();
    if looks_like_html(&text) {
        html_to_text(&text)
    } else {
        collapse_whitespace(&text)
    }
}

/// HTML-carrying field (description, content:encoded) exactly as the feed holds it, unescaped once.
pub(crate) fn html_field(el: &Element) -> Option<String> {
    let html = el.inner_html();
    let html = html.trim();
    (!html.is_empty()).then(|| html.to_string())
}

/// The kind of an Atom text construct, from `type` (Atom 1.0) and `mode` (Atom 0.3).
enum AtomType {
    Text,
    Html,
    Xhtml,
}

fn atom_type(el: &Element) -> AtomType {
    let t = el.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
    match t.as_str() {
        "html" | "text/html" => AtomType::Html,
        "xhtml" | "application/xhtml+xml" => AtomType::Xhtml,
        _ if el.attr("mode").is_some_and(|m| m.eq_ignore_ascii_case("escaped")) => AtomType::Html,
        _ if el.has_element_children() => AtomType::Xhtml,
        _ => AtomType::Text,
    }
}

/// An Atom text construct (title, name) as plain text.
pub(crate) fn atom_text(el: &Element) -> String {
    if let Some(decoded) = base64_content(el) {
        return html_to_text(&decoded);
    }
    match atom_type(el) {
        AtomType::Text => collapse_whitespace(&el.text()),
        AtomType::Html => html_to_text(&el.text()),
        AtomType::Xhtml => html_to_text(&el.inner_html()),
    }
}

/// An Atom text construct (summary, content) as HTML: escaped HTML unescaped, XHTML serialised without
/// its wrapping `<div>`, base64 (Atom 0.3) decoded, plain text as is.
pub(crate) fn atom_html(el: &Element) -> Option<String> {
    let html = if let Some(decoded) = base64_content(el) {
        decoded
    } else {
        match atom_type(el) {
            AtomType::Text | AtomType::Html => el.text(),
            AtomType::Xhtml => {
                let mut children = el.elements();
                match (children.next(), children.next()) {
                    (Some(div), None) if div.local == "div" && el.text().trim() == div.text().trim() => {
                        div.inner_html()
                    }
                    _ => el.inner_html(),
                }
            }
        }
    };
    let html = html.trim();
    (!html.is_empty()).then(|| html.to_string())
}

/// Atom 0.3 `mode="base64"` content, decoded.
fn base64_content(el: &Element) -> Option<String> {
    if !el.attr("mode").is_some_and(|m| m.eq_ignore_ascii_case("base64")) {
        return None;
    }
    let raw: String = el.text().split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(raw).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The first child matching any of `(prefixes, local)` in priority order.
pub(crate) fn first<'a>(el: &'a Element, candidates: &[(&[&str], &str)]) -> Option<&'a Element> {
    candidates.iter().find_map(|(p, l)| {
        el.elements()
            .find(|c| c.is(p, l) && (!c.text().trim().is_empty() || c.has_element_children()))
    })
}

/// A list without repeats, in first-seen order. The set keeps an item with many authors or categories
/// from costing their square.
#[derive(Default)]
pub(crate) struct Unique {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Unique {
    /// Adds `value` unless blank or already there.
    pub(crate) fn push(&mut self, value: Option<String>) {
        if let Some(v) = value.map(|v| v.trim().to_string()) {
            if !v.is_empty() && !self.seen.contains(&v) {
                self.seen.insert(v.clone());
                self.list.push(v);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<String> {
        self.list
    }
}

/// An absolute URL from an attribute, resolved against the element's `xml:base`.
pub(crate) fn url_attr(el: &Element, name: &str) -> Option<String> {
    let v = el.attr(name)?.trim();
    (!v.is_empty()).then(|| resolve(el.base.as_deref(), v))
}

/// An absolute URL from an element's text.
pub(crate) fn url_text(el: &Element) -> Option<String> {
    let v = el.text();
    let v = v.trim();
    (!v.is_empty()).then(|| resolve(el.base.as_deref(), v))
}

fn is_image(type_attr: Option<&str>, medium: Option<&str>, url: &str) -> bool {
    if medium.is_some_and(|m| m.eq_ignore_ascii_case("image")) {
        return true;
    }
    if let Some(t) = type_attr {
        return t.trim().to_ascii_lowercase().starts_with("image/");
    }
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// The item's image: media:thumbnail, media:content (images), an image enclosure (RSS or Atom), itunes:image.
pub(crate) fn image(item: &Element) -> Option<String> {
    let groups: Vec<&Element> = std::iter::once(item)
        .chain(item.children_named(&["media"], "group"))
        .collect();
    for g in &groups {
        if let Some(url) = g
            .children_named(&["media"], "thumbnail")
            .find_map(|t| url_attr(t, "url"))
        {
            return Some(url);
        }
    }
    for g in &groups {
        for c in g.children_named(&["media"], "content") {
            if let Some(url) = url_attr(c, "url") {
                if is_image(c.attr("type"), c.attr("medium"), &url) {
                    return Some(url);
                }
            }
        }
    }
    for e in item.children_named(&[""], "enclosure") {
        if let Some(url) = url_attr(e, "url") {
            if is_image(e.attr("type"), None, &url) {
                return Some(url);
            }
        }
    }
    for l in item.children_named(&["", "atom"], "link") {
        if l.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("enclosure")) {
            if let Some(url) = url_attr(l, "href") {
                if is_image(l.attr("type"), None, &url) {
                    return Some(url);
                }
            }
        }
    }
    item.children_named(&["itunes"], "image")
        .find_map(|i| url_attr(i, "href"))
}
