//! `newsdesk export jsonl`: one news-please-style record per published item, written atomically.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::DateTime;

use super::publish::post_for;
use crate::store::Store;

/// Every item with its article, one newline-terminated JSON line per article (items without an article get
/// their feed data).
pub fn jsonl_lines(store: &dyn Store) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut seen_articles = std::collections::HashSet::new();
    for item in store.all_items()? {
        let article = match item.article_id {
            Some(id) => store.article(id)?,
            None => None,
        };
        if let Some(a) = &article {
            if !seen_articles.insert(a.id) {
                continue;
            }
        }
        let post = post_for(store, &item, article.as_ref())?;
        let downloaded = article
            .as_ref()
            .and_then(|a| DateTime::parse_from_rfc3339(&a.fetched_at).ok());
        let record = newsdesk_publish::jsonl_record(&post, downloaded);
        lines.push(newsdesk_publish::jsonl_line(&record).context("encoding a JSONL record")?);
    }
    Ok(lines)
}

/// Write the JSONL export to `path` (temporary file + rename).
pub fn write_jsonl(store: &dyn Store, path: &Path) -> anyhow::Result<usize> {
    let lines = jsonl_lines(store)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    for line in &lines {
        write!(tmp, "{line}").with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(lines.len())
}
