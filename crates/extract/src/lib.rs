//! Page bytes → article: clean main text, Markdown, sanitized HTML and metadata. No I/O.

use serde::{Deserialize, Serialize};

/// What is known about a page besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The page's URL (base for relative links; a hint for the canonical URL).
    pub url: Option<&'a str>,
    /// The HTTP Content-Type header (may carry the charset).
    pub content_type: Option<&'a str>,
}

/// An extracted article. Empty `text` with a `reason` when the page holds no article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// ISO 8601, with offset when known.
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    /// Canonical URL of the article.
    pub url: Option<String>,
    /// Main content as plain text: headings on their own lines, paragraphs separated by a blank line.
    pub text: String,
    pub markdown: String,
    /// Sanitized HTML of the main content.
    pub html: String,
    /// Why `text` is empty, when it is.
    pub reason: Option<String>,
}

/// Extract the article from a page.
pub fn extract(bytes: &[u8], opts: &Options) -> Article {
    let _ = (bytes, opts);
    Article {
        reason: Some("extractor not implemented yet".into()),
        ..Default::default()
    }
}
