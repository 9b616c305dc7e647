//! `newsdesk export jsonl`: one news-please-style record per article (or per item without an article),
//! streamed page by page so that memory does not grow with the archive. `export parquet` writes the same
//! records as columns (`super::parquet`).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::publish::post_for;
use crate::store::{ArticleRow, ItemRow, Store};

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
            let Some(owned) = owned_article(store, item)? else {
                continue;
            };
            let (post, record) = record_of(store, item, owned.article.as_ref())?;
            if !filter.is_empty() && !filter.keeps(&post, &record) {
                continue;
            }
            each(&record)?;
            written += 1;
        }
    }
    Ok(written)
}

/// An item's article when the item stands for it: an article reached through several items (several feeds or
/// links) is exported once, with its first item.
struct Owned {
    article: Option<ArticleRow>,
    /// The article's other items.
    others: Vec<ItemRow>,
}

/// `None` when another item stands for the item's article.
fn owned_article(store: &dyn Store, item: &ItemRow) -> anyhow::Result<Option<Owned>> {
    let article = match item.article_id {
        Some(id) => store.article(id)?,
        None => None,
    };
    let mut others = Vec::new();
    if let Some(a) = &article {
        let items = store.article_items(a.id)?;
        if items.first().is_some_and(|first| first.id != item.id) {
            return Ok(None);
        }
        others = items.into_iter().filter(|i| i.id != item.id).collect();
    }
    Ok(Some(Owned { article, others }))
}

/// The item's post and its record.
fn record_of(
    store: &dyn Store,
    item: &ItemRow,
    article: Option<&ArticleRow>,
) -> anyhow::Result<(newsdesk_publish::Post, newsdesk_publish::JsonlRecord)> {
    let post = post_for(store, item, article)?;
    let downloaded = article.and_then(|a| DateTime::parse_from_rfc3339(&a.fetched_at).ok());
    let record = newsdesk_publish::jsonl_record(&post, downloaded);
    Ok((post, record))
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

/// What a JSONL pass of `run` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonlPass {
    /// Lines added at the end of the file.
    pub appended: usize,
    /// Of those, new versions of records written before (the earlier line stays, superseded).
    pub superseded: usize,
    /// Lines of the file, when the pass rewrote it whole.
    pub rewritten: Option<usize>,
}

/// The publications target of `run`'s JSONL file at `path`, also the state key of the file's length. Each
/// done item gets a publication there: the hash of its line, or an empty hash when it has none (another item
/// stands for its article).
fn jsonl_target(path: &Path) -> String {
    format!("jsonl:{}", path.display())
}

/// Whether an item's line goes into `run`'s file: the selection of the Hugo posts (enriched, or out of
/// attempts), so that a line is written once its tags and story are final instead of once per stage.
fn is_done(item: &ItemRow, max_attempts: u32) -> bool {
    item.stage == crate::store::Stage::Ready || item.attempts >= max_attempts || item.given_up
}

