//! The full style: front matter that is valid YAML for any title, and a Markdown body.

use std::path::PathBuf;

use newsdesk_feeds::gnews::is_google_news;

use super::{defuse_shortcodes, post_path};
use crate::html_text::{clean_text, collapse_whitespace};
use crate::markdown::{escape_inline, escape_paragraphs};
use crate::post::{Coverage, Post};
use crate::title_tags::{title_tags, SEED_TAG_COUNT};
use crate::urls::{domain_of, markdown_link_target};
use crate::yaml::double_quoted;

/// Render `post` in the full style: the path relative to the site directory, and the file contents.
///
/// Every string in the front matter is a double-quoted, fully escaped YAML scalar, so any title reads back as
/// itself. Optional fields (`lastmod`, `summary`, `image`, `images`, `story_id`, `story_headline`, `stories`,
/// `language`) are left out when unknown; lists are always present, `[]` when empty, except the named
/// entities (`people`, `places`, `organizations`), present only when some were found.
pub fn render_full(post: &Post) -> (PathBuf, String) {
    let mut fm = FrontMatter::default();
    fm.scalar("title", &title(post));
    fm.scalar("date", &post.published.to_rfc3339());
    if let Some(modified) = post.article.as_ref().and_then(|a| a.modified) {
        fm.scalar("lastmod", &modified.to_rfc3339());
    }
    let description = description(post);
    fm.scalar("description", &description);
    // Hugo's own summary field, which themes show in lists; without it Hugo cuts one from the body.
    if !description.is_empty() {
        fm.scalar("summary", &description);
    }
    let outlet = outlet(post);
    fm.scalar("outlet", &outlet);
    fm.list("categories", &outlet_domain(post).into_iter().collect::<Vec<_>>());
    // The outlet again as a taxonomy term, so that a site declaring `outlets` gets a page per outlet.
    fm.list("outlets", &taxonomy_terms(&[outlet]));
    fm.list("tags", &tags(post));
    // Named entities, when the tagging stage found any (sites may declare them as taxonomies).
    for (key, names) in [
        ("people", &post.people),
        ("places", &post.places),
        ("organizations", &post.organizations),
    ] {
        let names = taxonomy_terms(names);
        if !names.is_empty() {
            fm.list(key, &names);
        }
    }
    fm.list("authors", &authors(post));
    if let Some(image) = image(post) {
        fm.scalar("image", &image);
        // The list Hugo's built-in OpenGraph and Twitter card templates (and many themes) read.
        fm.list("images", &[image]);
    }
    fm.scalar("link", post.best_url());
    fm.scalar("source", &post.feed_url);
    if let Some(story) = &post.story {
        fm.scalar("story_id", &story.id);
        if !story.headline.trim().is_empty() {
            fm.scalar("story_headline", &story.headline);
        }
        // The story as a taxonomy term: a site declaring `stories` gets a page (and a feed) per story.
        let term = taxonomy_terms(std::slice::from_ref(&story.id));
        if !term.is_empty() {
            fm.list("stories", &term);
        }
    }
    fm.coverage("related", &related(post));
    if let Some(language) = post.article.as_ref().and_then(|a| a.language.as_deref()) {
        if !language.trim().is_empty() {
            fm.scalar("language", language.trim());
        }
    }
    fm.raw("draft", "false");

    let mut out = fm.finish();
    out.push_str(&body(post));
    (post_path(post), out)
}

/// The headline, falling back to the raw feed title when the split left nothing.
fn title(post: &Post) -> String {
    if post.headline.trim().is_empty() {
        post.raw_title.clone()
    } else {
        post.headline.clone()
    }
}

/// A clean one-line description: the article's own description, else (for Google News items) the first
/// related headline rather than the glued list of all of them, else the description's text.
fn description(post: &Post) -> String {
    let from_article = post
        .article
        .as_ref()
        .and_then(|a| a.description.as_deref())
        .map(clean_text);
    let from_related = post.related.first().map(|r| collapse_whitespace(&r.headline));
    [from_article, from_related, Some(clean_text(&post.description_html))]
        .into_iter()
        .flatten()
        .find(|d| !d.is_empty())
        .unwrap_or_default()
}

