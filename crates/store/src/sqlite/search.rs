//! Full-text search on SQLite: the neutral [`SearchQuery`](crate::search::SearchQuery) rendered as an FTS5
//! expression in which every term is a quoted string, so no user text ever reaches `MATCH` unquoted. Filters
//! become SQL conditions beside the match. An external-content FTS5 table is kept in sync with `articles` by
//! triggers; ranking is BM25, with snippets.

use rusqlite::{params_from_iter, types::Value, Row};

use super::SqliteStore;
use crate::search::*;
use crate::Result;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

impl Expr {
    /// The FTS5 expression. Every user-supplied string is emitted inside double quotes.
    pub fn to_fts5(&self) -> String {
        match self {
            Expr::Term {
                text, prefix, column, ..
            } => {
                let mut s = quote(text);
                if *prefix {
                    s.push_str(" *");
                }
                match column {
                    Some(c) => format!("{{{}}} : {s}", c.fts_name()),
                    None => s,
                }
            }
            Expr::Or(parts) => parts
                .iter()
                .map(|p| format!("({})", p.to_fts5()))
                .collect::<Vec<_>>()
                .join(" OR "),
            Expr::And(parts) => {
                let pos: Vec<String> = parts
                    .iter()
                    .filter(|p| !matches!(p, Expr::Not(_)))
                    .map(|p| format!("({})", p.to_fts5()))
                    .collect();
                let mut s = pos.join(" AND ");
                for p in parts {
                    if let Expr::Not(inner) = p {
                        s = format!("({s}) NOT ({})", inner.to_fts5());
                    }
                }
                s
            }
            // Not reachable after `check_not_placement`; rendered harmlessly as the positive term.
            Expr::Not(inner) => inner.to_fts5(),
        }
    }

    /// Each phrase of [`Expr::to_fts5`] on its own, in the order FTS5 numbers them (left to right).
    pub fn phrases(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_phrases(&mut out);
        out
    }

    fn collect_phrases(&self, out: &mut Vec<String>) {
        match self {
            Expr::Term { .. } => out.push(self.to_fts5()),
            Expr::Or(parts) => parts.iter().for_each(|p| p.collect_phrases(out)),
            Expr::And(parts) => {
                for p in parts.iter().filter(|p| !matches!(p, Expr::Not(_))) {
                    p.collect_phrases(out);
                }
                for p in parts {
                    if let Expr::Not(inner) = p {
                        inner.collect_phrases(out);
                    }
                }
            }
            Expr::Not(inner) => inner.collect_phrases(out),
        }
    }
}

/// The schema step that adds the search index (appended to the SQLite migrations).
pub const FTS_MIGRATION: &str = r#"
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, tags, site_name,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 4.0, 2.0)');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text, tags, site_name)
    VALUES (new.id, new.title, new.text, new.tags, new.site_name);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text, tags, site_name)
    VALUES ('delete', old.id, old.title, old.text, old.tags, old.site_name);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, tags, site_name ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text, tags, site_name)
    VALUES ('delete', old.id, old.title, old.text, old.tags, old.site_name);
    INSERT INTO articles_fts(rowid, title, text, tags, site_name)
    VALUES (new.id, new.title, new.text, new.tags, new.site_name);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
CREATE INDEX articles_when ON articles(coalesce(published, fetched_at));
"#;

