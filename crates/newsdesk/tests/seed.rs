//! The seed: the Google News World item published in the seed style byte for byte, and replayed through a
//! local server playing Google News and ABC News into a full-text post with the publisher's link.

mod common;

use common::server::{Reply, TestServer};
use common::*;
use serde_json::{json, Value};

#[test]
fn seed_post_is_reproduced_byte_for_byte() {
    let Some(seeds) = seeds_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    newsdesk_ok(dir.path(), &["init", "."]);
    let rss = seeds.join("google-news-world.rss");
    let rss = rss.to_str().expect("utf-8 path");
    newsdesk_ok(dir.path(), &["feeds", "ingest", rss, "--url", SEED_FEED_URL]);
    // Ingesting again is an upsert: still one item, one post.
    let again = newsdesk_ok(dir.path(), &["feeds", "ingest", rss, "--url", SEED_FEED_URL]);
    assert!(again.contains("0 new"), "{again}");
    newsdesk_ok(dir.path(), &["publish", "hugo", "out", "--style", "seed"]);
    let posts: Vec<_> = std::fs::read_dir(dir.path().join("out/content/posts"))
        .expect("posts dir")
        .flatten()
        .collect();
    assert_eq!(posts.len(), 1);
    let got = std::fs::read(posts[0].path()).expect("post");
    let want = std::fs::read(seeds.join("004_4c2a00dec66eaaad.txt")).expect("seed post");
    assert!(got == want, "seed post differs:\n{}", String::from_utf8_lossy(&got));
}

/// An ABC News-like page for the seed story: the article among the clutter the old scraper glued into its text.
fn abc_page(article_text: &str) -> String {
    let mut lines = article_text.lines().map(str::trim).filter(|l| !l.is_empty());
    // The old scrape starts with other headlines and dates; the article starts at its own headline.
    let title = "European nations commit to troops in Ukraine as part of ‘milestone’ peace talks in Paris";
    let body: String = lines
        .by_ref()
        .skip_while(|l| !l.starts_with("(LONDON)"))
        .filter(|l| !l.starts_with("Copyright"))
        .map(|l| format!("<p>{l}</p>\n"))
        .collect();
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} - ABC News</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="ABC News">
<link rel="canonical" href="https://abcnews.go.com/International/european-nations-troops-ukraine/story?id=1">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}","datePublished":"2026-01-07T10:32:00Z","author":[{{"@type":"Person","name":"Tom Soufi Burridge"}}]}}</script>
</head><body><header><nav><a href="/">ABC News</a> <a href="/politics">Politics</a></nav></header>
<section class="trending"><h2>Top stories</h2>
<a href="/a">US military is ‘always an option’ for Trump to acquire Greenland, White House official says</a><span>January 6, 2026</span>
<a href="/b">Nick Reiner expected to enter plea in stabbing deaths of parents Rob and Michele Reiner</a><span>January 7, 2026</span></section>
<article><h1>{title}</h1>{body}</article>
<footer>Copyright © 2026, ABC Audio. All rights reserved.</footer></body></html>"#
    )
}

#[test]
fn seed_feed_replayed_through_local_google_news_and_abc_news_gives_the_full_article() {
    let Some(seeds) = seeds_dir() else { return };
    let feed = std::fs::read_to_string(seeds.join("google-news-world.rss")).expect("seed feed");
    let scraped = std::fs::read_to_string(seeds.join("000_274d152f45bbcd51.txt")).expect("seed scrape");
    let page = abc_page(&scraped);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let base_cell: std::sync::Arc<std::sync::OnceLock<String>> = Default::default();
    let cell = base_cell.clone();
    let server = rt.block_on(TestServer::start(move |hit, _| {
        let base = cell.get().cloned().unwrap_or_default();
        let path = hit.path.split('?').next().unwrap_or_default().to_string();
        if path == "/rss/topics/world" {
            Reply::ok("application/rss+xml; charset=utf-8", feed.clone())
        } else if let Some(id) = path.strip_prefix("/rss/articles/") {
            Reply::ok(
                "text/html",
                format!("<c-wiz><div data-n-a-id=\"{id}\" data-n-a-ts=\"1767781920\" data-n-a-sg=\"AZ5r3e{}\"></div></c-wiz>", id.len()),
            )
        } else if path == "/_/DotsSplashUi/data/batchexecute" {
            let body = String::from_utf8_lossy(&hit.body).to_string();
            let f_req = url::form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "f.req").map(|(_, v)| v.to_string());
            let v: Value = serde_json::from_str(&f_req.unwrap_or_default()).unwrap_or(Value::Null);
            let entries: Vec<Value> = v[0]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|env| {
                    let url = format!("{base}/International/european-nations-troops-ukraine/story?id=1");
                    json!(["wrb.fr", "Fbv4je", json!(["garturlres", url, 1]).to_string(), null, null, null, env[3].clone()])
                })
                .collect();
            let chunk = Value::Array(entries).to_string();
            Reply::ok("application/json", format!(")]}}'\n\n{}\n{chunk}\n", chunk.len()))
        } else if path == "/International/european-nations-troops-ukraine/story" {
            Reply::ok("text/html; charset=utf-8", page.clone())
        } else {
            Reply::status(404)
        }
    }));
    let base = format!("http://{}", server.addr);
    base_cell.set(base.clone()).expect("once");
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), &[format!("{base}/rss/topics/world")], &base, "");
    let out = newsdesk_ok(dir.path(), &["run", "--once"]);
    assert!(out.contains("1 extracted"), "{out}");
    let posts = posts(dir.path());
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let post = posts.values().next().expect("post");
    assert!(
        post.contains(&format!(
            "link: \"{base}/International/european-nations-troops-ukraine/story?id=1\""
        )),
        "{post}"
    );
    assert!(
        post.contains("(LONDON) — U.S., European and Ukrainian representatives are gathering in Paris"),
        "{post}"
    );
    assert!(
        post.contains("“Thank you, America, for your willingness to provide backstop"),
        "{post}"
    );
    // None of what the old scraper glued above the article.
    assert!(!post.contains("Nick Reiner"), "{post}");
    assert!(!post.contains("always an option"), "{post}");
    assert!(post.contains("  - \"Tom Soufi Burridge\""), "{post}");
    assert!(post.contains("outlet: \"ABC News\""), "{post}");
    // The other outlets of the Google News item are kept as related coverage.
    assert!(post.contains("outlet: \"Al Jazeera\""), "{post}");
}
