//! The publish stage: stored items (and their articles) → Hugo posts, written atomically and recorded in the
//! store so that nothing is published twice.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use newsdesk_publish::{Article, Coverage, Post, PostBatch, Story, Style, WriteOutcome};
use sha2::{Digest, Sha256};

use crate::store::{ArticleRow, ItemRow, Store};

/// What a publish pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishSummary {
    pub written: usize,
    pub unchanged: usize,
    /// Items not published because another item already stands for the same article.
    pub merged: usize,
    pub failed: usize,
}

fn parse_time(s: Option<&str>) -> Option<DateTime<FixedOffset>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
}

/// The post for an item, with whatever the later stages stored about it.
pub fn post_for(store: &dyn Store, item: &ItemRow, article: Option<&ArticleRow>) -> anyhow::Result<Post> {
    let published = parse_time(item.published.as_deref())
        .or_else(|| article.and_then(|a| parse_time(a.published.as_deref())))
        .or_else(|| parse_time(Some(&item.first_seen)))
        .unwrap_or_default();
    let link = item.link.clone().unwrap_or_default();
    let mut post = Post::new(
        item.key.clone(),
        item.title.clone(),
        published,
        link,
        item.feed_url.clone(),
    );
    let (headline, outlet) = newsdesk_feeds::gnews::split_title(&item.title, item.source_title.as_deref());
    post.headline = headline;
    post.outlet = outlet.unwrap_or_default();
    post.outlet_url = item.source_url.clone();
    post.description_html = item
        .summary
        .clone()
        .or_else(|| item.content.clone())
        .unwrap_or_default();
    post.image = item.image.clone();
    // Parsed from this same description (summary, else content) by the store when the item was stored.
    post.related = item.related.clone();
    post.resolved_url = item.resolved_url.clone();
    if let Some(a) = article {
        post.resolved_url = Some(a.url.clone());
        post.tags = a.tags.iter().take(crate::tagging::HUGO_TAGS).cloned().collect();
        crate::tagging::add_entities(&mut post, a);
        post.article = Some(Article {
            text: a.text.clone(),
            markdown: Some(a.markdown.clone()).filter(|m| !m.trim().is_empty()),
            authors: a.authors.clone(),
            published: parse_time(a.published.as_deref()),
            modified: parse_time(a.modified.as_deref()),
            language: a.language.clone(),
            image: a.image.clone(),
            site_name: a.site_name.clone(),
            description: a.description.clone(),
        });
        if let Some(story_id) = &a.story_id {
            post.story = story_for(store, story_id, a.id)?;
        }
    }
    Ok(post)
}

/// Other articles listed as a post's story coverage.
const COVERAGE_LIMIT: usize = crate::store::COVERAGE_REFRESH as usize;

fn story_for(store: &dyn Store, story_id: &str, article_id: i64) -> anyhow::Result<Option<Story>> {
    let Some(row) = store.story_head(story_id)? else {
        return Ok(None);
    };
    let coverage = store
        .story_coverage(story_id, article_id, COVERAGE_LIMIT)?
        .into_iter()
        .map(|a| Coverage {
            title: a.title.unwrap_or_default(),
            outlet: a
                .site_name
                .or_else(|| newsdesk_publish::domain_of(&a.url))
                .unwrap_or_default(),
            url: a.url,
        })
        .collect();
    Ok(Some(Story {
        id: row.id,
        headline: row.headline,
        coverage,
    }))
}

fn target_name(dir: &Path, style: Style) -> String {
    let style = match style {
        Style::Seed => "seed",
        Style::Full => "full",
    };
    format!("hugo:{style}:{}", dir.display())
}

/// Which items a publish pass looks at.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    /// Items whose post is missing or out of date (the pipeline's publish stage).
    Pending { max_attempts: u32 },
    /// Every stored item (`newsdesk publish hugo`); unchanged posts are left untouched.
    All,
}

/// Items handled per page, so that memory does not grow with the archive.
const PAGE: usize = 256;

