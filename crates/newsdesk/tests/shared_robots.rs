//! robots.txt shared through the store: fetchers that crawl one host together (the workers of a desk) fetch
//! its robots.txt once, and every one of them keeps its rules.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::server::{test_settings, Reply, TestServer};
use newsdesk::pipeline::shared_hosts::StoreHosts;
use newsdesk::store::Store;
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request};

const ROBOTS: &str = "User-agent: *\nDisallow: /private\n";

/// A fetcher as a worker process has one, sharing its hosts through `store`.
fn worker(store: &Arc<dyn Store>) -> Fetcher {
    let fetcher = Fetcher::new(FetchSettings {
        respect_robots: true,
        ..test_settings()
    })
    .expect("fetcher");
    fetcher.share_hosts(Arc::new(StoreHosts::new(store.clone())));
    fetcher
}

fn sqlite_store(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    newsdesk::store::open_sqlite(&dir.path().join("desk.db")).expect("open the store")
}

/// A site whose robots.txt answer is `robots()`, and whose other paths are pages.
async fn site(robots: fn() -> Reply) -> TestServer {
    TestServer::start(move |hit, _| match hit.path.as_str() {
        "/robots.txt" => robots(),
        _ => Reply::ok("text/html", "page"),
    })
    .await
}

async fn refused(fetcher: &Fetcher, url: &str) -> FetchError {
    fetcher.fetch(&Request::page(url)).await.expect_err("a disallowed page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_fetch_robots_txt_once_and_all_keep_its_rules() {
    // A slow robots.txt: every worker needs it while the first one's fetch is under way.
    let server = site(|| Reply::Delayed(Duration::from_millis(150), Box::new(Reply::ok("text/plain", ROBOTS)))).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir);
    let workers: Vec<Fetcher> = (0..3).map(|_| worker(&store)).collect();
    let mut tasks = Vec::new();
    for (i, fetcher) in workers.iter().enumerate() {
        let (fetcher, url) = (fetcher.clone(), server.url(&format!("/news/{i}")));
        tasks.push(tokio::spawn(async move { fetcher.fetch(&Request::page(&url)).await }));
    }
    for task in tasks {
        task.await.expect("fetch task").expect("an allowed page");
    }
    assert_eq!(
        server.hits_on("/robots.txt").len(),
        1,
        "one robots.txt request for the three workers"
    );
    for fetcher in &workers {
        let err = refused(fetcher, &server.url("/private/report")).await;
        assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err:?}");
    }
    // A worker that starts later reads the copy in the store.
    let late = worker(&store);
    late.fetch(&Request::page(server.url("/news/late")))
        .await
        .expect("an allowed page");
    let err = refused(&late, &server.url("/private/late")).await;
    assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err:?}");
    assert_eq!(server.hits_on("/robots.txt").len(), 1, "still one robots.txt request");
    assert!(server.hits_on("/private/report").is_empty() && server.hits_on("/private/late").is_empty());
}

#[tokio::test]
async fn a_missing_robots_txt_is_shared_as_allowing_everything() {
    let server = site(|| Reply::status(404)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir);
    for n in 0..2 {
        worker(&store)
            .fetch(&Request::page(server.url(&format!("/private/{n}"))))
            .await
            .expect("everything allowed");
    }
    assert_eq!(server.hits_on("/robots.txt").len(), 1, "the 404 is shared");
}

#[tokio::test]
async fn an_unreachable_robots_txt_is_not_shared() {
    let server = site(|| Reply::status(503)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir);
    let first = refused(&worker(&store), &server.url("/news/1")).await;
    assert!(matches!(first, FetchError::RobotsUnavailable { .. }), "{first:?}");
    let asked = server.hits_on("/robots.txt").len();
    // The next worker does not take the failure for a verdict: it asks the origin itself.
    let second = refused(&worker(&store), &server.url("/news/2")).await;
    assert!(matches!(second, FetchError::RobotsUnavailable { .. }), "{second:?}");
    assert!(
        server.hits_on("/robots.txt").len() > asked,
        "the second worker asked for robots.txt again"
    );
    assert!(server.hits_on("/news/1").is_empty() && server.hits_on("/news/2").is_empty());
}
