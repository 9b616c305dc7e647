//! Google News item semantics: `Headline - Outlet` titles, related-coverage lists, article link tokens.

use serde::{Deserialize, Serialize};

/// One entry of the related-coverage list in a Google News item description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub headline: String,
    pub outlet: String,
    pub link: String,
}

/// What an article link says about the publisher URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ArticleLink {
    /// The publisher URL, decoded offline from the token.
    Decoded(String),
    /// A Google News token that needs the online exchange (`AU_yqL…` payloads); holds the token id.
    Unresolved(String),
    /// Not a Google News article link.
    NotGoogle,
}

pub fn is_google_news(url: &str) -> bool {
    url.contains("news.google.com")
}
