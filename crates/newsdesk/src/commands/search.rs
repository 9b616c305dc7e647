//! `newsdesk search QUERY [--limit N] [--json]`.

use clap::Args;

use crate::config::Config;
use crate::store::search::{parse_query, plain_snippet, HIGHLIGHT_END, HIGHLIGHT_START};
use crate::store::{ArticleRow, Store};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases", OR, NOT or -word, prefix*, title:/tags: and the filters feed:, outlet:, lang:,
    /// since:YYYY-MM-DD, until:YYYY-MM-DD.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Most results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Results to skip (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// One JSON object per result.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SearchArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let text = args.query.join(" ");
    let query = parse_query(&text)?;
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    let hits = store.search(&query, args.limit.max(1), args.offset)?;
    if args.json {
        for mut h in hits {
            h.snippet = plain_snippet(&h.snippet);
            println!("{}", serde_json::to_string(&h)?);
        }
        return Ok(());
    }
    if hits.is_empty() {
        println!("no articles match {text:?}");
        return Ok(());
    }
    for (i, h) in hits.iter().enumerate() {
        let a = &h.article;
        let title = a.title.as_deref().unwrap_or(&a.url);
        let when = a.published.as_deref().unwrap_or(&a.fetched_at);
        let outlet = a.site_name.as_deref().unwrap_or("");
        println!("{:>3}. [{}] {title}", args.offset + i + 1, a.id);
        println!("     {outlet} · {when} · {}", a.url);
        let snippet: String = h
            .snippet
            .replace(HIGHLIGHT_START, "[")
            .replace(HIGHLIGHT_END, "]")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !snippet.is_empty() {
            println!("     {snippet}");
        }
    }
    Ok(())
}

/// `newsdesk search-bench` (hidden): fill a store with synthetic articles, then time a fixed query mix.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Add this many synthetic articles first (deterministic; ids continue after the existing ones).
    #[arg(long, default_value_t = 0)]
    pub generate: usize,
    /// Times each query of the mix is run.
    #[arg(long, default_value_t = 10)]
    pub repeat: usize,
    /// Results per query (as the API's default page).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// A deterministic generator (xorshift64*), so that every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const VOCABULARY: usize = 60_000;
const SYLLABLES: [&str; 40] = [
    "ba", "ko", "ri", "ten", "mar", "lo", "vi", "sen", "da", "pel", "tor", "an", "gu", "mi", "ros", "el", "fa", "nu",
    "ster", "cal", "de", "pon", "ha", "lin", "qua", "bro", "ze", "tis", "gar", "mon", "ul", "ker", "sa", "vel", "io",
    "dra", "pi", "nor", "che", "wen",
];

/// The word of a vocabulary rank (rank 0 is the most frequent).
fn word(rank: usize) -> String {
    let mut n = rank;
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    w
}

/// A rank drawn with Zipf-like frequencies (p(rank) ~ 1/rank), as words in text are.
fn zipf(rng: &mut Rng) -> usize {
    (((VOCABULARY as f64).powf(rng.unit())) as usize).saturating_sub(1)
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    let mut p = String::new();
    for _ in 0..sentences {
        let n = 8 + rng.below(18);
        for i in 0..n {
            let w = word(zipf(rng));
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    p.extend(f.to_uppercase());
                    p.push_str(c.as_str());
                }
            } else {
                p.push(' ');
                p.push_str(&w);
            }
        }
        p.push_str(". ");
    }
    p.trim_end().to_string()
}

const OUTLETS: [&str; 12] = [
    "Example Wire",
    "The Example Daily",
    "Morning Ledger",
    "Harbour Gazette",
    "Le Quotidien",
    "Der Kurier",
    "Valley Times",
    "Metro Post",
    "Global Dispatch",
    "Island Herald",
    "The Courier",
    "Northern Star",
];
const LANGS: [&str; 4] = ["en", "en", "fr", "de"];

