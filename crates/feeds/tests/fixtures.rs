//! Runs every fixture under `tests/fixtures/cases/` (a document plus `<name>.expect.json`) through the
//! parser, with and without the repair layer, and compares the fields the expectations name.
//!
//! `cargo test -p newsdesk-feeds --test fixtures -- --nocapture` prints how many cases each mode gets right.

use std::path::{Path, PathBuf};

use newsdesk_feeds::{parse_with, Item, ParseOptions, ParsedFeed};
use serde_json::Value;

struct Case {
    name: String,
    document: PathBuf,
    expect: Value,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".expect.json"))
        else {
            continue;
        };
        let document = ["xml", "json"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no document for fixture {name}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let expect = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push(Case {
            name: name.to_string(),
            document,
            expect,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn run(case: &Case, strict: bool) -> Result<ParsedFeed, String> {
    let bytes = std::fs::read(&case.document).map_err(|e| e.to_string())?;
    let options = ParseOptions {
        url: case.expect.get("url").and_then(Value::as_str),
        content_type: case.expect.get("content_type").and_then(Value::as_str),
        strict,
    };
    parse_with(&bytes, &options).map_err(|e| e.to_string())
}

fn item_field(item: &Item, key: &str) -> Value {
    let opt = |o: &Option<String>| o.clone().map_or(Value::Null, Value::String);
    match key {
        "title" => Value::String(item.title.clone()),
        "link" => opt(&item.link),
        "id" => Value::String(item.id.clone()),
        "summary" => opt(&item.summary),
        "content" => opt(&item.content),
        "image" => opt(&item.image),
        "authors" => serde_json::json!(item.authors),
        "categories" => serde_json::json!(item.categories),
        "published" => item.published.map_or(Value::Null, |d| Value::String(d.to_rfc3339())),
        other => panic!("unknown expectation key {other}"),
    }
}

/// Every mismatch between the parse and the expectations, as readable lines.
fn mismatches(case: &Case, parsed: &ParsedFeed) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: String, got: Value, want: &Value| {
        if &got != want {
            out.push(format!("{what}: got {got}, want {want}"));
        }
    };
    if let Some(feed) = case.expect.get("feed").and_then(Value::as_object) {
        for (key, want) in feed {
            let got = match key.as_str() {
                "title" => Value::String(parsed.meta.title.clone()),
                "link" => parsed.meta.link.clone().map_or(Value::Null, Value::String),
                "language" => parsed.meta.language.clone().map_or(Value::Null, Value::String),
                "id" => parsed.meta.id.clone().map_or(Value::Null, Value::String),
                "authors" => serde_json::json!(parsed.meta.authors),
                "image" => parsed.meta.image.clone().map_or(Value::Null, Value::String),
                other => panic!("unknown feed expectation key {other}"),
            };
            check(format!("feed.{key}"), got, want);
        }
    }
    let items = case
        .expect
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    check(
        "item count".into(),
        Value::from(parsed.items.len()),
        &Value::from(items.len()),
    );
    for (i, (want, got)) in items.iter().zip(&parsed.items).enumerate() {
        for (key, want) in want.as_object().into_iter().flatten() {
            check(format!("items[{i}].{key}"), item_field(got, key), want);
        }
    }
    // Each expected note is a part of some repair note.
    for want in case
        .expect
        .get("repairs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let want = want.as_str().unwrap_or_default();
        if !parsed.repairs.iter().any(|r| r.contains(want)) {
            out.push(format!("repairs: no note with {want:?} in {:?}", parsed.repairs));
        }
    }
    out
}

#[test]
fn every_fixture_parses_as_expected_with_repairs() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "expected the fixture set, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut strict_ok = 0;
    for case in &cases {
        match run(case, false) {
            Ok(parsed) => {
                let m = mismatches(case, &parsed);
                if !m.is_empty() {
                    failures.push(format!("{}:\n  {}", case.name, m.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
        if run(case, true).is_ok_and(|p| mismatches(case, &p).is_empty()) {
            strict_ok += 1;
        }
    }
    let total = cases.len();
    println!(
        "fixture cases right: with repairs {}/{total}, strict (no repair layer) {strict_ok}/{total}",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn strict_mode_refuses_a_bare_ampersand_that_repair_mode_accepts() {
    let doc = b"<rss><channel><title>Q&A</title><item><title>x</title></item></channel></rss>";
    let strict = ParseOptions {
        strict: true,
        ..Default::default()
    };
    assert!(parse_with(doc, &strict).is_err());
    let parsed = parse_with(doc, &ParseOptions::default()).expect("repaired");
    assert_eq!(parsed.meta.title, "Q&A");
    assert_eq!(parsed.repairs, vec!["bare '&' kept as text".to_string()]);
}
