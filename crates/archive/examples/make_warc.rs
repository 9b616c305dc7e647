//! Build a WARC.gz for measuring archive ingest: the pages of a dataset folder (`pages/*.html.gz` or
//! `*.html`), repeated under distinct URLs up to N response records, one gzip member per record, each
//! after its request record as crawlers write them.
//!
//! `cargo run --release -p newsdesk-archive --example make_warc -- PAGES_DIR N OUT.warc.gz`
//!
//! In copies after the first, every absolute URL gets a host of its own (`https://copy2.…`), so that each
//! record is an article of its own: a copy would otherwise be stored as its original, by canonical URL.

use std::io::{Read, Write};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, n, out] = args.as_slice() else {
        return Err("usage: make_warc PAGES_DIR N OUT.warc.gz".into());
    };
    let n: usize = n.parse()?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".html") || p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in &paths {
        let raw = std::fs::read(path)?;
        let page = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut page = Vec::new();
            flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut page)?;
            page
        } else {
            raw
        };
        let name = path
            .file_name()
            .map(|f| {
                f.to_string_lossy()
                    .trim_end_matches(".gz")
                    .trim_end_matches(".html")
                    .to_string()
            })
            .unwrap_or_default();
        pages.push((name, page));
    }
    if pages.is_empty() {
        return Err(format!("no pages in {dir}").into());
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    for i in 0..n {
        let (name, page) = &pages[i % pages.len()];
        let copy = i / pages.len();
        let page = if copy == 0 {
            page.clone()
        } else {
            // Every absolute link of the copy points to hosts of its own, the canonical ones too.
            String::from_utf8_lossy(page)
                .replace("https://", &format!("https://copy{copy}."))
                .replace("http://", &format!("http://copy{copy}."))
                .into_bytes()
        };
        let uri = format!("https://outlet{}.example/{name}/{copy}", i % 97);
        let date = format!("2024-05-01T{:02}:{:02}:{:02}Z", (i / 3600) % 24, (i / 60) % 60, i % 60);
        let request = format!("GET /{name}/{copy} HTTP/1.1\r\nHost: outlet{}.example\r\n\r\n", i % 97);
        write_member(
            &mut file,
            "request",
            &uri,
            &date,
            &format!("req-{i}"),
            "msgtype=request",
            request.as_bytes(),
        )?;
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes();
        response.extend_from_slice(&page);
        write_member(
            &mut file,
            "response",
            &uri,
            &date,
            &format!("resp-{i}"),
            "msgtype=response",
            &response,
        )?;
    }
    file.flush()?;
    Ok(())
}

fn write_member(
    out: &mut impl Write,
    kind: &str,
    uri: &str,
    date: &str,
    id: &str,
    msgtype: &str,
    block: &[u8],
) -> std::io::Result<()> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:bench-{id}>\r\nContent-Type: application/http; {msgtype}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&record)?;
    out.write_all(&gz.finish()?)
}
