//! Archive ingest (`newsdesk ingest warc`): the pages of WARC files go into the store as if they had been
//! fetched, then through the same enrich and publish stages.
//!
//! Three kinds of thread share the work:
//! - one reader reads the files in order and sorts out records on what their WARC headers say (type,
//!   target URI, date), so that a filtered run costs little;
//! - a pool of workers, one per core, decodes the HTTP payloads and extracts and tags the articles;
//! - this thread stores the results in record order, a batch at a time, each batch together with the file
//!   position it reaches (`warc:<path>:offset` in the store's state), then runs the enrich stage.
//!
//! A run killed at any point therefore resumes after the last batch stored, and stores nothing twice: each
//! record is an item keyed by its `WARC-Record-ID` in the file's feed (`warc:<path>`), and each article is
//! stored once per canonical URL. The records between the reader and the store are bounded (`WINDOW`), and so
//! is each record (`max_body_bytes`), so memory does not grow with the archive.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use newsdesk_archive::{parse_response, Block, HttpError, Position, ReaderOptions, Record, RecordType, WarcReader};

use super::enrich::Enricher;
use super::run::{Pipeline, Roles, RunSummary};
use super::{isolated, now};
use crate::config::Config;
use crate::store::{batch, FeedPoll, ItemRow, Store};

/// Records read ahead of the store, in batches: the workers go on extracting while this thread stores and
/// enriches a batch, instead of waiting for it. What waits in the window is mostly extracted articles (tens
/// of kilobytes each) and skipped records; the raw blocks are only those in the job queue and at the workers.
const WINDOW_BATCHES: usize = 8;
/// And at least this many per worker.
const WINDOW_PER_WORKER: usize = 32;
/// State key of the newest download date (`WARC-Date`) among the archived articles: the enrich stage
/// rebuilds its story window from there.
const LATEST_KEY: &str = "warc:latest_fetched_at";
/// `next_poll_at` of an archive's feed: never due, so that `run` does not try to poll it.
const NEVER: &str = "9999-12-31T23:59:59Z";
/// Progress message refreshes at most this often.
const REFRESH: Duration = Duration::from_millis(200);

/// One archive to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input: read from its start every time (a stream has no position to resume from); what was
    /// stored before is recognised by its record ids and not stored again.
    Stdin,
    File(PathBuf),
}

/// What to keep.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Records dated (`WARC-Date`) at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Records dated before this.
    pub before: Option<DateTime<Utc>>,
    /// Hosts on these domains or their subdomains (lower case).
    pub domains: Vec<String>,
    /// Articles in these languages (lower-case primary subtags), once extracted.
    pub languages: Vec<String>,
}

impl Filters {
    fn domain_ok(&self, host: &str) -> bool {
        self.domains.is_empty()
            || self
                .domains
                .iter()
                .any(|d| host == d || host.strip_suffix(d.as_str()).is_some_and(|sub| sub.ends_with('.')))
    }

    fn date_ok(&self, date: Option<DateTime<FixedOffset>>) -> bool {
        if self.since.is_none() && self.before.is_none() {
            return true;
        }
        // A record without a date cannot be shown to be in the range.
        let Some(date) = date.map(|d| d.with_timezone(&Utc)) else {
            return false;
        };
        self.since.is_none_or(|s| date >= s) && self.before.is_none_or(|b| date < b)
    }

    fn language_ok(&self, language: Option<&str>) -> bool {
        if self.languages.is_empty() {
            return true;
        }
        let primary = language
            .and_then(|l| l.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        primary.is_some_and(|p| self.languages.contains(&p))
    }
}

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub filters: Filters,
    /// Stop once this many articles are stored.
    pub limit: Option<u64>,
    /// Extraction threads.
    pub workers: usize,
    /// Publish the configured outputs (Hugo, JSONL) at the end, as `run` does.
    pub publish: bool,
    /// Read, filter and extract, but store nothing: what a run would keep, and how fast it reads.
    pub dry_run: bool,
    /// Several processes share the list: each file is read by the one that claims it.
    pub shared: Option<SharedFiles>,
}

/// How a process shares a list of archives with others on one store: it claims each file before reading it
/// (a lease in the store, renewed while it reads), skips the files others hold, and resumes a file another
/// process left unfinished from the position that one stored.
#[derive(Debug, Clone)]
pub struct SharedFiles {
    /// Who holds the leases: a worker id, unique among live processes.
    pub owner: String,
    /// How long a lease lasts without renewal; a process that dies loses its files after this.
    pub lease: chrono::Duration,
}

