//! JSONL export records: news-please field names and formats.

mod common;

use chrono::DateTime;
use common::{seed_post, SEED_FEED_URL};
use newsdesk_publish::{jsonl_line, jsonl_record, Article, Story};
use serde_json::{json, Value};

#[test]
fn feed_only_item() {
    let record = jsonl_record(&seed_post(), None);
    let value = serde_json::to_value(&record).expect("serialisable");
    let link = seed_post().link;
    assert_eq!(
        value,
        json!({
            "url": link,
            "source_domain": "abcnews.go.com",
            "title": "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris",
            "title_rss": "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris - ABC News",
            "description": "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris",
            "maintext": null,
            "authors": [],
            "date_publish": "2026-01-07 10:32:00",
            "date_modify": null,
            "date_download": null,
            "language": null,
            "image_url": null,
            "story_id": null,
            "tags": [],
            "feed_url": SEED_FEED_URL,
        })
    );
}

#[test]
fn enriched_item_with_dates_in_utc() {
    let mut post = seed_post();
    post.resolved_url = Some("https://abcnews.go.com/International/story?id=1".into());
    post.tags = vec!["ukraine".into()];
    post.story = Some(Story {
        id: "s1".into(),
        ..Story::default()
    });
    post.article = Some(Article {
        text: "Line one.\n\nLine \"two\".".into(),
        authors: vec!["Jane Doe".into()],
        published: DateTime::parse_from_rfc3339("2026-01-07T05:00:00-05:00").ok(),
        modified: DateTime::parse_from_rfc3339("2026-01-07T23:30:00-05:00").ok(),
        language: Some("en".into()),
        image: Some("https://abcnews.go.com/i.jpg".into()),
        description: Some("Leaders &amp; envoys met.".into()),
        ..Article::default()
    });
    let downloaded = DateTime::parse_from_rfc3339("2026-01-08T01:02:03+01:00").ok();
    let line = jsonl_line(&jsonl_record(&post, downloaded)).expect("serialisable");
    assert!(line.ends_with('\n') && line.matches('\n').count() == 1, "{line}");
    let value: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(value["url"], "https://abcnews.go.com/International/story?id=1");
    assert_eq!(value["maintext"], "Line one.\n\nLine \"two\".");
    assert_eq!(value["description"], "Leaders & envoys met.");
    assert_eq!(value["date_publish"], "2026-01-07 10:00:00");
    assert_eq!(value["date_modify"], "2026-01-08 04:30:00");
    assert_eq!(value["date_download"], "2026-01-08 00:02:03");
    assert_eq!(value["authors"], json!(["Jane Doe"]));
    assert_eq!(value["language"], "en");
    assert_eq!(value["image_url"], "https://abcnews.go.com/i.jpg");
    assert_eq!(value["story_id"], "s1");
    assert_eq!(value["tags"], json!(["ukraine"]));
}
