//! `newsdesk bench`: the whole pipeline end to end against generated feeds and pages served from loopback,
//! with politeness relaxed, reporting articles per second and peak memory.
//!
//! The server runs in the same process, on a thread of its own whose CPU time is measured apart, so that the
//! figures are the pipeline's against remote servers that answer instantly. With real pages (`--pages`) the
//! items are Google News items, as a desk's are: most links decode offline, one in four needs the batch
//! exchange, which the same server answers as Google News would.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::config::{Config, FeedConfig, HugoStyle};
use crate::pipeline::run::{Pipeline, RunSummary};

/// Items per generated feed document.
pub const ITEMS_PER_FEED: usize = 500;

/// What one bench run measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub articles: usize,
    pub elapsed: Duration,
    pub peak_rss_kib: Option<u64>,
    /// Peak of the memory SQLite itself allocated (page cache, statements), in bytes.
    pub sqlite_peak_bytes: i64,
    /// Resident memory sampled every quarter second: (seconds since the start, KiB).
    pub rss_samples: Vec<(f64, u64)>,
    pub summary: RunSummary,
    /// CPU time (user and system) of the whole process over the run, the loopback server's included.
    pub cpu: Duration,
    /// CPU time of the loopback server's thread over the run.
    pub server_cpu: Duration,
    /// CPU time of each stage of the pipeline ([`crate::pipeline::cpu`]); the rest of `cpu`, less the server's,
    /// is the runtime, the HTTP client's connection tasks and what no stage claims.
    pub parts: Vec<(crate::pipeline::cpu::Part, Duration)>,
    /// Bytes of the SQLite store (database and write-ahead log) after the run; None on PostgreSQL.
    pub store_bytes: Option<u64>,
    /// Bytes of the pages the loopback server holds in memory (they count in the peak RSS).
    pub served_bytes: u64,
}

impl BenchReport {
    pub fn per_second(&self) -> f64 {
        self.articles as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// CPU time of the pipeline (the process's, less the loopback server's).
    pub fn pipeline_cpu(&self) -> Duration {
        self.cpu.saturating_sub(self.server_cpu)
    }

    /// The pipeline's CPU time that no stage claims.
    pub fn unclaimed_cpu(&self) -> Duration {
        let claimed: Duration = self.parts.iter().map(|(_, d)| *d).sum();
        self.pipeline_cpu().saturating_sub(claimed)
    }
}

/// Articles per generated story: real stories have a handful of articles each, not thousands.
const STORY_SIZE: usize = 5;

/// A made-up proper name for story `k` (e.g. "Valmora"), so that stories differ by their names the way real
/// ones differ by people and places.
fn story_name(k: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "va", "lo", "mir", "ten", "ka", "do", "rus", "bel", "an", "ze", "pol", "ri", "sa", "nok", "te", "gu",
    ];
    let mut x = k.wrapping_mul(2654435761) ^ 0x5bd1e995;
    let mut name = String::new();
    for _ in 0..3 {
        name.push_str(SYLLABLES[x % SYLLABLES.len()]);
        x /= SYLLABLES.len();
    }
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or(name)
}

/// The headline subject of item `n`: its story's name and words of its own, like a real event.
fn subject(n: usize) -> String {
    let k = n / STORY_SIZE;
    format!("{} {} {}", story_name(k), word(k * 7 + 1), word(k * 7 + 2))
}

/// Size of the vocabulary body text is drawn from, and where it starts among the seeds (story names use
/// the seeds below it).
const VOCABULARY: usize = 20_000;
const VOCABULARY_BASE: usize = 1 << 40;

/// A made-up word from a seed, for body text that differs between stories the way real text does.
fn word(seed: usize) -> String {
    const SYLLABLES: [&str; 40] = [
        "ma", "ter", "in", "gol", "se", "ra", "vin", "to", "lek", "bu", "os", "fen", "di", "car", "ne", "pla", "mu",
        "zor", "ex", "qua", "bri", "sto", "hal", "pem", "rud", "fli", "jon", "wex", "tav", "kru", "nis", "pol", "dre",
        "gam", "sul", "vor", "yen", "cle", "hob", "mip",
    ];
    let mut x = seed.wrapping_mul(0x9E3779B97F4A7C15usize) >> 5;
    let mut w = String::new();
    for _ in 0..3 + x % 2 {
        w.push_str(SYLLABLES[x % SYLLABLES.len()]);
        x /= SYLLABLES.len();
    }
    w
}

