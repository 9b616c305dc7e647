//! Copying an SQLite store into PostgreSQL, table by table with their ids, and checking the copy: the row
//! count and a checksum of every table must agree on both sides. Rows already there with the same values
//! are left alone, so a second copy changes nothing.

use std::path::Path;

use postgres::types::ToSql;
use rusqlite::types::Value;
use sha2::{Digest, Sha256};

use crate::{FailureKind, Result, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Big,
    Int,
    Bool,
}

struct Table {
    name: &'static str,
    key: &'static [&'static str],
    columns: &'static [(&'static str, Kind)],
}

use Kind::{Big, Bool, Int, Text};

/// The tables in an order that keeps references valid (feeds and articles before the items that name
/// them). The search index is not copied: each backend builds its own.
const TABLES: &[Table] = &[
    Table {
        name: "feeds",
        key: &["id"],
        columns: &[
            ("id", Big),
            ("url", Text),
            ("name", Text),
            ("title", Text),
            ("added_at", Text),
            ("etag", Text),
            ("last_modified", Text),
            ("last_fetched_at", Text),
            ("next_poll_at", Text),
            ("last_error", Text),
            ("last_error_at", Text),
        ],
    },
    Table {
        name: "articles",
        key: &["id"],
        columns: &[
            ("id", Big),
            ("canonical_url", Text),
            ("url", Text),
            ("title", Text),
            ("text", Text),
            ("markdown", Text),
            ("html", Text),
            ("authors", Text),
            ("published", Text),
            ("modified", Text),
            ("language", Text),
            ("site_name", Text),
            ("image", Text),
            ("description", Text),
            ("fetched_at", Text),
            ("tags", Text),
            ("story_id", Text),
            ("duplicate_of", Big),
            ("simhash", Big),
            ("encoding_note", Text),
            ("entities", Text),
        ],
    },
    Table {
        name: "items",
        key: &["id"],
        columns: &[
            ("id", Big),
            ("feed_id", Big),
            ("key", Text),
            ("title", Text),
            ("link", Text),
            ("published", Text),
            ("updated", Text),
            ("summary", Text),
            ("content", Text),
            ("authors", Text),
            ("categories", Text),
            ("image", Text),
            ("source_title", Text),
            ("source_url", Text),
            ("first_seen", Text),
            ("stage", Text),
            ("resolved_url", Text),
            ("article_id", Big),
            ("error", Text),
            ("error_at", Text),
            ("attempts", Int),
            ("next_attempt_at", Text),
            ("version", Big),
            ("given_up", Bool),
            ("related", Text),
        ],
    },
    Table {
        name: "stories",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("headline", Text),
            ("first_seen", Text),
            ("last_updated", Text),
        ],
    },
    Table {
        name: "story_aliases",
        key: &["alias"],
        columns: &[("alias", Text), ("story_id", Text)],
    },
    Table {
        name: "gnews_resolutions",
        key: &["token"],
        columns: &[("token", Text), ("url", Text), ("resolved_at", Text)],
    },
    Table {
        name: "state",
        key: &["key"],
        columns: &[("key", Text), ("value", Text)],
    },
    Table {
        name: "publications",
        key: &["item_id", "target"],
        columns: &[
            ("item_id", Big),
            ("target", Text),
            ("path", Text),
            ("hash", Text),
            ("published_at", Text),
            ("version", Big),
        ],
    },
];

/// What the copy did and found, per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    /// Rows in the source.
    pub rows: u64,
    /// Rows the copy inserted or changed in the target (0 when it was already equal).
    pub changed: u64,
    /// Rows in the target afterwards.
    pub target_rows: u64,
    /// Whether the checksums of the two tables agree.
    pub checksum_matches: bool,
}

/// One value as both sides read it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Text(String),
}

impl Cell {
    /// The value as a PostgreSQL parameter of the column's type.
    fn param(&self, kind: Kind) -> Box<dyn ToSql + Sync + Send> {
        match (self, kind) {
            (Cell::Null, Text) => Box::new(None::<String>),
            (Cell::Null, Big) => Box::new(None::<i64>),
            (Cell::Null, Int) => Box::new(None::<i32>),
            (Cell::Null, Bool) => Box::new(None::<bool>),
            (Cell::Int(v), Big) => Box::new(*v),
            (Cell::Int(v), Int) => Box::new((*v).clamp(i32::MIN as i64, i32::MAX as i64) as i32),
            (Cell::Int(v), Bool) => Box::new(*v != 0),
            (Cell::Int(v), Text) => Box::new(v.to_string()),
            (Cell::Text(s), Text) => Box::new(s.clone()),
            (Cell::Text(s), Big) => Box::new(s.parse::<i64>().ok()),
            (Cell::Text(s), Int) => Box::new(s.parse::<i32>().ok()),
            (Cell::Text(s), Bool) => Box::new(s == "1" || s == "true"),
        }
    }

