//! `newsdesk export jsonl`: one news-please-style record per article (or per item without an article),
//! streamed page by page so that memory does not grow with the archive. `export parquet` writes the same
//! records as columns (`super::parquet`).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::publish::post_for;
use crate::store::Store;

/// Items read per page.
const PAGE: usize = 512;

/// Which records an export writes; the default writes all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Published at or after this (`date_publish`: the article's date, else the item's).
    pub since: Option<DateTime<Utc>>,
    /// Published before this.
    pub before: Option<DateTime<Utc>>,
    /// Languages, as lower-case primary subtags (`en` takes `en-GB`).
    pub languages: Vec<String>,
    /// Outlets, in lower case: a domain (its subdomains too) or an outlet's name.
    pub outlets: Vec<String>,
}

impl Filter {
    /// The filter of `export jsonl|parquet --since/--until/--lang/--outlet`.
    pub fn parse(
        since: Option<&str>,
        until: Option<&str>,
        languages: &[String],
        outlets: &[String],
    ) -> anyhow::Result<Filter> {
        Ok(Filter {
            since: since
                .map(|s| super::archive::parse_since(s).map_err(|e| e.context("--since")))
                .transpose()?,
            before: until
                .map(|s| super::archive::parse_until(s).map_err(|e| e.context("--until")))
                .transpose()?,
            languages: languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            outlets: outlets
                .iter()
                .map(|o| o.trim().to_lowercase())
                .filter(|o| !o.is_empty())
                .collect(),
        })
    }

    fn is_empty(&self) -> bool {
        self.since.is_none() && self.before.is_none() && self.languages.is_empty() && self.outlets.is_empty()
    }

    fn keeps(&self, post: &newsdesk_publish::Post, record: &newsdesk_publish::JsonlRecord) -> bool {
        let article = post.article.as_ref();
        let published = article
            .and_then(|a| a.published)
            .unwrap_or(post.published)
            .with_timezone(&Utc);
        if self.since.is_some_and(|s| published < s) || self.before.is_some_and(|b| published >= b) {
            return false;
        }
        if !self.languages.is_empty() {
            let primary = record
                .language
                .as_deref()
                .and_then(|l| l.split(['-', '_']).next())
                .map(str::to_ascii_lowercase);
            if !primary.is_some_and(|p| self.languages.contains(&p)) {
                return false;
            }
        }
        if !self.outlets.is_empty() {
            let domain = record.source_domain.as_deref().map(str::to_ascii_lowercase);
            let names = [Some(post.outlet.as_str()), article.and_then(|a| a.site_name.as_deref())];
            let matches = |o: &String| {
                domain
                    .as_deref()
                    .is_some_and(|d| d == o || d.strip_suffix(o.as_str()).is_some_and(|sub| sub.ends_with('.')))
                    || names.iter().flatten().any(|n| n.trim().to_lowercase() == *o)
            };
            if !self.outlets.iter().any(matches) {
                return false;
            }
        }
        true
    }
}

/// Write every record, one newline-terminated JSON line each, to `out`; returns how many.
pub fn write_records(store: &dyn Store, out: &mut dyn Write) -> anyhow::Result<usize> {
    write_filtered(store, out, &Filter::default())
}

/// Write the records `filter` keeps to `out`; returns how many.
pub fn write_filtered(store: &dyn Store, out: &mut dyn Write, filter: &Filter) -> anyhow::Result<usize> {
    for_each_record(store, filter, |record| {
        let line = newsdesk_publish::jsonl_line(record).context("encoding a JSONL record")?;
        out.write_all(line.as_bytes())?;
        Ok(())
    })
}

/// Call `each` with every record `filter` keeps, in store order, reading the store a page at a time; returns
/// how many. The JSONL and the Parquet exports both go through here, so that they hold the same records.
pub fn for_each_record(
    store: &dyn Store,
    filter: &Filter,
    mut each: impl FnMut(&newsdesk_publish::JsonlRecord) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
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
            if !filter.is_empty() && !filter.keeps(&post, &record) {
                continue;
            }
            each(&record)?;
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
    replace_file(
        path,
        |out| write_records(store, out),
        |n| {
            if shrink == Shrink::Refused {
                let before = count_lines(path).with_context(|| format!("cannot read {}", path.display()))?;
                if n < before {
                    anyhow::bail!(
                        "{} holds {before} records but the store only {n}: kept as it is (is this the store that \
                         wrote it?); `newsdesk export jsonl -o FILE` rewrites it from the store",
                        path.display()
                    );
                }
            }
            Ok(())
        },
    )
}

/// Replace the file at `path` with what `write` writes (a temporary file beside it, synced, then renamed
/// over it), once `accept` agrees with the count `write` returned; otherwise the file stays as it was.
/// Missing directories on the way are created, as for the JSONL file that `run` writes.
pub(crate) fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut TempOut) -> anyhow::Result<usize>,
    accept: impl FnOnce(usize) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "cannot write {}: cannot create the directory {}",
            path.display(),
            dir.display()
        )
    })?;
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}: cannot write in {}", path.display(), dir.display()))?;
    let mut out = std::io::BufWriter::new(tmp);
    let n = write(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
    let tmp = out
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", path.display()))?;
    accept(n)?;
    // Temporary files are created private (0600); an export is meant for other tools and users, as posts are.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(n)
}

/// The temporary file that [`replace_file`] hands its writer: a concrete type rather than `dyn Write`, since
/// the Parquet writer needs a `Send` one.
pub(crate) type TempOut = std::io::BufWriter<tempfile::NamedTempFile>;

/// `export jsonl`: the records `filter` keeps, to `out`, gzipped on the fly when asked; returns how many.
pub fn export(store: &dyn Store, out: &mut dyn Write, filter: &Filter, gzip: bool) -> anyhow::Result<usize> {
    if !gzip {
        let n = write_filtered(store, out, filter)?;
        out.flush()?;
        return Ok(n);
    }
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    let n = write_filtered(store, &mut gz, filter)?;
    gz.finish()?.flush()?;
    Ok(n)
}

/// `export jsonl -o FILE`: [`export`] into a temporary file beside `path`, renamed over it once complete.
pub fn export_file(store: &dyn Store, path: &Path, filter: &Filter, gzip: bool) -> anyhow::Result<usize> {
    replace_file(path, |out| export(store, out, filter, gzip), |_| Ok(()))
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
