//! `newsdesk bench`: the whole pipeline end to end against generated feeds and pages served from loopback,
//! with politeness relaxed, reporting articles per second and peak memory.
//!
//! The server runs in the same process (on the same runtime), so the figures include its cost: they are a
//! floor for what the pipeline does against remote servers that answer instantly.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::config::{Config, FeedConfig, HugoStyle};
use crate::pipeline::run::{Pipeline, RunSummary};
use crate::store::SqliteStore;

/// Items per generated feed document.
pub const ITEMS_PER_FEED: usize = 500;

/// What one bench run measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub articles: usize,
    pub elapsed: Duration,
    pub peak_rss_kib: Option<u64>,
    pub summary: RunSummary,
}

impl BenchReport {
    pub fn per_second(&self) -> f64 {
        self.articles as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

const SUBJECTS: [&str; 12] = [
    "port strike", "river flood", "budget vote", "chip factory", "heat wave", "rail merger", "vaccine trial",
    "mayor race", "copper mine", "satellite launch", "wheat harvest", "bank merger",
];

/// A realistic article page (about 6 KB of HTML, 600 words) for item `n`.
pub fn page_html(n: usize) -> String {
    let subject = SUBJECTS[n % SUBJECTS.len()];
    let mut body = String::new();
    for p in 0..8 {
        body.push_str(&format!(
            "<p>Paragraph {p} of report {n} on the {subject}. Officials said on Tuesday that the {subject} would be \
             discussed again next week, while residents, unions and business groups asked for clear answers about \
             costs, jobs and the timetable. Analysts expect a decision before the end of the month.</p>\n"
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {n} on the {subject}</title>\
         <meta property=\"og:site_name\" content=\"Bench Times\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Report {n} on the {subject}\",\
         \"datePublished\":\"2026-01-07T09:00:00Z\",\"author\":{{\"@type\":\"Person\",\"name\":\"Bench Writer\"}}}}</script>\
         </head><body><nav><a href=\"/\">Home</a><a href=\"/world\">World</a><a href=\"/business\">Business</a></nav>\
         <article><h1>Report {n} on the {subject}</h1><p class=\"byline\">By Bench Writer</p>{body}</article>\
         <aside class=\"related\"><a href=\"/x\">Other story one</a><a href=\"/y\">Other story two</a></aside>\
         <footer>Copyright Bench Times</footer></body></html>"
    )
}

/// Feed document `k`: items `k*ITEMS_PER_FEED ..` (fewer in the last one), one minute apart.
pub fn feed_xml(k: usize, total: usize, base: &str) -> String {
    let start = k * ITEMS_PER_FEED;
    let end = (start + ITEMS_PER_FEED).min(total);
    let base_time = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default();
    let mut items = String::new();
    for n in start..end {
        let date = (base_time + chrono::Duration::minutes(n as i64)).to_rfc2822();
        let subject = SUBJECTS[n % SUBJECTS.len()];
        items.push_str(&format!(
            "<item><title>Report {n} on the {subject} - Bench Times</title><link>{base}/page/{n}</link>\
             <guid>bench-{n}</guid><pubDate>{date}</pubDate><description>Summary of report {n}.</description></item>"
        ));
    }
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench {k}</title>{items}</channel></rss>")
}

/// Serve feeds and pages on 127.0.0.1 with HTTP/1.1 keep-alive; returns the base URL.
pub async fn serve(total: usize) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.context("binding the bench server")?;
    let base = format!("http://{}", listener.local_addr()?);
    let shared = Arc::new((base.clone(), total));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = shared.clone();
            tokio::spawn(async move {
                let _ = serve_connection(stream, &shared.0, shared.1).await;
            });
        }
    });
    Ok(base)
}

async fn serve_connection(stream: TcpStream, base: &str, total: usize) -> std::io::Result<()> {
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
        let (status, content_type, payload) = route(path, base, total);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        );
        // One write per response: two small writes would meet Nagle's algorithm and the client's delayed ACK.
        let mut response = head.into_bytes();
        response.extend_from_slice(payload.as_bytes());
        reader.get_mut().write_all(&response).await?;
    }
}

fn route(path: &str, base: &str, total: usize) -> (&'static str, &'static str, String) {
    let number = |prefix: &str, suffix: &str| path.strip_prefix(prefix)?.strip_suffix(suffix)?.parse::<usize>().ok();
    if let Some(k) = number("/feed/", ".xml") {
        return ("200 OK", "application/rss+xml", feed_xml(k, total, base));
    }
    if let Some(n) = number("/page/", "") {
        return ("200 OK", "text/html; charset=utf-8", page_html(n));
    }
    ("404 Not Found", "text/plain", String::new())
}

/// Peak resident memory of this process, from /proc (Linux); None elsewhere.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run the pipeline once over `total` generated items in a fresh desk at `dir`.
pub async fn run(dir: &Path, total: usize, hugo: bool) -> anyhow::Result<BenchReport> {
    let base = serve(total).await?;
    let mut config = Config { base_dir: dir.to_path_buf(), ..Config::default() };
    config.store.path = dir.join("bench.db");
    config.output.hugo_dir = if hugo { dir.join("site") } else { Default::default() };
    config.output.hugo_style = HugoStyle::Full;
    config.pipeline.batch_size = 256;
    config.fetch.allow_private_networks = true;
    config.fetch.respect_robots = false;
    config.fetch.host_min_interval_secs = 0.0;
    config.fetch.global_concurrency = 32;
    config.feeds = (0..total.div_ceil(ITEMS_PER_FEED))
        .map(|k| FeedConfig { url: format!("{base}/feed/{k}.xml"), name: None })
        .collect();
    let store = SqliteStore::open(&config.store_path())?;
    let pipeline = Pipeline::new(&config, &store)?;
    let started = Instant::now();
    let summary = pipeline.run_once(true).await?;
    let elapsed = started.elapsed();
    Ok(BenchReport { articles: summary.extracted, elapsed, peak_rss_kib: peak_rss_kib(), summary })
}