impl SharedFiles {
    fn lease(&self) -> crate::store::Lease {
        crate::store::Lease {
            owner: self.owner.clone(),
            until: Utc::now() + self.lease,
        }
    }
}

/// Why a record was not stored as an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    Request,
    Metadata,
    Revisit,
    /// warcinfo, resource, conversion, continuation and unknown types.
    OtherType,
    /// A response that is not HTTP (dns:, ftp:, a non-HTTP block).
    NotHttp,
    Redirect,
    /// 1xx, 204, 4xx and 5xx.
    ErrorStatus,
    NotHtml,
    Domain,
    Date,
    Language,
    TooLarge,
    /// An HTTP message or body that cannot be read or decoded.
    BadPayload,
    /// Extraction found no article text (an index page, a form).
    NoText,
    /// Stored by an earlier run.
    AlreadyStored,
    /// A record the reader could not make sense of (see the errors printed).
    BadRecord,
    /// A bug met on this record (see the errors printed).
    Internal,
}

impl Skip {
    pub fn label(self) -> &'static str {
        match self {
            Skip::Request => "request",
            Skip::Metadata => "metadata",
            Skip::Revisit => "revisit",
            Skip::OtherType => "other record type",
            Skip::NotHttp => "not HTTP",
            Skip::Redirect => "redirect",
            Skip::ErrorStatus => "error status",
            Skip::NotHtml => "not HTML",
            Skip::Domain => "outside --domain",
            Skip::Date => "outside --since/--until",
            Skip::Language => "outside --lang",
            Skip::TooLarge => "too large",
            Skip::BadPayload => "undecodable payload",
            Skip::NoText => "no article text",
            Skip::AlreadyStored => "already stored",
            Skip::BadRecord => "bad record",
            Skip::Internal => "internal error",
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub files: usize,
    /// Records read in this run (what an earlier run stored is not read again).
    pub records: u64,
    /// Articles stored.
    pub kept: u64,
    pub skipped: BTreeMap<Skip, u64>,
    /// Files that could not be read to their end, each with the file, the offset and why.
    pub file_errors: Vec<String>,
    /// Files left to the other processes that held them (`--shared`).
    pub files_elsewhere: usize,
    pub enriched: usize,
    pub published: usize,
    pub posts_failed: usize,
    /// The run stopped at `--limit`.
    pub limited: bool,
    pub elapsed: Duration,
}

impl IngestSummary {
    /// The skip counts, most frequent first: `request 12, not HTML 3`.
    pub fn skipped_line(&self) -> String {
        let mut counts: Vec<(Skip, u64)> = self.skipped.iter().map(|(s, n)| (*s, *n)).collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{} {n}", s.label())).collect();
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }
}

/// An archive as the store knows it.
struct Archive {
    input: Input,
    /// What messages call it: the path as given.
    label: String,
    feed_url: String,
    feed_name: String,
    /// Where its resume position is kept (none for standard input).
    state_key: Option<String>,
    start: Position,
    size: Option<u64>,
}

fn archive(store: &dyn Store, input: &Input) -> anyhow::Result<Result<Archive, String>> {
    let path = match input {
        Input::Stdin => {
            return Ok(Ok(Archive {
                input: Input::Stdin,
                label: "standard input".into(),
                feed_url: "warc:stdin".into(),
                feed_name: "WARC from standard input".into(),
                state_key: None,
                start: Position::default(),
                size: None,
            }))
        }
        Input::File(p) => p,
    };
    let label = path.display().to_string();
    // The absolute path names the archive in the store, so that a run from another directory resumes it.
    let absolute = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("{label}: cannot open: {e}"))),
    };
    let shown = absolute.to_string_lossy().to_string();
    let state_key = format!("warc:{shown}:offset");
    let start = match store.get_state(&state_key)? {
        Some(saved) => match saved.parse::<Position>() {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(file = %label, error = %e, "unreadable resume position, reading the file from its start");
                Position::default()
            }
        },
        None => Position::default(),
    };
    let feed_name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| shown.clone());
    Ok(Ok(Archive {
        input: Input::File(absolute.clone()),
        label,
        feed_url: format!("warc:{shown}"),
        feed_name,
        state_key: Some(state_key),
        start,
        size: std::fs::metadata(&absolute).ok().map(|m| m.len()),
    }))
}

/// Open an archive at `start`.
fn open_reader(
    archive: &Archive,
    start: Position,
    max_record_bytes: u64,
) -> Result<WarcReader<Box<dyn Read + Send>>, String> {
    let options = ReaderOptions { max_record_bytes };
    let reader: Box<dyn Read + Send> = match &archive.input {
        Input::Stdin => Box::new(std::io::stdin()),
        Input::File(path) => {
            let mut file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
            file.seek(SeekFrom::Start(start.offset))
                .map_err(|e| format!("cannot seek to offset {start}: {e}"))?;
            Box::new(file)
        }
    };
    Ok(WarcReader::resume(reader, start, options))
}

