//! What the clusterer needs to know about an article.

use serde::{Deserialize, Serialize};

/// An article as the clusterer sees it. Only `id` and `title` are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// The pipeline's stable key for the article (e.g. its canonical URL or store id).
    pub id: String,
    /// Headline.
    pub title: String,
    /// Lead or full text; only the opening words are used, so passing the whole text is fine.
    pub text: Option<String>,
    /// Publication (or first-seen) time, Unix seconds UTC.
    pub date: Option<i64>,
    /// Outlet name or domain.
    pub source: Option<String>,
    /// Article URL (canonical when known).
    pub url: Option<String>,
    /// Links to other outlets' coverage of the same event, e.g. Google News' related-coverage list.
    pub related: Vec<String>,
    /// ISO 639-1 language code, when known; English rules otherwise.
    pub language: Option<String>,
}

impl Article {
    /// An article with an id and a title, nothing else.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            ..Self::default()
        }
    }
}