/// One pass of `run`'s JSONL output at `path`: the lines of the items done since the last pass are appended,
/// so that a pass costs what its new items cost and not what the archive holds. The file holds a line for
/// every done item's article (the records of `export jsonl`, which also has the items still on their way),
/// in the order the items got done. A record already written that changes (a story fold, a feed that edits
/// an item) is appended again: the last line of a `url` is the current one. Once superseded lines make up
/// more than [`SUPERSEDED_SHARE`] of the file it is rewritten whole from the store, each record once, so
/// that rewrites cost a bounded number of lines per change however big the archive; it is also rewritten
/// when the store cannot vouch for it.
///
/// Crash safety: the store records the file's length after each appended block, in the transaction that
/// records the block's items; a pass finds the file longer than recorded when the last one was killed
/// between the two, and cuts the file back before appending those items again.
pub fn update_jsonl(
    store: &dyn Store,
    path: &Path,
    shrink: Shrink,
    max_attempts: u32,
    now: &str,
) -> anyhow::Result<JsonlPass> {
    let target = jsonl_target(path);
    let recorded = store.get_state(&target)?;
    let recorded = recorded.as_deref().and_then(FileState::parse);
    let on_disk = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    // Shorter than recorded, or ending otherwise: something else wrote it (another store's pass, say). Not
    // recorded: an older newsdesk, a new store, or a rewrite that did not finish. Either way only a rewrite
    // knows what it holds.
    let mut state = match recorded {
        Some(state) if on_disk >= state.length && tail_hash(path, state.length)? == state.tail => state,
        _ => return rewrite_jsonl(store, path, &target, shrink, max_attempts, now),
    };
    let mut length = state.length;
    // What the file held when the pass began; the state recorded after each block adds the pass's lines.
    let (recorded_lines, recorded_superseded) = (state.lines, state.superseded);
    if on_disk > length {
        tracing::info!(file = %path.display(), bytes = on_disk - length, "cutting an unrecorded append off the JSONL output");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|f| f.set_len(length).and_then(|()| f.sync_all()))
            .with_context(|| format!("cannot repair {}", path.display()));
        file?;
    }
    let mut pass = JsonlPass::default();
    let mut after = 0;
    loop {
        let items = store.items_to_publish(&target, max_attempts, after, PAGE)?;
        let Some(last) = items.last() else { break };
        after = last.id;
        let mut block = String::new();
        let mut done = Vec::with_capacity(items.len());
        for item in &items {
            let line = match owned_article(store, item)? {
                None => None,
                Some(owned) => {
                    // A later item of the article stood for it until now (this one got its page later): its
                    // line has to go.
                    for other in &owned.others {
                        if store
                            .publication(other.id, &target)?
                            .is_some_and(|(_, hash)| !hash.is_empty())
                        {
                            return rewrite_jsonl(store, path, &target, shrink, max_attempts, now);
                        }
                    }
                    let (_, record) = record_of(store, item, owned.article.as_ref())?;
                    Some(newsdesk_publish::jsonl_line(&record).context("encoding a JSONL record")?)
                }
            };
            let hash = line.as_deref().map(line_hash).unwrap_or_default();
            match store.publication(item.id, &target)? {
                // Its line is in the file: unchanged, only the version it stands for moves on (most such
                // items had their Hugo post changed, by a new article in their story, say).
                Some((_, old)) if !old.is_empty() => {
                    if old != hash {
                        // Changed: the new version goes at the end, when the file's line count is known (a
                        // file recorded by an older newsdesk is rewritten once instead). An item that no longer
                        // stands for an article has no line to append, and only a rewrite removes the old one.
                        match &line {
                            Some(line) if recorded_lines.is_some() => {
                                block.push_str(line);
                                pass.appended += 1;
                                pass.superseded += 1;
                            }
                            _ => return rewrite_jsonl(store, path, &target, shrink, max_attempts, now),
                        }
                    }
                }
                _ => {
                    if let Some(line) = &line {
                        block.push_str(line);
                        pass.appended += 1;
                    }
                }
            }
            done.push((item, hash));
        }
        if !block.is_empty() {
            append(path, length, block.as_bytes())?;
            length += block.len() as u64;
        }
        state.length = length;
        state.tail = tail_hash(path, length)?;
        state.lines = recorded_lines.map(|lines| lines + pass.appended as u64);
        state.superseded = recorded_superseded + pass.superseded as u64;
        let recorded = state.to_string();
        store.in_batch(&mut || {
            for (item, hash) in &done {
                store.record_publication(item, &target, "", hash, now)?;
            }
            store.set_state(&target, &recorded)?;
            Ok(())
        })?;
    }
    if state
        .lines
        .is_some_and(|lines| state.superseded as f64 > lines as f64 * SUPERSEDED_SHARE)
    {
        let rewrite = rewrite_jsonl(store, path, &target, shrink, max_attempts, now)?;
        return Ok(JsonlPass {
            rewritten: rewrite.rewritten,
            ..pass
        });
    }
    Ok(pass)
}

