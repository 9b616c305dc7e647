//! The PostgreSQL backend: one store shared by several processes and machines.
//!
//! The client is `postgres` (the blocking face of tokio-postgres, by the same authors): the [`Store`] trait is
//! blocking, as SQLite is. That client runs its own small runtime, which must not be entered from a thread
//! that is already driving one (the pipeline calls the store from its tasks), so every connection lives on a
//! thread of its own and calls are handed to it; a caller waits for the answer as it would wait for SQLite.
//! Connections are checked out one caller at a time, so a batch's transaction never sees another caller's
//! statements.

mod schema;
pub mod search;

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Sender};
use std::sync::{Condvar, Mutex};

use postgres::{Client, NoTls, Row};

use crate::rows::to_json;
use crate::{
    ArticleRow, Enrichment, ErrorRow, FailureKind, FeedPoll, FeedRow, ItemRow, Result, Stage, StatusReport, Store,
    StoreError, StoryRow,
};

/// Connections a store opens; the API and the pipeline rarely need more at once (one more than needed, as a
/// held lock keeps one for itself).
const POOL: usize = 4;

/// Advisory lock key held while migrating ("newsdesk" in ASCII).
const MIGRATION_LOCK: i64 = 0x6e65_7773_6465_736b;

type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// Statements a connection keeps prepared; past this the cache starts over (query texts with varying
/// limits would otherwise grow it without end).
const STATEMENT_CACHE: usize = 256;

/// A connection with the statements it has prepared: each query text is parsed once per connection, and
/// every later call is a single round trip instead of two.
pub(crate) struct Conn {
    client: Client,
    statements: std::collections::HashMap<String, postgres::Statement>,
}

type Params<'a> = &'a [&'a (dyn postgres::types::ToSql + Sync)];

impl Conn {
    fn statement(&mut self, sql: &str) -> std::result::Result<postgres::Statement, postgres::Error> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        let st = self.client.prepare(sql)?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }

    pub(crate) fn execute(&mut self, sql: &str, params: Params<'_>) -> std::result::Result<u64, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.execute(&st, params)
    }

    pub(crate) fn query(&mut self, sql: &str, params: Params<'_>) -> std::result::Result<Vec<Row>, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query(&st, params)
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: Params<'_>) -> std::result::Result<Row, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query_one(&st, params)
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> std::result::Result<Option<Row>, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query_opt(&st, params)
    }

    pub(crate) fn batch_execute(&mut self, sql: &str) -> std::result::Result<(), postgres::Error> {
        self.client.batch_execute(sql)
    }
}

pub struct PostgresStore {
    /// The URL without its password, for messages.
    display: String,
    connections: Vec<Sender<Job>>,
    free: Mutex<Vec<usize>>,
    returned: Condvar,
    /// Tells this store's open batches apart from other stores' on the same thread.
    id: usize,
    /// The connection whose session holds this store's advisory locks ([`Store::try_lock`]): one for all of
    /// them, taken out of the pool for good when the first lock is granted.
    lock_connection: Mutex<Option<usize>>,
}

static NEXT_STORE: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    /// The connection of each batch open on this thread, by store id.
    static BATCHES: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

/// A URL with its password masked.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn backend_error(store: &str, e: &postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    let kind = match e.code() {
        Some(c) if *c == SqlState::DISK_FULL || *c == SqlState::OUT_OF_MEMORY => FailureKind::Full,
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::T_R_DEADLOCK_DETECTED => FailureKind::Busy,
        Some(c) if c.code().starts_with("23") => FailureKind::Constraint,
        _ => FailureKind::Other,
    };
    let message = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    };
    StoreError::Backend {
        store: store.to_string(),
        message,
        kind,
    }
}

