//! JSON Feed 1.0 and 1.1 into the item model.

use serde_json::Value;

use crate::authors::author_name;
use crate::dates::parse_date;
use crate::entities::{collapse_whitespace, html_to_text, looks_like_html};
use crate::fields::Unique;
use crate::urls::{absolutize_html, resolve};
use crate::{FeedError, FeedMeta, Item};

/// Parses a JSON Feed document. `url` is the base for relative links.
pub(crate) fn map(text: &str, url: Option<&str>) -> Result<(FeedMeta, Vec<Item>), FeedError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| FeedError::NotAFeed(format!("invalid JSON: {e}")))?;
    let Some(obj) = doc.as_object() else {
        return Err(FeedError::NotAFeed("JSON document is not an object".into()));
    };
    let is_feed = obj
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org"))
        || obj.contains_key("items");
    if !is_feed {
        return Err(FeedError::NotAFeed(
            "JSON document has neither a JSON Feed version nor items".into(),
        ));
    }
    let base = url.map(str::to_string).or_else(|| str_field(&doc, "feed_url"));
    let home = str_field(&doc, "home_page_url").map(|h| resolve(base.as_deref(), &h));
    // JSON Feed has no id field: the feed's own URL identifies it, else its home page.
    let id = str_field(&doc, "feed_url")
        .map(|f| resolve(url, &f))
        .or_else(|| home.clone());
    let meta = FeedMeta {
        title: str_field(&doc, "title").map(|t| text_field(&t)).unwrap_or_default(),
        link: home.clone(),
        description: str_field(&doc, "description"),
        language: str_field(&doc, "language"),
        updated: None,
        ttl_minutes: None,
        id,
        authors: people(&doc),
        image: str_field(&doc, "icon")
            .or_else(|| str_field(&doc, "favicon"))
            .map(|u| resolve(base.as_deref(), &u)),
    };
    let items = obj
        .get("items")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[]);
    let item_base = base.or(home);
    let items = items
        .iter()
        .filter(|i| i.is_object())
        .map(|i| item(i, item_base.as_deref()))
        .collect();
    Ok((meta, items))
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// JSON Feed titles are plain text, but publishers do put entities and tags in them.
fn text_field(s: &str) -> String {
    if looks_like_html(s) {
        html_to_text(s)
    } else {
        collapse_whitespace(s)
    }
}

/// The first attachment whose `mime_type` is an image.
fn image_attachment(v: &Value) -> Option<String> {
    v.get("attachments")?.as_array()?.iter().find_map(|a| {
        let is_image = str_field(a, "mime_type").is_some_and(|m| m.to_ascii_lowercase().starts_with("image/"));
        if is_image {
            str_field(a, "url")
        } else {
            None
        }
    })
}

/// The authors of a feed or item, as names (a URL when an author has no name).
fn people(v: &Value) -> Vec<String> {
    let mut authors = Unique::default();
    // 1.1 has "authors"; 1.0 had a single "author".
    let list = v
        .get("authors")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[]);
    for p in list.iter().chain(v.get("author")) {
        authors.push(
            str_field(p, "name")
                .and_then(|n| author_name(&n))
                .or_else(|| str_field(p, "url")),
        );
    }
    authors.into_vec()
}

fn item(v: &Value, base: Option<&str>) -> Item {
    let guid = match v.get("id") {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let link = str_field(v, "url")
        .or_else(|| str_field(v, "external_url"))
        .map(|u| resolve(base, &u));
    let mut categories = Unique::default();
    for t in v
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[])
    {
        categories.push(t.as_str().map(str::to_string));
    }
    Item {
        id: String::new(),
        title: str_field(v, "title").map(|t| text_field(&t)).unwrap_or_default(),
        link,
        published: str_field(v, "date_published").and_then(|d| parse_date(&d)),
        updated: str_field(v, "date_modified").and_then(|d| parse_date(&d)),
        summary: str_field(v, "summary").map(|h| absolutize_html(base, &h)),
        content: str_field(v, "content_html")
            .map(|h| absolutize_html(base, &h))
            .or_else(|| str_field(v, "content_text")),
        authors: people(v),
        categories: categories.into_vec(),
        image: str_field(v, "image")
            .or_else(|| str_field(v, "banner_image"))
            .or_else(|| image_attachment(v))
            .map(|u| resolve(base, &u)),
        source: None,
    }
    .with_guid(guid)
}
