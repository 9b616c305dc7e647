//! What the caller asks for and what it gets back.

use std::time::Duration;

/// What is being fetched; decides which politeness rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A feed the user subscribed to: conditional GET, no robots.txt check (feeds are published
    /// to be polled).
    Feed,
    /// An article page: robots.txt is honoured (when `respect_robots` is on).
    Page,
    /// A robots.txt file itself (never checked against robots.txt).
    Robots,
}

/// One GET request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    pub kind: RequestKind,
    /// ETag from the previous response, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Last-Modified from the previous response, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl Request {
    pub fn new(url: impl Into<String>, kind: RequestKind) -> Request {
        Request {
            url: url.into(),
            kind,
            etag: None,
            last_modified: None,
        }
    }

    /// A feed request, conditional on what the previous poll returned.
    pub fn feed(url: impl Into<String>, etag: Option<String>, last_modified: Option<String>) -> Request {
        Request {
            url: url.into(),
            kind: RequestKind::Feed,
            etag,
            last_modified,
        }
    }

    /// An article page request.
    pub fn page(url: impl Into<String>) -> Request {
        Request::new(url, RequestKind::Page)
    }
}

/// A successful (2xx or 304) response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The URL that answered, after redirects.
    pub final_url: String,
    pub status: u16,
    /// The protocol of the final exchange, as `HTTP/1.1` or `HTTP/2.0`.
    pub http_version: String,
    /// The `Content-Type` header as sent (charset included, untouched).
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `Cache-Control: max-age`, when the server sent one (and no `no-store`/`no-cache`).
    pub max_age: Option<Duration>,
    /// The server answered 304 to a conditional GET: nothing new, `body` is empty.
    pub not_modified: bool,
    /// The body, decompressed, never longer than `max_body_bytes`.
    pub body: Vec<u8>,
    /// Redirects followed to reach `final_url`.
    pub redirects: u32,
    /// Attempts made, the successful one included.
    pub attempts: u32,
}
