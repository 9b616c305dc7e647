//! The streaming record reader.
//!
//! Bytes come from a [`Source`]: the file itself, or its gzip members decoded one after another. The reader
//! keeps one buffer, which holds at most the record being read (bounded by `max_record_bytes`), and maps
//! every decoded byte back to a [`Position`] in the file, so that each record can say where it starts and
//! where the next one does.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::str::FromStr;

use crate::header::{parse_fields, Header};

/// Bytes asked of the source at a time.
const CHUNK: usize = 64 * 1024;
/// The most a record header may take, version line and blank line included. Real headers take well under a
/// kilobyte; anything this long is not a header.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// A buffer grown past this for a big record is given back once that record is done, so that memory stays
/// flat between big records.
const KEEP_BUFFER: usize = 1 << 20;
/// What starts a record, at the start of a line.
const RECORD_START: &[u8] = b"WARC/1.";

/// Where a record starts in its file, as a byte offset. For a plain file, `inner` is 0 and `offset` is the
/// record's first byte. For a gzip file, `offset` is the start of the gzip member the record begins in and
/// `inner` how many decompressed bytes of that member come before the record: 0 when each record has its
/// own member, as crawlers write them. Written `offset` or `offset+inner`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub offset: u64,
    pub inner: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner == 0 {
            write!(f, "{}", self.offset)
        } else {
            write!(f, "{}+{}", self.offset, self.inner)
        }
    }
}

impl FromStr for Position {
    type Err = String;

    fn from_str(s: &str) -> Result<Position, String> {
        let bad = || format!("{s:?} is not a WARC position (OFFSET or OFFSET+INNER)");
        let (offset, inner) = s.trim().split_once('+').unwrap_or((s.trim(), "0"));
        Ok(Position {
            offset: offset.parse().map_err(|_| bad())?,
            inner: inner.parse().map_err(|_| bad())?,
        })
    }
}

/// Reader settings.
#[derive(Debug, Clone, Copy)]
pub struct ReaderOptions {
    /// Blocks longer than this are read through without being kept ([`Block::TooLarge`]).
    pub max_record_bytes: u64,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            max_record_bytes: 16 << 20,
        }
    }
}

/// A record's block (everything after its header, `Content-Length` bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Data(Vec<u8>),
    /// Longer than `max_record_bytes`: read through, not kept.
    TooLarge {
        length: u64,
    },
}

impl Block {
    pub fn data(&self) -> Option<&[u8]> {
        match self {
            Block::Data(d) => Some(d),
            Block::TooLarge { .. } => None,
        }
    }
}

/// One WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where it starts: resuming here reads it again.
    pub start: Position,
    /// Where the next record starts: resuming here goes on after it.
    pub end: Position,
    pub header: Header,
    pub block: Block,
}

/// What went wrong in a file. Each names the position it was met at. After a fatal one ([`is_fatal`]) the
/// reader yields nothing more; after the others it has gone on to the next record it could find.
///
/// [`is_fatal`]: WarcError::is_fatal
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("offset {at}: expected a WARC record (a WARC/1.x line), found {found:?}; skipped to the next record")]
    NotARecord { at: Position, found: String },
    #[error("record at offset {at}: {message}; skipped to the next record")]
    BadHeader { at: Position, message: String },
    #[error(
        "record at offset {at}: its {declared}-byte block is not followed by the end of a record (wrong \
         Content-Length?); skipped to the next record"
    )]
    BadLength { at: Position, declared: u64 },
    #[error("record at offset {at} is cut short: the file ends {available} bytes into its {declared}-byte block{}", cause_note(.cause))]
    Truncated {
        at: Position,
        declared: u64,
        available: u64,
        cause: Option<String>,
    },
    #[error("record at offset {at} is cut short: the file ends inside its header{}", cause_note(.cause))]
    TruncatedHeader { at: Position, cause: Option<String> },
    #[error("gzip data at offset {at} cannot be decoded: {message}")]
    Gzip { at: Position, message: String },
    #[error("cannot read at offset {at}: {source}")]
    Io {
        at: Position,
        #[source]
        source: io::Error,
    },
}

fn cause_note(cause: &Option<String>) -> String {
    cause.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
}