impl PostgresStore {
    /// Connect to the database at `url` (`postgres://user@host/db`) and bring its schema up to date.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let display = redact(url);
        let mut connections = Vec::with_capacity(POOL);
        for n in 0..POOL {
            let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
            let (ready, started) = sync_channel::<std::result::Result<(), String>>(1);
            let target = url.to_string();
            std::thread::Builder::new()
                .name(format!("newsdesk-pg-{n}"))
                .spawn(move || {
                    let mut client = match Client::connect(&target, NoTls) {
                        Ok(c) => {
                            let _ = ready.send(Ok(()));
                            Conn {
                                client: c,
                                statements: std::collections::HashMap::new(),
                            }
                        }
                        Err(e) => {
                            let _ = ready.send(Err(e.to_string()));
                            return;
                        }
                    };
                    while let Ok(job) = inbox.recv() {
                        // A panic in one call must not take the connection's thread with it.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut client)));
                    }
                })
                .map_err(|e| StoreError::Invalid(format!("cannot start a connection thread: {e}")))?;
            match started.recv() {
                Ok(Ok(())) => connections.push(jobs),
                Ok(Err(e)) => {
                    return Err(StoreError::Backend {
                        store: display,
                        message: format!("cannot connect: {e}"),
                        kind: FailureKind::Other,
                    })
                }
                Err(_) => {
                    return Err(StoreError::Invalid(format!(
                        "store {display}: the connection thread ended"
                    )))
                }
            }
        }
        let store = PostgresStore {
            display,
            free: Mutex::new((0..connections.len()).collect()),
            connections,
            returned: Condvar::new(),
            id: NEXT_STORE.fetch_add(1, Ordering::Relaxed),
            lock_connection: Mutex::new(None),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        self.call(|c, _| {
            c.query_one("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
            let applied = (|| {
                c.batch_execute("CREATE TABLE IF NOT EXISTS newsdesk_schema (version INTEGER NOT NULL)")?;
                let version: i32 = match c.query_opt("SELECT max(version) FROM newsdesk_schema", &[])? {
                    Some(row) => row.try_get::<_, Option<i32>>(0)?.unwrap_or(0),
                    None => 0,
                };
                for (i, step) in schema::MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
                    let mut tx = c.client.transaction()?;
                    tx.batch_execute(step)?;
                    // The one step that needs Rust after its SQL: the related-coverage parse is not SQL.
                    if *step == schema::ITEM_RELATED {
                        schema::fill_related(&mut tx)?;
                    }
                    tx.execute(
                        "INSERT INTO newsdesk_schema (version) VALUES ($1)",
                        &[&((i + 1) as i32)],
                    )?;
                    tx.commit()?;
                }
                Ok(())
            })();
            c.query_one("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
            applied
        })
    }

    fn checkout(&self) -> usize {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(n) = free.pop() {
                return n;
            }
            free = self.returned.wait(free).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give_back(&self, n: usize) {
        self.free.lock().unwrap_or_else(|p| p.into_inner()).push(n);
        self.returned.notify_one();
    }

    fn batch_connection(&self) -> Option<usize> {
        BATCHES.with(|b| {
            b.borrow()
                .iter()
                .rev()
                .find(|(store, _)| *store == self.id)
                .map(|(_, c)| *c)
        })
    }

    /// Run `f` on a connection: the batch's when one is open on this thread, else one checked out for the
    /// call. `f` learns whether it runs inside a batch (its own multi-statement work is then a savepoint).
    fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn, bool) -> std::result::Result<T, postgres::Error> + Send + 'static,
    {
        let (connection, in_batch) = match self.batch_connection() {
            Some(c) => (c, true),
            None => (self.checkout(), false),
        };
        let result = self.run_on(connection, move |c| f(c, in_batch));
        if !in_batch {
            self.give_back(connection);
        }
        result
    }

    fn run_on<T, F>(&self, connection: usize, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> std::result::Result<T, postgres::Error> + Send + 'static,
    {
        let (reply, answer) = sync_channel(1);
        let lost = || StoreError::Invalid(format!("store {}: the database connection was lost", self.display));
        self.connections[connection]
            .send(Box::new(move |c: &mut Conn| {
                let _ = reply.send(f(c));
            }))
            .map_err(|_| lost())?;
        match answer.recv() {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(backend_error(&self.display, &e)),
            Err(_) => Err(lost()),
        }
    }
}

/// Run `f`'s statements atomically: a transaction of their own, or a savepoint inside the open batch.
fn atomically<T>(
    c: &mut Conn,
    in_batch: bool,
    f: impl FnOnce(&mut Conn) -> std::result::Result<T, postgres::Error>,
) -> std::result::Result<T, postgres::Error> {
    let (begin, commit, rollback) = if in_batch {
        (
            "SAVEPOINT newsdesk_step",
            "RELEASE SAVEPOINT newsdesk_step",
            "ROLLBACK TO SAVEPOINT newsdesk_step",
        )
    } else {
        ("BEGIN", "COMMIT", "ROLLBACK")
    };
    c.batch_execute(begin)?;
    match f(c) {
        Ok(v) => {
            c.batch_execute(commit)?;
            Ok(v)
        }
        Err(e) => {
            let _ = c.batch_execute(rollback);
            Err(e)
        }
    }
}

fn rfc3339(d: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    d.map(|d| d.to_rfc3339())
}

const ITEM_COLUMNS: &str = "i.id, i.feed_id, f.url, i.key, i.title, i.link, i.published, i.updated, i.summary, \
    i.content, i.authors, i.categories, i.image, i.source_title, i.source_url, i.first_seen, i.stage, \
    i.resolved_url, i.article_id, i.error, i.attempts, i.version, i.given_up, i.related";

const ARTICLE_COLUMNS: &str = "id, canonical_url, url, title, text, markdown, html, authors, published, modified, \
    language, site_name, image, description, fetched_at, tags, story_id, duplicate_of, simhash, encoding_note, \
    entities";

const FEED_SELECT: &str = "SELECT f.id, f.url, f.name, f.title, f.etag, f.last_modified, f.last_fetched_at, \
    f.next_poll_at, f.last_error, f.last_error_at, (SELECT count(*) FROM items i WHERE i.feed_id = f.id) FROM feeds f";

pub(crate) const STORY_SELECT: &str = "SELECT s.id, s.headline, s.first_seen, s.last_updated, \
    (SELECT count(*) FROM articles a WHERE a.story_id = s.id) FROM stories s";

fn item_from_row(r: &Row) -> std::result::Result<ItemRow, postgres::Error> {
    Ok(crate::rows::item_row!(r, try_get))
}

fn article_from_row(r: &Row) -> std::result::Result<ArticleRow, postgres::Error> {
    Ok(crate::rows::article_row!(r, try_get))
}

pub(crate) fn story_from_row(r: &Row) -> std::result::Result<StoryRow, postgres::Error> {
    Ok(crate::rows::story_row!(r, try_get))
}

fn feed_from_row(r: &Row) -> std::result::Result<FeedRow, postgres::Error> {
    Ok(crate::rows::feed_row!(r, try_get))
}

fn rows<T>(
    rows: Vec<Row>,
    map: fn(&Row) -> std::result::Result<T, postgres::Error>,
) -> std::result::Result<Vec<T>, postgres::Error> {
    rows.iter().map(map).collect()
}

/// A count or limit as PostgreSQL's BIGINT.
fn big(n: usize) -> i64 {
    n.min(i64::MAX as usize) as i64
}

impl PostgresStore {
    fn query_items(
        &self,
        tail: &'static str,
        params: Vec<Box<dyn postgres::types::ToSql + Sync + Send>>,
    ) -> Result<Vec<ItemRow>> {
        self.call(move |c, _| {
            let sql = format!("SELECT {ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id {tail}");
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| p.as_ref() as _).collect();
            rows(c.query(&sql, &refs)?, item_from_row)
        })
    }

    fn query_articles(
        &self,
        tail: &'static str,
        params: Vec<Box<dyn postgres::types::ToSql + Sync + Send>>,
    ) -> Result<Vec<ArticleRow>> {
        self.call(move |c, _| {
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles {tail}");
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| p.as_ref() as _).collect();
            rows(c.query(&sql, &refs)?, article_from_row)
        })
    }
}

