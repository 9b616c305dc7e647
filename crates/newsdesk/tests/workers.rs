//! Several `newsdesk worker` processes over one PostgreSQL store and a loopback publisher: every item ends
//! published exactly once and the outputs equal a single-process SQLite run of the same input, also when
//! workers are killed with SIGKILL mid-run (their leases expire and the others finish their items); the
//! publisher never sees two requests closer than the configured interval, whichever worker sent them.
//! The server is named by NEWSDESK_TEST_POSTGRES (required in CI through NEWSDESK_POSTGRES_TEST=require).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

use newsdesk::store::testing::TestDatabase as Database;

const ITEMS: usize = 24;
/// The interval between two requests to one host, in seconds.
const INTERVAL: f64 = 0.15;
/// What the publisher takes to answer a page.
const LATENCY: Duration = Duration::from_millis(100);

fn desk(dir: &Path, feeds: &[String], base: &str, store_url: Option<&str>) {
    write_config(dir, feeds, base, "global_concurrency = 4");
    let path = dir.join("newsdesk.toml");
    let mut config = std::fs::read_to_string(&path).expect("config").replace(
        "host_min_interval_secs = 0.0",
        &format!("host_min_interval_secs = {INTERVAL}"),
    );
    // Small batches and short leases, so that work spreads over the workers and a killed one's items come
    // back within seconds.
    config = config.replace("[pipeline]\n", "[pipeline]\nbatch_size = 4\nlease_secs = 3\n");
    if let Some(url) = store_url {
        config = config.replace("path = \"desk.db\"", &format!("url = \"{url}\""));
    }
    std::fs::write(&path, config).expect("write config");
}

/// Story ids and headlines name a story after whichever of its articles was clustered first, which depends
/// on which worker fetched first: each story is named here by the smallest of its members instead.
fn by_story_members(posts: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let story_of = |post: &str| {
        post.lines()
            .find_map(|l| l.strip_prefix("story_id: "))
            .unwrap_or_default()
            .to_string()
    };
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, post) in &posts {
        members.entry(story_of(post)).or_default().insert(name.clone());
    }
    posts
        .iter()
        .map(|(name, post)| {
            let id = story_of(post);
            let label = members[&id].iter().next().cloned().unwrap_or_default();
            let text: Vec<String> = post
                .lines()
                .filter(|l| !l.starts_with("story_headline: "))
                .map(|l| {
                    if id.is_empty() {
                        l.to_string()
                    } else {
                        l.replace(&id, &label)
                    }
                })
                .collect();
            (name.clone(), text.join("\n"))
        })
        .collect()
}

/// The JSONL records ([`jsonl_records`]), stories named by their smallest member URL.
fn records(dir: &Path) -> Vec<Value> {
    let mut records = jsonl_records(&std::fs::read_to_string(dir.join("articles.jsonl")).expect("jsonl"));
    let mut first_member: BTreeMap<String, String> = BTreeMap::new();
    for r in &records {
        let (story, url) = (
            r["story_id"].as_str().unwrap_or_default(),
            r["url"].as_str().unwrap_or_default(),
        );
        let entry = first_member.entry(story.to_string()).or_insert_with(|| url.to_string());
        if url < entry.as_str() {
            *entry = url.to_string();
        }
    }
    for r in &mut records {
        let story = r["story_id"].as_str().unwrap_or_default().to_string();
        if let Some(label) = first_member.get(&story) {
            r["story_id"] = Value::String(label.clone());
        }
    }
    records
}

fn spawn_worker(dir: &Path, roles: &str) -> Child {
    Command::new(bin())
        .args(["worker", "--interval", "1", "--roles", roles])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn worker")
}

fn status(dir: &Path) -> Value {
    serde_json::from_str(&newsdesk_ok(dir, &["status", "--json"])).expect("status json")
}