impl WarcError {
    /// Where the error was met.
    pub fn position(&self) -> Position {
        match self {
            WarcError::NotARecord { at, .. }
            | WarcError::BadHeader { at, .. }
            | WarcError::BadLength { at, .. }
            | WarcError::Truncated { at, .. }
            | WarcError::TruncatedHeader { at, .. }
            | WarcError::Gzip { at, .. }
            | WarcError::Io { at, .. } => *at,
        }
    }

    /// Whether the file cannot be read any further.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            WarcError::Truncated { .. }
                | WarcError::TruncatedHeader { .. }
                | WarcError::Gzip { .. }
                | WarcError::Io { .. }
        )
    }
}

/// A reader that counts the bytes taken from it, so that gzip member starts are known.
struct Counting<B> {
    inner: B,
    count: u64,
}

impl<B: BufRead> Read for Counting<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<B: BufRead> BufRead for Counting<B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count += amt as u64;
        self.inner.consume(amt);
    }
}

/// A read failure of the source, before it is given a position.
enum SourceError {
    Io(io::Error),
    /// The member starting at this file offset cannot be decoded.
    Gzip {
        member: u64,
        error: io::Error,
    },
}

/// The decoded byte stream of a file, and where its gzip members start in it.
enum Source<R: Read> {
    /// The file could not be opened: nothing to read.
    Failed,
    Plain(BufReader<R>),
    Gzip {
        /// `None` once the last member is done.
        decoder: Option<Box<flate2::bufread::GzDecoder<Counting<BufReader<R>>>>>,
        /// (decoded bytes before the member, the member's file offset), oldest first; the ones no record
        /// can start in any more are dropped.
        members: VecDeque<(u64, u64)>,
        /// Decoded bytes produced so far.
        produced: u64,
    },
}

