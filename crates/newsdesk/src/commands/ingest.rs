//! `newsdesk ingest warc FILE…`: archived pages into the store, as if they had been fetched.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::config::Config;
use crate::desk::{open_store, OpenMode, RunLock};
use crate::pipeline::archive::{self, Filters, IngestOptions};
use crate::pipeline::run::Pipeline;

#[derive(Debug, Subcommand)]
pub enum IngestCommand {
    /// Read WARC and WARC.gz files (CC-NEWS, web archives, crawlers): their HTML responses become articles.
    Warc(WarcArgs),
}

#[derive(Debug, Args)]
pub struct WarcArgs {
    /// WARC or WARC.gz files (`-` reads standard input).
    pub files: Vec<PathBuf>,
    /// Also read the files listed in LIST, one path per line (`-` is standard input; blank lines and `#`
    /// comments are skipped; relative paths are relative to the current directory).
    #[arg(long, value_name = "LIST")]
    pub from_list: Option<PathBuf>,
    /// Only records dated (WARC-Date) on or after this day or time (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only records dated on or before this day (the whole day) or time.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only pages on this domain or its subdomains (repeat for more).
    #[arg(long = "domain", value_name = "D")]
    pub domains: Vec<String>,
    /// Only articles in this language, e.g. `en` (repeat for more; known after extraction).
    #[arg(long = "lang", value_name = "L")]
    pub langs: Vec<String>,
    /// Stop after storing N articles; the next run goes on from there.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Extraction threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Store, tag and cluster only: leave the Hugo and JSONL outputs to `run` or `publish`.
    #[arg(long)]
    pub no_publish: bool,
    /// Read, filter and extract, but store nothing: counts what a run would keep, and how fast it reads.
    #[arg(long)]
    pub dry_run: bool,
    /// Share the files with other `ingest warc --shared` processes on the same PostgreSQL store (on this
    /// machine or others): each file is read by the process that claims it; a killed process's files are
    /// taken over, from where it stopped, once its lease (`[pipeline] lease_secs`) expires.
    #[arg(long)]
    pub shared: bool,
}

pub fn run(cmd: IngestCommand, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let IngestCommand::Warc(args) = cmd;
    let inputs = archive::inputs(&args.files, args.from_list.as_deref())?;
    let filters = Filters {
        since: args
            .since
            .as_deref()
            .map(|s| archive::parse_since(s).map_err(|e| e.context("--since")))
            .transpose()?,
        before: args
            .until
            .as_deref()
            .map(|s| archive::parse_until(s).map_err(|e| e.context("--until")))
            .transpose()?,
        domains: args
            .domains
            .iter()
            .map(|d| d.trim().trim_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect(),
        languages: args.langs.iter().map(|l| l.trim().to_ascii_lowercase()).collect(),
    };
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let config = Config::locate(config_path)?;
    let shared = if args.shared {
        if !matches!(config.store_location(), crate::store::Location::Postgres(_)) {
            anyhow::bail!(
                "--shared needs a PostgreSQL store ([store] url or NEWSDESK_STORE_URL): an SQLite file has one writer"
            );
        }
        Some(archive::SharedFiles {
            owner: crate::commands::worker::worker_id().0,
            lease: chrono::Duration::seconds(config.pipeline.lease_secs.max(1) as i64),
        })
    } else {
        None
    };
    let options = IngestOptions {
        filters,
        limit: args.limit,
        workers,
        publish: !args.no_publish,
        dry_run: args.dry_run,
        shared,
    };
    // The same lock as `run`: both write the same items and publish into the same outputs. An SQLite file
    // is locked before it is opened, so that the checks on the file see no other run.
    let lock = match config.store_location() {
        crate::store::Location::Sqlite(path) => Some(RunLock::acquire(&path, "newsdesk ingest warc")?),
        _ => None,
    };
    let store = open_store(&config, OpenMode::Publishing { new_store: false })?;
    let _lock = match lock {
        Some(lock) => Some(lock),
        // Sharing, the files are claimed one by one instead of the whole store.
        None if options.shared.is_some() => None,
        None => crate::desk::lock_store(&config, &*store, "newsdesk ingest warc")?,
    };
    let pipeline = Pipeline::new(&config, &*store)?;
    let s = archive::ingest(&config, &*store, &pipeline, &inputs, &options)?;
    let secs = s.elapsed.as_secs_f64().max(0.001);
    println!(
        "read {} records from {} files in {:.1} s ({:.0} records/s, {:.0} articles/s): {} articles kept{}",
        s.records,
        s.files,
        secs,
        s.records as f64 / secs,
        s.kept as f64 / secs,
        s.kept,
        if s.limited { " (--limit reached)" } else { "" }
    );
    println!("skipped: {}", s.skipped_line());
    if s.files_elsewhere > 0 {
        println!("{} files left to the other processes that hold them", s.files_elsewhere);
    }
    let published = if options.publish {
        format!(", {} posts written", s.published)
    } else {
        String::new()
    };
    if options.dry_run {
        println!("nothing stored (--dry-run)");
    } else {
        println!("{} articles tagged and clustered{published}", s.enriched);
    }
    if s.posts_failed > 0 {
        anyhow::bail!("{} posts could not be written (the warnings say why)", s.posts_failed);
    }
    if !s.file_errors.is_empty() {
        anyhow::bail!(
            "{} of {} files could not be read to their end (see above; what came before each error is stored)",
            s.file_errors.len(),
            s.files
        );
    }
    Ok(())
}
