//! Errors of this crate; each names the input it is about.

/// A URL that cannot be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot canonicalize URL {url:?}: {reason}")]
pub struct UrlError {
    /// The URL as given.
    pub url: String,
    /// What was wrong with it.
    pub reason: String,
}

impl UrlError {
    pub(crate) fn new(url: &str, reason: impl Into<String>) -> Self {
        Self {
            url: url.to_string(),
            reason: reason.into(),
        }
    }
}

/// Stored fingerprint bytes of the wrong length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fingerprint has {len} bytes, expected {expected}")]
pub struct FingerprintError {
    /// Bytes given.
    pub len: usize,
    /// Bytes a fingerprint has.
    pub expected: usize,
}
