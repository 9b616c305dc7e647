//! `newsdesk export parquet`: the real binary on the offline example desk (plus a German outlet and an item
//! whose page is missing, for the filters and the nulls) writes a Parquet file that the parquet crate's own
//! reader reads back with the JSONL export's rows and values, typed as the README says; the filters pick the
//! same records as for JSONL; a bad output path is an error naming it.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::TimestampMicrosecondType;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, TimeUnit};
use common::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value};

const EXTRA_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Beispiel Zeitung</title><link>https://zeitung.example/</link>
<description>Nachrichten</description>
<item>
  <title>Stadtrat beschließt neuen Hafen - Beispiel Zeitung</title>
  <link>../pages/hafen.html</link>
  <guid isPermaLink="false">zeitung-2025-0001</guid>
  <pubDate>Mon, 02 Jun 2025 09:00:00 +0200</pubDate>
  <source url="https://zeitung.example">Beispiel Zeitung</source>
</item>
<item>
  <title>Ein Artikel, dessen Seite fehlt - Beispiel Zeitung</title>
  <link>../pages/fehlt.html</link>
  <guid isPermaLink="false">zeitung-2025-0002</guid>
  <pubDate>Tue, 03 Jun 2025 10:00:00 +0200</pubDate>
  <source url="https://zeitung.example">Beispiel Zeitung</source>
</item>
</channel></rss>
"#;

const GERMAN_PAGE: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Stadtrat beschließt neuen Hafen</title>
<meta property="og:site_name" content="Beispiel Zeitung">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Stadtrat beschließt neuen Hafen",
 "datePublished":"2025-06-02T09:00:00+02:00","author":{"@type":"Person","name":"Jana Krüger"}}
</script></head>
<body><article><h1>Stadtrat beschließt neuen Hafen</h1>
<p>Der Stadtrat hat am Montag mit großer Mehrheit den Bau eines neuen Hafens an der Nordküste beschlossen. Die
Arbeiten sollen im kommenden Frühjahr beginnen und etwa vier Jahre dauern.</p>
<p>Nach Angaben der Verwaltung wird der Hafen Platz für zwölf Frachtschiffe bieten. Die Kosten werden auf rund
180 Millionen Euro geschätzt, von denen das Land die Hälfte übernimmt.</p>
<p>Umweltverbände kritisierten die Entscheidung und kündigten an, die Pläne rechtlich prüfen zu lassen. Die
Bürgermeisterin sagte, der Hafen werde Hunderte Arbeitsplätze in der Region schaffen.</p>
</article></body></html>
"#;

/// The offline example desk in `dir` with one more feed, run once: five records, one without an article.
fn desk(dir: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    copy_dir(&example.join("feeds"), &dir.join("feeds"));
    copy_dir(&example.join("pages"), &dir.join("pages"));
    std::fs::write(dir.join("feeds/extra.xml"), EXTRA_FEED).expect("feed");
    std::fs::write(dir.join("pages/hafen.html"), GERMAN_PAGE).expect("page");
    let mut config = std::fs::read_to_string(example.join("newsdesk.toml")).expect("config");
    config.push_str("\n[[feeds]]\nname = \"Beispiel Zeitung\"\nurl = \"feeds/extra.xml\"\n");
    std::fs::write(dir.join("newsdesk.toml"), config).expect("write config");
    // The missing page is an item error; the run still succeeds and the item is exported without article.
    newsdesk_ok(dir, &["run", "--once"]);
}

