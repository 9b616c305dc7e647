//! Tags a JSONL file of articles (`id`, `title`, `text`) and prints `{"id", "tags", "people", "places",
//! "organizations"}` per line, plus
//! the throughput on stderr.
//!
//! `cargo run --release -p newsdesk-stories --example tags_jsonl -- FILE.jsonl [TOP] [REPEAT]`

use newsdesk_stories::tags_and_entities;
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: tags_jsonl FILE.jsonl [TOP] [REPEAT]")?;
    let top: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(10);
    let repeat: usize = std::env::args().nth(3).and_then(|r| r.parse().ok()).unwrap_or(1);
    let data = std::fs::read_to_string(&path)?;
    let mut docs = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
        docs.push((v.get("id").cloned().unwrap_or_default(), s("title"), s("text")));
    }
    // For measuring: TAGS_KEYPHRASES_ONLY=1 skips the entities.
    let keyphrases_only = std::env::var("TAGS_KEYPHRASES_ONLY").is_ok();
    let start = std::time::Instant::now();
    let mut out = Vec::new();
    for round in 0..repeat {
        for (id, title, text) in &docs {
            let got = if keyphrases_only {
                newsdesk_stories::Tags {
                    tags: newsdesk_stories::extract_tags(title, text, None, top),
                    ..Default::default()
                }
            } else {
                tags_and_entities(title, text, None, top)
            };
            if round == 0 {
                let texts: Vec<&str> = got.tags.iter().map(|t| t.text.as_str()).collect();
                let e = &got.entities;
                out.push(
                    serde_json::json!({"id": id, "tags": texts, "people": e.people, "places": e.places,
                        "organizations": e.organizations})
                    .to_string(),
                );
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = docs.len() * repeat;
    eprintln!("{n} articles in {secs:.3} s: {:.0} articles/s", n as f64 / secs);
    let mut stdout = std::io::stdout().lock();
    for line in out {
        writeln!(stdout, "{line}")?;
    }
    Ok(())
}
