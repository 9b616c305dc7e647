//! The HTTP message in a `response` record's block: status line, headers, and the body as the server sent it,
//! decoded (chunked transfer coding, then gzip, deflate or brotli content coding).

use std::io::Read;

/// The most the status line and headers may take.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The head of an HTTP response, and where its body starts in the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// `HTTP/1.1`, `HTTP/2`, …
    pub version: String,
    pub status: u16,
    pub reason: String,
    /// In message order; names as written.
    pub headers: Vec<(String, String)>,
    /// Offset of the body in the block.
    pub body_start: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("not an HTTP response (no HTTP/ status line)")]
    NotHttp,
    #[error("bad status line {0:?}")]
    BadStatus(String),
    #[error("the HTTP header does not end within {MAX_HEAD_BYTES} bytes")]
    HeadTooLong,
    #[error("the body is longer than {limit} bytes once decoded")]
    TooLarge { limit: usize },
    #[error("cannot decode the {coding} body: {message}")]
    Decode { coding: String, message: String },
    #[error("unsupported Content-Encoding {0:?}")]
    UnsupportedEncoding(String),
}

/// Parse the status line and headers at the start of `block`.
pub fn parse_response(block: &[u8]) -> Result<HttpResponse, HttpError> {
    let block = &block[..block.len().min(MAX_HEAD_BYTES + 4)];
    if !block.starts_with(b"HTTP/") {
        return Err(HttpError::NotHttp);
    }
    let (head_len, body_start) = head_end(block).ok_or(HttpError::HeadTooLong)?;
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default().to_string();
    let status = parts
        .next()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .filter(|s| (100..=999).contains(s))
        .ok_or_else(|| HttpError::BadStatus(status_line.chars().take(80).collect()))?;
    let reason = parts.next().unwrap_or_default().trim().to_string();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Ok(HttpResponse {
        version,
        status,
        reason,
        headers,
        body_start,
    })
}

/// The end of the head (before its blank line) and the start of the body: the first CR LF CR LF or LF LF.
fn head_end(block: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(nl) = block.get(i..)?.iter().position(|&b| b == b'\n') {
        let at = i + nl;
        let rest = block.get(at + 1..)?;
        if rest.starts_with(b"\r\n") {
            return Some((at, at + 3));
        }
        if rest.starts_with(b"\n") {
            return Some((at, at + 2));
        }
        i = at + 1;
    }
    None
}

impl HttpResponse {
    /// The first header named `name` (without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("Content-Type")
    }

    /// The media type alone, in lower case (`text/html` for `text/html; charset=utf-8`).
    pub fn media_type(&self) -> Option<String> {
        self.content_type()
            .map(|ct| ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty())
    }

    fn is_chunked(&self) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Transfer-Encoding"))
            .any(|(_, v)| v.split(',').any(|c| c.trim().eq_ignore_ascii_case("chunked")))
    }

    /// The content codings, in the order they were applied.
    fn content_codings(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Content-Encoding"))
            .flat_map(|(_, v)| v.split(','))
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty() && c != "identity")
            .collect()
    }

    /// The body of this response in `block` (the block it was parsed from), as the server meant it: chunked
    /// transfer coding and content codings undone, at most `limit` bytes.
    ///
    /// Archives hold bodies in both states: as sent, or already decoded by the crawler with the headers
    /// left as they were. So a body that does not parse as chunks is taken as it is, and a "gzip" body
    /// without the gzip magic is taken as already decoded. A chunked or compressed body that breaks off
    /// (a crawler's truncated record) gives what was decoded before the break.
    pub fn body(&self, block: &[u8], limit: usize) -> Result<Vec<u8>, HttpError> {
        let raw = block.get(self.body_start..).unwrap_or_default();
        let mut body = if self.is_chunked() {
            dechunk(raw, limit)?.unwrap_or_else(|| raw.to_vec())
        } else {
            raw.to_vec()
        };
        for coding in self.content_codings().iter().rev() {
            body = decode(coding, &body, limit)?;
        }
        if body.len() > limit {
            return Err(HttpError::TooLarge { limit });
        }
        Ok(body)
    }
}

