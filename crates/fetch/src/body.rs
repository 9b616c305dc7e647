//! Reading a response body under the size cap and the read-idle timeout. The cap is counted on
//! decompressed bytes as they arrive, so a gzip bomb stops at the cap instead of being inflated.

use std::time::Duration;

use crate::error::FetchError;

/// What to do with a body longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// Fail with [`FetchError::TooLarge`].
    Refuse,
    /// Keep the first `cap` bytes (robots.txt: RFC 9309 lets crawlers parse the first 500 KiB).
    Truncate,
}

pub(crate) async fn read_body(
    resp: &mut reqwest::Response,
    url: &str,
    cap: u64,
    idle: Duration,
    overflow: Overflow,
) -> Result<Vec<u8>, FetchError> {
    // Only known for uncompressed bodies (reqwest drops it when it decompresses).
    let expected = resp.content_length();
    if let Some(len) = expected {
        if len > cap && overflow == Overflow::Refuse {
            return Err(FetchError::TooLarge {
                url: url.to_owned(),
                limit: cap,
            });
        }
    }
    // The announced length is not trusted for allocation beyond the cap.
    let mut body = Vec::with_capacity(expected.unwrap_or(0).min(cap).min(1 << 20) as usize);
    let truncated = |received: usize| {
        expected
            .filter(|&e| (received as u64) < e)
            .map(|e| FetchError::Truncated {
                url: url.to_owned(),
                received: received as u64,
                expected: e,
            })
    };
    loop {
        let idle_timeout = || FetchError::Timeout {
            url: url.to_owned(),
            stage: format!(
                "reading the body: nothing received for {} s after {} bytes",
                idle.as_secs_f64(),
                body.len()
            ),
        };
        let chunk = match tokio::time::timeout(idle, resp.chunk()).await {
            Err(_) => return Err(idle_timeout()),
            // reqwest's own read timeout is set to the same idle limit and may fire first.
            Ok(Err(e)) if e.is_timeout() => return Err(idle_timeout()),
            Ok(Err(e)) => {
                return Err(truncated(body.len()).unwrap_or_else(|| FetchError::Network {
                    url: url.to_owned(),
                    message: format!("reading the body after {} bytes: {}", body.len(), describe(&e)),
                }));
            }
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => chunk,
        };
        let room = cap.saturating_sub(body.len() as u64) as usize;
        if chunk.len() > room {
            match overflow {
                Overflow::Refuse => {
                    return Err(FetchError::TooLarge {
                        url: url.to_owned(),
                        limit: cap,
                    })
                }
                Overflow::Truncate => {
                    body.extend_from_slice(&chunk[..room]);
                    return Ok(body);
                }
            }
        }
        body.extend_from_slice(&chunk);
    }
    match truncated(body.len()) {
        Some(err) => Err(err),
        None => Ok(body),
    }
}

/// A reqwest error as a readable chain of causes, without repeating the URL.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    // hyper's generic wrapper ("client error (Connect)") says nothing its causes do not.
    if parts.len() > 1 {
        parts.retain(|p| !p.starts_with("client error ("));
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}