/// The lease name of an archive shared between processes.
fn lease_name(archive: &Archive) -> String {
    archive.feed_url.clone()
}

/// Where to start reading an archive just claimed: the position stored by whoever read it last (another
/// process may have read some of it since this run listed it).
fn claimed_start(store: &dyn Store, archive: &Archive) -> anyhow::Result<Position> {
    let Some(key) = &archive.state_key else {
        return Ok(archive.start);
    };
    Ok(store
        .get_state(key)?
        .and_then(|saved| saved.parse::<Position>().ok())
        .unwrap_or(archive.start))
}

/// A record on its way from the reader to the store, in file order (`seq`).
struct Job {
    seq: u64,
    file: usize,
    /// Where the next record starts, for a record read whole.
    end: Option<Position>,
    work: Work,
}

enum Work {
    Page(Box<Page>),
    Skip(Skip),
    /// A record the reader could not read; reading went on.
    RecordError(String),
    /// The file cannot be read further.
    FileError(String),
    FileDone,
    /// Another process holds the file (`--shared`).
    FileElsewhere,
}

struct Page {
    uri: String,
    date: Option<DateTime<FixedOffset>>,
    key: String,
    at: Position,
    block: Vec<u8>,
}

struct Done {
    seq: u64,
    file: usize,
    end: Option<Position>,
    outcome: Outcome,
}

enum Outcome {
    Article(Box<Prepared>),
    Skip(Skip),
    /// A bug met on this record.
    Failed(String),
    RecordError(String),
    FileError(String),
    FileDone,
    FileElsewhere,
}

/// An extracted article and the item that stands for its record.
struct Prepared {
    item: newsdesk_feeds::Item,
    page: super::run::ExtractedPage,
}

/// Sort a record out on its WARC header alone, before anything is decoded.
fn classify(record: Record, filters: &Filters) -> Work {
    let kind = record.header.record_type();
    match kind {
        RecordType::Response => {}
        RecordType::Request => return Work::Skip(Skip::Request),
        RecordType::Metadata => return Work::Skip(Skip::Metadata),
        RecordType::Revisit => return Work::Skip(Skip::Revisit),
        _ => return Work::Skip(Skip::OtherType),
    }
    let http_block = record
        .header
        .content_type()
        .is_none_or(|ct| ct.trim().to_ascii_lowercase().starts_with("application/http"));
    let Some(uri) = record.header.target_uri().map(str::to_string) else {
        return Work::Skip(Skip::NotHttp);
    };
    let host = match url::Url::parse(&uri) {
        Ok(u) if http_block && matches!(u.scheme(), "http" | "https") => {
            u.host_str().unwrap_or_default().to_ascii_lowercase()
        }
        _ => return Work::Skip(Skip::NotHttp),
    };
    if !filters.domain_ok(&host) {
        return Work::Skip(Skip::Domain);
    }
    let date = record.header.date();
    if !filters.date_ok(date) {
        return Work::Skip(Skip::Date);
    }
    let key = match record.header.record_id() {
        Some(id) => id.to_string(),
        None => format!("{uri} {}", record.header.get("WARC-Date").unwrap_or_default()),
    };
    let block = match record.block {
        Block::Data(d) => d,
        Block::TooLarge { .. } => return Work::Skip(Skip::TooLarge),
    };
    Work::Page(Box::new(Page {
        uri,
        date,
        key,
        at: record.start,
        block,
    }))
}

fn is_html(media_type: &str) -> bool {
    matches!(
        media_type,
        "text/html" | "application/xhtml+xml" | "application/vnd.wap.xhtml+xml"
    )
}

/// For a response without a Content-Type: whether the body starts like an HTML document.
fn sniff_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|m| head.contains(m))
}