/// A realistic article page (about 6 KB of HTML, 600 words) for item `n`: the story's subject and name in every
/// paragraph, the rest words of its own.
pub fn page_html(n: usize, published: &str) -> String {
    let subject = subject(n);
    let mut body = String::new();
    for p in 0..8 {
        // The lead carries the story's own facts (words shared by its five articles, new with each story, like
        // names and places); the rest is drawn from a fixed vocabulary, as real text is. A vocabulary growing
        // with every article would measure the clusterer's document-frequency table, not the pipeline.
        let k = n / STORY_SIZE;
        let words: Vec<String> = (0..60)
            .map(|i| match p {
                0 => word(k * 1000 + i),
                _ => word(VOCABULARY_BASE + (n * 1000 + p * 100 + i) * 7919 % VOCABULARY),
            })
            .collect();
        body.push_str(&format!("<p>The {subject}: {}.</p>\n", words.join(" ")));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {n} on the {subject}</title>\
         <meta property=\"og:site_name\" content=\"Bench Times\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Report {n} on the {subject}\",\
         \"datePublished\":\"{published}\",\"author\":{{\"@type\":\"Person\",\"name\":\"Bench Writer\"}}}}</script>\
         </head><body><nav><a href=\"/\">Home</a><a href=\"/world\">World</a><a href=\"/business\">Business</a></nav>\
         <article><h1>Report {n} on the {subject}</h1><p class=\"byline\">By Bench Writer</p>{body}</article>\
         <aside class=\"related\"><a href=\"/x\">Other story one</a><a href=\"/y\">Other story two</a></aside>\
         <footer>Copyright Bench Times</footer></body></html>"
    )
}

/// Item `n` is published one minute after item `n - 1`.
fn published(n: usize) -> chrono::DateTime<chrono::FixedOffset> {
    let base = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default();
    base + chrono::Duration::minutes(n as i64)
}

/// Outlets the pages are spread over: 127.0.0.1 to 127.0.0.HOSTS, one port. Politeness allows one request at a
/// time per host, so a single host would measure loopback latency rather than the pipeline.
pub const HOSTS: usize = 8;

/// The base URL of the outlet serving item `n`.
fn outlet(n: usize, port: u16) -> String {
    format!("http://127.0.0.{}:{port}", 1 + n % HOSTS)
}

/// Feed document `k`: items `k*ITEMS_PER_FEED ..` (fewer in the last one), one minute apart.
pub fn feed_xml(k: usize, total: usize, port: u16) -> String {
    let start = k * ITEMS_PER_FEED;
    let end = (start + ITEMS_PER_FEED).min(total);
    let mut items = String::new();
    for n in start..end {
        let date = published(n).to_rfc2822();
        let subject = subject(n);
        let base = outlet(n, port);
        items.push_str(&format!(
            "<item><title>Report {n} on the {subject} - Bench Times</title><link>{base}/page/{n}</link>\
             <guid>bench-{n}</guid><pubDate>{date}</pubDate><description>Summary of report {n}.</description></item>"
        ));
    }
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench {k}</title>{items}</channel></rss>")
}

/// Real article pages to serve instead of generated ones (`bench --pages DIR`): page `n` is page
/// `n % len`, under a URL of its own.
#[derive(Debug, Default)]
pub struct PageSet {
    /// Each page split where it names its own canonical URL, so that every copy is served naming its own
    /// URL instead: a desk stores one article per canonical URL, and copies naming one URL would be one
    /// article, not the many distinct articles a real desk stores.
    pub pages: Vec<Vec<Vec<u8>>>,
    /// The headline of each page (the dataset's `truth.jsonl` title when it has one), for its feed item.
    pub titles: Vec<String>,
}

pub type RealPages = std::sync::Arc<PageSet>;

impl PageSet {
    /// Page `n`: its page's bytes, its canonical URL replaced by `url`.
    fn page(&self, n: usize, url: &str) -> Option<Vec<u8>> {
        let parts = self.pages.get(n % self.pages.len().max(1))?;
        Some(parts.join(url.as_bytes()))
    }

    /// Bytes of the pages as held in memory.
    pub fn bytes(&self) -> u64 {
        self.pages.iter().flatten().map(|p| p.len() as u64).sum()
    }

