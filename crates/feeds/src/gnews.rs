//! Google News item semantics: `Headline - Outlet` titles, related-coverage lists, article link tokens.

use serde::{Deserialize, Serialize};

/// One entry of the related-coverage list in a Google News item description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub headline: String,
    pub outlet: String,
    pub link: String,
}

/// What an article link says about the publisher URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ArticleLink {
    /// The publisher URL, decoded offline from the token.
    Decoded(String),
    /// A Google News token that needs the online exchange (`AU_yqL…` payloads); holds the token id.
    Unresolved(String),
    /// Not a Google News article link.
    NotGoogle,
}

pub fn is_google_news(url: &str) -> bool {
    url.contains("news.google.com")
}

/// Splits a Google News title `Headline - Outlet` on its last ` - `. When the item's `<source>` title is
/// given and ends the title, that is the split; otherwise the tail must look like an outlet name (short,
/// not a sentence). Titles without an outlet come back whole.
pub fn split_title(title: &str, source_title: Option<&str>) -> (String, Option<String>) {
    let title = title.trim();
    if let Some(source) = source_title.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in [" - ", " | ", " – ", " — "] {
            let suffix = format!("{sep}{source}");
            let Some(cut) = title.len().checked_sub(suffix.len()).filter(|c| *c > 0) else {
                continue;
            };
            if title.is_char_boundary(cut)
                && title[cut..].starts_with(sep)
                && title[cut..].to_lowercase() == suffix.to_lowercase()
            {
                return (
                    title[..cut].trim().to_string(),
                    Some(title[cut + sep.len()..].trim().to_string()),
                );
            }
        }
    }
    let Some(at) = title.rfind(" - ") else {
        return (title.to_string(), None);
    };
    let (headline, outlet) = (title[..at].trim(), title[at + 3..].trim());
    if headline.is_empty() || !looks_like_outlet(outlet) {
        return (title.to_string(), None);
    }
    (headline.to_string(), Some(outlet.to_string()))
}

/// Outlet names are short and do not end like sentences.
fn looks_like_outlet(s: &str) -> bool {
    let words = s.split_whitespace().count();
    !s.is_empty() && s.chars().count() <= 60 && words <= 7 && !s.ends_with(['.', '?', '!', ':', ','])
}

/// Parses the related-coverage list of a Google News description:
/// `<ol><li><a href="…">headline</a>&nbsp;&nbsp;<font color="…">Outlet</font></li>…</ol>`, or a single
/// `<a>…</a>&nbsp;&nbsp;<font>…</font>` without the list. Headlines and outlets come out as plain text.
pub fn related_coverage(description_html: &str) -> Vec<Related> {
    let mut out = Vec::new();
    let lower = description_html.to_ascii_lowercase();
    let mut from = 0;
    // The next `</font>` at or after `.0`; every outlet without one would otherwise search to the end.
    let mut font_end: Option<(usize, Option<usize>)> = None;
    while let Some(a_at) = find_tag(&lower, "<a", from) {
        let Some(open_end) = lower[a_at..].find('>').map(|i| a_at + i + 1) else {
            break;
        };
        let Some(close_at) = lower[open_end..].find("</a>").map(|i| open_end + i) else {
            break;
        };
        let link = attr_value(&description_html[a_at..open_end], "href").unwrap_or_default();
        let headline = crate::entities::html_to_text(&description_html[open_end..close_at]);
        from = close_at + 4;
        // The outlet follows in a <font> before the next link.
        let next_a = find_tag(&lower, "<a", from).unwrap_or(lower.len());
        let outlet = find_tag(&lower[..next_a], "<font", from).and_then(|f| {
            let start = lower[f..].find('>').map(|i| f + i + 1)?;
            let end = match font_end {
                Some((searched_from, found)) if searched_from <= start && found.is_none_or(|e| e >= start) => found,
                _ => {
                    let found = lower[start..].find("</font>").map(|i| start + i);
                    font_end = Some((start, found));
                    found
                }
            }?;
            Some(crate::entities::html_to_text(&description_html[start..end]))
        });
        if let Some(outlet) = outlet.filter(|o| !o.is_empty()) {
            if !headline.is_empty() {
                out.push(Related {
                    headline,
                    outlet,
                    link: crate::entities::decode_html(link.trim()),
                });
            }
        }
    }
    out
}

