//! `newsdesk bench`: end-to-end throughput and peak memory against a generated loopback site.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Feed items (and article pages) to generate.
    #[arg(long, default_value_t = 10_000)]
    pub items: usize,
    /// Desk directory for the bench store and output (default: a temporary directory, removed afterwards).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Skip writing Hugo posts.
    #[arg(long)]
    pub no_hugo: bool,
    /// Skip the JSONL output (`articles.jsonl` in the bench's desk).
    #[arg(long)]
    pub no_jsonl: bool,
    /// Also print resident memory at each tenth of the run, to show whether it grows with the items.
    #[arg(long)]
    pub memory_profile: bool,
    /// Serve the real pages of a dataset folder (`DIR/pages/*.html.gz`, e.g. ../shared/datasets/wcxb-dev-articles)
    /// instead of generated ones, each under as many URLs as it takes to reach --items, behind Google News
    /// items (one in four resolved by the batch exchange, the others decoded offline).
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,
    /// Keep the bench's store in this (empty) PostgreSQL database instead of an SQLite file.
    #[arg(long, value_name = "postgres://…")]
    pub store: Option<String>,
    /// Run this many `newsdesk worker` processes on the --store database instead of one pass in this process.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Hold every answer of the loopback server back this long, so that the work waits on publishers as
    /// real crawling does.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Requests in flight per process.
    #[arg(long, default_value_t = 32)]
    pub concurrency: u32,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let options = crate::bench::BenchOptions {
        total: args.items,
        hugo: !args.no_hugo,
        jsonl: !args.no_jsonl,
        store_url: args.store.clone(),
        real: args.pages.as_deref().map(crate::bench::load_pages).transpose()?,
        latency: std::time::Duration::from_millis(args.latency_ms),
        concurrency: args.concurrency.max(1),
    };
    if let Some(workers) = args.workers {
        if args.store.as_deref().is_none_or(|u| !u.starts_with("postgres")) {
            anyhow::bail!("--workers needs --store postgres://… (workers share a PostgreSQL store)");
        }
        if options.real.is_some() {
            anyhow::bail!("--workers serves generated pages; --pages is for one process");
        }
        let report = rt.block_on(crate::bench::run_workers(&dir, &options, workers.max(1)))?;
        println!(
            "workers {}  articles {}  elapsed {:.2} s  {:.0} articles/s  ({} ms latency, {} in flight per worker)",
            report.workers,
            report.articles,
            report.elapsed.as_secs_f64(),
            report.per_second(),
            args.latency_ms,
            args.concurrency
        );
        return Ok(());
    }
    let report = rt.block_on(crate::bench::run(&dir, &options))?;
    let s = &report.summary;
    println!(
        "items {}  extracted {}  published {}  errors {}  elapsed {:.2} s  {:.0} articles/s  peak RSS {}",
        s.new_items,
        s.extracted,
        s.published,
        s.item_errors,
        report.elapsed.as_secs_f64(),
        report.per_second(),
        report
            .peak_rss_kib
            .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into())
    );
    let per_article = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / report.articles.max(1) as f64;
    println!(
        "CPU {:.2} ms per article (user + system, the pipeline's; the loopback server's {:.2} more)",
        per_article(report.pipeline_cpu()),
        per_article(report.server_cpu)
    );
    let mut split: Vec<String> = report
        .parts
        .iter()
        .map(|(part, d)| format!("{} {:.2}", part.name(), per_article(*d)))
        .collect();
    split.push(format!("unclaimed {:.2}", per_article(report.unclaimed_cpu())));
    println!("CPU ms per article by stage: {}", split.join(", "));
    if let Some(bytes) = report.store_bytes {
        println!(
            "store {:.1} KiB per article ({:.1} MiB, SQLite database and WAL)",
            bytes as f64 / 1024.0 / report.articles.max(1) as f64,
            bytes as f64 / (1024.0 * 1024.0)
        );
    }
    if report.served_bytes > 0 {
        println!(
            "pages held by the loopback server: {:.1} MiB (in the peak RSS)",
            report.served_bytes as f64 / (1024.0 * 1024.0)
        );
    }
    if args.store.is_none() {
        println!(
            "SQLite peak allocation {:.1} MiB",
            report.sqlite_peak_bytes as f64 / (1024.0 * 1024.0)
        );
    }
    if args.memory_profile {
        let samples = &report.rss_samples;
        let tenths: Vec<String> = (1..=10)
            .filter_map(|t| samples.get((samples.len() * t / 10).saturating_sub(1)))
            .map(|(secs, kib)| format!("{secs:.0}s {:.0}", *kib as f64 / 1024.0))
            .collect();
        println!("RSS MiB over the run: {}", tenths.join(", "));
    }
    Ok(())
}
