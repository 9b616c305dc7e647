//! Ordinary and misbehaving responses: retries, statuses, redirects, encodings, conditional GET.

mod common;

use std::io::Write;
use std::time::Duration;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, Fetcher, Request, RequestKind};

fn fetcher() -> Fetcher {
    Fetcher::new(test_settings()).expect("fetcher")
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = TestServer::start(|_, nth| match nth {
        1 => Reply::status(500),
        _ => Reply::ok("text/html", "<p>ok</p>"),
    })
    .await;
    let resp = fetcher()
        .fetch(&Request::page(server.url("/flaky")))
        .await
        .expect("second attempt succeeds");
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.body, b"<p>ok</p>");
    assert_eq!(server.hits_on("/flaky").len(), 2);
}

#[tokio::test]
async fn server_errors_give_up_after_max_attempts() {
    let server = TestServer::start(|_, _| Reply::status(503)).await;
    let url = server.url("/down");
    let err = fetcher().fetch(&Request::page(&url)).await.expect_err("always 503");
    assert!(matches!(err, FetchError::ServerStatus { status: 503, .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(err.to_string().contains(&url), "{err}");
    assert_eq!(server.hits_on("/down").len(), 3);
}

#[tokio::test]
async fn rate_limited_with_short_retry_after_is_retried() {
    let server = TestServer::start(|_, nth| match nth {
        1 => Reply::with_header(429, "Retry-After", "0"),
        _ => Reply::ok("text/plain", "fine"),
    })
    .await;
    let resp = fetcher()
        .fetch(&Request::page(server.url("/busy")))
        .await
        .expect("retried");
    assert_eq!(resp.attempts, 2);
}

#[tokio::test]
async fn rate_limited_with_long_retry_after_is_returned_with_the_delay() {
    let server = TestServer::start(|_, _| Reply::with_header(429, "Retry-After", "3600")).await;
    let err = fetcher()
        .fetch(&Request::page(server.url("/busy")))
        .await
        .expect_err("429");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_transient());
    // Longer than retry_max_wait_secs: not waited for, returned at once.
    assert_eq!(server.hits_on("/busy").len(), 1);
}

#[tokio::test]
async fn not_found_and_gone_are_permanent_and_not_retried() {
    let server = TestServer::start(|hit, _| match hit.path.as_str() {
        "/gone" => Reply::status(410),
        "/forbidden" => Reply::status(403),
        _ => Reply::status(404),
    })
    .await;
    let f = fetcher();
    for (path, status) in [("/missing", 404), ("/gone", 410), ("/forbidden", 403)] {
        let url = server.url(path);
        let err = f.fetch(&Request::page(&url)).await.expect_err("error status");
        assert!(err.is_permanent(), "{err:?}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.url(), url);
        assert_eq!(server.hits_on(path).len(), 1, "{path} retried");
    }
}

#[tokio::test]
async fn redirects_are_followed_and_reported() {
    let server = TestServer::start(|hit, _| match hit.path.as_str() {
        "/old" => Reply::with_header(301, "Location", "/middle"),
        "/middle" => Reply::with_header(302, "Location", "/new?x=1"),
        _ => Reply::ok("text/html", "new"),
    })
    .await;
    let resp = fetcher()
        .fetch(&Request::page(server.url("/old")))
        .await
        .expect("redirected");
    assert_eq!(resp.final_url, server.url("/new?x=1"));
    assert_eq!(resp.redirects, 2);
    assert_eq!(resp.body, b"new");
}

#[tokio::test]
async fn redirect_loop_stops_at_the_limit() {
    let server = TestServer::start(|_, _| Reply::with_header(302, "Location", "/loop")).await;
    let url = server.url("/loop");
    let err = fetcher().fetch(&Request::page(&url)).await.expect_err("loop");
    assert!(matches!(err, FetchError::TooManyRedirects { limit: 10, .. }), "{err:?}");
    assert!(err.is_permanent());
    assert!(err.to_string().contains(&url), "{err}");
    // The first request and ten redirects, once (a permanent failure is not retried).
    assert_eq!(server.hits_on("/loop").len(), 11);
}

#[tokio::test]
async fn redirect_to_a_non_http_scheme_is_refused() {
    let server = TestServer::start(|hit, _| match hit.path.as_str() {
        "/ftp" => Reply::with_header(302, "Location", "ftp://files.example/secret"),
        _ => Reply::with_header(301, "Location", "file:///etc/passwd"),
    })
    .await;
    let f = fetcher();
    let err = f.fetch(&Request::page(server.url("/ftp"))).await.expect_err("ftp");
    assert!(matches!(err, FetchError::BadRedirect { status: 302, .. }), "{err:?}");
    assert!(err.is_permanent());
    assert!(err.to_string().contains("ftp"), "{err}");
    let err = f.fetch(&Request::page(server.url("/file"))).await.expect_err("file");
    assert!(err.to_string().contains("`file` is not http"), "{err}");
}

#[tokio::test]
async fn unsupported_scheme_and_bad_url_are_refused_before_any_request() {
    let f = fetcher();
    let err = f.fetch(&Request::page("ftp://example.com/x")).await.expect_err("ftp");
    assert!(matches!(err, FetchError::UnsupportedScheme { .. }), "{err:?}");
    let err = f.fetch(&Request::page("not a url")).await.expect_err("garbage");
    assert!(matches!(err, FetchError::InvalidUrl { .. }), "{err:?}");
    assert!(err.to_string().contains("not a url"), "{err}");
}

#[tokio::test]
async fn wrong_charset_header_leaves_bytes_untouched() {
    // Declared UTF-8, actually windows-1252: decoding is the extractor's job, not the fetcher's.
    let server =
        TestServer::start(|_, _| Reply::ok("text/html; charset=utf-8", b"<p>caf\xe9 cr\xe8me</p>".to_vec())).await;
    let resp = fetcher()
        .fetch(&Request::page(server.url("/latin1")))
        .await
        .expect("fetched");
    assert_eq!(resp.body, b"<p>caf\xe9 cr\xe8me</p>");
    assert_eq!(resp.content_type.as_deref(), Some("text/html; charset=utf-8"));
}

fn compress(encoding: &str, text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
            e.write_all(text).expect("gzip");
            e.finish().expect("gzip");
        }
        "deflate" => {
            let mut e = flate2::write::ZlibEncoder::new(&mut out, flate2::Compression::default());
            e.write_all(text).expect("deflate");
            e.finish().expect("deflate");
        }
        _ => {
            let mut e = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            e.write_all(text).expect("brotli");
            e.flush().expect("brotli");
        }
    }
    out
}

#[tokio::test]
async fn gzip_deflate_and_brotli_bodies_are_decompressed() {
    let text: &[u8] = b"<rss>hello compressed world, hello compressed world</rss>";
    let server = TestServer::start(move |hit, _| {
        let encoding = hit.path.trim_start_matches('/').to_owned();
        Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), encoding.clone()),
            ],
            body: compress(&encoding, text),
        }
    })
    .await;
    let f = fetcher();
    for encoding in ["gzip", "deflate", "br"] {
        let resp = f
            .fetch(&Request::new(server.url(&format!("/{encoding}")), RequestKind::Feed))
            .await
            .expect("fetched");
        assert_eq!(resp.body, text, "{encoding}");
    }
    let hit = &server.hits_on("/gzip")[0];
    let accept = hit.header("accept-encoding").unwrap_or_default();
    for enc in ["gzip", "deflate", "br"] {
        assert!(accept.contains(enc), "Accept-Encoding {accept:?} lacks {enc}");
    }
}

