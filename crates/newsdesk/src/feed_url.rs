//! Feed URLs: what schemes newsdesk can follow.

use anyhow::bail;

/// Accept http, https and file URLs; anything else is refused with the reason.
pub fn check(raw: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(raw).map_err(|e| anyhow::anyhow!("feed URL {raw:?} is not a valid URL: {e}"))?;
    match url.scheme() {
        "http" | "https" | "file" => Ok(url),
        other => bail!("feed URL {raw:?} has unsupported scheme {other:?} (use http, https or file)"),
    }
}

/// Accept only http and https: for feeds that come from outside the config (`feeds add`, an OPML import, the
/// API), which must never make newsdesk read local files. Local feeds are listed in the config.
pub fn check_remote(raw: &str) -> anyhow::Result<url::Url> {
    let url = check(raw)?;
    if url.scheme() == "file" {
        bail!("feed URL {raw:?} is a local file; local feeds go in the config's [[feeds]], not here (http and https only)");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_files_only_from_the_config() {
        assert!(check("file:///srv/feed.xml").is_ok());
        let e = check_remote("file:///etc/passwd").expect_err("refused").to_string();
        assert!(e.contains("local file"), "{e}");
        assert!(check_remote("https://a.example/feed").is_ok());
        assert!(check_remote("ftp://a.example/feed").is_err());
    }
}
