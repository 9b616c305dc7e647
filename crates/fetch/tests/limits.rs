//! Bodies that never end, end too soon, or are far too big.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request};

fn once() -> FetchSettings {
    FetchSettings {
        max_attempts: 1,
        ..test_settings()
    }
}

#[tokio::test]
async fn a_body_that_never_ends_is_cut_by_the_idle_timeout() {
    let server = TestServer::start(|_, _| {
        Reply::Hang(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><body>start".to_vec(),
        )
    })
    .await;
    let url = server.url("/endless");
    let err = Fetcher::new(once())
        .expect("fetcher")
        .fetch(&Request::page(&url))
        .await
        .expect_err("never ends");
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(err.to_string().contains(&url), "{err}");
}

#[tokio::test]
async fn headers_that_never_come_time_out() {
    let server = TestServer::start(|_, _| Reply::Hang(Vec::new())).await;
    let err = Fetcher::new(once())
        .expect("fetcher")
        .fetch(&Request::page(server.url("/silent")))
        .await
        .expect_err("no answer");
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn truncated_body_is_reported_with_both_lengths() {
    let server = TestServer::start(|_, _| {
        let mut raw =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n".to_vec();
        raw.extend_from_slice(&[b'a'; 100]);
        Reply::Raw(raw)
    })
    .await;
    let err = Fetcher::new(test_settings())
        .expect("fetcher")
        .fetch(&Request::page(server.url("/short")))
        .await
        .expect_err("truncated");
    match &err {
        FetchError::Truncated { received, expected, .. } => {
            assert_eq!((*received, *expected), (100, 1000));
        }
        other => panic!("expected Truncated, got {other:?}"),
    }
    assert!(err.is_transient());
    assert_eq!(server.hits_on("/short").len(), 3, "a truncated body is retried");
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap() {
    // 64 MiB of zeros compress to about 64 KiB; the cap is 1 MiB of decompressed bytes.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&zeros).expect("gzip");
    }
    let bomb = Arc::new(enc.finish().expect("gzip"));
    assert!(
        bomb.len() < 1 << 20,
        "the compressed bomb is under the cap: {}",
        bomb.len()
    );
    let served = bomb.clone();
    let server = TestServer::start(move |_, _| Reply::Full {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "text/html".into()),
            ("Content-Encoding".into(), "gzip".into()),
        ],
        body: served.to_vec(),
    })
    .await;
    let err = Fetcher::new(once())
        .expect("fetcher")
        .fetch(&Request::page(server.url("/bomb")))
        .await
        .expect_err("bomb");
    assert!(matches!(err, FetchError::TooLarge { limit: 1048576, .. }), "{err:?}");
    assert!(err.is_permanent());
}

#[tokio::test]
async fn an_announced_oversized_body_is_refused_without_reading_it() {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let server = TestServer::start(move |_, _| Reply::Stream {
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52428800\r\n\r\n".into(),
        chunk: vec![b'x'; 64 * 1024],
        total: 50 * 1024 * 1024,
        sent: counter.clone(),
    })
    .await;
    let err = Fetcher::new(test_settings())
        .expect("fetcher")
        .fetch(&Request::page(server.url("/huge")))
        .await
        .expect_err("too large");
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
    assert_eq!(server.hits_on("/huge").len(), 1, "too large is permanent");
    assert!(sent.load(Ordering::SeqCst) < 50 * 1024 * 1024);
}
