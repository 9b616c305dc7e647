//! The page extractor (`newsdesk_extract::extract`) on any bytes, as fetched from a page URL.
//!
//! Checks: the outputs are bounded by the page size (text: charset decoding and entities grow it by at
//! most a small factor; Markdown and HTML also carry escapes and absolute link URLs); an empty text
//! always comes with a reason and a text never with one; dates are ISO 8601; URLs given back are absolute.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_extract::{extract, Options};
use newsdesk_fuzz::check_iso_date;

const PAGE_URL: &str = "https://example.com/news/2024/05/story.html";
const TEXT_FACTOR: usize = 4;
const MARKUP_FACTOR: usize = 8;
const SLACK: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let content_type = match data.first() {
        Some(b) if b % 4 == 0 => Some("text/html; charset=utf-8"),
        Some(b) if b % 4 == 1 => Some("text/html; charset=windows-1252"),
        Some(b) if b % 4 == 2 => Some("text/html"),
        _ => None,
    };
    let a = extract(data, &Options { url: Some(PAGE_URL), content_type, rules: None });
    let n = data.len().min(newsdesk_extract::MAX_INPUT);
    assert!(
        a.text.len() <= TEXT_FACTOR * n + SLACK,
        "{} bytes of text from {n} bytes",
        a.text.len()
    );
    assert!(
        a.markdown.len() <= MARKUP_FACTOR * n + SLACK,
        "{} bytes of Markdown from {n} bytes",
        a.markdown.len()
    );
    assert!(a.html.len() <= MARKUP_FACTOR * n + SLACK, "{} bytes of HTML from {n} bytes", a.html.len());
    assert_eq!(a.text.is_empty(), a.reason.is_some(), "text {:?} with reason {:?}", a.text, a.reason);
    for d in [&a.published, &a.modified].into_iter().flatten() {
        check_iso_date(d, "extract");
    }
    for u in [&a.url, &a.image].into_iter().flatten() {
        assert!(url::Url::parse(u).is_ok(), "not an absolute URL: {u:?}");
    }
});