fn ready_items(status: &Value) -> i64 {
    status["items_by_stage"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|pair| pair[0] == "ready")
        .and_then(|pair| pair[1].as_i64())
        .unwrap_or(0)
}

#[test]
fn killed_workers_leave_the_result_of_one_process() {
    let Some(db) = Database::create("workers") else { return };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let site = topic_site(&rt, ITEMS, LATENCY, "Workers test");
    let (server, base, feeds) = (&site.server, site.base.clone(), site.feeds.clone());

    // The reference: one process on SQLite.
    let reference = tempfile::tempdir().expect("tempdir");
    desk(reference.path(), &feeds, &base, None);
    newsdesk_ok(reference.path(), &["run", "--once"]);
    let want_posts = by_story_members(posts(reference.path()));
    let want_records = records(reference.path());
    assert_eq!(want_posts.len(), ITEMS, "every item gets a post");
    let reference_hits = server.hits().len();

    // Three workers on PostgreSQL; one of them is killed and started again, three times.
    let shared = tempfile::tempdir().expect("tempdir");
    desk(shared.path(), &feeds, &base, Some(&db.url));
    let started = Instant::now();
    let mut workers = vec![
        spawn_worker(shared.path(), "poll,resolve,fetch,enrich,publish"),
        spawn_worker(shared.path(), "poll,resolve,fetch,enrich,publish"),
        spawn_worker(shared.path(), "resolve,fetch,enrich,publish"),
    ];
    let mut kills = 0;
    let mut seen_workers = 0;
    let done = loop {
        std::thread::sleep(Duration::from_millis(700));
        let s = status(shared.path());
        seen_workers = seen_workers.max(s["workers"].as_array().map_or(0, Vec::len));
        let finished = s["published"].as_i64() == Some(ITEMS as i64)
            && ready_items(&s) == ITEMS as i64
            && std::fs::read_to_string(shared.path().join("articles.jsonl")).is_ok_and(|j| j.lines().count() == ITEMS);
        if finished {
            break true;
        }
        // Kill the worker that has been running longest (it may hold the story or publish role) while
        // work remains, then start a fresh one in its place.
        if kills < 3 && ready_items(&s) < ITEMS as i64 && started.elapsed() > Duration::from_millis(1500 * (kills + 1))
        {
            let mut victim = workers.remove(0);
            victim.kill().expect("SIGKILL");
            let _ = victim.wait();
            kills += 1;
            workers.push(spawn_worker(shared.path(), "poll,resolve,fetch,enrich,publish"));
        }
        if started.elapsed() > Duration::from_secs(150) {
            break false;
        }
    };
    let final_status = status(shared.path());
    for mut w in workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert!(
        done,
        "the workers did not finish in time ({kills} killed): {final_status:#}"
    );
    eprintln!("{kills} workers killed; finished in {:?}", started.elapsed());
    assert!(seen_workers >= 2, "status lists the live workers: {final_status:#}");
    assert_eq!(final_status["articles"], ITEMS as i64, "no article stored twice");

    let got_posts = by_story_members(posts(shared.path()));
    assert_eq!(
        got_posts.keys().collect::<Vec<_>>(),
        want_posts.keys().collect::<Vec<_>>()
    );
    for (name, post) in &want_posts {
        assert_eq!(
            got_posts.get(name),
            Some(post),
            "post {name} differs from the single-process run"
        );
    }
    assert_eq!(records(shared.path()), want_records, "the same JSONL records");

    // robots.txt is the workers' shared copy: one request for all of them, killed ones and new ones alike.
    let robots_requests = server
        .hits()
        .iter()
        .skip(reference_hits)
        .filter(|h| h.path == "/robots.txt")
        .count();
    assert_eq!(robots_requests, 1, "one robots.txt request for every worker");

    // Politeness across processes: every request to the publisher's host, from any worker, at least the
    // interval after the one before (a few milliseconds of timer and loopback jitter allowed).
    let mut times: Vec<Instant> = server
        .hits()
        .iter()
        .skip(reference_hits)
        .map(|h| h.at.into_std())
        .collect();
    times.sort();
    let min_gap = Duration::from_secs_f64(INTERVAL) - Duration::from_millis(15);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= min_gap,
            "two requests to one host {gap:?} apart (interval {INTERVAL} s)"
        );
    }
}

