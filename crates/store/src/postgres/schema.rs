//! The PostgreSQL schema, as versioned steps applied in order on open (under an advisory lock, so that
//! workers starting together do not race). Never edit a released step; append a new one.
//!
//! Times are kept as RFC 3339 text in UTC, as on SQLite, so that both backends compare and order them the
//! same way; ordered text columns use the "C" collation, which orders by code point as SQLite does.

pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TABLE feeds (
    id BIGSERIAL PRIMARY KEY,
    url TEXT COLLATE "C" NOT NULL UNIQUE,
    name TEXT,
    title TEXT,
    added_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    etag TEXT,
    last_modified TEXT,
    last_fetched_at TEXT COLLATE "C",
    next_poll_at TEXT COLLATE "C",
    last_error TEXT,
    last_error_at TEXT COLLATE "C"
);
CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    canonical_url TEXT COLLATE "C" NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    markdown TEXT NOT NULL,
    html TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT COLLATE "C",
    modified TEXT,
    language TEXT,
    site_name TEXT,
    image TEXT,
    description TEXT,
    fetched_at TEXT COLLATE "C" NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    story_id TEXT COLLATE "C",
    duplicate_of BIGINT,
    simhash BIGINT,
    search TSVECTOR
);
CREATE INDEX articles_story ON articles (story_id, (coalesce(published, fetched_at)) DESC, canonical_url);
CREATE INDEX articles_fetched ON articles (fetched_at);
CREATE INDEX articles_date ON articles ((coalesce(published, fetched_at)) DESC, id DESC);
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE TABLE items (
    id BIGSERIAL PRIMARY KEY,
    feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
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
    article_id BIGINT REFERENCES articles(id),
    error TEXT,
    error_at TEXT COLLATE "C",
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT COLLATE "C",
    version BIGINT NOT NULL DEFAULT 1,
    given_up BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (feed_id, key)
);
CREATE INDEX items_stage ON items (stage, id) WHERE NOT given_up;
CREATE INDEX items_article ON items (article_id);
CREATE TABLE stories (
    id TEXT COLLATE "C" PRIMARY KEY,
    headline TEXT NOT NULL,
    first_seen TEXT COLLATE "C" NOT NULL,
    last_updated TEXT COLLATE "C" NOT NULL
);
CREATE INDEX stories_updated ON stories (last_updated DESC, id);
CREATE TABLE story_aliases (
    alias TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
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
    item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, target)
);
-- The search document: title, text, tags and outlet, weighted A to D so that a field restricts a term to
-- one of them; accents folded and case folded ('simple' lowercases and does not stem, as SQLite's
-- unicode61 tokenizer with remove_diacritics does). tsvector holds at most 1 MB: very long texts are cut.
CREATE FUNCTION newsdesk_article_search() RETURNS trigger AS $$
BEGIN
    NEW.search :=
        setweight(to_tsvector('simple', unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('simple', unaccent(left(NEW.text, 200000))), 'B') ||
        setweight(to_tsvector('simple', unaccent(NEW.tags)), 'C') ||
        setweight(to_tsvector('simple', unaccent(coalesce(NEW.site_name, ''))), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_search BEFORE INSERT OR UPDATE OF title, text, tags, site_name ON articles
    FOR EACH ROW EXECUTE FUNCTION newsdesk_article_search();
"#,
    // How an article's bytes were read, when not as declared.
    "ALTER TABLE articles ADD COLUMN encoding_note TEXT;",
    // Work shared between workers: item leases, the workers' heartbeats and the per-host request bookings.
    r#"
ALTER TABLE items ADD COLUMN lease_owner TEXT;
ALTER TABLE items ADD COLUMN lease_until TEXT COLLATE "C";
CREATE INDEX items_lease ON items (lease_owner) WHERE lease_owner IS NOT NULL;
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    roles TEXT NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    heartbeat_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE host_slots (
    host TEXT PRIMARY KEY,
    last_at_ms BIGINT NOT NULL,
    interval_ms BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT COLLATE "C" NOT NULL
);
"#,
    // The people, places and organisations found when the article was tagged (JSON), so that publishing does
    // not extract them again; NULL for articles stored before, which are extracted when published.
    "ALTER TABLE articles ADD COLUMN entities TEXT;",
    ITEM_RELATED,
];

/// The related-coverage list of each item's description (JSON), parsed when the item is stored so that the
/// enrich and publish stages do not parse the description again. The items stored before are filled by
/// [`fill_related`] in the same transaction.
pub const ITEM_RELATED: &str = "ALTER TABLE items ADD COLUMN related TEXT;";

/// Items read per page by [`fill_related`].
const FILL_PAGE: i64 = 1_000;

/// Fill the `related` column of the items stored before it existed, page by page by id, so that memory does
/// not grow with the archive.
pub fn fill_related(tx: &mut postgres::Transaction<'_>) -> Result<(), postgres::Error> {
    let select =
        tx.prepare("SELECT id, summary, content FROM items WHERE related IS NULL AND id > $1 ORDER BY id LIMIT $2")?;
    let update = tx.prepare("UPDATE items SET related = $2 WHERE id = $1")?;
    let mut after = 0i64;
    loop {
        let page = tx.query(&select, &[&after, &FILL_PAGE])?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.try_get(0)?;
        for row in &page {
            let id: i64 = row.try_get(0)?;
            let summary: Option<String> = row.try_get(1)?;
            let content: Option<String> = row.try_get(2)?;
            let related = crate::rows::related_json(summary.as_deref(), content.as_deref());
            tx.execute(&update, &[&id, &related])?;
        }
    }
}
