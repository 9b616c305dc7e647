//! newsdesk's store: the only door to stored data. The [`Store`] trait and its row types, the neutral search
//! query ([`search`]), and the backends: SQLite, the embedded default ([`sqlite::SqliteStore`]); a PostgreSQL
//! backend for several workers implements the same trait. Nothing outside this crate speaks SQL.
//!
//! Every stored thing has a stable key (feed URL, feed + item id, canonical article URL), so re-running any
//! stage is an upsert, never a duplicate.

pub mod migrate;
pub mod postgres;
mod rows;
pub mod search;
pub mod sqlite;
#[doc(hidden)]
pub mod testing;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use postgres::PostgresStore;
pub use search::{parse_query, ArticleSummary, QueryError, SearchFilters, SearchHit, SearchQuery};
pub use sqlite::SqliteStore;

/// Story-mates whose posts are refreshed when an article joins their story (their coverage lists change),
/// and so the most coverage a post lists.
pub const COVERAGE_REFRESH: i64 = 20;

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file (created and migrated on open).
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user@host/db`), shared by several processes.
    Postgres(String),
}

impl Location {
    /// What the user would recognise the store by (its path).
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => postgres::redact(url),
        }
    }
}

/// Open the store at `location`, bringing its schema up to date.
pub fn open(location: &Location) -> Result<Arc<dyn Store>> {
    match location {
        Location::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path)?)),
        Location::Postgres(url) => Ok(Arc::new(PostgresStore::open(url)?)),
    }
}

/// Open an SQLite store file.
pub fn open_sqlite(path: &Path) -> Result<Arc<dyn Store>> {
    open(&Location::Sqlite(path.to_path_buf()))
}

/// Record what the enrich stage found about an article, and mark for publishing again the posts that show
/// it: its own, and those of its latest story-mates, whose coverage lists now include it. Decided here, once,
/// so that every backend marks the same posts.
pub fn enrich_article(store: &dyn Store, id: i64, enrichment: &Enrichment) -> Result<()> {
    store.set_article_enrichment(id, enrichment)?;
    let mut changed = vec![id];
    if let Some(story) = &enrichment.story_id {
        changed.extend(store.story_article_ids(story, Some(id), COVERAGE_REFRESH as usize)?);
    }
    store.mark_articles_changed(&changed)
}

/// Fold story `from` into `into` ([`Store::merge_story`]) and mark for publishing again the posts of the
/// articles that moved: they name the story and list its coverage.
pub fn fold_story(store: &dyn Store, from: &str, into: &str) -> Result<()> {
    if from == into {
        return Ok(());
    }
    let moved = store.story_article_ids(from, None, usize::MAX)?;
    store.merge_story(from, into)?;
    store.mark_articles_changed(&moved)
}

/// Run `f` with its writes grouped in one transaction where the backend can ([`Store::in_batch`]), returning
/// what `f` returns.
pub fn batch<T>(store: &dyn Store, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let mut f = Some(f);
    let mut value = None;
    store.in_batch(&mut || {
        let f = f
            .take()
            .ok_or_else(|| anyhow::anyhow!("a store batch body ran twice"))?;
        value = Some(f()?);
        Ok(())
    })?;
    value.ok_or_else(|| anyhow::anyhow!("a store batch body did not run"))
}

/// Where an item stands in the pipeline. Each stage moves it one step; a failure leaves the stage as it was
/// and records the error, the attempt count and when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Stored from a feed; its link still needs resolving to the publisher URL.
    New,
    /// The publisher URL is known; the page still needs fetching and extracting.
    Resolved,
    /// The article is stored; tags and story still to be assigned.
    Extracted,
    /// Everything known about it is stored; ready to publish.
    Ready,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::New, Stage::Resolved, Stage::Extracted, Stage::Ready];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Resolved => "resolved",
            Stage::Extracted => "extracted",
            Stage::Ready => "ready",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// How an item's stage failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Trying again would fail the same way (a 404, a page that hits a bug): the item is given up.
    Permanent,
    /// Worth another try from this time on.
    RetryAt(chrono::DateTime<chrono::Utc>),
}

/// A time as the store keeps it: RFC 3339 in UTC with seconds and `Z`, so that text order is time order.
pub fn stored_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A worker's hold on the items it claimed: until `until`, no other worker takes them; after it (the worker
/// died or lost the store), any worker may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Who holds the items: a worker id ([`WorkerRow::id`]).
    pub owner: String,
    pub until: chrono::DateTime<chrono::Utc>,
}

/// A worker process as it announces itself in the store ([`Store::heartbeat`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerRow {
    /// Unique per process: `host:pid`.
    pub id: String,
    pub host: String,
    pub pid: u32,
    /// The roles it runs (`poll`, `resolve`, `fetch`, `enrich`, `publish`).
    pub roles: Vec<String>,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub heartbeat_at: chrono::DateTime<chrono::Utc>,
}

/// A worker with what it holds now, for `newsdesk status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerStatus {
    #[serde(flatten)]
    pub worker: WorkerRow,
    /// Items whose lease it holds and that have not expired.
    pub items_leased: i64,
}