    /// Fed to the checksum: the type is part of it, so that "1" and 1 differ.
    fn hash_into(&self, h: &mut Sha256) {
        match self {
            Cell::Null => h.update([0u8]),
            Cell::Int(v) => {
                h.update([1u8]);
                h.update(v.to_le_bytes());
            }
            Cell::Text(s) => {
                h.update([2u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
    }
}

fn sqlite_cell(v: Value) -> Cell {
    match v {
        Value::Null => Cell::Null,
        Value::Integer(i) => Cell::Int(i),
        Value::Real(f) => Cell::Text(f.to_string()),
        Value::Text(s) => Cell::Text(s),
        Value::Blob(b) => Cell::Text(String::from_utf8_lossy(&b).into_owned()),
    }
}

fn pg_cell(row: &postgres::Row, i: usize, kind: Kind) -> std::result::Result<Cell, postgres::Error> {
    Ok(match kind {
        Text => row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text),
        Big => row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
        Int => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Cell::Null, |v| Cell::Int(v as i64)),
        Bool => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Cell::Null, |v| Cell::Int(v as i64)),
    })
}

/// Rows read and written per round trip.
const PAGE: usize = 2_000;

/// Copy the SQLite store at `source` into the PostgreSQL database at `url` (its schema is created first if
/// needed) and check every table.
pub fn sqlite_to_postgres(source: &Path, url: &str) -> Result<Vec<TableCopy>> {
    // The target's schema, through the backend itself; the source's brought up to date too, so that every
    // column read below exists.
    drop(crate::PostgresStore::open(url)?);
    drop(crate::SqliteStore::open(source)?);
    let shown = crate::postgres::redact(url);
    let (source, url) = (source.to_path_buf(), url.to_string());
    // A thread of its own: the blocking client must not be driven from inside an async runtime.
    let worker = std::thread::spawn(move || -> Result<Vec<TableCopy>> {
        let lite_err = |e: rusqlite::Error| StoreError::Backend {
            store: source.display().to_string(),
            message: e.to_string(),
            kind: FailureKind::Other,
        };
        let pg_err = |e: postgres::Error| StoreError::Backend {
            store: crate::postgres::redact(&url),
            message: e.to_string(),
            kind: FailureKind::Other,
        };
        let lite = rusqlite::Connection::open_with_flags(&source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(lite_err)?;
        let mut pg = postgres::Client::connect(&url, postgres::NoTls).map_err(pg_err)?;
        let mut report = Vec::new();
        // All or nothing: a copy that fails half-way leaves the target as it was.
        let mut tx = pg.transaction().map_err(pg_err)?;
        for table in TABLES {
            let (rows, changed) = copy_table(&lite, &mut tx, table).map_err(|e| match e {
                CopyError::Lite(e) => lite_err(e),
                CopyError::Pg(e) => pg_err(e),
            })?;
            report.push(TableCopy {
                table: table.name,
                rows,
                changed,
                target_rows: 0,
                checksum_matches: false,
            });
        }
        // New rows made on PostgreSQL later must not take the copied ids.
        for serial in ["feeds", "articles", "items"] {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{serial}', 'id'), \
                     coalesce((SELECT max(id) FROM {serial}), 0) + 1, false)"
                ),
                &[],
            )
            .map_err(pg_err)?;
        }
        tx.commit().map_err(pg_err)?;
        for (table, copy) in TABLES.iter().zip(report.iter_mut()) {
            let (lite_rows, lite_sum) = sqlite_checksum(&lite, table).map_err(lite_err)?;
            let (pg_rows, pg_sum) = pg_checksum(&mut pg, table).map_err(pg_err)?;
            copy.rows = lite_rows;
            copy.target_rows = pg_rows;
            copy.checksum_matches = lite_rows == pg_rows && lite_sum == pg_sum;
        }
        Ok(report)
    });
    worker
        .join()
        .map_err(|_| StoreError::Invalid(format!("the copy into {shown} stopped on an internal error")))?
}

