//! The search query: the language users type (words, phrases, `OR`, `NOT`/`-word`, `prefix*`, `title:`-style
//! fields and the `feed:`, `outlet:`, `lang:`, `since:`, `until:` filters), parsed once into a small syntax
//! tree that each backend renders its own way (FTS5 for SQLite). Nothing here knows SQL.

use serde::Serialize;

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
    pub(crate) fn fts_name(self) -> &'static str {
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
    // Control characters are no part of any word, and a NUL would end FTS5's string early.
    let cleaned: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let toks = tokenize(&cleaned)?;
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

impl Expr {
    /// Whether a term is a prefix.
    pub fn has_prefix(&self) -> bool {
        match self {
            Expr::Term { prefix, .. } => *prefix,
            Expr::And(p) | Expr::Or(p) => p.iter().any(Expr::has_prefix),
            Expr::Not(inner) => inner.has_prefix(),
        }
    }

    /// Whether matching costs more than walking term lists: phrases and prefixes.
    pub fn is_costly(&self) -> bool {
        match self {
            Expr::Term { phrase, prefix, .. } => *phrase || *prefix,
            Expr::And(p) | Expr::Or(p) => p.iter().any(Expr::is_costly),
            Expr::Not(inner) => inner.is_costly(),
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