/// A followed feed and its fetch state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub url: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetched_at: Option<String>,
    pub next_poll_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub item_count: i64,
}

/// The result of one poll of a feed, recorded on the feed.
#[derive(Debug, Clone, Default)]
pub struct FeedPoll {
    pub fetched_at: String,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Option<String>,
    /// `Some` when the poll failed; the previous ETag/Last-Modified are kept then.
    pub error: Option<String>,
}

/// A stored feed item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    pub id: i64,
    pub feed_id: i64,
    pub feed_url: String,
    /// The item's stable identity within its feed (guid, link or content hash).
    pub key: String,
    pub title: String,
    pub link: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub summary: Option<String>,
    pub content: Option<String>,
    /// The related-coverage list of the item's description (the summary, else the content), as Google News
    /// items carry it; empty for other feeds. Parsed once, when the item is stored.
    pub related: Vec<newsdesk_feeds::gnews::Related>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub image: Option<String>,
    pub source_title: Option<String>,
    pub source_url: Option<String>,
    pub first_seen: String,
    pub stage: Stage,
    pub resolved_url: Option<String>,
    pub article_id: Option<i64>,
    pub error: Option<String>,
    pub attempts: u32,
    /// Failed for good ([`Failure::Permanent`]): never tried again; published with what is known.
    pub given_up: bool,
    /// Bumped by every change that alters the item's post; publications record the version they wrote.
    pub version: i64,
}

/// An extracted article, stored once per canonical URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: i64,
    pub canonical_url: String,
    pub url: String,
    pub title: Option<String>,
    pub text: String,
    pub markdown: String,
    pub html: String,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub fetched_at: String,
    pub tags: Vec<String>,
    pub story_id: Option<String>,
    /// Canonical URL of the article this one nearly duplicates (wire copy, re-post).
    pub duplicate_of: Option<i64>,
    pub simhash: Option<u64>,
    /// How the page's bytes were read when that is not what the page declared (a UTF-8 label on Latin-1
    /// bytes, say), as the extractor said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_note: Option<String>,
    /// The named entities found when the article was tagged; `None` for an article stored before they were
    /// kept (its posts find them in the text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<ArticleEntities>,
}

/// The people, places and organisations an article names, each list ranked, as its posts show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntities {
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub organizations: Vec<String>,
}

/// What the enrich stage adds to an article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Enrichment {
    pub tags: Vec<String>,
    pub story_id: Option<String>,
    /// The article this one nearly duplicates (wire copy, re-post).
    pub duplicate_of: Option<i64>,
    /// A title or language found here when extraction had none (`None` keeps the stored value).
    pub title: Option<String>,
    pub language: Option<String>,
    /// The named entities, found with the tags (`None` keeps the stored value).
    pub entities: Option<ArticleEntities>,
}