    fn title(&self, n: usize) -> String {
        self.titles
            .get(n % self.titles.len().max(1))
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| format!("Report {n}"))
    }
}

/// The publisher page behind Google News id `AU_yqLbench-<n>`.
const ONLINE_ID_PREFIX: &str = "AU_yqLbench-";

/// The item number an online token stands for.
fn online_item(token: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let (_, rest) = text.split_once(ONLINE_ID_PREFIX)?;
    // The number ends where the protobuf's next field begins.
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether item `n` needs the batch exchange: one in four, as a desk's mix of older and newer links.
fn needs_exchange(n: usize) -> bool {
    n % 4 == 3
}

/// The Google News link of item `n`.
fn gnews_link(n: usize, port: u16) -> String {
    let payload = if needs_exchange(n) {
        format!("{ONLINE_ID_PREFIX}{n}")
    } else {
        format!("{}/page/{n}", outlet(n, port))
    };
    format!(
        "https://news.google.com/rss/articles/{}?oc=5",
        newsdesk_feeds::gnews::encode_article_token(&payload)
    )
}

fn outlet_name(n: usize) -> String {
    format!("Bench Outlet {}", 1 + n % HOSTS)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Feed document `k` of Google News items over real pages: the headline and outlet in the title, the
/// description's link list (with two more articles of the story on every third item) and `<source>`.
pub fn gnews_feed_xml(k: usize, total: usize, port: u16, pages: &PageSet) -> String {
    let start = k * ITEMS_PER_FEED;
    let end = (start + ITEMS_PER_FEED).min(total);
    let mut items = String::new();
    for n in start..end {
        let date = published(n).to_rfc2822();
        let headline = pages.title(n);
        let entry = |m: usize| {
            format!(
                "<a href=\"{}\" target=\"_blank\">{}</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">{}</font>",
                gnews_link(m, port),
                escape(&pages.title(m)),
                outlet_name(m)
            )
        };
        // The coverage an item lists is its own story's: other copies of its page (real pages repeat every
        // `len` items). Neighbouring items are other stories, and listing them would chain every story into one.
        let len = pages.pages.len().max(1);
        let description = if n % 3 == 0 {
            let list: String = [n, n + len, n + 2 * len]
                .iter()
                .map(|&m| format!("<li>{}</li>", entry(m)))
                .collect();
            format!("<ol>{list}</ol>")
        } else {
            entry(n)
        };
        items.push_str(&format!(
            "<item><title>{} - {}</title><link>{}</link><guid isPermaLink=\"false\">bench-{n}</guid>\
             <pubDate>{date}</pubDate><description>{}</description><source url=\"{}\">{}</source></item>",
            escape(&headline),
            outlet_name(n),
            escape(&gnews_link(n, port)),
            escape(&description),
            outlet(n, port),
            outlet_name(n)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench {k} - Google News</title>\
         <link>https://news.google.com/</link>{items}</channel></rss>"
    )
}

/// The pages of a dataset folder (`DIR/pages/*.html.gz`, as in the shared WCXB dev set), decompressed once so
/// that serving them costs the bench nothing but the copy.
pub fn load_pages(dir: &Path) -> anyhow::Result<RealPages> {
    use std::io::Read;
    let folder = dir.join("pages");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    names.sort();
    // `0001` for `0001.html.gz`: the page's id in the dataset's truth file.
    let ids: Vec<String> = names
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            name.strip_suffix(".html.gz").unwrap_or(&name).to_string()
        })
        .collect();
    let mut pages = Vec::with_capacity(names.len());
    for path in names {
        let file = std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut html)
            .with_context(|| format!("cannot decompress {}", path.display()))?;
        pages.push(split_at_canonical(html));
    }
    anyhow::ensure!(!pages.is_empty(), "no pages/*.html.gz in {}", dir.display());
    let titles = dataset_titles(dir, &ids)?;
    Ok(std::sync::Arc::new(PageSet { pages, titles }))
}

/// `html` split where it names the canonical URL the extractor reads from it (none: one part).
fn split_at_canonical(html: Vec<u8>) -> Vec<Vec<u8>> {
    let canonical = newsdesk_extract::extract(&html, &newsdesk_extract::Options::default()).url;
    let Some(needle) = canonical.filter(|u| !u.is_empty()).map(String::into_bytes) else {
        return vec![html];
    };
    let mut parts = Vec::new();
    let mut rest = html.as_slice();
    while let Some(at) = rest
        .windows(needle.len())
        .position(|w| w[0] == needle[0] && w == needle.as_slice())
    {
        parts.push(rest[..at].to_vec());
        rest = &rest[at + needle.len()..];
    }
    parts.push(rest.to_vec());
    parts
}

/// The titles of `truth.jsonl` for page ids `ids`, empty where the dataset has none (or no truth file).
fn dataset_titles(dir: &Path, ids: &[String]) -> anyhow::Result<Vec<String>> {
    let path = dir.join("truth.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(vec![String::new(); ids.len()]);
    };
    let mut by_id = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{} line {}: not JSON", path.display(), i + 1))?;
        if let (Some(id), Some(title)) = (v["id"].as_str(), v["title"].as_str()) {
            by_id.insert(id.to_string(), title.to_string());
        }
    }
    Ok(ids
        .iter()
        .map(|id| by_id.get(id).cloned().unwrap_or_default())
        .collect())
}