/// The position of `<tag` followed by whitespace or `>`, from `from` on (input lower-cased).
fn find_tag(lower: &str, tag: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = lower.get(at..)?.find(tag) {
        let pos = at + i;
        match lower.as_bytes().get(pos + tag.len()) {
            Some(c) if c.is_ascii_whitespace() || *c == b'>' => return Some(pos),
            _ => at = pos + tag.len(),
        }
    }
    None
}

/// An attribute value from an HTML start tag (quoted or not).
fn attr_value(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[at + name.len()..].trim_start();
        let Some(value) = rest.strip_prefix('=').map(str::trim_start).filter(|_| before_ok) else {
            continue;
        };
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// What a Google News article link says about the publisher URL, decoded offline.
///
/// `news.google.com/rss/articles/<token>` and `/articles/<token>` carry a base64url protobuf. In the
/// older form (`CBMi…`) field 4 holds the publisher URL; in the newer form field 4 holds an `AU_yqL…`
/// id that only Google can exchange for the URL, so the token comes back [`ArticleLink::Unresolved`].
pub fn decode_article_link(url: &str) -> ArticleLink {
    let Ok(parsed) = url::Url::parse(url.trim()) else {
        return ArticleLink::NotGoogle;
    };
    if !parsed
        .host_str()
        .is_some_and(|h| h == "news.google.com" || h.ends_with(".news.google.com"))
    {
        return ArticleLink::NotGoogle;
    }
    let segments: Vec<&str> = parsed.path_segments().map(|s| s.collect()).unwrap_or_default();
    let Some(token) = segments
        .windows(2)
        .find(|w| matches!(w[0], "articles" | "read"))
        .map(|w| w[1])
        .filter(|t| !t.is_empty())
    else {
        return ArticleLink::NotGoogle;
    };
    match publisher_url_from_token(token) {
        Some(u) => ArticleLink::Decoded(u),
        None => ArticleLink::Unresolved(token.to_string()),
    }
}

/// The older-form article token for `payload` (the inverse of [`decode_article_link`]'s reading): a base64url
/// protobuf with field 1 = 19, field 4 = the payload (a publisher URL, or an `AU_yqL…` id in the newer form)
/// and an empty field 26, as Google News writes them. For local servers and tests that stand in for Google News.
pub fn encode_article_token(payload: &str) -> String {
    use base64::Engine;
    let mut p = vec![0x08, 0x13, 0x22];
    let mut len = payload.len();
    while len >= 0x80 {
        p.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    p.push(len as u8);
    p.extend_from_slice(payload.as_bytes());
    p.extend_from_slice(&[0xd2, 0x01, 0x00]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p)
}

/// Field 4 of the token's protobuf, when it is an http(s) URL.
fn publisher_url_from_token(token: &str) -> Option<String> {
    use base64::Engine;
    let trimmed = token.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .ok()?;
    let mut i = 0;
    while i < bytes.len() {
        let (key, n) = varint(&bytes[i..])?;
        i += n;
        let (field, wire) = (key >> 3, key & 7);
        match wire {
            0 => i += varint(&bytes[i..])?.1,
            2 => {
                let (len, n) = varint(&bytes[i..])?;
                i += n;
                let end = i.checked_add(usize::try_from(len).ok()?)?;
                let value = bytes.get(i..end)?;
                if field == 4 {
                    let s = std::str::from_utf8(value).ok()?;
                    return (s.starts_with("http://") || s.starts_with("https://")).then(|| s.to_string());
                }
                i = end;
            }
            1 => i += 8,
            5 => i += 4,
            _ => return None,
        }
    }
    None
}

/// A protobuf varint: the value and the bytes it took.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// Builds an older-form token: field 1 = 19, field 4 = the URL.
    fn cbmi_token(url: &str) -> String {
        encode_article_token(url)
    }

    #[test]
    fn split_on_last_dash_when_the_tail_is_an_outlet() {
        let t = "European nations commit to troops in Ukraine - as part of talks - ABC News";
        assert_eq!(
            split_title(t, None),
            (
                "European nations commit to troops in Ukraine - as part of talks".into(),
                Some("ABC News".into())
            )
        );
        assert_eq!(split_title("No outlet here", None), ("No outlet here".into(), None));
        let sentence = "Markets fall - and this is why investors are worried about the coming weeks.";
        assert_eq!(split_title(sentence, None).1, None);
    }

    #[test]
    fn split_prefers_the_source_title() {
        let t = "Storm hits coast - Live updates - The New York Times - International Edition";
        let (h, o) = split_title(t, Some("The New York Times - International Edition"));
        assert_eq!(h, "Storm hits coast - Live updates");
        assert_eq!(o.as_deref(), Some("The New York Times - International Edition"));
    }

    #[test]
    fn split_is_safe_with_multibyte_titles() {
        assert_eq!(
            split_title("Ümlaut İstanbul - Źródło", Some("źródło")).1.as_deref(),
            Some("Źródło")
        );
        assert_eq!(split_title("İİİ", Some("i")), ("İİİ".into(), None));
        assert_eq!(split_title("x - ", Some("x")), ("x -".into(), None));
    }

    #[test]
    fn related_coverage_from_list_and_single_link() {
        let html = "<ol><li><a href=\"https://news.google.com/rss/articles/A?oc=5\" target=\"_blank\">First &amp; best</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">ABC News</font></li><li><a href=\"https://x/B\">Second</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">Reuters</font></li></ol>";
        let r = related_coverage(html);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0],
            Related {
                headline: "First & best".into(),
                outlet: "ABC News".into(),
                link: "https://news.google.com/rss/articles/A?oc=5".into()
            }
        );
        assert_eq!(r[1].outlet, "Reuters");
        let single = related_coverage("<a href='https://x/C'>Only</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">BBC</font>");
        assert_eq!(
            single,
            vec![Related {
                headline: "Only".into(),
                outlet: "BBC".into(),
                link: "https://x/C".into()
            }]
        );
        assert!(related_coverage("plain text").is_empty());
    }

    #[test]
    fn older_tokens_decode_to_the_publisher_url() {
        for url in [
            "https://www.example.com/world/2026/01/07/story.html",
            &format!("https://example.org/{}", "a".repeat(200)),
        ] {
            let token = cbmi_token(url);
            assert!(token.starts_with("CBMi"), "{token}");
            assert_eq!(
                decode_article_link(&format!("https://news.google.com/rss/articles/{token}?oc=5")),
                ArticleLink::Decoded(url.to_string())
            );
            assert_eq!(
                decode_article_link(&format!("https://news.google.com/articles/{token}==")),
                ArticleLink::Decoded(url.to_string())
            );
        }
    }

    #[test]
    fn newer_tokens_are_unresolved_and_others_not_google() {
        let payload = [&[0x08u8, 0x13, 0x22, 0x06][..], b"AU_yqL"].concat();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
        assert_eq!(
            decode_article_link(&format!("https://news.google.com/rss/articles/{token}?oc=5")),
            ArticleLink::Unresolved(token)
        );
        assert_eq!(
            decode_article_link("https://news.google.com/rss/articles/!!!"),
            ArticleLink::Unresolved("!!!".into())
        );
        assert_eq!(
            decode_article_link("https://example.com/articles/CBMi"),
            ArticleLink::NotGoogle
        );
        assert_eq!(decode_article_link("not a url"), ArticleLink::NotGoogle);
    }
}