/// Decode, extract and tag one page (on a worker).
fn prepare(page: &Page, filters: &Filters, max_body: usize) -> Outcome {
    let http = match parse_response(&page.block) {
        Ok(h) => h,
        Err(HttpError::NotHttp) => return Outcome::Skip(Skip::NotHttp),
        Err(_) => return Outcome::Skip(Skip::BadPayload),
    };
    match http.status {
        200..=299 if http.status != 204 => {}
        300..=399 => return Outcome::Skip(Skip::Redirect),
        _ => return Outcome::Skip(Skip::ErrorStatus),
    }
    let media_type = http.media_type();
    if media_type.as_deref().is_some_and(|m| !is_html(m)) {
        return Outcome::Skip(Skip::NotHtml);
    }
    let body = match http.body(&page.block, max_body) {
        Ok(b) => b,
        Err(HttpError::TooLarge { .. }) => return Outcome::Skip(Skip::TooLarge),
        Err(_) => return Outcome::Skip(Skip::BadPayload),
    };
    if media_type.is_none() && !sniff_html(&body) {
        return Outcome::Skip(Skip::NotHtml);
    }
    super::failpoint("extract", &page.uri);
    let options = newsdesk_extract::Options {
        url: Some(&page.uri),
        content_type: http.content_type(),
        ..Default::default()
    };
    let extracted = newsdesk_extract::extract(&body, &options);
    if extracted.text.trim().is_empty() {
        return Outcome::Skip(Skip::NoText);
    }
    // The record's date is the download date; a record without one was downloaded some time before now.
    let fetched_at = page
        .date
        .map(|d| d.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(now);
    let mut row = super::run::article_row(&extracted, &page.uri, &fetched_at);
    let title = row
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| page.uri.clone());
    super::enrich::prepare_article_titled(&mut row, || title.clone());
    if !filters.language_ok(row.language.as_deref()) {
        return Outcome::Skip(Skip::Language);
    }
    let published = row
        .published
        .as_deref()
        .and_then(|p| DateTime::parse_from_rfc3339(p).ok())
        .or(page.date);
    let item = newsdesk_feeds::Item {
        id: page.key.clone(),
        title: row.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or(title),
        link: Some(page.uri.clone()),
        published,
        authors: row.authors.clone(),
        image: row.image.clone(),
        ..Default::default()
    };
    let page = super::run::ExtractedPage::new(row);
    Outcome::Article(Box::new(Prepared { item, page }))
}

/// The reader thread: every record of every file, in order, as jobs. Stops when `stop` is set or the other
/// end is gone.
fn read_archives(
    archives: &[Archive],
    filters: &Filters,
    max_record_bytes: u64,
    jobs: SyncSender<Job>,
    permits: SyncSender<()>,
    stop: &AtomicBool,
    shared: Option<(&dyn Store, &SharedFiles)>,
) {
    let mut seq = 0u64;
    let mut send = |file: usize, end: Option<Position>, work: Work| -> bool {
        // One permit per record between here and the store: the window that bounds memory.
        if stop.load(Ordering::Relaxed) || permits.send(()).is_err() {
            return false;
        }
        let job = Job { seq, file, end, work };
        seq += 1;
        jobs.send(job).is_ok()
    };
    for (file, archive) in archives.iter().enumerate() {
        let start = match shared {
            None => Ok(archive.start),
            Some((store, share)) => match store.claim_lease(&lease_name(archive), &now(), &share.lease()) {
                Ok(true) => claimed_start(store, archive).map_err(|e| format!("cannot read its position: {e:#}")),
                Ok(false) => {
                    if !send(file, None, Work::FileElsewhere) {
                        return;
                    }
                    continue;
                }
                Err(e) => Err(format!("cannot claim it: {e}")),
            },
        };
        let opened = start.and_then(|start| open_reader(archive, start, max_record_bytes));
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                if !send(file, None, Work::FileError(e)) {
                    return;
                }
                continue;
            }
        };
        loop {
            let next = isolated("reading the archive", || {
                reader.next_record().map(|r| match r {
                    Ok(record) => {
                        let end = record.end;
                        (Some(end), classify(record, filters))
                    }
                    Err(e) if e.is_fatal() => (None, Work::FileError(e.to_string())),
                    Err(e) => (None, Work::RecordError(e.to_string())),
                })
            });
            let (end, work, last) = match next {
                Ok(Some((end, work))) => {
                    let last = matches!(work, Work::FileError(_));
                    (end, work, last)
                }
                Ok(None) => (None, Work::FileDone, true),
                Err(panic) => (None, Work::FileError(panic), true),
            };
            if !send(file, end, work) {
                return;
            }
            if last {
                break;
            }
        }
    }
}

