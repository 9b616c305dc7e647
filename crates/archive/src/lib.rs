//! WARC archives in, records out. A streaming reader for WARC 1.0 and 1.1 files, plain or gzip (one member
//! per record, as crawlers write them, or the whole file in one member), and the HTTP layer of `response`
//! records: status line, headers, chunked transfer coding and gzip, deflate or brotli content coding.
//!
//! ```
//! use newsdesk_archive::{parse_response, RecordType, WarcReader};
//! let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>";
//! let mut warc = format!(
//!     "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/a\r\n\
//!      WARC-Date: 2024-05-01T10:00:00Z\r\nContent-Length: {}\r\n\r\n",
//!     page.len()
//! )
//! .into_bytes();
//! warc.extend_from_slice(page);
//! warc.extend_from_slice(b"\r\n\r\n");
//! let mut reader = WarcReader::new(&warc[..], Default::default());
//! let record = reader.next_record().expect("one record").expect("well formed");
//! assert_eq!(record.header.record_type(), RecordType::Response);
//! assert_eq!(record.start.to_string(), "0");
//! let block = record.block.data().expect("block kept");
//! let response = parse_response(block).expect("HTTP response");
//! assert_eq!(response.status, 200);
//! assert_eq!(response.body(block, 1 << 20).expect("body"), b"<p>Hello</p>");
//! assert!(reader.next_record().is_none());
//! ```
//!
//! Memory is bounded by the largest record kept ([`ReaderOptions::max_record_bytes`]): a bigger record is
//! read through without being kept, and comes out with [`Block::TooLarge`].
//!
//! Every record carries its [`Position`] in the file: the byte offset where it starts, or for a record inside
//! a gzip member holding several records, the member's offset and how far into its decompressed bytes the
//! record starts. [`WarcReader::resume`] starts reading there again.

mod header;
mod http;
mod reader;

pub use header::{Header, RecordType};
pub use http::{parse_response, HttpError, HttpResponse};
pub use reader::{Block, Position, ReaderOptions, Record, WarcError, WarcReader};