/// The search index is written once per transaction instead of once per statement. FTS5 flushes the terms it
/// holds in memory to a new index segment at every savepoint, and in a transaction every write statement that
/// checks a foreign key or fires a trigger opens one: with the index written by triggers, each article became
/// a segment of its own, re-merged again and again (a tenth of the pipeline's CPU on real pages). The triggers
/// now only queue the article ids whose indexed columns changed (and the values they were indexed with), and
/// [`FLUSH_SEARCH_INDEX`] writes the queue to the index at the end of the transaction, in two statements.
/// One row per article: the first change of a transaction keeps what the index holds for it (`indexed = 0`
/// for an article the index has not seen yet), and the article's current columns are indexed at the flush.
/// (`ON CONFLICT DO NOTHING`, not `INSERT OR IGNORE`: a trigger's `OR` clause gives way to the policy of the
/// statement that fired it, and an article stored again is an upsert.)
pub const FTS_DEFERRED_MIGRATION: &str = r#"
DROP TRIGGER IF EXISTS articles_fts_insert;
DROP TRIGGER IF EXISTS articles_fts_delete;
DROP TRIGGER IF EXISTS articles_fts_update;
CREATE TABLE IF NOT EXISTS articles_fts_pending (
    id INTEGER PRIMARY KEY,
    indexed INTEGER NOT NULL,
    title TEXT,
    text TEXT,
    tags TEXT,
    site_name TEXT
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts_pending (id, indexed) VALUES (new.id, 0) ON CONFLICT (id) DO NOTHING;
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts_pending (id, indexed, title, text, tags, site_name)
    VALUES (old.id, 1, old.title, old.text, old.tags, old.site_name) ON CONFLICT (id) DO NOTHING;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, tags, site_name ON articles BEGIN
    INSERT INTO articles_fts_pending (id, indexed, title, text, tags, site_name)
    VALUES (old.id, 1, old.title, old.text, old.tags, old.site_name) ON CONFLICT (id) DO NOTHING;
END;
"#;

/// Writes the queued changes of [`FTS_DEFERRED_MIGRATION`] to the search index: the old entries out, the
/// articles' current columns in (an article deleted meanwhile has none), the queue emptied.
pub const FLUSH_SEARCH_INDEX: &str = r#"
INSERT INTO articles_fts (articles_fts, rowid, title, text, tags, site_name)
    SELECT 'delete', id, title, text, tags, site_name FROM articles_fts_pending WHERE indexed = 1 ORDER BY id;
INSERT INTO articles_fts (rowid, title, text, tags, site_name)
    SELECT a.id, a.title, a.text, a.tags, a.site_name
    FROM articles_fts_pending p JOIN articles a ON a.id = p.id ORDER BY a.id;
DELETE FROM articles_fts_pending;
"#;

/// Gives search filters a narrow path to the columns they test: a covering index looked up by article id,
/// so that a filter never reads the long text of a row (appended to the SQLite migrations; `IF NOT EXISTS`
/// because earlier versions created it on the first filtered search).
pub const FACETS_MIGRATION: &str =
    "CREATE INDEX IF NOT EXISTS articles_facets ON articles(id, language, site_name, published, fetched_at, url);";

const SUMMARY_COLUMNS: &str = "a.id, a.url, a.title, a.site_name, a.published, a.fetched_at, a.language, a.image, \
    a.description, a.authors, a.tags, a.story_id";

/// BM25 column weights (title, text, tags, outlet), as in the `rank` setting of [`FTS_MIGRATION`].
const BM25_WEIGHTS: [f64; 4] = [10.0, 1.0, 4.0, 2.0];
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;
/// Articles (by arrival) in which costly queries look first; see `sqlite_search`.
pub const RECENT_WINDOW: i64 = 50_000;
/// Newest matches read to estimate in how many articles a phrase occurs (its BM25 weight).
pub const DF_SAMPLE: usize = 100;
/// The FTS5 auxiliary function behind ranking (see [`fts5_rank`]).
const BM25_PARTS: &str = "newsdesk_bm25_parts";

/// SQLite's own `bm25()` computes the weight of each phrase by visiting every article that contains it —
/// for a frequent word or a phrase of frequent words, most of the index, on every search. This auxiliary
/// function returns, per row, only what depends on the row: the index's row count followed by each phrase's
/// saturated, column-weighted term frequency, exactly as `bm25()` computes it. The weights (IDF) are applied
/// by the caller from document frequencies it counts or estimates cheaply, so the score is SQLite's BM25
/// with the phrase document frequency counted exactly up to [`DF_SAMPLE`] articles and estimated from the
/// newest ones beyond.
mod fts5_rank {
    use rusqlite::ffi;
    use std::os::raw::{c_int, c_void};

    use super::{BM25_B, BM25_K1, BM25_PARTS, BM25_WEIGHTS};

    /// Register the function on this connection (once per connection).
    pub(super) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        let fail = |rc: c_int, msg: &str| rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(msg.to_string()));
        // SAFETY: the statement is prepared, bound, stepped and finalized on this connection's own handle;
        // `fts5(?1)` writes the API pointer into `api` while the statement runs, as documented for FTS5.
        unsafe {
            let db = conn.handle();
            let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
            let rc = ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, std::ptr::null_mut());
            if rc != ffi::SQLITE_OK {
                return Err(fail(rc, "FTS5 is not available"));
            }
            let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
            ffi::sqlite3_bind_pointer(
                stmt,
                1,
                &mut api as *mut *mut ffi::fts5_api as *mut c_void,
                c"fts5_api_ptr".as_ptr(),
                None,
            );
            ffi::sqlite3_step(stmt);
            ffi::sqlite3_finalize(stmt);
            if api.is_null() || (*api).iVersion < 2 {
                return Err(fail(ffi::SQLITE_ERROR, "FTS5 API not found"));
            }
            let Some(create) = (*api).xCreateFunction else {
                return Err(fail(ffi::SQLITE_ERROR, "FTS5 API without xCreateFunction"));
            };
            let name = std::ffi::CString::new(BM25_PARTS).expect("no NUL in the name");
            let rc = create(api, name.as_ptr(), std::ptr::null_mut(), Some(bm25_parts), None);
            if rc != ffi::SQLITE_OK {
                return Err(fail(rc, "cannot register the ranking function"));
            }
        }
        Ok(())
    }

    /// The row's parts as a blob of little-endian f64: the index's row count, then one value per phrase.
    unsafe extern "C" fn bm25_parts(
        api: *const ffi::Fts5ExtensionApi,
        fts: *mut ffi::Fts5Context,
        ctx: *mut ffi::sqlite3_context,
        _n: c_int,
        _values: *mut *mut ffi::sqlite3_value,
    ) {
        match parts(&*api, fts) {
            Ok(out) => {
                let bytes: Vec<u8> = out.iter().flat_map(|v| v.to_le_bytes()).collect();
                ffi::sqlite3_result_blob(
                    ctx,
                    bytes.as_ptr() as *const c_void,
                    bytes.len() as c_int,
                    ffi::SQLITE_TRANSIENT(),
                );
            }
            Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
        }
    }

    /// As `fts5Bm25Function` in SQLite's `fts5_aux.c`, without the IDF factor.
    unsafe fn parts(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context) -> Result<Vec<f64>, c_int> {
        let ok = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
        let (Some(phrase_count), Some(row_count), Some(total_size), Some(inst_count), Some(inst), Some(column_size)) = (
            api.xPhraseCount,
            api.xRowCount,
            api.xColumnTotalSize,
            api.xInstCount,
            api.xInst,
            api.xColumnSize,
        ) else {
            return Err(ffi::SQLITE_ERROR);
        };
        let n_phrase = phrase_count(fts).max(0) as usize;
        let mut n_row: i64 = 0;
        ok(row_count(fts, &mut n_row))?;
        let mut n_tokens: i64 = 0;
        ok(total_size(fts, -1, &mut n_tokens))?;
        let avgdl = n_tokens as f64 / n_row.max(1) as f64;
        let mut freq = vec![0.0f64; n_phrase];
        let mut n_inst: c_int = 0;
        ok(inst_count(fts, &mut n_inst))?;
        for i in 0..n_inst {
            let (mut phrase, mut col, mut off) = (0, 0, 0);
            ok(inst(fts, i, &mut phrase, &mut col, &mut off))?;
            if let Some(f) = freq.get_mut(phrase.max(0) as usize) {
                *f += BM25_WEIGHTS.get(col.max(0) as usize).copied().unwrap_or(1.0);
            }
        }
        let mut doc_len: c_int = 0;
        ok(column_size(fts, -1, &mut doc_len))?;
        let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * doc_len as f64 / avgdl);
        let mut out = Vec::with_capacity(n_phrase + 1);
        out.push(n_row as f64);
        out.extend(freq.iter().map(|f| f * (BM25_K1 + 1.0) / (f + norm)));
        Ok(out)
    }
}

