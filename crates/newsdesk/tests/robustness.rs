//! What must never stop, hang or damage a desk: a page or article that hits a bug, a store that is gone or
//! emptied, a second `run` on the same store, outputs that cannot be written, feeds that all fail, and
//! settings that make no sense. Each case runs the real binary on a desk of local feeds and pages.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const TOPICS: [&str; 4] = [
    "Harbour bridge reopens after two years of repairs",
    "Copper price climbs to a record on supply fears",
    "Volcano on Iceland's Reykjanes peninsula erupts again",
    "City council approves the new tram line to the airport",
];

/// A desk with one local RSS feed of `n` items, each linking to a local page; returns the config's text
/// settings for `[pipeline]`, written with the rest.
fn local_desk(dir: &Path, n: usize, pipeline: &str) {
    std::fs::create_dir_all(dir.join("pages")).expect("pages dir");
    let mut items = String::new();
    for i in 0..n {
        let title = format!("{} ({i})", TOPICS[i % TOPICS.len()]);
        let page = article_page(
            &title,
            "Ana Lima",
            "2026-01-05T08:00:00Z",
            &[
                &format!("{title}: the first paragraph explains what happened, where and when it happened."),
                "Officials said the work would continue through the spring, and residents welcomed the news.",
                "A second paragraph adds the background that readers need to follow the story further.",
            ],
        );
        std::fs::write(dir.join(format!("pages/p{i}.html")), page).expect("page");
        items.push_str(&format!(
            "<item><title>{title}</title><link>pages/p{i}.html</link><guid>item-{i}</guid>\
             <pubDate>Mon, 05 Jan 2026 08:{:02}:00 +0000</pubDate><description>Summary {i}</description></item>",
            i % 60
        ));
    }
    std::fs::write(
        dir.join("feed.xml"),
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>{items}</channel></rss>"),
    )
    .expect("feed");
    let text = format!(
        "[store]\npath = \"desk.db\"\n\n[output]\nhugo_dir = \"site\"\njsonl = \"articles.jsonl\"\n\n\
         [pipeline]\n{pipeline}\n\n[[feeds]]\nurl = \"feed.xml\"\n"
    );
    std::fs::write(dir.join("newsdesk.toml"), text).expect("config");
}

fn run_once(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "--once", "-q"];
    args.extend_from_slice(extra);
    newsdesk(dir, &args)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|s| s.lines().count()).unwrap_or(0)
}

fn status_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&newsdesk_ok(dir, &["status", "--json", "--errors", "50"])).expect("status json")
}

/// A page that panics the extractor (the 43-byte page that once panicked the date parser), and a bug forced
/// in extraction and in enrichment: each fails its own item only; the others are stored and published, and
/// `status` names the failed items.
#[test]
fn a_panic_on_one_item_fails_that_item_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 6, "max_attempts = 2");
    std::fs::write(
        dir.join("pages/p0.html"),
        "<meta property=publish content=\"2024-徠-8\">",
    )
    .expect("page");
    let out = Command::new(bin())
        .args(["run", "--once", "-q"])
        .current_dir(dir)
        .env("NEWSDESK_FAILPOINTS", "extract=pages/p1.html,enrich=pages/p2.html")
        .output()
        .expect("run");
    assert!(out.status.success(), "per-item errors are not fatal: {}", stderr(&out));
    let status = status_json(dir);
    let errors = status["recent_errors"].as_array().cloned().unwrap_or_default();
    let error_of = |page: &str| {
        errors
            .iter()
            .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with(page)))
            .and_then(|e| e["error"].as_str().map(str::to_string))
    };
    let extract_error = error_of("pages/p1.html").expect("p1 failed");
    assert!(
        extract_error.contains("internal error while extracting"),
        "{extract_error}"
    );
    let enrich_error = error_of("pages/p2.html").expect("p2 failed");
    assert!(enrich_error.contains("internal error while tagging"), "{enrich_error}");
    // The page that once panicked the date parser either extracts or fails its own item.
    let stored = if error_of("pages/p0.html").is_some() { 4 } else { 5 };
    assert_eq!(
        status["articles"], stored,
        "every page but those that failed is stored: {status}"
    );
    // Every item is published: the failed ones with what the feed gave, as their attempts are spent.
    assert_eq!(posts(dir).len(), 6);
    assert_eq!(lines(&dir.join("articles.jsonl")), 6);
    // A second pass does not meet the bugs again: the failures were permanent.
    let again = Command::new(bin())
        .args(["run", "--once"])
        .current_dir(dir)
        .env("NEWSDESK_FAILPOINTS", "extract=pages/p1.html,enrich=pages/p2.html")
        .output()
        .expect("run");
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 item errors"));
}

