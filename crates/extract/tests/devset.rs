//! A small check against the shared dev set, skipped (with a message) when it is absent.
use newsdesk_extract::{extract, score, Options};
use std::io::Read;

#[test]
fn dev_set_sample() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/wcxb-dev-articles");
    let truth_path = dir.join("truth.jsonl");
    let Ok(truth) = std::fs::read_to_string(&truth_path) else {
        eprintln!("skipping: {} not found", truth_path.display());
        return;
    };
    let rows: Vec<serde_json::Value> = truth
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut preds = std::collections::HashMap::new();
    for t in &rows {
        let id = t["id"].as_str().unwrap();
        let raw = std::fs::read(dir.join("pages").join(format!("{id}.html.gz"))).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes).unwrap();
        let a = extract(
            &bytes,
            &Options {
                url: t["url"].as_str(),
                ..Default::default()
            },
        );
        preds.insert(
            id.to_string(),
            serde_json::json!({"id": id, "text": a.text, "title": a.title}),
        );
    }
    let (s, _) = score::score(&rows, &preds);
    eprintln!("dev sample: {s}");
    assert!(s.shingle_f1 > 0.8, "{s}");
}