/// A worker: jobs in, outcomes out, a panic on one page becoming an error on that page.
fn work(jobs: &Mutex<Receiver<Job>>, done: Sender<Done>, filters: &Filters, max_body: usize) {
    loop {
        let job = {
            let Ok(jobs) = jobs.lock() else { return };
            match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let outcome = match job.work {
            Work::Page(page) => match isolated("extracting the page", || prepare(&page, filters, max_body)) {
                Ok(outcome) => outcome,
                Err(reason) => Outcome::Failed(format!("record at offset {} ({}): {reason}", page.at, page.uri)),
            },
            Work::Skip(s) => Outcome::Skip(s),
            Work::RecordError(e) => Outcome::RecordError(e),
            Work::FileError(e) => Outcome::FileError(e),
            Work::FileDone => Outcome::FileDone,
            Work::FileElsewhere => Outcome::FileElsewhere,
        };
        let done_job = Done {
            seq: job.seq,
            file: job.file,
            end: job.end,
            outcome,
        };
        if done.send(done_job).is_err() {
            return;
        }
    }
}

/// Read `inputs` into the store of `pipeline`, then enrich (and publish, if asked) what was stored.
pub fn ingest(
    config: &Config,
    store: &dyn Store,
    pipeline: &Pipeline<'_>,
    inputs: &[Input],
    options: &IngestOptions,
) -> anyhow::Result<IngestSummary> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let mut archives = Vec::new();
    for input in inputs {
        match archive(store, input)? {
            Ok(a) => archives.push(a),
            Err(e) => {
                eprintln!("newsdesk: {e}");
                summary.file_errors.push(e);
            }
        }
    }
    summary.files = archives.len() + summary.file_errors.len();
    // Sharing the list, the enrich and publish roles go to one process at a time, as among workers.
    let roles = match options.shared {
        None => Roles::SINGLE,
        Some(_) => {
            let holder = format!("newsdesk ingest warc, pid {}", std::process::id());
            Roles::SINGLE
                .take_single(store, Roles::SINGLE.without_single(), &holder)?
                .0
        }
    };
    let enrich = roles.enrich;
    let latest = store
        .get_state(LATEST_KEY)?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .map_or_else(Utc::now, |t| t.min(Utc::now()));
    let mut writer = Writer {
        store,
        pipeline,
        batch_size: config.pipeline.batch_size.max(1),
        archives: &archives,
        feeds: HashMap::new(),
        watermark: last_item_id(store)?,
        latest_stored: None,
        pending: Vec::new(),
        pending_articles: 0,
        run: RunSummary::default(),
        enricher: if enrich {
            Some(Enricher::load_as_of(store, latest)?)
        } else {
            None
        },
        summary,
        bar: pipeline.progress().bytes_bar(
            "read archives",
            archives
                .iter()
                .map(|a| a.size.unwrap_or(0).saturating_sub(a.start.offset))
                .sum(),
        ),
        last_refresh: Instant::now(),
        started,
        limit: options.limit,
        dry_run: options.dry_run,
        shared: options.shared.as_ref(),
        enrich,
    };
    let workers = options.workers.max(1);
    let max_body = config.fetch.max_body_bytes;
    // The HTTP head comes on top of the body.
    let max_record = max_body.saturating_add(64 * 1024);
    let max_body = usize::try_from(max_body).unwrap_or(usize::MAX);
    let stop = AtomicBool::new(false);
    let window = (WINDOW_BATCHES * config.pipeline.batch_size.max(1)).max(WINDOW_PER_WORKER * workers);
    let (permit_tx, permit_rx) = sync_channel::<()>(window);
    let (job_tx, job_rx) = sync_channel::<Job>(2 * workers);
    let (done_tx, done_rx) = channel::<Done>();
    // Owned by the workers alone: when the writer stops early (`--limit`), the workers leave on their next
    // outcome, the last one closes the queue, and a reader blocked on a full queue is let go.
    let job_rx = std::sync::Arc::new(Mutex::new(job_rx));
    let filters = &options.filters;
    let result = std::thread::scope(|scope| {
        let archives = &archives;
        let stop_ref = &stop;
        let shared = options.shared.as_ref().map(|share| (store, share));
        scope.spawn(move || read_archives(archives, filters, max_record, job_tx, permit_tx, stop_ref, shared));
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = job_rx.clone();
            scope.spawn(move || work(&job_rx, done_tx, filters, max_body));
        }
        drop(done_tx);
        drop(job_rx);
        let result = writer.run(&done_rx, &permit_rx);
        // Whatever ended the loop, the other threads stop: the reader on its next record (or when the
        // workers are gone), the workers on their next outcome or when the jobs end.
        stop.store(true, Ordering::Relaxed);
        drop(permit_rx);
        drop(done_rx);
        result
    });
    result?;
    let mut summary = writer.finish()?;
    if options.publish && !options.dry_run && roles.publish {
        let mut run = RunSummary::default();
        pipeline.publish_stage(&mut run)?;
        summary.published = run.published;
        summary.posts_failed = run.posts_failed;
        if let Some(why) = &run.hugo_build_failed {
            tracing::warn!(error = %why, "hugo could not build the site");
        }
    }
    pipeline.progress().finish();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// This thread's share: outcomes in record order into the store.
