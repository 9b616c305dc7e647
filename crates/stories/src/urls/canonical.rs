//! One canonical spelling per article URL.

use super::amp::{is_amp_param, strip_amp_host, strip_amp_path, unwrap_amp_cache};
use super::tracking::is_tracking_param;
use crate::error::UrlError;
use url::Url;

/// The canonical form of an article URL: lower-case scheme and host, no default port, no fragment,
/// no tracking or AMP parameters, remaining query parameters sorted, AMP variants mapped to the
/// regular article, no trailing slash except for the root path.
///
/// When the page declares `<link rel=canonical>`, canonicalize that URL instead (the caller knows it).
///
/// ```
/// use newsdesk_stories::canonical_url;
/// let a = canonical_url("HTTPS://Example.com:443/world/story/amp/?utm_source=x&b=2&a=1#top").unwrap();
/// assert_eq!(a, "https://example.com/world/story?a=1&b=2");
/// ```
pub fn canonical_url(input: &str) -> Result<String, UrlError> {
    let parsed = parse_web_url(input)?;
    let parsed = match parsed.host_str().and_then(|h| unwrap_amp_cache(h, parsed.path())) {
        Some(unwrapped) => {
            let mut inner = parse_web_url(&unwrapped)?;
            // The cache keeps the original query on its own URL.
            inner.set_query(parsed.query());
            inner
        }
        None => parsed,
    };
    let mut url = parsed;
    url.set_fragment(None);

    let host = url.host_str().unwrap_or_default().to_string();
    let plain_host = strip_amp_host(&host);
    if plain_host != host {
        url.set_host(Some(plain_host))
            .map_err(|e| UrlError::new(input, e.to_string()))?;
    }

    let query = url.query().map(clean_query).unwrap_or_default();
    url.set_query(if query.is_empty() { None } else { Some(&query) });

    let mut path = strip_amp_path(url.path());
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    url.set_path(&path);
    Ok(url.into())
}

/// A key equal for URLs of the same article whatever the scheme or a `www.` prefix: canonical host
/// without `www.`, path and query (`example.com/world/story?a=1`). Use it to find a stored article
/// reached through another link.
pub fn url_identity(input: &str) -> Result<String, UrlError> {
    let canonical = canonical_url(input)?;
    let without_scheme = canonical.split_once("://").map_or(canonical.as_str(), |(_, rest)| rest);
    Ok(without_scheme
        .strip_prefix("www.")
        .unwrap_or(without_scheme)
        .to_string())
}

/// Whether two links lead to the same article after canonicalization (scheme and `www.` ignored).
/// Links that cannot be parsed are never the same article.
pub fn same_article(a: &str, b: &str) -> bool {
    match (url_identity(a), url_identity(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn parse_web_url(input: &str) -> Result<Url, UrlError> {
    let trimmed = input.trim();
    let url = Url::parse(trimmed).map_err(|e| UrlError::new(input, e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::new(
            input,
            format!("scheme {:?} is not http or https", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlError::new(input, "no host"));
    }
    Ok(url)
}

/// Drops tracking and AMP parameters and sorts the rest, keeping each pair's original encoding.
fn clean_query(query: &str) -> String {
    let mut kept: Vec<(String, &str)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(raw_name);
            let value = decode(raw_value);
            if is_tracking_param(&name) || is_amp_param(&name, &value) {
                None
            } else {
                Some((name, pair))
            }
        })
        .collect();
    kept.sort();
    kept.dedup();
    kept.into_iter().map(|(_, pair)| pair).collect::<Vec<_>>().join("&")
}

fn decode(raw: &str) -> String {
    url::form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        match canonical_url(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn case_ports_fragments() {
        assert_eq!(
            c("HTTP://WWW.Example.COM:80/News/Story#comments"),
            "http://www.example.com/News/Story"
        );
        assert_eq!(c("https://example.com:8443/a"), "https://example.com:8443/a");
    }

    #[test]
    fn tracking_and_sorting() {
        assert_eq!(
            c("https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=X&gclid=Y&mc_cid=1&mc_eid=2&b=x%20y"),
            "https://example.com/a?b=x%20y&id=7"
        );
        assert_eq!(c("https://example.com/a?utm_source=rss"), "https://example.com/a");
        assert_eq!(c("https://example.com/a?"), "https://example.com/a");
    }

    #[test]
    fn amp_variants() {
        let want = "https://example.com/world/2024/05/story";
        for v in [
            "https://amp.example.com/world/2024/05/story",
            "https://example.com/amp/world/2024/05/story",
            "https://example.com/world/2024/05/story/amp",
            "https://example.com/world/2024/05/story/amp/",
            "https://example.com/world/2024/05/story.amp",
            "https://example.com/world/2024/05/story?amp=1",
            "https://example.com/world/2024/05/story?outputType=amp",
            "https://example-com.cdn.ampproject.org/c/s/example.com/world/2024/05/story/amp",
            "https://example.com/world/2024/05/story/",
        ] {
            assert_eq!(c(v), want, "{v}");
        }
    }

    #[test]
    fn rejects_bad_input_naming_it() {
        let err = canonical_url("not a url")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not a url"), "{err}");
        assert!(canonical_url("ftp://example.com/a").is_err());
        assert!(canonical_url("mailto:a@example.com").is_err());
    }

    #[test]
    fn identity_ignores_scheme_and_www() {
        assert!(same_article(
            "http://www.example.com/a/",
            "https://example.com/a?utm_campaign=z"
        ));
        assert!(!same_article("https://example.com/a", "https://example.com/b"));
        assert!(!same_article("garbage", "garbage"));
    }
}