/// Write the posts of the selected items into the Hugo site at `dir`. In the full style an article reached
/// through several items (several feeds or links) is published once, by its first item.
pub fn publish_hugo(
    store: &dyn Store,
    selection: Selection,
    dir: &Path,
    style: Style,
    now: &str,
) -> anyhow::Result<PublishSummary> {
    let target = target_name(dir, style);
    let mut summary = PublishSummary::default();
    // A run killed while writing leaves a temporary file next to the posts; it goes before anything new.
    let posts_dir = dir.join(newsdesk_publish::POSTS_DIR);
    newsdesk_publish::remove_stale_temp_files(&posts_dir)
        .with_context(|| format!("cleaning temporary files in {}", posts_dir.display()))?;
    let mut after = 0;
    loop {
        let items = match selection {
            Selection::Pending { max_attempts } => store.items_to_publish(&target, max_attempts, after, PAGE)?,
            Selection::All => store.items_after(after, PAGE)?,
        };
        let Some(last) = items.last() else { break };
        after = last.id;
        publish_page(store, &items, dir, style, &target, now, &mut summary)?;
    }
    Ok(summary)
}

/// A post written (pending in the batch) or found unchanged, to record once the batch is on disk.
struct Done<'a> {
    item: &'a ItemRow,
    relative: String,
    hash: String,
    /// A previous post of the item under another name (its title changed), to remove.
    replaces: Option<String>,
    written: bool,
}

/// Publish one page of items: their posts are written as one [`PostBatch`] (one wait for the disk), then
/// recorded in one store transaction. Killed in between, the next pass finds the files already written and
/// only records them.
fn publish_page(
    store: &dyn Store,
    items: &[ItemRow],
    dir: &Path,
    style: Style,
    target: &str,
    now: &str,
    summary: &mut PublishSummary,
) -> anyhow::Result<()> {
    let mut batch = PostBatch::new(dir);
    let mut done = Vec::new();
    for item in items {
        match prepare_item(store, item, dir, style, target, &mut batch) {
            Ok(Some(d)) => done.push(d),
            Ok(None) => summary.merged += 1,
            Err(e) => {
                summary.failed += 1;
                tracing::warn!(item = %item.key, feed = %item.feed_url, error = %format!("{e:#}"), "cannot publish item");
            }
        }
    }
    let pending = batch.len();
    if let Err(e) = batch.commit() {
        // Nothing of the batch is recorded: the next pass writes those posts again.
        tracing::warn!(dir = %dir.display(), error = %e, posts = pending, "cannot write posts");
        summary.failed += pending;
        done.retain(|d| !d.written);
    }
    store.in_batch(&mut || {
        for d in &done {
            // The title (hence the file name) changed: the old file goes, so the item keeps exactly one post.
            if let Some(old_path) = &d.replaces {
                let old = dir.join(old_path);
                if old.starts_with(dir) && !old_path.contains("..") {
                    let _ = std::fs::remove_file(old);
                }
            }
            store.record_publication(d.item, target, &d.relative, &d.hash, now)?;
            if d.written {
                summary.written += 1;
            } else {
                summary.unchanged += 1;
            }
        }
        Ok(())
    })
}

/// Render the post of `item` and stage it in `batch` when it changed; `None` when another item stands for
/// the same article.
fn prepare_item<'a>(
    store: &dyn Store,
    item: &'a ItemRow,
    dir: &Path,
    style: Style,
    target: &str,
    batch: &mut PostBatch,
) -> anyhow::Result<Option<Done<'a>>> {
    let article = match item.article_id {
        Some(id) => store.article(id)?,
        None => None,
    };
    if style == Style::Full {
        if let Some(a) = &article {
            let first = store.article_items(a.id)?.first().map(|i| i.id);
            if first.is_some_and(|first| first != item.id) {
                return Ok(None);
            }
        }
    }
    let post = post_for(store, item, article.as_ref())?;
    let (relative, contents) = style.render(&post);
    let hash = hex::encode(Sha256::digest(contents.as_bytes()));
    let relative_str = relative.to_string_lossy().to_string();
    let previous = store.publication(item.id, target)?;
    if let Some((path, old_hash)) = &previous {
        if *path == relative_str && *old_hash == hash && dir.join(path).exists() {
            // Same post as last time: only the recorded version moves, so the item is not looked at again.
            return Ok(Some(Done {
                item,
                relative: relative_str,
                hash,
                replaces: None,
                written: false,
            }));
        }
    }
    let outcome = batch
        .add(&relative, &contents)
        .with_context(|| format!("writing {} in {}", relative.display(), dir.display()))?;
    Ok(Some(Done {
        item,
        replaces: previous.map(|(p, _)| p).filter(|p| *p != relative_str),
        relative: relative_str,
        hash,
        written: matches!(outcome, WriteOutcome::Written(_)),
    }))
}
