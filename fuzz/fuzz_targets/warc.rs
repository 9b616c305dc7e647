//! The WARC reader (`newsdesk_archive::WarcReader`) and the HTTP layer of its records
//! (`newsdesk_archive::parse_response`, `HttpResponse::body`) on any bytes, plain or gzip.
//!
//! Checks: the reader always moves on (no more records and errors than input bytes), and says nothing
//! after a fatal error; records come in file order, each ending after it starts; a kept block is never
//! longer than `max_record_bytes`; resuming at a record's start reads that same record again, and
//! resuming at its end reads what came next (the round trip `ingest warc` relies on after a stop); a
//! decoded body is never longer than the limit asked for (gzip, deflate and brotli bombs included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_archive::{parse_response, Position, ReaderOptions, Record, WarcError, WarcReader};

const OPTIONS: ReaderOptions = ReaderOptions { max_record_bytes: 16 * 1024 };
const BODY_LIMIT: usize = 64 * 1024;
/// Records checked by resuming (each resume reads again from there).
const RESUMES: usize = 4;

fn first_at(data: &[u8], at: Position) -> Option<Result<Record, WarcError>> {
    let offset = usize::try_from(at.offset).ok()?;
    WarcReader::resume(data.get(offset..)?, at, OPTIONS).next_record()
}

/// Records equal, errors of the same kind at the same place.
fn same(a: &Option<Result<Record, WarcError>>, b: &Option<Result<Record, WarcError>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Ok(x)), Some(Ok(y))) => x == y,
        (Some(Err(x)), Some(Err(y))) => std::mem::discriminant(x) == std::mem::discriminant(y),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut reader = WarcReader::new(data, OPTIONS);
    let mut items: Vec<Option<Result<Record, WarcError>>> = Vec::new();
    loop {
        let item = reader.next_record();
        let end = item.is_none();
        let fatal = matches!(&item, Some(Err(e)) if e.is_fatal());
        items.push(item);
        assert!(items.len() <= data.len() + 2, "{} records and errors from {} bytes", items.len(), data.len());
        if end {
            break;
        }
        if fatal {
            assert!(reader.next_record().is_none(), "the reader goes on after a fatal error");
            items.push(None);
            break;
        }
    }

    let mut last_end = Position::default();
    for item in &items {
        let Some(Ok(r)) = item else { continue };
        assert!(r.start < r.end, "record ends at {} before its start {}", r.end, r.start);
        assert!(r.start >= last_end, "record at {} starts before the previous one ends at {last_end}", r.start);
        last_end = r.end;
        if let Some(block) = r.block.data() {
            assert!(block.len() as u64 <= OPTIONS.max_record_bytes, "a kept block of {} bytes", block.len());
            if let Ok(response) = parse_response(block) {
                if let Ok(body) = response.body(block, BODY_LIMIT) {
                    assert!(body.len() <= BODY_LIMIT, "a body of {} bytes", body.len());
                }
            }
        }
    }

    // Resuming: at a record's start, the same record; at its end, whatever the reader met next.
    for (i, item) in items.iter().enumerate().take(RESUMES) {
        let Some(Ok(r)) = item else { continue };
        let again = first_at(data, r.start);
        assert!(same(&again, item), "resuming at {} reads {again:?}, not {item:?}", r.start);
        let next = first_at(data, r.end);
        let want = &items[i + 1];
        // An error right after the record may be met a little differently from a fresh start; records
        // must be the same.
        if matches!(want, Some(Ok(_))) || want.is_none() {
            assert!(same(&next, want), "resuming at {} reads {next:?}, not {want:?}", r.end);
        }
    }
});
