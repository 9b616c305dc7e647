//! Full-text search behind the store interface.
//!
//! The user's query is parsed here into a small syntax tree and rendered as an FTS5 expression in which
//! every term is a quoted string, so no user text ever reaches `MATCH` unquoted. Filters (`feed:`, `outlet:`,
//! `lang:`, `since:`, `until:`) become SQL conditions beside the match. The SQLite side (an external-content
//! FTS5 table kept in sync with `articles` by triggers, BM25 ranking, snippets) is in the `impl SqliteStore`
//! at the end of this file; the PostgreSQL backend will render the same [`SearchQuery`] its own way.

use rusqlite::{params_from_iter, types::Value, Row};
use serde::Serialize;

use super::{Result, SqliteStore};

/// Marks the start of a highlighted match inside a snippet (a private-use character, never in article text
/// after rendering).
pub const HIGHLIGHT_START: char = '\u{E000}';
/// Marks the end of a highlighted match inside a snippet.
pub const HIGHLIGHT_END: char = '\u{E001}';

/// Longest query accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 1000;
/// Matches ranked by BM25 for one search: the newest this many (see `sqlite_search`).
pub const RANK_CANDIDATES: usize = 1000;
/// Most terms accepted in one query.
pub const MAX_TERMS: usize = 64;

/// A query that cannot be understood; the message says where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("search query: {0}")]
pub struct QueryError(pub String);

/// Conditions on articles besides the text match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchFilters {
    /// Feed id, URL or name (any of them matches); several are alternatives.
    pub feed: Vec<String>,
    /// Outlet name (site name) or host; several are alternatives.
    pub outlet: Vec<String>,
    /// Language codes; several are alternatives.
    pub lang: Vec<String>,
    /// Inclusive lower bound on the article date (RFC 3339 or YYYY-MM-DD).
    pub since: Option<String>,
    /// Exclusive upper bound on the article date (a plain day includes that whole day).
    pub until: Option<String>,
}

impl SearchFilters {
    pub fn is_empty(&self) -> bool {
        *self == SearchFilters::default()
    }
}

/// A parsed query: an optional text expression plus filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub expr: Option<Expr>,
    pub filters: SearchFilters,
}

/// The indexed columns a term can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Title,
    Text,
    Tags,
    Outlet,
}

impl Column {
    fn fts_name(self) -> &'static str {
        match self {
            Column::Title => "title",
            Column::Text => "text",
            Column::Tags => "tags",
            Column::Outlet => "site_name",
        }
    }
}

/// The text part of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// One word (`prefix`: `word*`) or a quoted phrase, optionally restricted to one column.
    Term {
        text: String,
        phrase: bool,
        prefix: bool,
        column: Option<Column>,
    },
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// Only valid inside an `And` with at least one positive part.
    Not(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    Open,
    Close,
    Or,
    And,
    Not,
    Filter(String, String),
}

fn tokenize(q: &str) -> std::result::Result<Vec<Tok>, QueryError> {
    let mut toks = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                toks.push(Tok::Open);
                i += 1;
            }
            ')' => {
                toks.push(Tok::Close);
                i += 1;
            }
            '"' => {
                let (s, next) = read_quoted(&chars, i)?;
                toks.push(Tok::Phrase(s));
                i = next;
            }
            '-' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                toks.push(Tok::Not);
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // A filter value may be quoted: outlet:"The Daily".
                if word.ends_with(':') && chars.get(i) == Some(&'"') {
                    let key = word.trim_end_matches(':').to_ascii_lowercase();
                    if is_key(&key) {
                        let (s, next) = read_quoted(&chars, i)?;
                        i = next;
                        toks.push(Tok::Filter(key, s));
                        continue;
                    }
                }
                match word.as_str() {
                    "OR" | "|" => toks.push(Tok::Or),
                    "AND" | "&" => toks.push(Tok::And),
                    "NOT" => toks.push(Tok::Not),
                    _ => match word.split_once(':') {
                        Some((k, v)) if is_key(&k.to_ascii_lowercase()) => {
                            if v.is_empty() {
                                return Err(QueryError(format!("`{word}` needs a value after the colon")));
                            }
                            toks.push(Tok::Filter(k.to_ascii_lowercase(), v.to_string()))
                        }
                        _ => toks.push(Tok::Word(word)),
                    },
                }
            }
        }
    }
    Ok(toks)
}

