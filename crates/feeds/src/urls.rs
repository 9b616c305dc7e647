//! Link resolution against `xml:base` and the feed URL.

use url::Url;

/// `href` made absolute against `base`. Absolute links come back exactly as written (trimmed), so the
/// link a feed gives is the link we keep; relative ones stay relative when there is no usable base.
pub(crate) fn resolve(base: Option<&str>, href: &str) -> String {
    // `&amp;` left in a URL after XML unescaping means the feed escaped it twice.
    let unescaped = href.trim().replace("&amp;", "&");
    let href = unescaped.as_str();
    if href.is_empty() || has_scheme(href) {
        return href.to_string();
    }
    match base.map(str::trim).and_then(|b| Url::parse(b).ok()) {
        Some(b) => b.join(href).map(String::from).unwrap_or_else(|_| href.to_string()),
        None => href.to_string(),
    }
}

/// The attributes whose relative URLs are made absolute in HTML content (as feedparser does): links,
/// images and media sources, video posters.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster"];

/// What resolving the URLs of one piece of HTML may add to it, at most: as much again as the HTML, or
/// this much for a short one. Each relative URL grows by the base's length, so without a cap a summary of
/// short links (`<a href=x>`, 10 bytes) under a long base would grow a hundredfold; past the budget the
/// remaining URLs are left as written.
const MIN_RESOLVE_BUDGET: usize = 4096;

/// `html` with the relative `href`/`src`/`poster` values of its tags resolved against `base` (the
/// element's `xml:base`, else the feed URL), so that summaries and content shown elsewhere keep working
/// links and images. Absolute, fragment-only and scheme URLs (`mailto:`, `data:`) are left byte for byte,
/// and so is everything else: one pass over the text, no parse into a tree.
pub(crate) fn absolutize_html(base: Option<&str>, html: &str) -> String {
    let base = match base.map(str::trim).and_then(|b| Url::parse(b).ok()) {
        Some(b) if b.has_host() => b,
        _ => return html.to_string(),
    };
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut out = String::with_capacity(html.len());
    let mut budget = html.len().max(MIN_RESOLVE_BUDGET);
    // Everything before `copied` is in `out` already.
    let mut copied = 0;
    let mut i = 0;
    while i < len {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // The tag name, then its attributes up to `>`. Every stop is at an ASCII byte, so each slice
        // below falls on character boundaries; `get` keeps that from ever being an assumption.
        let mut j = i + 1;
        while j < len && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'>' | b'/') {
            j += 1;
        }
        loop {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len || bytes[j] == b'>' || bytes[j] == b'<' {
                break;
            }
            let name_start = j;
            while j < len && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/' | b'<') {
                j += 1;
            }
            let name = html.get(name_start..j).unwrap_or_default();
            if j == name_start {
                // A stray `=` or quote: step over it.
                j += 1;
                continue;
            }
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= len || bytes[j] != b'=' {
                continue;
            }
            j += 1;
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let quote = bytes.get(j).copied().filter(|q| matches!(q, b'"' | b'\''));
            let (value_start, value_end) = match quote {
                Some(q) => {
                    let start = j + 1;
                    let end = bytes
                        .get(start..)
                        .and_then(|rest| rest.iter().position(|b| *b == q))
                        .map_or(len, |p| start + p);
                    j = (end + 1).min(len);
                    (start.min(len), end)
                }
                None => {
                    let start = j;
                    while j < len && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    (start, j)
                }
            };
            if !URL_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a)) {
                continue;
            }
            let value = html.get(value_start..value_end).unwrap_or_default();
            if let Some(resolved) = resolve_attribute(&base, value, quote) {
                let growth = resolved.len().saturating_sub(value.len());
                if growth > budget {
                    break;
                }
                budget -= growth;
                out.push_str(html.get(copied..value_start).unwrap_or_default());
                out.push_str(&resolved);
                copied = value_end;
            }
        }
        i = j.max(i + 1);
    }
    out.push_str(html.get(copied..).unwrap_or_default());
    out
}

