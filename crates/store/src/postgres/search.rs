//! Full-text search on PostgreSQL: the neutral [`SearchQuery`](crate::search::SearchQuery) rendered as a
//! `tsquery` over the weighted search document of each article (title A, text B, tags C, outlet D), with a
//! GIN index. Every word is folded (accents, case) the way the document was, and quoted as a lexeme, so no
//! user text is read as query syntax; filters become SQL conditions with parameters.

use postgres::types::ToSql;
use unicode_normalization::UnicodeNormalization;

use super::{big, PostgresStore};
use crate::search::{ArticleSummary, Column, Expr, SearchFilters, SearchHit, SearchQuery};
use crate::search::{HIGHLIGHT_END, HIGHLIGHT_START};
use crate::Result;

const SUMMARY_COLUMNS: &str = "a.id, a.url, a.title, a.site_name, a.published, a.fetched_at, a.language, a.image, \
    a.description, a.authors, a.tags, a.story_id";

fn weight(c: Column) -> char {
    match c {
        Column::Title => 'A',
        Column::Text => 'B',
        Column::Tags => 'C',
        Column::Outlet => 'D',
    }
}

/// Lower case without accents, split into words as PostgreSQL's parser splits them: what `unaccent` and the
/// `simple` configuration made of the document.
fn lexemes(text: &str) -> Vec<String> {
    let folded: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `tsquery` text of an expression, or `None` when it holds no word at all.
pub(crate) fn to_tsquery(e: &Expr) -> Option<String> {
    match e {
        Expr::Term {
            text, prefix, column, ..
        } => {
            let words = lexemes(text);
            let last = words.len().checked_sub(1)?;
            let parts: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let mut label = String::new();
                    if *prefix && i == last {
                        label.push('*');
                    }
                    if let Some(c) = column {
                        label.push(weight(*c));
                    }
                    // Words are alphanumeric only (see `lexemes`): nothing in them needs escaping.
                    if label.is_empty() {
                        format!("'{w}'")
                    } else {
                        format!("'{w}':{label}")
                    }
                })
                .collect();
            Some(format!("({})", parts.join(" <-> ")))
        }
        Expr::Or(parts) => {
            let parts: Vec<String> = parts.iter().filter_map(to_tsquery).collect();
            (!parts.is_empty()).then(|| format!("({})", parts.join(" | ")))
        }
        Expr::And(parts) => {
            let mut positive: Vec<String> = parts
                .iter()
                .filter(|p| !matches!(p, Expr::Not(_)))
                .filter_map(to_tsquery)
                .collect();
            if positive.is_empty() {
                return None;
            }
            for p in parts {
                if let Expr::Not(inner) = p {
                    if let Some(q) = to_tsquery(inner) {
                        positive.push(format!("!{q}"));
                    }
                }
            }
            Some(format!("({})", positive.join(" & ")))
        }
        // Only inside an AND (the parser checks), handled there.
        Expr::Not(inner) => to_tsquery(inner).map(|q| format!("!{q}")),
    }
}

type Param = Box<dyn ToSql + Sync + Send>;

/// SQL conditions (joined with AND) on `a` for the filters, with their parameters appended to `params`.
fn filter_sql(f: &SearchFilters, params: &mut Vec<Param>) -> String {
    let mut conds = Vec::new();
    let push = |params: &mut Vec<Param>, v: &str| {
        params.push(Box::new(v.to_string()));
        params.len()
    };
    if !f.feed.is_empty() {
        let alts: Vec<String> = f
            .feed
            .iter()
            .map(|v| {
                let n = push(params, v);
                format!("fd.url = ${n} OR lower(fd.name) = lower(${n}) OR fd.id::text = ${n}")
            })
            .collect();
        conds.push(format!(
            "a.id IN (SELECT it.article_id FROM items it JOIN feeds fd ON fd.id = it.feed_id WHERE {})",
            alts.join(" OR ")
        ));
    }
    if !f.outlet.is_empty() {
        let alts: Vec<String> = f
            .outlet
            .iter()
            .map(|v| {
                let n = push(params, v);
                format!(
                    "lower(a.site_name) = lower(${n}) OR a.url LIKE 'http%://' || ${n} || '/%' \
                     OR a.url LIKE 'http%://www.' || ${n} || '/%'"
                )
            })
            .collect();
        conds.push(format!("({})", alts.join(" OR ")));
    }
    if !f.lang.is_empty() {
        let alts: Vec<String> = f
            .lang
            .iter()
            .map(|v| format!("lower(a.language) = lower(${})", push(params, v)))
            .collect();
        conds.push(format!("({})", alts.join(" OR ")));
    }
    if let Some(s) = &f.since {
        conds.push(format!("coalesce(a.published, a.fetched_at) >= ${}", push(params, s)));
    }
    if let Some(u) = &f.until {
        conds.push(format!("coalesce(a.published, a.fetched_at) < ${}", push(params, u)));
    }
    if conds.is_empty() {
        "true".into()
    } else {
        conds.join(" AND ")
    }
}