/// Pages that take longer than a lease to answer: the worker fetching them renews its leases meanwhile, so
/// the other worker never claims them too, and every page is requested once.
#[test]
fn items_slower_than_a_lease_stay_with_the_worker_fetching_them() {
    let Some(db) = Database::create("renewal") else { return };
    const SLOW_ITEMS: usize = 6;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let site = topic_site(&rt, SLOW_ITEMS, Duration::from_millis(3_000), "Slow pages");
    let dir = tempfile::tempdir().expect("tempdir");
    desk(dir.path(), &site.feeds, &site.base, Some(&db.url));
    let path = dir.path().join("newsdesk.toml");
    let config = std::fs::read_to_string(&path).expect("config");
    assert!(config.contains("lease_secs = 3\n"), "{config}");
    assert!(config.contains("read_idle_timeout_secs = 0.5\n"), "{config}");
    let config = config
        .replace("lease_secs = 3\n", "lease_secs = 2\n")
        .replace("read_idle_timeout_secs = 0.5\n", "read_idle_timeout_secs = 8.0\n")
        .replace("timeout_secs = 5.0\n", "timeout_secs = 8.0\n");
    std::fs::write(&path, config).expect("config");
    let mut workers = vec![
        spawn_worker(dir.path(), "poll,resolve,fetch,enrich,publish"),
        spawn_worker(dir.path(), "poll,resolve,fetch,enrich,publish"),
    ];
    let started = Instant::now();
    let done = loop {
        std::thread::sleep(Duration::from_millis(500));
        if ready_items(&status(dir.path())) == SLOW_ITEMS as i64 {
            break true;
        }
        if started.elapsed() > Duration::from_secs(120) {
            break false;
        }
    };
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert!(done, "the workers did not finish: {:#}", status(dir.path()));
    let mut requests: BTreeMap<String, usize> = BTreeMap::new();
    for hit in site.server.hits() {
        if hit.path.starts_with("/pub/") {
            *requests.entry(hit.path.clone()).or_default() += 1;
        }
    }
    assert_eq!(requests.len(), SLOW_ITEMS, "{requests:?}");
    assert!(
        requests.values().all(|&n| n == 1),
        "a page was fetched by two workers: {requests:?}"
    );
}

#[test]
fn a_second_process_on_one_sqlite_store_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    copy_dir(&example.join("feeds"), &dir.path().join("feeds"));
    copy_dir(&example.join("pages"), &dir.path().join("pages"));
    std::fs::copy(example.join("newsdesk.toml"), dir.path().join("newsdesk.toml")).expect("config");
    let mut first = spawn_worker(dir.path(), "poll,resolve,fetch,enrich,publish");
    let started = Instant::now();
    // The worker names itself in the lock file once it holds it.
    let lock = dir.path().join("newsdesk.db.lock");
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("pid {}", first.id()))) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the worker never took the store"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for args in [&["worker", "--once"][..], &["run", "--once"][..]] {
        let second = newsdesk(dir.path(), args);
        let refused = String::from_utf8_lossy(&second.stderr).to_string();
        assert!(!second.status.success(), "{args:?} ran beside a worker");
        assert!(refused.contains("in use by another process"), "{refused}");
        assert!(
            refused.contains(&format!("newsdesk worker, pid {}", first.id())),
            "{refused}"
        );
        assert!(
            refused.contains("PostgreSQL"),
            "the message says how to share the work: {refused}"
        );
    }
    first.kill().expect("kill");
    first.wait().expect("wait");
    // The lock goes with the process, however it ends.
    newsdesk_ok(dir.path(), &["worker", "--once"]);
}