/// Boxed parameters, owned so that they can travel to the connection's thread.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        vec![$(Box::new($p) as Box<dyn postgres::types::ToSql + Sync + Send>),*]
    };
}

impl Store for PostgresStore {
    fn add_feed(&self, url: &str, name: Option<&str>) -> Result<(i64, bool)> {
        let (url, name) = (url.to_string(), name.map(str::to_string));
        self.call(move |c, _| {
            if let Some(row) = c.query_opt("SELECT id FROM feeds WHERE url = $1", &[&url])? {
                let id: i64 = row.try_get(0)?;
                if let Some(name) = &name {
                    c.execute("UPDATE feeds SET name = $1 WHERE id = $2", &[name, &id])?;
                }
                return Ok((id, false));
            }
            // Two workers adding the same feed at once: the second finds the first's row.
            let row = c.query_one(
                "INSERT INTO feeds (url, name) VALUES ($1, $2) ON CONFLICT (url) DO UPDATE SET url = excluded.url \
                 RETURNING id, (xmax = 0)",
                &[&url, &name],
            )?;
            Ok((row.try_get(0)?, row.try_get(1)?))
        })
    }

    fn feeds(&self) -> Result<Vec<FeedRow>> {
        self.call(|c, _| rows(c.query(&format!("{FEED_SELECT} ORDER BY f.id"), &[])?, feed_from_row))
    }

    fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>> {
        let url = url.to_string();
        self.call(move |c, _| {
            c.query_opt(&format!("{FEED_SELECT} WHERE f.url = $1"), &[&url])?
                .as_ref()
                .map(feed_from_row)
                .transpose()
        })
    }

    fn remove_feed(&self, id: i64) -> Result<bool> {
        self.call(move |c, in_batch| {
            atomically(c, in_batch, |c| {
                c.execute(
                    "DELETE FROM publications WHERE item_id IN (SELECT id FROM items WHERE feed_id = $1)",
                    &[&id],
                )?;
                c.execute("DELETE FROM items WHERE feed_id = $1", &[&id])?;
                Ok(c.execute("DELETE FROM feeds WHERE id = $1", &[&id])? > 0)
            })
        })
    }

    fn record_poll(&self, feed_id: i64, poll: &FeedPoll) -> Result<()> {
        let poll = poll.clone();
        self.call(move |c, _| {
            match &poll.error {
                Some(err) => c.execute(
                    "UPDATE feeds SET last_fetched_at = $1, last_error = $2, last_error_at = $1, \
                     next_poll_at = COALESCE($3, next_poll_at) WHERE id = $4",
                    &[&poll.fetched_at, err, &poll.next_poll_at, &feed_id],
                )?,
                None => c.execute(
                    "UPDATE feeds SET last_fetched_at = $1, last_error = NULL, title = COALESCE($2, title), \
                     etag = COALESCE($3, etag), last_modified = COALESCE($4, last_modified), \
                     next_poll_at = $5 WHERE id = $6",
                    &[
                        &poll.fetched_at,
                        &poll.title,
                        &poll.etag,
                        &poll.last_modified,
                        &poll.next_poll_at,
                        &feed_id,
                    ],
                )?,
            };
            Ok(())
        })
    }

    fn upsert_items(&self, feed_id: i64, items: &[newsdesk_feeds::Item], now: &str) -> Result<(usize, usize)> {
        let (items, now) = (items.to_vec(), now.to_string());
        self.call(move |c, in_batch| {
            atomically(c, in_batch, |c| {
                let statement =
                    "INSERT INTO items (feed_id, key, title, link, published, updated, summary, content, authors, \
                     categories, image, source_title, source_url, first_seen, related) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                     ON CONFLICT (feed_id, key) DO UPDATE SET title = excluded.title, link = excluded.link, \
                     published = excluded.published, updated = excluded.updated, summary = excluded.summary, \
                     content = excluded.content, authors = excluded.authors, categories = excluded.categories, \
                     image = excluded.image, source_title = excluded.source_title, \
                     source_url = excluded.source_url, related = excluded.related, version = items.version + 1 \
                     WHERE items.title IS DISTINCT FROM excluded.title OR items.link IS DISTINCT FROM excluded.link \
                     OR items.summary IS DISTINCT FROM excluded.summary \
                     OR items.content IS DISTINCT FROM excluded.content \
                     OR items.updated IS DISTINCT FROM excluded.updated \
                     OR items.image IS DISTINCT FROM excluded.image \
                     RETURNING (xmax = 0)";
                let (mut new, mut updated) = (0, 0);
                for item in &items {
                    let source_title = item.source.as_ref().map(|s| s.title.clone());
                    let source_url = item.source.as_ref().and_then(|s| s.url.clone());
                    let related = crate::rows::related_json(item.summary.as_deref(), item.content.as_deref());
                    let row = c.query_opt(
                        statement,
                        &[
                            &feed_id,
                            &item.id,
                            &item.title,
                            &item.link,
                            &rfc3339(&item.published),
                            &rfc3339(&item.updated),
                            &item.summary,
                            &item.content,
                            &to_json(&item.authors),
                            &to_json(&item.categories),
                            &item.image,
                            &source_title,
                            &source_url,
                            &now,
                            &related,
                        ],
                    )?;
                    match row.map(|r| r.try_get::<_, bool>(0)).transpose()? {
                        Some(true) => new += 1,
                        Some(false) => updated += 1,
                        None => {}
                    }
                }
                Ok((new, updated))
            })
        })
    }

