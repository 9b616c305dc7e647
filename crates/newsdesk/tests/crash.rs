//! Crash safety: `newsdesk run` killed with SIGKILL at random moments, then run to the end, leaves exactly the
//! store and the posts an uninterrupted run leaves: no item lost, none published twice, no half-written file.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const ITEMS: usize = 40;

/// The state that must not depend on crashes: posts, and the JSONL export without download times.
fn snapshot(dir: &std::path::Path) -> (std::collections::BTreeMap<String, String>, Vec<Value>) {
    (posts(dir), jsonl_records(&newsdesk_ok(dir, &["export", "jsonl"])))
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
    let site = topic_site(&rt, ITEMS, Duration::ZERO, "Crash test");
    let (base, feeds) = (site.base.clone(), site.feeds.clone());

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