fn summary_from_row(r: &postgres::Row) -> std::result::Result<ArticleSummary, postgres::Error> {
    Ok(crate::rows::summary_row!(r, try_get))
}

impl PostgresStore {
    pub(crate) fn pg_search(&self, q: &SearchQuery, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        let mut params: Vec<Param> = Vec::new();
        let tsquery = q.expr.as_ref().map(to_tsquery);
        let sql = match tsquery {
            // Words that fold to nothing (only punctuation) match nothing.
            Some(None) => return Ok(Vec::new()),
            Some(Some(tsquery)) => {
                params.push(Box::new(tsquery));
                let filters = filter_sql(&q.filters, &mut params);
                let options = format!(
                    "StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15, MaxFragments=1"
                );
                params.push(Box::new(options));
                let options = params.len();
                // As on SQLite: the newest matches are ranked, not every match, and snippets are made for the
                // page shown only. The matches come from the GIN index as a whole (materialized), never from a
                // walk down the primary key that would test every article against a phrase.
                format!(
                    "WITH matches AS MATERIALIZED ( \
                       SELECT a.id FROM articles a WHERE a.search @@ to_tsquery('simple', $1) AND {filters}), \
                     newest AS (SELECT id FROM matches ORDER BY id DESC LIMIT {window}), \
                     page AS ( \
                       SELECT a.id, ts_rank(a.search, to_tsquery('simple', $1))::float8 AS score \
                       FROM articles a JOIN newest USING (id) ORDER BY score DESC, a.id DESC LIMIT {} OFFSET {}) \
                     SELECT {SUMMARY_COLUMNS}, page.score, \
                       ts_headline('simple', a.text, to_tsquery('simple', $1), ${options}) \
                     FROM page JOIN articles a USING (id) ORDER BY page.score DESC, a.id DESC",
                    big(limit),
                    big(offset),
                    window = big(crate::search::RANK_CANDIDATES.max(offset.saturating_add(limit))),
                )
            }
            None => {
                let filters = filter_sql(&q.filters, &mut params);
                format!(
                    "SELECT {SUMMARY_COLUMNS}, 0.0::float8, substr(coalesce(nullif(a.description, ''), a.text), 1, 240) \
                     FROM articles a WHERE {filters} \
                     ORDER BY coalesce(a.published, a.fetched_at) DESC, a.id DESC LIMIT {} OFFSET {}",
                    big(limit),
                    big(offset)
                )
            }
        };
        self.call(move |c, _| {
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as _).collect();
            c.query(&sql, &refs)?
                .iter()
                .map(|r| {
                    Ok(SearchHit {
                        article: summary_from_row(r)?,
                        // Better first, as SQLite's BM25 reports it (lower is better).
                        score: -r.try_get::<_, f64>(12)?,
                        snippet: r.try_get::<_, Option<String>>(13)?.unwrap_or_default(),
                    })
                })
                .collect()
        })
    }

    /// Summaries of a story's articles, oldest first.
    pub(crate) fn pg_story_summaries(&self, story_id: &str) -> Result<Vec<ArticleSummary>> {
        let story_id = story_id.to_string();
        self.call(move |c, _| {
            c.query(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.story_id = $1 \
                     ORDER BY a.published NULLS FIRST, a.canonical_url"
                ),
                &[&story_id],
            )?
            .iter()
            .map(summary_from_row)
            .collect()
        })
    }

    /// Summaries of the latest `limit` articles of a story but `except_article` ([`crate::Store::story_coverage`]):
    /// in the order of the `articles_story` index, so that the scan stops after `limit` rows with no sort, and
    /// the long text columns are neither detoasted nor sent.
    pub(crate) fn pg_story_coverage(
        &self,
        story_id: &str,
        except_article: i64,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>> {
        let story_id = story_id.to_string();
        self.call(move |c, _| {
            c.query(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.story_id = $1 AND a.id != $2 \
                     ORDER BY coalesce(a.published, a.fetched_at) DESC, a.canonical_url LIMIT $3"
                ),
                &[&story_id, &except_article, &big(limit)],
            )?
            .iter()
            .map(summary_from_row)
            .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    fn ts(q: &str) -> Option<String> {
        parse_query(q).expect("query").expr.as_ref().and_then(to_tsquery)
    }

    #[test]
    fn words_are_folded_quoted_and_combined() {
        assert_eq!(ts("Tidal power").as_deref(), Some("(('tidal') & ('power'))"));
        assert_eq!(ts("\"power plant\"").as_deref(), Some("('power' <-> 'plant')"));
        assert_eq!(ts("CAFÉ OR thé").as_deref(), Some("(('cafe') | ('the'))"));
        assert_eq!(ts("brest -wind").as_deref(), Some("(('brest') & !('wind'))"));
        assert_eq!(ts("del*").as_deref(), Some("('del':*)"));
        assert_eq!(ts("title:tidal").as_deref(), Some("('tidal':A)"));
        let hostile = ts("'; DROP TABLE articles; \\ :* x'y").expect("words");
        assert!(!hostile.contains(';') && !hostile.contains('\\'), "{hostile}");
    }
}