    fn items_due(&self, stage: Stage, now: &str, max_attempts: u32, limit: usize) -> Result<Vec<ItemRow>> {
        self.query_items(
            "WHERE i.stage = $1 AND NOT i.given_up AND i.attempts < $2 \
             AND (i.next_attempt_at IS NULL OR i.next_attempt_at <= $3) ORDER BY i.id LIMIT $4",
            params![
                stage.as_str().to_string(),
                max_attempts.min(i32::MAX as u32) as i32,
                now.to_string(),
                big(limit)
            ],
        )
    }

    fn claim_lease(&self, name: &str, now: &str, lease: &crate::Lease) -> Result<bool> {
        let (name, now, owner) = (name.to_string(), now.to_string(), lease.owner.clone());
        let until = crate::stored_time(lease.until);
        self.call(move |c, _| {
            // The row lock of an existing lease makes concurrent claims of one name take turns.
            let n = c.execute(
                "INSERT INTO leases AS l (name, owner, until) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
                 WHERE l.owner = excluded.owner OR l.until <= $4",
                &[&name, &owner, &until, &now],
            )?;
            Ok(n > 0)
        })
    }

    fn release_lease(&self, name: &str, owner: &str) -> Result<()> {
        let (name, owner) = (name.to_string(), owner.to_string());
        self.call(move |c, _| {
            c.execute("DELETE FROM leases WHERE name = $1 AND owner = $2", &[&name, &owner])?;
            Ok(())
        })
    }

    fn claim_items(
        &self,
        stage: Stage,
        now: &str,
        max_attempts: u32,
        limit: usize,
        lease: &crate::Lease,
    ) -> Result<Vec<ItemRow>> {
        let (stage, now, owner) = (stage.as_str().to_string(), now.to_string(), lease.owner.clone());
        let until = crate::stored_time(lease.until);
        let attempts = max_attempts.min(i32::MAX as u32) as i32;
        let limit = big(limit);
        self.call(move |c, _| {
            // Rows another worker is claiming right now are skipped, not waited for: claims never block
            // each other and never overlap.
            let sql = format!(
                "WITH taken AS (UPDATE items SET lease_owner = $5, lease_until = $6 WHERE id IN ( \
                   SELECT id FROM items WHERE stage = $1 AND NOT given_up AND attempts < $2 \
                     AND (next_attempt_at IS NULL OR next_attempt_at <= $3) \
                     AND (lease_until IS NULL OR lease_until <= $3) \
                   ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *) \
                 SELECT {} FROM taken i JOIN feeds f ON f.id = i.feed_id ORDER BY i.id",
                ITEM_COLUMNS
            );
            rows(
                c.query(&sql, &[&stage, &attempts, &now, &limit, &owner, &until])?,
                item_from_row,
            )
        })
    }

    fn release_leases(&self, owner: Option<&str>) -> Result<usize> {
        let owner = owner.map(str::to_string);
        self.call(move |c, _| {
            let n = c.execute(
                "UPDATE items SET lease_owner = NULL, lease_until = NULL \
                 WHERE lease_owner IS NOT NULL AND ($1::text IS NULL OR lease_owner = $1)",
                &[&owner],
            )?;
            Ok(n as usize)
        })
    }

    fn renew_leases(&self, lease: &crate::Lease) -> Result<usize> {
        let (owner, until) = (lease.owner.clone(), crate::stored_time(lease.until));
        self.call(move |c, _| {
            let n = c.execute(
                "UPDATE items SET lease_until = $2 WHERE lease_owner = $1",
                &[&owner, &until],
            )?;
            Ok(n as usize)
        })
    }

