//! The whole pipeline against a local server that plays Google News and the publishers, and misbehaves on
//! purpose. Every case must end with the run completing, the error recorded on the right item, and every
//! other item processed; a second run must change nothing.

mod common;

use std::io::Write;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use common::server::{Hit, Reply, TestServer};
use common::*;
use serde_json::{json, Value};

const BATCH_PATH: &str = "/_/DotsSplashUi/data/batchexecute";
const DATE: &str = "Wed, 07 Jan 2026 10:32:00 GMT";

fn paragraphs(topic: &str) -> Vec<String> {
    (1..=4)
        .map(|i| {
            format!(
                "Paragraph {i} about {topic}: officials met on Tuesday to discuss the plan, which has been debated \
                 for months, and reporters asked them what would change for residents, businesses and schools."
            )
        })
        .collect()
}

fn page(topic: &str) -> String {
    let paras = paragraphs(topic);
    let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
    article_page(
        &format!("Story about {topic}"),
        "Jane Writer",
        "2026-01-07T09:00:00+00:00",
        &refs,
    )
}

fn html(body: String) -> Reply {
    Reply::ok("text/html; charset=utf-8", body)
}

/// The Google News article page carrying the signature and timestamp of an id.
fn gnews_page(id: &str) -> Reply {
    html(format!(
        "<html><body><c-wiz><div jscontroller=\"x\" data-n-a-id=\"{id}\" data-n-a-ts=\"1700000000\" \
         data-n-a-sg=\"sig-{id}\"></div></c-wiz></body></html>"
    ))
}

/// A batchexecute reply resolving every requested id to `/pub/online-<n>`, entries in reverse order.
fn batch_reply(hit: &Hit, base: &str) -> Reply {
    let body = String::from_utf8_lossy(&hit.body).to_string();
    let f_req = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "f.req")
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let v: Value = serde_json::from_str(&f_req).unwrap_or(Value::Null);
    let mut entries: Vec<Value> = v[0]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|env| {
            let inner: Value = serde_json::from_str(env[1].as_str()?).ok()?;
            let id = inner[2].as_str()?.to_string();
            let tag = env[3].clone();
            // The test ids decode to "AU_yqLtest-article-NNNN"; the publisher page is /pub/online-NNNN.
            let n = newsdesk_feeds_token_number(&id)?;
            let payload = json!(["garturlres", format!("{base}/pub/online-{n}"), 1]).to_string();
            Some(json!(["wrb.fr", "Fbv4je", payload, null, null, null, tag]))
        })
        .collect();
    entries.reverse();
    let chunk = Value::Array(entries).to_string();
    Reply::ok(
        "application/json; charset=utf-8",
        format!(")]}}'\n\n{}\n{chunk}\n", chunk.len()),
    )
}

fn newsdesk_feeds_token_number(token: &str) -> Option<String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = String::from_utf8_lossy(&bytes).to_string();
    text.split("AU_yqLtest-article-")
        .nth(1)
        .map(|s| s.chars().take(4).collect())
}

fn gzip_bomb() -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..20 {
        enc.write_all(&zeros).expect("gzip");
    }
    enc.finish().expect("gzip")
}

struct Case {
    path: &'static str,
    /// Parts of the error message the item must carry (any of them, `|`-separated); None when the item
    /// must succeed.
    error: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        path: "/pub/ok",
        error: None,
    },
    Case {
        path: "/pub/flaky-500",
        error: None,
    },
    Case {
        path: "/pub/retry-429",
        error: None,
    },
    Case {
        path: "/pub/wrong-charset",
        error: None,
    },
    Case {
        path: "/pub/missing",
        error: Some("404"),
    },
    Case {
        path: "/pub/hangs",
        error: Some("timed out|cut short"),
    },
    Case {
        path: "/pub/truncated",
        error: Some("cut short"),
    },
    Case {
        path: "/pub/gzip-bomb",
        error: Some("larger than"),
    },
    Case {
        path: "/pub/huge",
        error: Some("larger than"),
    },
    Case {
        path: "/pub/loop",
        error: Some("redirects"),
    },
    Case {
        path: "/pub/private-robots",
        error: Some("robots.txt"),
    },
];

