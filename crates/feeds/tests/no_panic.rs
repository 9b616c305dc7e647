//! Whatever bytes come in, the parser returns a value or an error, never a panic: every fixture cut at
//! every position, and with bytes replaced by markup characters and invalid UTF-8.

use std::path::Path;

fn fixtures() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().ends_with(".expect.json"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    out.sort();
    out
}

#[test]
fn truncated_at_every_position() {
    for doc in fixtures() {
        for cut in 0..doc.len() {
            let _ = newsdesk_feeds::parse(&doc[..cut], Some("http://example.com/feed"), None);
        }
    }
}

#[test]
fn markup_bytes_injected_everywhere() {
    // A fixed sequence (no randomness): each position gets one of these bytes in turn.
    let inject: &[u8] = b"<>&;\"'/]![\xff\xc3\x00=#x";
    for doc in fixtures() {
        for (i, step) in (0..doc.len()).step_by(3).enumerate() {
            let mut d = doc.clone();
            d[step] = inject[i % inject.len()];
            let _ = newsdesk_feeds::parse(&d, None, Some("text/xml; charset=utf-8"));
        }
    }
}