/// An emptied or deleted store is never taken for a new desk that would publish over the outputs.
#[test]
fn a_lost_store_does_not_wipe_the_outputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 5, "");
    let first = run_once(dir, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let jsonl = dir.join("articles.jsonl");
    assert_eq!(lines(&jsonl), 5);
    let before = std::fs::read(&jsonl).expect("jsonl");

    // `: > desk.db`
    std::fs::write(dir.join("desk.db"), b"").expect("truncate");
    let out = run_once(dir, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is empty"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&jsonl).expect("jsonl"), before, "the export is untouched");

    std::fs::remove_file(dir.join("desk.db")).expect("rm");
    let out = run_once(dir, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is missing"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("articles.jsonl"),
        "names the output: {}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&jsonl).expect("jsonl"), before);
    assert_eq!(posts(dir).len(), 5);

    // A store with fewer articles than the export (another desk's store) does not shrink it either.
    let other = tempfile::tempdir().expect("tempdir");
    local_desk(other.path(), 2, "");
    assert!(run_once(other.path(), &[]).status.success());
    std::fs::copy(other.path().join("desk.db"), dir.join("desk.db")).expect("copy store");
    let out = run_once(dir, &["--no-poll"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("holds 5 records but the store only 2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&jsonl).expect("jsonl"), before);

    // Said on purpose, a new desk starts.
    std::fs::remove_file(dir.join("desk.db")).expect("rm");
    let out = run_once(dir, &["--new-store"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&jsonl), 5);
}

/// A second `run` on a store that a running one holds is refused with the holder named; once the holder is
/// killed (SIGKILL: no clean-up runs), the store is free again.
#[test]
fn a_second_run_on_one_store_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 2, "");
    let mut first = Command::new(bin())
        .args(["run", "--interval", "3600", "-q"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn run");
    let lock = dir.join("desk.db.lock");
    let started = Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|s| s.contains("pid")) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = newsdesk(dir, &["run", "--once"]);
    eprintln!("DEBUG {}", String::from_utf8_lossy(&second.stdout));
    assert!(!second.status.success());
    let message = stderr(&second);
    assert!(message.contains("in use by another process"), "{message}");
    assert!(message.contains(&format!("pid {}", first.id())), "{message}");
    first.kill().expect("kill");
    first.wait().expect("wait");
    let third = run_once(dir, &[]);
    assert!(third.status.success(), "{}", stderr(&third));
}

/// Posts that cannot be written, and a pass where every feed fails, exit non-zero with the reason.
#[test]
fn failed_outputs_and_failed_feeds_fail_the_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    // The same desk run elsewhere gives the names of the posts; here a folder stands at each of those names,
    // so that no post can be written.
    let probe = tempfile::tempdir().expect("tempdir");
    local_desk(probe.path(), 3, "");
    assert!(run_once(probe.path(), &[]).status.success());
    local_desk(dir, 3, "");
    for name in posts(probe.path()).keys() {
        std::fs::create_dir_all(dir.join("site/content/posts").join(name).join("occupied")).expect("folder");
    }
    let out = run_once(dir, &[]);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        stderr(&out).contains("3 posts could not be written"),
        "{}",
        stderr(&out)
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 1, "");
    std::fs::remove_file(dir.join("feed.xml")).expect("rm feed");
    let out = run_once(dir, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("all 1 feeds polled failed"), "{}", stderr(&out));
}

/// A store that another writer keeps locked stops `run` non-zero with one line naming SQLite's "database is
/// locked", however far the pass got: here the test takes the write lock (a transaction held open) while
/// the run waits for its pages, and holds it for longer than the store's 30 s busy timeout, so that storing
/// the articles fails. Nothing is published; once the other writer is gone the same run goes through.
#[test]
fn a_store_locked_by_another_writer_fails_the_run() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let site = topic_site(&rt, 3, Duration::from_secs(2), "Locked store");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write_config(dir, &site.feeds, &site.base, "");
    // Time enough for the pages' latency, which is the test's window to take the lock.
    let config = std::fs::read_to_string(dir.join("newsdesk.toml")).expect("config");
    std::fs::write(
        dir.join("newsdesk.toml"),
        config
            .replace("read_idle_timeout_secs = 0.5", "read_idle_timeout_secs = 10.0")
            .replace("timeout_secs = 5.0", "timeout_secs = 10.0"),
    )
    .expect("config");
    let mut run = Command::new(bin())
        .args(["run", "--once", "-q"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn run");
    let started = Instant::now();
    while !site.server.hits().iter().any(|h| h.path.starts_with("/pub/")) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run never asked for a page"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let store_path = dir.join("desk.db");
    let holder = std::thread::spawn(move || {
        let store = newsdesk::store::SqliteStore::open(&store_path).expect("open the store");
        // `batch` holds BEGIN IMMEDIATE (SQLite's write lock) until its closure returns: here until the
        // run has ended, or two minutes at most (a run that waits that long hangs, and the test says so).
        store.batch(|| {
            let _ = locked_tx.send(());
            let _ = release_rx.recv_timeout(Duration::from_secs(120));
            Ok(())
        })
    });
    locked_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the test took the write lock");
    let out = loop {
        if run.try_wait().expect("wait").is_some() {
            break run.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(110) {
            let _ = run.kill();
            let _ = release_tx.send(());
            panic!("run hangs on a locked store");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = release_tx.send(());
    holder
        .join()
        .expect("the lock holder panicked")
        .expect("the held transaction");

    let message = stderr(&out);
    assert!(!out.status.success(), "a locked store fails the run: {message}");
    let said: Vec<&str> = message.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(said.len(), 1, "one line says why: {message}");
    assert!(
        said[0].starts_with("newsdesk: ") && said[0].contains("database is locked"),
        "{message}"
    );
    assert!(posts(dir).is_empty(), "nothing was published");
    let again = run_once(dir, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(posts(dir).len(), 3);
    assert_eq!(lines(&dir.join("articles.jsonl")), 3);
}

/// Without fetching, every item is carried through in one pass, however many batches that takes.
#[test]
fn feed_only_desk_publishes_every_batch_in_one_pass() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 11, "fetch_articles = false\nbatch_size = 2");
    let out = run_once(dir, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(posts(dir).len(), 11);
    assert_eq!(lines(&dir.join("articles.jsonl")), 11);
}

/// A config without feeds follows none (no silent Google News default), and `run` says so.
#[test]
fn a_config_without_feeds_follows_none() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::write(dir.join("newsdesk.toml"), "[store]\npath = \"desk.db\"\n").expect("config");
    let out = run_once(dir, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no feeds to follow"), "{}", stderr(&out));
    let feeds = newsdesk_ok(dir, &["feeds", "list", "--json"]);
    assert!(!feeds.contains("news.google.com"), "{feeds}");
}

/// Settings that make no sense are refused when the config is loaded, by any command, naming the key.
#[test]
fn bad_settings_are_refused_with_their_key() {
    let cases = [
        ("[pipeline]\nmax_attempts = 0\n", "max_attempts"),
        ("[fetch]\ntimeout_secs = -1.0\n", "timeout_secs"),
        ("[fetch]\nhost_min_interval_secs = nan\n", "host_min_interval_secs"),
        ("[fetch]\nfeed_poll_default_secs = inf\n", "feed_poll_default_secs"),
        (
            "[fetch]\nfeed_poll_floor_secs = 7200.0\nfeed_poll_ceiling_secs = 60.0\n",
            "feed_poll_floor_secs",
        ),
    ];
    for (settings, key) in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        std::fs::write(
            dir.join("newsdesk.toml"),
            format!("[store]\npath = \"desk.db\"\n{settings}"),
        )
        .expect("config");
        for command in [&["status"][..], &["search", "x"][..], &["run", "--once"][..]] {
            let out = newsdesk(dir, command);
            assert!(!out.status.success(), "{settings} accepted by {command:?}");
            assert!(
                stderr(&out).contains(key),
                "{command:?} with {settings}: {}",
                stderr(&out)
            );
        }
    }
}

/// A store that cannot grow (the disk is full: here the process may not write files past a size, which makes
/// SQLite's writes fail as on a full disk) stops the run with the store's error, non-zero and promptly, and
/// leaves the store and the outputs as they were.
#[test]
fn a_full_disk_stops_the_run_and_keeps_the_store() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 4, "");
    assert!(run_once(dir, &[]).status.success());
    let items_before = status_json(dir)["items_by_stage"].clone();
    let jsonl_before = std::fs::read(dir.join("articles.jsonl")).expect("jsonl");
    // A second feed whose items need far more room than is left.
    let big: String = (0..300)
        .map(|i| {
            format!(
                "<item><title>Long item {i}</title><link>https://big.invalid/{i}</link><guid>big-{i}</guid>\
                 <description>{}</description></item>",
                "words of a long summary ".repeat(120)
            )
        })
        .collect();
    std::fs::write(
        dir.join("big.xml"),
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>{big}</channel></rss>"),
    )
    .expect("big feed");
    let config = std::fs::read_to_string(dir.join("newsdesk.toml")).expect("config");
    std::fs::write(
        dir.join("newsdesk.toml"),
        format!("{config}\n[[feeds]]\nurl = \"big.xml\"\n"),
    )
    .expect("config");
    let store_size = std::fs::metadata(dir.join("desk.db")).expect("store").len();
    let limit = store_size + 64 * 1024;
    let mut command = Command::new(bin());
    command
        .args(["run", "--once", "-q"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            // Writing past the limit fails with an error instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command.spawn().expect("spawn run");
    let out = wait_within(child, Duration::from_secs(120)).expect("run hangs on a full disk");
    assert!(!out.status.success(), "a full disk fails the run");
    let message = stderr(&out);
    assert!(
        message.contains("disk") || message.contains("full"),
        "the store's error is shown: {message}"
    );
    assert_eq!(
        status_json(dir)["items_by_stage"],
        items_before,
        "the store is as it was"
    );
    assert_eq!(std::fs::read(dir.join("articles.jsonl")).expect("jsonl"), jsonl_before);
}

/// Feeds from outside the config (an OPML file, `feeds add`) are http(s) only: a local feed could pull any
/// file of the disk into the outputs.
#[test]
fn imported_feeds_are_http_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::write(dir.join("newsdesk.toml"), "[store]\npath = \"desk.db\"\n").expect("config");
    std::fs::write(
        dir.join("subs.opml"),
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>
<outline type="rss" text="local" xmlUrl="file:///etc/passwd"/>
<outline type="rss" text="web" xmlUrl="https://news.example/feed.xml"/>
</body></opml>"#,
    )
    .expect("opml");
    let out = newsdesk(dir, &["feeds", "import", "subs.opml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("local file"), "{}", stderr(&out));
    let feeds = newsdesk_ok(dir, &["feeds", "list", "--json"]);
    assert!(feeds.contains("https://news.example/feed.xml"), "{feeds}");
    assert!(!feeds.contains("file://"), "{feeds}");
    let add = newsdesk(dir, &["feeds", "add", "file:///etc/hostname"]);
    assert!(!add.status.success());
}

/// A local feed file is read under `max_body_bytes` like a fetched one; the other feeds go on.
#[test]
fn a_huge_local_feed_is_refused_by_size() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 2, "");
    std::fs::write(dir.join("huge.xml"), vec![b' '; 300_000]).expect("huge");
    let config = std::fs::read_to_string(dir.join("newsdesk.toml")).expect("config");
    std::fs::write(
        dir.join("newsdesk.toml"),
        config.replace("[pipeline]\n", "[fetch]\nmax_body_bytes = 200000\n\n[pipeline]\n")
            + "\n[[feeds]]\nurl = \"huge.xml\"\n",
    )
    .expect("config");
    let out = run_once(dir, &[]);
    assert!(out.status.success(), "one feed of two failed: {}", stderr(&out));
    assert_eq!(posts(dir).len(), 2);
    let feeds = newsdesk_ok(dir, &["feeds", "list", "--json"]);
    assert!(feeds.contains("larger than max_body_bytes (200000 bytes)"), "{feeds}");
}

/// Items that share a guid but not their link are different entries: each gets its post.
#[test]
fn items_sharing_a_guid_are_kept_apart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 3, "fetch_articles = false");
    let feed = std::fs::read_to_string(dir.join("feed.xml")).expect("feed");
    std::fs::write(
        dir.join("feed.xml"),
        feed.replace("<guid>item-1</guid>", "<guid>item-0</guid>"),
    )
    .expect("feed");
    let out = run_once(dir, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(posts(dir).len(), 3);
}

/// A post's file name follows its title: when the feed retitles an item, the next run renames its post, and
/// the item keeps exactly one post file (the old name is gone), while the other items keep theirs.
#[test]
fn a_retitled_item_keeps_one_post_under_its_new_name() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    local_desk(dir, 3, "fetch_articles = false");
    let first = run_once(dir, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = posts(dir);
    assert_eq!(before.len(), 3);
    let old_name = before
        .iter()
        .find(|(_, text)| text.contains("Copper price climbs"))
        .map(|(name, _)| name.clone())
        .expect("the post of item 1");
    assert!(old_name.contains("copper-price"), "{old_name}");

    let feed = std::fs::read_to_string(dir.join("feed.xml")).expect("feed");
    let retitled = feed.replace(
        "Copper price climbs to a record on supply fears (1)",
        "Nickel miners strike over pay in Sudbury (1)",
    );
    assert_ne!(retitled, feed);
    std::fs::write(dir.join("feed.xml"), &retitled).expect("feed");
    // The feed is not due again for a while: its new version is taken in as if it had just been polled.
    let listed = newsdesk_ok(dir, &["feeds", "list", "--json"]);
    let feed: serde_json::Value =
        serde_json::from_str(listed.lines().next().unwrap_or_default()).expect("feeds list --json");
    let url = feed["url"].as_str().expect("the feed's url");
    newsdesk_ok(dir, &["feeds", "ingest", "--url", url, "feed.xml"]);
    let second = run_once(dir, &[]);
    assert!(second.status.success(), "{}", stderr(&second));

    let after = posts(dir);
    assert_eq!(after.len(), 3, "one post per item: {:?}", after.keys());
    assert!(
        !after.contains_key(&old_name),
        "the old name is gone: {:?}",
        after.keys()
    );
    let renamed: Vec<&String> = after
        .iter()
        .filter(|(_, text)| text.contains("Nickel miners strike"))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(renamed.len(), 1, "{:?}", after.keys());
    assert!(renamed[0].contains("nickel-miners"), "{}", renamed[0]);
    assert!(
        after.values().all(|text| !text.contains("Copper price climbs")),
        "no post keeps the old title"
    );
    // The items whose title stayed keep their files as they were.
    for (name, text) in &before {
        if *name != old_name {
            assert_eq!(after.get(name), Some(text), "{name}");
        }
    }
}

/// `extract --url` fetches with the pipeline's fetcher: private addresses are refused unless the config
/// allows them, and `max_body_bytes` holds, with an error that says so.
#[tokio::test(flavor = "multi_thread")]
async fn extract_url_uses_the_fetch_settings() {
    use common::server::{Reply, TestServer};
    let page = article_page(
        "Harbour bridge reopens",
        "Ana Lima",
        "2026-01-05T08:00:00Z",
        &["The harbour bridge reopened on Monday after two years of repairs, officials said in a statement."],
    );
    let big = format!("<html><body><p>{}</p></body></html>", "word ".repeat(100_000));
    let server = TestServer::start(move |hit, _| match hit.path.as_str() {
        "/page" => Reply::ok("text/html; charset=utf-8", page.clone()),
        "/big" => Reply::ok("text/html; charset=utf-8", big.clone()),
        _ => Reply::status(404),
    })
    .await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_path_buf();
    let (page_url, big_url) = (server.url("/page"), server.url("/big"));
    let refused = tokio::task::spawn_blocking({
        let (dir, url) = (dir.clone(), page_url.clone());
        move || newsdesk(&dir, &["extract", "--url", &url])
    })
    .await
    .expect("run");
    assert!(!refused.status.success(), "loopback is refused by default");
    assert!(
        stderr(&refused).contains("allow_private_networks"),
        "{}",
        stderr(&refused)
    );

    std::fs::write(
        dir.join("newsdesk.toml"),
        "[fetch]\nallow_private_networks = true\nrespect_robots = false\nmax_body_bytes = 100000\n",
    )
    .expect("config");
    let fetched = tokio::task::spawn_blocking({
        let (dir, url) = (dir.clone(), page_url);
        move || newsdesk(&dir, &["extract", "--url", &url])
    })
    .await
    .expect("run");
    assert!(fetched.status.success(), "{}", stderr(&fetched));
    assert!(String::from_utf8_lossy(&fetched.stdout).contains("two years of repairs"));
    let too_big = tokio::task::spawn_blocking(move || newsdesk(&dir, &["extract", "--url", &big_url]))
        .await
        .expect("run");
    assert!(!too_big.status.success());
    assert!(
        stderr(&too_big).contains("100000"),
        "the limit is named: {}",
        stderr(&too_big)
    );
}
