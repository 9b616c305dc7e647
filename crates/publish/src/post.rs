//! The input of every publisher: one item with everything known about it, as plain owned values.
//!
//! The application maps its stored rows into these types; nothing here reads a store, a clock or the network.

use chrono::{DateTime, FixedOffset};
pub use newsdesk_feeds::gnews::Related;
use serde::{Deserialize, Serialize};

/// One feed item ready to be published, with its optional enrichments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Stable identity of the item (the store's item key); file names carry a short hash of it so that two
    /// different items never share a file.
    pub key: String,
    /// The title exactly as the feed carries it (entities decoded), e.g. `Headline - Outlet`.
    pub raw_title: String,
    /// The headline part of a Google News `Headline - Outlet` title; the whole title for other feeds.
    pub headline: String,
    /// The outlet part of a Google News title (or the `<source>` text); empty when unknown.
    pub outlet: String,
    /// The outlet's home page from `<source url="…">`.
    pub outlet_url: Option<String>,
    /// Publication date as the feed gave it. When the feed gives none, the application passes the time it first
    /// saw the item, so that rendering stays deterministic.
    pub published: DateTime<FixedOffset>,
    /// The item link as the feed carries it (a Google News article link for Google News feeds).
    pub link: String,
    /// The URL of the feed the item came from.
    pub feed_url: String,
    /// The item's description HTML, XML-unescaped once (what an XML parser yields).
    pub description_html: String,
    /// Enclosure or media image URL from the feed.
    pub image: Option<String>,
    /// The related-coverage list of a Google News description; empty for other feeds.
    pub related: Vec<Related>,
    /// The publisher URL once the Google News link is resolved (or the item link was already one).
    pub resolved_url: Option<String>,
    /// The extracted article, once fetched and extracted.
    pub article: Option<Article>,
    /// Tags computed by the tagging stage; empty when not tagged yet.
    pub tags: Vec<String>,
    /// People named in the article, most mentioned first; empty when unknown.
    #[serde(default)]
    pub people: Vec<String>,
    /// Places named in the article, most mentioned first.
    #[serde(default)]
    pub places: Vec<String>,
    /// Organisations named in the article, most mentioned first.
    #[serde(default)]
    pub organizations: Vec<String>,
    /// The story the item was clustered into.
    pub story: Option<Story>,
}

/// What extraction found on the publisher's page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Plain text, paragraphs separated by blank lines.
    pub text: String,
    /// The same content as Markdown, when the extractor produced it.
    pub markdown: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    /// BCP 47 language tag or ISO 639-1 code.
    pub language: Option<String>,
    pub image: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
}

/// The story (cluster of items about the same event) an item belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub id: String,
    pub headline: String,
    /// The other items of the story.
    pub coverage: Vec<Coverage>,
}

/// One other article covering the same story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub title: String,
    pub outlet: String,
    pub url: String,
}

impl Post {
    /// A post with the required fields and no enrichments; `raw_title` doubles as the headline.
    pub fn new(
        key: impl Into<String>,
        raw_title: impl Into<String>,
        published: DateTime<FixedOffset>,
        link: impl Into<String>,
        feed_url: impl Into<String>,
    ) -> Self {
        let raw_title = raw_title.into();
        Post {
            key: key.into(),
            headline: raw_title.clone(),
            raw_title,
            outlet: String::new(),
            outlet_url: None,
            published,
            link: link.into(),
            feed_url: feed_url.into(),
            description_html: String::new(),
            image: None,
            related: Vec::new(),
            resolved_url: None,
            article: None,
            tags: Vec::new(),
            people: Vec::new(),
            places: Vec::new(),
            organizations: Vec::new(),
            story: None,
        }
    }

    /// The best URL for a reader: the resolved publisher URL when known, else the item link.
    pub fn best_url(&self) -> &str {
        match self.resolved_url.as_deref() {
            Some(url) if !url.trim().is_empty() => url,
            _ => &self.link,
        }
    }
}