struct Writer<'a> {
    store: &'a dyn Store,
    pipeline: &'a Pipeline<'a>,
    batch_size: usize,
    archives: &'a [Archive],
    /// Feed ids of the archives stored into so far.
    feeds: HashMap<usize, i64>,
    /// No item has an id above this one but those this run stored after it was taken.
    watermark: i64,
    latest_stored: Option<String>,
    pending: Vec<Done>,
    pending_articles: usize,
    run: RunSummary,
    enricher: Option<Enricher>,
    summary: IngestSummary,
    bar: indicatif::ProgressBar,
    last_refresh: Instant,
    started: Instant,
    limit: Option<u64>,
    dry_run: bool,
    shared: Option<&'a SharedFiles>,
    /// This process tags and clusters what it stores.
    enrich: bool,
}

impl Writer<'_> {
    fn run(&mut self, done: &Receiver<Done>, permits: &Receiver<()>) -> anyhow::Result<()> {
        let mut next = 0u64;
        let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
        let mut bytes_before: u64 = 0;
        let mut current_file = None;
        while let Ok(d) = done.recv() {
            waiting.insert(d.seq, d);
            while let Some(d) = waiting.remove(&next) {
                next += 1;
                // The record has left the window.
                let _ = permits.recv();
                if current_file != Some(d.file) {
                    if let Some(previous) = current_file.and_then(|f: usize| self.archives.get(f)) {
                        bytes_before += previous.size.unwrap_or(0).saturating_sub(previous.start.offset);
                    }
                    current_file = Some(d.file);
                }
                if let (Some(end), Some(archive)) = (d.end, self.archives.get(d.file)) {
                    self.bar
                        .set_position(bytes_before + end.offset.saturating_sub(archive.start.offset));
                }
                if !self.take(d)? {
                    return Ok(());
                }
            }
        }
        self.flush()
    }

    /// Take one outcome; returns false once the limit is reached.
    fn take(&mut self, d: Done) -> anyhow::Result<bool> {
        let label = self.archives.get(d.file).map(|a| a.label.clone()).unwrap_or_default();
        let mut ends_file = false;
        match &d.outcome {
            Outcome::Article(_) => {
                self.summary.records += 1;
                self.pending_articles += 1;
            }
            Outcome::Skip(reason) => {
                self.summary.records += 1;
                *self.summary.skipped.entry(*reason).or_default() += 1;
            }
            Outcome::Failed(e) => {
                self.summary.records += 1;
                *self.summary.skipped.entry(Skip::Internal).or_default() += 1;
                self.bar.suspend(|| eprintln!("newsdesk: {label}: {e}"));
            }
            Outcome::RecordError(e) => {
                *self.summary.skipped.entry(Skip::BadRecord).or_default() += 1;
                self.bar.suspend(|| eprintln!("newsdesk: {label}: {e}"));
            }
            Outcome::FileError(e) => {
                let error = format!("{label}: {e}");
                self.bar.suspend(|| eprintln!("newsdesk: {error}"));
                self.summary.file_errors.push(error);
                ends_file = true;
            }
            Outcome::FileDone => ends_file = true,
            Outcome::FileElsewhere => {
                self.summary.files_elsewhere += 1;
                return Ok(true);
            }
        }
        let file = d.file;
        self.pending.push(d);
        let at_limit = self
            .limit
            .is_some_and(|l| self.summary.kept + self.pending_articles as u64 >= l);
        if ends_file
            || at_limit
            || self.pending_articles >= self.batch_size
            || self.pending.len() >= 8 * self.batch_size
        {
            self.flush()?;
        }
        if ends_file {
            self.file_done(file)?;
            if let (Some(share), Some(archive)) = (self.shared, self.archives.get(file)) {
                self.store.release_lease(&lease_name(archive), &share.owner)?;
            }
        }
        if self.last_refresh.elapsed() >= REFRESH {
            self.refresh();
        }
        if at_limit {
            self.summary.limited = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn refresh(&mut self) {
        self.last_refresh = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        self.bar.set_message(format!(
            "{} records ({:.0}/s), {} kept; skipped: {}",
            self.summary.records,
            self.summary.records as f64 / secs,
            self.summary.kept,
            self.summary.skipped_line()
        ));
    }

    /// Store what is pending, with the position it reaches, in one transaction; then enrich.
    fn flush(&mut self) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.pending_articles = 0;
        let Some(first) = pending.first() else {
            return Ok(());
        };
        let file = first.file;
        let end = pending.iter().filter_map(|d| d.end).next_back();
        let prepared: Vec<Prepared> = pending
            .into_iter()
            .filter_map(|d| match d.outcome {
                Outcome::Article(p) => Some(*p),
                _ => None,
            })
            .collect();
        let latest = prepared.iter().map(|p| p.page.row.fetched_at.clone()).max();
        let offered = prepared.len();
        if self.dry_run {
            self.summary.kept += offered as u64;
            return Ok(());
        }
        let stored = batch(self.store, || {
            let mut stored = 0;
            if !prepared.is_empty() {
                let feed_id = self.feed_id(file)?;
                let items: Vec<newsdesk_feeds::Item> = prepared.iter().map(|p| p.item.clone()).collect();
                let (new, _) = self.store.upsert_items(feed_id, &items, &now())?;
                let mut rows = self.new_items(feed_id, new)?;
                let mut pages = Vec::with_capacity(rows.len());
                for p in prepared {
                    // An item that was there before is a record stored by an earlier run.
                    if let Some(item) = rows.remove(&p.item.id) {
                        pages.push((item, Ok(p.page)));
                    }
                }
                stored = pages.len();
                self.pipeline.store_pages(pages, &mut self.run)?;
            }
            if let (Some(key), Some(end)) = (self.archives.get(file).and_then(|a| a.state_key.as_ref()), end) {
                self.store.set_state(key, &end.to_string())?;
            }
            if let Some(latest) = &latest {
                if self.latest_stored.as_ref().is_none_or(|l| latest > l) {
                    self.store.set_state(LATEST_KEY, latest)?;
                }
            }
            Ok(stored)
        })?;
        if let Some(latest) = latest {
            if self.latest_stored.as_ref().is_none_or(|l| &latest > l) {
                self.latest_stored = Some(latest);
            }
        }
        // The file is still being read: its lease goes on.
        if let (Some(share), Some(archive)) = (self.shared, self.archives.get(file)) {
            if !self.store.claim_lease(&lease_name(archive), &now(), &share.lease())? {
                tracing::warn!(file = %archive.label, "another process took this file over (this one was too slow to renew its lease)");
            }
        }
        self.summary.kept += stored as u64;
        if offered > stored {
            *self.summary.skipped.entry(Skip::AlreadyStored).or_default() += (offered - stored) as u64;
        }
        self.enrich_once()
    }

    fn enrich_once(&mut self) -> anyhow::Result<()> {
        // Sharing the list, only the process that holds the enrich role tags and clusters (one writer in
        // arrival order); the others leave their articles to it.
        if !self.enrich {
            return Ok(());
        }
        self.pipeline.enrich_stage(&mut self.run, &mut self.enricher)
    }

    /// The feed of archive `file`, added (and marked never due for polling) the first time.
    fn feed_id(&mut self, file: usize) -> anyhow::Result<i64> {
        if let Some(id) = self.feeds.get(&file) {
            return Ok(*id);
        }
        let archive = self
            .archives
            .get(file)
            .ok_or_else(|| anyhow::anyhow!("no archive {file}"))?;
        let (id, created) = self.store.add_feed(&archive.feed_url, Some(&archive.feed_name))?;
        if created {
            self.mark_read(id, archive)?;
        }
        self.feeds.insert(file, id);
        Ok(id)
    }

    fn mark_read(&self, feed_id: i64, archive: &Archive) -> anyhow::Result<()> {
        self.store.record_poll(
            feed_id,
            &FeedPoll {
                fetched_at: now(),
                title: Some(archive.feed_name.clone()),
                next_poll_at: Some(NEVER.into()),
                ..Default::default()
            },
        )?;
        Ok(())
    }

    /// The end of a file: its feed says when it was read.
    fn file_done(&mut self, file: usize) -> anyhow::Result<()> {
        if let (Some(id), Some(archive)) = (self.feeds.get(&file).copied(), self.archives.get(file)) {
            self.mark_read(id, archive)?;
        }
        Ok(())
    }

    /// The `count` items just inserted into `feed_id`, by key. Items get increasing ids, so they are the
    /// feed's items after the watermark; the watermark then moves past them.
    fn new_items(&mut self, feed_id: i64, count: usize) -> anyhow::Result<HashMap<String, ItemRow>> {
        let mut found = HashMap::with_capacity(count);
        while found.len() < count {
            let page = self.store.items_after(self.watermark, count.max(64))?;
            let Some(last) = page.last() else { break };
            self.watermark = last.id;
            for item in page {
                if item.feed_id == feed_id {
                    found.insert(item.key.clone(), item);
                }
            }
        }
        Ok(found)
    }

    /// Enrich what is left, and sum up.
    fn finish(mut self) -> anyhow::Result<IngestSummary> {
        loop {
            let before = self.run.enriched + self.run.item_errors;
            self.enrich_once()?;
            if self.run.enriched + self.run.item_errors == before {
                break;
            }
        }
        self.refresh();
        self.bar.finish_and_clear();
        self.summary.enriched = self.run.enriched;
        Ok(self.summary)
    }
}

