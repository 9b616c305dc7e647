//! `run`'s JSONL output, appended pass by pass: on the offline example it holds exactly what `export jsonl`
//! (the full export) writes, after the first pass, after a pass that adds an article (appended in place),
//! after one that changes a record already written (appended again, the earlier line superseded), after
//! changes that supersede more than a quarter of the file (rewritten), and after an append that was cut off.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;

/// The offline example in `dir`, its feeds polled on every pass.
fn example_desk(dir: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    copy_dir(&example.join("feeds"), &dir.join("feeds"));
    copy_dir(&example.join("pages"), &dir.join("pages"));
    let config = std::fs::read_to_string(example.join("newsdesk.toml")).expect("config");
    let config = format!("{config}\n[fetch]\nfeed_poll_default_secs = 0.001\nfeed_poll_floor_secs = 0.001\nfeed_poll_ceiling_secs = 0.001\n");
    std::fs::write(dir.join("newsdesk.toml"), config).expect("write config");
}

fn output(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("articles.jsonl")).expect("jsonl output")
}

fn inode(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("articles.jsonl"))
        .expect("jsonl output")
        .ino()
}

/// The last line of each `url`, sorted: the records a reader of the file takes as current.
fn latest_per_url(jsonl: &str) -> Vec<String> {
    let mut latest = std::collections::BTreeMap::new();
    for line in jsonl.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
        let url = record["url"].as_str().expect("a url").to_string();
        latest.insert(url, line.to_string());
    }
    latest.into_values().collect()
}

/// The output is byte for byte the full export.
fn assert_full_export(dir: &Path) {
    let full = newsdesk_ok(dir, &["export", "jsonl"]);
    assert_eq!(output(dir), full, "run's JSONL output is the full export");
}

#[test]
fn the_jsonl_output_is_the_full_export_pass_after_pass() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    example_desk(dir);
    newsdesk_ok(dir, &["run", "--once"]);
    assert_eq!(output(dir).lines().count(), 3);
    assert_full_export(dir);

    // Nothing new: the file is not touched.
    let first = output(dir);
    let file = inode(dir);
    newsdesk_ok(dir, &["run", "--once"]);
    assert_eq!(output(dir), first);
    assert_eq!(inode(dir), file, "no rewrite");

    // A new article: its line is appended to the same file.
    let page = article_page(
        "Harbour ferries return after the strike",
        "Ana Souza",
        "2026-01-06T09:00:00Z",
        &[
            "Ferries crossed the harbour again on Tuesday after a four-day strike by crews ended with a pay deal.",
            "The operator said timetables would be back to normal by the weekend, with extra sailings at rush hour.",
        ],
    );
    std::fs::write(dir.join("pages/ferries.html"), page).expect("page");
    let feed = dir.join("feeds/world.xml");
    let world = std::fs::read_to_string(&feed).expect("feed");
    let item = "<item>\n  <title>Harbour ferries return after the strike - Example Wire</title>\n  \
                <link>../pages/ferries.html</link>\n  <guid isPermaLink=\"false\">wire-2026-0003</guid>\n  \
                <pubDate>Tue, 06 Jan 2026 10:00:00 +0100</pubDate>\n  \
                <source url=\"https://wire.example\">Example Wire</source>\n</item>\n</channel>";
    std::fs::write(&feed, world.replace("</channel>", item)).expect("feed");
    newsdesk_ok(dir, &["run", "--once"]);
    let second = output(dir);
    assert_eq!(second.lines().count(), 4);
    assert!(second.starts_with(&first), "the earlier lines stay as they were");
    assert_eq!(inode(dir), file, "appended, not rewritten");
    assert_full_export(dir);

    // A record already written changes (the feed edits an item's title): its new version is appended to the
    // same file, the earlier lines stay, and the last line of each URL is the full export.
    let edit = |from: &str, to: &str| {
        let edited = std::fs::read_to_string(&feed).expect("feed").replace(from, to);
        std::fs::write(&feed, edited).expect("feed");
        newsdesk_ok(dir, &["run", "--once"]);
    };
    edit("Central bank holds rates steady", "Central bank keeps rates steady");
    let third = output(dir);
    assert_eq!(third.lines().count(), 5);
    assert!(third.starts_with(&second), "the earlier lines stay as they were");
    assert!(third
        .lines()
        .last()
        .is_some_and(|l| l.contains("Central bank keeps rates steady")));
    assert_eq!(inode(dir), file, "appended, not rewritten");
    assert_eq!(
        latest_per_url(&third),
        latest_per_url(&newsdesk_ok(dir, &["export", "jsonl"]))
    );

    // A second change makes superseded lines more than a quarter of the file: it is rewritten, each record
    // once, as the full export.
    edit("Coastal city opens", "Coastal town opens");
    assert_ne!(inode(dir), file, "rewritten");
    assert_eq!(output(dir).lines().count(), 4);
    assert!(output(dir).contains("Coastal town opens") && output(dir).contains("Central bank keeps rates steady"));
    assert_full_export(dir);

    // An append cut off by a kill (bytes the store never recorded) is cut back before the next lines.
    let whole = output(dir);
    let mut cut = whole.clone();
    cut.push_str("{\"url\":\"https://half.example/a");
    std::fs::write(dir.join("articles.jsonl"), cut).expect("cut");
    newsdesk_ok(dir, &["run", "--once"]);
    assert_eq!(output(dir), whole);
    assert_full_export(dir);

    // `export jsonl -o` over it writes the same records.
    newsdesk_ok(dir, &["export", "jsonl", "-o", "full.jsonl"]);
    assert_eq!(std::fs::read_to_string(dir.join("full.jsonl")).expect("export"), whole);
}
