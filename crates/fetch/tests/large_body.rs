//! A 50 MB page without Content-Length: the fetch stops at the cap, the server is not read to
//! the end, and the process's peak memory does not grow by anything near 50 MB. Alone in its
//! own test binary so that the peak-memory reading is this test's.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, Fetcher, Request};

const FIFTY_MB: u64 = 50 * 1024 * 1024;

/// Peak resident set size of this process (VmHWM), in bytes; None off Linux.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test]
async fn fifty_megabyte_page_stops_at_the_cap() {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let server = TestServer::start(move |_, _| Reply::Stream {
        // Close-delimited body: no length announced, so the cap must act while streaming.
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".into(),
        chunk: vec![b'x'; 64 * 1024],
        total: FIFTY_MB,
        sent: counter.clone(),
    })
    .await;
    let before = peak_rss();
    let err = Fetcher::new(test_settings())
        .expect("fetcher")
        .fetch(&Request::page(server.url("/fifty")))
        .await
        .expect_err("over the 1 MiB cap");
    assert!(matches!(err, FetchError::TooLarge { limit: 1048576, .. }), "{err:?}");
    // The client hung up long before the end.
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < FIFTY_MB, "server sent everything");
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grown = after.saturating_sub(before);
        eprintln!("50 MB page: server wrote {sent} bytes before the client hung up; peak RSS grew by {grown} bytes");
        assert!(grown < 20 * 1024 * 1024, "peak memory grew by {grown} bytes");
    }
}