fn respond(hit: &Hit, nth: usize, base: &str, feed: &str, bomb: &[u8]) -> Reply {
    let path = hit.path.split('?').next().unwrap_or_default();
    match path {
        "/robots.txt" => Reply::ok("text/plain", "User-agent: *\nDisallow: /pub/private-robots\n"),
        "/feeds/gnews.xml" => Reply::ok("application/rss+xml", feed.to_string()),
        "/feeds/broken.xml" => Reply::ok("application/rss+xml", "<html><body>Not a feed at all</body></html>"),
        "/feeds/gone.xml" => Reply::status(404),
        BATCH_PATH => batch_reply(hit, base),
        p if p.starts_with("/rss/articles/") => gnews_page(p.trim_start_matches("/rss/articles/")),
        p if p.starts_with("/pub/online-") => html(page(p)),
        "/pub/ok" => html(page("the harbour")),
        "/pub/flaky-500" if nth == 1 => Reply::status(500),
        "/pub/flaky-500" => html(page("the flaky server")),
        "/pub/retry-429" if nth == 1 => Reply::with_header(429, "Retry-After", "1"),
        "/pub/retry-429" => html(page("the rate limit")),
        "/pub/wrong-charset" => Reply::ok("text/html; charset=iso-8859-1", page("the charset")),
        "/pub/hangs" => Reply::Hang(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>".to_vec()),
        "/pub/truncated" => Reply::Raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n<html><body>only this</body>".to_vec(),
        ),
        "/pub/gzip-bomb" => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into()), ("Content-Encoding".into(), "gzip".into())],
            body: bomb.to_vec(),
        },
        "/pub/huge" => Reply::Stream {
            head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52428800\r\n\r\n".into(),
            chunk: b"<p>filler filler filler filler</p>".repeat(1000),
            total: 50 * 1024 * 1024,
            sent: Arc::new(AtomicU64::new(0)),
        },
        "/pub/loop" => Reply::with_header(302, "Location", "/pub/loop"),
        _ => Reply::status(404),
    }
}

#[test]
fn misbehaving_server_errors_land_on_the_right_items() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let bomb = gzip_bomb();
    let base_cell: Arc<std::sync::OnceLock<(String, String)>> = Arc::default();
    let cell = base_cell.clone();
    let server = rt.block_on(TestServer::start(move |hit, nth| {
        let (base, feed) = cell.get().cloned().unwrap_or_default();
        respond(hit, nth, &base, &feed, &bomb)
    }));
    let base = format!("http://{}", server.addr);

    let mut items: Vec<String> = CASES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            gnews_item(
                &format!("Case {i} {}", c.path),
                "Local Outlet",
                &format!("{base}{}", c.path),
                &format!("case-{i}"),
                DATE,
            )
        })
        .collect();
    // Google News links: one that decodes offline to a publisher URL, two that need the online exchange.
    items.push(gnews_item(
        "Offline decoded",
        "Decoded Times",
        &offline_token_link(&format!("{base}/pub/ok?utm_source=gn")),
        "gn-offline",
        DATE,
    ));
    for n in 1..=2 {
        let (link, _) = online_token_link(n);
        items.push(gnews_item(
            &format!("Online resolved {n}"),
            "Online Herald",
            &link,
            &format!("gn-online-{n}"),
            DATE,
        ));
    }
    let feed = rss("Local Google News", &items);
    base_cell.set((base.clone(), feed)).expect("set once");

    let dir = tempfile::tempdir().expect("tempdir");
    let feeds = vec![
        format!("{base}/feeds/gnews.xml"),
        format!("{base}/feeds/broken.xml"),
        format!("{base}/feeds/gone.xml"),
    ];
    write_config(dir.path(), &feeds, &base, "");
    let out = newsdesk_ok(dir.path(), &["run", "--once"]);
    assert!(out.contains("polled 3 feeds (2 failed)"), "{out}");

    // Feed errors are recorded on the feeds.
    let list = newsdesk_ok(dir.path(), &["feeds", "list", "--json"]);
    let feeds: Vec<Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let error_of = |suffix: &str| {
        feeds
            .iter()
            .find(|f| f["url"].as_str().is_some_and(|u| u.ends_with(suffix)))
            .map(|f| f["last_error"].clone())
    };
    assert_eq!(error_of("gnews.xml"), Some(Value::Null));
    assert!(error_of("broken.xml").is_some_and(|e| e.as_str().is_some_and(|e| e.contains("broken.xml"))));
    assert!(error_of("gone.xml").is_some_and(|e| e.as_str().is_some_and(|e| e.contains("404"))));

    // Item errors: each on its own item, with its URL.
    let status: Value =
        serde_json::from_str(&newsdesk_ok(dir.path(), &["status", "--json", "--errors", "50"])).expect("status json");
    let errors = status["recent_errors"].as_array().cloned().unwrap_or_default();
    for case in CASES {
        let on_item: Vec<&Value> = errors
            .iter()
            .filter(|e| e["url"].as_str().is_some_and(|u| u.ends_with(case.path)))
            .collect();
        match case.error {
            None => assert!(on_item.is_empty(), "{} should have succeeded: {on_item:?}", case.path),
            Some(want) => {
                assert_eq!(on_item.len(), 1, "{}: {errors:?}", case.path);
                let got = on_item[0]["error"].as_str().unwrap_or_default();
                assert!(
                    want.split('|').any(|w| got.contains(w)),
                    "{}: error {got:?} should mention {want:?}",
                    case.path
                );
            }
        }
    }

    // Every good item became a full-text post; /pub/ok was reached by two items (direct and via an offline
    // Google News token with tracking parameters) and is published once.
    let posts = posts(dir.path());
    let bodies: Vec<&String> = posts.values().collect();
    let with_text = |topic: &str| {
        bodies
            .iter()
            .filter(|b| b.contains(&format!("Paragraph 1 about {topic}")))
            .count()
    };
    assert_eq!(with_text("the harbour"), 1, "{posts:#?}");
    assert_eq!(with_text("the flaky server"), 1);
    assert_eq!(with_text("the rate limit"), 1);
    assert_eq!(with_text("/pub/online-0001"), 1);
    assert_eq!(with_text("/pub/online-0002"), 1);
    let online = bodies
        .iter()
        .find(|b| b.contains("Paragraph 1 about /pub/online-0001"))
        .expect("online post");
    assert!(
        online.contains(&format!("link: \"{base}/pub/online-0001\"")),
        "{online}"
    );
    assert!(!online.contains("Unrelated headline"), "boilerplate leaked: {online}");
    // The two online ids went in one batch request.
    assert_eq!(server.hits_on(BATCH_PATH).len(), 1);

    // A second run changes nothing: no new posts, nothing rewritten, nothing fetched again.
    let pages_before = server.hits().iter().filter(|h| h.path.starts_with("/pub/")).count();
    let out = newsdesk_ok(dir.path(), &["run", "--once", "--no-poll"]);
    assert!(out.contains("0 posts written"), "{out}");
    assert_eq!(posts, common::posts(dir.path()));
    let pages_after = server.hits().iter().filter(|h| h.path.starts_with("/pub/")).count();
    assert_eq!(pages_before, pages_after);
}