/// BM25's inverse document frequency, as SQLite computes it.
fn idf(rows: f64, hits: f64) -> f64 {
    let idf = ((rows - hits + 0.5) / (hits + 0.5)).ln();
    if idf <= 0.0 {
        1e-6
    } else {
        idf
    }
}

/// Articles holding a phrase, given its `found` matches among the articles with ids from `oldest` to
/// `newest_id`: exact when that was the whole index (`complete`), otherwise their density among those
/// newest articles (ids grow with arrival) times the whole index.
fn estimate_hits(found: usize, complete: bool, oldest: i64, newest_id: i64, rows: f64) -> f64 {
    if complete {
        return found as f64;
    }
    let window = (newest_id - oldest + 1).max(1) as f64;
    (found as f64 * rows / window).clamp(found as f64, rows.max(found as f64))
}

fn summary_from_row(r: &Row) -> rusqlite::Result<ArticleSummary> {
    Ok(crate::rows::summary_row!(r, get))
}

/// SQL conditions (joined with AND) and their parameters for the filters.
fn filter_sql(f: &SearchFilters, params: &mut Vec<Value>) -> String {
    let mut conds = Vec::new();
    if !f.feed.is_empty() {
        let mut alts = Vec::new();
        for v in &f.feed {
            params.push(Value::Text(v.clone()));
            let n = params.len();
            alts.push(format!(
                "fd.url = ?{n} OR fd.name = ?{n} COLLATE NOCASE OR CAST(fd.id AS TEXT) = ?{n}"
            ));
        }
        conds.push(format!(
            "a.id IN (SELECT it.article_id FROM items it JOIN feeds fd ON fd.id = it.feed_id WHERE {})",
            alts.join(" OR ")
        ));
    }
    if !f.outlet.is_empty() {
        let mut alts = Vec::new();
        for v in &f.outlet {
            params.push(Value::Text(v.clone()));
            let n = params.len();
            alts.push(format!(
                "a.site_name = ?{n} COLLATE NOCASE OR a.url LIKE 'http%://' || ?{n} || '/%' \
                 OR a.url LIKE 'http%://www.' || ?{n} || '/%'"
            ));
        }
        conds.push(format!("({})", alts.join(" OR ")));
    }
    if !f.lang.is_empty() {
        let mut alts = Vec::new();
        for v in &f.lang {
            params.push(Value::Text(v.clone()));
            alts.push(format!("a.language = ?{} COLLATE NOCASE", params.len()));
        }
        conds.push(format!("({})", alts.join(" OR ")));
    }
    if let Some(s) = &f.since {
        params.push(Value::Text(s.clone()));
        conds.push(format!("coalesce(a.published, a.fetched_at) >= ?{}", params.len()));
    }
    if let Some(u) = &f.until {
        params.push(Value::Text(u.clone()));
        conds.push(format!("coalesce(a.published, a.fetched_at) < ?{}", params.len()));
    }
    if conds.is_empty() {
        "1".into()
    } else {
        conds.join(" AND ")
    }
}

/// The filters as one condition on the current `articles_fts` row, checked through the covering index.
fn facet_filter(f: &SearchFilters, params: &mut Vec<Value>) -> String {
    let conds = filter_sql(f, params);
    format!("EXISTS (SELECT 1 FROM articles a INDEXED BY articles_facets WHERE a.id = articles_fts.rowid AND {conds})")
}

impl SqliteStore {
    /// Search (with a text expression: BM25 order) or list (without: newest first) articles.
    ///
    /// Ranking every match costs time in proportion to the number of matches, which for a frequent word is
    /// most of the store. So BM25 ranks the newest [`RANK_CANDIDATES`] matches (plus the page asked for):
    /// exact for all but the most frequent terms, and for those, the best of the recent coverage, which is
    /// what a news reader wants. One pass over the index, newest first, finds those matches and their
    /// per-row BM25 parts; the phrase weights come from [`DF_SAMPLE`] newest matches of each phrase (see
    /// [`fts5_rank`]); snippets and article columns are read only for the page returned.
    pub(crate) fn sqlite_search(&self, q: &SearchQuery, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        self.search_within(q, limit, offset, RECENT_WINDOW)
    }

