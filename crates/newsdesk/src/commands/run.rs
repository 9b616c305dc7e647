//! `newsdesk run [--once]`, `newsdesk status` and `newsdesk export jsonl|parquet`.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, Subcommand};

use crate::config::Config;
use crate::desk::{open_store, OpenMode, RunLock};
use crate::pipeline::run::{Pipeline, Roles, RunSummary};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// One pass over everything due, then exit (default: keep polling).
    #[arg(long)]
    pub once: bool,
    /// Do not poll feeds; only carry stored items through the remaining stages and publish.
    #[arg(long)]
    pub no_poll: bool,
    /// Seconds between passes when not --once.
    #[arg(long, default_value_t = 60)]
    pub interval: u64,
    /// Start a new desk even though the store is missing or empty while the outputs hold a desk's posts
    /// (they are published over).
    #[arg(long)]
    pub new_store: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// How many recent errors to show.
    #[arg(long, default_value_t = 10)]
    pub errors: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every stored article as JSON Lines (news-please field names), to stdout or --output.
    Jsonl {
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Gzip the output on the fly.
        #[arg(long)]
        gzip: bool,
        #[command(flatten)]
        filter: ExportFilterArgs,
    },
    /// The same records as a Parquet file (Snappy), for pandas, DuckDB and Spark.
    Parquet {
        /// The file to write (replaced whole once complete).
        #[arg(long, short)]
        output: PathBuf,
        /// Rows per row group.
        #[arg(long, value_name = "N", default_value_t = crate::pipeline::parquet::DEFAULT_ROWS_PER_GROUP,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        row_group_size: usize,
        #[command(flatten)]
        filter: ExportFilterArgs,
    },
}

/// The filters that every export takes.
#[derive(Debug, Args)]
pub struct ExportFilterArgs {
    /// Only articles published on or after this day or time (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only articles published on or before this day (the whole day) or time.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only articles in this language, e.g. `en` (repeat for more).
    #[arg(long = "lang", value_name = "L")]
    langs: Vec<String>,
    /// Only articles of this outlet: its domain (subdomains too) or its name (repeat for more).
    #[arg(long = "outlet", value_name = "O")]
    outlets: Vec<String>,
}

impl ExportFilterArgs {
    fn parse(&self) -> anyhow::Result<crate::pipeline::export::Filter> {
        crate::pipeline::export::Filter::parse(self.since.as_deref(), self.until.as_deref(), &self.langs, &self.outlets)
    }
}

/// A worker silent for longer than this is not listed by `status` (it died, or stopped without saying so).
const WORKER_SILENCE_SECS: i64 = 900;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

pub fn run(args: RunArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let lock = match config.store_location() {
        // The file lock comes before the store is opened, so that the checks on the file see no other run.
        crate::store::Location::Sqlite(path) => Some(RunLock::acquire(&path, "newsdesk run")?),
        _ => None,
    };
    let store = open_store(
        &config,
        OpenMode::Publishing {
            new_store: args.new_store,
        },
    )?;
    let on_file = lock.is_some();
    let _lock = match lock {
        Some(lock) => Some(lock),
        None => crate::desk::lock_store(&config, &*store, "newsdesk run")?,
    };
    // Leases of a `run` that was killed: on a file nobody else can hold any; on a database, this run's own
    // (one `run` per database at a time, under the name `run`) are taken back.
    store.release_leases(if on_file { None } else { Some("run") })?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut pipeline = Pipeline::new(&config, &*store)?;
        pipeline.allow_shrinking_outputs(args.new_store);
        if !on_file {
            // Workers may share the database: requests are booked with theirs, and the one-at-a-time roles
            // are left to a worker that holds them.
            pipeline.share_hosts(store.clone());
            let holder = format!("newsdesk run, pid {}", std::process::id());
            let (roles, refused) = Roles::all().take_single(&*store, Roles::all().without_single(), &holder)?;
            for (name, other) in refused {
                eprintln!("warning: the {name} role is held by {other}; this run leaves it to that worker");
            }
            pipeline.set_roles(roles);
        }
        loop {
            let s = pipeline.run_once(!args.no_poll).await?;
            println!(
                "polled {} feeds ({} failed), {} new items, {} resolved, {} extracted, {} enriched, {} posts written, {} item errors",
                s.feeds_polled, s.feeds_failed, s.new_items, s.resolved, s.extracted, s.enriched, s.published, s.item_errors
            );
            if let Some(secs) = s.hugo_build_secs {
                let site = config.resolve(&config.output.hugo_dir);
                println!("hugo built {} in {secs:.1} s", site.display());
            }
            // A loop goes on after a failed build (the next pass builds again); a single pass fails with it.
            if let Some(why) = s.hugo_build_failed.as_deref().filter(|_| !args.once) {
                eprintln!("warning: {}; trying again next pass", hugo_failure(why));
            }
            if let Some(why) = failed_pass(&s, &config, args.once) {
                anyhow::bail!(why);
            }
            if args.once {
                return Ok(());
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(args.interval.max(1))) => {}
                _ = tokio::signal::ctrl_c() => return Ok(()),
            }
        }
    })
}

