//! Tags for articles: ranked keyphrases and named entities from the stories crate.

/// Tags shown on a Hugo post (the best of the stored ranking).
pub const HUGO_TAGS: usize = 5;

/// The best `top` tags for an article.
pub fn tags(title: &str, text: &str, language: Option<&str>, top: usize) -> Vec<String> {
    newsdesk_stories::extract_tags(title, text, language, top)
        .into_iter()
        .map(|t| t.text)
        .collect()
}
