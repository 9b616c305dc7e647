//! The Google News exchange against a local server speaking the same protocol: article pages
//! with signature and timestamp, batchexecute with several ids, replies in shuffled order, an id
//! that fails, 429, the EU consent page, batch replies that cannot be read, and pacing under a
//! sustained rate limit.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::{test_settings, Hit, Reply, TestServer};
use newsdesk_fetch::gnews::{GoogleNewsResolver, ResolveError};
use newsdesk_fetch::{FetchSettings, Fetcher};
use serde_json::{json, Value};

const BATCH_PATH: &str = "/_/DotsSplashUi/data/batchexecute";

fn publisher(id: &str) -> String {
    format!("https://publisher.example/story/{id}")
}

fn article_page(id: &str) -> Reply {
    if id.contains("nosig") {
        return Reply::ok("text/html", "<html><body>consent wall</body></html>");
    }
    Reply::ok(
        "text/html; charset=utf-8",
        format!(
            "<html><body><c-wiz><div jscontroller=\"x\" data-n-a-id=\"{id}\" data-n-a-ts=\"{}\" data-n-a-sg=\"sig-{id}\"></div></c-wiz></body></html>",
            1_700_000_000 + id.len()
        ),
    )
}

/// Envelopes (id, timestamp, signature, tag) read from a batchexecute POST body.
fn envelopes(hit: &Hit) -> Vec<(String, i64, String, String)> {
    let body = String::from_utf8_lossy(&hit.body).to_string();
    let f_req = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "f.req")
        .map(|(_, v)| v.to_string())
        .expect("f.req field");
    let v: Value = serde_json::from_str(&f_req).expect("f.req is JSON");
    v[0].as_array()
        .expect("envelope list")
        .iter()
        .map(|env| {
            assert_eq!(env[0], "Fbv4je");
            let inner: Value = serde_json::from_str(env[1].as_str().expect("inner string")).expect("inner JSON");
            assert_eq!(inner[0], "garturlreq");
            (
                inner[2].as_str().expect("id").to_owned(),
                inner[3].as_i64().expect("ts"),
                inner[4].as_str().expect("sig").to_owned(),
                env[3].as_str().expect("tag").to_owned(),
            )
        })
        .collect()
}

/// A batchexecute reply, entries in reverse order of the request; ids containing "fail" get
/// the service's error entry instead of a URL, and a wrong signature gets no entry at all.
fn batch_reply(hit: &Hit) -> Reply {
    let mut entries: Vec<Value> = envelopes(hit)
        .into_iter()
        .filter(|(id, ts, sig, _)| *sig == format!("sig-{id}") && *ts == 1_700_000_000 + id.len() as i64)
        .map(|(id, _, _, tag)| {
            if id.contains("fail") {
                json!(["wrb.fr", "Fbv4je", null, null, null, [3], tag])
            } else {
                let payload = json!(["garturlres", publisher(&id), 1]).to_string();
                json!(["wrb.fr", "Fbv4je", payload, null, null, null, tag])
            }
        })
        .collect();
    entries.reverse();
    entries.push(json!(["di", 77]));
    let chunk = Value::Array(entries).to_string();
    let body = format!(")]}}'\n\n{}\n{chunk}\n25\n[[\"e\",4,null,null,157]]\n", chunk.len());
    Reply::ok("application/json; charset=utf-8", body)
}

fn google(rate_limit_batches: Arc<AtomicBool>) -> impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static {
    move |hit, _| {
        if let Some(id) = hit.path.strip_prefix("/rss/articles/") {
            return article_page(id);
        }
        if hit.path == BATCH_PATH && hit.method == "POST" {
            if rate_limit_batches.load(Ordering::SeqCst) {
                return Reply::with_header(429, "Retry-After", "30");
            }
            return batch_reply(hit);
        }
        Reply::status(404)
    }
}

