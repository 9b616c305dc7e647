//! The embedded SQLite store: WAL journal, migrations on open, idempotent upserts.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

pub mod search;

use crate::rows::to_json;
use crate::{
    ArticleRow, Enrichment, ErrorRow, FeedPoll, FeedRow, ItemRow, Result, Stage, StatusReport, Store, StoreError,
    StoryRow,
};

/// Schema versions, applied in order on open. Never edit a released step; append a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    title TEXT,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    etag TEXT,
    last_modified TEXT,
    last_fetched_at TEXT,
    next_poll_at TEXT,
    last_error TEXT,
    last_error_at TEXT
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    published TEXT,
    updated TEXT,
    summary TEXT,
    content TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    image TEXT,
    source_title TEXT,
    source_url TEXT,
    first_seen TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'new',
    resolved_url TEXT,
    article_id INTEGER REFERENCES articles(id),
    error TEXT,
    error_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    UNIQUE (feed_id, key)
);
CREATE INDEX items_stage ON items(stage, next_attempt_at);
CREATE INDEX items_article ON items(article_id);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    markdown TEXT NOT NULL,
    html TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    modified TEXT,
    language TEXT,
    site_name TEXT,
    image TEXT,
    description TEXT,
    fetched_at TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    story_id TEXT,
    duplicate_of INTEGER,
    simhash INTEGER
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_fetched ON articles(fetched_at);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    headline TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE gnews_resolutions (
    token TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    resolved_at TEXT NOT NULL
);
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE publications (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (item_id, target)
);
"#,
    search::FTS_MIGRATION,
    PUBLISH_VERSIONS,
    search::FACETS_MIGRATION,
    STORY_ALIASES,
    GIVEN_UP,
    ENCODING_NOTE,
    WORKERS,
    ARTICLE_ENTITIES,
    ITEM_RELATED,
    STORY_LATEST,
    search::FTS_DEFERRED_MIGRATION,
];

/// A story's latest articles come from `articles_story_latest` (see `search::story_coverage_sql`). The index
/// was added to the already released PUBLISH_VERSIONS step, so a store that took that step before has none:
/// created here if missing. The index on `story_id` alone is dropped: every `story_id =` query (coverage,
/// story ids, article lists, counts, merges) is served by the longer index's leading column, and each article
/// write no longer updates two indexes of the same column.
const STORY_LATEST: &str = r#"
CREATE INDEX IF NOT EXISTS articles_story_latest
    ON articles(story_id, coalesce(published, fetched_at) DESC, canonical_url);
DROP INDEX IF EXISTS articles_story;
"#;

/// The related-coverage list of each item's description (JSON), parsed when the item is stored so that the
/// enrich and publish stages do not parse the description again. The items stored before are filled by
/// [`fill_related`] in the same transaction.
const ITEM_RELATED: &str = "ALTER TABLE items ADD COLUMN related TEXT;";

/// Items read per page by [`fill_related`].
const FILL_PAGE: i64 = 1_000;

/// Fill the `related` column of the items stored before it existed, page by page by id, so that memory
/// does not grow with the archive.
fn fill_related(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let mut select =
        tx.prepare("SELECT id, summary, content FROM items WHERE related IS NULL AND id > ?1 ORDER BY id LIMIT ?2")?;
    let mut update = tx.prepare("UPDATE items SET related = ?2 WHERE id = ?1")?;
    let mut after = 0i64;
    loop {
        let page = select
            .query_map(params![after, FILL_PAGE], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let Some((last, _, _)) = page.last() else {
            return Ok(());
        };
        after = *last;
        for (id, summary, content) in &page {
            update.execute(params![
                id,
                crate::rows::related_json(summary.as_deref(), content.as_deref())
            ])?;
        }
    }
}

/// The people, places and organisations found when the article was tagged (JSON), so that publishing does not
/// extract them again; NULL for articles stored before, which are extracted when published.
const ARTICLE_ENTITIES: &str = "ALTER TABLE articles ADD COLUMN entities TEXT;";

/// Work shared between processes: item leases, the workers' heartbeats and the per-host request bookings.
const WORKERS: &str = r#"
ALTER TABLE items ADD COLUMN lease_owner TEXT;
ALTER TABLE items ADD COLUMN lease_until TEXT;
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    roles TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
CREATE TABLE host_slots (
    host TEXT PRIMARY KEY,
    last_at_ms INTEGER NOT NULL,
    interval_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
);
"#;

/// How an article's bytes were read, when not as declared.
const ENCODING_NOTE: &str = "ALTER TABLE articles ADD COLUMN encoding_note TEXT;";

/// A permanent failure is a flag of its own (it was an attempt count of a million before).
const GIVEN_UP: &str = r#"
ALTER TABLE items ADD COLUMN given_up INTEGER NOT NULL DEFAULT 0;
UPDATE items SET given_up = 1, attempts = 1 WHERE attempts >= 1000000;
"#;

/// Stories folded into others (an article bridged them): the old id keeps leading to the story it is part of.
const STORY_ALIASES: &str = r#"
CREATE TABLE story_aliases (
    alias TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
);
"#;

/// Every change that alters an item's post bumps `items.version`; a publication records the version it wrote,
/// so a publish pass only renders what changed instead of the whole archive.
const PUBLISH_VERSIONS: &str = r#"
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE publications ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX publications_target ON publications(target, item_id);
-- A story's latest articles straight from the index, without reading their long text columns.
CREATE INDEX articles_story_latest ON articles(story_id, coalesce(published, fetched_at) DESC, canonical_url);
"#;

pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: String,
}

