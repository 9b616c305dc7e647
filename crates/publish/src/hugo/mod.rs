//! Hugo posts: the byte-exact seed style and the clean full style; and the site around them.

mod full;
mod seed;
pub mod site;

pub(crate) use full::outlet_domain;
pub use full::render_full;
pub use seed::render_seed;

use std::path::PathBuf;

use crate::post::Post;
use crate::slug::{key_hash, safe_slug};

/// Where posts go, relative to the site directory.
pub const POSTS_DIR: &str = "content/posts";

/// The two post styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Reproduces the seed post byte for byte.
    Seed,
    /// Clean front matter and a Markdown body: the default.
    Full,
}

impl Style {
    /// Render a post in this style: its path relative to the site directory, and the file contents.
    pub fn render(self, post: &Post) -> (PathBuf, String) {
        match self {
            Style::Seed => render_seed(post),
            Style::Full => render_full(post),
        }
    }
}

impl std::str::FromStr for Style {
    type Err = crate::PublishError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "seed" => Ok(Style::Seed),
            "full" => Ok(Style::Full),
            other => Err(crate::PublishError::UnknownStyle(other.to_string())),
        }
    }
}

/// `content/posts/<date>-<slug>-<hash of the item key>.md`: stable across runs, unique per item, and made
/// only of `[a-z0-9-]` plus the extension, so no title can move it out of the posts directory.
pub fn post_path(post: &Post) -> PathBuf {
    let date = post.published.format("%Y-%m-%d");
    let slug = safe_slug(&post.headline);
    PathBuf::from(POSTS_DIR).join(format!("{date}-{slug}-{}.md", key_hash(&post.key)))
}

/// Break Hugo shortcode openers (`{{<`, `{{%`) in content so that text from feeds and pages is never run as a
/// shortcode (an unknown one fails the whole build). The entity renders as the same character.
pub(crate) fn defuse_shortcodes(body: &str) -> String {
    body.replace("{{<", "{{&lt;").replace("{{%", "{{&#37;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn post(key: &str, title: &str) -> Post {
        let date = DateTime::parse_from_rfc3339("2026-01-07T10:32:00+00:00").expect("valid date");
        Post::new(key, title, date, "https://example.com/a", "https://example.com/feed")
    }

    #[test]
    fn paths_are_unique_per_key_and_stay_in_posts() {
        let a = post_path(&post("key-a", "../../Same title"));
        let b = post_path(&post("key-b", "../../Same title"));
        assert_ne!(a, b);
        assert!(a.starts_with(POSTS_DIR));
        let name = a.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(name.starts_with("2026-01-07-same-title-"), "{name}");
        assert!(name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'));
    }

    #[test]
    fn shortcodes_are_defused() {
        assert_eq!(
            defuse_shortcodes("a {{< x >}} {{% y %}}"),
            "a {{&lt; x >}} {{&#37; y %}}"
        );
    }

    #[test]
    fn styles_parse() {
        assert_eq!("seed".parse::<Style>().ok(), Some(Style::Seed));
        assert!("other".parse::<Style>().is_err());
    }
}
