//! Shared by the Hugo site tests of this crate and of the application (which include this file by path):
//! find Debian's `hugo`, build a site with it, check the links of the built pages, and serve them on
//! loopback for the browser test.
//!
//! A test that needs Hugo says so and passes when it is missing, unless `NEWSDESK_BROWSER_TEST=require` or
//! `CI` is set (as `.ci/run` does), where it fails. `HUGO=/path/to/hugo` picks another binary (the README's
//! figures for current Hugo come from there).
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The Hugo binary the tests run: `$HUGO`, else `hugo` on the PATH.
pub fn hugo_bin() -> PathBuf {
    std::env::var_os("HUGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("hugo"))
}

fn required() -> bool {
    std::env::var("NEWSDESK_BROWSER_TEST").as_deref() == Ok("require") || std::env::var_os("CI").is_some()
}

/// Whether Hugo can run here, with its version line. Panics when it cannot but must (CI).
pub fn hugo_version() -> Option<String> {
    let why = match Command::new(hugo_bin()).arg("version").output() {
        Ok(out) if out.status.success() => return Some(String::from_utf8_lossy(&out.stdout).trim().to_string()),
        Ok(out) => format!("`hugo version` failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => format!("{} cannot run ({e})", hugo_bin().display()),
    };
    if required() {
        panic!("the Hugo site test is required here but Hugo is missing: {why}");
    }
    println!("skipping: {why}");
    None
}

/// Build `site` into `site/public` with `--panicOnWarning`; panics with Hugo's output when it fails or
/// prints any warning or error. Returns how long the build took.
pub fn build_strict(site: &Path) -> Duration {
    let started = Instant::now();
    let out = Command::new(hugo_bin())
        .arg("--source")
        .arg(site)
        .arg("--cacheDir")
        .arg(site.join(".hugo_cache"))
        .args(["--panicOnWarning", "--printPathWarnings"])
        .env("HUGO_ENVIRONMENT", "production")
        .output()
        .expect("hugo runs");
    let elapsed = started.elapsed();
    let printed = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "hugo failed ({}):\n{printed}", out.status);
    assert!(
        !printed.contains("ERROR") && !printed.contains("WARN"),
        "hugo complained:\n{printed}"
    );
    elapsed
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Total size in bytes and number of files under `dir`.
pub fn size_of(dir: &Path) -> (u64, usize) {
    let files = files_under(dir);
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    (bytes, files.len())
}

/// The values of every `name="…"` attribute in `html`, with entities decoded. Hugo and Goldmark write
/// attributes double-quoted, so this is enough for the pages they build.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        let Some(end) = after.find('"') else { break };
        out.push(decode_entities(&after[..end]));
        rest = &after[end..];
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    newsdesk_entities::decode_html_into(s, true, &mut out);
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL path of a built file (`public/a/b/index.html` → `/a/b/`).
pub fn url_path_of(public: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(public).unwrap_or(file);
    let mut path = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
    if path.ends_with("/index.html") {
        path.truncate(path.len() - "index.html".len());
    }
    path
}

/// The file of `public` a site-relative URL path names, if any.
pub fn file_for(public: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path);
    let mut file = public.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if matches!(Path::new(part).components().next(), Some(Component::Normal(_))) && !part.contains('\\') {
            file.push(part);
        } else {
            return None;
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// Resolve `href` found on the page at `page_path` to a site path; `None` for an external link (a scheme
/// or `//host`), which is not the site's to check.
pub fn internal_target(page_path: &str, href: &str) -> Option<String> {
    let href = href.trim();
    if href.starts_with("//") {
        return None;
    }
    if let Some(colon) = href.find(':') {
        let before = &href[..colon];
        if !before.contains(['/', '?', '#']) {
            return None;
        }
    }
    let without_fragment = href.split('#').next().unwrap_or_default();
    let path = without_fragment.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Some(page_path.to_string());
    }
    if path.starts_with('/') {
        return Some(normalise(path));
    }
    let base = &page_path[..page_path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    Some(normalise(&format!("{base}{path}")))
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    out
}

/// A link that leads nowhere: on which page, and where it points.
#[derive(Debug)]
pub struct BrokenLink {
    pub page: String,
    pub href: String,
}

/// What [`check_links`] saw.
pub struct LinkReport {
    /// Site paths of the pages, and the internal paths each links to.
    pub pages: HashMap<String, Vec<String>>,
    pub internal: usize,
    pub external: usize,
    pub broken: Vec<BrokenLink>,
}

/// Check every `href` and `src` of every `.html` page under `public`: an internal one must name a file of
/// the built site, and a `#fragment` on the same page an element with that id.
pub fn check_links(public: &Path) -> LinkReport {
    let mut report = LinkReport {
        pages: HashMap::new(),
        internal: 0,
        external: 0,
        broken: Vec::new(),
    };
    for file in files_under(public) {
        if file.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let page = url_path_of(public, &file);
        let ids: BTreeSet<String> = attribute_values(&html, "id").into_iter().collect();
        let mut targets = Vec::new();
        for href in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            let Some(target) = internal_target(&page, &href) else {
                report.external += 1;
                continue;
            };
            report.internal += 1;
            let fragment = href.split_once('#').map(|(_, f)| f).unwrap_or_default();
            let same_page = href.starts_with('#');
            let ok = if same_page {
                fragment.is_empty() || ids.contains(&percent_decode(fragment))
            } else {
                file_for(public, &target).is_some()
            };
            if !ok {
                report.broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                });
            }
            targets.push(target);
        }
        report.pages.insert(page, targets);
    }
    report
}

/// Panic, listing them, when any internal link is broken.
pub fn assert_no_broken_links(report: &LinkReport) {
    let distinct: BTreeSet<&str> = report.broken.iter().map(|b| b.href.as_str()).collect();
    assert!(
        report.broken.is_empty(),
        "{} broken internal links to {} targets: {distinct:#?}\nfor example on {:?}",
        report.broken.len(),
        distinct.len(),
        report.broken.iter().take(5).map(|b| &b.page).collect::<Vec<_>>()
    );
    assert!(report.internal > 0, "no internal links at all");
}

/// The term directories of a taxonomy in the built site (`public/tags/<term>/`), without its pager pages.
pub fn term_dirs(public: &Path, taxonomy: &str) -> BTreeSet<String> {
    let dir = public.join(taxonomy);
    std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("index.html").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name != "page")
                .collect()
        })
        .unwrap_or_default()
}

/// A static file server for `root` on a loopback port, for the browser test: GET and HEAD only, no listing,
/// nothing outside `root`. It runs until the test process ends.
pub struct StaticServer {
    pub base: String,
}

pub fn serve_static(root: &Path) -> StaticServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = answer(&root, stream);
            });
        }
    });
    StaticServer {
        base: format!("http://{addr}"),
    }
}

fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
        }
        let mut parts = request.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or("/").to_string();
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let found = file_for(root, path).and_then(|f| std::fs::read(&f).ok().map(|b| (f, b)));
        let (status, kind, body) = match found {
            Some((file, body)) => ("200 OK", content_type(&file), body),
            None => {
                let page = std::fs::read(root.join("404.html")).unwrap_or_default();
                ("404 Not Found", "text/html; charset=utf-8", page)
            }
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
