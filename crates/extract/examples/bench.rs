//! Throughput over a dataset folder: `cargo run --release --example bench -- DATASET [STEP] [ROUNDS]`.
//! Reads every STEP-th page into memory first, then extracts each page ROUNDS times, and prints the
//! median and p95 milliseconds per page. Under `valgrind --tool=callgrind` it gives repeatable
//! instruction counts for the extraction alone (decompression happens before the timed loop).
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: bench DATASET [STEP] [ROUNDS]");
        return;
    };
    let step: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let mut names: Vec<_> = std::fs::read_dir(dir.join("pages"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    let pages: Vec<Vec<u8>> = names
        .iter()
        .step_by(step)
        .filter_map(|p| {
            let raw = std::fs::read(p).ok()?;
            let mut bytes = vec![];
            flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes).ok()?;
            Some(bytes)
        })
        .collect();
    let mut times = Vec::new();
    let mut chars = 0usize;
    for p in &pages {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let t = std::time::Instant::now();
            let a = newsdesk_extract::extract(p, &Default::default());
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
            chars += a.text.len();
        }
        times.push(best);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    if times.is_empty() {
        return;
    }
    println!(
        "pages={} median_ms={:.2} p95_ms={:.2} total_ms={:.0} text_bytes={chars}",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times.iter().sum::<f64>()
    );
}