/// `export jsonl ARGS` as JSON objects, in file order.
fn jsonl(dir: &Path, args: &[&str]) -> Vec<Map<String, Value>> {
    let mut all = vec!["export", "jsonl"];
    all.extend_from_slice(args);
    newsdesk_ok(dir, &all)
        .lines()
        .map(|l| match serde_json::from_str(l).expect("json line") {
            Value::Object(o) => o,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

/// `export parquet -o NAME ARGS`; the file's batches, and how many row groups it has.
fn parquet(dir: &Path, name: &str, args: &[&str]) -> (Vec<RecordBatch>, usize) {
    let mut all = vec!["export", "parquet", "-o", name];
    all.extend_from_slice(args);
    let out = newsdesk_ok(dir, &all);
    assert!(out.contains("records to"), "{out}");
    read(&dir.join(name))
}

fn read(path: &Path) -> (Vec<RecordBatch>, usize) {
    let file = std::fs::File::open(path).expect("open parquet");
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).expect("parquet footer");
    let groups = builder.metadata().num_row_groups();
    let batches = builder
        .build()
        .expect("reader")
        .collect::<Result<Vec<_>, _>>()
        .expect("batches");
    (batches, groups)
}

/// The Parquet rows as JSONL-shaped objects: timestamps printed as the JSONL prints dates, lists as arrays, and
/// the entity lists left out when empty, as the JSONL leaves them out. Every column is read by the type the
/// README gives it, so a wrong type fails here.
fn rows(batches: &[RecordBatch]) -> Vec<Map<String, Value>> {
    let mut rows = Vec::new();
    for batch in batches {
        let schema = batch.schema();
        for row in 0..batch.num_rows() {
            let mut object = Map::new();
            for (field, column) in schema.fields().iter().zip(batch.columns()) {
                let name = field.name().as_str();
                let value = if column.is_null(row) {
                    Value::Null
                } else {
                    match field.data_type() {
                        DataType::Utf8 => Value::from(column.as_string::<i32>().value(row)),
                        DataType::List(_) => {
                            let list = column.as_list::<i32>().value(row);
                            let strings = list.as_string::<i32>();
                            Value::from(
                                (0..strings.len())
                                    .map(|i| strings.value(i).to_string())
                                    .collect::<Vec<_>>(),
                            )
                        }
                        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => {
                            let micros = column.as_primitive::<TimestampMicrosecondType>().value(row);
                            let time = chrono::DateTime::from_timestamp_micros(micros).expect("time");
                            Value::from(time.format("%Y-%m-%d %H:%M:%S").to_string())
                        }
                        other => panic!("column {name} has type {other}"),
                    }
                };
                let empty_entities = matches!(name, "people" | "places" | "organizations")
                    && value.as_array().is_some_and(|a| a.is_empty());
                if !empty_entities {
                    object.insert(name.to_string(), value);
                }
            }
            rows.push(object);
        }
    }
    rows
}

fn urls(records: &[Map<String, Value>]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["url"].as_str().expect("url").to_string())
        .collect()
}

#[test]
fn parquet_holds_the_jsonl_records_with_typed_columns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    desk(dir);
    let want = jsonl(dir, &[]);
    assert_eq!(want.len(), 5, "four articles and one item without its page");

    let (batches, groups) = parquet(dir, "out/articles.parquet", &[]);
    assert_eq!(groups, 1);
    let got = rows(&batches);
    assert_eq!(got.len(), want.len(), "one row per JSONL line");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "the row of {} differs from its JSONL line", w["url"]);
    }

    // The types the README gives, and the columns in the JSONL's order.
    let schema = batches[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "url",
            "source_domain",
            "title",
            "title_rss",
            "description",
            "maintext",
            "authors",
            "date_publish",
            "date_modify",
            "date_download",
            "language",
            "image_url",
            "story_id",
            "tags",
            "people",
            "places",
            "organizations",
            "feed_url"
        ]
    );
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let strings = DataType::List(Arc::new(Field::new("item", DataType::Utf8, false)));
    for field in schema.fields() {
        let want = match field.name().as_str() {
            "date_publish" | "date_modify" | "date_download" => &utc,
            "authors" | "tags" | "people" | "places" | "organizations" => &strings,
            _ => &DataType::Utf8,
        };
        assert_eq!(field.data_type(), want, "type of {}", field.name());
    }

    // Nulls stay null: the item whose page is missing has no text, language, story or download date, and an
    // article without a modification date has none; an empty list is an empty list, not a null.
    let missing = got
        .iter()
        .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with("fehlt.html")))
        .expect("the item without its page");
    for column in [
        "maintext",
        "language",
        "story_id",
        "date_download",
        "date_modify",
        "image_url",
    ] {
        assert_eq!(missing[column], Value::Null, "{column}");
    }
    assert_eq!(missing["authors"], Value::Array(vec![]));
    let date_modify = batches[0].column_by_name("date_modify").expect("date_modify");
    let null_dates = want.iter().filter(|r| r["date_modify"].is_null()).count();
    assert!(null_dates > 0 && null_dates < want.len());
    assert_eq!(date_modify.null_count(), null_dates);
    let authors = batches[0].column_by_name("authors").expect("authors");
    assert_eq!(authors.null_count(), 0);

    // Values that readers filter and join on.
    let tidal = got
        .iter()
        .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with("tidal-plant.html")))
        .expect("tidal plant");
    assert_eq!(tidal["authors"], serde_json::json!(["Maria Jensen"]));
    assert_eq!(tidal["date_publish"], "2026-01-05 07:15:00");
    let plant_stories: Vec<&Value> = got
        .iter()
        .filter(|r| r["url"].as_str().is_some_and(|u| u.contains("tidal-")))
        .map(|r| &r["story_id"])
        .collect();
    assert_eq!(plant_stories.len(), 2);
    assert!(
        plant_stories[0].is_string() && plant_stories[0] == plant_stories[1],
        "one story"
    );

    // Written through a temporary file renamed over the target: nothing else is left beside it, and it is
    // readable by other users, as the JSONL export is.
    let left: Vec<String> = std::fs::read_dir(dir.join("out"))
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, ["articles.parquet"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("out/articles.parquet"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    // Small row groups: the same rows, split into as many groups as asked, and a second export replaces the
    // first whole.
    let (batches, groups) = parquet(dir, "out/articles.parquet", &["--row-group-size", "2"]);
    assert_eq!(groups, 3);
    assert_eq!(rows(&batches), got);
    let bad = newsdesk(dir, &["export", "parquet", "-o", "x.parquet", "--row-group-size", "0"]);
    assert!(!bad.status.success());
    assert!(!dir.join("x.parquet").exists());
}

#[test]
fn parquet_filters_pick_the_jsonl_records() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    desk(dir);
    let filters: &[(&[&str], usize)] = &[
        (&["--lang", "de"], 1),
        (&["--lang", "en"], 3),
        (&["--lang", "fr"], 0),
        (&["--outlet", "zeitung.example"], 2),
        (&["--outlet", "Example Wire"], 2),
        (&["--outlet", "beispiel zeitung", "--outlet", "wire.example"], 4),
        (&["--since", "2026-01-05"], 3),
        (&["--until", "2025-06-02"], 1),
        (&["--since", "2025-06-01", "--until", "2025-12-31"], 2),
        (&["--since", "2026-01-05T10:00:00Z", "--lang", "en"], 2),
    ];
    for (i, (args, count)) in filters.iter().enumerate() {
        let want = jsonl(dir, args);
        assert_eq!(want.len(), *count, "JSONL with {args:?}");
        let (batches, _) = parquet(dir, &format!("filtered-{i}.parquet"), args);
        let got = rows(&batches);
        assert_eq!(urls(&got), urls(&want), "Parquet with {args:?}");
        assert_eq!(got, want, "values with {args:?}");
    }
    // No record at all is still a file with the columns, which readers open.
    let (batches, groups) = parquet(dir, "none.parquet", &["--lang", "fr"]);
    assert_eq!((batches.len(), groups), (0, 0));
    let bad = newsdesk(dir, &["export", "parquet", "-o", "bad.parquet", "--until", "soon"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--until"));
    assert!(!dir.join("bad.parquet").exists());
}

#[test]
fn a_bad_output_path_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    desk(dir);
    let fails_naming = |target: &str| {
        let out = newsdesk(dir, &["export", "parquet", "-o", target]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "export to {target} succeeded");
        assert!(stderr.contains(target), "the error names {target}: {stderr}");
    };
    // A directory on the way that is a file.
    std::fs::write(dir.join("plain-file"), "x").expect("file");
    fails_naming("plain-file/articles.parquet");
    // The output is a directory: it is left as it was.
    std::fs::create_dir(dir.join("a-dir")).expect("dir");
    std::fs::write(dir.join("a-dir/keep"), "x").expect("file");
    fails_naming("a-dir");
    assert!(dir.join("a-dir/keep").exists());
    // A directory nobody may write in: /proc refuses new files even to root, whom permissions do not stop.
    #[cfg(target_os = "linux")]
    if Path::new("/proc/self").exists() {
        fails_naming("/proc/articles.parquet");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("locked");
        std::fs::create_dir(&locked).expect("dir");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        if std::fs::write(locked.join("probe"), "x").is_ok() {
            eprintln!("skipping the read-only directory: this user writes in it anyway (root)");
        } else {
            fails_naming("locked/articles.parquet");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    // A missing directory is created, as for the JSONL export.
    let out = newsdesk_ok(dir, &["export", "parquet", "-o", "new/dir/articles.parquet"]);
    assert!(out.contains("wrote 5 records"), "{out}");
}