/// A story: the same event covered by several articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryRow {
    pub id: String,
    pub headline: String,
    pub first_seen: String,
    pub last_updated: String,
    pub article_count: i64,
}

/// A story's id and headline, as a post names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryHead {
    pub id: String,
    pub headline: String,
}

/// Counts for `newsdesk status`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusReport {
    pub feeds: i64,
    pub items_by_stage: Vec<(String, i64)>,
    pub failing_items: i64,
    pub articles: i64,
    pub stories: i64,
    /// Posts written (the JSONL output's records of them are not counted again).
    pub published: i64,
    pub recent_errors: Vec<ErrorRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorRow {
    pub at: String,
    pub what: String,
    pub url: String,
    pub error: String,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A store failure. The backend's own error type stays inside the crate: what the application gets is the
/// store, the message and the kind of failure it may act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {store}: {message}")]
    Backend {
        store: String,
        message: String,
        kind: FailureKind,
    },
    #[error("store: {0}")]
    Invalid(String),
}

/// What kind of failure a backend met, for the caller to decide what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The disk (or the database's size limit) is full.
    Full,
    /// Another process holds the store and did not let go in time.
    Busy,
    /// A constraint refused the write.
    Constraint,
    /// Anything else: I/O, corruption, a bug.
    Other,
}

impl StoreError {
    pub fn kind(&self) -> FailureKind {
        match self {
            StoreError::Backend { kind, .. } => *kind,
            StoreError::Invalid(_) => FailureKind::Other,
        }
    }
}

/// Everything the application keeps, behind one interface.
pub trait Store: Send + Sync {
    // Feeds.
    fn add_feed(&self, url: &str, name: Option<&str>) -> Result<(i64, bool)>;
    fn feeds(&self) -> Result<Vec<FeedRow>>;
    fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>>;
    fn remove_feed(&self, id: i64) -> Result<bool>;
    fn record_poll(&self, feed_id: i64, poll: &FeedPoll) -> Result<()>;

    // Items.
    /// Insert new items and refresh changed ones; returns (new, updated).
    fn upsert_items(&self, feed_id: i64, items: &[newsdesk_feeds::Item], now: &str) -> Result<(usize, usize)>;
    /// Items at `stage` that are due (never failed, or their retry time has come), oldest first.
    fn items_due(&self, stage: Stage, now: &str, max_attempts: u32, limit: usize) -> Result<Vec<ItemRow>>;
    fn advance_item(
        &self,
        item_id: i64,
        stage: Stage,
        resolved_url: Option<&str>,
        article_id: Option<i64>,
    ) -> Result<()>;
    /// Record a failed attempt at the item's stage: `failure` says whether and when to try again.
    fn fail_item(&self, item_id: i64, error: &str, now: &str, failure: Failure) -> Result<()>;
    /// Put an item off until `until` for a reason that is not its own (a service's rate limit): the reason is
    /// shown, but no attempt is spent and its post is not touched.
    fn defer_item(&self, item_id: i64, reason: &str, now: &str, until: &str) -> Result<()>;

    // Google News link resolutions (token → publisher URL).
    fn cached_resolution(&self, token: &str) -> Result<Option<String>>;
    fn cache_resolution(&self, token: &str, url: &str, now: &str) -> Result<()>;
    fn get_state(&self, key: &str) -> Result<Option<String>>;
    fn set_state(&self, key: &str, value: &str) -> Result<()>;

