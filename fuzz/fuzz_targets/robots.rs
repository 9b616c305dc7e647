//! robots.txt (`newsdesk_fetch::RobotsRules::parse`) on any bytes, then the questions the fetcher asks
//! (`allowed`, `crawl_delay`).
//!
//! Checks: a crawl delay is finite and not negative; an absolute URL and its path get the same answer;
//! and a file whose `*` group says `Disallow: /` disallows every page whatever other `Disallow` rules
//! follow it (built from the input, one rule per line): a rule the parser cannot read must never turn
//! the file into "allow everything".
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_fetch::RobotsRules;

const PATHS: &[&str] = &["/", "/news/2024/story.html", "/search?q=a&b=c", "/private/", "/a%20b/%C3%A9"];

fuzz_target!(|data: &[u8]| {
    let rules = RobotsRules::parse(data);
    for path in PATHS {
        let abs = format!("https://example.com{path}");
        assert_eq!(rules.allowed(path), rules.allowed(&abs), "{path} and {abs} differ");
    }
    if let Some(d) = rules.crawl_delay() {
        assert!(d.as_secs_f64().is_finite(), "crawl delay {d:?}");
    }

    // `Disallow: /` for every agent, then more Disallow rules made of the input's lines.
    let mut doc = String::from("User-agent: *\nDisallow: /\n");
    for line in String::from_utf8_lossy(data).split(['\n', '\r', '\0']) {
        let rule: String = line.chars().filter(|c| *c != '#').collect();
        let rule = rule.trim();
        if !rule.is_empty() {
            doc.push_str("Disallow: /");
            doc.push_str(rule);
            doc.push('\n');
        }
    }
    let closed = RobotsRules::parse(doc.as_bytes());
    for path in PATHS {
        assert!(!closed.allowed(path), "{path} allowed by {doc:?}");
    }
});
