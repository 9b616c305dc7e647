//! The extractor's date parsing: `date::normalize` (machine-readable dates), `date::from_text` (dates in
//! prose) and `date::from_url` (dates in URL paths) on any string, then the same string in the places a
//! page carries a date (`<meta property=publish>`, `<time datetime>`, a dateline), through `extract`, for
//! one input in eight.
//!
//! Checks: every date given back is ISO 8601 (`YYYY-MM-DD`, optionally `THH:MM:SS[.f][offset]`);
//! `normalize` is idempotent on its own output; text and URL dates are real days within the years the
//! extractor accepts (1990–2100).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_extract::{date, extract, Options};
use newsdesk_fuzz::{check_iso_date, check_plain_day};

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    if let Some(d) = date::normalize(&s) {
        check_iso_date(&d, "normalize");
        assert_eq!(date::normalize(&d).as_deref(), Some(d.as_str()), "normalize is not idempotent on {d:?}");
    }
    if let Some(d) = date::from_text(&s) {
        check_plain_day(&d, "from_text");
    }
    if let Some(d) = date::from_url(&s) {
        check_plain_day(&d, "from_url");
    }
    let in_url = format!("https://example.com/{s}");
    if let Some(d) = date::from_url(&in_url) {
        check_plain_day(&d, "from_url");
    }

    // The same string where pages carry dates, for one input in eight (chosen by a hash of the input,
    // so that each input always takes the same path): a page costs five times the date functions.
    if s.len() <= 160 && fnv1a(data) % 8 == 0 {
        let page = format!(
            "<html><head><meta property=publish content=\"{s}\"><meta name=dc.date.modified content=\"{s}\">\
             </head><body><article><h1>Headline</h1><p class=dateline>Published {s}</p>\
             <time datetime=\"{s}\">{s}</time><p>First paragraph of the story, long enough to count as content \
             for the extractor.</p></article></body></html>"
        );
        let a = extract(page.as_bytes(), &Options { url: Some("https://example.com/news/story.html"), ..Default::default() });
        if let Some(d) = &a.published {
            check_iso_date(d, "extract published");
        }
        if let Some(d) = &a.modified {
            check_iso_date(d, "extract modified");
        }
    }
});