/// Why a pass counts as failed, for the exit status: outputs that could not be written (or, when `with_hugo`,
/// a site Hugo could not build with `hugo_build`), or feeds that were all due and all failed. Errors of
/// single items (a page that cannot be fetched) do not fail the pass.
fn failed_pass(s: &RunSummary, config: &Config, with_hugo: bool) -> Option<String> {
    if s.posts_failed > 0 {
        return Some(format!(
            "{} posts could not be written to {} (the warnings say why)",
            s.posts_failed,
            config.resolve(&config.output.hugo_dir).display()
        ));
    }
    if let Some(why) = s.hugo_build_failed.as_deref().filter(|_| with_hugo) {
        return Some(hugo_failure(why));
    }
    if s.feeds_polled > 0 && s.feeds_failed == s.feeds_polled {
        return Some(format!(
            "all {} feeds polled failed (the warnings say why; `newsdesk status` lists the errors)",
            s.feeds_polled
        ));
    }
    None
}

fn hugo_failure(why: &str) -> String {
    format!("the posts were written, but Hugo could not build the site: {why}")
}

pub fn status(args: StatusArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    let report = store.status(args.errors)?;
    // Workers are listed while their heartbeat is recent: a worker beats after every pass.
    let now = Utc::now();
    let since = crate::store::stored_time(now - chrono::Duration::seconds(WORKER_SILENCE_SECS));
    let workers = store.workers(&since, &crate::store::stored_time(now))?;
    let gnews = GoogleNewsState::read(&*store, now)?;
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("workers".into(), serde_json::to_value(&workers)?);
            map.insert(
                "gnews".into(),
                serde_json::json!({
                    "rate_limited_until": gnews.rate_limited_until,
                    "learned_rate_per_minute": gnews.learned_rate_per_minute,
                }),
            );
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!("feeds: {}", report.feeds);
    for feed in store.feeds()? {
        let state = match &feed.last_error {
            Some(e) => format!("error: {e}"),
            None => format!(
                "ok, last fetched {}",
                feed.last_fetched_at.as_deref().unwrap_or("never")
            ),
        };
        println!(
            "  {:>4}  {:>5} items  {}  ({state})",
            feed.id, feed.item_count, feed.url
        );
    }
    let stages: Vec<String> = report.items_by_stage.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("items by stage: {}", stages.join(", "));
    println!("items with an error: {}", report.failing_items);
    println!(
        "articles: {}  stories: {}  posts published: {}",
        report.articles, report.stories, report.published
    );
    if let Some(until) = &gnews.rate_limited_until {
        println!("google news: rate limited until {until}; its items wait until then, spending no attempt");
    }
    if let Some(rate) = gnews.learned_rate_per_minute {
        println!("google news: article pages paced at {rate:.1} a minute (learned from its rate limit)");
    }
    if !workers.is_empty() {
        println!("workers:");
        for w in &workers {
            println!(
                "  {}  pid {} on {}  roles {}  last heartbeat {}  items leased {}",
                w.worker.id,
                w.worker.pid,
                w.worker.host,
                w.worker.roles.join(","),
                crate::store::stored_time(w.worker.heartbeat_at),
                w.items_leased
            );
        }
    }
    if !report.recent_errors.is_empty() {
        println!("recent errors:");
        for e in &report.recent_errors {
            println!("  {}  {}  {}\n      {}", e.at, e.what, e.url, e.error);
        }
    }
    Ok(())
}

/// What the store says of Google News' rate limit: the cooldown while it lasts, and the learned rate.
struct GoogleNewsState {
    rate_limited_until: Option<String>,
    learned_rate_per_minute: Option<f64>,
}

impl GoogleNewsState {
    fn read(store: &dyn crate::store::Store, now: chrono::DateTime<Utc>) -> anyhow::Result<GoogleNewsState> {
        use crate::pipeline::{GNEWS_COOLDOWN_STATE, GNEWS_RATE_STATE};
        // A cooldown that is over (or that cannot be read) holds nothing back.
        let rate_limited_until = store
            .get_state(GNEWS_COOLDOWN_STATE)?
            .filter(|until| chrono::DateTime::parse_from_rfc3339(until).is_ok_and(|t| t.with_timezone(&Utc) > now));
        let learned_rate_per_minute = store
            .get_state(GNEWS_RATE_STATE)?
            .and_then(|rate| rate.parse::<f64>().ok())
            .filter(|rate| rate.is_finite() && *rate > 0.0);
        Ok(GoogleNewsState {
            rate_limited_until,
            learned_rate_per_minute,
        })
    }
}

pub fn export(cmd: ExportCommand, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    // The filters are checked before the store is opened, so that a mistyped date costs nothing.
    let filter = match &cmd {
        ExportCommand::Jsonl { filter, .. } | ExportCommand::Parquet { filter, .. } => filter.parse()?,
    };
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    match cmd {
        ExportCommand::Jsonl {
            output: Some(path),
            gzip,
            ..
        } => {
            let n = crate::pipeline::export::export_file(&*store, &path, &filter, gzip)?;
            println!("wrote {n} records to {}", path.display());
        }
        ExportCommand::Jsonl { output: None, gzip, .. } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            crate::pipeline::export::export(&*store, &mut out, &filter, gzip)?;
        }
        ExportCommand::Parquet {
            output, row_group_size, ..
        } => {
            let n = crate::pipeline::parquet::export_parquet(&*store, &output, &filter, row_group_size)?;
            println!("wrote {n} records to {}", output.display());
        }
    }
    Ok(())
}
