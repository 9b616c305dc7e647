//! The feed parser (`newsdesk_feeds::parse`) on any bytes: RSS, Atom, RDF and JSON Feed, with every
//! repair the parser makes.
//!
//! Checks: no more items than input bytes; every item has an id; the total size of what comes out is
//! bounded by the input size (entities, `xml:base`, charset decoding and the summary-from-content copy
//! may grow the text, but only by a constant factor: a document that makes the parser produce more is an
//! expansion attack such as "billion laughs"); dates are within chrono's range, so they serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_feeds::{parse, ParsedFeed};
use newsdesk_fuzz::len_of;

const FEED_URL: &str = "https://example.com/news/feed.xml";

/// Output bytes allowed per input byte, plus a constant and a per-item allowance (id hash, the feed URL in
/// resolved links).
const FACTOR: usize = 16;
const SLACK: usize = 4096;
const PER_ITEM: usize = 256;

fn output_size(feed: &ParsedFeed) -> usize {
    let m = &feed.meta;
    let mut n = m.title.len() + len_of([m.link.as_deref(), m.description.as_deref(), m.language.as_deref()]);
    for i in &feed.items {
        n += i.id.len() + i.title.len();
        n += len_of([i.link.as_deref(), i.summary.as_deref(), i.content.as_deref(), i.image.as_deref()]);
        n += i.authors.iter().chain(&i.categories).map(String::len).sum::<usize>();
        if let Some(s) = &i.source {
            n += s.title.len() + s.url.as_deref().map_or(0, str::len);
        }
    }
    n
}

fuzz_target!(|data: &[u8]| {
    let content_type = match data.first() {
        Some(b) if b % 3 == 0 => Some("application/rss+xml; charset=utf-8"),
        Some(b) if b % 3 == 1 => Some("text/xml; charset=iso-8859-1"),
        _ => None,
    };
    let Ok(feed) = parse(data, Some(FEED_URL), content_type) else { return };
    assert!(
        feed.items.len() <= data.len(),
        "{} items from {} bytes",
        feed.items.len(),
        data.len()
    );
    for item in &feed.items {
        assert!(!item.id.is_empty(), "an item without an id: {item:?}");
    }
    let out = output_size(&feed);
    let bound = FACTOR * data.len() + SLACK + PER_ITEM * feed.items.len();
    assert!(out <= bound, "{out} bytes of output from {} bytes of input (bound {bound})", data.len());
    assert!(feed.repairs.len() <= data.len() + 16, "{} repair notes for {} bytes", feed.repairs.len(), data.len());
    // What the pipeline stores: the parsed feed as JSON.
    serde_json::to_string(&feed).expect("a parsed feed serialises");
});