const ITEM_COLUMNS: &str = "i.id, i.feed_id, f.url, i.key, i.title, i.link, i.published, i.updated, i.summary, \
    i.content, i.authors, i.categories, i.image, i.source_title, i.source_url, i.first_seen, i.stage, \
    i.resolved_url, i.article_id, i.error, i.attempts, i.version, i.given_up, i.related";

const ARTICLE_COLUMNS: &str = "id, canonical_url, url, title, text, markdown, html, authors, published, modified, \
    language, site_name, image, description, fetched_at, tags, story_id, duplicate_of, simhash, encoding_note, \
    entities";

/// An open `batch` transaction, rolled back when dropped before it committed.
struct OpenTransaction<'a> {
    store: &'a SqliteStore,
    done: bool,
}

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let conn = self.store.conn();
            // SQLite may already have rolled back after a failed COMMIT (a full disk); then there is nothing
            // left to undo.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
    }
}

impl SqliteStore {
    /// Open (or create) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let display = path.display().to_string();
        let wrap = |source| backend_error(&display, source);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path).map_err(wrap)?;
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(wrap)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(wrap)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(wrap)?;
        // 64 MB of page cache (SQLite's default is 2 MB): search filters and snippets look up index pages
        // all over a large store.
        conn.pragma_update(None, "cache_size", -65_536).map_err(wrap)?;
        // Statement journals in memory: in a batch, every write that may fail half-way (a foreign key, a
        // trigger, several rows) journals the pages it changes, and past 64 KB (one long article) SQLite
        // spilled them to a temporary file, a write system call per page.
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(wrap)?;
        let store = SqliteStore {
            conn: Mutex::new(conn),
            path: display,
        };
        store.migrate()?;
        Ok(store)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
        // poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn err(&self, source: rusqlite::Error) -> StoreError {
        backend_error(&self.path, source)
    }

    /// Run `f` in one transaction: its writes land together (one commit, one WAL sync, one write of the search
    /// index) or not at all when it fails. The stores' own multi-statement writes nest in it as savepoints.
    /// Meant for a single writer (the pipeline): statements other threads run on this store meanwhile join it.
    pub fn batch<T>(&self, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
        self.conn().execute_batch("BEGIN IMMEDIATE").map_err(|e| self.err(e))?;
        // Rolls the transaction back unless it committed, also when `f` panics: a transaction left open
        // would make every later BEGIN fail.
        let mut open = OpenTransaction {
            store: self,
            done: false,
        };
        let value = f()?;
        // The search index takes the batch's articles in one go (see `search::FTS_DEFERRED_MIGRATION`).
        let flushed = self.conn().execute_batch(search::FLUSH_SEARCH_INDEX);
        flushed.map_err(|e| self.err(e))?;
        // The lock guard of the COMMIT must be gone before a ROLLBACK takes it again: bound to a variable,
        // the result outlives the guard, which a temporary in `if let` would not.
        let committed = self.conn().execute_batch("COMMIT");
        match committed {
            Ok(()) => {
                open.done = true;
                Ok(value)
            }
            Err(e) => Err(self.err(e).into()),
        }
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.conn();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(|e| self.err(e))?;
            tx.execute_batch(step).map_err(|e| self.err(e))?;
            // The one step that needs Rust after its SQL: the related-coverage parse is not SQL.
            if *step == ITEM_RELATED {
                fill_related(&tx).map_err(|e| self.err(e))?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(|e| self.err(e))?;
            tx.commit().map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Releases the savepoint of a write to the articles' indexed columns. Outside a batch it is the write's own
    /// transaction, and the search index is written in it first; in a batch, the batch's commit writes the
    /// index (see `search::FTS_DEFERRED_MIGRATION`).
    fn release_indexed(&self, tx: rusqlite::Savepoint<'_>, outermost: bool) -> Result<()> {
        if outermost {
            tx.execute_batch(search::FLUSH_SEARCH_INDEX).map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    fn query_items(&self, where_clause: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<ItemRow>> {
        let conn = self.conn();
        let sql = format!("SELECT {ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id {where_clause}");
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params, item_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    fn query_articles(&self, where_clause: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<ArticleRow>> {
        let conn = self.conn();
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles {where_clause}");
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params, article_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }
}

/// SQLite's error as the store's, with the kind the caller may act on.
fn backend_error(path: &str, source: rusqlite::Error) -> StoreError {
    let kind = match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => crate::FailureKind::Full,
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => crate::FailureKind::Busy,
        Some(rusqlite::ErrorCode::ConstraintViolation) => crate::FailureKind::Constraint,
        _ => crate::FailureKind::Other,
    };
    StoreError::Backend {
        store: path.to_string(),
        message: source.to_string(),
        kind,
    }
}

/// The most memory SQLite has held at once in this process, in bytes (its own allocator counter).
pub fn memory_highwater() -> i64 {
    // SAFETY: a plain read of SQLite's global counters, which are thread-safe.
    unsafe { rusqlite::ffi::sqlite3_memory_highwater(0) }
}

fn item_from_row(r: &Row) -> rusqlite::Result<ItemRow> {
    Ok(crate::rows::item_row!(r, get))
}

fn article_from_row(r: &Row) -> rusqlite::Result<ArticleRow> {
    Ok(crate::rows::article_row!(r, get))
}

/// The columns of a [`StoryRow`], for every story query.
pub(crate) const STORY_SELECT: &str = "SELECT s.id, s.headline, s.first_seen, s.last_updated, \
    (SELECT count(*) FROM articles a WHERE a.story_id = s.id) FROM stories s";

/// The ids of a story's articles in the order of `story_coverage`, straight from the `articles_story_latest`
/// index, which holds the row id of each entry.
const STORY_ARTICLE_IDS: &str = "SELECT id FROM articles WHERE story_id = ?1 AND id IS NOT ?2 \
    ORDER BY coalesce(published, fetched_at) DESC, canonical_url LIMIT ?3";

/// A story's id and headline by its id or an alias, without counting its articles.
const STORY_HEAD: &str =
    "SELECT s.id, s.headline FROM stories s WHERE s.id = coalesce((SELECT story_id FROM story_aliases WHERE alias = ?1), ?1)";

pub(crate) fn story_from_row(r: &Row) -> rusqlite::Result<StoryRow> {
    Ok(crate::rows::story_row!(r, get))
}

fn feed_from_row(r: &Row) -> rusqlite::Result<FeedRow> {
    Ok(crate::rows::feed_row!(r, get))
}

const FEED_SELECT: &str = "SELECT f.id, f.url, f.name, f.title, f.etag, f.last_modified, f.last_fetched_at, \
    f.next_poll_at, f.last_error, f.last_error_at, (SELECT count(*) FROM items i WHERE i.feed_id = f.id) FROM feeds f";

fn rfc3339(d: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    d.map(|d| d.to_rfc3339())
}

impl Store for SqliteStore {
    fn items_to_publish(&self, target: &str, max_attempts: u32, after_id: i64, limit: usize) -> Result<Vec<ItemRow>> {
        self.query_items(
            "LEFT JOIN publications p ON p.item_id = i.id AND p.target = ?1 \
             WHERE (i.stage = 'ready' OR i.attempts >= ?2 OR i.given_up = 1) AND (p.item_id IS NULL OR p.version < i.version) \
             AND i.id > ?3 ORDER BY i.id LIMIT ?4",
            &[&target, &max_attempts, &after_id, &(limit as i64)],
        )
    }

    fn items_after(&self, after_id: i64, limit: usize) -> Result<Vec<ItemRow>> {
        self.query_items("WHERE i.id > ?1 ORDER BY i.id LIMIT ?2", &[&after_id, &(limit as i64)])
    }

    fn story_coverage(&self, story_id: &str, except_article: i64, limit: usize) -> Result<Vec<super::ArticleSummary>> {
        self.sqlite_story_coverage(story_id, except_article, limit)
    }

    fn add_feed(&self, url: &str, name: Option<&str>) -> Result<(i64, bool)> {
        let conn = self.conn();
        let existing: Option<i64> = conn
            .query_row("SELECT id FROM feeds WHERE url = ?1", [url], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(id) = existing {
            if let Some(name) = name {
                conn.execute("UPDATE feeds SET name = ?1 WHERE id = ?2", params![name, id])
                    .map_err(|e| self.err(e))?;
            }
            return Ok((id, false));
        }
        conn.execute("INSERT INTO feeds (url, name) VALUES (?1, ?2)", params![url, name])
            .map_err(|e| self.err(e))?;
        Ok((conn.last_insert_rowid(), true))
    }

    fn feeds(&self) -> Result<Vec<FeedRow>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!("{FEED_SELECT} ORDER BY f.id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], feed_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>> {
        let conn = self.conn();
        conn.query_row(&format!("{FEED_SELECT} WHERE f.url = ?1"), [url], feed_from_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    fn remove_feed(&self, id: i64) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        tx.execute(
            "DELETE FROM publications WHERE item_id IN (SELECT id FROM items WHERE feed_id = ?1)",
            [id],
        )
        .map_err(|e| self.err(e))?;
        tx.execute("DELETE FROM items WHERE feed_id = ?1", [id])
            .map_err(|e| self.err(e))?;
        let n = tx
            .execute("DELETE FROM feeds WHERE id = ?1", [id])
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    fn record_poll(&self, feed_id: i64, poll: &FeedPoll) -> Result<()> {
        let conn = self.conn();
        let r = match &poll.error {
            Some(err) => conn.execute(
                "UPDATE feeds SET last_fetched_at = ?1, last_error = ?2, last_error_at = ?1, \
                 next_poll_at = COALESCE(?3, next_poll_at) WHERE id = ?4",
                params![poll.fetched_at, err, poll.next_poll_at, feed_id],
            ),
            None => conn.execute(
                "UPDATE feeds SET last_fetched_at = ?1, last_error = NULL, title = COALESCE(?2, title), \
                 etag = COALESCE(?3, etag), last_modified = COALESCE(?4, last_modified), \
                 next_poll_at = ?5 WHERE id = ?6",
                params![
                    poll.fetched_at,
                    poll.title,
                    poll.etag,
                    poll.last_modified,
                    poll.next_poll_at,
                    feed_id
                ],
            ),
        };
        r.map(|_| ()).map_err(|e| self.err(e))
    }

    fn upsert_items(&self, feed_id: i64, items: &[newsdesk_feeds::Item], now: &str) -> Result<(usize, usize)> {
        let mut conn = self.conn();
        let tx = conn.savepoint().map_err(|e| self.err(e))?;
        let (mut new, mut updated) = (0, 0);
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO items (feed_id, key, title, link, published, updated, summary, content, authors, \
                     categories, image, source_title, source_url, first_seen, related) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
                     ON CONFLICT (feed_id, key) DO UPDATE SET title = excluded.title, link = excluded.link, \
                     published = excluded.published, updated = excluded.updated, summary = excluded.summary, \
                     content = excluded.content, authors = excluded.authors, categories = excluded.categories, \
                     image = excluded.image, source_title = excluded.source_title, source_url = excluded.source_url, \
                     related = excluded.related, version = items.version + 1 \
                     WHERE items.title IS NOT excluded.title OR items.link IS NOT excluded.link \
                     OR items.summary IS NOT excluded.summary OR items.content IS NOT excluded.content \
                     OR items.updated IS NOT excluded.updated OR items.image IS NOT excluded.image",
                )
                .map_err(|e| self.err(e))?;
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM items WHERE feed_id = ?1 AND key = ?2")
                .map_err(|e| self.err(e))?;
            for item in items {
                let existed = exists.exists(params![feed_id, item.id]).map_err(|e| self.err(e))?;
                let changed = insert
                    .execute(params![
                        feed_id,
                        item.id,
                        item.title,
                        item.link,
                        rfc3339(&item.published),
                        rfc3339(&item.updated),
                        item.summary,
                        item.content,
                        to_json(&item.authors),
                        to_json(&item.categories),
                        item.image,
                        item.source.as_ref().map(|s| s.title.clone()),
                        item.source.as_ref().and_then(|s| s.url.clone()),
                        now,
                        crate::rows::related_json(item.summary.as_deref(), item.content.as_deref()),
                    ])
                    .map_err(|e| self.err(e))?;
                match (existed, changed) {
                    (false, _) => new += 1,
                    (true, n) if n > 0 => updated += 1,
                    _ => {}
                }
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok((new, updated))
    }

    fn items_due(&self, stage: Stage, now: &str, max_attempts: u32, limit: usize) -> Result<Vec<ItemRow>> {
        // Two walks of the `items_stage` index, each already in id order: items never failed (no retry time),
        // and failed ones whose retry time has come. One `ORDER BY id` over the whole stage would sort every
        // item of the stage on each call, which makes a batch cost grow with the backlog.
        self.query_items(
            "WHERE i.id IN ( \
               SELECT id FROM (SELECT id FROM items WHERE stage = ?1 AND next_attempt_at IS NULL \
                 AND attempts < ?2 AND given_up = 0 ORDER BY id LIMIT ?4) \
               UNION ALL \
               SELECT id FROM (SELECT id FROM items WHERE stage = ?1 AND next_attempt_at <= ?3 \
                 AND attempts < ?2 AND given_up = 0 ORDER BY id LIMIT ?4)) \
             ORDER BY i.id LIMIT ?4",
            &[&stage.as_str(), &max_attempts, &now, &(limit as i64)],
        )
    }

    fn claim_lease(&self, name: &str, now: &str, lease: &crate::Lease) -> Result<bool> {
        let conn = self.conn();
        let until = crate::stored_time(lease.until);
        conn.prepare_cached(
            "INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
             WHERE leases.owner = excluded.owner OR leases.until <= ?4",
        )
        .and_then(|mut st| st.execute(params![name, lease.owner, until, now]))
        .map(|n| n > 0)
        .map_err(|e| self.err(e))
    }

    fn release_lease(&self, name: &str, owner: &str) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM leases WHERE name = ?1 AND owner = ?2",
            params![name, owner],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn claim_items(
        &self,
        stage: Stage,
        now: &str,
        max_attempts: u32,
        limit: usize,
        lease: &crate::Lease,
    ) -> Result<Vec<ItemRow>> {
        let until = crate::stored_time(lease.until);
        let ids: Vec<i64> = {
            let conn = self.conn();
            // One statement: SQLite runs it under its write lock, so two processes never take the same item.
            let mut st = conn
                .prepare_cached(
                    "UPDATE items SET lease_owner = ?5, lease_until = ?6 WHERE id IN ( \
                       SELECT id FROM (SELECT id FROM items WHERE stage = ?1 AND next_attempt_at IS NULL \
                         AND attempts < ?2 AND given_up = 0 \
                         AND (lease_until IS NULL OR lease_until <= ?3) ORDER BY id LIMIT ?4) \
                       UNION ALL \
                       SELECT id FROM (SELECT id FROM items WHERE stage = ?1 AND next_attempt_at <= ?3 \
                         AND attempts < ?2 AND given_up = 0 \
                         AND (lease_until IS NULL OR lease_until <= ?3) ORDER BY id LIMIT ?4) \
                       ORDER BY id LIMIT ?4) \
                     RETURNING id",
                )
                .map_err(|e| self.err(e))?;
            let rows = st
                .query_map(
                    params![stage.as_str(), max_attempts, now, limit as i64, lease.owner, until],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            rows.collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| self.err(e))?
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        self.query_items(&format!("WHERE i.id IN ({list}) ORDER BY i.id"), &[])
    }

    fn release_leases(&self, owner: Option<&str>) -> Result<usize> {
        let conn = self.conn();
        conn.execute(
            "UPDATE items SET lease_owner = NULL, lease_until = NULL \
             WHERE lease_owner IS NOT NULL AND (?1 IS NULL OR lease_owner = ?1)",
            params![owner],
        )
        .map_err(|e| self.err(e))
    }

    fn renew_leases(&self, lease: &crate::Lease) -> Result<usize> {
        let conn = self.conn();
        conn.prepare_cached("UPDATE items SET lease_until = ?2 WHERE lease_owner = ?1")
            .and_then(|mut st| st.execute(params![lease.owner, crate::stored_time(lease.until)]))
            .map_err(|e| self.err(e))
    }

    fn claim_feeds(&self, now: &str, hold_until: &str, limit: usize) -> Result<Vec<FeedRow>> {
        let ids: Vec<i64> = {
            let conn = self.conn();
            let mut st = conn
                .prepare_cached(
                    "UPDATE feeds SET next_poll_at = ?2 WHERE id IN ( \
                       SELECT id FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= ?1 ORDER BY id LIMIT ?3) \
                     RETURNING id",
                )
                .map_err(|e| self.err(e))?;
            let rows = st
                .query_map(params![now, hold_until, limit as i64], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            rows.collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| self.err(e))?
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids from the store itself, so the list is digits and commas only.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!("{FEED_SELECT} WHERE f.id IN ({list}) ORDER BY f.id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], feed_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    fn reserve_host_slot(&self, host: &str, interval_ms: i64, now_ms: i64) -> Result<i64> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO host_slots (host, last_at_ms) VALUES (?1, ?3) \
             ON CONFLICT (host) DO UPDATE SET last_at_ms = max(last_at_ms + max(?2, interval_ms), ?3) \
             RETURNING last_at_ms",
        )
        .and_then(|mut st| st.query_row(params![host, interval_ms, now_ms], |r| r.get(0)))
        .map_err(|e| self.err(e))
    }

    fn set_host_interval(&self, host: &str, interval_ms: i64) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO host_slots (host, last_at_ms, interval_ms) VALUES (?1, 0, ?2) \
             ON CONFLICT (host) DO UPDATE SET interval_ms = excluded.interval_ms",
        )
        .and_then(|mut st| st.execute(params![host, interval_ms]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn heartbeat(&self, w: &crate::WorkerRow) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO workers (id, host, pid, roles, started_at, heartbeat_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, heartbeat_at = excluded.heartbeat_at",
        )
        .and_then(|mut st| {
            st.execute(params![
                w.id,
                w.host,
                w.pid,
                w.roles.join(","),
                crate::stored_time(w.started_at),
                crate::stored_time(w.heartbeat_at)
            ])
        })
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn remove_worker(&self, id: &str) -> Result<()> {
        let conn = self.conn();
        conn.execute("DELETE FROM workers WHERE id = ?1", [id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn workers(&self, since: &str, now: &str) -> Result<Vec<crate::WorkerStatus>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached(
                "SELECT w.id, w.host, w.pid, w.roles, w.started_at, w.heartbeat_at, \
                   (SELECT count(*) FROM items i WHERE i.lease_owner = w.id AND i.lease_until > ?2) \
                 FROM workers w WHERE w.heartbeat_at >= ?1 ORDER BY w.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![since, now], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let raw = rows
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(raw.into_iter().map(crate::rows::worker_status).collect())
    }

    fn advance_item(
        &self,
        item_id: i64,
        stage: Stage,
        resolved_url: Option<&str>,
        article_id: Option<i64>,
    ) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "UPDATE items SET stage = ?1, resolved_url = COALESCE(?2, resolved_url), \
             article_id = COALESCE(?3, article_id), error = NULL, error_at = NULL, attempts = 0, \
             given_up = 0, next_attempt_at = NULL, version = version + 1, lease_owner = NULL, lease_until = NULL \
             WHERE id = ?4",
        )
        .and_then(|mut st| st.execute(params![stage.as_str(), resolved_url, article_id, item_id]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn fail_item(&self, item_id: i64, error: &str, now: &str, failure: crate::Failure) -> Result<()> {
        let (retry_at, given_up) = match failure {
            crate::Failure::Permanent => (None, true),
            crate::Failure::RetryAt(t) => (Some(crate::stored_time(t)), false),
        };
        let conn = self.conn();
        conn.prepare_cached(
            "UPDATE items SET error = ?1, error_at = ?2, next_attempt_at = ?3, given_up = ?5, \
             attempts = attempts + 1, version = version + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?4",
        )
        .and_then(|mut st| st.execute(params![error, now, retry_at, item_id, given_up]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn defer_item(&self, item_id: i64, reason: &str, now: &str, until: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "UPDATE items SET error = ?1, error_at = ?2, next_attempt_at = ?3, lease_owner = NULL, lease_until = NULL \
             WHERE id = ?4",
        )
        .and_then(|mut st| st.execute(params![reason, now, until, item_id]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn cached_resolution(&self, token: &str) -> Result<Option<String>> {
        let conn = self.conn();
        conn.prepare_cached("SELECT url FROM gnews_resolutions WHERE token = ?1")
            .and_then(|mut st| st.query_row([token], |r| r.get(0)))
            .optional()
            .map_err(|e| self.err(e))
    }

    fn cache_resolution(&self, token: &str, url: &str, now: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO gnews_resolutions (token, url, resolved_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (token) DO UPDATE SET url = excluded.url, resolved_at = excluded.resolved_at",
        )
        .and_then(|mut st| st.execute(params![token, url, now]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn get_state(&self, key: &str) -> Result<Option<String>> {
        let conn = self.conn();
        conn.query_row("SELECT value FROM state WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    fn set_state(&self, key: &str, value: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .and_then(|mut st| st.execute(params![key, value]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn store_article(&self, a: &ArticleRow) -> Result<ArticleRow> {
        let mut conn = self.conn();
        let outermost = conn.is_autocommit();
        let tx = conn.savepoint().map_err(|e| self.err(e))?;
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO articles (canonical_url, url, title, text, markdown, html, authors, published, modified, \
             language, site_name, image, description, fetched_at, tags, story_id, duplicate_of, simhash, encoding_note, \
             entities) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
             ON CONFLICT (canonical_url) DO UPDATE SET url = excluded.url, title = excluded.title, \
             text = excluded.text, markdown = excluded.markdown, html = excluded.html, authors = excluded.authors, \
             published = excluded.published, modified = excluded.modified, language = excluded.language, \
             site_name = excluded.site_name, image = excluded.image, description = excluded.description, \
             fetched_at = excluded.fetched_at, simhash = excluded.simhash, encoding_note = excluded.encoding_note, \
             entities = excluded.entities RETURNING id, tags, story_id, duplicate_of, entities",
            )
            .map_err(|e| self.err(e))?;
        let stored = stmt.query_row(
            params![
                a.canonical_url,
                a.url,
                a.title,
                a.text,
                a.markdown,
                a.html,
                to_json(&a.authors),
                a.published,
                a.modified,
                a.language,
                a.site_name,
                a.image,
                a.description,
                a.fetched_at,
                to_json(&a.tags),
                a.story_id,
                a.duplicate_of,
                a.simhash.map(|v| v as i64),
                a.encoding_note,
                crate::rows::entities_json(a.entities.as_ref()),
            ],
            |r| Ok(crate::rows::kept_enrichment!(a, r, get)),
        );
        drop(stmt);
        let stored = stored.map_err(|e| self.err(e))?;
        self.release_indexed(tx, outermost)?;
        Ok(stored)
    }

    fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        Ok(self.query_articles("WHERE id = ?1", &[&id])?.into_iter().next())
    }

    fn article_by_url(&self, canonical_url: &str) -> Result<Option<ArticleRow>> {
        Ok(self
            .query_articles("WHERE canonical_url = ?1", &[&canonical_url])?
            .into_iter()
            .next())
    }

    fn recent_articles(&self, since: &str, after_id: i64, limit: usize) -> Result<Vec<ArticleRow>> {
        self.query_articles(
            // Walked by id from the window's first article (the unary plus keeps the planner off the fetched_at
            // index, which would sort the whole window for every page).
            "WHERE id >= (SELECT coalesce(min(id), 0) FROM articles WHERE fetched_at >= ?1) AND id > ?2 \
             AND +fetched_at >= ?1 ORDER BY id LIMIT ?3",
            &[&since, &after_id, &(limit as i64)],
        )
    }

    fn set_article_enrichment(&self, id: i64, e: &Enrichment) -> Result<()> {
        let mut conn = self.conn();
        let outermost = conn.is_autocommit();
        let tx = conn.savepoint().map_err(|e| self.err(e))?;
        tx.prepare_cached("UPDATE articles SET story_id = ?1, duplicate_of = ?2 WHERE id = ?3")
            .and_then(|mut st| st.execute(params![e.story_id, e.duplicate_of, id]))
            .map_err(|e| self.err(e))?;
        // Only when they change: writing the indexed columns makes the full-text index drop and re-index the
        // whole article, and the pipeline stores articles already tagged.
        tx.prepare_cached(
            "UPDATE articles SET tags = ?1, title = COALESCE(?3, title), language = COALESCE(?4, language), \
             entities = COALESCE(?5, entities) \
             WHERE id = ?2 AND (tags IS NOT ?1 OR title IS NOT COALESCE(?3, title) \
             OR language IS NOT COALESCE(?4, language) OR entities IS NOT COALESCE(?5, entities))",
        )
        .and_then(|mut st| {
            let entities = crate::rows::entities_json(e.entities.as_ref());
            st.execute(params![to_json(&e.tags), id, e.title, e.language, entities])
        })
        .map_err(|e| self.err(e))?;
        self.release_indexed(tx, outermost)
    }

    fn mark_articles_changed(&self, article_ids: &[i64]) -> Result<()> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached("UPDATE items SET version = version + 1 WHERE article_id = ?1")
            .map_err(|e| self.err(e))?;
        for id in article_ids {
            st.execute([id]).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn story_article_ids(&self, story_id: &str, except_article: Option<i64>, limit: usize) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut st = conn.prepare_cached(STORY_ARTICLE_IDS).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(
                params![story_id, except_article, limit.min(i64::MAX as usize) as i64],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<i64>, _>>()
            .map_err(|e| self.err(e))
    }

    fn article_items(&self, article_id: i64) -> Result<Vec<ItemRow>> {
        self.query_items("WHERE i.article_id = ?1 ORDER BY i.id", &[&article_id])
    }

    fn upsert_story(&self, id: &str, headline: &str, seen_at: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO stories (id, headline, first_seen, last_updated) VALUES (?1, ?2, ?3, ?3) \
             ON CONFLICT (id) DO UPDATE SET last_updated = max(stories.last_updated, excluded.last_updated)",
        )
        .and_then(|mut st| st.execute(params![id, headline, seen_at]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn merge_story(&self, from: &str, into: &str) -> Result<()> {
        if from == into {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.savepoint().map_err(|e| self.err(e))?;
        let steps: [(&str, &[&dyn rusqlite::ToSql]); 5] = [
            ("UPDATE articles SET story_id = ?2 WHERE story_id = ?1", &[&from, &into]),
            (
                "UPDATE stories SET \
                   first_seen = min(first_seen, coalesce((SELECT first_seen FROM stories WHERE id = ?1), first_seen)), \
                   last_updated = max(last_updated, coalesce((SELECT last_updated FROM stories WHERE id = ?1), last_updated)) \
                 WHERE id = ?2",
                &[&from, &into],
            ),
            ("DELETE FROM stories WHERE id = ?1", &[&from]),
            ("UPDATE story_aliases SET story_id = ?2 WHERE story_id = ?1", &[&from, &into]),
            (
                "INSERT INTO story_aliases (alias, story_id) VALUES (?1, ?2) \
                 ON CONFLICT (alias) DO UPDATE SET story_id = excluded.story_id",
                &[&from, &into],
            ),
        ];
        for (sql, params) in steps {
            tx.prepare_cached(sql)
                .and_then(|mut st| st.execute(params))
                .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    fn stories(&self, since: Option<&str>) -> Result<Vec<StoryRow>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "{STORY_SELECT} WHERE ?1 IS NULL OR s.last_updated >= ?1 ORDER BY s.last_updated DESC, s.id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([since], story_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    fn story_articles(&self, story_id: &str) -> Result<Vec<ArticleRow>> {
        // Ordered by content, not row id: ids follow the order concurrent fetches finished in.
        self.query_articles("WHERE story_id = ?1 ORDER BY published, canonical_url", &[&story_id])
    }

    fn publication(&self, item_id: i64, target: &str) -> Result<Option<(String, String)>> {
        let conn = self.conn();
        conn.prepare_cached("SELECT path, hash FROM publications WHERE item_id = ?1 AND target = ?2")
            .and_then(|mut st| st.query_row(params![item_id, target], |r| Ok((r.get(0)?, r.get(1)?))))
            .optional()
            .map_err(|e| self.err(e))
    }

    fn record_publication(&self, item: &ItemRow, target: &str, path: &str, hash: &str, now: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO publications (item_id, target, path, hash, published_at, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (item_id, target) DO UPDATE SET path = excluded.path, hash = excluded.hash, \
             published_at = excluded.published_at, version = excluded.version",
        )
        .and_then(|mut st| st.execute(params![item.id, target, path, hash, now, item.version]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn status(&self, recent_errors: usize) -> Result<StatusReport> {
        let conn = self.conn();
        let count = |sql: &str| -> Result<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(|e| self.err(e)) };
        let mut report = StatusReport {
            feeds: count("SELECT count(*) FROM feeds")?,
            failing_items: count("SELECT count(*) FROM items WHERE error IS NOT NULL")?,
            articles: count("SELECT count(*) FROM articles")?,
            stories: count("SELECT count(*) FROM stories")?,
            published: count("SELECT count(*) FROM publications WHERE target NOT LIKE 'jsonl:%'")?,
            ..Default::default()
        };
        for stage in Stage::ALL {
            let n: i64 = conn
                .query_row("SELECT count(*) FROM items WHERE stage = ?1", [stage.as_str()], |r| {
                    r.get(0)
                })
                .map_err(|e| self.err(e))?;
            report.items_by_stage.push((stage.as_str().to_string(), n));
        }
        let mut stmt = conn
            .prepare(
                "SELECT at, what, url, error FROM ( \
                   SELECT last_error_at AS at, 'feed' AS what, url, last_error AS error FROM feeds \
                   WHERE last_error IS NOT NULL \
                   UNION ALL \
                   SELECT error_at, 'item ' || stage, COALESCE(resolved_url, link, key), error FROM items \
                   WHERE error IS NOT NULL) ORDER BY at DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([recent_errors as i64], |r| {
                Ok(ErrorRow {
                    at: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    what: r.get(1)?,
                    url: r.get(2)?,
                    error: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        report.recent_errors = rows
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(report)
    }

    fn in_batch(&self, f: &mut dyn FnMut() -> anyhow::Result<()>) -> anyhow::Result<()> {
        self.batch(f)
    }

    fn search(&self, query: &super::SearchQuery, limit: usize, offset: usize) -> Result<Vec<super::SearchHit>> {
        self.sqlite_search(query, limit, offset)
    }

    fn story(&self, id: &str) -> Result<Option<StoryRow>> {
        self.sqlite_story(id)
    }

    fn story_head(&self, id: &str) -> Result<Option<crate::StoryHead>> {
        let conn = self.conn();
        conn.prepare_cached(STORY_HEAD)
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(crate::StoryHead {
                        id: r.get(0)?,
                        headline: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    fn stories_page(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        self.sqlite_stories_page(limit, offset)
    }

    fn story_summaries(&self, story_id: &str) -> Result<Vec<super::ArticleSummary>> {
        self.sqlite_story_summaries(story_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A COMMIT that fails (as on a full disk) must return its error and leave the store as it was, not wait
    /// forever on the connection it already holds. A deferred foreign key makes SQLite refuse the COMMIT
    /// itself, with the transaction still open, which is what a full disk does too.
    #[test]
    fn failed_commit_returns_and_rolls_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = std::sync::Arc::new(SqliteStore::open(&dir.path().join("s.db")).expect("open"));
        store
            .conn()
            .execute_batch("CREATE TABLE pending (feed INTEGER REFERENCES feeds(id) DEFERRABLE INITIALLY DEFERRED);")
            .expect("table");
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = std::sync::Arc::clone(&store);
        std::thread::spawn(move || {
            let result = worker.batch(|| {
                worker.add_feed("https://a.example/feed", None)?;
                worker
                    .conn()
                    .execute_batch("INSERT INTO pending VALUES (999)")
                    .map_err(|e| worker.err(e))?;
                Ok(())
            });
            let _ = tx.send(result.map_err(|e| format!("{e:#}")));
        });
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the failed COMMIT must return, not hang");
        let error = result.expect_err("the COMMIT fails");
        assert!(error.contains("FOREIGN KEY"), "{error}");
        assert!(
            store.feeds().expect("feeds").is_empty(),
            "the batch's writes are rolled back"
        );
        // The connection is usable again: no transaction was left open.
        store
            .batch(|| Ok(store.add_feed("https://b.example/feed", None)?))
            .expect("next batch");
        assert_eq!(store.feeds().expect("feeds").len(), 1);
    }

    /// A store from before the `related` column: opening it fills the column of the items already there from
    /// their descriptions, in the migration, so that nothing parses them later; a NULL left by an older
    /// writer is parsed when read.
    #[test]
    fn the_related_migration_fills_stored_items() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        let before = MIGRATIONS
            .iter()
            .position(|step| *step == ITEM_RELATED)
            .expect("the related step is in the list");
        {
            let conn = Connection::open(&path).expect("open");
            for step in &MIGRATIONS[..before] {
                conn.execute_batch(step).expect("older step");
            }
            conn.pragma_update(None, "user_version", before as i64)
                .expect("version");
            conn.execute_batch(
                "INSERT INTO feeds (id, url) VALUES (1, 'https://news.google.com/rss/search?q=storm'); \
                 INSERT INTO items (feed_id, key, title, summary, first_seen) VALUES \
                   (1, 'g1', 'Storm - ABC', '<ol><li><a href=\"https://x.example/a\">Storm</a>&nbsp;&nbsp;\
                    <font color=\"#6f6f6f\">ABC News</font></li></ol>', '2026-01-05T10:00:00Z'), \
                   (1, 'g2', 'Plain', '<p>Plain</p>', '2026-01-05T10:00:00Z'), \
                   (1, 'g3', 'Bare', NULL, '2026-01-05T10:00:00Z');",
            )
            .expect("old items");
        }
        let store = SqliteStore::open(&path).expect("migrate");
        let unfilled: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM items WHERE related IS NULL", [], |r| r.get(0))
            .expect("count");
        assert_eq!(unfilled, 0, "the migration filled every stored item");
        let items = store.items_after(0, 10).expect("items");
        let expected = vec![newsdesk_feeds::gnews::Related {
            headline: "Storm".into(),
            outlet: "ABC News".into(),
            link: "https://x.example/a".into(),
        }];
        assert_eq!(items[0].related, expected);
        assert!(items[1].related.is_empty() && items[2].related.is_empty());
        // A row an older writer stored after the migration has no list: it is parsed from its description.
        store
            .conn()
            .execute_batch("UPDATE items SET related = NULL WHERE key = 'g1'")
            .expect("clear");
        assert_eq!(store.items_after(0, 1).expect("items")[0].related, expected);
    }

    fn indexed_article(url: &str, text: &str) -> ArticleRow {
        ArticleRow {
            canonical_url: url.into(),
            url: url.into(),
            title: Some("Harbour news".into()),
            text: text.into(),
            fetched_at: "2026-01-05T10:00:00Z".into(),
            ..Default::default()
        }
    }

    /// The search index is written once per batch, not once per article: FTS5 makes a segment of every
    /// flush, and it flushed at each statement's savepoint while triggers wrote the index. With merging off,
    /// a batch of 40 articles leaves one segment (it left 40). Articles stored again, tagged, or written
    /// outside a batch keep the index equal to the table (FTS5's own integrity check), with nothing queued.
    #[test]
    fn the_search_index_is_written_once_per_batch_and_stays_exact() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("s.db")).expect("open");
        store
            .conn()
            .execute_batch("INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0)")
            .expect("merging off");
        let segments = || -> i64 {
            store
                .conn()
                .query_row("SELECT count(DISTINCT segid) FROM articles_fts_idx", [], |r| r.get(0))
                .expect("segments")
        };
        store
            .batch(|| {
                for i in 0..40 {
                    let a = store.store_article(&indexed_article(
                        &format!("https://a.example/{i}"),
                        &format!("Cranes and tugs number {i} in the harbour."),
                    ))?;
                    store.set_article_enrichment(
                        a.id,
                        &Enrichment {
                            tags: vec![format!("tag{i}")],
                            ..Default::default()
                        },
                    )?;
                }
                Ok(())
            })
            .expect("batch");
        assert_eq!(segments(), 1, "one segment for the batch");
        // Rewritten twice in a batch after being indexed, stored and rewritten in one batch, and stored and
        // rewritten outside one.
        store
            .batch(|| {
                store.store_article(&indexed_article("https://a.example/3", "Divers searched the wreck."))?;
                store.store_article(&indexed_article(
                    "https://a.example/3",
                    "Dockworkers cleared the wreckage.",
                ))?;
                store.store_article(&indexed_article("https://c.example/1", "Ferries were held."))?;
                store.store_article(&indexed_article("https://c.example/1", "Ferries sailed again."))?;
                Ok(())
            })
            .expect("rewrite");
        store
            .store_article(&indexed_article("https://b.example/1", "The keeper retired."))
            .expect("outside");
        store
            .store_article(&indexed_article("https://b.example/1", "A new keeper moved in."))
            .expect("outside again");
        let conn = store.conn();
        conn.execute_batch("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
            .expect("the index holds exactly what the articles say");
        let queued: i64 = conn
            .query_row("SELECT count(*) FROM articles_fts_pending", [], |r| r.get(0))
            .expect("queue");
        assert_eq!(queued, 0, "nothing left queued");
        let found = |word: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
                [word],
                |r| r.get(0),
            )
            .expect("match")
        };
        assert_eq!(found("wreckage"), 1);
        assert_eq!(found("tugs"), 39, "the rewritten article lost its old words");
        assert_eq!(found("tag3"), 1, "its tags are indexed still");
        assert_eq!(found("retired"), 0);
        assert_eq!(found("keeper"), 1);
        assert_eq!((found("divers"), found("held"), found("sailed")), (0, 0, 1));
    }

    /// A batch whose body panics is rolled back, so the next batch can begin.
    #[test]
    fn panicking_batch_leaves_no_open_transaction() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("s.db")).expect("open");
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = store.batch(|| -> anyhow::Result<()> {
                store.add_feed("https://a.example/feed", None)?;
                panic!("a bug in the batch");
            });
        }));
        assert!(caught.is_err());
        assert!(store.feeds().expect("feeds").is_empty());
        store
            .batch(|| Ok(store.add_feed("https://b.example/feed", None)?))
            .expect("next batch");
        assert_eq!(store.feeds().expect("feeds").len(), 1);
    }
}
