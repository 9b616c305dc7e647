//! robots.txt: disallowed pages are never requested, Crawl-delay spaces requests, the file is
//! fetched once per host, and feeds are not subject to it.

mod common;

use std::time::Duration;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request, RequestKind};

fn polite() -> Fetcher {
    Fetcher::new(FetchSettings {
        respect_robots: true,
        ..test_settings()
    })
    .expect("fetcher")
}

const ROBOTS: &str = "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\nCrawl-delay: 0.2\n";

async fn site() -> TestServer {
    TestServer::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => Reply::ok("text/plain", ROBOTS),
        _ => Reply::ok("text/html", "page"),
    })
    .await
}

#[tokio::test]
async fn disallowed_page_is_refused_without_being_requested() {
    let server = site().await;
    let f = polite();
    let url = server.url("/private/report");
    let err = f.fetch(&Request::page(&url)).await.expect_err("disallowed");
    assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err:?}");
    assert!(err.is_permanent());
    assert!(err.to_string().contains(&url), "{err}");
    assert!(server.hits_on("/private/report").is_empty());
    // A feed is not crawled: robots.txt does not apply.
    f.fetch(&Request::new(&url, RequestKind::Feed))
        .await
        .expect("feed allowed");
}

#[tokio::test]
async fn crawl_delay_spaces_requests_and_robots_is_fetched_once() {
    let server = site().await;
    let f = polite();
    for i in 0..3 {
        f.fetch(&Request::page(server.url(&format!("/news/{i}"))))
            .await
            .expect("allowed");
    }
    assert_eq!(server.hits_on("/robots.txt").len(), 1, "robots.txt cached");
    assert_eq!(f.host_interval(&server.url("/")), Some(Duration::from_millis(200)));
    let hits = server.hits();
    let news: Vec<_> = hits.iter().filter(|h| h.path.starts_with("/news/")).collect();
    assert_eq!(news.len(), 3);
    for pair in news.windows(2) {
        // Lower bound only: the crawl delay is a minimum gap between requests.
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(190), "gap {gap:?}");
    }
}

#[tokio::test]
async fn missing_robots_allows_everything() {
    let server = TestServer::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => Reply::status(404),
        _ => Reply::ok("text/html", "page"),
    })
    .await;
    polite()
        .fetch(&Request::page(server.url("/private/x")))
        .await
        .expect("allowed");
}

#[tokio::test]
async fn unreachable_robots_blocks_pages_for_now() {
    let server = TestServer::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => Reply::status(500),
        _ => Reply::ok("text/html", "page"),
    })
    .await;
    let err = polite()
        .fetch(&Request::page(server.url("/news/1")))
        .await
        .expect_err("unavailable");
    assert!(matches!(err, FetchError::RobotsUnavailable { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(server.hits_on("/news/1").is_empty());
}

#[tokio::test]
async fn a_rule_the_parser_refuses_does_not_allow_everything() {
    // 40 wildcards and `$` exceed `texting_robots`'s regex limit: that one rule is left out, the
    // `Disallow: /` beside it still holds
    let robots = format!("User-agent: *\nDisallow: /{}$\nDisallow: /\n", "a*".repeat(40));
    let server = TestServer::start(move |hit, _| match hit.path.as_str() {
        "/robots.txt" => Reply::ok("text/plain", robots.as_bytes()),
        _ => Reply::ok("text/html", "page"),
    })
    .await;
    let err = polite()
        .fetch(&Request::page(server.url("/news/1")))
        .await
        .expect_err("disallowed");
    assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err:?}");
    assert!(server.hits_on("/news/1").is_empty());
}
