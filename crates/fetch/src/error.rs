//! What can go wrong while fetching, split into permanent failures (record and stop) and transient
//! ones (retry later). Every message names the URL.

use std::net::IpAddr;
use std::time::Duration;

/// The fetcher could not be built from its settings.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("fetch setting `{field}` {reason}")]
    Setting { field: &'static str, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// A failed fetch. [`FetchError::is_permanent`] says whether trying again later can help.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    // --- permanent ---
    #[error("{url}: not a valid URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{url}: scheme `{scheme}` is not fetched (only http and https)")]
    UnsupportedScheme { url: String, scheme: String },
    #[error("{url}: refused: {host} is a {kind} address ({addr}); {}", fmt_address_hint(.kind, .addr))]
    PrivateAddress {
        url: String,
        host: String,
        addr: IpAddr,
        kind: &'static str,
    },
    #[error("{url}: disallowed by robots.txt")]
    RobotsDisallowed { url: String },
    #[error("{url}: HTTP {status} (not found)")]
    NotFound { url: String, status: u16 },
    #[error("{url}: HTTP {status}")]
    ClientStatus { url: String, status: u16 },
    #[error("{url}: body larger than the {limit}-byte limit")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url}: bad redirect (HTTP {status}) to `{location}`: {reason}")]
    BadRedirect {
        url: String,
        status: u16,
        location: String,
        reason: String,
    },

    // --- transient ---
    #[error("{url}: HTTP {status} (server error){}", fmt_retry_after(.retry_after))]
    ServerStatus {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("{url}: HTTP 429 (rate limited){}", fmt_retry_after(.retry_after))]
    RateLimited { url: String, retry_after: Option<Duration> },
    #[error("{url}: timed out {stage}")]
    Timeout { url: String, stage: String },
    #[error("{url}: body cut short: got {received} of {expected} bytes")]
    Truncated { url: String, received: u64, expected: u64 },
    #[error("{url}: network error: {message}")]
    Network { url: String, message: String },
    #[error("{url}: robots.txt unavailable ({reason}); not fetching until it can be read")]
    RobotsUnavailable { url: String, reason: String },
}

/// How to allow a refused address: the settings that would open it.
fn fmt_address_hint(kind: &str, addr: &IpAddr) -> String {
    let host_bits = if addr.is_ipv4() { 32 } else { 128 };
    if matches!(kind, "link-local" | "cloud metadata") {
        format!(
            "to fetch it, list it in allow_networks (e.g. \"{addr}/{host_bits}\"); allow_private_networks does not \
             open link-local or cloud metadata addresses"
        )
    } else {
        format!("to fetch it, list its network in allow_networks (e.g. \"{addr}/{host_bits}\") or set allow_private_networks")
    }
}

fn fmt_retry_after(d: &Option<Duration>) -> String {
    match d {
        Some(d) => format!(", retry after {} s", d.as_secs_f64().ceil()),
        None => String::new(),
    }
}

impl FetchError {
    /// True when trying the same request again cannot succeed (404, 410, robots-disallowed,
    /// private address, too large, bad scheme, too many redirects, other 4xx).
    pub fn is_permanent(&self) -> bool {
        !self.is_transient()
    }

    /// True for failures worth retrying later: network errors, timeouts, 5xx, 429, truncated
    /// bodies, robots.txt unavailable.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::ServerStatus { .. }
                | FetchError::RateLimited { .. }
                | FetchError::Timeout { .. }
                | FetchError::Truncated { .. }
                | FetchError::Network { .. }
                | FetchError::RobotsUnavailable { .. }
        )
    }

    /// The delay the server asked for (`Retry-After` on a 429 or 5xx), when it gave one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RateLimited { retry_after, .. } | FetchError::ServerStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status behind this error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::NotFound { status, .. }
            | FetchError::ClientStatus { status, .. }
            | FetchError::ServerStatus { status, .. }
            | FetchError::BadRedirect { status, .. } => Some(*status),
            FetchError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The URL that failed (the redirect hop that failed, when redirects were followed).
    pub fn url(&self) -> &str {
        match self {
            FetchError::InvalidUrl { url, .. }
            | FetchError::UnsupportedScheme { url, .. }
            | FetchError::PrivateAddress { url, .. }
            | FetchError::RobotsDisallowed { url }
            | FetchError::NotFound { url, .. }
            | FetchError::ClientStatus { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::ServerStatus { url, .. }
            | FetchError::RateLimited { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Truncated { url, .. }
            | FetchError::Network { url, .. }
            | FetchError::RobotsUnavailable { url, .. } => url,
        }
    }

    /// A short stable name for the kind of failure, for storing and counting (`status` output).
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::UnsupportedScheme { .. } => "unsupported_scheme",
            FetchError::PrivateAddress { .. } => "private_address",
            FetchError::RobotsDisallowed { .. } => "robots_disallowed",
            FetchError::NotFound { .. } => "not_found",
            FetchError::ClientStatus { .. } => "client_status",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::BadRedirect { .. } => "bad_redirect",
            FetchError::ServerStatus { .. } => "server_status",
            FetchError::RateLimited { .. } => "rate_limited",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Truncated { .. } => "truncated",
            FetchError::Network { .. } => "network",
            FetchError::RobotsUnavailable { .. } => "robots_unavailable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let nf = FetchError::NotFound {
            url: "http://a/x".into(),
            status: 410,
        };
        assert!(nf.is_permanent());
        assert_eq!(nf.status(), Some(410));
        let rl = FetchError::RateLimited {
            url: "http://a/x".into(),
            retry_after: Some(Duration::from_secs(7)),
        };
        assert!(rl.is_transient());
        assert_eq!(rl.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(rl.to_string(), "http://a/x: HTTP 429 (rate limited), retry after 7 s");
        assert_eq!(rl.url(), "http://a/x");
    }
}
