//! Hosts and domains of URLs, as shown in categories and export records.

use url::Url;

/// The host of an absolute URL, lower-cased as the URL parser normalises it; `None` when it has none.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?;
    if host.is_empty() {
        None
    } else {
        Some(host.to_string())
    }
}

/// The host without a leading `www.`: the outlet's domain as readers know it.
pub fn domain_of(url: &str) -> Option<String> {
    let host = host_of(url)?;
    let domain = host.strip_prefix("www.").unwrap_or(&host);
    if domain.is_empty() {
        None
    } else {
        Some(domain.to_string())
    }
}

/// Percent-encode the characters that would end or break a Markdown link destination.
pub fn markdown_link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_domains() {
        assert_eq!(
            host_of("https://news.google.com/rss/articles/x?oc=5").as_deref(),
            Some("news.google.com")
        );
        assert_eq!(domain_of("https://WWW.Example.com/a").as_deref(), Some("example.com"));
        assert_eq!(domain_of("https://abcnews.go.com").as_deref(), Some("abcnews.go.com"));
        assert_eq!(host_of("not a url"), None);
        assert_eq!(host_of("mailto:someone@example.com"), None);
    }

    #[test]
    fn link_targets_cannot_end_early() {
        assert_eq!(
            markdown_link_target("https://a.example/x (1)>"),
            "https://a.example/x%20%281%29%3E"
        );
    }
}
