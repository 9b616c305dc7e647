//! `newsdesk serve`: the JSON API, full-text feeds out (Atom 1.0, JSON Feed 1.1) and the server-rendered web
//! reader, over one axum router.
//!
//! Store calls are blocking (SQLite); they run on tokio's blocking pool against a small set of connections, so
//! readers proceed in parallel under WAL. Every response carries a strict Content-Security-Policy (no script
//! at all), `nosniff`, a referrer policy and a frame ban; article HTML is sanitized with an allowlist
//! ([`html::sanitize`]) before it is served anywhere.

pub mod api;
pub mod conn;
pub mod feeds_out;
pub mod html;
pub mod openapi;
pub mod pages;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

/// The `[serve]` section of newsdesk.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Address to listen on. Anything but a loopback address also needs `public = true` (or `--public`).
    pub addr: String,
    /// Allow listening on a non-loopback address.
    pub public: bool,
    /// Bearer token for write actions (adding and removing feeds). Empty: write actions are refused.
    /// The environment variable NEWSDESK_TOKEN overrides it.
    pub token: String,
    /// Origins allowed to call the API from a browser (CORS). Empty: no CORS headers at all.
    pub cors_origins: Vec<String>,
    /// Public base URL used in feed links and ids (default: http://<addr>).
    pub base_url: String,
    /// Site title shown on the page and in feeds.
    pub title: String,
    /// Seconds a client has to send a request head; a slower one is disconnected.
    pub header_read_timeout_secs: f64,
    /// Seconds a connection may stay silent (keep-alive included) before it is closed, so that idle sockets
    /// cannot use up the server's file descriptors.
    pub idle_timeout_secs: f64,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: "127.0.0.1:8080".into(),
            public: false,
            token: String::new(),
            cors_origins: Vec::new(),
            base_url: String::new(),
            title: "newsdesk".into(),
            header_read_timeout_secs: conn::HEADER_READ_TIMEOUT.as_secs_f64(),
            idle_timeout_secs: conn::IDLE_TIMEOUT.as_secs_f64(),
        }
    }
}

impl ServeConfig {
    /// The timeouts as durations; a setting that is not a positive, finite number of seconds is refused with
    /// its key.
    pub fn timeouts(&self) -> anyhow::Result<(std::time::Duration, std::time::Duration)> {
        let secs = |key: &str, v: f64| {
            if !(v.is_finite() && v > 0.0) {
                anyhow::bail!("serve.{key} must be a positive number of seconds (got {v})");
            }
            std::time::Duration::try_from_secs_f64(v).map_err(|_| anyhow::anyhow!("serve.{key} is too large"))
        };
        Ok((
            secs("header_read_timeout_secs", self.header_read_timeout_secs)?,
            secs("idle_timeout_secs", self.idle_timeout_secs)?,
        ))
    }
}

/// A store handle usable from the blocking pool.
pub type SharedStore = Arc<dyn Store>;

/// Shared state of the server.
pub struct AppState {
    stores: Vec<SharedStore>,
    next: AtomicUsize,
    pub token: Option<String>,
    pub base_url: String,
    pub title: String,
    pub cors_origins: Vec<String>,
    header_read_timeout: std::time::Duration,
    idle_timeout: std::time::Duration,
}

impl AppState {
    /// `stores`: one or more handles on the same database (each its own connection).
    pub fn new(stores: Vec<SharedStore>, config: &ServeConfig, base_url: String) -> anyhow::Result<AppState> {
        anyhow::ensure!(!stores.is_empty(), "serve needs at least one store connection");
        let token = Some(config.token.trim().to_string()).filter(|t| !t.is_empty());
        let (header_read_timeout, idle_timeout) = config.timeouts()?;
        Ok(AppState {
            header_read_timeout,
            idle_timeout,
            stores,
            next: AtomicUsize::new(0),
            token,
            base_url: base_url.trim_end_matches('/').to_string(),
            title: config.title.clone(),
            cors_origins: config.cors_origins.clone(),
        })
    }

    fn store(&self) -> SharedStore {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.stores.len();
        self.stores[i].clone()
    }

    /// Run a store call on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> crate::store::Result<T> + Send + 'static,
    {
        let store = self.store();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| Failure::internal(format!("store task failed: {e}")))?
            .map_err(Failure::from)
    }

    /// Whether `given` is the configured token (compared in constant time).
    pub fn token_ok(&self, given: Option<&str>) -> Result<(), Failure> {
        let Some(want) = &self.token else {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "write actions are disabled: set [serve] token in newsdesk.toml (or NEWSDESK_TOKEN)",
            ));
        };
        let given = given.unwrap_or("").as_bytes();
        let want = want.as_bytes();
        let mut diff = (given.len() != want.len()) as u8;
        for (i, b) in want.iter().enumerate() {
            diff |= b ^ given.get(i).copied().unwrap_or(0);
        }
        if diff == 0 {
            Ok(())
        } else {
            Err(Failure::new(StatusCode::UNAUTHORIZED, "missing or wrong token"))
        }
    }
}

/// An error answered to the client: a status and a message that names what was wrong.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }
    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, message)
    }
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        tracing::error!("{e}");
        Failure::internal("the store failed; see the server log")
    }
}

impl From<crate::store::search::QueryError> for Failure {
    fn from(e: crate::store::search::QueryError) -> Failure {
        Failure::bad_request(e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message, "status": self.status.as_u16() });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(feeds_out::routes())
        .merge(pages::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), cors))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// The Content-Security-Policy of every response: no script, styles only from this server, images from
/// anywhere over http(s) (articles show the publisher's pictures), forms only back to this server.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; \
    form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// CORS only for configured origins: a preflight is answered, and responses to them name the origin.
async fn cors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| state.cors_origins.iter().any(|a| a == o || a == "*"))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let Some(origin) = origin else {
        return next.run(req).await;
    };
    let mut res = if req.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        r
    } else {
        next.run(req).await
    };
    res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Origin"));
    res
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Refuse a non-loopback address unless it was allowed explicitly.
pub fn check_addr(addr: &SocketAddr, public: bool) -> anyhow::Result<()> {
    if !addr.ip().is_loopback() && !public {
        anyhow::bail!(
            "refusing to listen on {addr}: not a loopback address (pass --public or set [serve] public = true \
             to serve other machines)"
        );
    }
    Ok(())
}

/// Serve until Ctrl-C. `on_ready` is called with the bound address before the first request.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> anyhow::Result<()> {
    let (header_read_timeout, idle_timeout) = (state.header_read_timeout, state.idle_timeout);
    let app = router(state);
    conn::serve_with_limits(
        listener,
        app,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
        header_read_timeout,
        idle_timeout,
    )
    .await?;
    Ok(())
}
