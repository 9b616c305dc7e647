//! HTML helpers: the allowlist sanitizer for article HTML, escaping, highlighted snippets, dates.

use std::collections::HashSet;

use crate::store::search::{HIGHLIGHT_END, HIGHLIGHT_START};

/// Article HTML made safe to show: only an allowlist of tags and attributes survives (no script, style,
/// iframe, form, meta or event handler), URLs must be http, https or mailto (relative ones are resolved
/// against the article's URL), and links open without a referrer or opener.
pub fn sanitize(html: &str, base_url: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b.link_rel(Some("noopener noreferrer nofollow ugc"));
    b.add_tags(["figure", "figcaption", "picture", "time"]);
    b.add_tag_attributes("time", ["datetime"]);
    match url::Url::parse(base_url) {
        Ok(base) if matches!(base.scheme(), "http" | "https") => {
            b.url_relative(ammonia::UrlRelative::RewriteWithBase(base));
        }
        _ => {
            b.url_relative(ammonia::UrlRelative::Deny);
        }
    }
    with_alt_text(&b.clean(html).to_string())
}

/// Give every `<img>` of sanitized HTML an `alt` attribute (empty when the source had none: decorative for
/// screen readers rather than read out as a file name). Works on the serializer's output, where attribute
/// values are always double-quoted.
fn with_alt_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(i) = rest.find("<img") {
        out.push_str(&rest[..i]);
        let tag_start = &rest[i..];
        let mut in_quotes = false;
        let mut end = tag_start.len();
        for (j, c) in tag_start.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                '>' if !in_quotes => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let tag = &tag_start[..end];
        out.push_str(tag);
        if !tag.contains(" alt=") {
            out.push_str(" alt=\"\"");
        }
        rest = &tag_start[end..];
    }
    out.push_str(rest);
    out
}

/// Escape text for HTML content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A snippet from the store as HTML: text escaped, matches wrapped in `<mark>`.
pub fn snippet_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut open = false;
    for c in s.chars() {
        match c {
            HIGHLIGHT_START if !open => {
                out.push_str("<mark>");
                open = true;
            }
            HIGHLIGHT_END if open => {
                out.push_str("</mark>");
                open = false;
            }
            HIGHLIGHT_START | HIGHLIGHT_END => {}
            _ => out.push_str(&escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// A stored time as `2024-05-01 10:00 UTC` (the stored string itself when it is not RFC 3339).
pub fn display_time(s: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => t.with_timezone(&chrono::Utc).format("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => s.to_string(),
    }
}

/// A stored time as RFC 3339 in UTC, or `fallback` when it cannot be read.
pub fn rfc3339_or(s: Option<&str>, fallback: &str) -> String {
    s.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|| fallback.to_string())
}

/// The host of a URL without `www.`, as a fallback outlet name.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()))
        .unwrap_or_default()
}

/// Only http(s) URLs are ever put into `href`/`src` attributes of the page.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_html_is_neutralised() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><img src="/a.png" onerror="alert(2)">
            <a href="javascript:alert(3)">j</a><a href="rel/page">r</a>
            <meta http-equiv="refresh" content="0;url=https://evil.example/"><iframe src="https://e.example"></iframe>
            <style>body{display:none}</style><form action="https://e.example"><input name=a></form></p>"#;
        let clean = sanitize(dirty, "https://news.example/story/1");
        for bad in [
            "script",
            "onerror",
            "onclick",
            "javascript:",
            "meta",
            "refresh",
            "iframe",
            "style",
            "form",
            "input",
        ] {
            assert!(!clean.to_ascii_lowercase().contains(bad), "{bad} survived: {clean}");
        }
        assert!(clean.contains(r#"src="https://news.example/a.png""#), "{clean}");
        assert!(
            clean.contains(r#"href="https://news.example/story/rel/page""#),
            "{clean}"
        );
        assert!(clean.contains("noopener"), "{clean}");
        assert!(clean.contains(r#"alt="""#), "images get alt text: {clean}");
        let kept = sanitize(
            r#"<img src="https://a.example/p.jpg" alt="A > B">"#,
            "https://a.example/",
        );
        assert_eq!(kept.matches("alt=").count(), 1, "{kept}");
    }

    #[test]
    fn snippets_escape_text_and_mark_matches() {
        let s = format!("a <b> {HIGHLIGHT_START}tidal{HIGHLIGHT_END} & {HIGHLIGHT_START}x");
        assert_eq!(snippet_html(&s), "a &lt;b&gt; <mark>tidal</mark> &amp; <mark>x</mark>");
    }

    #[test]
    fn only_web_urls_are_linked() {
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JAVASCRIPT:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert_eq!(safe_url("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(display_time("2024-05-01T12:00:00+02:00"), "2024-05-01 10:00 UTC");
    }
}
