//! The fetcher: one shared reqwest client plus politeness, limits, retries and the address guard.
//! Redirects are followed here, hop by hop, so that every hop is checked.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::backoff::retry_wait;
use crate::body::{describe, read_body, Overflow};
use crate::error::{BuildError, FetchError};
use crate::headers;
use crate::netguard::{self, AddressPolicy, Refused};
use crate::politeness::{host_key, HostGates};
use crate::request::{Request, RequestKind, Response};
use crate::robots::{RobotsCache, RobotsEntry, RobotsRules, ROBOTS_MAX_BYTES, UNREACHABLE_RETRY};
use crate::settings::{FetchSettings, Limits};

/// Fetches feeds, pages and robots.txt politely. Cheap to clone: clones share the client, the
/// per-host turns, the global concurrency limit and the robots.txt cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    settings: FetchSettings,
    limits: Limits,
    /// The address guard shared with the DNS resolver, for IP-literal hosts.
    policy: Arc<AddressPolicy>,
    gates: HostGates,
    global: Semaphore,
    robots: RobotsCache,
    /// Request slots shared with other processes, when several workers crawl together.
    shared: std::sync::OnceLock<Arc<dyn SharedHosts>>,
}

/// Per-host request slots kept outside this process (in the store that several workers share), so that the
/// workers together never send requests to one host closer than its interval.
pub trait SharedHosts: Send + Sync {
    /// Book the next start time (Unix milliseconds) for a request to `host`, at least `interval` after the
    /// previous booking of any process and not before `now_ms`.
    fn book(&self, host: &str, interval: Duration, now_ms: i64) -> Result<i64, String>;
    /// Record the interval the host asks for (its robots.txt Crawl-delay) for every process.
    fn set_interval(&self, host: &str, interval: Duration) -> Result<(), String>;
    /// The robots.txt of `origin` that a process fetched and shared, if it is still fresh at `now_ms`.
    fn robots(&self, origin: &str, now_ms: i64) -> Result<Option<SharedRobots>, String>;
    /// Take the turn to fetch `origin`'s robots.txt for every process, until `until_ms`: false while another
    /// process holds it (that one is fetching the file, and will share it).
    fn claim_robots(&self, origin: &str, now_ms: i64, until_ms: i64) -> Result<bool, String>;
    /// End the turn taken with [`SharedHosts::claim_robots`], sharing what the fetch found (nothing when the
    /// file could not be reached: each process then asks again later on its own).
    fn finish_robots(&self, origin: &str, found: Option<&SharedRobots>) -> Result<(), String>;
}

/// A robots.txt as processes share it: what the fetch found, and until when it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedRobots {
    /// The file's bytes; `None` when the origin has none (a 4xx answer: everything is allowed).
    pub body: Option<Vec<u8>>,
    /// Unix milliseconds after which the file is fetched again.
    pub expires_ms: i64,
}

/// How long a process waits for another one's robots.txt fetch before fetching the file itself (the holder
/// may have died; its turn then runs out).
const ROBOTS_TURN: Duration = Duration::from_secs(30);
/// How often a waiting process looks for the robots.txt another one is fetching.
const ROBOTS_TURN_POLL: Duration = Duration::from_millis(50);

/// How late past its booked start a request may still go; later, it books again, since the next process's
/// booking may already be close.
const LATE_START_MS: i64 = 20;

fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Internal request kinds: the public ones plus calls to link-resolution services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    Public(RequestKind),
    /// A link-resolution endpoint (Google News): following a link the feed gave us, not
    /// crawling, so robots.txt is not consulted; 429 is returned at once for the caller to
    /// back off as long as the service needs.
    Service,
}

/// One logical request as the fetcher runs it.
#[derive(Debug, Clone)]
pub(crate) struct Call<'a> {
    pub url: &'a str,
    pub kind: CallKind,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    /// An `application/x-www-form-urlencoded` body: the request is a POST.
    pub form: Option<String>,
    /// A `Cookie` header value, sent only on the hops to this origin (as a browser scopes a
    /// cookie to the site that keeps it, so a redirect elsewhere never carries it).
    pub cookie: Option<(&'a url::Origin, &'a str)>,
}

