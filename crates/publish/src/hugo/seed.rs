//! The seed style: reproduces the reference post byte for byte (see `tests/seed_post.rs`).

use std::path::PathBuf;

use super::{defuse_shortcodes, post_path};
use crate::html_text::strip_tags;
use crate::post::Post;
use crate::slug::seed_slug;
use crate::title_tags::{title_tags, SEED_TAG_COUNT};
use crate::urls::host_of;
use crate::yaml::{double_quoted, single_quoted};

/// Render `post` in the seed style: the path relative to the site directory, and the file contents.
///
/// Field rules (from the reference file): `title` is the raw feed title, double-quoted; `date` the publication
/// date (YYYY-MM-DD in the feed's own offset); `description` and `summary` the description HTML with tags
/// removed and entities left as they are; `slug` the seed slug of the title; `image`, `link` and `source`
/// single-quoted; `categories` the link's host; `tags` the five longest title words; a blank line before
/// `draft: false`; the body is the raw description HTML followed by a newline.
pub fn render_seed(post: &Post) -> (PathBuf, String) {
    let summary = strip_tags(&post.description_html);
    let mut out = String::with_capacity(post.description_html.len() * 2 + 1024);
    out.push_str("---\n");
    push_field(&mut out, "title", &double_quoted(&post.raw_title));
    push_field(&mut out, "date", &post.published.format("%Y-%m-%d").to_string());
    push_field(&mut out, "description", &double_quoted(&summary));
    push_field(&mut out, "summary", &double_quoted(&summary));
    push_field(&mut out, "slug", &double_quoted(&seed_slug(&post.raw_title)));
    push_field(&mut out, "image", &single_quoted(post.image.as_deref().unwrap_or("")));
    push_field(&mut out, "link", &single_quoted(&post.link));
    push_field(&mut out, "source", &single_quoted(&post.feed_url));
    push_list(&mut out, "categories", host_of(&post.link).into_iter());
    push_list(
        &mut out,
        "tags",
        title_tags(&post.raw_title, SEED_TAG_COUNT).into_iter(),
    );
    out.push_str("\ndraft: false\n---\n");
    out.push_str(&defuse_shortcodes(&post.description_html));
    out.push('\n');
    (post_path(post), out)
}

fn push_field(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

/// A block list of single-quoted strings; `name: []` when empty so the field stays a list.
fn push_list(out: &mut String, name: &str, values: impl Iterator<Item = String>) {
    let mut values = values.peekable();
    if values.peek().is_none() {
        push_field(out, name, "[]");
        return;
    }
    out.push_str(name);
    out.push_str(":\n");
    for value in values {
        out.push_str("- ");
        out.push_str(&single_quoted(&value));
        out.push('\n');
    }
}