impl<R: Read> Source<R> {
    /// Open the stream at `file_offset` (where `inner` reads from): gzip when it starts with the gzip magic.
    fn open(inner: R, file_offset: u64) -> io::Result<Source<R>> {
        let mut inner = BufReader::with_capacity(CHUNK, inner);
        let head = loop {
            match inner.fill_buf() {
                Ok(head) => break head,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if !head.starts_with(&[0x1f, 0x8b]) {
            return Ok(Source::Plain(inner));
        }
        let counting = Counting {
            inner,
            count: file_offset,
        };
        Ok(Source::Gzip {
            decoder: Some(Box::new(flate2::bufread::GzDecoder::new(counting))),
            members: VecDeque::from([(0, file_offset)]),
            produced: 0,
        })
    }

    fn read(&mut self, out: &mut [u8]) -> Result<usize, SourceError> {
        match self {
            Source::Failed => Ok(0),
            Source::Plain(r) => loop {
                match r.read(out) {
                    Ok(n) => return Ok(n),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(SourceError::Io(e)),
                }
            },
            Source::Gzip {
                decoder,
                members,
                produced,
            } => loop {
                let Some(current) = decoder.as_mut() else {
                    return Ok(0);
                };
                match current.read(out) {
                    Ok(0) => {
                        // The member is done; another may follow it (one per record, or concatenated files).
                        let Some(done) = decoder.take() else { return Ok(0) };
                        let mut rest = done.into_inner();
                        let more = loop {
                            match rest.fill_buf() {
                                Ok(b) => break !b.is_empty(),
                                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                                Err(e) => return Err(SourceError::Io(e)),
                            }
                        };
                        if !more {
                            // The end of the file, as a position: resuming there reads nothing, without
                            // decoding the last member again.
                            members.push_back((*produced, rest.count));
                            return Ok(0);
                        }
                        members.push_back((*produced, rest.count));
                        *decoder = Some(Box::new(flate2::bufread::GzDecoder::new(rest)));
                    }
                    Ok(n) => {
                        *produced += n as u64;
                        return Ok(n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error) => {
                        let member = members.back().map(|m| m.1).unwrap_or_default();
                        *decoder = None;
                        return Err(SourceError::Gzip { member, error });
                    }
                }
            },
        }
    }
}

/// Reads the records of one WARC file, in order. Use [`WarcReader::next_record`], or iterate.
pub struct WarcReader<R: Read> {
    source: Source<R>,
    options: ReaderOptions,
    /// Where the source started: the file offset of its first byte, for a plain file.
    start_offset: u64,
    buf: Vec<u8>,
    /// The unread bytes are `buf[lo..hi]`.
    lo: usize,
    hi: usize,
    /// Decoded offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// A read failure met while filling the buffer; reported with the record it cut short.
    failure: Option<WarcError>,
    done: bool,
}

impl<R: Read> WarcReader<R> {
    /// Read a file from its first byte.
    pub fn new(reader: R, options: ReaderOptions) -> WarcReader<R> {
        Self::resume(reader, Position::default(), options)
    }

    /// Read from `at`, a position given by an earlier record ([`Record::start`] or [`Record::end`]). `reader`
    /// must already stand at `at.offset` (seeked there, or that many bytes read from a stream); `at.inner`
    /// decoded bytes are then read and dropped.
    pub fn resume(reader: R, at: Position, options: ReaderOptions) -> WarcReader<R> {
        let (source, failure) = match Source::open(reader, at.offset) {
            Ok(source) => (source, None),
            Err(source) => (Source::Failed, Some(WarcError::Io { at, source })),
        };
        let mut warc = WarcReader {
            source,
            options,
            start_offset: at.offset,
            buf: Vec::new(),
            lo: 0,
            hi: 0,
            base: 0,
            eof: failure.is_some(),
            failure,
            done: false,
        };
        if at.inner > 0 && warc.failure.is_none() {
            let skipped = warc.skip_bytes(at.inner);
            if skipped < at.inner && warc.failure.is_none() {
                warc.failure = Some(WarcError::Io {
                    at,
                    source: io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("the data ends {skipped} bytes into the member, before this position"),
                    ),
                });
            }
        }
        warc
    }

    /// The next record, or the error met instead of it; `None` at the end of the file and after a fatal error.
    pub fn next_record(&mut self) -> Option<Result<Record, WarcError>> {
        if self.done {
            return None;
        }
        self.give_back_memory();
        self.skip_blank();
        self.forget_members();
        if self.lo == self.hi {
            self.done = true;
            return self.failure.take().map(Err);
        }
        let start = self.position_here();
        let result = self.read_record(start);
        if let Err(e) = &result {
            if e.is_fatal() {
                self.done = true;
            }
        }
        Some(result)
    }

    fn read_record(&mut self, start: Position) -> Result<Record, WarcError> {
        let header = self.read_header(start)?;
        let Some(declared) = header.content_length() else {
            let message = match header.get("Content-Length") {
                Some(v) => format!("Content-Length {v:?} is not a number"),
                None => "no Content-Length".to_string(),
            };
            self.resync();
            return Err(WarcError::BadHeader { at: start, message });
        };
        if declared > self.options.max_record_bytes {
            let skipped = self.skip_bytes(declared);
            if skipped < declared {
                return Err(self.truncated(start, declared, skipped));
            }
            self.fill(4);
            let Some(trailer) = self.trailer_at(self.lo) else {
                // The block cannot be looked at again (it was not kept): go on from here.
                self.resync();
                return Err(WarcError::BadLength { at: start, declared });
            };
            self.lo += trailer;
            return Ok(Record {
                start,
                end: self.position_after(),
                header,
                block: Block::TooLarge { length: declared },
            });
        }
        // No overflow: `declared` is at most `max_record_bytes`, which fits memory by the caller's choice.
        let length = declared as usize;
        self.fill(length.saturating_add(4));
        let available = self.hi - self.lo;
        if available < length {
            // Either the file is cut short, or the Content-Length is too big and runs past its end: a record
            // further on tells which.
            if self.resync() {
                return Err(WarcError::BadLength { at: start, declared });
            }
            return Err(self.truncated(start, declared, available as u64));
        }
        let block_start = self.lo;
        let Some(trailer) = self.trailer_at(block_start + length) else {
            self.resync();
            return Err(WarcError::BadLength { at: start, declared });
        };
        let block = self.buf[block_start..block_start + length].to_vec();
        self.lo = block_start + length + trailer;
        Ok(Record {
            start,
            end: self.position_after(),
            header,
            block: Block::Data(block),
        })
    }

    /// Read the version line and the fields, up to and with the blank line.
    fn read_header(&mut self, start: Position) -> Result<Header, WarcError> {
        let mut taken = 0usize;
        let version = match self.read_line(&mut taken) {
            Line::Full(l) | Line::Last(l) if l.as_bytes().starts_with(b"WARC/") => l.trim().to_string(),
            Line::Full(l) | Line::Last(l) => {
                self.resync();
                return Err(WarcError::NotARecord {
                    at: start,
                    found: l.chars().take(40).collect(),
                });
            }
            Line::TooLong => {
                // Step past the line's first byte so that the search cannot find this same line again.
                self.lo += 1;
                self.resync();
                return Err(WarcError::NotARecord {
                    at: start,
                    found: "a line longer than a header may be".into(),
                });
            }
        };
        let mut lines = Vec::new();
        loop {
            match self.read_line(&mut taken) {
                Line::Full(l) if l.is_empty() => break,
                Line::Full(l) => lines.push(l),
                Line::Last(_) => {
                    return Err(WarcError::TruncatedHeader {
                        at: start,
                        cause: self.failure_note(),
                    })
                }
                Line::TooLong => {
                    self.resync();
                    return Err(WarcError::BadHeader {
                        at: start,
                        message: format!("the header is longer than {MAX_HEADER_BYTES} bytes"),
                    });
                }
            }
        }
        Ok(Header {
            version,
            fields: parse_fields(&lines),
        })
    }

    fn truncated(&mut self, at: Position, declared: u64, available: u64) -> WarcError {
        WarcError::Truncated {
            at,
            declared,
            available,
            cause: self.failure_note(),
        }
    }

    /// The read failure that ended the data early, as a note for the error it caused (it is not reported
    /// again on its own).
    fn failure_note(&mut self) -> Option<String> {
        self.failure.take().map(|f| match f {
            WarcError::Gzip { message, .. } => format!("gzip: {message}"),
            other => other.to_string(),
        })
    }

    /// The length of the end-of-record mark at `at` (CR LF CR LF; LF LF and a last record whose mark is
    /// short or missing are taken too), or `None` when what follows the block is not one.
    fn trailer_at(&self, at: usize) -> Option<usize> {
        let tail = self.buf.get(at..self.hi)?;
        if tail.starts_with(b"\r\n\r\n") {
            return Some(4);
        }
        if tail.starts_with(b"\n\n") {
            return Some(2);
        }
        let at_end = self.eof && tail.len() < 4 && tail.iter().all(|b| *b == b'\r' || *b == b'\n');
        at_end.then_some(tail.len())
    }

    /// The position of the next unread byte, once the stream has been read far enough to know whether a new
    /// gzip member starts there.
    fn position_after(&mut self) -> Position {
        self.fill(1);
        self.position_here()
    }

    fn position_here(&self) -> Position {
        self.position_of(self.base + self.lo as u64)
    }

    /// The file position of the decoded byte at `decoded`.
    fn position_of(&self, decoded: u64) -> Position {
        match &self.source {
            Source::Plain(_) | Source::Failed => Position {
                offset: self.start_offset + decoded,
                inner: 0,
            },
            Source::Gzip { members, .. } => {
                let (member_start, offset) = members
                    .iter()
                    .rev()
                    .find(|m| m.0 <= decoded)
                    .copied()
                    .unwrap_or((0, self.start_offset));
                Position {
                    offset,
                    inner: decoded - member_start,
                }
            }
        }
    }

    /// Forget the gzip members that end before the next unread byte: no record can start in them any more.
    fn forget_members(&mut self) {
        let decoded = self.base + self.lo as u64;
        if let Source::Gzip { members, .. } = &mut self.source {
            while members.get(1).is_some_and(|m| m.0 <= decoded) {
                members.pop_front();
            }
        }
    }

    /// Make `want` unread bytes available, unless the data ends first; returns whether it did.
    fn fill(&mut self, want: usize) -> bool {
        while self.hi - self.lo < want && !self.eof {
            if self.lo > 0 && self.buf.len() - self.hi < CHUNK {
                self.buf.copy_within(self.lo..self.hi, 0);
                self.base += self.lo as u64;
                self.hi -= self.lo;
                self.lo = 0;
            }
            let room = (want - (self.hi - self.lo)).max(CHUNK);
            if self.buf.len() - self.hi < room {
                self.buf.resize(self.hi + room, 0);
            }
            match self.source.read(&mut self.buf[self.hi..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.hi += n,
                Err(e) => {
                    let at = self.position_at_end();
                    self.failure = Some(match e {
                        SourceError::Io(source) => WarcError::Io { at, source },
                        SourceError::Gzip { member, error } => WarcError::Gzip {
                            at: Position {
                                offset: member,
                                inner: 0,
                            },
                            message: error.to_string(),
                        },
                    });
                    self.eof = true;
                }
            }
        }
        self.hi - self.lo >= want
    }

    /// Where the data read so far ends, for an error met while reading more.
    fn position_at_end(&self) -> Position {
        self.position_of(self.base + self.hi as u64)
    }

    /// Read one line (up to LF, which is dropped with a CR before it), counting it against the header limit.
    fn read_line(&mut self, taken: &mut usize) -> Line {
        let mut scanned = 0;
        loop {
            let unread = &self.buf[self.lo + scanned..self.hi];
            if let Some(i) = unread.iter().position(|&b| b == b'\n') {
                let end = self.lo + scanned + i;
                *taken += end + 1 - self.lo;
                if *taken > MAX_HEADER_BYTES {
                    return Line::TooLong;
                }
                let line = &self.buf[self.lo..end];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let text = String::from_utf8_lossy(line).into_owned();
                self.lo = end + 1;
                return Line::Full(text);
            }
            scanned = self.hi - self.lo;
            if *taken + scanned > MAX_HEADER_BYTES {
                return Line::TooLong;
            }
            if !self.fill(scanned + 1) {
                let text = String::from_utf8_lossy(&self.buf[self.lo..self.hi]).into_owned();
                self.lo = self.hi;
                return Line::Last(text);
            }
        }
    }

    /// Skip the line ends and spaces between records.
    fn skip_blank(&mut self) {
        loop {
            while self.lo < self.hi && matches!(self.buf[self.lo], b'\r' | b'\n' | b' ' | b'\t') {
                self.lo += 1;
            }
            if self.lo < self.hi || !self.fill(1) {
                return;
            }
        }
    }

    /// Read and drop `n` bytes; returns how many there were.
    fn skip_bytes(&mut self, n: u64) -> u64 {
        let mut skipped = 0u64;
        while skipped < n {
            if self.lo == self.hi && !self.fill(1) {
                break;
            }
            let take = ((self.hi - self.lo) as u64).min(n - skipped);
            self.lo += take as usize;
            skipped += take;
            if self.lo == self.hi {
                // Nothing unread is kept, so the next fill starts the buffer over instead of growing it.
                self.base += self.lo as u64;
                self.lo = 0;
                self.hi = 0;
            }
        }
        skipped
    }

    /// Go on to the next record start: a line that begins with `WARC/1.`, here (where a line begins) or
    /// further on. Returns whether one was found; if not, everything is read.
    fn resync(&mut self) -> bool {
        self.fill(RECORD_START.len());
        if self.buf[self.lo..self.hi].starts_with(RECORD_START) {
            return true;
        }
        loop {
            let found = self.buf[self.lo..self.hi]
                .windows(RECORD_START.len() + 1)
                .position(|w| w[0] == b'\n' && &w[1..] == RECORD_START);
            if let Some(i) = found {
                self.lo += i + 1;
                return true;
            }
            // Keep only the bytes that may begin a match with what comes next.
            self.lo = self.hi - RECORD_START.len().min(self.hi - self.lo);
            let unread = self.hi - self.lo;
            if !self.fill(unread + 1) {
                self.lo = self.hi;
                return false;
            }
        }
    }

    /// After a big record, shrink the buffer back.
    fn give_back_memory(&mut self) {
        if self.buf.len() > KEEP_BUFFER && self.hi - self.lo <= CHUNK {
            self.buf.copy_within(self.lo..self.hi, 0);
            self.base += self.lo as u64;
            self.hi -= self.lo;
            self.lo = 0;
            self.buf.truncate(CHUNK.max(self.hi));
            self.buf.shrink_to_fit();
        }
    }
}

enum Line {
    Full(String),
    /// The data ended before a line end.
    Last(String),
    TooLong,
}

impl<R: Read> Iterator for WarcReader<R> {
    type Item = Result<Record, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Seek, SeekFrom, Write};

    use super::*;
    use crate::header::RecordType;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        record_with_length(kind, uri, block, block.len())
    }

    fn record_with_length(kind: &str, uri: &str, block: &[u8], length: usize) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Length: {length}\r\n\r\n"
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    }