impl<'a> Call<'a> {
    pub fn get(url: &'a str, kind: CallKind) -> Call<'a> {
        Call {
            url,
            kind,
            etag: None,
            last_modified: None,
            form: None,
            cookie: None,
        }
    }
}

/// The certificate authorities of the PEM file at `path` (none for an empty path).
fn extra_root_certs(path: &str) -> Result<Vec<reqwest::Certificate>, BuildError> {
    if path.trim().is_empty() {
        return Ok(Vec::new());
    }
    let bad = |reason: String| BuildError::Setting {
        field: "extra_root_certs",
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| bad(format!("cannot read {path}: {e}")))?;
    let certs =
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(format!("{path} is not PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(bad(format!("{path} holds no certificate")));
    }
    Ok(certs)
}

/// The result of one HTTP exchange.
enum Hop {
    Done(Response),
    Redirect { status: u16, location: String },
}

const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";
const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8";

impl Fetcher {
    pub fn new(settings: FetchSettings) -> Result<Fetcher, BuildError> {
        let limits = Limits::from_settings(&settings)?;
        let user_agent = HeaderValue::from_str(&settings.user_agent()).map_err(|_| BuildError::Setting {
            field: "contact_url",
            reason: "cannot be put in a User-Agent header".into(),
        })?;
        let policy = Arc::new(limits.address_policy.clone());
        let mut builder = reqwest::Client::builder();
        for cert in extra_root_certs(&settings.extra_root_certs)? {
            builder = builder.add_root_certificate(cert);
        }
        // HTTP/2 is negotiated by ALPN on HTTPS; plain HTTP stays on HTTP/1.1.
        let client = builder
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect_timeout)
            .read_timeout(limits.read_idle_timeout)
            // A proxy would connect on our behalf and bypass the resolved-address check.
            .no_proxy()
            .dns_resolver(netguard::resolver(policy.clone()))
            .gzip(true)
            .deflate(true)
            .brotli(true)
            .build()
            .map_err(|e| BuildError::Client(e.to_string()))?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                gates: HostGates::new(limits.host_min_interval, limits.max_crawl_delay),
                global: Semaphore::new(limits.global_concurrency),
                robots: RobotsCache::default(),
                shared: std::sync::OnceLock::new(),
                policy,
                settings,
                limits,
            }),
        })
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.inner.settings
    }

    /// Share request slots with other processes through `shared` (once; later calls are ignored): every
    /// request then also waits for a slot booked there.
    pub fn share_hosts(&self, shared: Arc<dyn SharedHosts>) {
        let _ = self.inner.shared.set(shared);
    }

    /// Wait for a start time booked with the other processes for a request to `key`.
    async fn shared_turn(&self, key: &str, url: &Url) -> Result<(), FetchError> {
        let Some(shared) = self.inner.shared.get() else {
            return Ok(());
        };
        let interval = self.inner.gates.interval(key);
        // No interval to keep (politeness turned off for this host): nothing to book.
        if interval.is_zero() {
            return Ok(());
        }
        loop {
            let slot = shared
                .book(key, interval, unix_ms())
                .map_err(|message| FetchError::Network {
                    url: url.to_string(),
                    message: format!("cannot book a request slot for {key}: {message}"),
                })?;
            let wait = slot - unix_ms();
            if wait > 0 {
                tokio::time::sleep(Duration::from_millis(wait as u64)).await;
            }
            if unix_ms() - slot <= LATE_START_MS {
                return Ok(());
            }
        }
    }

    /// Fetches `req.url`, following redirects, retrying transient failures. Non-2xx answers
    /// (other than 304 to a conditional request) are errors.
    pub async fn fetch(&self, req: &Request) -> Result<Response, FetchError> {
        let call = Call {
            url: &req.url,
            kind: CallKind::Public(req.kind),
            etag: req.etag.as_deref(),
            last_modified: req.last_modified.as_deref(),
            form: None,
            cookie: None,
        };
        self.execute(&call).await
    }

    /// The interval currently kept between two requests to the host of `url` (the configured
    /// minimum, or the host's Crawl-delay when larger). None for an unparseable URL.
    pub fn host_interval(&self, url: &str) -> Option<Duration> {
        let url = Url::parse(url).ok()?;
        Some(self.inner.gates.interval(&host_key(&url)))
    }

    pub(crate) async fn execute(&self, call: &Call<'_>) -> Result<Response, FetchError> {
        let start = parse_http_url(call.url)?;
        let limits = &self.inner.limits;
        let mut attempt = 1;
        loop {
            let err = match self.follow(&start, call).await {
                Ok(mut resp) => {
                    resp.attempts = attempt;
                    return Ok(resp);
                }
                Err(err) => err,
            };
            let retryable = err.is_transient()
                && !matches!(err, FetchError::RobotsUnavailable { .. })
                && !(call.kind == CallKind::Service && matches!(err, FetchError::RateLimited { .. }));
            if !retryable || attempt >= limits.max_attempts {
                return Err(err);
            }
            let Some(wait) = retry_wait(
                attempt,
                err.retry_after(),
                limits.retry_base_delay,
                limits.retry_max_wait,
                fastrand::f64(),
            ) else {
                return Err(err);
            };
            tracing::debug!(url = call.url, attempt, wait_ms = wait.as_millis() as u64, error = %err, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: the request and the redirects it leads to, each hop checked.
    async fn follow(&self, start: &Url, call: &Call<'_>) -> Result<Response, FetchError> {
        let max = self.inner.limits.max_redirects;
        let mut url = start.clone();
        let mut post = call.form.is_some();
        for hop in 0..=max {
            check_literal_address(&url, &self.inner.policy)?;
            if call.kind == CallKind::Public(RequestKind::Page) && self.inner.settings.respect_robots {
                self.check_robots(&url).await?;
            }
            let key = host_key(&url);
            let turn = self.inner.gates.acquire(&key).await;
            self.shared_turn(&key, &url).await?;
            let permit = self.inner.global.acquire().await.map_err(|_| FetchError::Network {
                url: url.to_string(),
                message: "the fetcher is shutting down".into(),
            })?;
            let cookie = call
                .cookie
                .filter(|(origin, _)| url.origin() == **origin)
                .map(|(_, v)| v);
            let outcome = self.exchange(&url, call, post, cookie).await;
            drop(permit);
            drop(turn);
            match outcome? {
                Hop::Done(mut resp) => {
                    resp.redirects = hop;
                    return Ok(resp);
                }
                Hop::Redirect { status, location } => {
                    let bad = |reason: String| FetchError::BadRedirect {
                        url: url.to_string(),
                        status,
                        location: location.clone(),
                        reason,
                    };
                    let next = url.join(&location).map_err(|e| bad(format!("not a URL ({e})")))?;
                    if !matches!(next.scheme(), "http" | "https") {
                        return Err(bad(format!("scheme `{}` is not http or https", next.scheme())));
                    }
                    // 301/302/303 after a POST continue as GET, as browsers do.
                    if matches!(status, 301..=303) {
                        post = false;
                    }
                    url = next;
                }
            }
        }
        Err(FetchError::TooManyRedirects {
            url: start.to_string(),
            limit: max,
        })
    }

    /// One HTTP exchange under the total timeout.
    async fn exchange(&self, url: &Url, call: &Call<'_>, post: bool, cookie: Option<&str>) -> Result<Hop, FetchError> {
        let total = self.inner.limits.timeout;
        match tokio::time::timeout_at(Instant::now() + total, self.exchange_untimed(url, call, post, cookie)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(FetchError::Timeout {
                url: url.to_string(),
                stage: format!("after {} s (total timeout)", total.as_secs_f64()),
            }),
        }
    }

    async fn exchange_untimed(
        &self,
        url: &Url,
        call: &Call<'_>,
        post: bool,
        cookie: Option<&str>,
    ) -> Result<Hop, FetchError> {
        let client = &self.inner.client;
        let mut rb = match (&call.form, post) {
            (Some(form), true) => client
                .post(url.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded;charset=UTF-8")
                .body(form.clone()),
            _ => client.get(url.clone()),
        };
        rb = rb.header(header::ACCEPT, accept_for(call.kind));
        if let Some(etag) = call.etag {
            rb = rb.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = call.last_modified {
            rb = rb.header(header::IF_MODIFIED_SINCE, lm);
        }
        if let Some(cookie) = cookie {
            rb = rb.header(header::COOKIE, cookie);
        }
        let mut resp = rb.send().await.map_err(|e| send_error(url, &e))?;
        let status = resp.status();
        let url_s = url.to_string();
        match status.as_u16() {
            301 | 302 | 303 | 307 | 308 => {
                let location =
                    header_string(resp.headers(), header::LOCATION).ok_or_else(|| FetchError::BadRedirect {
                        url: url_s.clone(),
                        status: status.as_u16(),
                        location: String::new(),
                        reason: "no Location header".into(),
                    })?;
                return Ok(Hop::Redirect {
                    status: status.as_u16(),
                    location,
                });
            }
            304 => {
                let version = resp.version();
                return Ok(Hop::Done(response_from(
                    url,
                    status,
                    version,
                    resp.headers(),
                    Vec::new(),
                    true,
                )));
            }
            _ => {}
        }
        if let Some(err) = status_error(&url_s, status, resp.headers()) {
            return Err(err);
        }
        let (cap, overflow) = match call.kind {
            CallKind::Public(RequestKind::Robots) => (
                ROBOTS_MAX_BYTES.min(self.inner.limits.max_body_bytes),
                Overflow::Truncate,
            ),
            _ => (self.inner.limits.max_body_bytes, Overflow::Refuse),
        };
        let version = resp.version();
        let body = read_body(&mut resp, &url_s, cap, self.inner.limits.read_idle_timeout, overflow).await?;
        Ok(Hop::Done(response_from(
            url,
            status,
            version,
            resp.headers(),
            body,
            false,
        )))
    }

    /// Checks `url` against its origin's robots.txt, fetching (through this fetcher) or reusing
    /// the cached copy, and records the origin's Crawl-delay for the host's turns.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let origin = url.origin().ascii_serialization();
        let slot = self.inner.robots.slot(&origin);
        let mut entry = slot.lock().await;
        let stale = match entry.as_ref() {
            Some(e) => e.expires <= Instant::now(),
            None => true,
        };
        if stale {
            let fresh = match self.robots_from_peers(&origin).await {
                Some(shared) => shared,
                None => {
                    let robots_url = format!("{origin}/robots.txt");
                    let call = Call::get(&robots_url, CallKind::Public(RequestKind::Robots));
                    // Boxed: a robots.txt fetch is itself an `execute`, never checked against robots.txt.
                    let fetched = Box::pin(self.execute(&call)).await;
                    let shareable = shared_copy(&fetched, self.inner.limits.robots_ttl);
                    if let Some(shared) = self.inner.shared.get() {
                        if let Err(e) = shared.finish_robots(&origin, shareable.as_ref()) {
                            tracing::warn!(origin = %origin, error = %e, "cannot share robots.txt");
                        }
                    }
                    if let Err(FetchError::PrivateAddress { host, addr, kind, .. }) = fetched {
                        return Err(FetchError::PrivateAddress {
                            url: url.to_string(),
                            host,
                            addr,
                            kind,
                        });
                    }
                    robots_entry(fetched, entry.take(), self.inner.limits.robots_ttl)
                }
            };
            if let Ok(rules) = &fresh.rules {
                let key = host_key(url);
                self.inner.gates.set_crawl_delay(&key, rules.crawl_delay());
                if let Some(shared) = self.inner.shared.get() {
                    if let Err(e) = shared.set_interval(&key, self.inner.gates.interval(&key)) {
                        tracing::warn!(host = %key, error = %e, "cannot share the host's Crawl-delay");
                    }
                }
            }
            *entry = Some(fresh);
        }
        match entry.as_ref().map(|e| &e.rules) {
            Some(Ok(rules)) if rules.allowed(url.as_str()) => Ok(()),
            Some(Ok(_)) => Err(FetchError::RobotsDisallowed { url: url.to_string() }),
            Some(Err(reason)) => Err(FetchError::RobotsUnavailable {
                url: url.to_string(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// `origin`'s robots.txt as another process fetched it, when processes share their hosts: the copy in
    /// the shared store if it is fresh, or the one a process fetching it right now shares within
    /// [`ROBOTS_TURN`]. `None` when this process is to fetch the file (and holds the turn to).
    async fn robots_from_peers(&self, origin: &str) -> Option<RobotsEntry> {
        let shared = self.inner.shared.get()?;
        let gave_up = Instant::now() + ROBOTS_TURN;
        loop {
            let now = unix_ms();
            match shared.robots(origin, now) {
                Ok(Some(copy)) => return Some(entry_from_shared(copy, now)),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(origin = %origin, error = %e, "cannot read the shared robots.txt; fetching it");
                    return None;
                }
            }
            match shared.claim_robots(origin, now, now + ROBOTS_TURN.as_millis() as i64) {
                Ok(true) => return None,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(origin = %origin, error = %e, "cannot take the turn to fetch robots.txt; fetching it");
                    return None;
                }
            }
            if Instant::now() >= gave_up {
                return None;
            }
            tokio::time::sleep(ROBOTS_TURN_POLL).await;
        }
    }
}

/// What of a robots.txt fetch other processes may reuse, for `ttl` from now: the file, or no file after a
/// permanent error (a 4xx answer: everything allowed). Nothing when the file could not be reached, or the
/// origin is an address this fetcher refuses.
fn shared_copy(fetched: &Result<Response, FetchError>, ttl: Duration) -> Option<SharedRobots> {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    let expires_ms = unix_ms().saturating_add(ttl_ms);
    match fetched {
        Ok(resp) => Some(SharedRobots {
            body: Some(resp.body.to_vec()),
            expires_ms,
        }),
        Err(FetchError::PrivateAddress { .. }) => None,
        Err(e) if e.is_permanent() => Some(SharedRobots { body: None, expires_ms }),
        Err(_) => None,
    }
}

/// The cache entry of a robots.txt another process fetched, read at `now_ms`: it expires when that
/// process's copy does.
fn entry_from_shared(copy: SharedRobots, now_ms: i64) -> RobotsEntry {
    let left = Duration::from_millis(u64::try_from(copy.expires_ms.saturating_sub(now_ms)).unwrap_or(0));
    let rules = match &copy.body {
        Some(body) => RobotsRules::parse(body),
        None => RobotsRules::allow_all(),
    };
    RobotsEntry {
        rules: Ok(Arc::new(rules)),
        expires: Instant::now() + left,
    }
}

/// The cache entry after a robots.txt fetch (RFC 9309 §2.3.1): a file → its rules; a 4xx or an
/// unusable redirect chain → everything allowed; unreachable (network, 5xx, 429) → the previous
/// rules if there were any, else "unavailable", asked again soon.
fn robots_entry(fetched: Result<Response, FetchError>, previous: Option<RobotsEntry>, ttl: Duration) -> RobotsEntry {
    let now = Instant::now();
    match fetched {
        Ok(resp) => {
            let rules = RobotsRules::parse(&resp.body);
            for note in rules.notes() {
                tracing::warn!(url = %resp.final_url, "robots.txt: {note}");
            }
            RobotsEntry {
                rules: Ok(Arc::new(rules)),
                expires: now + ttl,
            }
        }
        Err(e) if e.is_permanent() => RobotsEntry {
            rules: Ok(Arc::new(RobotsRules::allow_all())),
            expires: now + ttl,
        },
        Err(e) => {
            let retry = now + UNREACHABLE_RETRY.min(ttl);
            match previous {
                Some(RobotsEntry { rules: Ok(rules), .. }) => RobotsEntry {
                    rules: Ok(rules),
                    expires: retry,
                },
                _ => RobotsEntry {
                    rules: Err(e.to_string()),
                    expires: retry,
                },
            }
        }
    }
}

fn accept_for(kind: CallKind) -> &'static str {
    match kind {
        CallKind::Public(RequestKind::Feed) => FEED_ACCEPT,
        CallKind::Public(RequestKind::Robots) => "text/plain, */*;q=0.5",
        CallKind::Public(RequestKind::Page) | CallKind::Service => PAGE_ACCEPT,
    }
}

fn parse_http_url(raw: &str) -> Result<Url, FetchError> {
    let url = Url::parse(raw.trim()).map_err(|e| FetchError::InvalidUrl {
        url: raw.to_owned(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::UnsupportedScheme {
            url: raw.to_owned(),
            scheme: url.scheme().to_owned(),
        });
    }
    if url.host().is_none() {
        return Err(FetchError::InvalidUrl {
            url: raw.to_owned(),
            reason: "no host".into(),
        });
    }
    Ok(url)
}

/// IP-literal hosts never reach the resolver, so they are checked here.
fn check_literal_address(url: &Url, policy: &AddressPolicy) -> Result<(), FetchError> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => std::net::IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => std::net::IpAddr::V6(v6),
        _ => return Ok(()),
    };
    match policy.refusal(ip) {
        Some(kind) => Err(FetchError::PrivateAddress {
            url: url.to_string(),
            host: url.host_str().unwrap_or_default().to_owned(),
            addr: ip,
            kind,
        }),
        None => Ok(()),
    }
}

/// Maps a failed send to the error kinds callers act on.
fn send_error(url: &Url, e: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<Refused>() {
            return FetchError::PrivateAddress {
                url: url.to_string(),
                host: r.host.clone(),
                addr: r.addr,
                kind: r.kind,
            };
        }
        source = s.source();
    }
    let url = url.to_string();
    if e.is_timeout() {
        let stage = if e.is_connect() {
            "connecting"
        } else {
            "waiting for the response"
        };
        return FetchError::Timeout {
            url,
            stage: stage.into(),
        };
    }
    let message = if e.is_connect() {
        format!("cannot connect: {}", describe(e))
    } else {
        describe(e)
    };
    FetchError::Network { url, message }
}

/// The error for a non-success status, or None for 2xx.
fn status_error(url: &str, status: StatusCode, headers: &HeaderMap) -> Option<FetchError> {
    let url = url.to_owned();
    let code = status.as_u16();
    let retry_after =
        || header_string(headers, header::RETRY_AFTER).and_then(|v| headers::retry_after(&v, chrono::Utc::now()));
    Some(match code {
        200..=299 => return None,
        404 | 410 => FetchError::NotFound { url, status: code },
        429 => FetchError::RateLimited {
            url,
            retry_after: retry_after(),
        },
        // 408 Request Timeout is the server giving up on a slow exchange: worth another try.
        408 | 500..=599 => FetchError::ServerStatus {
            url,
            status: code,
            retry_after: retry_after(),
        },
        _ => FetchError::ClientStatus { url, status: code },
    })
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn response_from(
    url: &Url,
    status: StatusCode,
    version: reqwest::Version,
    headers: &HeaderMap,
    body: Vec<u8>,
    not_modified: bool,
) -> Response {
    Response {
        final_url: url.to_string(),
        status: status.as_u16(),
        http_version: format!("{version:?}"),
        content_type: header_string(headers, header::CONTENT_TYPE),
        etag: header_string(headers, header::ETAG),
        last_modified: header_string(headers, header::LAST_MODIFIED),
        max_age: header_string(headers, header::CACHE_CONTROL).and_then(|v| headers::cache_control_max_age(&v)),
        not_modified,
        body,
        redirects: 0,
        attempts: 1,
    }
}
