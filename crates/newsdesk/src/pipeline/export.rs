//! `newsdesk export jsonl`: one news-please-style record per article (or per item without an article),
//! streamed page by page so that memory does not grow with the archive.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::DateTime;

use super::publish::post_for;
use crate::store::Store;

/// Items read per page.
const PAGE: usize = 512;

/// Write every record, one newline-terminated JSON line each, to `out`; returns how many.
pub fn write_records(store: &dyn Store, out: &mut dyn Write) -> anyhow::Result<usize> {
    let mut written = 0;
    let mut after = 0;
    loop {
        let items = store.items_after(after, PAGE)?;
        let Some(last) = items.last() else { break };
        after = last.id;
        for item in &items {
            let article = match item.article_id {
                Some(id) => store.article(id)?,
                None => None,
            };
            // An article reached through several items is exported once, with its first item.
            if let Some(a) = &article {
                if store
                    .article_items(a.id)?
                    .first()
                    .is_some_and(|first| first.id != item.id)
                {
                    continue;
                }
            }
            let post = post_for(store, item, article.as_ref())?;
            let downloaded = article
                .as_ref()
                .and_then(|a| DateTime::parse_from_rfc3339(&a.fetched_at).ok());
            let record = newsdesk_publish::jsonl_record(&post, downloaded);
            let line = newsdesk_publish::jsonl_line(&record).context("encoding a JSONL record")?;
            out.write_all(line.as_bytes())?;
            written += 1;
        }
    }
    Ok(written)
}

/// Whether a rewrite of the JSONL export may leave it with fewer records than it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// `newsdesk export`: the user asked for exactly what the store holds.
    Allowed,
    /// `newsdesk run`: the store only grows, so fewer records than the file holds means the store is not the
    /// one that wrote it (lost, emptied or replaced): the file is kept and the pass fails.
    Refused,
}

/// Write the JSONL export to `path` (temporary file + rename).
pub fn write_jsonl(store: &dyn Store, path: &Path, shrink: Shrink) -> anyhow::Result<usize> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut out = std::io::BufWriter::new(tmp);
    let n = write_records(store, &mut out).with_context(|| format!("cannot write {}", path.display()))?;
    let tmp = out
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if shrink == Shrink::Refused {
        let before = count_lines(path).with_context(|| format!("cannot read {}", path.display()))?;
        if n < before {
            anyhow::bail!(
                "{} holds {before} records but the store only {n}: kept as it is (is this the store that wrote \
                 it?); `newsdesk export jsonl -o FILE` rewrites it from the store",
                path.display()
            );
        }
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(n)
}

/// Lines in the file at `path` (0 when it does not exist).
fn count_lines(path: &Path) -> std::io::Result<usize> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
}