    fn claim_feeds(&self, now: &str, hold_until: &str, limit: usize) -> Result<Vec<FeedRow>> {
        let (now, hold_until, limit) = (now.to_string(), hold_until.to_string(), big(limit));
        self.call(move |c, _| {
            let ids: Vec<i64> = c
                .query(
                    "UPDATE feeds SET next_poll_at = $2 WHERE id IN ( \
                       SELECT id FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= $1 \
                       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id",
                    &[&now, &hold_until, &limit],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            let sql = format!("{FEED_SELECT} WHERE f.id = ANY($1) ORDER BY f.id");
            rows(c.query(&sql, &[&ids])?, feed_from_row)
        })
    }

    fn reserve_host_slot(&self, host: &str, interval_ms: i64, now_ms: i64) -> Result<i64> {
        let host = host.to_string();
        self.call(move |c, _| {
            // One statement, so that bookings of concurrent workers queue on the host's row.
            c.query_one(
                "INSERT INTO host_slots AS h (host, last_at_ms) VALUES ($1, $3::bigint) \
                 ON CONFLICT (host) DO UPDATE \
                 SET last_at_ms = greatest(h.last_at_ms + greatest($2::bigint, h.interval_ms), $3::bigint) \
                 RETURNING h.last_at_ms",
                &[&host, &interval_ms, &now_ms],
            )?
            .try_get(0)
        })
    }

    fn set_host_interval(&self, host: &str, interval_ms: i64) -> Result<()> {
        let host = host.to_string();
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO host_slots (host, last_at_ms, interval_ms) VALUES ($1, 0, $2) \
                 ON CONFLICT (host) DO UPDATE SET interval_ms = excluded.interval_ms",
                &[&host, &interval_ms],
            )?;
            Ok(())
        })
    }

    fn heartbeat(&self, w: &crate::WorkerRow) -> Result<()> {
        let (id, host, pid, roles) = (w.id.clone(), w.host.clone(), i64::from(w.pid), w.roles.join(","));
        let (started, beat) = (crate::stored_time(w.started_at), crate::stored_time(w.heartbeat_at));
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO workers (id, host, pid, roles, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, heartbeat_at = excluded.heartbeat_at",
                &[&id, &host, &pid, &roles, &started, &beat],
            )?;
            Ok(())
        })
    }

    fn remove_worker(&self, id: &str) -> Result<()> {
        let id = id.to_string();
        self.call(move |c, _| {
            c.execute("DELETE FROM workers WHERE id = $1", &[&id])?;
            Ok(())
        })
    }

    fn workers(&self, since: &str, now: &str) -> Result<Vec<crate::WorkerStatus>> {
        let (since, now) = (since.to_string(), now.to_string());
        let raw = self.call(move |c, _| {
            c.query(
                "SELECT w.id, w.host, w.pid, w.roles, w.started_at, w.heartbeat_at, \
                   (SELECT count(*) FROM items i WHERE i.lease_owner = w.id AND i.lease_until > $2) \
                 FROM workers w WHERE w.heartbeat_at >= $1 ORDER BY w.id",
                &[&since, &now],
            )?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                    r.try_get(5)?,
                    r.try_get(6)?,
                ))
            })
            .collect::<std::result::Result<Vec<_>, postgres::Error>>()
        })?;
        Ok(raw.into_iter().map(crate::rows::worker_status).collect())
    }

    fn advance_item(
        &self,
        item_id: i64,
        stage: Stage,
        resolved_url: Option<&str>,
        article_id: Option<i64>,
    ) -> Result<()> {
        let resolved_url = resolved_url.map(str::to_string);
        self.call(move |c, _| {
            c.execute(
                "UPDATE items SET stage = $1, resolved_url = COALESCE($2, resolved_url), \
                 article_id = COALESCE($3, article_id), error = NULL, error_at = NULL, attempts = 0, \
                 given_up = false, next_attempt_at = NULL, version = version + 1, lease_owner = NULL, \
                 lease_until = NULL WHERE id = $4",
                &[&stage.as_str(), &resolved_url, &article_id, &item_id],
            )?;
            Ok(())
        })
    }

    fn fail_item(&self, item_id: i64, error: &str, now: &str, failure: crate::Failure) -> Result<()> {
        let (retry_at, given_up) = match failure {
            crate::Failure::Permanent => (None, true),
            crate::Failure::RetryAt(t) => (Some(crate::stored_time(t)), false),
        };
        let (error, now) = (error.to_string(), now.to_string());
        self.call(move |c, _| {
            c.execute(
                "UPDATE items SET error = $1, error_at = $2, next_attempt_at = $3, given_up = $5, \
                 attempts = attempts + 1, version = version + 1, lease_owner = NULL, lease_until = NULL \
                 WHERE id = $4",
                &[&error, &now, &retry_at, &item_id, &given_up],
            )?;
            Ok(())
        })
    }

    fn defer_item(&self, item_id: i64, reason: &str, now: &str, until: &str) -> Result<()> {
        let (reason, now, until) = (reason.to_string(), now.to_string(), until.to_string());
        self.call(move |c, _| {
            c.execute(
                "UPDATE items SET error = $1, error_at = $2, next_attempt_at = $3, lease_owner = NULL, \
                 lease_until = NULL WHERE id = $4",
                &[&reason, &now, &until, &item_id],
            )?;
            Ok(())
        })
    }

    fn cached_resolution(&self, token: &str) -> Result<Option<String>> {
        let token = token.to_string();
        self.call(move |c, _| {
            c.query_opt("SELECT url FROM gnews_resolutions WHERE token = $1", &[&token])?
                .map(|r| r.try_get(0))
                .transpose()
        })
    }

    fn cache_resolution(&self, token: &str, url: &str, now: &str) -> Result<()> {
        let (token, url, now) = (token.to_string(), url.to_string(), now.to_string());
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO gnews_resolutions (token, url, resolved_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (token) DO UPDATE SET url = excluded.url, resolved_at = excluded.resolved_at",
                &[&token, &url, &now],
            )?;
            Ok(())
        })
    }

    fn get_state(&self, key: &str) -> Result<Option<String>> {
        let key = key.to_string();
        self.call(move |c, _| {
            c.query_opt("SELECT value FROM state WHERE key = $1", &[&key])?
                .map(|r| r.try_get(0))
                .transpose()
        })
    }

    fn set_state(&self, key: &str, value: &str) -> Result<()> {
        let (key, value) = (key.to_string(), value.to_string());
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &value],
            )?;
            Ok(())
        })
    }

    fn store_article(&self, a: &ArticleRow) -> Result<ArticleRow> {
        let a = a.clone();
        self.call(move |c, _| {
            let row = c.query_one(
                "INSERT INTO articles (canonical_url, url, title, text, markdown, html, authors, published, modified, \
                 language, site_name, image, description, fetched_at, tags, story_id, duplicate_of, simhash, encoding_note, \
                 entities) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
                 ON CONFLICT (canonical_url) DO UPDATE SET url = excluded.url, title = excluded.title, \
                 text = excluded.text, markdown = excluded.markdown, html = excluded.html, \
                 authors = excluded.authors, published = excluded.published, modified = excluded.modified, \
                 language = excluded.language, site_name = excluded.site_name, image = excluded.image, \
                 description = excluded.description, fetched_at = excluded.fetched_at, \
                 simhash = excluded.simhash, encoding_note = excluded.encoding_note, entities = excluded.entities \
                 RETURNING id, tags, story_id, duplicate_of, entities",
                &[
                    &a.canonical_url,
                    &a.url,
                    &a.title,
                    &a.text,
                    &a.markdown,
                    &a.html,
                    &to_json(&a.authors),
                    &a.published,
                    &a.modified,
                    &a.language,
                    &a.site_name,
                    &a.image,
                    &a.description,
                    &a.fetched_at,
                    &to_json(&a.tags),
                    &a.story_id,
                    &a.duplicate_of,
                    &a.simhash.map(|v| v as i64),
                    &a.encoding_note,
                    &crate::rows::entities_json(a.entities.as_ref()),
                ],
            )?;
            Ok(crate::rows::kept_enrichment!(&a, row, try_get))
        })
    }

    fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        Ok(self.query_articles("WHERE id = $1", params![id])?.into_iter().next())
    }

    fn article_by_url(&self, canonical_url: &str) -> Result<Option<ArticleRow>> {
        Ok(self
            .query_articles("WHERE canonical_url = $1", params![canonical_url.to_string()])?
            .into_iter()
            .next())
    }

    fn recent_articles(&self, since: &str, after_id: i64, limit: usize) -> Result<Vec<ArticleRow>> {
        self.query_articles(
            "WHERE fetched_at >= $1 AND id > $2 ORDER BY id LIMIT $3",
            params![since.to_string(), after_id, big(limit)],
        )
    }

    fn set_article_enrichment(&self, id: i64, e: &Enrichment) -> Result<()> {
        let e = e.clone();
        self.call(move |c, in_batch| {
            atomically(c, in_batch, |c| {
                c.execute(
                    "UPDATE articles SET story_id = $1, duplicate_of = $2 WHERE id = $3",
                    &[&e.story_id, &e.duplicate_of, &id],
                )?;
                // Only when they change: writing the indexed columns recomputes the search document.
                c.execute(
                    "UPDATE articles SET tags = $1, title = COALESCE($3, title), language = COALESCE($4, language), \
                     entities = COALESCE($5, entities) \
                     WHERE id = $2 AND (tags IS DISTINCT FROM $1 OR title IS DISTINCT FROM COALESCE($3, title) \
                     OR language IS DISTINCT FROM COALESCE($4, language) \
                     OR entities IS DISTINCT FROM COALESCE($5, entities))",
                    &[
                        &to_json(&e.tags),
                        &id,
                        &e.title,
                        &e.language,
                        &crate::rows::entities_json(e.entities.as_ref()),
                    ],
                )?;
                Ok(())
            })
        })
    }

    fn mark_articles_changed(&self, article_ids: &[i64]) -> Result<()> {
        let ids = article_ids.to_vec();
        self.call(move |c, _| {
            c.execute(
                "UPDATE items SET version = version + 1 WHERE article_id = ANY($1)",
                &[&ids],
            )?;
            Ok(())
        })
    }

    fn story_article_ids(&self, story_id: &str, except_article: Option<i64>, limit: usize) -> Result<Vec<i64>> {
        let story_id = story_id.to_string();
        self.call(move |c, _| {
            c.query(
                "SELECT id FROM articles WHERE story_id = $1 AND id IS DISTINCT FROM $2 \
                 ORDER BY coalesce(published, fetched_at) DESC, canonical_url LIMIT $3",
                &[&story_id, &except_article, &big(limit)],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect()
        })
    }

    fn article_items(&self, article_id: i64) -> Result<Vec<ItemRow>> {
        self.query_items("WHERE i.article_id = $1 ORDER BY i.id", params![article_id])
    }

    fn upsert_story(&self, id: &str, headline: &str, seen_at: &str) -> Result<()> {
        let (id, headline, seen_at) = (id.to_string(), headline.to_string(), seen_at.to_string());
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO stories (id, headline, first_seen, last_updated) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (id) DO UPDATE SET last_updated = greatest(stories.last_updated, excluded.last_updated)",
                &[&id, &headline, &seen_at],
            )?;
            Ok(())
        })
    }

    fn merge_story(&self, from: &str, into: &str) -> Result<()> {
        if from == into {
            return Ok(());
        }
        let (from, into) = (from.to_string(), into.to_string());
        self.call(move |c, in_batch| {
            atomically(c, in_batch, |c| {
                c.execute("UPDATE articles SET story_id = $2 WHERE story_id = $1", &[&from, &into])?;
                c.execute(
                    "UPDATE stories SET \
                       first_seen = least(first_seen, coalesce((SELECT first_seen FROM stories WHERE id = $1), first_seen)), \
                       last_updated = greatest(last_updated, coalesce((SELECT last_updated FROM stories WHERE id = $1), last_updated)) \
                     WHERE id = $2",
                    &[&from, &into],
                )?;
                c.execute("DELETE FROM stories WHERE id = $1", &[&from])?;
                c.execute("UPDATE story_aliases SET story_id = $2 WHERE story_id = $1", &[&from, &into])?;
                c.execute(
                    "INSERT INTO story_aliases (alias, story_id) VALUES ($1, $2) \
                     ON CONFLICT (alias) DO UPDATE SET story_id = excluded.story_id",
                    &[&from, &into],
                )?;
                Ok(())
            })
        })
    }

    fn stories(&self, since: Option<&str>) -> Result<Vec<StoryRow>> {
        let since = since.map(str::to_string);
        self.call(move |c, _| {
            rows(
                c.query(
                    &format!("{STORY_SELECT} WHERE $1::text IS NULL OR s.last_updated >= $1 ORDER BY s.last_updated DESC, s.id"),
                    &[&since],
                )?,
                story_from_row,
            )
        })
    }

    fn story_articles(&self, story_id: &str) -> Result<Vec<ArticleRow>> {
        self.query_articles(
            "WHERE story_id = $1 ORDER BY published NULLS FIRST, canonical_url",
            params![story_id.to_string()],
        )
    }

    fn publication(&self, item_id: i64, target: &str) -> Result<Option<(String, String)>> {
        let target = target.to_string();
        self.call(move |c, _| {
            c.query_opt(
                "SELECT path, hash FROM publications WHERE item_id = $1 AND target = $2",
                &[&item_id, &target],
            )?
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .transpose()
        })
    }

    fn record_publication(&self, item: &ItemRow, target: &str, path: &str, hash: &str, now: &str) -> Result<()> {
        let (id, version) = (item.id, item.version);
        let (target, path, hash, now) = (target.to_string(), path.to_string(), hash.to_string(), now.to_string());
        self.call(move |c, _| {
            c.execute(
                "INSERT INTO publications (item_id, target, path, hash, published_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (item_id, target) DO UPDATE SET path = excluded.path, hash = excluded.hash, \
                 published_at = excluded.published_at, version = excluded.version",
                &[&id, &target, &path, &hash, &now, &version],
            )?;
            Ok(())
        })
    }

    fn items_to_publish(&self, target: &str, max_attempts: u32, after_id: i64, limit: usize) -> Result<Vec<ItemRow>> {
        self.query_items(
            "LEFT JOIN publications p ON p.item_id = i.id AND p.target = $1 \
             WHERE (i.stage = 'ready' OR i.attempts >= $2 OR i.given_up) \
             AND (p.item_id IS NULL OR p.version < i.version) AND i.id > $3 ORDER BY i.id LIMIT $4",
            params![
                target.to_string(),
                max_attempts.min(i32::MAX as u32) as i32,
                after_id,
                big(limit)
            ],
        )
    }

    fn items_after(&self, after_id: i64, limit: usize) -> Result<Vec<ItemRow>> {
        self.query_items("WHERE i.id > $1 ORDER BY i.id LIMIT $2", params![after_id, big(limit)])
    }

    fn story_coverage(&self, story_id: &str, except_article: i64, limit: usize) -> Result<Vec<crate::ArticleSummary>> {
        self.pg_story_coverage(story_id, except_article, limit)
    }

    fn status(&self, recent_errors: usize) -> Result<StatusReport> {
        self.call(move |c, _| {
            let count = |c: &mut Conn, sql: &str| -> std::result::Result<i64, postgres::Error> {
                c.query_one(sql, &[])?.try_get(0)
            };
            let mut report = StatusReport {
                feeds: count(c, "SELECT count(*) FROM feeds")?,
                failing_items: count(c, "SELECT count(*) FROM items WHERE error IS NOT NULL")?,
                articles: count(c, "SELECT count(*) FROM articles")?,
                stories: count(c, "SELECT count(*) FROM stories")?,
                published: count(c, "SELECT count(*) FROM publications WHERE target NOT LIKE 'jsonl:%'")?,
                ..Default::default()
            };
            for stage in Stage::ALL {
                let n: i64 = c
                    .query_one("SELECT count(*) FROM items WHERE stage = $1", &[&stage.as_str()])?
                    .try_get(0)?;
                report.items_by_stage.push((stage.as_str().to_string(), n));
            }
            let errors = c.query(
                "SELECT at, what, url, error FROM ( \
                   SELECT last_error_at AS at, 'feed' AS what, url, last_error AS error FROM feeds \
                   WHERE last_error IS NOT NULL \
                   UNION ALL \
                   SELECT error_at, 'item ' || stage, COALESCE(resolved_url, link, key), error FROM items \
                   WHERE error IS NOT NULL) AS e ORDER BY at DESC NULLS LAST LIMIT $1",
                &[&big(recent_errors)],
            )?;
            for r in &errors {
                report.recent_errors.push(ErrorRow {
                    at: r.try_get::<_, Option<String>>(0)?.unwrap_or_default(),
                    what: r.try_get(1)?,
                    url: r.try_get(2)?,
                    error: r.try_get(3)?,
                });
            }
            Ok(report)
        })
    }

    fn try_lock(&self, name: &str, holder: &str) -> Result<std::result::Result<(), String>> {
        // A session-level advisory lock lives as long as its connection: that connection is taken out of the
        // pool for good (one for all of this store's locks), and the locks go when the process ends, however
        // it ends.
        let mut held = self.lock_connection.lock().unwrap_or_else(|p| p.into_inner());
        let connection = match *held {
            Some(c) => c,
            None => self.checkout(),
        };
        let (key_name, holder) = (format!("lock:{name}"), holder.to_string());
        let lock_name = name.to_string();
        let taken = self.run_on(connection, move |c| {
            let got: bool = c
                .query_one("SELECT pg_try_advisory_lock(hashtext($1)::bigint)", &[&lock_name])?
                .try_get(0)?;
            if got {
                c.execute(
                    "INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&key_name, &holder],
                )?;
                return Ok(Ok(()));
            }
            // The holder writes its name just after it takes the lock: give it a moment to appear.
            for _ in 0..20 {
                let other: Option<String> = c
                    .query_opt("SELECT value FROM state WHERE key = $1", &[&key_name])?
                    .map(|r| r.try_get(0))
                    .transpose()?;
                if let Some(other) = other {
                    return Ok(Err(other));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Ok(Err("another process".into()))
        });
        match (&taken, *held) {
            (Ok(Ok(())), None) => *held = Some(connection),
            (_, None) => self.give_back(connection),
            _ => {}
        }
        taken
    }

    fn in_batch(&self, f: &mut dyn FnMut() -> anyhow::Result<()>) -> anyhow::Result<()> {
        if self.batch_connection().is_some() {
            // Already inside one of this store's batches on this thread: its writes join it.
            return f();
        }
        let connection = self.checkout();
        /// Closes the batch however it ends (a panic included): rolls back unless it committed, forgets
        /// the thread's binding, returns the connection.
        struct Open<'a> {
            store: &'a PostgresStore,
            connection: usize,
            committed: bool,
        }
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                let (id, connection) = (self.store.id, self.connection);
                BATCHES.with(|b| b.borrow_mut().retain(|&(s, c)| (s, c) != (id, connection)));
                if !self.committed {
                    let _ = self.store.run_on(connection, |c| c.batch_execute("ROLLBACK"));
                }
                self.store.give_back(connection);
            }
        }
        let mut open = Open {
            store: self,
            connection,
            committed: false,
        };
        self.run_on(connection, |c| c.batch_execute("BEGIN"))?;
        BATCHES.with(|b| b.borrow_mut().push((self.id, connection)));
        f()?;
        self.run_on(connection, |c| c.batch_execute("COMMIT"))?;
        open.committed = true;
        Ok(())
    }

    fn search(&self, query: &crate::SearchQuery, limit: usize, offset: usize) -> Result<Vec<crate::SearchHit>> {
        self.pg_search(query, limit, offset)
    }

    fn story(&self, id: &str) -> Result<Option<StoryRow>> {
        let id = id.to_string();
        self.call(move |c, _| {
            c.query_opt(
                &format!(
                    "{STORY_SELECT} WHERE s.id = coalesce((SELECT story_id FROM story_aliases WHERE alias = $1), $1)"
                ),
                &[&id],
            )?
            .as_ref()
            .map(story_from_row)
            .transpose()
        })
    }

    fn story_head(&self, id: &str) -> Result<Option<crate::StoryHead>> {
        let id = id.to_string();
        self.call(move |c, _| {
            c.query_opt(
                "SELECT s.id, s.headline FROM stories s \
                 WHERE s.id = coalesce((SELECT story_id FROM story_aliases WHERE alias = $1), $1)",
                &[&id],
            )?
            .map(|r| {
                Ok(crate::StoryHead {
                    id: r.try_get(0)?,
                    headline: r.try_get(1)?,
                })
            })
            .transpose()
        })
    }

    fn stories_page(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        self.call(move |c, _| {
            rows(
                c.query(
                    &format!("{STORY_SELECT} ORDER BY s.last_updated DESC, s.id LIMIT $1 OFFSET $2"),
                    &[&big(limit), &big(offset)],
                )?,
                story_from_row,
            )
        })
    }

    fn story_summaries(&self, story_id: &str) -> Result<Vec<crate::ArticleSummary>> {
        self.pg_story_summaries(story_id)
    }
}