#[test]
fn a_remote_feed_cannot_reach_private_addresses_unless_allowed() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(TestServer::start(|_, _| html(page("a private page"))));
    let dir = tempfile::tempdir().expect("tempdir");
    // A local feed document whose item links to the loopback server.
    let feed = rss(
        "Local",
        &[gnews_item(
            "Private",
            "Intranet",
            &server.url("/pub/private"),
            "p1",
            DATE,
        )],
    );
    let feed_path = dir.path().join("feed.xml");
    std::fs::write(&feed_path, feed).expect("write feed");
    let feed_url = url::Url::from_file_path(&feed_path).expect("file url").to_string();
    write_config(dir.path(), &[feed_url], "http://127.0.0.1:9", "");
    let config = std::fs::read_to_string(dir.path().join("newsdesk.toml")).expect("config");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        config.replace("allow_private_networks = true", "allow_private_networks = false"),
    )
    .expect("config");
    newsdesk_ok(dir.path(), &["run", "--once"]);
    let status: Value = serde_json::from_str(&newsdesk_ok(dir.path(), &["status", "--json"])).expect("status");
    let error = status["recent_errors"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(error.contains("127.0.0.1") && error.contains("refused"), "{status}");
    assert!(server.hits().is_empty(), "the private address was contacted");
    // The item is still published, with what the feed said.
    assert_eq!(posts(dir.path()).len(), 1);
}

