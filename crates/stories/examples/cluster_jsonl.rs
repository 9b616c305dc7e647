//! Clusters a JSONL file of articles (`id`, `title`, optional `text`, `source`, `url`, `date` as Unix
//! seconds) in file order and prints `{"id", "story"}` per line, plus the throughput on stderr.
//! Settings can be overridden for experiments: STORIES_THRESHOLD, STORIES_MERGE, STORIES_ENTITY_BOOST, STORIES_SLUG,
//! STORIES_LEAD, STORIES_MARGIN, STORIES_FRAGMENT_SIZE, STORIES_FRAGMENT_MERGE, STORIES_NUMBER,
//! STORIES_MIN_SHARED, STORIES_WARMUP, STORIES_WARMUP_DOCS and the others below.
//!
//! `cargo run --release -p newsdesk-stories --example cluster_jsonl -- FILE.jsonl [REPEAT]`

use newsdesk_stories::{Article, ClusterConfig, Clusterer};
use std::io::Write;

fn env_f32(name: &str, default: f32) -> f32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: cluster_jsonl FILE.jsonl [REPEAT]")?;
    let repeat: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let data = std::fs::read_to_string(&path)?;
    let mut articles = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let mut a = Article::new(
            v.get("id")
                .map(|x| x.as_str().map_or(x.to_string(), str::to_string))
                .unwrap_or_default(),
            s("title").unwrap_or_default(),
        );
        a.text = s("text");
        a.source = s("source");
        a.url = s("url");
        a.date = v.get("date").and_then(|x| x.as_i64());
        articles.push(a);
    }
    let d = ClusterConfig::default();
    let config = ClusterConfig {
        threshold: env_f32("STORIES_THRESHOLD", d.threshold),
        entity_boost: env_f32("STORIES_ENTITY_BOOST", d.entity_boost),
        slug_weight: env_f32("STORIES_SLUG", d.slug_weight),
        lead_weight: env_f32("STORIES_LEAD", d.lead_weight),
        centroid_share: env_f32("STORIES_CENTROID_SHARE", d.centroid_share),
        member_top_k: env_f32("STORIES_TOPK", d.member_top_k as f32) as usize,
        idf_power: env_f32("STORIES_IDF_POWER", d.idf_power),
        bigram_weight: env_f32("STORIES_BIGRAM", d.bigram_weight),
        max_candidates: env_f32("STORIES_CANDIDATES", d.max_candidates as f32) as usize,
        max_members: env_f32("STORIES_MEMBERS", d.max_members as f32) as usize,
        max_postings: env_f32("STORIES_POSTINGS", d.max_postings as f32) as usize,
        merge_threshold: env_f32("STORIES_MERGE", d.merge_threshold),
        small_story_margin: env_f32("STORIES_MARGIN", d.small_story_margin),
        fragment_size: env_f32("STORIES_FRAGMENT_SIZE", d.fragment_size as f32) as usize,
        fragment_merge_threshold: env_f32("STORIES_FRAGMENT_MERGE", d.fragment_merge_threshold),
        number_weight: env_f32("STORIES_NUMBER", d.number_weight),
        min_shared_terms: env_f32("STORIES_MIN_SHARED", d.min_shared_terms as f32) as usize,
        warmup_margin: env_f32("STORIES_WARMUP", d.warmup_margin),
        warmup_docs: env_f32("STORIES_WARMUP_DOCS", d.warmup_docs),
        ..d
    };
    let start = std::time::Instant::now();
    let mut out = Vec::new();
    // STORIES_FINAL_IDS=1: print each article's story as it is at the end (a story folded into
    // another one later is reported as that one), not the id given on arrival.
    let final_ids = std::env::var("STORIES_FINAL_IDS").is_ok_and(|v| v == "1");
    for round in 0..repeat {
        let mut c = Clusterer::new(config.clone());
        let mut given = Vec::new();
        for a in &articles {
            let got = c.assign(a);
            if round == 0 {
                given.push(got.story_id);
            }
        }
        if round > 0 {
            continue;
        }
        for (a, id) in articles.iter().zip(given) {
            let id = match c.story(&id) {
                Some(s) if final_ids => s.id.clone(),
                _ => id,
            };
            out.push(serde_json::json!({"id": a.id, "story": id}).to_string());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = articles.len() * repeat;
    eprintln!("{n} articles in {secs:.3} s: {:.0} articles/s", n as f64 / secs);
    let mut stdout = std::io::stdout().lock();
    for line in out {
        writeln!(stdout, "{line}")?;
    }
    Ok(())
}