#[tokio::test]
async fn user_agent_names_newsdesk_and_the_contact_url() {
    let server = TestServer::start(|_, _| Reply::ok("text/plain", "x")).await;
    let settings = newsdesk_fetch::FetchSettings {
        contact_url: "https://desk.example/about".into(),
        ..test_settings()
    };
    let f = Fetcher::new(settings).expect("fetcher");
    f.fetch(&Request::page(server.url("/ua"))).await.expect("fetched");
    let ua = server.hits_on("/ua")[0]
        .header("user-agent")
        .unwrap_or_default()
        .to_owned();
    assert!(ua.starts_with("newsdesk/"), "{ua}");
    assert!(ua.ends_with("(+https://desk.example/about)"), "{ua}");
}

#[tokio::test]
async fn conditional_get_returns_not_modified() {
    let server = TestServer::start(|hit, _| {
        if hit.header("if-none-match") == Some("\"v1\"") {
            return Reply::with_header(304, "ETag", "\"v1\"");
        }
        Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("ETag".into(), "\"v1\"".into()),
                ("Last-Modified".into(), "Wed, 21 Oct 2015 07:28:00 GMT".into()),
                ("Cache-Control".into(), "public, max-age=900".into()),
            ],
            body: b"<rss/>".to_vec(),
        }
    })
    .await;
    let f = fetcher();
    let url = server.url("/feed.xml");
    let first = f.fetch(&Request::feed(&url, None, None)).await.expect("first poll");
    assert!(!first.not_modified);
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    assert_eq!(first.last_modified.as_deref(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(first.max_age, Some(Duration::from_secs(900)));
    let second = f
        .fetch(&Request::feed(&url, first.etag.clone(), first.last_modified.clone()))
        .await
        .expect("second poll");
    assert!(second.not_modified);
    assert_eq!(second.status, 304);
    assert!(second.body.is_empty());
    let hits = server.hits_on("/feed.xml");
    assert_eq!(
        hits[1].header("if-modified-since"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    // First attempt: the server closes the connection without answering.
    let server = TestServer::start(|_, nth| match nth {
        1 => Reply::Raw(Vec::new()),
        _ => Reply::ok("text/html", "second time lucky"),
    })
    .await;
    let resp = fetcher()
        .fetch(&Request::page(server.url("/drop")))
        .await
        .expect("retried");
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.body, b"second time lucky");
}

#[tokio::test]
async fn a_refused_connection_is_a_transient_network_error() {
    // Bind then drop a listener: its port is (almost surely) closed now.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let url = format!("http://127.0.0.1:{port}/nothing-here");
    let err = fetcher().fetch(&Request::page(&url)).await.expect_err("refused");
    assert!(matches!(err, FetchError::Network { .. }), "{err:?}");
    assert!(err.is_transient());
    let msg = err.to_string();
    assert!(msg.contains(&url) && msg.contains("cannot connect"), "{msg}");
}