fn is_key(k: &str) -> bool {
    matches!(
        k,
        "feed" | "outlet" | "lang" | "since" | "until" | "title" | "text" | "tags" | "tag"
    )
}

fn read_quoted(chars: &[char], open: usize) -> std::result::Result<(String, usize), QueryError> {
    let mut j = open + 1;
    while j < chars.len() && chars[j] != '"' {
        j += 1;
    }
    if j >= chars.len() {
        return Err(QueryError(format!(
            "the quote opened at character {} is never closed",
            open + 1
        )));
    }
    Ok((chars[open + 1..j].iter().collect(), j + 1))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    filters: SearchFilters,
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or_expr(&mut self) -> std::result::Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        if let Some(e) = self.and_expr()? {
            parts.push(e);
        }
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            match self.and_expr()? {
                Some(e) => parts.push(e),
                None => return Err(QueryError("OR needs a term on both sides".into())),
            }
            if parts.len() < 2 {
                return Err(QueryError("OR needs a term on both sides".into()));
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Expr::Or(parts)),
        })
    }

    fn and_expr(&mut self) -> std::result::Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                    if parts.is_empty() {
                        return Err(QueryError("AND needs a term on both sides".into()));
                    }
                    if matches!(self.peek(), None | Some(Tok::Or) | Some(Tok::Close)) {
                        return Err(QueryError("AND needs a term on both sides".into()));
                    }
                }
                _ => {
                    if let Some(e) = self.unary()? {
                        parts.push(e);
                    }
                }
            }
        }
        let positives = parts.iter().filter(|p| !matches!(p, Expr::Not(_))).count();
        if positives == 0 && !parts.is_empty() {
            return Err(QueryError(
                "a query cannot only exclude: add at least one term that is not negated".into(),
            ));
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Expr::And(parts)),
        })
    }

    fn unary(&mut self) -> std::result::Result<Option<Expr>, QueryError> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return match self.primary()? {
                Some(e) => Ok(Some(Expr::Not(Box::new(e)))),
                None => Err(QueryError("NOT (or -) needs a term after it".into())),
            };
        }
        self.primary()
    }

    fn primary(&mut self) -> std::result::Result<Option<Expr>, QueryError> {
        let Some(tok) = self.toks.get(self.pos).cloned() else {
            return Ok(None);
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                let e = self.or_expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError("a parenthesis is never closed".into()));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Close => Err(QueryError("a closing parenthesis has no opening one".into())),
            Tok::Word(w) => Ok(self.term(&w, false, None)?),
            Tok::Phrase(p) => Ok(self.term(&p, true, None)?),
            Tok::Filter(key, value) => {
                let column = match key.as_str() {
                    "title" => Some(Column::Title),
                    "text" => Some(Column::Text),
                    "tags" | "tag" => Some(Column::Tags),
                    _ => None,
                };
                if let Some(col) = column {
                    let phrase = value.chars().any(char::is_whitespace);
                    return self.term(&value, phrase, Some(col));
                }
                self.filter(&key, &value)?;
                Ok(None)
            }
            Tok::Or | Tok::And | Tok::Not => Err(QueryError("an operator is missing its term".into())),
        }
    }

    fn term(
        &mut self,
        raw: &str,
        phrase: bool,
        column: Option<Column>,
    ) -> std::result::Result<Option<Expr>, QueryError> {
        let (text, prefix) = match raw.strip_suffix('*') {
            Some(t) if !phrase => (t, true),
            _ => (raw, false),
        };
        // Terms without a letter or digit index to nothing; drop them rather than confuse FTS5.
        if !text.chars().any(char::is_alphanumeric) {
            return Ok(None);
        }
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(QueryError(format!("too many terms (at most {MAX_TERMS})")));
        }
        Ok(Some(Expr::Term {
            text: text.to_string(),
            phrase,
            prefix,
            column,
        }))
    }

    fn filter(&mut self, key: &str, value: &str) -> std::result::Result<(), QueryError> {
        let f = &mut self.filters;
        match key {
            "feed" => f.feed.push(value.to_string()),
            "outlet" => f.outlet.push(value.to_string()),
            "lang" => f.lang.push(value.to_ascii_lowercase()),
            "since" => f.since = Some(parse_date(key, value, false)?),
            "until" => f.until = Some(parse_date(key, value, true)?),
            _ => return Err(QueryError(format!("unknown filter `{key}:`"))),
        }
        Ok(())
    }
}

