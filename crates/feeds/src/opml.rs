//! OPML 2.0 subscription lists: read `<outline xmlUrl=…>` entries, write them back out.

use std::collections::HashSet;

use quick_xml::events::Event;
use quick_xml::Reader;

/// An OPML document that is not well-formed XML, with the byte where reading stopped.
#[derive(Debug, thiserror::Error)]
#[error("not valid OPML at byte {offset}: {reason}")]
pub struct OpmlError {
    pub offset: u64,
    pub reason: String,
}

/// One subscription of an OPML file.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub url: String,
    pub title: Option<String>,
}

/// Every outline with an `xmlUrl`, at any depth (folders are flattened).
pub fn parse(text: &str) -> Result<Vec<Subscription>, OpmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut subs = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref().eq_ignore_ascii_case(b"outline") => {
                let (mut url, mut title, mut text_attr) = (None, None, None);
                // The reader's own duplicate check compares each attribute with every earlier one (an
                // outline with 100,000 attributes would take minutes); a set keeps its rule, first one wins.
                let mut seen = HashSet::new();
                for attr in e.attributes().with_checks(false).flatten() {
                    if !seen.insert(attr.key.0) {
                        continue;
                    }
                    let value = attr.unescape_value().map(|v| v.trim().to_string()).ok();
                    match attr.key.local_name().as_ref() {
                        k if k.eq_ignore_ascii_case(b"xmlUrl") => url = value,
                        b"title" => title = value,
                        b"text" => text_attr = value,
                        _ => {}
                    }
                }
                if let Some(url) = url.filter(|u| !u.is_empty()) {
                    subs.push(Subscription {
                        url,
                        title: title.or(text_attr).filter(|t| !t.is_empty()),
                    });
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(OpmlError {
                    offset: reader.buffer_position(),
                    reason: e.to_string(),
                })
            }
        }
    }
    Ok(subs)
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// An OPML 2.0 document listing `subs`.
pub fn write(title: &str, subs: &[Subscription]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    out.push_str(&format!("    <title>{}</title>\n  </head>\n  <body>\n", escape(title)));
    for s in subs {
        let t = escape(s.title.as_deref().unwrap_or(&s.url));
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{}\"/>\n",
            escape(&s.url)
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_outlines_and_round_trips() {
        let doc = r#"<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
            <outline text="World"><outline text="BBC &amp; co" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
            <outline title="Folder only"/></outline>
            <outline type="rss" text="Le Monde" xmlUrl=" https://www.lemonde.fr/rss/une.xml?a=1&amp;b=2 "/></body></opml>"#;
        let subs = parse(doc).expect("valid OPML");
        assert_eq!(subs.len(), 2);
        assert_eq!(subs[0].title.as_deref(), Some("BBC & co"));
        assert_eq!(subs[1].url, "https://www.lemonde.fr/rss/une.xml?a=1&b=2");
        assert_eq!(parse(&write("mine", &subs)).expect("own output parses"), subs);
    }

    #[test]
    fn duplicate_attributes_keep_the_first() {
        let subs = parse(r#"<opml><body><outline xmlUrl="https://a.example/1" title="A" xmlUrl="https://a.example/2" title="B"/></body></opml>"#)
            .expect("valid OPML");
        assert_eq!(subs.len(), 1);
        assert_eq!(subs[0].url, "https://a.example/1");
        assert_eq!(subs[0].title.as_deref(), Some("A"));
    }

    /// CPU time spent by the calling thread so far (`/proc/thread-self/schedstat`, in nanoseconds); `None`
    /// where the kernel does not say.
    fn thread_cpu_time() -> Option<std::time::Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let ns = stat.split_whitespace().next()?.parse::<u64>().ok()?;
        Some(std::time::Duration::from_nanos(ns))
    }

    #[test]
    fn many_attributes_and_deep_folders_are_linear_on_a_small_stack() {
        // quick-xml's own duplicate check compared each attribute with every earlier one: 14 s for 100,000,
        // so some two minutes for these 300,000. Linear, the parse takes well under a second.
        let attrs: String = (0..300_000).map(|i| format!(" a{i}=\"x\"")).collect();
        let doc = format!(
            "<opml><body>{}<outline{attrs} xmlUrl=\"https://a.example/feed\"/>{}</body></opml>",
            "<outline text=\"f\">".repeat(100_000),
            "</outline>".repeat(100_000)
        );
        let worker = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let (cpu, wall) = (thread_cpu_time(), std::time::Instant::now());
                let parsed = parse(&doc).map(|s| s.len()).map_err(|e| e.to_string());
                let took = match (cpu, thread_cpu_time()) {
                    (Some(start), Some(end)) => end.saturating_sub(start),
                    _ => wall.elapsed(),
                };
                (parsed, took)
            })
            .expect("spawning the parse thread");
        let (parsed, took) = worker.join().expect("the parse thread panicked");
        assert_eq!(parsed, Ok(1));
        // CPU time of the parse thread (wall time where it cannot be read), so that other work on the
        // machine does not count; the bound is ten times the linear parse, a tenth of the quadratic one.
        eprintln!("parsed in {took:?} of CPU");
        assert!(
            took < std::time::Duration::from_secs(10),
            "{took:?} to read 300,000 attributes: quadratic again?"
        );
    }

    #[test]
    fn mismatched_markup_is_an_error() {
        let err = parse("<opml><body><outline xmlUrl=\"https://a.example/feed\"/></body></opml></opml>");
        assert!(err.is_err(), "{err:?}");
    }
}
