//! AMP variants of an article URL and their canonical form.
//!
//! Publishers serve the mobile AMP copy of an article under predictable variants of its URL: an `amp.`
//! host, an `/amp/` path segment or `/amp` suffix, an `.amp` or `.amp.html` file suffix, an `amp=1` or
//! `outputType=amp` query, and the Google AMP cache (`*.cdn.ampproject.org/c/s/HOST/PATH`).

/// Rewrites a Google AMP cache URL (`https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a`)
/// into the publisher URL it caches (`https://www.example.com/a`). Other URLs give `None`.
pub fn unwrap_amp_cache(host: &str, path: &str) -> Option<String> {
    if !host.ends_with(".cdn.ampproject.org") {
        return None;
    }
    let rest = path.trim_start_matches('/');
    // The first segment is the content kind: c (page), v (viewer), i (image), r (resource).
    let (_, rest) = rest.split_once('/')?;
    let (scheme, rest) = match rest.strip_prefix("s/") {
        Some(r) => ("https", r),
        None => ("http", rest),
    };
    if rest.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{rest}"))
}

/// The host without an `amp.` prefix (`amp.example.com` → `example.com`), when one remains.
pub fn strip_amp_host(host: &str) -> &str {
    match host.strip_prefix("amp.") {
        Some(rest) if rest.contains('.') => rest,
        _ => host,
    }
}

/// The path with AMP segments and suffixes removed: `/amp/a/b` → `/a/b`, `/a/b/amp` → `/a/b`,
/// `/a/b.amp` → `/a/b`, `/a/b.amp.html` → `/a/b.html`.
pub fn strip_amp_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.eq_ignore_ascii_case("amp")).collect();
    let mut out = segments.join("/");
    if let Some(last_start) = out.rfind('/') {
        let last = &out[last_start + 1..];
        let replacement = if let Some(stem) = last.strip_suffix(".amp.html") {
            Some(format!("{stem}.html"))
        } else if let Some(stem) = last.strip_suffix(".amp.htm") {
            Some(format!("{stem}.htm"))
        } else {
            last.strip_suffix(".amp").map(str::to_string)
        };
        if let Some(r) = replacement {
            out.truncate(last_start + 1);
            out.push_str(&r);
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether a query parameter only asks for the AMP rendering (`amp`, `amp=1`, `amp=true`, `outputType=amp`).
pub fn is_amp_param(name: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    if name.eq_ignore_ascii_case("amp") {
        return matches!(value.as_str(), "" | "1" | "true" | "yes");
    }
    name.eq_ignore_ascii_case("outputtype") && value == "amp"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(strip_amp_path("/amp/world/story-1"), "/world/story-1");
        assert_eq!(strip_amp_path("/world/story-1/amp"), "/world/story-1");
        assert_eq!(strip_amp_path("/world/story-1/amp/"), "/world/story-1/");
        assert_eq!(strip_amp_path("/world/story-1.amp"), "/world/story-1");
        assert_eq!(strip_amp_path("/world/story-1.amp.html"), "/world/story-1.html");
        assert_eq!(strip_amp_path("/world/example"), "/world/example");
        assert_eq!(strip_amp_path("/amp"), "/");
    }

    #[test]
    fn hosts_and_cache() {
        assert_eq!(strip_amp_host("amp.example.com"), "example.com");
        assert_eq!(strip_amp_host("amp.com"), "amp.com");
        assert_eq!(
            unwrap_amp_cache("www-example-com.cdn.ampproject.org", "/c/s/www.example.com/a/b").as_deref(),
            Some("https://www.example.com/a/b")
        );
        assert_eq!(unwrap_amp_cache("example.com", "/c/s/x"), None);
    }

    #[test]
    fn params() {
        assert!(is_amp_param("amp", "1"));
        assert!(is_amp_param("outputType", "amp"));
        assert!(!is_amp_param("amp", "0"));
        assert!(!is_amp_param("output", "amp"));
    }
}
