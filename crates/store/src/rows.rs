//! The row types read from a result row, written once for every backend: `$get` is the backend row's
//! fallible getter (`get` for rusqlite, `try_get` for postgres), which both take a column index and a
//! target type. Columns come in the order of each backend's `*_COLUMNS` lists, which agree.

/// A JSON list column (authors, tags, categories) as a list; an unreadable one as empty.
pub(crate) fn json_list(s: Option<String>) -> Vec<String> {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// A list as the JSON text the stores keep.
pub(crate) fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Stored entities as their JSON column (NULL when not found yet).
pub(crate) fn entities_json(e: Option<&crate::ArticleEntities>) -> Option<String> {
    e.and_then(|e| serde_json::to_string(e).ok())
}

/// The entities column; an unreadable one as not found (publishing extracts them then).
pub(crate) fn entities(s: Option<String>) -> Option<crate::ArticleEntities> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

/// The description a post of the item shows: the feed's summary, or its full content when it gave no summary.
pub(crate) fn description<'a>(summary: Option<&'a str>, content: Option<&'a str>) -> Option<&'a str> {
    summary.or(content)
}

/// The related-coverage list of an item's description ([`description`]) as the JSON text of the `related`
/// column: parsed once, when the item is stored (and by the migration that added the column), so that no
/// later stage parses the description again.
pub(crate) fn related_json(summary: Option<&str>, content: Option<&str>) -> String {
    let related = description(summary, content)
        .map(newsdesk_feeds::gnews::related_coverage)
        .unwrap_or_default();
    serde_json::to_string(&related).unwrap_or_else(|_| "[]".into())
}

/// The `related` column as the list. The migration fills it for the rows stored before it, and every write
/// of this version stores it, so NULL only comes from an older newsdesk still writing to a shared PostgreSQL
/// store during an upgrade: such a row's description is parsed here, so that its posts keep their related
/// coverage. Unreadable JSON (edited by hand) is parsed again from the description likewise.
pub(crate) fn related(
    stored: Option<String>,
    summary: Option<&str>,
    content: Option<&str>,
) -> Vec<newsdesk_feeds::gnews::Related> {
    stored.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_else(|| {
        description(summary, content)
            .map(newsdesk_feeds::gnews::related_coverage)
            .unwrap_or_default()
    })
}

macro_rules! item_row {
    ($r:expr, $get:ident) => {{
        let r = $r;
        let stage: String = r.$get(16)?;
        let summary: Option<String> = r.$get(8)?;
        let content: Option<String> = r.$get(9)?;
        let related = crate::rows::related(r.$get(23)?, summary.as_deref(), content.as_deref());
        crate::ItemRow {
            id: r.$get(0)?,
            feed_id: r.$get(1)?,
            feed_url: r.$get(2)?,
            key: r.$get(3)?,
            title: r.$get(4)?,
            link: r.$get(5)?,
            published: r.$get(6)?,
            updated: r.$get(7)?,
            summary,
            content,
            related,
            authors: crate::rows::json_list(r.$get(10)?),
            categories: crate::rows::json_list(r.$get(11)?),
            image: r.$get(12)?,
            source_title: r.$get(13)?,
            source_url: r.$get(14)?,
            first_seen: r.$get(15)?,
            stage: crate::Stage::parse(&stage).unwrap_or(crate::Stage::New),
            resolved_url: r.$get(17)?,
            article_id: r.$get(18)?,
            error: r.$get(19)?,
            attempts: r.$get::<_, i32>(20)?.max(0) as u32,
            version: r.$get(21)?,
            given_up: r.$get(22)?,
        }
    }};
}

macro_rules! article_row {
    ($r:expr, $get:ident) => {{
        let r = $r;
        crate::ArticleRow {
            id: r.$get(0)?,
            canonical_url: r.$get(1)?,
            url: r.$get(2)?,
            title: r.$get(3)?,
            text: r.$get(4)?,
            markdown: r.$get(5)?,
            html: r.$get(6)?,
            authors: crate::rows::json_list(r.$get(7)?),
            published: r.$get(8)?,
            modified: r.$get(9)?,
            language: r.$get(10)?,
            site_name: r.$get(11)?,
            image: r.$get(12)?,
            description: r.$get(13)?,
            fetched_at: r.$get(14)?,
            tags: crate::rows::json_list(r.$get(15)?),
            story_id: r.$get(16)?,
            duplicate_of: r.$get(17)?,
            simhash: r.$get::<_, Option<i64>>(18)?.map(|v| v as u64),
            encoding_note: r.$get(19)?,
            entities: crate::rows::entities(r.$get(20)?),
        }
    }};
}

/// The article `$a` as stored by an upsert whose `RETURNING id, tags, story_id, duplicate_of, entities` row is
/// `$r`: the written columns are `$a`'s, the enrichments those the row kept, read as [`article_row!`] reads them.
macro_rules! kept_enrichment {
    ($a:expr, $r:expr, $get:ident) => {{
        let r = $r;
        crate::ArticleRow {
            id: r.$get(0)?,
            tags: crate::rows::json_list(r.$get(1)?),
            story_id: r.$get(2)?,
            duplicate_of: r.$get(3)?,
            entities: crate::rows::entities(r.$get(4)?),
            ..$a.clone()
        }
    }};
}

macro_rules! story_row {
    ($r:expr, $get:ident) => {{
        let r = $r;
        crate::StoryRow {
            id: r.$get(0)?,
            headline: r.$get(1)?,
            first_seen: r.$get(2)?,
            last_updated: r.$get(3)?,
            article_count: r.$get(4)?,
        }
    }};
}

macro_rules! feed_row {
    ($r:expr, $get:ident) => {{
        let r = $r;
        crate::FeedRow {
            id: r.$get(0)?,
            url: r.$get(1)?,
            name: r.$get(2)?,
            title: r.$get(3)?,
            etag: r.$get(4)?,
            last_modified: r.$get(5)?,
            last_fetched_at: r.$get(6)?,
            next_poll_at: r.$get(7)?,
            last_error: r.$get(8)?,
            last_error_at: r.$get(9)?,
            item_count: r.$get(10)?,
        }
    }};
}

macro_rules! summary_row {
    ($r:expr, $get:ident) => {{
        let r = $r;
        crate::ArticleSummary {
            id: r.$get(0)?,
            url: r.$get(1)?,
            title: r.$get(2)?,
            site_name: r.$get(3)?,
            published: r.$get(4)?,
            fetched_at: r.$get(5)?,
            language: r.$get(6)?,
            image: r.$get(7)?,
            description: r.$get(8)?,
            authors: crate::rows::json_list(r.$get(9)?),
            tags: crate::rows::json_list(r.$get(10)?),
            story_id: r.$get(11)?,
        }
    }};
}

pub(crate) use {article_row, feed_row, item_row, kept_enrichment, story_row, summary_row};

/// A worker's status from its stored columns: id, host, pid, roles (comma-separated), start and heartbeat
/// times, items leased. A time that does not parse (written by hand) reads as the Unix epoch.
pub(crate) fn worker_status(
    (id, host, pid, roles, started, heartbeat, leased): (String, String, i64, String, String, String, i64),
) -> crate::WorkerStatus {
    let time = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default()
    };
    crate::WorkerStatus {
        worker: crate::WorkerRow {
            id,
            host,
            pid: u32::try_from(pid).unwrap_or_default(),
            roles: roles.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect(),
            started_at: time(&started),
            heartbeat_at: time(&heartbeat),
        },
        items_leased: leased,
    }
}