fn outlet(post: &Post) -> String {
    if !post.outlet.trim().is_empty() {
        return post.outlet.trim().to_string();
    }
    if let Some(site) = post.article.as_ref().and_then(|a| a.site_name.as_deref()) {
        if !site.trim().is_empty() {
            return site.trim().to_string();
        }
    }
    outlet_domain(post).unwrap_or_default()
}

/// The outlet's domain: from `<source url>`, else the resolved publisher URL, else the item link unless it is a
/// Google News link (whose host says nothing about the outlet).
pub(crate) fn outlet_domain(post: &Post) -> Option<String> {
    let item_link = Some(post.link.as_str()).filter(|link| !is_google_news(link));
    [post.outlet_url.as_deref(), post.resolved_url.as_deref(), item_link]
        .into_iter()
        .flatten()
        .find_map(domain_of)
}

/// The stored tags, else tags from the headline.
fn tags(post: &Post) -> Vec<String> {
    let given = taxonomy_terms(&post.tags);
    if given.is_empty() {
        title_tags(&title(post), SEED_TAG_COUNT)
    } else {
        given
    }
}

fn authors(post: &Post) -> Vec<String> {
    post.article
        .as_ref()
        .map(|a| taxonomy_terms(&a.authors))
        .unwrap_or_default()
}

/// Values Hugo may turn into taxonomy pages (tags, and authors on sites that declare that taxonomy), cleaned so
/// that each names one page inside its taxonomy: Hugo builds `/tags/<term>/` from the term, so a `..` term
/// fails the build and `a/../b` or `../x` would land elsewhere. Slashes and backslashes become spaces, runs of
/// whitespace and control characters one space, and leading and trailing dots go; empty terms and repeats
/// (ignoring case, as Hugo does) are dropped.
pub(crate) fn taxonomy_terms(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let spaced: String = value
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let term = collapse_whitespace(&spaced);
        let term = term.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string();
        if !term.is_empty() && !out.iter().any(|t| t.to_lowercase() == term.to_lowercase()) {
            out.push(term);
        }
    }
    out
}

fn image(post: &Post) -> Option<String> {
    let from_article = post.article.as_ref().and_then(|a| a.image.clone());
    from_article
        .or_else(|| post.image.clone())
        .filter(|i| !i.trim().is_empty())
}

/// Other coverage: the Google News related list without the item itself, then the story's other items,
/// without repeating a URL.
fn related(post: &Post) -> Vec<Coverage> {
    let mut out: Vec<Coverage> = Vec::new();
    let own = |url: &str| url == post.link || Some(url) == post.resolved_url.as_deref();
    let from_feed = post.related.iter().map(|r| Coverage {
        title: collapse_whitespace(&r.headline),
        outlet: collapse_whitespace(&r.outlet),
        url: r.link.trim().to_string(),
    });
    let from_story = post.story.iter().flat_map(|s| s.coverage.iter().cloned());
    for item in from_feed.chain(from_story) {
        if own(&item.url) || out.iter().any(|o| o.url == item.url) {
            continue;
        }
        out.push(item);
    }
    out
}