fn resolver(server: &TestServer, batch_size: u32) -> GoogleNewsResolver {
    let settings = FetchSettings {
        gnews_base_url: server.url(""),
        gnews_batch_size: batch_size,
        gnews_cooldown_secs: 600.0,
        ..test_settings()
    };
    GoogleNewsResolver::new(Fetcher::new(settings).expect("fetcher")).expect("resolver")
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn several_ids_resolved_in_one_batch_matched_by_tag() {
    let server = TestServer::start(google(Arc::default())).await;
    let r = resolver(&server, 10);
    let asked = ids(&[
        "AU_yqLone",
        "AU_yqLtwo-2",
        "AU_yqLfail",
        "AU_yqLnosig",
        "bad/id",
        "AU_yqLthree_3",
    ]);
    let results = r.resolve(&asked).await;
    assert_eq!(
        results.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
        asked,
        "results in input order"
    );
    for (id, result) in &results {
        match id.as_str() {
            "AU_yqLone" | "AU_yqLtwo-2" | "AU_yqLthree_3" => {
                assert_eq!(result.as_deref().ok(), Some(publisher(id).as_str()), "{id}: {result:?}")
            }
            "AU_yqLfail" => {
                let err = result.as_ref().expect_err("fails");
                assert!(matches!(err, ResolveError::Refused { .. }), "{err:?}");
                assert!(err.to_string().contains("AU_yqLfail"), "{err}");
                assert!(!err.is_permanent());
            }
            "AU_yqLnosig" => {
                let err = result.as_ref().expect_err("no signature");
                assert!(matches!(err, ResolveError::NoSignature { .. }), "{err:?}");
                assert!(err.to_string().contains("/rss/articles/AU_yqLnosig"), "{err}");
            }
            "bad/id" => {
                let err = result.as_ref().expect_err("invalid");
                assert!(matches!(err, ResolveError::InvalidId { .. }), "{err:?}");
                assert!(err.is_permanent());
            }
            other => panic!("unexpected id {other}"),
        }
    }
    let posts = server.hits_on(BATCH_PATH);
    assert_eq!(posts.len(), 1, "one batch for all signed ids");
    let tags: Vec<String> = envelopes(&posts[0]).into_iter().map(|e| e.3).collect();
    assert_eq!(tags.len(), 4);
    let mut unique = tags.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "each envelope has its own tag: {tags:?}");
    assert!(
        server.hits().iter().all(|h| !h.path.contains("bad")),
        "an invalid id is never sent"
    );
    assert!(r.rate_limited_until().is_none());
}

#[tokio::test]
async fn ids_are_split_into_batches() {
    let server = TestServer::start(google(Arc::default())).await;
    let r = resolver(&server, 2);
    let asked = ids(&["AU_yqLa", "AU_yqLb", "AU_yqLc", "AU_yqLd", "AU_yqLe", "AU_yqLa"]);
    let results = r.resolve(&asked).await;
    assert_eq!(results.len(), 6);
    for (id, result) in &results {
        assert_eq!(result.as_deref().ok(), Some(publisher(id).as_str()), "{id}: {result:?}");
    }
    assert_eq!(server.hits_on(BATCH_PATH).len(), 3, "5 distinct ids in batches of 2");
    assert_eq!(
        server.hits_on("/rss/articles/AU_yqLa").len(),
        1,
        "a repeated id is fetched once"
    );
}