/// The share of superseded lines (records appended again since) past which `run`'s JSONL file is rewritten.
/// Each rewrite of n lines follows at least n/4 changed records, so rewriting costs at most four lines per
/// change, and the file is never more than a quarter larger than its records.
pub const SUPERSEDED_SHARE: f64 = 0.25;

/// What the store records of `run`'s JSONL file: its length and the hash of its last bytes (to tell it is the
/// file this store wrote), its lines, and how many of them a later line supersedes.
#[derive(Debug, Clone, PartialEq)]
struct FileState {
    length: u64,
    tail: String,
    /// Unknown for a file recorded by an older newsdesk (`length tail` only).
    lines: Option<u64>,
    superseded: u64,
}

impl FileState {
    fn parse(recorded: &str) -> Option<FileState> {
        let mut fields = recorded.split(' ');
        let length = fields.next()?.parse().ok()?;
        let tail = fields.next()?.to_string();
        let counts = match (fields.next(), fields.next()) {
            (Some(lines), Some(superseded)) => Some((lines.parse().ok()?, superseded.parse().ok()?)),
            _ => None,
        };
        Some(FileState {
            length,
            tail,
            lines: counts.map(|(lines, _)| lines),
            superseded: counts.map_or(0, |(_, superseded)| superseded),
        })
    }
}

impl std::fmt::Display for FileState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.length, self.tail)?;
        match self.lines {
            Some(lines) => write!(f, " {lines} {}", self.superseded),
            None => Ok(()),
        }
    }
}

/// Write `bytes` at `offset` (the recorded end) of the file at `path`, created when missing, and sync it.
fn append(path: &Path, offset: u64, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::{Seek, SeekFrom};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot write {}: cannot create {}", path.display(), dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    // As the rewritten file is (see `replace_file`): an export is meant for other tools and users.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
    let written = options.open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(bytes)?;
        f.sync_data()
    });
    written.with_context(|| format!("cannot write {}", path.display()))
}

/// Bytes of the file's end that the store records the hash of, with its length.
const TAIL: u64 = 4096;

/// The hash of the `TAIL` bytes before `length` in the file at `path` (fewer in a shorter file): a file of
/// the recorded length that another store's passes wrote ends otherwise.
fn tail_hash(path: &Path, length: u64) -> anyhow::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let start = length.saturating_sub(TAIL);
    let mut tail = Vec::with_capacity((length - start) as usize);
    if length > 0 {
        let read = std::fs::File::open(path).and_then(|mut f| {
            f.seek(SeekFrom::Start(start))?;
            f.take(length - start).read_to_end(&mut tail)
        });
        read.with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(hex::encode(Sha256::digest(&tail)))
}

fn line_hash(line: &str) -> String {
    hex::encode(Sha256::digest(line.as_bytes()))
}

