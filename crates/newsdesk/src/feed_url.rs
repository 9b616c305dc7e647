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
