//! The same article reached through several feeds, AMP pages and its canonical link is one URL.

use newsdesk_stories::{canonical_url, same_article, url_identity};

const LINKS: &str = include_str!("fixtures/same_article_links.txt");

fn links() -> Vec<&'static str> {
    LINKS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn every_link_of_the_article_has_one_canonical_url() {
    let links = links();
    assert!(
        links.len() >= 8,
        "fixture has the three feeds, AMP variants and the canonical link"
    );
    let canonical = links.last().copied().unwrap_or_default();
    let want = "https://www.example-news.com/world/2024/05/14/harbour-bridge-reopens-after-repairs";
    for link in &links {
        match canonical_url(link) {
            Ok(got) => assert_eq!(got, want, "{link}"),
            Err(e) => panic!("{e}"),
        }
        assert!(same_article(link, canonical), "{link}");
    }
}

#[test]
fn other_articles_and_content_parameters_stay_distinct() {
    let base = "https://www.example-news.com/world/2024/05/14/harbour-bridge-reopens-after-repairs";
    assert!(!same_article(
        base,
        "https://www.example-news.com/world/2024/05/14/harbour-bridge-closes"
    ));
    assert!(!same_article(
        "https://news.example.org/article?id=17&utm_source=x",
        "https://news.example.org/article?id=18"
    ));
    assert!(same_article(
        "https://news.example.org/article?id=17&page=2",
        "https://news.example.org/article?page=2&id=17"
    ));
}

#[test]
fn identity_is_stable_for_storage() {
    assert_eq!(
        url_identity("http://www.example.org/a/b/?utm_medium=email&z=1&a=2")
            .ok()
            .as_deref(),
        Some("example.org/a/b?a=2&z=1")
    );
}