/// Add `n` generated articles to the store, in batches of one transaction each.
fn generate(store: &dyn Store, n: usize) -> anyhow::Result<()> {
    let start_id = store.status(0)?.articles;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ start_id as u64);
    let started = std::time::Instant::now();
    let batch = 20_000;
    let mut done = 0;
    while done < n {
        let mut rows = Vec::with_capacity(batch.min(n - done));
        for _ in 0..batch.min(n - done) {
            let k = start_id as usize + done + rows.len() + 1;
            let outlet = OUTLETS[rng.below(OUTLETS.len())];
            let host = outlet.to_lowercase().replace(' ', "");
            let url = format!("https://{host}.example/news/{k}");
            let title = paragraph(&mut rng, 1);
            let title = title.trim_end_matches('.').to_string();
            // 6 to 14 paragraphs of 3 to 6 sentences: 2 to 8 thousand characters, like news articles.
            let paras: Vec<String> = (0..6 + rng.below(9))
                .map(|_| {
                    let s = 3 + rng.below(4);
                    paragraph(&mut rng, s)
                })
                .collect();
            let text = paras.join("\n\n");
            let html: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
            let day = 1 + rng.below(28);
            let month = 1 + rng.below(12);
            let published = format!("2025-{month:02}-{day:02}T{:02}:{:02}:00Z", rng.below(24), rng.below(60));
            let tags: Vec<String> = (0..3).map(|_| word(50 + rng.below(5000))).collect();
            rows.push(ArticleRow {
                canonical_url: url.clone(),
                url,
                title: Some(title),
                text,
                html,
                authors: vec![word(rng.below(3000))],
                published: Some(published.clone()),
                language: Some(LANGS[rng.below(LANGS.len())].to_string()),
                site_name: Some(outlet.to_string()),
                description: Some(paras[0].chars().take(200).collect()),
                fetched_at: published,
                tags,
                story_id: Some(format!("s{}", k / 3)),
                ..Default::default()
            });
        }
        crate::store::batch(store, || {
            for row in &rows {
                store.upsert_article(row)?;
            }
            Ok(())
        })?;
        done += rows.len();
        eprintln!(
            "{done} / {n} articles ({:.0} per second)",
            done as f64 / started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The fixed query mix: rare, medium and frequent words, phrases, prefixes, OR, NOT and filters.
fn query_mix() -> Vec<(&'static str, String)> {
    let w = word;
    vec![
        ("rare word", w(20_000)),
        ("rare word", w(35_000)),
        ("medium word", w(2_000)),
        ("medium word", w(5_000)),
        ("frequent word", w(300)),
        ("two words", format!("{} {}", w(800), w(1_500))),
        ("two words", format!("{} {}", w(3_000), w(9_000))),
        ("phrase", format!("\"{} {}\"", w(40), w(41))),
        ("prefix", format!("{}*", w(4_321))),
        ("OR", format!("{} OR {}", w(7_000), w(11_000))),
        ("NOT", format!("{} -{}", w(2_500), w(60))),
        ("title field", format!("title:{}", w(1_200))),
        ("with filters", format!("{} lang:fr since:2025-06-01", w(1_800))),
        ("with outlet", format!("{} outlet:\"Example Wire\"", w(2_200))),
        ("filters only", "lang:de until:2025-03-01".to_string()),
        ("very frequent word", w(5)),
    ]
}

pub fn run_bench(args: BenchArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let location = config.store_location();
    let store = crate::store::open(&location)?;
    if args.generate > 0 {
        generate(&*store, args.generate)?;
    }
    let count = store.status(0)?.articles;
    println!("store: {} ({count} articles)", location.display());
    let mut all = Vec::new();
    let mut all_cpu = Vec::new();
    println!(
        "{:<20} {:<40} {:>5} {:>8} {:>8} {:>8} {:>8}",
        "kind", "query", "hits", "p50 ms", "max ms", "cpu p50", "cpu max"
    );
    for (kind, q) in query_mix() {
        let parsed = parse_query(&q)?;
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut hits = 0;
        for _ in 0..args.repeat.max(1) {
            let c = thread_cpu_ms();
            let t = std::time::Instant::now();
            hits = store.search(&parsed, args.limit, 0)?.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if let (Some(a), Some(b)) = (c, thread_cpu_ms()) {
                cpu.push(b - a);
            }
        }
        times.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let mid = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
        let top = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        println!(
            "{kind:<20} {q:<40} {hits:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            mid(&times),
            top(&times),
            mid(&cpu),
            top(&cpu)
        );
        all.extend(times);
        all_cpu.extend(cpu);
    }
    for (what, v) in [("wall", &mut all), ("cpu", &mut all_cpu)] {
        if v.is_empty() {
            continue;
        }
        v.sort_by(f64::total_cmp);
        let pct = |p: f64| v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1];
        println!(
            "all {} searches ({what} time): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            v.len(),
            pct(0.50),
            pct(0.90),
            pct(0.99),
            v[v.len() - 1]
        );
    }
    Ok(())
}

/// CPU time this thread has used, in ms, to tell a query's own cost from waiting for a busy CPU.
fn thread_cpu_ms() -> Option<f64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6)
}
