//! Crash safety: `newsdesk run` killed with SIGKILL at random moments, then run to the end, leaves exactly the
//! store and the posts an uninterrupted run leaves: no item lost, none published twice, no half-written file.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{Reply, TestServer};
use common::*;
use serde_json::Value;

const ITEMS: usize = 40;

const SUBJECTS: [&str; 20] = [
    "harbour bridge repairs",
    "wildfire near Lisbon",
    "Nobel prize in chemistry",
    "Tokyo marathon results",
    "copper price surge",
    "Mars rover landing",
    "Berlin rent freeze",
    "cholera outbreak in Yemen",
    "Airbus delivery delays",
    "Amazon rainforest fires",
    "chess world championship",
    "Sydney ferry strike",
    "measles vaccination drive",
    "Iceland volcano eruption",
    "Kenyan election recount",
    "Toronto subway expansion",
    "Arctic sea ice record",
    "Swiss franc rally",
    "Venice flood barrier",
    "Quebec maple syrup reserve",
];

fn topic(n: usize) -> String {
    // Pairs of items share a story so that clustering is exercised too.
    SUBJECTS[(n / 2) % SUBJECTS.len()].to_string()
}

/// The state that must not depend on crashes: posts, and the JSONL export without download times.
fn snapshot(dir: &std::path::Path) -> (std::collections::BTreeMap<String, String>, Vec<Value>) {
    let jsonl = newsdesk_ok(dir, &["export", "jsonl"]);
    let mut records: Vec<Value> = jsonl
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("json line");
            v.as_object_mut().map(|o| o.remove("date_download"));
            v
        })
        .collect();
    records.sort_by_key(|v| v["url"].as_str().unwrap_or_default().to_string());
    (posts(dir), records)
}

fn seed_rand() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(7)
}

#[test]
fn killed_runs_resume_to_the_same_result() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let feed_cell: std::sync::Arc<std::sync::OnceLock<String>> = Default::default();
    let cell = feed_cell.clone();
    let server = rt.block_on(TestServer::start(move |hit, _| {
        let path = hit.path.split('?').next().unwrap_or_default();
        if path == "/feed.xml" {
            return Reply::ok("application/rss+xml", cell.get().cloned().unwrap_or_default());
        }
        match path.strip_prefix("/pub/").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => {
                let t = topic(n);
                let paras: Vec<String> = (0..5)
                    .map(|i| format!("{t}, update {i} from report {n}: {t} remained the main concern of residents, and officials promised news on the {t} soon."))
                    .collect();
                let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
                Reply::ok("text/html", article_page(&format!("Article {n}: {t}"), "Sam Reporter", "2026-01-07T09:00:00Z", &refs))
            }
            None => Reply::status(404),
        }
    }));
    let base = format!("http://{}", server.addr);
    let items: Vec<String> = (0..ITEMS)
        .map(|n| {
            gnews_item(
                &format!("Article {n}: {}", topic(n)),
                "Harbour Post",
                &format!("{base}/pub/{n}"),
                &format!("item-{n}"),
                "Wed, 07 Jan 2026 10:32:00 GMT",
            )
        })
        .collect();
    feed_cell.set(rss("Crash test", &items)).expect("once");
    let feeds = vec![format!("{base}/feed.xml")];

    // The reference: one uninterrupted run.
    let reference = tempfile::tempdir().expect("tempdir");
    write_config(reference.path(), &feeds, &base, "global_concurrency = 2");
    let started = Instant::now();
    newsdesk_ok(reference.path(), &["run", "--once"]);
    let full_run = started.elapsed();
    let want = snapshot(reference.path());
    assert_eq!(want.0.len(), ITEMS, "every item gets a post");

    // The same desk, killed at random points until a run finishes.
    let crashed = tempfile::tempdir().expect("tempdir");
    write_config(crashed.path(), &feeds, &base, "global_concurrency = 2");
    let mut rand = seed_rand();
    let mut kills = 0;
    for _ in 0..30 {
        rand = rand.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((rand >> 33) % (full_run.as_micros() as u64).max(1));
        let mut child = Command::new(bin())
            .args(["run", "--once"])
            .current_dir(crashed.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("wait").is_some();
        if !finished {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = child.wait();
        if kills >= 8 {
            break;
        }
    }
    newsdesk_ok(crashed.path(), &["run", "--once"]);
    let got = snapshot(crashed.path());
    eprintln!("killed {kills} runs (full run takes {full_run:?})");
    // No temporary file is left behind in the posts directory.
    for name in got.0.keys() {
        assert!(name.ends_with(".md") && !name.starts_with('.'), "stray file {name}");
    }
    assert_eq!(got.0.keys().collect::<Vec<_>>(), want.0.keys().collect::<Vec<_>>());
    for (name, post) in &want.0 {
        assert_eq!(got.0.get(name), Some(post), "post {name} differs after crashes");
    }
    for (g, w) in got.1.iter().zip(&want.1) {
        assert_eq!(g, w, "stored article differs after crashes");
    }
    assert_eq!(got.1.len(), want.1.len());
    // The JSONL output that the killed runs appended to holds the full export's lines, each once, none cut.
    for desk in [reference.path(), crashed.path()] {
        let sorted = |text: &str| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let output = std::fs::read_to_string(desk.join("articles.jsonl")).expect("jsonl output");
        assert!(output.ends_with('\n'), "the output ends with a whole line");
        let full = newsdesk_ok(desk, &["export", "jsonl"]);
        assert_eq!(sorted(&output), sorted(&full), "the JSONL output is the full export");
    }
}