#[tokio::test]
async fn rate_limit_starts_a_cooldown_that_stops_further_calls() {
    let limited = Arc::new(AtomicBool::new(true));
    let server = TestServer::start(google(limited.clone())).await;
    let r = resolver(&server, 10);
    let before = Utc::now();
    let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb"])).await;
    let until = r.rate_limited_until().expect("cooldown recorded");
    assert!(
        until >= before + chrono::Duration::seconds(600),
        "cooldown {until} too short"
    );
    for (_, result) in &results {
        match result {
            Err(ResolveError::RateLimited { until: u }) => assert_eq!(*u, until),
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }
    assert_eq!(server.hits_on(BATCH_PATH).len(), 1, "429 is not retried");

    // During the cooldown nothing is sent, even once the server would answer.
    limited.store(false, Ordering::SeqCst);
    let hits_before = server.hits().len();
    let results = r.resolve(&ids(&["AU_yqLc"])).await;
    assert!(matches!(results[0].1, Err(ResolveError::RateLimited { .. })));
    assert_eq!(server.hits().len(), hits_before);

    // A cleared (or expired, restored) cooldown lets calls through again.
    r.set_rate_limited_until(Some(Utc::now() - chrono::Duration::seconds(1)));
    let results = r.resolve(&ids(&["AU_yqLc"])).await;
    assert_eq!(results[0].1.as_deref().ok(), Some(publisher("AU_yqLc").as_str()));
}

#[tokio::test]
async fn rate_limited_article_page_also_starts_the_cooldown() {
    let server = TestServer::start(|_, _| Reply::with_header(429, "Retry-After", "7200")).await;
    let r = resolver(&server, 10);
    let before = Utc::now();
    let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb"])).await;
    let until = r.rate_limited_until().expect("cooldown");
    assert!(
        until >= before + chrono::Duration::seconds(7200),
        "Retry-After longer than the cooldown wins"
    );
    assert!(results
        .iter()
        .all(|(_, r)| matches!(r, Err(ResolveError::RateLimited { .. }))));
    assert_eq!(server.hits().len(), 1, "the second id is not asked for");
}

/// Google's consent page as served in the EU: a form posting the visitor's answer to
/// consent.google.com.
const CONSENT_PAGE: &str = r#"<!doctype html><html><body><h1>Before you continue to Google</h1><form action="https://consent.google.com/save" method="POST"><input type="hidden" name="set_eom" value="true"><button>Reject all</button></form></body></html>"#;

fn has_consent_cookie(hit: &Hit) -> bool {
    hit.header("cookie")
        .is_some_and(|c| c.split(';').any(|pair| pair.trim() == "SOCS=CAI"))
}

fn to_consent(hit: &Hit) -> Reply {
    let next = format!("/consent?continue=http://news.example{}", hit.path);
    Reply::with_header(302, "Location", &next)
}

/// Google News as a visitor from the EU sees it: without the consent cookie, article pages and
/// the batch endpoint redirect to the consent page; `batch_always` sends the batch there even
/// with the cookie.
fn eu_google(batch_always: bool) -> impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static {
    move |hit, _| {
        if hit.path.starts_with("/consent") {
            return Reply::ok("text/html; charset=utf-8", CONSENT_PAGE);
        }
        if let Some(id) = hit.path.strip_prefix("/rss/articles/") {
            return if has_consent_cookie(hit) {
                article_page(id)
            } else {
                to_consent(hit)
            };
        }
        if hit.path == BATCH_PATH {
            return if has_consent_cookie(hit) && !batch_always {
                batch_reply(hit)
            } else {
                to_consent(hit)
            };
        }
        Reply::status(404)
    }
}

fn resolver_with(server: &TestServer, change: impl FnOnce(&mut FetchSettings)) -> GoogleNewsResolver {
    let mut settings = FetchSettings {
        gnews_base_url: server.url(""),
        gnews_cooldown_secs: 600.0,
        ..test_settings()
    };
    change(&mut settings);
    GoogleNewsResolver::new(Fetcher::new(settings).expect("fetcher")).expect("resolver")
}

#[tokio::test]
async fn the_consent_cookie_gets_past_the_eu_consent_page() {
    let server = TestServer::start(eu_google(false)).await;
    let r = resolver(&server, 10);
    let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb"])).await;
    for (id, result) in &results {
        assert_eq!(result.as_deref().ok(), Some(publisher(id).as_str()), "{id}: {result:?}");
    }
    assert!(server.hits_on("/consent").is_empty());
    let google: Vec<Hit> = server.hits();
    assert_eq!(google.len(), 3, "two pages and one batch");
    for hit in &google {
        assert_eq!(hit.header("cookie"), Some("SOCS=CAI"), "{} {}", hit.method, hit.path);
    }
}

#[tokio::test]
async fn without_the_cookie_the_consent_page_is_named_on_each_item() {
    let server = TestServer::start(eu_google(false)).await;
    let r = resolver_with(&server, |s| s.gnews_consent_cookie = String::new());
    let asked = ids(&["AU_yqLa", "AU_yqLb", "AU_yqLc"]);
    let results = r.resolve(&asked).await;
    for (id, result) in &results {
        let err = result.as_ref().expect_err("consent page");
        assert!(matches!(err, ResolveError::Consent { .. }), "{id}: {err:?}");
        let msg = err.to_string();
        assert!(msg.contains(id.as_str()) && msg.contains("consent page"), "{msg}");
        assert!(
            msg.contains("/consent?continue="),
            "the page that answered is named: {msg}"
        );
        assert!(!err.is_permanent(), "a consent page is not the item's fault");
    }
    assert!(server.hits().iter().all(|h| h.header("cookie").is_none()));
    assert_eq!(
        server
            .hits()
            .iter()
            .filter(|h| h.path.starts_with("/rss/articles/"))
            .count(),
        1,
        "after the consent page, the other ids are not asked for"
    );
    assert!(server.hits_on(BATCH_PATH).is_empty());
    assert!(r.rate_limited_until().is_none(), "no cooldown for a consent page");
}

#[tokio::test]
async fn a_consent_page_answering_the_batch_is_named_too() {
    let server = TestServer::start(eu_google(true)).await;
    let r = resolver(&server, 10);
    let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb"])).await;
    for (id, result) in &results {
        match result {
            Err(ResolveError::Consent { id: named, .. }) => assert_eq!(named, id),
            other => panic!("{id}: expected Consent, got {other:?}"),
        }
    }
    assert_eq!(server.hits_on(BATCH_PATH).len(), 1);
}

#[tokio::test]
async fn the_consent_cookie_is_not_sent_to_other_sites() {
    let elsewhere = TestServer::start(|hit, _| match hit.path.strip_prefix("/rss/articles/") {
        Some(id) => article_page(id),
        None => Reply::status(404),
    })
    .await;
    let other = elsewhere.url("");
    let server = TestServer::start(move |hit, n| {
        if hit.path.starts_with("/rss/articles/") {
            return Reply::with_header(302, "Location", &format!("{other}{}", hit.path));
        }
        eu_google(false)(hit, n)
    })
    .await;
    let r = resolver(&server, 10);
    let results = r.resolve(&ids(&["AU_yqLa"])).await;
    assert_eq!(results[0].1.as_deref().ok(), Some(publisher("AU_yqLa").as_str()));
    let redirected = elsewhere.hits_on("/rss/articles/AU_yqLa");
    assert_eq!(redirected.len(), 1);
    assert_eq!(
        redirected[0].header("cookie"),
        None,
        "the cookie stays on the Google News origin"
    );
    assert_eq!(
        server.hits_on("/rss/articles/AU_yqLa")[0].header("cookie"),
        Some("SOCS=CAI")
    );
}

#[tokio::test]
async fn an_empty_or_garbage_batch_reply_is_an_error_with_its_reason() {
    let reply = Arc::new(Mutex::new(String::new()));
    let body = reply.clone();
    let server = TestServer::start(move |hit, _| {
        if let Some(id) = hit.path.strip_prefix("/rss/articles/") {
            return article_page(id);
        }
        let text = body.lock().expect("reply").clone();
        Reply::ok("application/json; charset=utf-8", text)
    })
    .await;
    for (text, reason) in [
        ("", "empty body"),
        ("<html><body>Service unavailable</body></html>", "no )]}' guard"),
        (")]}'\n", "nothing after the )]}' guard"),
        (")]}'\n{\"broken", "JSON error"),
        (
            ")]}'\n12\n[[\"di\",42],[\"af.httprm\",41,\"-1\",5]]\n",
            "no wrb.fr envelope",
        ),
    ] {
        *reply.lock().expect("reply") = text.to_owned();
        let r = resolver(&server, 10);
        let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb"])).await;
        for (id, result) in &results {
            let err = result.as_ref().expect_err("unreadable reply");
            assert!(matches!(err, ResolveError::BadReply { .. }), "{text:?}: {err:?}");
            let msg = err.to_string();
            assert!(msg.contains(id.as_str()) && msg.contains(reason), "{text:?}: {msg}");
            assert!(msg.contains(BATCH_PATH), "{msg}");
        }
    }
}

/// Google News allowing `per_window` article-page requests in any `window` (a sliding window),
/// answering 429 with `Retry-After: 1` beyond; counts the 429s in `refused`.
fn limited_google(
    per_window: usize,
    window: Duration,
    refused: Arc<AtomicUsize>,
) -> impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static {
    let served: Mutex<Vec<tokio::time::Instant>> = Mutex::default();
    move |hit, _| {
        if let Some(id) = hit.path.strip_prefix("/rss/articles/") {
            let mut served = served.lock().expect("served");
            served.retain(|t| hit.at.duration_since(*t) < window);
            if served.len() >= per_window {
                refused.fetch_add(1, Ordering::SeqCst);
                return Reply::with_header(429, "Retry-After", "1");
            }
            served.push(hit.at);
            return article_page(id);
        }
        if hit.path == BATCH_PATH {
            return batch_reply(hit);
        }
        Reply::status(404)
    }
}

#[tokio::test]
async fn a_learned_rate_paces_article_pages_under_a_sustained_limit() {
    const PER_WINDOW: usize = 5;
    let refused = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(limited_google(PER_WINDOW, Duration::from_secs(1), refused.clone())).await;
    // No cooldown of our own beyond the server's Retry-After, as a long-running desk would see
    // after its configured cooldown.
    let r = resolver_with(&server, |s| s.gnews_cooldown_secs = 0.0);
    assert_eq!(r.learned_rate(), None);
    let mut pending: Vec<String> = (0..3 * PER_WINDOW).map(|i| format!("AU_yqLpaced{i}")).collect();
    let mut calls = 0;
    while !pending.is_empty() {
        calls += 1;
        assert!(
            calls <= 8,
            "not converging: {} ids left after {calls} calls",
            pending.len()
        );
        let mut wait_until = None;
        let mut left = Vec::new();
        for (id, result) in r.resolve(&pending).await {
            match result {
                Ok(url) => assert_eq!(url, publisher(&id)),
                Err(ResolveError::RateLimited { until }) => {
                    wait_until = wait_until.max(Some(until));
                    left.push(id);
                }
                Err(other) => panic!("{id}: {other}"),
            }
        }
        pending = left;
        if let Some(until) = wait_until {
            tokio::time::sleep((until - Utc::now()).to_std().unwrap_or_default()).await;
        }
    }
    // Unpaced, every window's worth of ids would meet one 429 (two for three windows, and one
    // more for each further window); paced, only the first one, which taught the rate, is met.
    let refused = refused.load(Ordering::SeqCst);
    assert_eq!(refused, 1, "429s met while resolving {} ids", 3 * PER_WINDOW);
    let rate = r.learned_rate().expect("a rate learned from the 429");
    assert!(rate <= (PER_WINDOW * 60) as f64, "{rate} requests a minute");
    // After the 429 the article-page requests were spread out by the learned interval.
    let pages: Vec<Hit> = server
        .hits()
        .into_iter()
        .filter(|h| h.path.starts_with("/rss/articles/"))
        .collect();
    assert_eq!(pages.len(), 3 * PER_WINDOW + refused);
    let after_429 = &pages[PER_WINDOW + 1..];
    let min_gap = Duration::from_secs_f64(60.0 / rate * 0.9);
    for pair in after_429.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= min_gap, "requests {gap:?} apart, less than {min_gap:?}");
    }
}