/// The highest item id in the store (0 when there is none), found with `items_after` probes: the store has
/// no direct question for it, and a binary search needs about 2·log2(id) of them, once a run.
fn last_item_id(store: &dyn Store) -> anyhow::Result<i64> {
    let first_after =
        |after: i64| -> anyhow::Result<Option<i64>> { Ok(store.items_after(after, 1)?.first().map(|i| i.id)) };
    let Some(mut low) = first_after(0)? else {
        return Ok(0);
    };
    // `low` is an id; find an upper bound with no id above it.
    let mut step: i64 = 1024;
    let mut high = loop {
        let probe = low.saturating_add(step);
        match first_after(probe)? {
            Some(id) => {
                low = id;
                step = step.saturating_mul(2);
            }
            None => break probe,
        }
    };
    while low < high {
        let mid = low + (high - low) / 2;
        match first_after(mid)? {
            Some(id) => low = id,
            None => high = mid,
        }
    }
    Ok(low)
}

/// `--since`: a day (from its start, UTC) or an RFC 3339 time.
pub fn parse_since(s: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(t.and_utc());
        }
    }
    anyhow::bail!("{s:?} is not a date (use YYYY-MM-DD or RFC 3339)")
}

/// `--until`: a day (to its end: records before the next day) or an RFC 3339 time (records up to it); returns
/// the first time after the range.
pub fn parse_until(s: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc) + chrono::Duration::nanoseconds(1));
    }
    Ok(parse_since(s)? + chrono::Duration::days(1))
}