/// `YYYY-MM-DD` or an RFC 3339 time, normalised to a string that compares correctly with stored dates.
/// For `until:` a plain day means "up to the end of that day".
fn parse_date(key: &str, value: &str, end_of_day: bool) -> std::result::Result<String, QueryError> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let d = if end_of_day { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(d.format("%Y-%m-%d").to_string());
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%S").to_string());
    }
    Err(QueryError(format!(
        "`{key}:{value}` is not a date (use YYYY-MM-DD or an RFC 3339 time)"
    )))
}

/// Parse a user query. An empty query (or one with only filters) is valid and lists articles newest first.
pub fn parse_query(q: &str) -> std::result::Result<SearchQuery, QueryError> {
    if q.len() > MAX_QUERY_LEN {
        return Err(QueryError(format!("the query is longer than {MAX_QUERY_LEN} bytes")));
    }
    let toks = tokenize(q)?;
    let mut p = Parser {
        toks,
        pos: 0,
        filters: SearchFilters::default(),
        terms: 0,
    };
    let expr = p.or_expr()?;
    if p.pos < p.toks.len() {
        return Err(match p.toks[p.pos] {
            Tok::Close => QueryError("a closing parenthesis has no opening one".into()),
            _ => QueryError("unexpected text at the end of the query".into()),
        });
    }
    if let Some(e) = &expr {
        check_not_placement(e, false)?;
    }
    Ok(SearchQuery {
        expr,
        filters: p.filters,
    })
}

/// A negation must sit directly in an AND with a positive sibling (FTS5's NOT is binary).
fn check_not_placement(e: &Expr, in_and: bool) -> std::result::Result<(), QueryError> {
    match e {
        Expr::Not(inner) => {
            if !in_and {
                return Err(QueryError(
                    "a negated term must be combined with a positive one, as in `rates -mortgage`".into(),
                ));
            }
            check_not_placement(inner, false)
        }
        Expr::And(parts) => parts.iter().try_for_each(|p| check_not_placement(p, true)),
        Expr::Or(parts) => parts.iter().try_for_each(|p| check_not_placement(p, false)),
        Expr::Term { .. } => Ok(()),
    }
}

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

    /// Words to highlight when showing a result (positive terms only).
    pub fn positive_words(&self, out: &mut Vec<String>) {
        match self {
            Expr::Term { text, .. } => out.push(text.clone()),
            Expr::And(p) | Expr::Or(p) => p.iter().for_each(|e| e.positive_words(out)),
            Expr::Not(_) => {}
        }
    }
}

/// What a list or a search shows of an article (no body).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub fetched_at: String,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub story_id: Option<String>,
}

/// One result: the article, its BM25 score (lower is better, as SQLite reports it; 0 without text terms)
/// and a snippet whose matches are wrapped in [`HIGHLIGHT_START`] / [`HIGHLIGHT_END`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: ArticleSummary,
    pub score: f64,
    pub snippet: String,
}

