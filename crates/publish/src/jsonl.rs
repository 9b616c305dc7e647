//! JSONL export records with the field names news-please users know.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::html_text::clean_text;
use crate::hugo::outlet_domain;
use crate::post::Post;

/// How dates are written: news-please's own format (`2026-01-07 10:32:00`), in UTC.
pub const DATE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// One line of the export. The first twelve fields are news-please's; unknown values are `null` as there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonlRecord {
    /// The publisher URL when resolved, else the item link.
    pub url: String,
    /// The outlet's domain without `www.`.
    pub source_domain: Option<String>,
    /// The headline (without the ` - Outlet` suffix of Google News titles).
    pub title: String,
    /// The title exactly as the feed carried it.
    pub title_rss: String,
    pub description: Option<String>,
    /// The article text, when extracted.
    pub maintext: Option<String>,
    pub authors: Vec<String>,
    pub date_publish: Option<String>,
    pub date_modify: Option<String>,
    pub date_download: Option<String>,
    pub language: Option<String>,
    pub image_url: Option<String>,
    pub story_id: Option<String>,
    pub tags: Vec<String>,
    /// Named entities of the article, when the tagging stage found any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<String>,
    pub feed_url: String,
}

/// The export record of `post`; `downloaded` is when its page was fetched, if it was.
pub fn jsonl_record(post: &Post, downloaded: Option<DateTime<FixedOffset>>) -> JsonlRecord {
    let article = post.article.as_ref();
    let description = article
        .and_then(|a| a.description.as_deref())
        .map(clean_text)
        .filter(|d| !d.is_empty())
        .or_else(|| {
            post.related
                .first()
                .map(|r| r.headline.trim().to_string())
                .filter(|d| !d.is_empty())
        })
        .or_else(|| Some(clean_text(&post.description_html)).filter(|d| !d.is_empty()));
    let title = if post.headline.trim().is_empty() {
        &post.raw_title
    } else {
        &post.headline
    };
    JsonlRecord {
        url: post.best_url().to_string(),
        source_domain: outlet_domain(post),
        title: title.clone(),
        title_rss: post.raw_title.clone(),
        description,
        maintext: article.map(|a| a.text.clone()).filter(|t| !t.trim().is_empty()),
        authors: article.map(|a| a.authors.clone()).unwrap_or_default(),
        date_publish: Some(news_please_date(
            article.and_then(|a| a.published).unwrap_or(post.published),
        )),
        date_modify: article.and_then(|a| a.modified).map(news_please_date),
        date_download: downloaded.map(news_please_date),
        language: article
            .and_then(|a| a.language.clone())
            .filter(|l| !l.trim().is_empty()),
        image_url: article
            .and_then(|a| a.image.clone())
            .or_else(|| post.image.clone())
            .filter(|i| !i.trim().is_empty()),
        story_id: post.story.as_ref().map(|s| s.id.clone()),
        tags: post.tags.clone(),
        people: post.people.clone(),
        places: post.places.clone(),
        organizations: post.organizations.clone(),
        feed_url: post.feed_url.clone(),
    }
}

/// One JSONL line (with its trailing newline) for `record`.
pub fn jsonl_line(record: &JsonlRecord) -> Result<String, serde_json::Error> {
    let mut line = serde_json::to_string(record)?;
    line.push('\n');
    Ok(line)
}

fn news_please_date(date: DateTime<FixedOffset>) -> String {
    date.with_timezone(&Utc).format(DATE_FORMAT).to_string()
}
