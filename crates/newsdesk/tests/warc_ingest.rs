//! `newsdesk ingest warc`: WARC files written by the tests from the repository's page fixtures go into the
//! store as articles that search, export and Hugo see; bad records and files are reported by offset; a run
//! killed at random moments resumes to exactly what an uninterrupted run stores.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, newsdesk, newsdesk_ok, posts, wait_within};
use serde_json::Value;

const DATE: &str = "2024-05-01T10:00:00Z";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn offline_page(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("examples/offline/pages").join(name)).expect("offline page")
}

fn extract_fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("crates/extract/tests/fixtures").join(name)).expect("extract fixture")
}

/// One WARC record.
fn record(kind: &str, uri: &str, date: &str, id: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    record_declaring(kind, uri, date, id, content_type, block, block.len())
}

fn record_declaring(
    kind: &str,
    uri: &str,
    date: &str,
    id: &str,
    content_type: &str,
    block: &[u8],
    length: usize,
) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{id}>\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn response(uri: &str, id: &str, block: &[u8]) -> Vec<u8> {
    record("response", uri, DATE, id, "application/http; msgtype=response", block)
}

fn html_response(uri: &str, id: &str, page: &[u8]) -> Vec<u8> {
    response(
        uri,
        id,
        &http("200 OK", &[("Content-Type", "text/html; charset=utf-8")], page),
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn chunked(data: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for part in data.chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Every kind of record an archive holds, with three offline pages and two extract fixtures as the articles.
fn mixed_records() -> Vec<Vec<u8>> {
    let mut records = vec![record(
        "warcinfo",
        "",
        DATE,
        "info",
        "application/warc-fields",
        b"software: newsdesk tests\r\nformat: WARC File Format 1.0\r\n",
    )];
    for (i, name) in ["rates.html", "tidal-plant.html", "tidal-analysis.html"]
        .iter()
        .enumerate()
    {
        let uri = format!("https://news.example/{name}");
        records.push(record(
            "request",
            &uri,
            DATE,
            &format!("req-{i}"),
            "application/http; msgtype=request",
            format!("GET /{name} HTTP/1.1\r\nHost: news.example\r\n\r\n").as_bytes(),
        ));
        records.push(html_response(&uri, &format!("resp-{i}"), &offline_page(name)));
    }
    records.push(record(
        "metadata",
        "https://news.example/rates.html",
        DATE,
        "meta",
        "application/warc-fields",
        b"fetchTimeMs: 120\r\n",
    ));
    records.push(record(
        "revisit",
        "https://news.example/rates.html",
        DATE,
        "revisit",
        "application/http; msgtype=response",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    ));
    // A chunked, gzip-encoded page.
    let opengraph = extract_fixture("opengraph.html");
    records.push(response(
        "https://og.example/story",
        "chunked-gzip",
        &http(
            "200 OK",
            &[
                ("Content-Type", "text/html"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "gzip"),
            ],
            &chunked(&gzip(&opengraph), 100),
        ),
    ));
    // Latin-1 bytes under a UTF-8 label.
    records.push(html_response(
        "https://cafe.example/reopens",
        "wrong-charset",
        &extract_fixture("latin1_http.html"),
    ));
    records.push(response(
        "https://news.example/report.pdf",
        "pdf",
        &http("200 OK", &[("Content-Type", "application/pdf")], b"%PDF-1.4 not a page"),
    ));
    records.push(response(
        "https://news.example/missing",
        "not-found",
        &http(
            "404 Not Found",
            &[("Content-Type", "text/html")],
            b"<html><body><p>Not found</p></body></html>",
        ),
    ));
    records.push(response(
        "https://news.example/moved",
        "redirect",
        &http(
            "301 Moved Permanently",
            &[("Location", "https://news.example/rates.html")],
            b"",
        ),
    ));
    // The same URL again, captured a second time.
    records.push(html_response(
        "https://news.example/tidal-plant.html",
        "resp-again",
        &offline_page("tidal-plant.html"),
    ));
    records
}

/// The URLs the mixed records make articles of.
const MIXED_ARTICLES: [&str; 5] = [
    "https://cafe.example/reopens",
    "https://news.example/rates.html",
    "https://news.example/tidal-analysis.html",
    "https://news.example/tidal-plant.html",
    "https://og.example/story",
];

fn desk() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        "[store]\npath = \"desk.db\"\n\n[output]\nhugo_dir = \"site\"\njsonl = \"articles.jsonl\"\n\n\
         [pipeline]\nbatch_size = 8\n",
    )
    .expect("config");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write archive");
    path
}

fn ingest(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["ingest", "warc"];
    all.extend_from_slice(args);
    newsdesk(dir, &all)
}

fn ingest_ok(dir: &Path, args: &[&str]) -> String {
    let out = ingest(dir, args);
    assert!(
        out.status.success(),
        "ingest {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The exported records, by URL.
fn export(dir: &Path) -> Vec<Value> {
    let mut records: Vec<Value> = newsdesk_ok(dir, &["export", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    records.sort_by_key(|v| v["url"].as_str().unwrap_or_default().to_string());
    records
}

fn urls(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn line_with<'a>(out: &'a str, start: &str) -> &'a str {
    out.lines().find(|l| l.starts_with(start)).unwrap_or_default()
}

#[test]
fn per_record_gzip_with_every_kind_of_record() {
    let dir = desk();
    let members: Vec<u8> = mixed_records().iter().flat_map(|r| gzip(r)).collect();
    let file = write(dir.path(), "mixed.warc.gz", &members);
    let out = ingest_ok(dir.path(), &[file.to_str().expect("path")]);
    assert!(
        line_with(&out, "read ").contains("read 15 records from 1 files"),
        "{out}"
    );
    assert!(line_with(&out, "read ").ends_with("6 articles kept"), "{out}");
    let skipped = line_with(&out, "skipped: ");
    for part in [
        "request 3",
        "metadata 1",
        "revisit 1",
        "other record type 1",
        "not HTML 1",
        "error status 1",
        "redirect 1",
    ] {
        assert!(skipped.contains(part), "{part} in {skipped}");
    }

    // One article per URL, the same URL twice included, exported with the record's date as download date.
    let records = export(dir.path());
    assert_eq!(urls(&records), MIXED_ARTICLES);
    for r in &records {
        assert_eq!(r["date_download"], "2024-05-01 10:00:00", "{r}");
        assert!(
            r["feed_url"]
                .as_str()
                .is_some_and(|f| f.starts_with("warc:/") && f.ends_with("mixed.warc.gz")),
            "{r}"
        );
    }
    let cafe = &records[0];
    assert_eq!(cafe["title"], "Café reopens");
    assert!(
        cafe["maintext"].as_str().is_some_and(|t| t.contains("crème brûlée")),
        "{cafe}"
    );
    let og = &records[4];
    assert!(og["maintext"].as_str().is_some_and(|t| t.len() > 100), "{og}");
    assert_eq!(og["language"], "it-IT");

    // Search, the Hugo posts and the configured JSONL see them.
    let found = newsdesk_ok(dir.path(), &["search", "tidal", "--json"]);
    let hits: Vec<Value> = found
        .lines()
        .map(|l| serde_json::from_str(l).expect("search hit"))
        .collect();
    assert_eq!(hits.len(), 2, "{found}");
    assert_eq!(posts(dir.path()).len(), 5, "one post per article");
    let jsonl = std::fs::read_to_string(dir.path().join("articles.jsonl")).expect("jsonl output");
    assert_eq!(jsonl.lines().count(), 5);
    let status = newsdesk_ok(dir.path(), &["status"]);
    assert!(status.contains("articles: 5"), "{status}");
    assert!(status.contains("ready 6"), "{status}");

    // Read again: nothing is read twice, nothing stored twice.
    let out = ingest_ok(dir.path(), &[file.to_str().expect("path")]);
    assert!(line_with(&out, "read ").starts_with("read 0 records"), "{out}");
    assert_eq!(urls(&export(dir.path())), MIXED_ARTICLES);
    // From standard input, which has no position to resume from. Its records are items of the stdin feed,
    // but their articles are the ones stored already: none is exported or published twice. Read again,
    // every record is recognised by its id.
    let from_stdin = |dir: &Path| {
        let mut child = Command::new(bin())
            .args(["ingest", "warc", "-"])
            .current_dir(dir)
            .env_remove("NEWSDESK_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&members)
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let first = from_stdin(dir.path());
    assert!(line_with(&first, "read ").ends_with("6 articles kept"), "{first}");
    assert!(first.contains(", 0 posts written"), "{first}");
    let again = from_stdin(dir.path());
    assert!(line_with(&again, "skipped: ").contains("already stored 6"), "{again}");
    assert_eq!(urls(&export(dir.path())), MIXED_ARTICLES);
    assert_eq!(posts(dir.path()).len(), 5);
}

#[test]
fn whole_file_gzip_and_plain_give_the_same_articles() {
    let plain = mixed_records().concat();
    let mut got = Vec::new();
    for (name, bytes) in [("whole.warc.gz", gzip(&plain)), ("plain.warc", plain.clone())] {
        let dir = desk();
        let file = write(dir.path(), name, &bytes);
        let out = ingest_ok(dir.path(), &[file.to_str().expect("path")]);
        assert!(line_with(&out, "read ").ends_with("6 articles kept"), "{name}: {out}");
        let mut records = export(dir.path());
        for r in &mut records {
            r.as_object_mut().map(|o| o.remove("feed_url"));
        }
        got.push(records);
    }
    assert_eq!(urls(&got[0]), MIXED_ARTICLES);
    assert_eq!(got[0], got[1]);
}

#[test]
fn bad_records_and_truncated_files_are_reported_by_offset() {
    let dir = desk();
    let good = mixed_records();
    let bad_length = record_declaring(
        "response",
        "https://bad.example/length",
        DATE,
        "bad-length",
        "application/http; msgtype=response",
        &http("200 OK", &[("Content-Type", "text/html")], &offline_page("rates.html")),
        300,
    );
    // rates (request + response), then the record whose Content-Length is wrong, then the tidal pages, then
    // a last record cut short.
    let mut parts: Vec<Vec<u8>> = good[1..3].to_vec();
    let bad_at: usize = parts.iter().map(Vec::len).sum();
    parts.push(bad_length);
    parts.extend_from_slice(&good[3..7]);
    let cut_at: usize = parts.iter().map(Vec::len).sum();
    let mut last = html_response("https://cut.example/story", "cut", &offline_page("rates.html"));
    last.truncate(last.len() / 2);
    parts.push(last);
    let broken = write(dir.path(), "broken.warc", &parts.concat());
    let fine = write(dir.path(), "fine.warc.gz", &gzip(&good[9..11].concat()));

    let out = ingest(
        dir.path(),
        &[broken.to_str().expect("path"), fine.to_str().expect("path")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "a file that cannot be read to its end fails the run:\n{stdout}"
    );
    assert!(
        stderr.contains(&format!("broken.warc: record at offset {bad_at}:")) && stderr.contains("wrong Content-Length"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("broken.warc: record at offset {cut_at} is cut short")),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 files could not be read to their end"),
        "{stderr}"
    );
    // What came before and after the bad record, and the next file, are stored.
    let want = MIXED_ARTICLES;
    assert_eq!(urls(&export(dir.path())), want);
    assert!(line_with(&stdout, "skipped: ").contains("bad record 1"), "{stdout}");

    // Again: only the cut tail is read again (and fails again), nothing is stored twice.
    let out = ingest(
        dir.path(),
        &[broken.to_str().expect("path"), fine.to_str().expect("path")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(line_with(&stdout, "read ").starts_with("read 0 records"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("offset {cut_at} is cut short")));
    assert_eq!(urls(&export(dir.path())), want);
    assert_eq!(posts(dir.path()).len(), 5);

    // A file that is not there is an error naming it; the others are read.
    let out = ingest(dir.path(), &["missing.warc.gz", fine.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.warc.gz: cannot open"));
}

#[test]
fn filters_apply_before_extraction() {
    let dir = desk();
    let mut parts = Vec::new();
    for (i, (host, date)) in [
        ("a.example", "2024-05-01T08:00:00Z"),
        ("www.a.example", "2024-05-02T23:00:00Z"),
        ("b.example", "2024-05-02T09:00:00Z"),
        ("a.example", "2024-05-03T00:00:00Z"),
    ]
    .iter()
    .enumerate()
    {
        let page = http("200 OK", &[("Content-Type", "text/html")], &offline_page("rates.html"));
        parts.push(record(
            "response",
            &format!("https://{host}/story-{i}"),
            date,
            &format!("f{i}"),
            "application/http; msgtype=response",
            &page,
        ));
    }
    let german = common::article_page(
        "Der Stadtrat beschließt den neuen Haushalt",
        "Anna Schmidt",
        "2024-05-02T10:00:00Z",
        &[
            "Der Stadtrat hat am Donnerstag den neuen Haushalt für das kommende Jahr beschlossen, nachdem die Debatte über die Finanzierung der Schulen und der Straßen mehrere Wochen gedauert hatte.",
            "Die Opposition kritisierte die hohen Ausgaben für die Verwaltung und forderte mehr Geld für den öffentlichen Nahverkehr und die Kindergärten in den Stadtteilen.",
        ],
    );
    let german = german.replace("lang=\"en\"", "lang=\"de\"");
    parts.push(record(
        "response",
        "https://a.example/german",
        "2024-05-02T10:00:00Z",
        "de",
        "application/http; msgtype=response",
        &http("200 OK", &[("Content-Type", "text/html")], german.as_bytes()),
    ));
    let file = write(dir.path(), "filters.warc", &parts.concat());
    let f = file.to_str().expect("path");
    let out = ingest_ok(
        dir.path(),
        &[
            f,
            "--domain",
            "a.example",
            "--since",
            "2024-05-01",
            "--until",
            "2024-05-02",
            "--lang",
            "en",
        ],
    );
    let skipped = line_with(&out, "skipped: ");
    assert!(skipped.contains("outside --domain 1"), "{out}");
    assert!(skipped.contains("outside --since/--until 1"), "{out}");
    assert!(skipped.contains("outside --lang 1"), "{out}");
    // The same page under two URLs is one article (its canonical URL); both records are items.
    assert!(line_with(&out, "read ").ends_with("2 articles kept"), "{out}");

    // --limit stops early; the next run goes on where it stopped.
    let dir = desk();
    let file = write(dir.path(), "filters.warc", &parts.concat());
    let f = file.to_str().expect("path");
    let out = ingest_ok(dir.path(), &[f, "--limit", "1"]);
    assert!(
        line_with(&out, "read ").ends_with("1 articles kept (--limit reached)"),
        "{out}"
    );
    let out = ingest_ok(dir.path(), &[f]);
    assert!(line_with(&out, "read ").ends_with("4 articles kept"), "{out}");
    let out = ingest(dir.path(), &[f, "--since", "yesterday"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}

/// `--limit` on a file much longer than the reading window: the run ends once the limit is reached, with
/// the reader stopped mid-file (it used to wait forever on a full queue that the departed workers no
/// longer emptied).
#[test]
fn a_limit_far_inside_a_long_file_ends_the_run() {
    let dir = desk();
    // Large batches make a wide window: the reader runs far ahead of the store, and so is waiting on the
    // workers' queue when the limit is reached.
    let config = dir.path().join("newsdesk.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replace("batch_size = 8", "batch_size = 1000")).expect("config");
    // Pages long enough that extracting one takes far longer than reading it: the workers' queue is full.
    let filler: String = (0..1500)
        .map(|i| format!("<p>Paragraph {i} of the long page, written out so that the page takes a while.</p>"))
        .collect();
    let pages: Vec<(String, Vec<u8>)> = fixture_pages()
        .into_iter()
        .map(|(name, page)| {
            let page = String::from_utf8_lossy(&page).replace("</body>", &format!("<div>{filler}</div></body>"));
            (name, page.into_bytes())
        })
        .collect();
    let refs: Vec<&(String, Vec<u8>)> = pages.iter().collect();
    let mut n = 0;
    let hosts: Vec<String> = (0..3).map(|h| format!("host{h}.example")).collect();
    let bytes: Vec<u8> = hosts.iter().flat_map(|host| responses(host, &refs, &mut n)).collect();
    let file = write(dir.path(), "long.warc.gz", &bytes);
    let child = Command::new(bin())
        .args([
            "ingest",
            "warc",
            file.to_str().expect("path"),
            "--limit",
            "2",
            "--no-publish",
        ])
        .current_dir(dir.path())
        .env_remove("NEWSDESK_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ingest");
    let out = wait_within(child, Duration::from_secs(60))
        .unwrap_or_else(|| panic!("ingest --limit 2 of {n} records did not end"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        line_with(&stdout, "read ").ends_with("2 articles kept (--limit reached)"),
        "{stdout}"
    );
}

#[test]
fn a_bug_on_one_page_fails_that_page_only() {
    let dir = desk();
    let file = write(dir.path(), "mixed.warc", &mixed_records().concat());
    let out = Command::new(bin())
        .args(["ingest", "warc", file.to_str().expect("path")])
        .current_dir(dir.path())
        .env_remove("NEWSDESK_CONFIG")
        .env("NEWSDESK_FAILPOINTS", "extract=og.example")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(line_with(&stdout, "skipped: ").contains("internal error 1"), "{stdout}");
    assert!(
        stderr.contains("(https://og.example/story): internal error while extracting the page"),
        "{stderr}"
    );
    assert_eq!(export(dir.path()).len(), 4);
}

/// Every page fixture of the repository under four hosts, one gzip member per record: copies of one page
/// make near-duplicates and stories, pages with a canonical link make one article of two records.
fn crash_records() -> (Vec<u8>, usize) {
    let files = crash_files();
    let n = files.iter().map(|(_, n)| n).sum();
    (files.into_iter().flat_map(|(bytes, _)| bytes).collect(), n)
}

/// The crash test's records as one gzipped WARC per host, with the number of records in each.
fn crash_files() -> Vec<(Vec<u8>, usize)> {
    let pages = fixture_pages();
    let mut n = 0;
    ["wire.example", "daily.example", "post.example", "times.example"]
        .into_iter()
        .map(|host| {
            let refs: Vec<&(String, Vec<u8>)> = pages.iter().collect();
            (responses(host, &refs, &mut n), pages.len())
        })
        .collect()
}

/// The repository's page fixtures, by name.
fn fixture_pages() -> Vec<(String, Vec<u8>)> {
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["examples/offline/pages", "crates/extract/tests/fixtures"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .expect("fixtures")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            pages.push((name, std::fs::read(&path).expect("page")));
        }
    }
    pages
}

/// Gzipped response records of `pages` on `host`, dated a second apart from record `n` on.
fn responses(host: &str, pages: &[&(String, Vec<u8>)], n: &mut usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, page) in pages {
        let date = format!("2024-05-01T10:{:02}:{:02}Z", *n / 60, *n % 60);
        let block = http("200 OK", &[("Content-Type", "text/html")], page);
        out.extend(gzip(&record(
            "response",
            &format!("https://{host}/{name}"),
            &date,
            &format!("crash-{n}"),
            "application/http; msgtype=response",
            &block,
        )));
        *n += 1;
    }
    out
}

/// What must not depend on crashes: the posts and the JSONL export.
fn snapshot(dir: &Path) -> (std::collections::BTreeMap<String, String>, Vec<Value>) {
    let mut records = export(dir);
    for r in &mut records {
        r.as_object_mut().map(|o| o.remove("feed_url"));
    }
    // The archive's path (in the feed, so in the posts' `source`) is the desk's own.
    let here = std::fs::canonicalize(dir)
        .expect("desk path")
        .to_string_lossy()
        .to_string();
    let posts = posts(dir)
        .into_iter()
        .map(|(name, post)| (name, post.replace(&here, "DESK")))
        .collect();
    (posts, records)
}

#[test]
fn killed_ingests_resume_to_the_same_result() {
    let (archive, records) = crash_records();
    assert!(records > 60);
    let reference = desk();
    let file = write(reference.path(), "crash.warc.gz", &archive);
    let started = Instant::now();
    ingest_ok(reference.path(), &[file.to_str().expect("path")]);
    let full_run = started.elapsed();
    let want = snapshot(reference.path());
    assert!(want.1.len() > 50, "{} articles", want.1.len());
    let stories: std::collections::BTreeSet<&str> = want.1.iter().filter_map(|r| r["story_id"].as_str()).collect();
    assert!(
        stories.len() > 10 && stories.len() < want.1.len(),
        "{} stories",
        stories.len()
    );

    let crashed = desk();
    let file = write(crashed.path(), "crash.warc.gz", &archive);
    let mut rand = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(7);
    let mut kills = 0;
    for _ in 0..30 {
        rand = rand.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((rand >> 33) % (full_run.as_micros() as u64).max(1));
        let mut child = Command::new(bin())
            .args(["ingest", "warc", file.to_str().expect("path")])
            .current_dir(crashed.path())
            .env_remove("NEWSDESK_CONFIG")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = child.wait();
        if kills >= 8 {
            break;
        }
    }
    ingest_ok(crashed.path(), &[file.to_str().expect("path")]);
    let got = snapshot(crashed.path());
    eprintln!("killed {kills} ingests (a full one takes {full_run:?})");
    for name in got.0.keys() {
        assert!(name.ends_with(".md") && !name.starts_with('.'), "stray file {name}");
    }
    assert_eq!(got.0.keys().collect::<Vec<_>>(), want.0.keys().collect::<Vec<_>>());
    for (name, post) in &want.0 {
        assert_eq!(got.0.get(name), Some(post), "post {name} differs after kills");
    }
    assert_eq!(got.1.len(), want.1.len(), "no article lost or stored twice");
    for (g, w) in got.1.iter().zip(&want.1) {
        assert_eq!(g, w, "stored article differs after kills");
    }
    let status = newsdesk_ok(crashed.path(), &["status"]);
    let reference_status = newsdesk_ok(reference.path(), &["status"]);
    let items = |s: &str| line_with(s, "items by stage").to_string();
    assert_eq!(
        items(&status),
        items(&reference_status),
        "the same items at the same stages"
    );
}

#[test]
fn export_gzips_and_filters_archived_articles() {
    let dir = desk();
    let file = write(dir.path(), "mixed.warc", &mixed_records().concat());
    ingest_ok(dir.path(), &[file.to_str().expect("path"), "--no-publish"]);
    let all = export(dir.path());
    assert_eq!(urls(&all), MIXED_ARTICLES);

    // Gzipped, to a file and to stdout: the same lines.
    let out = newsdesk_ok(dir.path(), &["export", "jsonl", "--gzip", "-o", "out/all.jsonl.gz"]);
    assert!(out.contains("wrote 5 records"), "{out}");
    let gunzip = |bytes: &[u8]| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text).expect("gzip");
        text
    };
    let from_file = gunzip(&std::fs::read(dir.path().join("out/all.jsonl.gz")).expect("file"));
    let plain = newsdesk_ok(dir.path(), &["export", "jsonl"]);
    assert_eq!(from_file, plain);
    let piped = newsdesk(dir.path(), &["export", "jsonl", "--gzip"]);
    assert_eq!(gunzip(&piped.stdout), plain);

    let filtered = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["export", "jsonl"];
        all.extend_from_slice(args);
        let mut got: Vec<String> = newsdesk_ok(dir.path(), &all)
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("json");
                v["url"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        got.sort();
        got
    };
    assert_eq!(filtered(&["--lang", "it"]), ["https://og.example/story"]);
    assert_eq!(
        filtered(&["--outlet", "cafe.example"]),
        ["https://cafe.example/reopens"]
    );
    assert_eq!(
        filtered(&["--outlet", "Example Wire", "--outlet", "og.example"]).len(),
        3
    );
    // The offline pages are dated 5 January 2026; the others have the record's date, 1 May 2024.
    let offline = [
        "https://news.example/rates.html",
        "https://news.example/tidal-analysis.html",
        "https://news.example/tidal-plant.html",
    ];
    assert_eq!(filtered(&["--since", "2026-01-05"]), offline);
    assert_eq!(filtered(&["--until", "2026-01-04"]).len(), 2);
    assert_eq!(
        filtered(&["--since", "2026-01-05", "--until", "2026-01-05", "--lang", "en"]),
        offline
    );
    let bad = newsdesk(dir.path(), &["export", "jsonl", "--until", "soon"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("--until"));
}

/// Stories are named after whichever of their articles was clustered first, which depends on which process
/// stored first: each record's story is named here by its members' titles instead.
fn stories_by_members(mut records: Vec<Value>) -> Vec<Value> {
    let mut members: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &records {
        let (story, title) = (
            r["story_id"].as_str().unwrap_or_default(),
            r["title"].as_str().unwrap_or_default(),
        );
        members.entry(story.to_string()).or_default().push(title.to_string());
    }
    for r in &mut records {
        let story = r["story_id"].as_str().unwrap_or_default().to_string();
        if let Some(titles) = members.get_mut(&story) {
            titles.sort();
            r["story_id"] = Value::String(titles.join(" | "));
        }
    }
    records
}

#[test]
fn shared_ingests_read_each_file_once_and_take_over_a_killed_ones() {
    let Some(db) = newsdesk::store::testing::TestDatabase::create("warcshared") else {
        return;
    };
    // The fixture pages dealt over four files, each page in one file only (a page that names its canonical
    // URL would be one article from several files, its URL that of whichever copy was stored last).
    let pages = fixture_pages();
    let mut n = 0;
    let files: Vec<(Vec<u8>, usize)> = (0..4)
        .map(|k| {
            let share: Vec<&(String, Vec<u8>)> = pages.iter().skip(k).step_by(4).collect();
            (responses("wire.example", &share, &mut n), share.len())
        })
        .collect();
    let reference = desk();
    let mut paths = Vec::new();
    for (k, (bytes, _)) in files.iter().enumerate() {
        paths.push(write(reference.path(), &format!("part-{k}.warc.gz"), bytes));
    }
    let args: Vec<&str> = paths.iter().map(|p| p.to_str().expect("path")).collect();
    ingest_ok(reference.path(), &args);
    let want = stories_by_members(snapshot(reference.path()).1);

    let shared = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        shared.path().join("newsdesk.toml"),
        format!(
            "[store]\nurl = \"{}\"\n\n[output]\nhugo_dir = \"site\"\njsonl = \"articles.jsonl\"\n\n\
             [pipeline]\nbatch_size = 8\nlease_secs = 2\n",
            db.url
        ),
    )
    .expect("config");
    let mut list = String::new();
    for (k, (bytes, _)) in files.iter().enumerate() {
        let path = write(shared.path(), &format!("part-{k}.warc.gz"), bytes);
        list.push_str(&format!("{}\n", path.display()));
    }
    std::fs::write(shared.path().join("list.txt"), list).expect("list");
    let spawn = || {
        Command::new(bin())
            .args([
                "ingest",
                "warc",
                "--from-list",
                "list.txt",
                "--shared",
                "--no-publish",
                "--jobs",
                "1",
            ])
            .current_dir(shared.path())
            .env_remove("NEWSDESK_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn")
    };
    // Three processes on one list; the first is killed as soon as it has stored something.
    let mut victim = spawn();
    let others = [spawn(), spawn()];
    let store = newsdesk::store::open(&newsdesk::store::Location::Postgres(db.url.clone())).expect("open");
    let started = Instant::now();
    while store.status(0).expect("status").articles == 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    victim.kill().expect("SIGKILL");
    let _ = victim.wait();
    let mut elsewhere = 0;
    for child in others {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "a shared ingest failed");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        elsewhere += text
            .lines()
            .filter(|l| l.contains("files left to the other processes"))
            .count();
    }
    assert!(
        elsewhere > 0,
        "the processes shared the list rather than each reading every file"
    );
    // The killed process's file comes back once its lease expires: a last pass finishes it, and tags,
    // clusters and publishes everything (nobody else holds those roles now).
    std::thread::sleep(Duration::from_millis(2500));
    ingest_ok(shared.path(), &["--from-list", "list.txt", "--shared"]);
    let got = stories_by_members(snapshot(shared.path()).1);
    assert_eq!(urls(&got), urls(&want), "every record stored once");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "an article differs from the single-process ingest");
    }
    let published = posts(shared.path()).len();
    assert_eq!(published, posts(reference.path()).len(), "every article published");
}
