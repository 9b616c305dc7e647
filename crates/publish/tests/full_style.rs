//! The full style: front matter reads back as the same strings for any title; paths stay in the posts folder.

mod common;

use std::collections::HashSet;

use chrono::DateTime;
use common::{seed_post, HOSTILE_TITLES};
use newsdesk_publish::{render_full, Article, Coverage, Post, Story, POSTS_DIR};
use proptest::prelude::*;
use serde_yaml_ng::Value;

fn front_matter(contents: &str) -> Value {
    let rest = contents.strip_prefix("---\n").expect("front matter opens the file");
    let end = rest.find("\n---\n").expect("front matter is closed");
    serde_yaml_ng::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("invalid YAML ({e}):\n{}", &rest[..end]))
}

fn str_list(value: &Value) -> Vec<String> {
    value
        .as_sequence()
        .map(|s| s.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn post_titled(title: &str) -> Post {
    let date = DateTime::parse_from_rfc3339("2026-01-07T10:32:00+01:00").expect("valid date");
    let mut post = Post::new(
        format!("key:{title}"),
        title,
        date,
        "https://example.com/a?b=1&c=2",
        "file:///feed.xml",
    );
    post.outlet = title.to_string();
    post.tags = vec![title.to_string()];
    post.related = vec![newsdesk_publish::Related {
        headline: title.into(),
        outlet: title.into(),
        link: "https://o.example/1".into(),
    }];
    post.story = Some(Story {
        id: title.into(),
        headline: title.into(),
        coverage: Vec::new(),
    });
    post.article = Some(Article {
        text: title.to_string(),
        authors: vec![title.to_string()],
        description: Some(title.replace('&', "&amp;").replace('<', "&lt;")),
        ..Article::default()
    });
    post
}

fn assert_round_trip(title: &str) {
    let post = post_titled(title);
    let (path, contents) = render_full(&post);
    let fm = front_matter(&contents);
    assert_eq!(fm["title"].as_str(), Some(title), "title {title:?}");
    let outlet = if title.trim().is_empty() {
        "example.com"
    } else {
        title.trim()
    };
    assert_eq!(fm["outlet"].as_str(), Some(outlet), "outlet {title:?}");
    assert_eq!(fm["story_id"].as_str(), Some(title), "story id {title:?}");
    assert_eq!(fm["link"].as_str(), Some("https://example.com/a?b=1&c=2"));
    assert_eq!(fm["draft"].as_bool(), Some(false));
    assert_eq!(fm["related"][0]["url"].as_str(), Some("https://o.example/1"));
    assert!(path.starts_with(POSTS_DIR), "{path:?}");
    assert!(path.components().count() == 3, "{path:?}");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert!(!name.starts_with('.') && name.ends_with(".md"), "{name:?}");
    assert!(
        name.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'),
        "{name:?}"
    );
    // Hugo runs shortcodes in the body only; front matter strings are plain data.
    let body = contents.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert!(
        !body.contains("{{<") && !body.contains("{{%"),
        "shortcode opener left in {body}"
    );
}

#[test]
fn hostile_titles_read_back_unchanged() {
    for title in HOSTILE_TITLES {
        assert_round_trip(title);
    }
}

#[test]
fn hostile_titles_get_distinct_files() {
    let paths: HashSet<_> = HOSTILE_TITLES.iter().map(|t| render_full(&post_titled(t)).0).collect();
    assert_eq!(paths.len(), HOSTILE_TITLES.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_title_reads_back_unchanged(title in any::<String>()) {
        let (path, contents) = render_full(&post_titled(&title));
        let fm = front_matter(&contents);
        prop_assert_eq!(fm["title"].as_str(), Some(title.as_str()));
        prop_assert_eq!(fm["story_id"].as_str(), Some(title.as_str()));
        for author in str_list(&fm["authors"]) {
            prop_assert!(!author.is_empty() && !author.starts_with('.') && !author.ends_with('.'), "{:?}", author);
            prop_assert!(!author.contains(['/', '\\']) && !author.chars().any(char::is_control), "{:?}", author);
        }
        prop_assert!(path.starts_with(POSTS_DIR));
        prop_assert!(!path.to_string_lossy().contains(".."));
    }

    #[test]
    fn any_string_in_any_field_reads_back(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{a0}\"'\\\\:#&*!|>%@`{}\\[\\], -]*") {
        let mut post = post_titled(&s);
        post.feed_url = s.clone();
        post.link = s.clone();
        let (_, contents) = render_full(&post);
        let fm = front_matter(&contents);
        prop_assert_eq!(fm["source"].as_str(), Some(s.as_str()));
        prop_assert_eq!(fm["title"].as_str(), Some(s.as_str()));
    }
}

#[test]
fn google_news_item_without_article() {
    let (path, contents) = render_full(&seed_post());
    let fm = front_matter(&contents);
    assert_eq!(
        fm["title"].as_str(),
        Some("European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris")
    );
    assert_eq!(fm["date"].as_str(), Some("2026-01-07T10:32:00+00:00"));
    assert_eq!(
        fm["description"].as_str(),
        Some("European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris")
    );
    assert_eq!(fm["outlet"].as_str(), Some("ABC News"));
    assert_eq!(str_list(&fm["categories"]), ["abcnews.go.com"]);
    assert_eq!(
        str_list(&fm["tags"]),
        ["milestone", "european", "nations", "ukraine", "commit"]
    );
    assert!(fm.get("lastmod").is_none() && fm.get("image").is_none() && fm.get("language").is_none());
    assert_eq!(fm["source"].as_str(), Some(common::SEED_FEED_URL));
    // The item itself is not its own related coverage.
    let related = fm["related"].as_sequence().map(Vec::len);
    assert_eq!(related, Some(4));
    assert_eq!(fm["related"][0]["outlet"].as_str(), Some("NBC News"));
    assert_eq!(
        fm["related"][1]["title"].as_str(),
        Some("NATO ambassador: \u{2018}We could be on the cusp\u{2019} of peace deal between Russia, Ukraine")
    );
    let body = contents.splitn(3, "---\n").nth(2).unwrap_or_default();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 5, "{body}");
    assert!(lines[0].starts_with("- [European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris](https://news.google.com/rss/articles/CBMitgFB"), "{}", lines[0]);
    assert!(lines[0].ends_with("?oc=5) — ABC News"), "{}", lines[0]);
    assert!(
        lines[3].starts_with("- [Russia\\-Ukraine war: List of key events, day 1,413]("),
        "{}",
        lines[3]
    );
    assert!(path
        .to_string_lossy()
        .starts_with("content/posts/2026-01-07-european-nations-commit-to-troops-in-ukraine"));
}

#[test]
fn enriched_item_uses_the_article() {
    let mut post = seed_post();
    post.resolved_url = Some("https://abcnews.go.com/International/story?id=1".into());
    post.tags = vec!["Ukraine".into(), "Paris talks".into()];
    post.image = Some("https://feed.example/img.jpg".into());
    post.story = Some(Story {
        id: "story-42".into(),
        headline: "Paris peace talks".into(),
        coverage: vec![
            Coverage {
                title: "Other take".into(),
                outlet: "BBC".into(),
                url: "https://bbc.example/x".into(),
            },
            // Already in the related list: not repeated.
            Coverage {
                title: "dup".into(),
                outlet: "NBC News".into(),
                url: post.related[1].link.clone(),
            },
        ],
    });
    post.article = Some(Article {
        text: "First paragraph.\n\nSecond *paragraph*.".into(),
        markdown: Some("First paragraph.\n\nSecond *paragraph* with {{< shortcode >}}.".into()),
        authors: vec!["Jane Doe".into(), " ".into()],
        published: DateTime::parse_from_rfc3339("2026-01-07T09:00:00-05:00").ok(),
        modified: DateTime::parse_from_rfc3339("2026-01-07T12:00:00-05:00").ok(),
        language: Some("en".into()),
        image: Some("https://abcnews.go.com/img.jpg".into()),
        site_name: Some("ABC News".into()),
        description: Some("Leaders met in Paris &amp; agreed on guarantees.".into()),
    });
    let (_, contents) = render_full(&post);
    let fm = front_matter(&contents);
    assert_eq!(
        fm["link"].as_str(),
        Some("https://abcnews.go.com/International/story?id=1")
    );
    assert_eq!(fm["lastmod"].as_str(), Some("2026-01-07T12:00:00-05:00"));
    assert_eq!(
        fm["description"].as_str(),
        Some("Leaders met in Paris & agreed on guarantees.")
    );
    assert_eq!(str_list(&fm["tags"]), ["Ukraine", "Paris talks"]);
    assert_eq!(str_list(&fm["authors"]), ["Jane Doe"]);
    assert_eq!(fm["image"].as_str(), Some("https://abcnews.go.com/img.jpg"));
    assert_eq!(fm["language"].as_str(), Some("en"));
    assert_eq!(fm["story_id"].as_str(), Some("story-42"));
    assert_eq!(fm["story_headline"].as_str(), Some("Paris peace talks"));
    // The taxonomy terms and standard fields a Hugo site (newsdesk's, or another theme) reads.
    assert_eq!(str_list(&fm["stories"]), ["story-42"]);
    assert_eq!(str_list(&fm["outlets"]), ["ABC News"]);
    assert_eq!(str_list(&fm["images"]), ["https://abcnews.go.com/img.jpg"]);
    assert_eq!(
        fm["summary"].as_str(),
        Some("Leaders met in Paris & agreed on guarantees.")
    );
    assert_eq!(fm["related"].as_sequence().map(Vec::len), Some(5));
    assert_eq!(fm["related"][4]["url"].as_str(), Some("https://bbc.example/x"));
    let body = contents.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert_eq!(
        body,
        "First paragraph.\n\nSecond *paragraph* with {{&lt; shortcode >}}.\n\n\
         [Read the original at ABC News](https://abcnews.go.com/International/story?id=1)\n"
    );
}

#[test]
fn plain_text_article_is_escaped() {
    let mut post = post_titled("Title");
    if let Some(a) = post.article.as_mut() {
        a.text = "# Not a heading\n1. not a list\n\n[not](a link)".into();
    }
    post.outlet = "Out_let".into();
    let (_, contents) = render_full(&post);
    let body = contents.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert_eq!(
        body,
        "\\# Not a heading\n1\\. not a list\n\n\\[not\\]\\(a link\\)\n\n\
         [Read the original at Out\\_let](https://example.com/a?b=1&c=2)\n"
    );
}

#[test]
fn non_google_item_without_enrichment() {
    let date = DateTime::parse_from_rfc3339("2026-03-01T08:00:00+02:00").expect("valid date");
    let mut post = Post::new(
        "k",
        "Local news: a [big] day",
        date,
        "https://www.local.example/news/1",
        "https://www.local.example/rss",
    );
    post.description_html = "<p>Tom &amp; Jerry&#8217;s day</p><p>Second</p>".into();
    let (_, contents) = render_full(&post);
    let fm = front_matter(&contents);
    assert_eq!(str_list(&fm["categories"]), ["local.example"]);
    assert_eq!(fm["outlet"].as_str(), Some("local.example"));
    assert_eq!(str_list(&fm["outlets"]), ["local.example"]);
    // No story, no picture: no term or list for them.
    assert!(fm.get("stories").is_none() && fm.get("images").is_none(), "{contents}");
    assert_eq!(fm["description"].as_str(), Some("Tom & Jerry\u{2019}s day Second"));
    let body = contents.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert_eq!(
        body,
        "Tom \\& Jerry\u{2019}s day Second\n\n[Read the original at local.example](https://www.local.example/news/1)\n"
    );
}