/// Undo chunked transfer coding; `None` when `raw` does not start with a chunk (the crawler stored the body
/// decoded). Chunk extensions and trailers are dropped.
fn dechunk(raw: &[u8], limit: usize) -> Result<Option<Vec<u8>>, HttpError> {
    let mut out = Vec::with_capacity(raw.len().min(limit));
    let mut at = 0;
    let mut first = true;
    loop {
        let Some(nl) = raw.get(at..).and_then(|r| r.iter().position(|&b| b == b'\n')) else {
            // Cut off inside a size line: keep what came before it.
            return Ok((!first).then_some(out));
        };
        let line = String::from_utf8_lossy(&raw[at..at + nl]);
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return Ok((!first).then_some(out));
        };
        first = false;
        at += nl + 1;
        if size == 0 {
            return Ok(Some(out));
        }
        let end = at.saturating_add(size).min(raw.len());
        let data = raw.get(at..end).unwrap_or_default();
        if out.len() + data.len() > limit {
            return Err(HttpError::TooLarge { limit });
        }
        out.extend_from_slice(data);
        if end < at.saturating_add(size) {
            // The record was cut inside this chunk.
            return Ok(Some(out));
        }
        at = end;
        // The CR LF after the chunk's data.
        if raw.get(at) == Some(&b'\r') {
            at += 1;
        }
        if raw.get(at) == Some(&b'\n') {
            at += 1;
        }
    }
}

/// Undo one content coding.
fn decode(coding: &str, data: &[u8], limit: usize) -> Result<Vec<u8>, HttpError> {
    match coding {
        "gzip" | "x-gzip" => {
            if !data.starts_with(&[0x1f, 0x8b]) {
                // Already decoded by the crawler.
                return Ok(data.to_vec());
            }
            read_bounded(coding, flate2::read::MultiGzDecoder::new(data), limit)
        }
        "deflate" => {
            // Servers send zlib-wrapped data as the standard says, or raw deflate as some always have.
            let zlib =
                data.len() >= 2 && data[0] & 0x0f == 8 && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
            if zlib {
                read_bounded(coding, flate2::read::ZlibDecoder::new(data), limit)
            } else {
                read_bounded(coding, flate2::read::DeflateDecoder::new(data), limit)
            }
        }
        "br" => read_bounded(coding, brotli::Decompressor::new(data, 4096), limit),
        other => Err(HttpError::UnsupportedEncoding(other.to_string())),
    }
}