/// The snippet with its highlight markers removed.
pub fn plain_snippet(s: &str) -> String {
    s.chars()
        .filter(|c| *c != HIGHLIGHT_START && *c != HIGHLIGHT_END)
        .collect()
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

/// Gives search filters a narrow path to the columns they test: a covering index looked up by article id,
/// so that a filter never reads the long text of a row. Created on the first filtered search (a no-op
/// afterwards), which keeps it out of the migration list other stages append to.
const FACETS_INDEX: &str =
    "CREATE INDEX IF NOT EXISTS articles_facets ON articles(id, language, site_name, published, fetched_at, url)";

const SUMMARY_COLUMNS: &str = "a.id, a.url, a.title, a.site_name, a.published, a.fetched_at, a.language, a.image, \
    a.description, a.authors, a.tags, a.story_id";

fn summary_from_row(r: &Row) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        site_name: r.get(3)?,
        published: r.get(4)?,
        fetched_at: r.get(5)?,
        language: r.get(6)?,
        image: r.get(7)?,
        description: r.get(8)?,
        authors: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        tags: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
        story_id: r.get(11)?,
    })
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
    /// what a news reader wants. Snippets are made only for the page returned.
    pub(crate) fn sqlite_search(&self, q: &SearchQuery, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        let conn = self.conn();
        if q.expr.is_some() && !q.filters.is_empty() {
            conn.execute_batch(FACETS_INDEX).map_err(|e| self.err(e))?;
        }
        let mut params: Vec<Value> = Vec::new();
        let sql = match &q.expr {
            Some(expr) => {
                let fts = expr.to_fts5();
                let cap = RANK_CANDIDATES + offset + limit;
                // The rowid of the cap-th newest match (rowids grow with arrival), or 0 when there are fewer.
                let mut tparams = vec![Value::Text(fts.clone())];
                let tsql = if q.filters.is_empty() {
                    format!(
                        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC \
                         LIMIT 1 OFFSET {}",
                        cap - 1
                    )
                } else {
                    let filters = facet_filter(&q.filters, &mut tparams);
                    format!(
                        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 AND {filters} \
                         ORDER BY rowid DESC LIMIT 1 OFFSET {}",
                        cap - 1
                    )
                };
                let threshold: i64 = {
                    use rusqlite::OptionalExtension;
                    let mut stmt = conn.prepare_cached(&tsql).map_err(|e| self.err(e))?;
                    stmt.query_row(params_from_iter(tparams.iter()), |r| r.get(0))
                        .optional()
                        .map_err(|e| self.err(e))?
                        .unwrap_or(0)
                };
                params.push(Value::Text(fts));
                params.push(Value::Integer(threshold));
                params.push(Value::Text(HIGHLIGHT_START.to_string()));
                params.push(Value::Text(HIGHLIGHT_END.to_string()));
                let filters = if q.filters.is_empty() {
                    "1".to_string()
                } else {
                    facet_filter(&q.filters, &mut params)
                };
                format!(
                    "WITH top AS (SELECT articles_fts.rowid AS id, articles_fts.rank AS score FROM articles_fts \
                     WHERE articles_fts MATCH ?1 AND articles_fts.rowid >= ?2 AND {filters} \
                     ORDER BY articles_fts.rank, articles_fts.rowid LIMIT {limit} OFFSET {offset}) \
                     SELECT {SUMMARY_COLUMNS}, top.score, snippet(articles_fts, -1, ?3, ?4, '…', 24) \
                     FROM top CROSS JOIN articles a ON a.id = top.id \
                     CROSS JOIN articles_fts ON articles_fts.rowid = top.id \
                     WHERE articles_fts MATCH ?1 ORDER BY top.score, top.id"
                )
            }
            None => {
                let filters = filter_sql(&q.filters, &mut params);
                format!(
                    "SELECT {SUMMARY_COLUMNS}, 0.0, substr(coalesce(nullif(a.description, ''), a.text), 1, 240) \
                     FROM articles a WHERE {filters} \
                     ORDER BY coalesce(a.published, a.fetched_at) DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
                )
            }
        };
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
            &format!("{} WHERE s.id = ?1", super::sqlite::STORY_SELECT),
            [id],
            super::sqlite::story_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub(crate) fn sqlite_stories_page(&self, limit: usize, offset: usize) -> Result<Vec<super::StoryRow>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "{} ORDER BY s.last_updated DESC, s.id LIMIT ?1 OFFSET ?2",
                super::sqlite::STORY_SELECT
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit as i64, offset as i64], super::sqlite::story_from_row)
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