    fn page(n: usize) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>page {n}</p>").into_bytes()
    }

    fn records(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| record("response", &format!("https://example.com/{i}"), &page(i)))
            .collect()
    }

    fn read_all(bytes: &[u8], options: ReaderOptions) -> Vec<Result<Record, WarcError>> {
        WarcReader::new(bytes, options).collect()
    }

    fn uri(r: &Result<Record, WarcError>) -> String {
        match r {
            Ok(r) => r.header.target_uri().unwrap_or_default().to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn plain_records_with_offsets() {
        let parts = [
            record("warcinfo", "", b"software: test\r\n"),
            record("request", "https://example.com/0", b"GET / HTTP/1.1\r\n\r\n"),
            record("response", "https://example.com/0", &page(0)),
            record("metadata", "https://example.com/0", b"fetchTimeMs: 12\r\n"),
            record("revisit", "https://example.com/0", b"HTTP/1.1 200 OK\r\n\r\n"),
        ];
        let file = parts.concat();
        let got = read_all(&file, ReaderOptions::default());
        let kinds: Vec<RecordType> = got
            .iter()
            .map(|r| r.as_ref().expect("well formed").header.record_type())
            .collect();
        use RecordType::*;
        assert_eq!(kinds, [Warcinfo, Request, Response, Metadata, Revisit]);
        let mut offset = 0;
        for (r, part) in got.iter().zip(&parts) {
            let r = r.as_ref().expect("well formed");
            assert_eq!(r.start, Position { offset, inner: 0 });
            offset += part.len() as u64;
            assert_eq!(r.end, Position { offset, inner: 0 });
        }
        let response = got[2].as_ref().expect("response");
        assert_eq!(response.block.data(), Some(&page(0)[..]));
        assert_eq!(
            response.header.date().map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-05-01T10:00:00+00:00")
        );
        // Resuming at a record's start reads it again; at its end goes on after it.
        let mut cursor = Cursor::new(file.clone());
        cursor.seek(SeekFrom::Start(response.start.offset)).expect("seek");
        let again: Vec<_> = WarcReader::resume(cursor, response.start, ReaderOptions::default()).collect();
        assert_eq!(again.len(), 3);
        assert_eq!(again[0].as_ref().expect("same record"), response);
        let mut cursor = Cursor::new(file.clone());
        cursor.seek(SeekFrom::Start(response.end.offset)).expect("seek");
        let rest: Vec<_> = WarcReader::resume(cursor, response.end, ReaderOptions::default()).collect();
        assert_eq!(rest.len(), 2);
        let last = got[4].as_ref().expect("last");
        let at_end = &file[last.end.offset as usize..];
        assert_eq!(
            WarcReader::resume(at_end, last.end, ReaderOptions::default()).count(),
            0
        );
    }

    #[test]
    fn gzip_member_per_record() {
        let members: Vec<Vec<u8>> = records(4).iter().map(|r| gzip(r)).collect();
        let file = members.concat();
        let got = read_all(&file, ReaderOptions::default());
        assert_eq!(got.len(), 4);
        let mut offset = 0;
        for (i, r) in got.iter().enumerate() {
            let r = r.as_ref().expect("well formed");
            assert_eq!(r.start, Position { offset, inner: 0 }, "record {i}");
            offset += members[i].len() as u64;
            assert_eq!(r.end, Position { offset, inner: 0 }, "record {i}");
            assert_eq!(r.block.data(), Some(&page(i)[..]));
        }
        // Resume from the third member.
        let second = got[1].as_ref().expect("second");
        let rest = &file[second.end.offset as usize..];
        let resumed: Vec<String> = WarcReader::resume(rest, second.end, ReaderOptions::default())
            .map(|r| uri(&r))
            .collect();
        assert_eq!(resumed, ["https://example.com/2", "https://example.com/3"]);
    }

    #[test]
    fn whole_file_gzip_and_concatenated_files() {
        let recs = records(4);
        let first = gzip(&recs[..2].concat());
        let second = gzip(&recs[2..].concat());
        let file = [first.clone(), second].concat();
        let got: Vec<Record> = read_all(&file, ReaderOptions::default())
            .into_iter()
            .map(|r| r.expect("well formed"))
            .collect();
        let starts: Vec<Position> = got.iter().map(|r| r.start).collect();
        let len0 = recs[0].len() as u64;
        let m2 = first.len() as u64;
        assert_eq!(
            starts,
            [
                Position { offset: 0, inner: 0 },
                Position { offset: 0, inner: len0 },
                Position { offset: m2, inner: 0 },
                Position {
                    offset: m2,
                    inner: recs[2].len() as u64
                },
            ]
        );
        assert_eq!(
            got[1].end,
            Position { offset: m2, inner: 0 },
            "the end of a member is the next one's start"
        );
        assert_eq!(
            got[3].end,
            Position {
                offset: file.len() as u64,
                inner: 0
            },
            "the end of the file"
        );
        // Resume inside a member: decode it again from its start, drop what came before the record.
        let resumed: Vec<String> = WarcReader::resume(&file[..], got[1].start, ReaderOptions::default())
            .map(|r| uri(&r))
            .collect();
        assert_eq!(
            resumed[..],
            [
                "https://example.com/1",
                "https://example.com/2",
                "https://example.com/3"
            ]
        );
        let rest = &file[m2 as usize..];
        let resumed: Vec<String> = WarcReader::resume(rest, got[3].start, ReaderOptions::default())
            .map(|r| uri(&r))
            .collect();
        assert_eq!(resumed, ["https://example.com/3"]);
        let resumed: Vec<String> = WarcReader::resume(&file[..], got[0].end, ReaderOptions::default())
            .map(|r| uri(&r))
            .collect();
        assert_eq!(resumed[0], "https://example.com/1");
    }

    #[test]
    fn truncated_last_record_names_its_offset() {
        let recs = records(3);
        let mut file = recs.concat();
        file.truncate(file.len() - 20);
        let got = read_all(&file, ReaderOptions::default());
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok() && got[1].is_ok());
        let e = got[2].as_ref().expect_err("cut short");
        assert!(e.is_fatal());
        let at = (recs[0].len() + recs[1].len()) as u64;
        assert_eq!(e.position(), Position { offset: at, inner: 0 });
        assert!(
            e.to_string()
                .starts_with(&format!("record at offset {at} is cut short")),
            "{e}"
        );

        // The same in gzip, cut inside the last member.
        let members: Vec<Vec<u8>> = recs.iter().map(|r| gzip(r)).collect();
        let mut file = members.concat();
        file.truncate(file.len() - members[2].len() / 2);
        let got = read_all(&file, ReaderOptions::default());
        assert_eq!(got.len(), 3, "{:?}", got.iter().map(uri).collect::<Vec<_>>());
        let e = got[2].as_ref().expect_err("cut short");
        assert!(e.is_fatal());
        let at = (members[0].len() + members[1].len()) as u64;
        assert_eq!(e.position().offset, at, "{e}");

        // Cut inside the header.
        let mut file = recs.concat();
        file.truncate(recs[0].len() + 30);
        let got = read_all(&file, ReaderOptions::default());
        assert!(matches!(got[1], Err(WarcError::TruncatedHeader { .. })), "{:?}", got[1]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn wrong_content_length_is_an_error_on_that_record_only() {
        let good = records(3);
        for length in [page(9).len() - 5, page(9).len() + 7, page(9).len() + 5000] {
            let bad = record_with_length("response", "https://example.com/bad", &page(9), length);
            let file = [good[0].clone(), bad, good[1].clone(), good[2].clone()].concat();
            let got = read_all(&file, ReaderOptions::default());
            let uris: Vec<String> = got.iter().map(uri).collect();
            assert_eq!(uris.len(), 4, "length {length}: {uris:?}");
            assert_eq!(uris[0], "https://example.com/0");
            let e = got[1].as_ref().expect_err("bad length");
            assert!(matches!(e, WarcError::BadLength { .. }) && !e.is_fatal(), "{e}");
            assert_eq!(e.position().offset, good[0].len() as u64);
            assert_eq!(
                &uris[2..],
                ["https://example.com/1", "https://example.com/2"],
                "length {length}"
            );
        }
    }

    #[test]
    fn big_records_are_read_through_not_kept() {
        let big = record("response", "https://example.com/big", &vec![b'x'; 5000]);
        let recs = records(2);
        let file = [recs[0].clone(), big, recs[1].clone()].concat();
        let got = read_all(&file, ReaderOptions { max_record_bytes: 1000 });
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].as_ref().expect("read").block, Block::TooLarge { length: 5000 });
        assert_eq!(uri(&got[2]), "https://example.com/1");
    }

    #[test]
    fn garbage_and_bad_headers_are_skipped() {
        let recs = records(3);
        let no_length = b"WARC/1.0\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n".to_vec();
        let file = [
            b"garbage before the first record\r\n".to_vec(),
            recs[0].clone(),
            no_length,
            recs[1].clone(),
            b"\r\n\r\nmore garbage\nWARC/0.9 is not a version we know\r\n".to_vec(),
            recs[2].clone(),
        ]
        .concat();
        let got = read_all(&file, ReaderOptions::default());
        let uris: Vec<String> = got.iter().map(uri).collect();
        assert_eq!(uris.len(), 6, "{uris:?}");
        assert!(matches!(got[0], Err(WarcError::NotARecord { .. })));
        assert_eq!(uris[1], "https://example.com/0");
        assert!(matches!(&got[2], Err(WarcError::BadHeader { message, .. }) if message == "no Content-Length"));
        assert_eq!(uris[3], "https://example.com/1");
        assert!(matches!(got[4], Err(WarcError::NotARecord { .. })));
        assert_eq!(uris[5], "https://example.com/2");
        // A line longer than any header.
        let file = [vec![b'a'; MAX_HEADER_BYTES + 10], b"\nWARC/1.0 x".to_vec()].concat();
        let got = read_all(&file, ReaderOptions::default());
        assert!(
            got.iter().all(|r| r.is_err()) && !got.is_empty() && got.len() < 4,
            "{:?}",
            got
        );
    }

    #[test]
    fn corrupt_gzip_member_stops_the_file() {
        let members: Vec<Vec<u8>> = records(3).iter().map(|r| gzip(r)).collect();
        let mut corrupt = members[1].clone();
        for b in &mut corrupt[12..20] {
            *b ^= 0x5a;
        }
        let file = [members[0].clone(), corrupt, members[2].clone()].concat();
        let got = read_all(&file, ReaderOptions::default());
        assert!(got[0].is_ok());
        let e = got.last().expect("an error").as_ref().expect_err("corrupt");
        assert!(e.is_fatal(), "{e}");
        assert_eq!(e.position().offset, members[0].len() as u64, "{e}");
        // Bytes after the last member that are not gzip.
        let file = [members[0].clone(), b"trailing".to_vec()].concat();
        let got = read_all(&file, ReaderOptions::default());
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[1], Err(WarcError::Gzip { at, .. }) if at.offset == members[0].len() as u64));
    }

    #[test]
    fn positions_round_trip_as_text() {
        for p in [
            Position { offset: 0, inner: 0 },
            Position { offset: 1234, inner: 0 },
            Position { offset: 7, inner: 99 },
        ] {
            assert_eq!(p.to_string().parse::<Position>(), Ok(p));
        }
        assert_eq!("12+3".parse::<Position>(), Ok(Position { offset: 12, inner: 3 }));
        assert!("12+".parse::<Position>().is_err());
        assert!("x".parse::<Position>().is_err());
    }

    #[test]
    fn reads_from_a_stream_a_few_bytes_at_a_time() {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(3).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let plain = records(5).concat();
        let got: Vec<_> = WarcReader::new(Trickle(&plain), ReaderOptions::default()).collect();
        assert_eq!(got.len(), 5);
        assert!(got.iter().all(|r| r.is_ok()));
        let members: Vec<Vec<u8>> = records(5).iter().map(|r| gzip(r)).collect();
        let file = members.concat();
        let got: Vec<_> = WarcReader::new(Trickle(&file), ReaderOptions::default()).collect();
        let offsets: Vec<u64> = got.iter().map(|r| r.as_ref().expect("ok").start.offset).collect();
        let want: Vec<u64> = members
            .iter()
            .scan(0u64, |at, m| {
                let start = *at;
                *at += m.len() as u64;
                Some(start)
            })
            .collect();
        assert_eq!(offsets, want);
    }
}
