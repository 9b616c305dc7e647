//! Shared helpers of the integration tests: run the real binary in a temporary desk, write configs, build
//! article pages and Google News-shaped feeds. The loopback HTTP server is the fetch crate's test server.

#![allow(dead_code)]

#[path = "../../../fetch/tests/common/mod.rs"]
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use base64::Engine;

pub const SEED_FEED_URL: &str =
    "https://news.google.com/rss/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB?hl=en-US&gl=US&ceid=US:en";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsdesk")
}

/// Run `newsdesk ARGS` in `dir`; panics with its output when it fails and `ok` is asked.
/// The output of `child` if it ends within `limit`; otherwise it is killed, and `None` says it hung.
pub fn wait_within(mut child: Child, limit: std::time::Duration) -> Option<Output> {
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output"));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub fn newsdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NEWSDESK_CONFIG")
        .output()
        .expect("run newsdesk")
}

pub fn newsdesk_ok(dir: &Path, args: &[&str]) -> String {
    let out = newsdesk(dir, args);
    assert!(
        out.status.success(),
        "newsdesk {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The shared seeds, when this checkout sits next to them.
pub fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.join("google-news-world.rss").exists() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/seeds is not present next to the repository");
        None
    }
}

/// A test config: local feeds, fast and permissive fetching against the loopback server.
pub fn write_config(dir: &Path, feeds: &[String], gnews_base: &str, extra_fetch: &str) {
    let feeds: String = feeds.iter().map(|f| format!("\n[[feeds]]\nurl = \"{f}\"\n")).collect();
    let text = format!(
        r#"[store]
path = "desk.db"

[output]
hugo_dir = "site"
hugo_style = "full"
jsonl = "articles.jsonl"

[pipeline]
retry_after_secs = 3600
max_attempts = 3

[fetch]
allow_private_networks = true
connect_timeout_secs = 2.0
timeout_secs = 5.0
read_idle_timeout_secs = 0.5
max_body_bytes = 2000000
max_attempts = 3
retry_base_delay_secs = 0.01
retry_max_wait_secs = 2.0
host_min_interval_secs = 0.0
respect_robots = true
gnews_base_url = "{gnews_base}"
{extra_fetch}
{feeds}"#
    );
    std::fs::write(dir.join("newsdesk.toml"), text).expect("write config");
}

/// A publisher page with the usual clutter around the article.
pub fn article_page(title: &str, author: &str, published: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Publisher</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Publisher">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}","datePublished":"{published}","author":{{"@type":"Person","name":"{author}"}}}}</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-consent">We use cookies. <button>OK</button></div>
<article><h1>{title}</h1><p class="byline">By {author}</p>
{body}</article>
<aside class="related"><h3>Most read</h3><ul><li><a href="/1">Unrelated headline one</a></li><li><a href="/2">Unrelated headline two</a></li></ul></aside>
<footer>Copyright Publisher. All rights reserved.</footer></body></html>"#
    )
}

/// A Google News token: base64url of a protobuf whose field 4 holds `payload`.
fn token_for(payload: &str) -> String {
    let mut bytes = vec![0x08, 0x13, 0x22];
    let mut len = payload.len();
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            bytes.push(byte);
            break;
        }
        bytes.push(byte | 0x80);
    }
    bytes.extend_from_slice(payload.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A Google News article link in the older form that decodes offline (the token carries the publisher URL).
pub fn offline_token_link(publisher_url: &str) -> String {
    format!("https://news.google.com/rss/articles/{}?oc=5", token_for(publisher_url))
}

/// A Google News article link in the current form (`AU_yqL…` payload), which only the online exchange
/// resolves; returns the link and its token.
pub fn online_token_link(n: usize) -> (String, String) {
    let token = token_for(&format!("AU_yqLtest-article-{n:04}"));
    (format!("https://news.google.com/rss/articles/{token}?oc=5"), token)
}

/// One RSS item shaped like Google News'.
pub fn gnews_item(title: &str, outlet: &str, link: &str, guid: &str, date: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let desc = format!(
        "&lt;a href=\"{link}\" target=\"_blank\"&gt;{}&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color=\"#6f6f6f\"&gt;{}&lt;/font&gt;",
        esc(&esc(title)),
        esc(&esc(outlet))
    );
    format!(
        "<item><title>{} - {}</title><link>{}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>{date}</pubDate>\
         <description>{desc}</description><source url=\"https://{}.example\">{}</source></item>",
        esc(title),
        esc(outlet),
        esc(link),
        outlet.to_lowercase().replace(' ', ""),
        esc(outlet)
    )
}

pub fn rss(title: &str, items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://news.google.com/</link><description>test</description>{}</channel></rss>",
        items.concat()
    )
}

/// Every post under `site/content/posts`, by file name.
pub fn posts(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let posts = dir.join("site/content/posts");
    let mut out = std::collections::BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(&posts) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            out.insert(name, std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    out
}

/// Copy the folder `from` (an example desk, say) into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read example dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy example file");
        }
    }
}

/// Subjects of the items of [`topic_site`].
pub const SUBJECTS: [&str; 20] = [
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

/// The subject of item `n`: pairs of items share one, so that story clustering is exercised.
pub fn topic(n: usize) -> &'static str {
    SUBJECTS[(n / 2) % SUBJECTS.len()]
}

/// A publisher on loopback and its Google News-style feed: `/feed.xml` (titled `title`) has `items` items
/// linking to `/pub/N`, each an article page about [`topic`]`(N)`, answered after `latency`.
pub struct TopicSite {
    pub server: server::TestServer,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The feed's URL, as a config's feed list.
    pub feeds: Vec<String>,
}

pub fn topic_site(rt: &tokio::runtime::Runtime, items: usize, latency: std::time::Duration, title: &str) -> TopicSite {
    use server::{Reply, TestServer};
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
                let page = Reply::ok(
                    "text/html",
                    article_page(&format!("Article {n}: {t}"), "Sam Reporter", "2026-01-07T09:00:00Z", &refs),
                );
                if latency.is_zero() {
                    page
                } else {
                    Reply::Delayed(latency, Box::new(page))
                }
            }
            None => Reply::status(404),
        }
    }));
    let base = format!("http://{}", server.addr);
    let entries: Vec<String> = (0..items)
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
    let _ = feed_cell.set(rss(title, &entries));
    let feeds = vec![format!("{base}/feed.xml")];
    TopicSite { server, base, feeds }
}

/// JSON Lines records without their download times (which differ from run to run), sorted by URL: lines
/// follow the order in which articles were stored or finished, and concurrent fetches finish in any order.
pub fn jsonl_records(text: &str) -> Vec<serde_json::Value> {
    let mut records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v.as_object_mut().map(|o| o.remove("date_download"));
            v
        })
        .collect();
    records.sort_by_key(|v| v["url"].as_str().unwrap_or_default().to_string());
    records
}