#[tokio::test]
async fn ids_past_the_pacing_budget_are_put_off_until_their_turn() {
    let server = TestServer::start(google(Arc::default())).await;
    let r = resolver_with(&server, |s| s.gnews_pacing_budget_secs = 0.3);
    r.set_learned_rate(Some(60.0)); // one article page a second
    assert_eq!(r.learned_rate(), Some(60.0));
    let before = Utc::now();
    let results = r.resolve(&ids(&["AU_yqLa", "AU_yqLb", "bad/id", "AU_yqLc"])).await;
    assert_eq!(results[0].1.as_deref().ok(), Some(publisher("AU_yqLa").as_str()));
    assert!(matches!(results[2].1, Err(ResolveError::InvalidId { .. })));
    for (id, result) in [&results[1], &results[3]] {
        match result {
            Err(ResolveError::RateLimited { until }) => {
                let wait = *until - before;
                assert!(
                    wait > chrono::Duration::milliseconds(500) && wait < chrono::Duration::seconds(2),
                    "{id}: put off by {wait}"
                );
            }
            other => panic!("{id}: expected RateLimited, got {other:?}"),
        }
    }
    assert_eq!(server.hits_on("/rss/articles/AU_yqLa").len(), 1);
    assert!(
        server.hits_on("/rss/articles/AU_yqLb").is_empty(),
        "its turn was not taken"
    );
    assert!(r.rate_limited_until().is_none(), "pacing is not a cooldown");
}

#[test]
fn the_learned_rate_can_be_restored_and_forgotten() {
    let settings = FetchSettings {
        gnews_base_url: "http://127.0.0.1:9".into(),
        ..test_settings()
    };
    let r = GoogleNewsResolver::new(Fetcher::new(settings).expect("fetcher")).expect("resolver");
    r.set_learned_rate(Some(12.5));
    assert_eq!(r.learned_rate(), Some(12.5));
    r.set_learned_rate(Some(1e9));
    assert_eq!(r.learned_rate(), Some(newsdesk_fetch::gnews::MAX_RATE));
    r.set_learned_rate(Some(0.0001));
    assert_eq!(r.learned_rate(), Some(newsdesk_fetch::gnews::MIN_RATE));
    r.set_learned_rate(Some(f64::NAN));
    assert_eq!(r.learned_rate(), None);
    r.set_learned_rate(Some(5.0));
    r.set_learned_rate(None);
    assert_eq!(r.learned_rate(), None);
}