    // Articles.
    /// Store an article under its canonical URL (an existing one is updated); returns its id.
    fn upsert_article(&self, article: &ArticleRow) -> Result<i64> {
        Ok(self.store_article(article)?.id)
    }
    /// [`Store::upsert_article`], returning the article as stored: its id, and the enrichments an existing
    /// article keeps (tags, story, near-duplicate, entities) — what [`Store::article`] would read back, without
    /// reading the long texts again.
    fn store_article(&self, article: &ArticleRow) -> Result<ArticleRow>;
    fn article(&self, id: i64) -> Result<Option<ArticleRow>>;
    fn article_by_url(&self, canonical_url: &str) -> Result<Option<ArticleRow>>;
    /// Articles fetched at or after `since` (the enrich stage rebuilds its window from them), by id, the
    /// `limit` first after `after_id`: read page by page, so that memory does not grow with the window.
    fn recent_articles(&self, since: &str, after_id: i64, limit: usize) -> Result<Vec<ArticleRow>>;
    /// Record what the enrich stage found (the posts it changes are marked by [`enrich_article`]).
    fn set_article_enrichment(&self, id: i64, enrichment: &Enrichment) -> Result<()>;
    /// Mark the posts of these articles' items as out of date, so that the next publish pass writes them.
    fn mark_articles_changed(&self, article_ids: &[i64]) -> Result<()>;
    /// Ids of a story's articles, latest first (the order of [`Store::story_coverage`]), but `except_article`.
    fn story_article_ids(&self, story_id: &str, except_article: Option<i64>, limit: usize) -> Result<Vec<i64>>;
    /// Items (from any feed) that led to this article.
    fn article_items(&self, article_id: i64) -> Result<Vec<ItemRow>>;

    // Stories.
    /// Create a story, or move its last update forward. The headline is the one given when the story was
    /// created (its first article's), so that it does not depend on the order of later arrivals.
    fn upsert_story(&self, id: &str, headline: &str, seen_at: &str) -> Result<()>;
    /// Fold story `from` into story `into`: its articles move, its times widen `into`'s, and `from` stays an
    /// alias, so that links to it keep working (the posts it changes are marked by [`fold_story`]).
    fn merge_story(&self, from: &str, into: &str) -> Result<()>;
    fn stories(&self, since: Option<&str>) -> Result<Vec<StoryRow>>;
    fn story_articles(&self, story_id: &str) -> Result<Vec<ArticleRow>>;

    // Publications: what was written where, so that nothing is published twice.
    fn publication(&self, item_id: i64, target: &str) -> Result<Option<(String, String)>>;
    /// Record that `item` (at its current version) was written to `path` of `target`.
    fn record_publication(&self, item: &ItemRow, target: &str, path: &str, hash: &str, now: &str) -> Result<()>;
    /// Items whose post in `target` is missing or older than the item: ready ones, and those whose attempts
    /// ran out (published with what the feed gave). Paged by item id.
    fn items_to_publish(&self, target: &str, max_attempts: u32, after_id: i64, limit: usize) -> Result<Vec<ItemRow>>;
    /// All items, paged by id.
    fn items_after(&self, after_id: i64, limit: usize) -> Result<Vec<ItemRow>>;
    /// The latest `limit` articles of a story but `except_article`, latest first (by `published`, else
    /// `fetched_at`), ties by canonical URL. Summaries, not full rows: a post lists their titles, outlets and
    /// links, and reading every article's text for that was a good part of publishing.
    fn story_coverage(&self, story_id: &str, except_article: i64, limit: usize) -> Result<Vec<ArticleSummary>>;

    fn status(&self, recent_errors: usize) -> Result<StatusReport>;