/// A relative attribute value made absolute and escaped again for its quotes; `None` to leave it as is.
fn resolve_attribute(base: &Url, value: &str, quote: Option<u8>) -> Option<String> {
    let decoded = crate::entities::decode_html(value.trim());
    if decoded.is_empty() || decoded.starts_with('#') || has_scheme(&decoded) {
        return None;
    }
    let joined = base.join(&decoded).ok()?;
    let mut out = String::with_capacity(joined.as_str().len());
    for c in joined.as_str().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' if quote == Some(b'"') => out.push_str("&quot;"),
            '\'' if quote == Some(b'\'') => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    Some(out)
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_links_are_kept_verbatim() {
        assert_eq!(resolve(Some("http://a.com/x/"), " http://b.com "), "http://b.com");
        assert_eq!(resolve(None, "https://b.com/?a=1&b=2"), "https://b.com/?a=1&b=2");
    }

    #[test]
    fn relative_links_resolve_against_the_base() {
        assert_eq!(
            resolve(Some("http://a.com/blog/feed.xml"), "post/1"),
            "http://a.com/blog/post/1"
        );
        assert_eq!(resolve(Some("http://a.com/blog/"), "/about"), "http://a.com/about");
        assert_eq!(
            resolve(Some("https://a.com/"), "//cdn.a.com/i.png"),
            "https://cdn.a.com/i.png"
        );
    }

    #[test]
    fn double_escaped_ampersands_are_unescaped() {
        assert_eq!(resolve(None, "http://e.com/?a=1&amp;b=2"), "http://e.com/?a=1&b=2");
    }

    #[test]
    fn relative_urls_in_html_resolve_against_the_base() {
        let base = Some("https://a.example/blog/post/");
        assert_eq!(
            absolutize_html(
                base,
                r#"<p>See <a href="../x?a=1&amp;b=2">x</a> <IMG SRC='/i.png' alt="i"></p>"#
            ),
            r#"<p>See <a href="https://a.example/blog/x?a=1&amp;b=2">x</a> <IMG SRC='https://a.example/i.png' alt="i"></p>"#
        );
        assert_eq!(
            absolutize_html(base, "<video poster=p.jpg src = v.mp4></video>"),
            "<video poster=https://a.example/blog/post/p.jpg src = https://a.example/blog/post/v.mp4></video>"
        );
        let kept = r##"<a href="https://b.example/">b</a><a href="#top">t</a><a href="mailto:x@y">m</a> a < b, <a title="href=x">"##;
        assert_eq!(absolutize_html(base, kept), kept);
        assert_eq!(absolutize_html(None, r#"<a href="x">x</a>"#), r#"<a href="x">x</a>"#);
    }

    #[test]
    fn broken_html_is_left_as_it_is() {
        let base = Some("https://a.example/");
        for html in [
            "<a href=\"x",
            "<a href=",
            "<a =\"x\" href",
            "<",
            "<a",
            "<a href='",
            "é<a href=é>é",
        ] {
            let out = absolutize_html(base, html);
            assert!(out.len() >= html.len(), "{html:?} -> {out:?}");
        }
        assert_eq!(absolutize_html(base, "<a href=\"x"), "<a href=\"https://a.example/x");
        assert_eq!(
            absolutize_html(base, "é<a href=é>é"),
            "é<a href=https://a.example/%C3%A9>é"
        );
    }

    #[test]
    fn resolving_links_at_most_doubles_the_html() {
        let base = format!("https://example.com/{}/", "section".repeat(60));
        let html = "<a href=x>a</a>".repeat(2000);
        let out = absolutize_html(Some(&base), &html);
        assert!(
            out.len() <= 2 * html.len() + MIN_RESOLVE_BUDGET,
            "{} bytes from {}",
            out.len(),
            html.len()
        );
        // The first links are resolved, the rest left as written.
        assert!(out.starts_with(&format!("<a href={base}x>a</a>")), "{}", &out[..200]);
        assert!(out.ends_with("<a href=x>a</a>"));
        // A short piece of HTML is resolved whole.
        let few = "<a href=x>a</a>".repeat(5);
        assert_eq!(absolutize_html(Some(&base), &few).matches(base.as_str()).count(), 5);
    }

    #[test]
    fn relative_links_without_base_stay_relative() {
        assert_eq!(resolve(None, "/post/1"), "/post/1");
        assert_eq!(resolve(Some("not a url"), "/post/1"), "/post/1");
    }
}
