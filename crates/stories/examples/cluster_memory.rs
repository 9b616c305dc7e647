//! Memory of the online clusterer on a long stream: feeds generated articles (names of their own per
//! story, a large vocabulary drawn with Zipf's law, leads, URLs, outlets, dates 30 s apart so that the
//! seven-day window holds 20,160 articles) and prints, at each checkpoint, the process' peak resident
//! memory (VmHWM) and the sizes of the clusterer's structures. With the caps of `ClusterConfig` the
//! figures stop growing early; `--uncapped` lifts the caps to compare.
//!
//! `cargo run --release -p newsdesk-stories --example cluster_memory -- [--uncapped] [--df-half-life=N] [CHECKPOINT...]`
//! (default checkpoints 10000 30000 100000)

use newsdesk_stories::{Article, ClusterConfig, Clusterer};
use std::time::Instant;

#[path = "../benches/support/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A word index with Zipf-like frequencies (log-uniform) over `size` words.
    fn zipf(&mut self, size: u64) -> u64 {
        ((self.unit() * (size as f64).ln()).exp() as u64).min(size - 1)
    }
}

/// Words of the common vocabulary: 400,000 made-up words, a few very frequent, most rare.
const VOCABULARY: u64 = 400_000;

fn word(seed: u64) -> String {
    const SYLLABLES: [&str; 32] = [
        "ma", "ter", "in", "gol", "se", "ra", "vin", "to", "lek", "bu", "os", "fen", "di", "car", "ne", "pla", "mu",
        "zor", "ex", "qua", "bri", "sto", "hal", "pem", "rud", "fli", "jon", "wex", "tav", "kru", "nis", "dre",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 7;
    let mut w = String::new();
    for _ in 0..3 + x % 3 {
        w.push_str(SYLLABLES[(x % 32) as usize]);
        x /= 32;
    }
    w
}

/// A proper name of a story's own ("Kruzorvin"): every story brings new ones, as real news does.
fn name(story: u64, j: u64) -> String {
    let w = word(u64::MAX / 2 + story * 8 + j);
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or(w)
}

/// Article `i`: 40% start a story, the others follow one of the 400 latest stories (recent ones more
/// often).
fn article(i: u64, rng: &mut Rng, stories: &mut u64) -> Article {
    let story = if *stories == 0 || rng.unit() < 0.4 {
        *stories += 1;
        *stories - 1
    } else {
        let back = (rng.unit() * rng.unit() * 400.0) as u64;
        stories.saturating_sub(1 + back)
    };
    let mut title: Vec<String> = (0..2).map(|_| name(story, rng.next() % 4)).collect();
    title.extend((0..6).map(|_| word(rng.zipf(VOCABULARY))));
    let lead: Vec<String> = (0..60)
        .map(|_| {
            if rng.next().is_multiple_of(4) {
                name(story, rng.next() % 8)
            } else {
                word(rng.zipf(VOCABULARY))
            }
        })
        .collect();
    let outlet = rng.next() % 60;
    let mut a = Article::new(format!("a{i}"), title.join(" "));
    a.url = Some(format!(
        "https://outlet{outlet}.example/2026/01/{:02}/{}-{i}",
        1 + (i * 30 / 86_400) % 28,
        title.join("-").to_lowercase()
    ));
    a.text = Some(lead.join(" ") + ".");
    a.source = Some(format!("Outlet {outlet}"));
    a.date = Some(1_767_225_600 + 30 * i as i64);
    a
}

/// A line of /proc/self/status, in KiB.
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let uncapped = args.iter().any(|a| a == "--uncapped");
    let mut checkpoints: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if checkpoints.is_empty() {
        checkpoints = vec![10_000, 30_000, 100_000];
    }
    checkpoints.sort_unstable();
    // `--df-half-life=N`: the pipeline halves document frequencies every 5,000 articles.
    let half_life = args
        .iter()
        .find_map(|a| a.strip_prefix("--df-half-life=").and_then(|v| v.parse().ok()))
        .unwrap_or(ClusterConfig::default().df_half_life);
    let config = if uncapped {
        ClusterConfig {
            max_stories: usize::MAX,
            max_index_entries: usize::MAX,
            max_df_terms: usize::MAX,
            df_half_life: half_life,
            ..ClusterConfig::default()
        }
    } else {
        ClusterConfig {
            df_half_life: half_life,
            ..ClusterConfig::default()
        }
    };
    let mut c = Clusterer::new(config);
    let mut rng = Rng(7);
    let mut stories = 0;
    let start = Instant::now();
    let mut i = 0;
    println!("articles  peak RSS   RSS        stories  index entries  df terms  articles/s");
    for &n in &checkpoints {
        while i < n {
            c.assign(&article(i, &mut rng, &mut stories));
            i += 1;
        }
        println!(
            "{n:>8}  {:>6} MiB  {:>6} MiB  {:>7}  {:>13}  {:>8}  {:>10.0}",
            status_kib("VmHWM:") / 1024,
            status_kib("VmRSS:") / 1024,
            c.len(),
            c.index_entries(),
            c.df_terms(),
            n as f64 / start.elapsed().as_secs_f64()
        );
    }
}