/// Serve feeds and pages on 127.0.0.1..=127.0.0.HOSTS (one port) with HTTP/1.1 keep-alive; returns the port.
pub async fn serve(total: usize) -> anyhow::Result<u16> {
    serve_pages(total, None).await
}

/// [`serve`], with real pages in place of the generated ones when given.
pub async fn serve_pages(total: usize, real: Option<RealPages>) -> anyhow::Result<u16> {
    serve_with_latency(total, real, Duration::ZERO).await
}

/// [`serve_pages`], each answer held back by `latency` (a publisher far away, or slow), so that the work is
/// bound by waiting on publishers as real crawling is.
pub async fn serve_with_latency(total: usize, real: Option<RealPages>, latency: Duration) -> anyhow::Result<u16> {
    let first = TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the bench server")?;
    let port = first.local_addr()?.port();
    let mut listeners = vec![first];
    for h in 2..=HOSTS {
        let addr = format!("127.0.0.{h}:{port}");
        listeners.push(
            TcpListener::bind(&addr)
                .await
                .with_context(|| format!("binding the bench server on {addr}"))?,
        );
    }
    for listener in listeners {
        let real = real.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let real = real.clone();
                tokio::spawn(async move {
                    let _ = serve_connection(stream, port, total, real, latency).await;
                });
            }
        });
    }
    Ok(port)
}

async fn serve_connection(
    stream: TcpStream,
    port: u16,
    total: usize,
    real: Option<RealPages>,
    latency: Duration,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).await? == 0 {
                return Ok(());
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
            if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body).await?;
        let path = request_line.split_whitespace().nth(1).unwrap_or("/");
        let (status, content_type, payload) = route(path, &body, port, total, real.as_deref());
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        );
        // One write per response: two small writes would meet Nagle's algorithm and the client's delayed ACK.
        let mut response = head.into_bytes();
        response.extend_from_slice(&payload);
        reader.get_mut().write_all(&response).await?;
    }
}

fn route(
    target: &str,
    body: &[u8],
    port: u16,
    total: usize,
    real: Option<&PageSet>,
) -> (&'static str, &'static str, Vec<u8>) {
    let path = target.split('?').next().unwrap_or(target);
    let number = |prefix: &str, suffix: &str| path.strip_prefix(prefix)?.strip_suffix(suffix)?.parse::<usize>().ok();
    if let Some(k) = number("/feed/", ".xml") {
        let feed = match real {
            Some(pages) => gnews_feed_xml(k, total, port, pages),
            None => feed_xml(k, total, port),
        };
        return ("200 OK", "application/rss+xml", feed.into_bytes());
    }
    if let Some(n) = number("/page/", "") {
        // The real pages declare their own charset, as they did where they were saved.
        if let Some(page) = real.and_then(|pages| pages.page(n, &format!("{}/page/{n}", outlet(n, port)))) {
            return ("200 OK", "text/html", page);
        }
        let page = page_html(n, &published(n).to_rfc3339());
        return ("200 OK", "text/html; charset=utf-8", page.into_bytes());
    }
    // Google News's side of the exchange: the article page with the id's signature, then the batch that
    // trades signed ids for publisher URLs.
    if let Some(token) = path.strip_prefix("/rss/articles/") {
        let page = format!(
            "<html><body><c-wiz><div jscontroller=\"x\" data-n-a-id=\"{token}\" data-n-a-ts=\"1700000000\" \
             data-n-a-sg=\"sig-{token}\"></div></c-wiz></body></html>"
        );
        return ("200 OK", "text/html; charset=utf-8", page.into_bytes());
    }
    if path == "/_/DotsSplashUi/data/batchexecute" {
        return (
            "200 OK",
            "application/json; charset=utf-8",
            batch_reply(body, port).into_bytes(),
        );
    }
    ("404 Not Found", "text/plain", Vec::new())
}

