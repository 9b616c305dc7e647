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
    fn relative_links_without_base_stay_relative() {
        assert_eq!(resolve(None, "/post/1"), "/post/1");
        assert_eq!(resolve(Some("not a url"), "/post/1"), "/post/1");
    }
}