/// The archives named on the command line and in `--from-list` files (one path per line; blank lines and
/// lines starting with `#` are ignored; `-` is standard input).
pub fn inputs(files: &[PathBuf], list: Option<&Path>) -> anyhow::Result<Vec<Input>> {
    let as_input = |p: &Path| {
        if p.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(p.to_path_buf())
        }
    };
    let mut inputs: Vec<Input> = files.iter().map(|p| as_input(p)).collect();
    if let Some(list) = list {
        let text = if list.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the list of files from standard input")?;
            text
        } else {
            std::fs::read_to_string(list)
                .with_context(|| format!("cannot read the list of files {}", list.display()))?
        };
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                inputs.push(as_input(Path::new(line)));
            }
        }
    }
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        anyhow::bail!("standard input (-) can be read only once");
    }
    if list.is_some_and(|l| l.as_os_str() == "-") && inputs.contains(&Input::Stdin) {
        anyhow::bail!("standard input cannot hold both the list of files and an archive");
    }
    if inputs.is_empty() {
        anyhow::bail!("no archive to read: name WARC files, `-` for standard input, or --from-list FILE");
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_date_and_language_filters() {
        let f = Filters {
            domains: vec!["example.com".into()],
            since: Some(parse_since("2024-05-01").expect("date")),
            before: Some(parse_until("2024-05-02").expect("date")),
            languages: vec!["en".into()],
        };
        assert!(f.domain_ok("example.com") && f.domain_ok("www.example.com"));
        assert!(!f.domain_ok("badexample.com") && !f.domain_ok("example.com.evil"));
        let d = |s: &str| DateTime::parse_from_rfc3339(s).ok();
        assert!(f.date_ok(d("2024-05-01T00:00:00Z")) && f.date_ok(d("2024-05-02T23:59:59Z")));
        assert!(!f.date_ok(d("2024-04-30T23:59:59Z")) && !f.date_ok(d("2024-05-03T00:00:00Z")));
        assert!(!f.date_ok(None), "no date, no proof it is in the range");
        assert!(Filters::default().date_ok(None));
        assert!(f.language_ok(Some("en")) && f.language_ok(Some("en-GB")) && !f.language_ok(Some("de")));
        assert!(!f.language_ok(None));
        let exact = parse_until("2024-05-01T10:00:00Z").expect("time");
        assert!(
            DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z")
                .expect("t")
                .with_timezone(&Utc)
                < exact
        );
        assert!(parse_since("last week").is_err());
    }

    #[test]
    fn html_is_told_from_the_rest() {
        assert!(is_html("text/html") && is_html("application/xhtml+xml") && !is_html("application/pdf"));
        assert!(sniff_html(b"  <!DOCTYPE html><p>x") && sniff_html(b"<HTML>") && !sniff_html(b"%PDF-1.4"));
    }
}
