//! OPML import (`newsdesk_feeds::opml::parse`) on any text, and its writer (`newsdesk_feeds::opml::write`).
//!
//! Checks: every subscription has a non-empty, trimmed URL; no more subscriptions than input bytes; and
//! the round trip: what `write` makes of the subscriptions parses back to the same subscriptions (a
//! subscription without a title is written with its URL as the title).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_feeds::opml::{parse, write, Subscription};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(subs) = parse(&text) else { return };
    assert!(subs.len() <= text.len(), "{} subscriptions from {} bytes", subs.len(), text.len());
    for s in &subs {
        assert!(!s.url.is_empty() && s.url.trim() == s.url, "url {:?}", s.url);
    }
    let doc = write("fuzz", &subs);
    let back = parse(&doc).unwrap_or_else(|e| panic!("own output does not parse: {e}\n{doc}"));
    let want: Vec<Subscription> = subs
        .iter()
        .map(|s| Subscription {
            url: s.url.clone(),
            title: s.title.clone().or_else(|| Some(s.url.clone())),
        })
        .collect();
    assert_eq!(back, want, "round trip through\n{doc}");
});