/// Google News allowing only a few article-page requests per window (a 429 with Retry-After beyond that):
/// `run --once` repeated resolves every item over time, publishes each with its publisher link, and no item
/// spends an attempt on the cooldown.
#[test]
fn a_google_news_rate_limit_resolves_everything_over_time() {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    const ITEMS: usize = 12;
    const PER_WINDOW: usize = 4;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let base_cell: Arc<std::sync::OnceLock<(String, String)>> = Arc::default();
    let cell = base_cell.clone();
    let window: Arc<Mutex<(Instant, usize)>> = Arc::new(Mutex::new((Instant::now(), 0)));
    let server = rt.block_on(TestServer::start(move |hit, _| {
        let (base, feed) = cell.get().cloned().unwrap_or_default();
        let path = hit.path.split('?').next().unwrap_or_default();
        if path.starts_with("/rss/articles/") {
            let mut w = window.lock().unwrap_or_else(|p| p.into_inner());
            if w.0.elapsed() > Duration::from_millis(1500) {
                *w = (Instant::now(), 0);
            }
            w.1 += 1;
            if w.1 > PER_WINDOW {
                return Reply::with_header(429, "Retry-After", "1");
            }
        }
        match path {
            "/feeds/gnews.xml" => Reply::ok("application/rss+xml", feed),
            "/robots.txt" => Reply::status(404),
            BATCH_PATH => batch_reply(hit, &base),
            p if p.starts_with("/rss/articles/") => gnews_page(p.trim_start_matches("/rss/articles/")),
            p if p.starts_with("/pub/online-") => html(page(p)),
            _ => Reply::status(404),
        }
    }));
    let base = format!("http://{}", server.addr);
    let items: Vec<String> = (1..=ITEMS)
        .map(|n| {
            let (link, _) = online_token_link(n);
            gnews_item(
                &format!("Rate limited story {n}"),
                "Online Herald",
                &link,
                &format!("rl-{n}"),
                DATE,
            )
        })
        .collect();
    base_cell
        .set((base.clone(), rss("Local Google News", &items)))
        .expect("set once");
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(
        dir.path(),
        &[format!("{base}/feeds/gnews.xml")],
        &base,
        "gnews_cooldown_secs = 1.0\ngnews_batch_size = 3",
    );
    const WAITING: &str = "waiting: Google News is rate limiting until ";
    let mut runs = 0;
    let (mut waited, mut learned_rate) = (false, None);
    loop {
        runs += 1;
        newsdesk_ok(dir.path(), &["run", "--once", "-q"]);
        let status: Value =
            serde_json::from_str(&newsdesk_ok(dir.path(), &["status", "--json", "--errors", "50"])).expect("status");
        // Items held back by the cooldown are shown as waiting until a time, in the JSON and in the text.
        let waiting: Vec<&str> = status["recent_errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["error"].as_str()).collect())
            .unwrap_or_default();
        let waiting: Vec<&str> = waiting.into_iter().filter(|e| e.starts_with(WAITING)).collect();
        for reason in &waiting {
            let until = &reason[WAITING.len()..];
            assert!(
                chrono::DateTime::parse_from_rfc3339(until).is_ok(),
                "waiting until a time: {reason}"
            );
        }
        if !waiting.is_empty() {
            waited = true;
            let text = newsdesk_ok(dir.path(), &["status", "--errors", "50"]);
            assert!(text.contains(WAITING), "{text}");
        }
        if let Some(until) = status["gnews"]["rate_limited_until"].as_str() {
            assert!(chrono::DateTime::parse_from_rfc3339(until).is_ok(), "{status}");
        }
        // The rate learned from the 429s is kept in the store from run to run, once learned.
        let rate = status["gnews"]["learned_rate_per_minute"].as_f64();
        if learned_rate.is_some() {
            assert!(rate.is_some(), "the learned rate is kept across runs: {status}");
        }
        if let Some(rate) = rate {
            assert!(rate > 0.0, "{status}");
            learned_rate = Some(rate);
        }
        let ready = status["items_by_stage"]
            .as_array()
            .and_then(|stages| stages.iter().find(|s| s[0] == "ready"))
            .and_then(|s| s[1].as_i64())
            .unwrap_or(0);
        if ready == ITEMS as i64 {
            break;
        }
        assert!(runs < 30, "not everything resolved after {runs} runs: {status}");
        std::thread::sleep(Duration::from_millis(1100));
    }
    assert!(runs > 1, "the limit was met at least once");
    assert!(waited, "some items waited on the cooldown, and status said until when");
    let learned_rate = learned_rate.expect("a rate was learned from the 429s and kept in the store");
    let posts = posts(dir.path());
    assert_eq!(posts.len(), ITEMS);
    for (name, post) in &posts {
        assert!(
            post.contains(&format!("{base}/pub/online-")),
            "{name} has its publisher link"
        );
    }
    let store = newsdesk::store::open_sqlite(&dir.path().join("desk.db")).expect("open store");
    let stored_rate = store
        .get_state("gnews.learned_rate_per_minute")
        .expect("state")
        .and_then(|r| r.parse::<f64>().ok())
        .expect("the learned rate is in the store");
    assert!(
        (stored_rate - learned_rate).abs() < 0.01,
        "{stored_rate} vs {learned_rate}"
    );
    let items = store.items_after(0, 1000).expect("items");
    assert_eq!(items.len(), ITEMS);
    assert!(
        items.iter().all(|i| i.attempts == 0),
        "no attempt is spent waiting on the cooldown"
    );
}
