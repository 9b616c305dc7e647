//! Tags for articles: keyphrases and entities from the stories crate.

/// The best `top` tags for an article.
pub fn tags(title: &str, text: &str, language: Option<&str>, top: usize) -> Vec<String> {
    let _ = (text, language);
    newsdesk_publish::title_tags(title, top)
}
