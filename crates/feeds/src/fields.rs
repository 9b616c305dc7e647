//! Reading typed values out of elements: plain-text fields, HTML fields, Atom text constructs, images.

use std::collections::HashSet;

use base64::Engine;

use crate::entities::{collapse_whitespace, html_to_text, looks_like_html};
use crate::urls::{absolutize_html, resolve};
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

/// HTML-carrying field (description, content:encoded) as the feed holds it, unescaped once, with relative
/// URLs resolved against the element's base.
pub(crate) fn html_field(el: &Element) -> Option<String> {
    let html = el.inner_html();
    let html = html.trim();
    (!html.is_empty()).then(|| absolutize_html(el.base.as_deref(), html))
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
    match base64_content(el) {
        Some(Encoded::Text(decoded)) if is_html_type(el) => return html_to_text(&decoded),
        Some(Encoded::Text(decoded)) => return collapse_whitespace(&decoded),
        Some(Encoded::Binary) => return String::new(),
        None => {}
    }
    match atom_type(el) {
        AtomType::Text => collapse_whitespace(&el.text()),
        AtomType::Html => html_to_text(&el.text()),
        AtomType::Xhtml => html_to_text(&el.inner_html()),
    }
}

/// An Atom text construct (summary, content) as HTML: escaped HTML unescaped, XHTML serialised without
/// its wrapping `<div>`, base64 decoded when it is text (binary media is no text: none), plain text as is;
/// relative URLs in it resolved against the element's base.
pub(crate) fn atom_html(el: &Element) -> Option<String> {
    let html = match base64_content(el) {
        Some(Encoded::Text(decoded)) => decoded,
        Some(Encoded::Binary) => return None,
        None => match atom_type(el) {
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
        },
    };
    let html = html.trim();
    (!html.is_empty()).then(|| absolutize_html(el.base.as_deref(), html))
}

/// What base64 content decodes to.
enum Encoded {
    /// UTF-8 text without control characters: shown like any text or HTML content.
    Text(String),
    /// Image, audio, video or other bytes that are not text: kept out of titles, summaries and content.
    Binary,
}

/// Padding is optional: feeds drop it as often as they keep it.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Base64 content, decoded: Atom 0.3 `mode="base64"`, or (RFC 4287 §4.1.3.3, where there is no `mode`) a
/// `type` that is a media type neither textual (`text/*`) nor XML. `None` when the element is not base64,
/// or does not decode as it: a feed that misuses `type` for plain text keeps its text.
fn base64_content(el: &Element) -> Option<Encoded> {
    let media_type = media_type(el);
    let is_base64 = match el.attr("mode") {
        Some(mode) => mode.trim().eq_ignore_ascii_case("base64"),
        None => is_base64_media_type(&media_type) && !el.has_element_children(),
    };
    if !is_base64 {
        return None;
    }
    let raw: String = el.text().split_whitespace().collect();
    let bytes = BASE64.decode(raw).ok()?;
    if ["image/", "audio/", "video/", "font/", "model/"]
        .iter()
        .any(|p| media_type.starts_with(p))
    {
        return Some(Encoded::Binary);
    }
    match String::from_utf8(bytes) {
        Ok(text)
            if !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) =>
        {
            Some(Encoded::Text(text))
        }
        _ => Some(Encoded::Binary),
    }
}

/// The `type` attribute, lower-cased, without parameters (`text/html; charset=utf-8` → `text/html`).
fn media_type(el: &Element) -> String {
    let t = el.attr("type").unwrap_or("").to_ascii_lowercase();
    t.split(';').next().unwrap_or("").trim().to_string()
}

/// RFC 4287 §4.1.3.3: a media type (not the `text`/`html`/`xhtml` keywords) that is neither `text/*` nor
/// an XML type (RFC 3023: `*/xml`, `*+xml`, `*/xml-external-parsed-entity`, `*/xml-dtd`) is base64.
fn is_base64_media_type(t: &str) -> bool {
    t.contains('/')
        && !t.starts_with("text/")
        && !["/xml", "+xml", "/xml-external-parsed-entity", "/xml-dtd"]
            .iter()
            .any(|s| t.ends_with(s))
}

fn is_html_type(el: &Element) -> bool {
    matches!(atom_type(el), AtomType::Html | AtomType::Xhtml)
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
    // A video's or other medium's still: `<media:content medium="video"><media:thumbnail/></media:content>`.
    for g in &groups {
        for c in g.children_named(&["media"], "content") {
            if let Some(url) = c
                .children_named(&["media"], "thumbnail")
                .find_map(|t| url_attr(t, "url"))
            {
                return Some(url);
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

/// The feed's own image: RSS `<image><url>`, Atom `<logo>` (else `<icon>`), `itunes:image`, `media:thumbnail`.
pub(crate) fn feed_image(channel: &Element) -> Option<String> {
    channel
        .children_named(&[""], "image")
        .find_map(|i| i.child(&[""], "url").and_then(url_text))
        .or_else(|| first(channel, &[(&["atom", ""], "logo"), (&["atom", ""], "icon")]).and_then(url_text))
        .or_else(|| {
            channel
                .children_named(&["itunes"], "image")
                .find_map(|i| url_attr(i, "href"))
        })
        .or_else(|| {
            channel
                .children_named(&["media"], "thumbnail")
                .find_map(|t| url_attr(t, "url"))
        })
}