/// The article when extracted, else the related coverage as a list, else the description text.
fn body(post: &Post) -> String {
    let mut body = String::new();
    let article_body = post.article.as_ref().and_then(|a| match a.markdown.as_deref() {
        Some(md) if !md.trim().is_empty() => Some(defuse_shortcodes(md.trim())),
        _ if !a.text.trim().is_empty() => Some(escape_paragraphs(&a.text)),
        _ => None,
    });
    let coverage = related(post);
    if let Some(text) = article_body {
        body.push_str(&text);
        body.push_str("\n\n");
        body.push_str(&read_original(post));
    } else if !coverage.is_empty() || !post.related.is_empty() {
        // The item itself is the first entry of a Google News list; show it too, first.
        let own = post.related.iter().find(|r| r.link == post.link).map(|r| Coverage {
            title: collapse_whitespace(&r.headline),
            outlet: collapse_whitespace(&r.outlet),
            url: post.best_url().to_string(),
        });
        for item in own.iter().chain(coverage.iter()) {
            body.push_str(&coverage_line(item));
        }
    } else {
        let text = clean_text(&post.description_html);
        if !text.is_empty() {
            body.push_str(&escape_inline(&text));
            body.push_str("\n\n");
        }
        body.push_str(&read_original(post));
    }
    // Exactly one final newline, whichever branch filled the body.
    let mut body = body.trim_end().to_string();
    body.push('\n');
    body
}

fn read_original(post: &Post) -> String {
    let name = outlet(post);
    let name = if name.is_empty() {
        "the publisher".to_string()
    } else {
        escape_inline(&name)
    };
    format!(
        "[Read the original at {name}]({})",
        markdown_link_target(post.best_url())
    )
}

fn coverage_line(item: &Coverage) -> String {
    let title = if item.title.is_empty() {
        item.url.clone()
    } else {
        item.title.clone()
    };
    let mut line = format!("- [{}]({})", escape_inline(&title), markdown_link_target(&item.url));
    if !item.outlet.is_empty() {
        line.push_str(" — ");
        line.push_str(&escape_inline(&item.outlet));
    }
    line.push('\n');
    line
}

/// Front matter builder: every value goes through [`double_quoted`].
#[derive(Default)]
struct FrontMatter {
    out: String,
}

impl FrontMatter {
    fn raw(&mut self, name: &str, value: &str) {
        self.out.push_str(&format!("{name}: {value}\n"));
    }

    fn scalar(&mut self, name: &str, value: &str) {
        self.raw(name, &double_quoted(value));
    }

    fn list(&mut self, name: &str, values: &[String]) {
        if values.is_empty() {
            self.raw(name, "[]");
            return;
        }
        self.out.push_str(&format!("{name}:\n"));
        for value in values {
            self.out.push_str(&format!("  - {}\n", double_quoted(value)));
        }
    }

    fn coverage(&mut self, name: &str, items: &[Coverage]) {
        if items.is_empty() {
            self.raw(name, "[]");
            return;
        }
        self.out.push_str(&format!("{name}:\n"));
        for item in items {
            self.out
                .push_str(&format!("  - title: {}\n", double_quoted(&item.title)));
            self.out
                .push_str(&format!("    outlet: {}\n", double_quoted(&item.outlet)));
            self.out.push_str(&format!("    url: {}\n", double_quoted(&item.url)));
        }
    }

    fn finish(self) -> String {
        format!("---\n{}---\n", self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_appear_only_when_found() {
        let date = chrono::DateTime::parse_from_rfc3339("2026-01-07T10:32:00+01:00").unwrap_or_default();
        let mut post = Post::new("k", "Talks in Paris", date, "https://example.com/a", "file:///feed.xml");
        let (_, plain) = render_full(&post);
        assert!(!plain.contains("people:") && !plain.contains("places:") && !plain.contains("organizations:"));
        post.people = vec!["Maria Albuquerque".into()];
        post.places = vec!["Paris".into(), "paris".into()];
        let (_, with) = render_full(&post);
        assert!(with.contains("people:\n  - \"Maria Albuquerque\"\n"), "{with}");
        assert!(with.contains("places:\n  - \"Paris\"\n"), "{with}");
        assert!(!with.contains("organizations:"), "{with}");
    }

    #[test]
    fn taxonomy_terms_cannot_leave_their_taxonomy() {
        let raw: Vec<String> = [
            "..",
            "../x",
            "a/../b",
            " Ukraine ",
            "ukraine",
            "a\\b\tc",
            "...",
            "C#",
            "x/..",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(taxonomy_terms(&raw), ["x", "a .. b", "Ukraine", "a b c", "C#"]);
    }
}