#[cfg(test)]
mod tests {
    use super::redact;
    use crate::Store;

    /// A database from before the `related` column: opening it fills the column of the items already there
    /// from their descriptions, in the migration; a NULL left by an older worker is parsed when read.
    #[test]
    fn the_related_migration_fills_stored_items() {
        let Some(db) = crate::testing::TestDatabase::create("related") else {
            return;
        };
        let before = super::schema::MIGRATIONS
            .iter()
            .position(|step| *step == super::schema::ITEM_RELATED)
            .expect("the related step is in the list");
        let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
        client
            .batch_execute("CREATE TABLE newsdesk_schema (version INTEGER NOT NULL)")
            .expect("schema table");
        for (i, step) in super::schema::MIGRATIONS[..before].iter().enumerate() {
            client.batch_execute(step).expect("older step");
            client
                .execute(
                    "INSERT INTO newsdesk_schema (version) VALUES ($1)",
                    &[&((i + 1) as i32)],
                )
                .expect("version");
        }
        client
            .batch_execute(
                "INSERT INTO feeds (id, url) VALUES (1, 'https://news.google.com/rss/search?q=storm'); \
                 INSERT INTO items (feed_id, key, title, summary, first_seen) VALUES \
                   (1, 'g1', 'Storm - ABC', '<ol><li><a href=\"https://x.example/a\">Storm</a>&nbsp;&nbsp;\
                    <font color=\"#6f6f6f\">ABC News</font></li></ol>', '2026-01-05T10:00:00Z'), \
                   (1, 'g2', 'Plain', '<p>Plain</p>', '2026-01-05T10:00:00Z'), \
                   (1, 'g3', 'Bare', NULL, '2026-01-05T10:00:00Z');",
            )
            .expect("old items");
        let store = super::PostgresStore::open(&db.url).expect("migrate");
        let unfilled: i64 = client
            .query_one("SELECT count(*) FROM items WHERE related IS NULL", &[])
            .and_then(|r| r.try_get(0))
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
        client
            .batch_execute("UPDATE items SET related = NULL WHERE key = 'g1'")
            .expect("clear");
        assert_eq!(store.items_after(0, 1).expect("items")[0].related, expected);
        drop(store);
        drop(client);
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://desk:s3cret@db.example/news"),
            "postgres://desk:***@db.example/news"
        );
        assert_eq!(
            redact("postgres://desk@db.example/news"),
            "postgres://desk@db.example/news"
        );
        assert_eq!(redact("host=/tmp user=desk"), "host=/tmp user=desk");
    }
}