/// Read a decoder to its end, at most `limit` bytes. A stream that breaks off after some output gives that
/// output; one that gives nothing is an error.
fn read_bounded(coding: &str, decoder: impl Read, limit: usize) -> Result<Vec<u8>, HttpError> {
    let mut out = Vec::new();
    let mut bounded = decoder.take(limit as u64 + 1);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match bounded.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if out.is_empty() => {
                return Err(HttpError::Decode {
                    coding: coding.to_string(),
                    message: e.to_string(),
                })
            }
            Err(_) => break,
        }
    }
    if out.len() > limit {
        return Err(HttpError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn response(head: &str, body: &[u8]) -> Vec<u8> {
        let mut block = head.replace('\n', "\r\n").into_bytes();
        block.extend_from_slice(b"\r\n");
        block.extend_from_slice(body);
        block
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    }

    fn body_of(block: &[u8]) -> Result<Vec<u8>, HttpError> {
        parse_response(block)?.body(block, 1 << 20)
    }

    #[test]
    fn status_line_and_headers() {
        let block = response(
            "HTTP/1.1 404 Not Found\nContent-Type: text/html; charset=ISO-8859-1\nX-Folded: a\n b\n",
            b"<p>gone</p>",
        );
        let r = parse_response(&block).expect("parses");
        assert_eq!(
            (r.version.as_str(), r.status, r.reason.as_str()),
            ("HTTP/1.1", 404, "Not Found")
        );
        assert_eq!(r.content_type(), Some("text/html; charset=ISO-8859-1"));
        assert_eq!(r.media_type().as_deref(), Some("text/html"));
        assert_eq!(r.header("x-folded"), Some("a b"));
        assert_eq!(r.body(&block, 100).expect("body"), b"<p>gone</p>");
        // Bare LF line ends, HTTP/2 without a reason.
        let r = parse_response(b"HTTP/2 200\ncontent-type: text/html\n\nbody").expect("parses");
        assert_eq!((r.status, r.body_start), (200, 36));
        assert_eq!(parse_response(b"dns: example.com"), Err(HttpError::NotHttp));
        assert!(matches!(
            parse_response(b"HTTP/1.1 abc\r\n\r\n"),
            Err(HttpError::BadStatus(_))
        ));
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nno end"),
            Err(HttpError::HeadTooLong)
        );
    }

    #[test]
    fn chunked_and_gzip() {
        let page = b"<html><body><p>Hello, chunked and compressed world.</p></body></html>";
        let compressed = gzip(page);
        let mut chunked = Vec::new();
        for part in compressed.chunks(10) {
            chunked.extend_from_slice(format!("{:x};ext=1\r\n", part.len()).as_bytes());
            chunked.extend_from_slice(part);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\nX-Trailer: yes\r\n\r\n");
        let block = response(
            "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Encoding: gzip\n",
            &chunked,
        );
        assert_eq!(body_of(&block).expect("decoded"), page);
        // Stored already decoded, with the headers of the original message.
        let block = response(
            "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Encoding: gzip\n",
            page,
        );
        assert_eq!(body_of(&block).expect("taken as is"), page);
        // Cut inside the compressed data: what was decoded before the cut.
        let mut cut = compressed.clone();
        cut.truncate(compressed.len() - 12);
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: gzip\n", &cut);
        let body = body_of(&block).expect("partial");
        assert!(page.starts_with(&body) && !body.is_empty(), "{body:?}");
    }

    #[test]
    fn deflate_brotli_and_limits() {
        let page = "<p>deflated</p>".repeat(50);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(page.as_bytes()).expect("zlib");
        let zlib = z.finish().expect("zlib");
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(page.as_bytes()).expect("deflate");
        let raw = d.finish().expect("deflate");
        for body in [&zlib, &raw] {
            let block = response("HTTP/1.1 200 OK\nContent-Encoding: deflate\n", body);
            assert_eq!(body_of(&block).expect("deflate"), page.as_bytes());
        }
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 5, 22);
            w.write_all(page.as_bytes()).expect("brotli");
        }
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: br\n", &br);
        assert_eq!(body_of(&block).expect("brotli"), page.as_bytes());
        // Two codings, applied in order: gzip, then brotli on top.
        let mut both = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut both, 4096, 5, 22);
            w.write_all(&gzip(page.as_bytes())).expect("brotli");
        }
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: gzip, br\n", &both);
        assert_eq!(body_of(&block).expect("both"), page.as_bytes());
        // A compression bomb stops at the limit.
        let bomb = gzip(&vec![b'a'; 100_000]);
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: gzip\n", &bomb);
        let r = parse_response(&block).expect("parses");
        assert_eq!(r.body(&block, 1000), Err(HttpError::TooLarge { limit: 1000 }));
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: zstd\n", b"x");
        assert_eq!(body_of(&block), Err(HttpError::UnsupportedEncoding("zstd".into())));
        let block = response("HTTP/1.1 200 OK\nContent-Encoding: br\n", b"not brotli at all");
        assert!(matches!(body_of(&block), Err(HttpError::Decode { .. })));
    }

    #[test]
    fn chunks_cut_short_keep_what_came() {
        let block = response(
            "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n",
            b"5\r\nhello\r\n10\r\nwor",
        );
        assert_eq!(body_of(&block).expect("partial"), b"hellowor");
        let block = response("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n", b"5\r\nhello\r\n");
        assert_eq!(body_of(&block).expect("partial"), b"hello");
    }
}
