//! A desk on PostgreSQL: the same input gives the same posts and JSONL as on the embedded SQLite file, search
//! and status work on it, and a second `run` on the same database is refused while one runs. The server is
//! named by NEWSDESK_TEST_POSTGRES (required in CI through NEWSDESK_POSTGRES_TEST=require).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

use newsdesk::store::testing::TestDatabase as Database;

/// The offline example in `dir`, its store at `url` when given.
fn example_desk(dir: &Path, url: Option<&str>) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    copy_dir(&example.join("feeds"), &dir.join("feeds"));
    copy_dir(&example.join("pages"), &dir.join("pages"));
    let mut config = std::fs::read_to_string(example.join("newsdesk.toml")).expect("config");
    if let Some(url) = url {
        config = config.replace("[store]\n", &format!("[store]\nurl = \"{url}\"\n"));
    }
    std::fs::write(dir.join("newsdesk.toml"), config).expect("write config");
}

fn records(dir: &Path) -> Vec<Value> {
    jsonl_records(&std::fs::read_to_string(dir.join("articles.jsonl")).expect("jsonl"))
}

#[test]
fn a_desk_on_postgres_publishes_what_sqlite_does() {
    let Some(db) = Database::create("same") else { return };
    // One folder, run once on SQLite and once on PostgreSQL, so that everything derived from paths agrees.
    let tmp = tempfile::tempdir().expect("tempdir");
    let desk = tmp.path();
    example_desk(desk, None);
    newsdesk_ok(desk, &["run", "--once"]);
    let (sqlite_posts, sqlite_records) = (posts(desk), records(desk));
    assert_eq!(sqlite_posts.len(), 3);
    for output in ["site", "articles.jsonl", "newsdesk.db", "newsdesk.db.lock"] {
        let path = desk.join(output);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).expect("remove");
        } else if path.exists() {
            std::fs::remove_file(&path).expect("remove");
        }
    }
    example_desk(desk, Some(&db.url));
    let out = newsdesk_ok(desk, &["run", "--once"]);
    assert!(out.contains("3 extracted"), "{out}");
    assert!(!desk.join("newsdesk.db").exists(), "no SQLite file is made");
    assert_eq!(posts(desk), sqlite_posts, "the same posts, byte for byte");
    assert_eq!(records(desk), sqlite_records, "the same JSONL records");
    let on_postgres = tmp;

    let found = newsdesk_ok(on_postgres.path(), &["search", "tidal power", "--json"]);
    assert!(found.contains("tidal"), "{found}");
    let status: Value = serde_json::from_str(&newsdesk_ok(on_postgres.path(), &["status", "--json"])).expect("status");
    assert_eq!(status["articles"], 3);
    // A second pass changes nothing.
    let again = newsdesk_ok(on_postgres.path(), &["run", "--once"]);
    assert!(again.contains("0 new items"), "{again}");
    assert_eq!(posts(on_postgres.path()), sqlite_posts);
}

#[test]
fn a_second_run_on_one_database_is_refused() {
    let Some(db) = Database::create("lock") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    example_desk(dir.path(), Some(&db.url));
    // Another desk folder on the same database, as on another machine.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    example_desk(elsewhere.path(), Some(&db.url));
    let mut first = Command::new(bin())
        .args(["run", "--interval", "3600", "-q"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn run");
    // Wait until the first run holds the lock (it names itself in the database once it does).
    let started = Instant::now();
    let store = newsdesk::store::open(&newsdesk::store::Location::Postgres(db.url.clone())).expect("open");
    let holder = format!("pid {}", first.id());
    loop {
        let named = store
            .get_state("lock:run")
            .ok()
            .flatten()
            .is_some_and(|v| v.contains(&holder));
        if named {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = newsdesk(elsewhere.path(), &["run", "--once", "-q"]);
    assert!(!second.status.success());
    let refused = String::from_utf8_lossy(&second.stderr).to_string();
    assert!(refused.contains("in use by another process"), "{refused}");
    assert!(refused.contains(&format!("pid {}", first.id())), "{refused}");
    first.kill().expect("kill");
    first.wait().expect("wait");
    let after = newsdesk(elsewhere.path(), &["run", "--once", "-q"]);
    assert!(
        after.status.success(),
        "the lock went with the killed run: {}",
        String::from_utf8_lossy(&after.stderr)
    );
}

/// `migrate --to` copies an SQLite desk into PostgreSQL with every table checked; run twice, it writes
/// nothing; the desk then runs on PostgreSQL as it did, publishing nothing again.
#[test]
fn migrate_copies_a_desk_into_postgres_once() {
    let Some(db) = Database::create("migrate") else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let desk = tmp.path();
    example_desk(desk, None);
    newsdesk_ok(desk, &["run", "--once"]);
    let before = posts(desk);
    let first = newsdesk_ok(desk, &["migrate", "--to", &db.url]);
    for table in ["feeds", "items", "articles", "stories", "publications"] {
        let line = first
            .lines()
            .find(|l| l.starts_with(table))
            .unwrap_or_else(|| panic!("{table}: {first}"));
        assert!(line.contains("checksum equal"), "{line}");
    }
    assert!(
        first.lines().any(|l| l.starts_with("items") && l.contains(" 3 rows")),
        "{first}"
    );
    let second = newsdesk_ok(desk, &["migrate", "--to", &db.url]);
    for line in second.lines().filter(|l| l.contains("rows,")) {
        assert!(line.contains(" 0 written"), "a second copy writes nothing: {line}");
    }
    example_desk(desk, Some(&db.url));
    std::fs::remove_file(desk.join("newsdesk.db")).expect("the SQLite file is no longer needed");
    let status: Value = serde_json::from_str(&newsdesk_ok(desk, &["status", "--json"])).expect("status");
    assert_eq!(status["articles"], 3);
    assert_eq!(status["published"], before.len() as i64);
    let again = newsdesk_ok(desk, &["run", "--once", "--no-poll"]);
    assert!(
        again.contains("0 posts written"),
        "what was published is known: {again}"
    );
    assert_eq!(posts(desk), before);
    // New rows get ids after the copied ones.
    let added = newsdesk_ok(desk, &["feeds", "add", "https://news.example/feed.xml"]);
    assert!(added.contains("added feed 3"), "{added}");
}
