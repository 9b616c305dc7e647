//! One request at a time per host, and the global limit across hosts.

mod common;

use std::time::Duration;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchSettings, Fetcher, Request};

fn slow_server() -> impl std::future::Future<Output = TestServer> {
    TestServer::start(|_, _| Reply::Delayed(Duration::from_millis(30), Box::new(Reply::ok("text/html", "page"))))
}

#[tokio::test]
async fn requests_to_one_host_take_turns() {
    let server = slow_server().await;
    let f = Fetcher::new(test_settings()).expect("fetcher");
    let fetches = (0..4).map(|i| {
        let f = f.clone();
        let url = server.url(&format!("/p/{i}"));
        async move { f.fetch(&Request::page(url)).await }
    });
    for result in futures_join(fetches).await {
        result.expect("fetched");
    }
    assert_eq!(server.hits().len(), 4);
    assert_eq!(server.peak_in_flight(), 1, "two requests to one host overlapped");
}

#[tokio::test]
async fn the_global_limit_holds_across_hosts() {
    let server = slow_server().await;
    let f = Fetcher::new(FetchSettings {
        global_concurrency: 1,
        ..test_settings()
    })
    .expect("fetcher");
    // 127.0.0.1 and localhost are two hosts for politeness, one server here.
    let port = server.addr.port();
    let fetches = (0..4).map(|i| {
        let f = f.clone();
        let host = if i % 2 == 0 { "127.0.0.1" } else { "localhost" };
        let url = format!("http://{host}:{port}/p/{i}");
        async move { f.fetch(&Request::page(url)).await }
    });
    for result in futures_join(fetches).await {
        result.expect("fetched");
    }
    assert_eq!(server.hits().len(), 4);
    assert_eq!(server.peak_in_flight(), 1, "the global limit of 1 was exceeded");
}

/// Runs the futures concurrently on spawned tasks and collects their results in order.
async fn futures_join<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