enum CopyError {
    Lite(rusqlite::Error),
    Pg(postgres::Error),
}

fn copy_table(
    lite: &rusqlite::Connection,
    tx: &mut postgres::Transaction<'_>,
    table: &Table,
) -> std::result::Result<(u64, u64), CopyError> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let list = names.join(", ");
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|n| !table.key.contains(n))
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    let ours: Vec<String> = names.iter().map(|n| format!("{}.{n}", table.name)).collect();
    let theirs: Vec<String> = names.iter().map(|n| format!("excluded.{n}")).collect();
    let conflict = if updates.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!(
            "DO UPDATE SET {} WHERE ({}) IS DISTINCT FROM ({})",
            updates.join(", "),
            ours.join(", "),
            theirs.join(", ")
        )
    };
    let insert = tx
        .prepare(&format!(
            "INSERT INTO {} ({list}) VALUES ({}) ON CONFLICT ({}) {conflict}",
            table.name,
            placeholders.join(", "),
            table.key.join(", ")
        ))
        .map_err(CopyError::Pg)?;
    let order = table.key.join(", ");
    let mut select = lite
        .prepare(&format!(
            "SELECT {list} FROM {} ORDER BY {order} LIMIT ?1 OFFSET ?2",
            table.name
        ))
        .map_err(CopyError::Lite)?;
    let (mut rows, mut changed) = (0u64, 0u64);
    loop {
        let page: Vec<Vec<Cell>> = select
            .query_map([PAGE as i64, rows as i64], |r| {
                (0..names.len())
                    .map(|i| r.get::<_, Value>(i).map(sqlite_cell))
                    .collect()
            })
            .map_err(CopyError::Lite)?
            .collect::<std::result::Result<_, _>>()
            .map_err(CopyError::Lite)?;
        if page.is_empty() {
            return Ok((rows, changed));
        }
        for row in &page {
            let params: Vec<Box<dyn ToSql + Sync + Send>> = row
                .iter()
                .zip(table.columns)
                .map(|(cell, (_, kind))| cell.param(*kind))
                .collect();
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as _).collect();
            changed += tx.execute(&insert, &refs).map_err(CopyError::Pg)?;
        }
        rows += page.len() as u64;
    }
}

/// Normalise a cell the way both sides must agree on: a boolean column holds 0 or 1.
fn normal(cell: Cell, kind: Kind) -> Cell {
    match (cell, kind) {
        (Cell::Int(v), Bool) => Cell::Int((v != 0) as i64),
        (c, _) => c,
    }
}

fn is_text_key(table: &Table, key: &str) -> bool {
    table.columns.iter().any(|(n, kind)| *n == key && *kind == Text)
}

fn sqlite_checksum(lite: &rusqlite::Connection, table: &Table) -> rusqlite::Result<(u64, Vec<u8>)> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    // Keys in byte order on both sides: text keys compared as blobs here, with COLLATE "C" there.
    let mut stmt = lite.prepare(&format!(
        "SELECT {} FROM {} ORDER BY {}",
        names.join(", "),
        table.name,
        table
            .key
            .iter()
            .map(|k| if is_text_key(table, k) {
                format!("CAST({k} AS BLOB)")
            } else {
                k.to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let mut h = Sha256::new();
    let mut n = 0;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            normal(sqlite_cell(r.get(i)?), *kind).hash_into(&mut h);
        }
        n += 1;
    }
    Ok((n, h.finalize().to_vec()))
}

fn pg_checksum(pg: &mut postgres::Client, table: &Table) -> std::result::Result<(u64, Vec<u8>), postgres::Error> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let order: Vec<String> = table
        .key
        .iter()
        .map(|k| {
            if is_text_key(table, k) {
                format!("{k} COLLATE \"C\"")
            } else {
                k.to_string()
            }
        })
        .collect();
    let mut h = Sha256::new();
    let mut n = 0;
    let mut tx = pg.transaction()?;
    let portal = tx.bind(
        &format!(
            "SELECT {} FROM {} ORDER BY {}",
            names.join(", "),
            table.name,
            order.join(", ")
        ),
        &[],
    )?;
    loop {
        let rows = tx.query_portal(&portal, PAGE as i32)?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            for (i, (_, kind)) in table.columns.iter().enumerate() {
                normal(pg_cell(r, i, *kind)?, *kind).hash_into(&mut h);
            }
            n += 1;
        }
    }
    tx.commit()?;
    Ok((n, h.finalize().to_vec()))
}
