//! The search query parser (`newsdesk_store::search::parse_query`, also `newsdesk::store`) on any text.
//!
//! Checks: at most `MAX_TERMS` terms; the FTS5 expression has balanced quotes and every term appears in it
//! quoted; and SQLite's own FTS5 (the bundled build the store uses, with the store's columns and
//! tokenizer) accepts the expression and each of its phrases: a query that parses never becomes an FTS5
//! syntax error.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use newsdesk_store::search::{parse_query, Expr, MAX_TERMS};

thread_local! {
    static DB: RefCell<rusqlite::Connection> = RefCell::new({
        let c = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
        c.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(title, text, tags, site_name, \
               tokenize = 'unicode61 remove_diacritics 2'); \
             INSERT INTO t VALUES ('Storm hits the coast', 'Rates rise again; mortgage costs climb', \
               'weather economy', 'The Daily');",
        )
        .expect("FTS5 table");
        c
    });
}

fn check_match(fts: &str, query: &str) {
    DB.with(|db| {
        let db = db.borrow();
        let mut stmt = db.prepare_cached("SELECT count(*) FROM t WHERE t MATCH ?1").expect("prepare");
        if let Err(e) = stmt.query_row([fts], |r| r.get::<_, i64>(0)) {
            panic!("FTS5 refuses {fts:?} (from the query {query:?}): {e}");
        }
    });
}

fn terms(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Term { text, .. } => out.push(text.clone()),
        Expr::And(p) | Expr::Or(p) => p.iter().for_each(|e| terms(e, out)),
        Expr::Not(inner) => terms(inner, out),
    }
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let Ok(parsed) = parse_query(&q) else { return };
    let Some(expr) = &parsed.expr else { return };
    let fts = expr.to_fts5();
    assert!(fts.matches('"').count() % 2 == 0, "unbalanced quotes in {fts:?}");
    let mut words = Vec::new();
    terms(expr, &mut words);
    assert!(words.len() <= MAX_TERMS, "{} terms", words.len());
    for w in &words {
        let quoted = format!("\"{}\"", w.replace('"', "\"\""));
        assert!(fts.contains(&quoted), "term {w:?} is not quoted in {fts:?}");
    }
    let phrases = expr.phrases();
    assert_eq!(phrases.len(), words.len(), "phrases {phrases:?} for terms {words:?}");
    check_match(&fts, &q);
    for p in &phrases {
        check_match(p, &q);
    }
});