    /// [`Self::sqlite_search`] with costly matches looked for first among the newest `window` articles.
    fn search_within(&self, q: &SearchQuery, limit: usize, offset: usize, window: i64) -> Result<Vec<SearchHit>> {
        let conn = self.conn();
        let Some(expr) = &q.expr else {
            return self.sqlite_list(&conn, &q.filters, limit, offset);
        };
        let fts = expr.to_fts5();
        let cap = RANK_CANDIDATES + offset + limit;
        let newest: i64 = conn
            .query_row("SELECT coalesce(max(id), 0) FROM articles", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        // Costly matches (phrases and prefixes read positions or many terms, filters look up every match)
        // first look among the newest `window` articles only, and further back only if those do not
        // fill the page asked for.
        let floor = if q.filters.is_empty() && !expr.is_costly() {
            0
        } else {
            (newest - window).max(0)
        };
        let mut params = vec![
            Value::Text(fts.clone()),
            Value::Integer(floor),
            Value::Integer(i64::MAX),
        ];
        let filters = if q.filters.is_empty() {
            "1".to_string()
        } else {
            facet_filter(&q.filters, &mut params)
        };
        let sql = format!(
            "SELECT rowid, {BM25_PARTS}(articles_fts) FROM articles_fts WHERE articles_fts MATCH ?1 \
             AND articles_fts.rowid > ?2 AND articles_fts.rowid <= ?3 AND {filters} \
             ORDER BY rowid DESC LIMIT ?{}",
            params.len() + 1
        );
        let mut candidates: Vec<(i64, Vec<f64>)> = Vec::new();
        // Whether every match (of the whole index) has been seen.
        let mut complete = false;
        for pass in 0..2 {
            if pass == 1 {
                if floor == 0 || candidates.len() >= offset + limit {
                    break;
                }
                params[1] = Value::Integer(0);
                params[2] = Value::Integer(floor);
            }
            let want = cap - candidates.len();
            let before = candidates.len();
            let mut stmt = self.prepare_ranked(&conn, &sql)?;
            let mut rows = stmt
                .query(params_from_iter(params.iter().chain([&Value::Integer(want as i64)])))
                .map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let blob: Vec<u8> = r.get(1).map_err(|e| self.err(e))?;
                let parts = blob
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect();
                candidates.push((r.get(0).map_err(|e| self.err(e))?, parts));
            }
            complete = candidates.len() - before < want && (pass == 1 || floor == 0);
        }
        if candidates.len() <= offset {
            return Ok(Vec::new());
        }
        let rows = candidates[0].1.first().copied().unwrap_or(0.0);
        let n_phrase = candidates[0].1.len().saturating_sub(1);
        let phrases = expr.phrases();
        let mut weights = vec![1.0; n_phrase];
        if phrases.len() == n_phrase {
            for (i, phrase) in phrases.iter().enumerate() {
                // A phrase absent from every candidate (a negated one) adds nothing whatever its weight.
                if candidates.iter().all(|c| c.1.get(i + 1).copied().unwrap_or(0.0) == 0.0) {
                    weights[i] = 0.0;
                    continue;
                }
                let hits = if n_phrase == 1 && q.filters.is_empty() {
                    // The candidates are this phrase's newest matches already.
                    let oldest = if candidates.len() < cap {
                        floor + 1
                    } else {
                        candidates.last().map_or(0, |c| c.0)
                    };
                    estimate_hits(candidates.len(), complete, oldest, newest, rows)
                } else {
                    let mut stmt = conn
                        .prepare_cached(&format!(
                            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC \
                             LIMIT {DF_SAMPLE}"
                        ))
                        .map_err(|e| self.err(e))?;
                    let ids = stmt
                        .query_map([phrase], |r| r.get::<_, i64>(0))
                        .map_err(|e| self.err(e))?
                        .collect::<std::result::Result<Vec<_>, _>>()
                        .map_err(|e| self.err(e))?;
                    let oldest = ids.last().copied().unwrap_or(0);
                    estimate_hits(ids.len(), ids.len() < DF_SAMPLE, oldest, newest, rows)
                };
                weights[i] = idf(rows, hits);
            }
        }
        let mut ranked: Vec<(f64, i64)> = candidates
            .iter()
            .map(|(id, parts)| {
                let s: f64 = weights.iter().zip(parts.iter().skip(1)).map(|(w, p)| w * p).sum();
                (-s, *id)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let page: Vec<(f64, i64)> = ranked.into_iter().skip(offset).take(limit).collect();
        let (start, end) = (HIGHLIGHT_START.to_string(), HIGHLIGHT_END.to_string());
        let select = format!(
            "SELECT {SUMMARY_COLUMNS}, snippet(articles_fts, -1, ?2, ?3, '…', 24) \
             FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ?1"
        );
        let hit_from_row = |r: &Row| -> rusqlite::Result<(ArticleSummary, String)> {
            Ok((
                summary_from_row(r)?,
                r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            ))
        };
        let mut found: std::collections::HashMap<i64, (ArticleSummary, String)> = std::collections::HashMap::new();
        if expr.has_prefix() {
            // Each run of a prefix query first gathers every term with the prefix: one run over the page's
            // id range, not one per result.
            let ids: Vec<i64> = page.iter().map(|p| p.1).collect();
            let lo = ids.iter().min().copied().unwrap_or(0);
            let hi = ids.iter().max().copied().unwrap_or(0);
            let mut stmt = conn
                .prepare_cached(&format!(
                    "{select} AND articles_fts.rowid >= ?4 AND articles_fts.rowid <= ?5 \
                     AND +articles_fts.rowid IN (SELECT value FROM json_each(?6))"
                ))
                .map_err(|e| self.err(e))?;
            let json = serde_json::to_string(&ids).unwrap_or_default();
            let rows = stmt
                .query_map(rusqlite::params![fts, start, end, lo, hi, json], hit_from_row)
                .map_err(|e| self.err(e))?;
            for row in rows {
                let row = row.map_err(|e| self.err(e))?;
                found.insert(row.0.id, row);
            }
        } else {
            let mut stmt = conn
                .prepare_cached(&format!("{select} AND articles_fts.rowid = ?4"))
                .map_err(|e| self.err(e))?;
            for (_, id) in &page {
                use rusqlite::OptionalExtension;
                if let Some(row) = stmt
                    .query_row(rusqlite::params![fts, start, end, id], hit_from_row)
                    .optional()
                    .map_err(|e| self.err(e))?
                {
                    found.insert(*id, row);
                }
            }
        }
        let hits = page
            .into_iter()
            .filter_map(|(score, id)| {
                found.remove(&id).map(|(article, snippet)| SearchHit {
                    article,
                    score,
                    snippet,
                })
            })
            .collect();
        Ok(hits)
    }

    /// A statement using the ranking function, registering it on this connection first if needed.
    fn prepare_ranked<'c>(&self, conn: &'c rusqlite::Connection, sql: &str) -> Result<rusqlite::CachedStatement<'c>> {
        match conn.prepare_cached(sql) {
            Err(e) if e.to_string().contains(BM25_PARTS) => {
                fts5_rank::register(conn).map_err(|e| self.err(e))?;
                conn.prepare_cached(sql)
            }
            other => other,
        }
        .map_err(|e| self.err(e))
    }

