//! The command line: clap definitions and dispatch. Thin by design.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;

#[derive(Debug, Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "Follow news feeds, extract full articles, group stories, publish."
)]
pub struct Cli {
    /// Path to newsdesk.toml (default: ./newsdesk.toml).
    #[arg(long, global = true, env = "NEWSDESK_CONFIG")]
    pub config: Option<PathBuf>,
    /// More log output (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract articles from HTML files (or fetch one with --url).
    Extract(commands::extract::ExtractArgs),
    /// Score the extractor on a dataset folder (pages/<id>.html.gz + truth.jsonl).
    Eval(commands::extract::EvalArgs),
    /// Write a commented newsdesk.toml, create the store, and write a Hugo site to publish into.
    Init(commands::init::InitArgs),
    /// Manage and inspect feeds.
    #[command(subcommand)]
    Feeds(commands::feeds::FeedsCommand),
    /// Poll feeds and carry every item through the pipeline; publish.
    Run(commands::run::RunArgs),
    /// One of several processes sharing a PostgreSQL store: claims work per item, runs the given roles.
    Worker(commands::worker::WorkerArgs),
    /// Read archives (WARC) into the store, through the same stages as fetched pages.
    #[command(subcommand)]
    Ingest(commands::ingest::IngestCommand),
    /// Copy the SQLite store into PostgreSQL and check every table.
    Migrate(commands::migrate::MigrateArgs),
    /// Counts per stage and per feed, and the most recent errors.
    Status(commands::run::StatusArgs),
    /// Export stored articles.
    #[command(subcommand)]
    Export(commands::run::ExportCommand),
    /// (Re)write outputs for everything stored.
    #[command(subcommand)]
    Publish(commands::publish::PublishCommand),
    /// Measure end-to-end throughput and peak memory against generated feeds and pages on loopback.
    Bench(commands::bench::BenchArgs),
    /// Story clustering.
    #[command(subcommand)]
    Stories(StoriesCommand),
    /// Rank keyphrases and entities for articles in a JSONL file.
    Tags(commands::stories::TagsArgs),
    /// Full-text search of the stored articles.
    Search(commands::search::SearchArgs),
    /// Serve the JSON API, full-text feeds and the web reader.
    Serve(commands::serve::ServeArgs),
    /// Fill a store with synthetic articles and time a fixed search query mix.
    #[command(hide = true)]
    SearchBench(commands::search::BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum StoriesCommand {
    /// List the stored stories, most recently updated first.
    List(commands::stories_store::ListArgs),
    /// Show one story and its articles.
    Show(commands::stories_store::ShowArgs),
    /// Cluster articles from a JSONL file into stories, offline; prints {"id", "story"} per line.
    Cluster(commands::stories::ClusterArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsdesk: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Extract(a) => commands::extract::run_extract(a, cli.config.as_deref()),
        Command::Eval(a) => commands::extract::run_eval(a),
        Command::Init(a) => commands::init::run(a, cli.config.as_deref()),
        Command::Bench(a) => commands::bench::run(a),
        Command::Run(a) => commands::run::run(a, cli.config.as_deref()),
        Command::Worker(a) => commands::worker::worker(a, cli.config.as_deref()),
        Command::Ingest(c) => commands::ingest::run(c, cli.config.as_deref()),
        Command::Migrate(a) => commands::migrate::run(a, cli.config.as_deref()),
        Command::Status(a) => commands::run::status(a, cli.config.as_deref()),
        Command::Export(c) => commands::run::export(c, cli.config.as_deref()),
        Command::Publish(c) => commands::publish::run(c, cli.config.as_deref()),
        Command::Feeds(c) => commands::feeds::run(c, cli.config.as_deref()),
        Command::Stories(StoriesCommand::List(a)) => commands::stories_store::list(a, cli.config.as_deref()),
        Command::Stories(StoriesCommand::Show(a)) => commands::stories_store::show(a, cli.config.as_deref()),
        Command::Stories(StoriesCommand::Cluster(a)) => commands::stories::run_cluster(a),
        Command::Tags(a) => commands::stories::run_tags(a),
        Command::Search(a) => commands::search::run(a, cli.config.as_deref()),
        Command::Serve(a) => commands::serve::run(a, cli.config.as_deref()),
        Command::SearchBench(a) => commands::search::run_bench(a, cli.config.as_deref()),
    }
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = if quiet {
        "error"
    } else {
        match verbose {
            0 => "warn",
            1 => "info",
            _ => "debug",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWSDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