/// Rewrite `run`'s JSONL file whole: a line for each done item's article, in store order, and the store's
/// record of them. With [`Shrink::Refused`] a store that has fewer records than the file holds lines (all its
/// items counted, done or not) is not taken for the one that wrote it, and the file is kept.
fn rewrite_jsonl(
    store: &dyn Store,
    path: &Path,
    target: &str,
    shrink: Shrink,
    max_attempts: u32,
    now: &str,
) -> anyhow::Result<JsonlPass> {
    // Until the new file is in place and its length recorded, the store vouches for nothing: a pass killed
    // in between rewrites it again.
    store.set_state(target, "")?;
    let mut lines = 0;
    replace_file(
        path,
        |out| {
            let mut records = 0;
            let mut after = 0;
            loop {
                let items = store.items_after(after, PAGE)?;
                let Some(last) = items.last() else { break };
                after = last.id;
                let mut changed = Vec::new();
                for item in &items {
                    let Some(owned) = owned_article(store, item)? else {
                        continue;
                    };
                    records += 1;
                    let hash = if is_done(item, max_attempts) {
                        let (_, record) = record_of(store, item, owned.article.as_ref())?;
                        let line = newsdesk_publish::jsonl_line(&record).context("encoding a JSONL record")?;
                        out.write_all(line.as_bytes())?;
                        lines += 1;
                        line_hash(&line)
                    } else {
                        String::new()
                    };
                    // Only what differs is recorded; an item whose version moved on is compared again by
                    // the next pass.
                    let old = store.publication(item.id, target)?.map(|(_, h)| h);
                    if old.unwrap_or_default() != hash {
                        changed.push((item, hash));
                    }
                }
                store.in_batch(&mut || {
                    for (item, hash) in &changed {
                        store.record_publication(item, target, "", hash, now)?;
                    }
                    Ok(())
                })?;
            }
            Ok(records)
        },
        |records| {
            if shrink == Shrink::Refused {
                let before = count_records(path).with_context(|| format!("cannot read {}", path.display()))?;
                if records < before {
                    anyhow::bail!(
                        "{} holds {before} records but the store only {records}: kept as it is (is this the store \
                         that wrote it?); `newsdesk export jsonl -o FILE` rewrites it from the store",
                        path.display()
                    );
                }
            }
            Ok(())
        },
    )?;
    let length = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    let state = FileState {
        length,
        tail: tail_hash(path, length)?,
        lines: Some(lines as u64),
        superseded: 0,
    };
    store.set_state(target, &state.to_string())?;
    Ok(JsonlPass {
        rewritten: Some(lines),
        ..JsonlPass::default()
    })
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

/// The records of a JSONL file: its lines, a line whose `url` an earlier line has counted once (a record
/// appended again when it changed). A line that is not a record counts as one, so that a file some other
/// tool wrote is never taken for a smaller one.
fn count_records(path: &Path) -> std::io::Result<usize> {
    use std::io::BufRead;
    #[derive(serde::Deserialize)]
    struct Keyed {
        url: String,
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut seen = std::collections::HashSet::new();
    let mut records = 0;
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line?;
        match serde_json::from_slice::<Keyed>(&line) {
            Ok(keyed) => {
                // Eight bytes of the URL's hash: a million records take megabytes, not their URLs.
                let mut key = [0u8; 8];
                key.copy_from_slice(&Sha256::digest(keyed.url.as_bytes())[..8]);
                if seen.insert(key) {
                    records += 1;
                }
            }
            Err(_) => records += 1,
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_file_state_reads_back_and_an_older_record_has_no_counts() {
        let state = FileState {
            length: 1234,
            tail: "ab12".into(),
            lines: Some(40),
            superseded: 3,
        };
        assert_eq!(state.to_string(), "1234 ab12 40 3");
        assert_eq!(FileState::parse(&state.to_string()), Some(state));
        let older = FileState::parse("99 cd34").expect("an older record");
        assert_eq!((older.length, older.lines, older.superseded), (99, None, 0));
        assert_eq!(older.to_string(), "99 cd34");
        assert_eq!(FileState::parse(""), None);
        assert_eq!(FileState::parse("x cd34"), None);
        assert_eq!(FileState::parse("99 cd34 many 3"), None);
    }

    /// A record appended again counts once; a line that is no record counts as one, so that a file another
    /// tool wrote is never taken for a smaller one.
    #[test]
    fn records_of_a_file_count_each_url_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.jsonl");
        assert_eq!(count_records(&path).expect("missing"), 0);
        std::fs::write(
            &path,
            "{\"url\":\"https://a.example/1\",\"title\":\"One\"}\n{\"url\":\"https://a.example/2\"}\n\
             {\"url\":\"https://a.example/1\",\"title\":\"One, edited\"}\nnot json\n",
        )
        .expect("write");
        assert_eq!(count_records(&path).expect("count"), 3);
    }
}