    // Work shared between processes.
    /// Like [`Store::items_due`], but only items nobody holds (no lease, or an expired one), and each taken is
    /// leased to `lease.owner` until `lease.until`. Two workers claiming at once get disjoint items; a worker
    /// never gets back what it holds. Advancing, failing or deferring an item ends its lease.
    fn claim_items(
        &self,
        stage: Stage,
        now: &str,
        max_attempts: u32,
        limit: usize,
        lease: &Lease,
    ) -> Result<Vec<ItemRow>>;
    /// End the leases `owner` holds (all leases with `None`: the caller knows no other process runs).
    fn release_leases(&self, owner: Option<&str>) -> Result<usize>;
    /// Extend to `lease.until` the leases `lease.owner` still holds, so that items that take longer than a
    /// lease (slow publishers, a paced resolver) are not taken over while they are being worked on. An item
    /// another worker took over after the lease expired stays with that worker. Returns how many it renewed.
    fn renew_leases(&self, lease: &Lease) -> Result<usize>;
    /// Feeds due for a poll at `now`, each moved to `hold_until` as it is taken, so that no other worker polls
    /// it meanwhile; [`Store::record_poll`] then sets the real next poll. A worker that dies holding a feed
    /// only delays its poll to `hold_until`.
    fn claim_feeds(&self, now: &str, hold_until: &str, limit: usize) -> Result<Vec<FeedRow>>;
    /// Book the next request slot to `host` shared by every process: the start time (Unix milliseconds) at
    /// which this request may go, not before `now_ms` and at least the interval after the previous booking's
    /// start. The interval is the larger of `interval_ms` and what [`Store::set_host_interval`] recorded.
    fn reserve_host_slot(&self, host: &str, interval_ms: i64, now_ms: i64) -> Result<i64>;
    /// Record the interval a host asks for (its robots.txt Crawl-delay), for every process's bookings.
    fn set_host_interval(&self, host: &str, interval_ms: i64) -> Result<()>;
    /// Announce (or refresh) a worker.
    fn heartbeat(&self, worker: &WorkerRow) -> Result<()>;
    /// Remove a worker that stops (its leases are released by [`Store::release_leases`]).
    fn remove_worker(&self, id: &str) -> Result<()>;
    /// Workers whose heartbeat is at or after `since`, with the items they hold at `now`, by id.
    fn workers(&self, since: &str, now: &str) -> Result<Vec<WorkerStatus>>;
    /// Take (or renew) the lease on a named piece of work (an archive file) for `lease.owner` until
    /// `lease.until`: granted when nobody holds it, its lease expired at `now`, or the owner already holds
    /// it. Returns whether it was granted.
    fn claim_lease(&self, name: &str, now: &str, lease: &Lease) -> Result<bool>;
    /// Give up `owner`'s lease on `name`, if it holds it.
    fn release_lease(&self, name: &str, owner: &str) -> Result<()>;

    /// Take the store-wide lock `name` for as long as this store handle lives, saying who holds it
    /// (`holder`). `Ok(Err(other))` when another process holds it, with what that one said. Backends whose
    /// store is a local file leave this to a lock beside the file, and always grant it here.
    fn try_lock(&self, name: &str, holder: &str) -> Result<std::result::Result<(), String>> {
        let _ = (name, holder);
        Ok(Ok(()))
    }

    /// Run `f` with its writes grouped in one transaction where the backend can (all or nothing, one
    /// commit); by default it simply runs.
    fn in_batch(&self, f: &mut dyn FnMut() -> anyhow::Result<()>) -> anyhow::Result<()> {
        f()
    }

    // Search and reading (the HTTP API, feeds out and the web page).
    /// With a text expression: articles matching it, best first, with highlighted snippets. Without: the
    /// articles passing the filters, newest first.
    fn search(&self, query: &SearchQuery, limit: usize, offset: usize) -> Result<Vec<SearchHit>>;
    /// A story by its id, or by the id of a story folded into it.
    fn story(&self, id: &str) -> Result<Option<StoryRow>>;
    /// [`Store::story`] without the article count, which costs a walk over the story's articles: what a post
    /// names of its story.
    fn story_head(&self, id: &str) -> Result<Option<StoryHead>>;
    /// Stories, most recently updated first.
    fn stories_page(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>>;
    /// A story's articles without their bodies, oldest first.
    fn story_summaries(&self, story_id: &str) -> Result<Vec<ArticleSummary>>;

    /// A story found by its id or an alias, with its articles' summaries.
    fn story_with_summaries(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleSummary>)>> {
        let Some(story) = self.story(id)? else { return Ok(None) };
        let articles = self.story_summaries(&story.id)?;
        Ok(Some((story, articles)))
    }

    /// A story found by its id or an alias, with its articles.
    fn story_with_articles(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>> {
        let Some(story) = self.story(id)? else { return Ok(None) };
        let articles = self.story_articles(&story.id)?;
        Ok(Some((story, articles)))
    }
}