/// The batchexecute answer to a request body: each `Fbv4je` entry's id resolved to its item's page.
fn batch_reply(body: &[u8], port: u16) -> String {
    use serde_json::{json, Value};
    let f_req = url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "f.req")
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let request: Value = serde_json::from_str(&f_req).unwrap_or(Value::Null);
    let entries: Vec<Value> = request[0]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let inner: Value = serde_json::from_str(entry[1].as_str()?).ok()?;
            let n = online_item(inner[2].as_str()?)?;
            let payload = json!(["garturlres", format!("{}/page/{n}", outlet(n, port)), 1]).to_string();
            Some(json!(["wrb.fr", "Fbv4je", payload, null, null, null, entry[3].clone()]))
        })
        .collect();
    let chunk = Value::Array(entries).to_string();
    format!(")]}}'\n\n{}\n{chunk}\n", chunk.len())
}

/// The loopback server on a thread (and runtime) of its own, so that its CPU time can be told apart from the
/// pipeline's.
pub struct ServerThread {
    pub port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Duration>>,
}

impl ServerThread {
    pub fn start(total: usize, real: Option<RealPages>, latency: Duration) -> anyhow::Result<ServerThread> {
        let (port_tx, port_rx) = std::sync::mpsc::channel::<anyhow::Result<u16>>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = port_tx.send(Err(anyhow::Error::new(e).context("starting the bench server")));
                        return Duration::ZERO;
                    }
                };
                runtime.block_on(async move {
                    let started = serve_with_latency(total, real, latency).await;
                    let serving = started.is_ok();
                    let _ = port_tx.send(started);
                    if serving {
                        let _ = stopped.await;
                    }
                });
                Duration::from_nanos(crate::pipeline::cpu::thread_cpu_nanos())
            })
            .context("starting the bench server thread")?;
        let port = port_rx
            .recv()
            .context("the bench server thread stopped before serving")??;
        Ok(ServerThread {
            port,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Stop serving; returns the CPU time the server's thread used.
    pub fn stop(mut self) -> Duration {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

/// CPU time this process has used (user and system), from getrusage.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let tv =
        |t: libc::timeval| Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// A KiB figure of this process's /proc status (`VmHWM:`, `VmRSS:`; Linux); None elsewhere.
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak resident memory of this process, from /proc (Linux); None elsewhere.
pub fn peak_rss_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

/// Samples resident memory on a thread of its own until dropped, so that growth over a run can be seen, not
/// only its peak.
struct RssSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<(f64, u64)>>>,
}

impl RssSampler {
    fn start() -> RssSampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut samples = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some(kib) = proc_status_kib("VmRSS:") {
                    samples.push((started.elapsed().as_secs_f64(), kib));
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            samples
        });
        RssSampler {
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> Vec<(f64, u64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

/// What a bench desk does: its items, outputs, store and loopback publishers.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Feed items (and article pages) to serve.
    pub total: usize,
    /// Write Hugo posts.
    pub hugo: bool,
    /// Append the JSONL output (`articles.jsonl`).
    pub jsonl: bool,
    /// An (empty) PostgreSQL database to use instead of an SQLite file in the desk.
    pub store_url: Option<String>,
    /// Real pages to serve instead of generated ones.
    pub real: Option<RealPages>,
    /// How long each answer of the loopback server is held back.
    pub latency: Duration,
    /// Requests in flight per process.
    pub concurrency: u32,
}

impl BenchOptions {
    /// `total` generated items, Hugo and JSONL on, an SQLite store, answers without delay.
    pub fn new(total: usize) -> BenchOptions {
        BenchOptions {
            total,
            hugo: true,
            jsonl: true,
            store_url: None,
            real: None,
            latency: Duration::ZERO,
            concurrency: 32,
        }
    }
}

/// What a bench run of several worker processes measured.
#[derive(Debug, Clone)]
pub struct WorkersReport {
    pub workers: usize,
    pub articles: i64,
    pub elapsed: Duration,
}

impl WorkersReport {
    pub fn per_second(&self) -> f64 {
        self.articles as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The bench's desk config: the loopback feeds on `port`, politeness relaxed, the store in `dir` or at the
/// options' store URL.
fn bench_config(dir: &Path, options: &BenchOptions, port: u16) -> Config {
    let mut config = Config {
        base_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.store.path = dir.join("bench.db");
    config.output.hugo_dir = if options.hugo {
        dir.join("site")
    } else {
        Default::default()
    };
    config.output.jsonl = if options.jsonl {
        dir.join("articles.jsonl")
    } else {
        Default::default()
    };
    config.output.hugo_style = HugoStyle::Full;
    config.pipeline.batch_size = 256;
    config.fetch.allow_private_networks = true;
    config.fetch.respect_robots = false;
    config.fetch.host_min_interval_secs = 0.0;
    config.fetch.global_concurrency = options.concurrency;
    config.fetch.gnews_base_url = format!("http://127.0.0.1:{port}");
    config.feeds = (0..options.total.div_ceil(ITEMS_PER_FEED))
        .map(|k| FeedConfig {
            url: format!("http://127.0.0.1:{port}/feed/{k}.xml"),
            name: None,
        })
        .collect();
    if let Some(url) = &options.store_url {
        config.store.url = url.clone();
    }
    config
}

/// `workers` `newsdesk worker` processes (this executable) over the options' PostgreSQL store (empty), against
/// the loopback server with the options' latency per answer and requests in flight per worker: the time from
/// their start until every item is ready (and published, with Hugo).
pub async fn run_workers(dir: &Path, options: &BenchOptions, workers: usize) -> anyhow::Result<WorkersReport> {
    anyhow::ensure!(
        options.store_url.as_deref().is_some_and(|u| u.starts_with("postgres")),
        "bench workers share a PostgreSQL store: give its URL"
    );
    let (total, hugo) = (options.total, options.hugo);
    let port = serve_with_latency(total, None, options.latency).await?;
    let mut config = bench_config(dir, options, port);
    // The default batch: small enough that the workers share the last items evenly instead of one of them
    // fetching a long last batch while the others wait.
    config.pipeline.batch_size = crate::config::PipelineConfig::default().batch_size;
    let path = dir.join("newsdesk.toml");
    std::fs::write(&path, toml::to_string(&config).context("writing the bench config")?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let store = crate::store::open(&config.store_location())?;
    let exe = std::env::current_exe().context("finding the newsdesk binary")?;
    let started = Instant::now();
    let mut children = Vec::with_capacity(workers);
    for _ in 0..workers {
        children.push(
            std::process::Command::new(&exe)
                .arg("--config")
                .arg(&path)
                .args(["-q", "worker", "--interval", "1"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .context("starting a worker")?,
        );
    }
    let outcome = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let status = store.status(0)?;
        let ready = status
            .items_by_stage
            .iter()
            .find(|(stage, _)| stage == "ready")
            .map_or(0, |(_, n)| *n);
        if ready >= total as i64 && (!hugo || status.published >= total as i64) {
            break Ok(WorkersReport {
                workers,
                articles: status.articles,
                elapsed: started.elapsed(),
            });
        }
        if let Some(code) = children.iter_mut().find_map(|c| c.try_wait().ok().flatten()) {
            break Err(anyhow::anyhow!("a bench worker stopped early ({code})"));
        }
        if started.elapsed() > Duration::from_secs(3600) {
            break Err(anyhow::anyhow!("the bench workers did not finish within an hour"));
        }
    };
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    outcome
}

/// Run the pipeline once over the options' items in a fresh desk at `dir`.
pub async fn run(dir: &Path, options: &BenchOptions) -> anyhow::Result<BenchReport> {
    let served_bytes = options.real.as_ref().map_or(0, |r| r.bytes());
    let server = ServerThread::start(options.total, options.real.clone(), options.latency)?;
    let config = bench_config(dir, options, server.port);
    let store = crate::store::open(&config.store_location())?;
    let pipeline = Pipeline::new(&config, &*store)?;
    let sampler = RssSampler::start();
    crate::pipeline::cpu::enable();
    let started = Instant::now();
    let cpu_before = cpu_time();
    let summary = pipeline.run_once(true).await;
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    let server_cpu = server.stop();
    let summary = summary?;
    let store_bytes = options.store_url.is_none().then(|| {
        ["", "-wal"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", config.store.path.display())).ok())
            .map(|m| m.len())
            .sum()
    });
    Ok(BenchReport {
        articles: summary.extracted,
        elapsed,
        peak_rss_kib: peak_rss_kib(),
        sqlite_peak_bytes: crate::store::sqlite::memory_highwater(),
        rss_samples: sampler.finish(),
        summary,
        cpu,
        server_cpu,
        parts: crate::pipeline::cpu::totals(),
        store_bytes,
        served_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A dataset folder as `--pages` reads it, from the extractor's page fixtures.
    fn dataset(dir: &Path) -> usize {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests/fixtures");
        let names = [
            "jsonld_graph.html",
            "opengraph.html",
            "time_byline.html",
            "dateline_labelled_late.html",
        ];
        std::fs::create_dir_all(dir.join("pages")).expect("pages folder");
        let mut truth = String::new();
        for (i, name) in names.iter().enumerate() {
            let html = std::fs::read(fixtures.join(name)).expect("fixture page");
            let path = dir.join("pages").join(format!("{:04}.html.gz", i + 1));
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&html).expect("gzip");
            std::fs::write(path, gz.finish().expect("gzip")).expect("page file");
            truth.push_str(&format!(
                "{{\"id\": \"{:04}\", \"title\": \"Fixture & page {i}\"}}\n",
                i + 1
            ));
        }
        std::fs::write(dir.join("truth.jsonl"), truth).expect("truth file");
        names.len()
    }

    #[test]
    fn tokens_decode_offline_or_name_their_item() {
        let link = gnews_link(1, 8080);
        assert_eq!(
            newsdesk_feeds::gnews::decode_article_link(&link),
            newsdesk_feeds::gnews::ArticleLink::Decoded("http://127.0.0.2:8080/page/1".into())
        );
        let link = gnews_link(3, 8080);
        let newsdesk_feeds::gnews::ArticleLink::Unresolved(token) = newsdesk_feeds::gnews::decode_article_link(&link)
        else {
            panic!("item 3 needs the exchange: {link}");
        };
        assert_eq!(online_item(&token), Some(3));
    }

    /// Real pages behind Google News items: every item reaches its own article (through the batch exchange
    /// for one in four), copies of a page are distinct articles, and the stages' CPU is counted.
    #[test]
    fn real_pages_run_through_google_news_items() {
        let data = tempfile::tempdir().expect("temp dir");
        let distinct = dataset(data.path());
        let pages = load_pages(data.path()).expect("pages load");
        assert_eq!(pages.titles[0], "Fixture & page 0");
        let desk = tempfile::tempdir().expect("temp dir");
        let total = 24;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let report = rt
            .block_on(run(
                desk.path(),
                &BenchOptions {
                    hugo: false,
                    real: Some(pages),
                    concurrency: 8,
                    ..BenchOptions::new(total)
                },
            ))
            .expect("bench run");
        let s = &report.summary;
        assert_eq!(
            (s.new_items, s.resolved, s.extracted, s.item_errors),
            (total, total, total, 0)
        );
        let store =
            crate::store::open(&newsdesk_store::Location::Sqlite(desk.path().join("bench.db"))).expect("bench store");
        let status = store.status(0).expect("status");
        // Each copy names its own URL as canonical: one article per item, not one per distinct page.
        assert_eq!(status.articles, total as i64, "{distinct} pages served {total} times");
        // Each item's coverage is its own page's copies: stories stay the size of a page's copies instead of
        // chaining neighbouring items into one.
        let copies = total / distinct;
        for story in store.stories_page(100, 0).expect("stories") {
            assert!(
                story.article_count <= copies as i64,
                "{} articles in one story",
                story.article_count
            );
        }
        let cpu = |name: &str| report.parts.iter().find(|(p, _)| p.name() == name).map(|(_, d)| *d);
        assert!(cpu("extract").is_some_and(|d| d > Duration::ZERO));
        assert!(cpu("resolve").is_some_and(|d| d > Duration::ZERO));
        assert!(report.server_cpu > Duration::ZERO);
        assert!(report.store_bytes.is_some_and(|b| b > 0));
    }
}
