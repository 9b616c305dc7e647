//! The seed document: the Google News World topic feed as saved in `shared/seeds/` beside the repository.
//! Skips (passing) when the seed is not there.

use std::path::PathBuf;

use newsdesk_feeds::gnews::{decode_article_link, related_coverage, split_title, ArticleLink};

fn seed() -> Option<Vec<u8>> {
    let beside_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/google-news-world.rss");
    [beside_repo, PathBuf::from("/work/shared/seeds/google-news-world.rss")]
        .iter()
        .find_map(|p| std::fs::read(p).ok())
}

const FEED_URL: &str =
    "https://news.google.com/rss/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB?hl=en-US&gl=US&ceid=US:en";

#[test]
fn seed_item_title_and_summary_are_exact() {
    let Some(bytes) = seed() else {
        eprintln!("seed feed not found; skipping");
        return;
    };
    let feed =
        newsdesk_feeds::parse(&bytes, Some(FEED_URL), Some("application/xml; charset=UTF-8")).expect("seed parses");
    assert!(feed.repairs.is_empty(), "the seed is well-formed: {:?}", feed.repairs);
    assert_eq!(feed.meta.title, "World - Latest - Google News");
    let item = &feed.items[0];
    assert_eq!(
        item.title,
        "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris - ABC News"
    );
    let summary = item.summary.as_deref().expect("summary");
    assert!(
        summary.starts_with("<ol><li><a href=\"https://news.google.com/rss/articles/CBMi"),
        "{summary}"
    );
    assert!(
        summary.contains("</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">ABC News</font>"),
        "{summary}"
    );
    assert!(item.id.starts_with("CBMi"), "the guid is the id: {}", item.id);
    assert_eq!(
        item.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-01-07T10:32:00+00:00")
    );
    let source = item.source.as_ref().expect("source");
    assert_eq!(source.title, "ABC News");
    assert!(
        source.url.as_deref().is_some_and(|u| u.starts_with("https://")),
        "{source:?}"
    );
}

#[test]
fn seed_google_news_semantics() {
    let Some(bytes) = seed() else {
        eprintln!("seed feed not found; skipping");
        return;
    };
    let feed = newsdesk_feeds::parse(&bytes, Some(FEED_URL), None).expect("seed parses");
    assert!(!feed.items.is_empty());
    for item in &feed.items {
        let (headline, outlet) = split_title(&item.title, item.source.as_ref().map(|s| s.title.as_str()));
        assert!(!headline.is_empty());
        assert_eq!(
            outlet.as_deref(),
            item.source.as_ref().map(|s| s.title.as_str()),
            "{}",
            item.title
        );
        // Today's tokens are the newer form: they need the online exchange.
        let link = item.link.as_deref().expect("link");
        assert!(
            matches!(decode_article_link(link), ArticleLink::Unresolved(t) if t.starts_with("CBMi")),
            "{link}"
        );
    }
    let related = related_coverage(feed.items[0].summary.as_deref().unwrap_or(""));
    assert!(!related.is_empty());
    assert_eq!(related[0].outlet, "ABC News");
    assert_eq!(
        related[0].headline,
        "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris"
    );
    assert!(related
        .iter()
        .all(|r| r.link.starts_with("https://news.google.com/rss/articles/")));
}