    /// Articles matching only filters, newest first.
    fn sqlite_list(
        &self,
        conn: &rusqlite::Connection,
        f: &SearchFilters,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>> {
        let mut params: Vec<Value> = Vec::new();
        let filters = filter_sql(f, &mut params);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, 0.0, substr(coalesce(nullif(a.description, ''), a.text), 1, 240) \
             FROM articles a WHERE {filters} \
             ORDER BY coalesce(a.published, a.fetched_at) DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok(SearchHit {
                    article: summary_from_row(r)?,
                    score: r.get(12)?,
                    snippet: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    pub(crate) fn sqlite_story(&self, id: &str) -> Result<Option<super::StoryRow>> {
        use rusqlite::OptionalExtension;
        let conn = self.conn();
        conn.query_row(
            &format!(
                "{} WHERE s.id = coalesce((SELECT story_id FROM story_aliases WHERE alias = ?1), ?1)",
                super::STORY_SELECT
            ),
            [id],
            super::story_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub(crate) fn sqlite_stories_page(&self, limit: usize, offset: usize) -> Result<Vec<super::StoryRow>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "{} ORDER BY s.last_updated DESC, s.id LIMIT ?1 OFFSET ?2",
                super::STORY_SELECT
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit as i64, offset as i64], super::story_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Summaries of a story's articles, oldest first.
    pub(crate) fn sqlite_story_summaries(&self, story_id: &str) -> Result<Vec<ArticleSummary>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.story_id = ?1 \
                 ORDER BY a.published, a.canonical_url"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([story_id], summary_from_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Summaries of the latest `limit` articles of a story but `except_article` ([`crate::Store::story_coverage`]).
    pub(crate) fn sqlite_story_coverage(
        &self,
        story_id: &str,
        except_article: i64,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&story_coverage_sql()).map_err(|e| self.err(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(rusqlite::params![story_id, except_article, limit], summary_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }
}

/// A story's latest articles, ties broken by content so that the order never depends on row ids. The order is
/// that of the `articles_story_latest` index, which is walked from the story's latest article and stops after
/// `limit` rows: no sort, and only the rows returned are read from the table.
pub(crate) fn story_coverage_sql() -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.story_id = ?1 AND a.id != ?2 \
         ORDER BY coalesce(a.published, a.fetched_at) DESC, a.canonical_url LIMIT ?3"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan for `sql` with `params`, one step a line.
    fn query_plan(store: &SqliteStore, sql: &str, params: impl rusqlite::Params) -> String {
        let conn = store.conn();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let steps = stmt
            .query_map(params, |r| r.get::<_, String>(3))
            .expect("plan rows")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("plan steps");
        steps.join("\n")
    }

    /// Publishing asks for every post's story coverage, and enriching for every article's story-mates: both
    /// must walk the story's slice of `articles_story_latest` in its order and stop at the limit, not read and
    /// sort every article of the story (whose long text columns come before the dates in each row). Also once
    /// the planner has statistics (after an `ANALYZE`).
    #[test]
    fn story_coverage_and_ids_come_from_the_latest_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("s.db")).expect("open");
        for i in 0..20 {
            let id = crate::Store::upsert_article(
                &store,
                &crate::ArticleRow {
                    canonical_url: format!("https://pub.example/{i}"),
                    url: format!("https://pub.example/{i}"),
                    text: "Text.".repeat(2_000),
                    published: (i % 3 != 0).then(|| format!("2026-01-{:02}T10:00:00Z", 1 + i % 9)),
                    fetched_at: "2026-01-10T10:00:00Z".into(),
                    ..Default::default()
                },
            )
            .expect("article");
            crate::Store::set_article_enrichment(
                &store,
                id,
                &crate::Enrichment {
                    story_id: Some(format!("s{}", i % 2)),
                    ..Default::default()
                },
            )
            .expect("story");
        }
        let coverage = story_coverage_sql();
        let ids = super::super::STORY_ARTICLE_IDS;
        for analyzed in [false, true] {
            if analyzed {
                store.conn().execute_batch("ANALYZE").expect("analyze");
            }
            let plans = [
                query_plan(&store, &coverage, rusqlite::params!["s1", 3, 10]),
                query_plan(&store, ids, rusqlite::params!["s1", 3, 10]),
                query_plan(&store, ids, rusqlite::params!["s1", None::<i64>, i64::MAX]),
            ];
            for plan in plans {
                assert!(
                    plan.contains("USING INDEX articles_story_latest (story_id=?)"),
                    "analyzed: {analyzed}\n{plan}"
                );
                assert!(!plan.contains("TEMP B-TREE"), "analyzed: {analyzed}\n{plan}");
            }
        }
        let old_index: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'articles_story'",
                [],
                |r| r.get(0),
            )
            .expect("schema");
        assert_eq!(old_index, 0, "the index on story_id alone is dropped");
    }

    /// A store that took the PUBLISH_VERSIONS step before `articles_story_latest` was added to it: the next
    /// open creates the index (and drops the one on `story_id` alone), keeping its articles.
    #[test]
    fn a_store_without_the_latest_index_gets_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        let before = super::super::MIGRATIONS
            .iter()
            .position(|step| *step == super::super::STORY_LATEST)
            .expect("the step is in the list");
        {
            let store = SqliteStore::open(&path).expect("open");
            crate::Store::upsert_article(
                &store,
                &crate::ArticleRow {
                    canonical_url: "https://pub.example/1".into(),
                    url: "https://pub.example/1".into(),
                    fetched_at: "2026-01-10T10:00:00Z".into(),
                    story_id: Some("s".into()),
                    ..Default::default()
                },
            )
            .expect("article");
            let conn = store.conn();
            conn.execute_batch("DROP INDEX articles_story_latest; CREATE INDEX articles_story ON articles(story_id);")
                .expect("the older schema");
            conn.pragma_update(None, "user_version", before as i64)
                .expect("version");
        }
        let store = SqliteStore::open(&path).expect("migrate");
        let indexes: Vec<String> = {
            let conn = store.conn();
            let mut stmt = conn
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'articles_story%' ORDER BY name",
                )
                .expect("schema");
            let names = stmt.query_map([], |r| r.get(0)).expect("names");
            names.collect::<rusqlite::Result<_>>().expect("names")
        };
        assert_eq!(indexes, ["articles_story_latest"]);
        assert_eq!(store.sqlite_story_coverage("s", 0, 10).expect("coverage").len(), 1);
    }

    /// Found by the search_query fuzz target: a NUL inside a term ended FTS5's string early, so a query that
    /// parsed was an FTS5 syntax error.
    #[test]
    fn control_characters_never_reach_fts5() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("s.db")).expect("open");
        let q = parse_query("(a | b) & c -\"d e\" f\0\0\0*").expect("parses");
        assert!(!q.expr.as_ref().expect("terms").to_fts5().contains('\0'));
        crate::Store::search(&store, &q, 10, 0).expect("a query that parses is one FTS5 accepts");
    }

    fn fts(q: &str) -> String {
        parse_query(q).unwrap().expr.unwrap().to_fts5()
    }

    #[test]
    fn words_are_quoted_and_anded() {
        assert_eq!(fts("tidal power"), r#"("tidal") AND ("power")"#);
    }

    #[test]
    fn phrases_or_prefix_and_not() {
        assert_eq!(fts(r#""tidal plant" OR rate*"#), r#"("tidal plant") OR ("rate" *)"#);
        assert_eq!(fts("rates -mortgage"), r#"(("rates")) NOT ("mortgage")"#);
        assert_eq!(fts("rates NOT mortgage"), r#"(("rates")) NOT ("mortgage")"#);
        assert_eq!(fts("(a OR b) c"), r#"(("a") OR ("b")) AND ("c")"#);
    }

    #[test]
    fn fts_syntax_in_user_text_stays_inside_quotes() {
        assert_eq!(
            fts(r#"NEAR(a b) col:x ^y"#),
            r#"("NEAR") AND (("a") AND ("b")) AND ("col:x") AND ("^y")"#
        );
        let q = parse_query(r#"a"b"#);
        assert!(q.is_err(), "unclosed quote is an error");
        assert_eq!(fts(r#"title:"x""y""#), r#"({title} : "x") AND ("y")"#);
    }

    #[test]
    fn filters_are_separated_from_text() {
        let q =
            parse_query(r#"tidal outlet:"Example Daily" lang:EN since:2024-01-01 until:2024-01-31 feed:2"#).unwrap();
        assert_eq!(q.expr.unwrap().to_fts5(), r#""tidal""#);
        assert_eq!(q.filters.outlet, vec!["Example Daily"]);
        assert_eq!(q.filters.lang, vec!["en"]);
        assert_eq!(q.filters.since.as_deref(), Some("2024-01-01"));
        assert_eq!(q.filters.until.as_deref(), Some("2024-02-01"));
        assert_eq!(q.filters.feed, vec!["2"]);
        let only = parse_query("lang:fr").unwrap();
        assert!(only.expr.is_none());
    }

    #[test]
    fn malformed_queries_are_clear_errors() {
        for (q, want) in [
            ("(tidal", "never closed"),
            ("tidal)", "no opening"),
            ("-tidal", "cannot only exclude"),
            ("a OR", "both sides"),
            ("since:yesterday", "not a date"),
            ("lang:", "needs a value"),
            ("a OR -b", "cannot only exclude"),
        ] {
            let err = parse_query(q).expect_err(q).to_string();
            assert!(err.contains(want), "{q}: {err}");
        }
        assert!(parse_query(&"x ".repeat(600)).is_err());
    }

    fn store_with(articles: &[(&str, &str, &str, &str, &str)]) -> (tempfile::TempDir, SqliteStore) {
        use crate::{ArticleRow, Store};
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("search.db")).unwrap();
        for (i, (title, text, tags, site, lang)) in articles.iter().enumerate() {
            store
                .upsert_article(&ArticleRow {
                    canonical_url: format!("https://{site}.example/{i}"),
                    url: format!("https://{site}.example/{i}"),
                    title: Some(title.to_string()),
                    text: text.to_string(),
                    tags: tags.split_whitespace().map(String::from).collect(),
                    site_name: Some(site.to_string()),
                    language: Some(lang.to_string()),
                    published: Some(format!("2025-01-{:02}T08:00:00Z", 1 + i % 28)),
                    fetched_at: "2025-02-01T00:00:00Z".into(),
                    ..Default::default()
                })
                .unwrap();
        }
        (dir, store)
    }

    fn corpus() -> Vec<(&'static str, &'static str, &'static str, &'static str, &'static str)> {
        let mut v = vec![
            (
                "Tidal power plant opens",
                "The tidal power plant on the coast opens after years of delay. Tidal energy is steady.",
                "energy tidal",
                "Harbour",
                "en",
            ),
            (
                "Coastal towns and the tide",
                "Coastal towns watch the tidal plant. The power of the sea is old news for them.",
                "coast",
                "Wire",
                "en",
            ),
            (
                "Rates rise again",
                "The central bank raised rates; mortgage costs follow. Rates may rise further.",
                "economy rates",
                "Wire",
                "en",
            ),
            (
                "Mortgage rates and renters",
                "Renters and owners alike feel the rates. Mortgage lenders tighten.",
                "economy",
                "Ledger",
                "en",
            ),
            (
                "Festival of light",
                "A festival of light fills the old town, with power cuts feared by the organisers.",
                "culture",
                "Harbour",
                "fr",
            ),
            (
                "Énergie marémotrice",
                "L'usine marémotrice produit de l'énergie; la marée monte deux fois par jour.",
                "énergie",
                "Quotidien",
                "fr",
            ),
        ];
        // Filler so that the words above have different document frequencies.
        for _ in 0..8 {
            v.push((
                "Weather report",
                "Rain and wind along the coast; the power network held up.",
                "weather",
                "Wire",
                "de",
            ));
        }
        v
    }

    #[test]
    fn scores_equal_sqlite_bm25_when_every_match_is_counted() {
        let (_dir, store) = store_with(&corpus());
        for q in [
            "tidal",
            "power",
            "tidal power",
            "\"tidal power\"",
            "rates OR festival",
            "power -tidal",
            "pow*",
            "title:rates mortgage",
            "tags:economy rates",
            "coast (power OR rates) -weather",
            "energie",
        ] {
            let parsed = parse_query(q).unwrap();
            let fts = parsed.expr.as_ref().unwrap().to_fts5();
            let want: Vec<(i64, f64)> = {
                let conn = store.conn();
                let mut stmt = conn
                    .prepare(
                        "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 4.0, 2.0) AS s FROM articles_fts \
                         WHERE articles_fts MATCH ?1 ORDER BY s, rowid",
                    )
                    .unwrap();
                let rows = stmt.query_map([&fts], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
                rows.map(|r| r.unwrap()).collect()
            };
            assert!(!want.is_empty(), "{q} matches something");
            let got = store.sqlite_search(&parsed, 50, 0).unwrap();
            assert_eq!(got.len(), want.len(), "{q}");
            for (hit, (id, score)) in got.iter().zip(&want) {
                assert_eq!(hit.article.id, *id, "{q}: order");
                assert!((hit.score - score).abs() < 1e-9, "{q}: {} vs {score}", hit.score);
            }
            let page = store.sqlite_search(&parsed, 2, 1).unwrap();
            let ids: Vec<i64> = page.iter().map(|h| h.article.id).collect();
            let want_ids: Vec<i64> = want.iter().skip(1).take(2).map(|w| w.0).collect();
            assert_eq!(ids, want_ids, "{q}: paging");
        }
    }

    #[test]
    fn snippets_highlight_and_filters_apply() {
        let (_dir, store) = store_with(&corpus());
        let hits = store
            .sqlite_search(&parse_query("tidal lang:en outlet:Harbour").unwrap(), 10, 0)
            .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].article.site_name.as_deref(), Some("Harbour"));
        assert!(
            hits[0]
                .snippet
                .contains(&format!("{HIGHLIGHT_START}tidal{HIGHLIGHT_END}"))
                || hits[0]
                    .snippet
                    .contains(&format!("{HIGHLIGHT_START}Tidal{HIGHLIGHT_END}")),
            "{:?}",
            hits[0].snippet
        );
        let accents = store
            .sqlite_search(&parse_query("MAREMOTRICE").unwrap(), 10, 0)
            .unwrap();
        assert_eq!(accents.len(), 1, "accents folded");
        let none = store
            .sqlite_search(&parse_query("tidal lang:de").unwrap(), 10, 0)
            .unwrap();
        assert!(none.is_empty());
        let far = store.sqlite_search(&parse_query("tidal").unwrap(), 10, 50).unwrap();
        assert!(far.is_empty(), "a page past the end is empty");
    }

    #[test]
    fn phrases_are_numbered_as_fts5_reads_them() {
        let e = parse_query("coast -weather (power OR rates) title:x")
            .unwrap()
            .expr
            .unwrap();
        assert_eq!(
            e.phrases(),
            vec![
                r#""coast""#,
                r#""power""#,
                r#""rates""#,
                r#"{title} : "x""#,
                r#""weather""#
            ]
        );
        assert!(e.to_fts5().ends_with(r#"NOT ("weather")"#), "{}", e.to_fts5());
    }

    #[test]
    fn costly_queries_rank_the_recent_window_and_reach_back_for_a_full_page() {
        let (_dir, store) = store_with(&corpus());
        let newest: Vec<i64> = (12..=14).collect();
        // A phrase is costly: with a window of the 3 newest articles, which all match, a page of 2 comes
        // from them alone.
        let q = parse_query("\"power\"").unwrap();
        let hits = store.search_within(&q, 2, 0, 3).unwrap();
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| newest.contains(&h.article.id)), "{hits:?}");
        // A page the window cannot fill reaches back to every match.
        let all = store.search_within(&q, 50, 0, 3).unwrap();
        assert_eq!(all.len(), store.search_within(&q, 50, 0, 1_000).unwrap().len());
        assert!(all.iter().any(|h| h.article.id == 1), "{all:?}");
        // Only older articles hold this phrase: found all the same.
        let old = store
            .search_within(&parse_query("\"tidal power\"").unwrap(), 10, 0, 3)
            .unwrap();
        assert_eq!(old.iter().map(|h| h.article.id).collect::<Vec<_>>(), vec![1]);
        // Plain words are cheap and ignore the window: the best match overall (a title) comes first.
        let plain = store.search_within(&parse_query("power").unwrap(), 1, 0, 3).unwrap();
        assert_eq!(plain[0].article.id, 1);
    }

    #[test]
    fn document_frequency_is_exact_below_the_sample_and_scaled_above() {
        assert_eq!(estimate_hits(7, true, 3, 1000, 1000.0), 7.0);
        // 100 matches among the newest 200 of 1000 articles: about half of them.
        assert_eq!(estimate_hits(100, false, 801, 1000, 1000.0), 500.0);
        // Never more than the articles there are, never fewer than were seen.
        assert_eq!(estimate_hits(100, false, 1000, 1000, 1000.0), 1000.0);
        assert!(idf(1000.0, 999.0) > 0.0, "frequent words keep a tiny positive weight");
    }

    #[test]
    fn a_folded_story_moves_its_articles_and_its_id_keeps_leading_to_them() {
        use crate::{Enrichment, Store};
        let corpus = corpus();
        let (_dir, store) = store_with(&corpus[..4]);
        let ids: Vec<i64> = store
            .search(&SearchQuery::default(), 10, 0)
            .unwrap()
            .iter()
            .map(|h| h.article.id)
            .collect();
        assert_eq!(ids.len(), 4);
        for (i, id) in ids.iter().enumerate() {
            let story = ["a", "a", "b", "c"][i];
            let e = Enrichment {
                story_id: Some(story.into()),
                ..Default::default()
            };
            crate::enrich_article(&store, *id, &e).unwrap();
        }
        store.upsert_story("a", "Story A", "2025-01-05T00:00:00Z").unwrap();
        store.upsert_story("b", "Story B", "2025-01-02T00:00:00Z").unwrap();
        store.upsert_story("b", "Story B", "2025-01-09T00:00:00Z").unwrap();
        store.upsert_story("c", "Story C", "2025-01-07T00:00:00Z").unwrap();

        crate::fold_story(&store, "b", "a").unwrap();
        let a = store.story("a").unwrap().unwrap();
        assert_eq!(
            (a.article_count, a.first_seen.as_str(), a.last_updated.as_str()),
            (3, "2025-01-02T00:00:00Z", "2025-01-09T00:00:00Z")
        );
        assert_eq!(
            store.story("b").unwrap().map(|s| s.id),
            Some("a".into()),
            "the old id finds the story"
        );
        assert_eq!(store.story_with_articles("b").unwrap().map(|(_, v)| v.len()), Some(3));
        let listed: Vec<String> = store.stories(None).unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(listed.len(), 2, "{listed:?}");

        // Folded again: earlier aliases follow.
        crate::fold_story(&store, "a", "c").unwrap();
        assert_eq!(
            store.story("b").unwrap().map(|s| (s.id, s.article_count)),
            Some(("c".into(), 4))
        );
        assert!(store.story("nowhere").unwrap().is_none());
    }
}
