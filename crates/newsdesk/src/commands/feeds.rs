//! `newsdesk feeds add|list|remove|import|export|ingest`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::config::Config;
use crate::pipeline::ingest::{ingest_document, FetchFacts};
use crate::pipeline::now;
use crate::store::Store;
use newsdesk_feeds::opml::{self, Subscription};

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed (http, https or file URL).
    Add {
        url: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// List followed feeds with their state and last error.
    List {
        /// One JSON object per feed.
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed (by the ID shown by `feeds list`); its items go with it.
    Remove { id: i64 },
    /// Follow every feed of an OPML file.
    Import { file: PathBuf },
    /// Print the followed feeds as OPML 2.0.
    Export,
    /// Process a saved feed document exactly as if it had been fetched from URL.
    Ingest(IngestArgs),
    /// Parse feed documents and show what newsdesk understood, without storing anything.
    Parse(super::feeds_parse::ParseArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The saved feed document.
    pub file: PathBuf,
    /// The URL it was fetched from (identifies the feed; base for relative links).
    #[arg(long)]
    pub url: String,
}

pub fn run(cmd: FeedsCommand, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let FeedsCommand::Parse(args) = cmd {
        return super::feeds_parse::run_parse(args);
    }
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    match cmd {
        FeedsCommand::Add { url, name } => {
            crate::feed_url::check_remote(&url)?;
            let (id, added) = store.add_feed(&url, name.as_deref())?;
            println!("{} feed {id}: {url}", if added { "added" } else { "already following" });
        }
        FeedsCommand::List { json } => list(&*store, json)?,
        FeedsCommand::Remove { id } => {
            anyhow::ensure!(
                store.remove_feed(id)?,
                "no feed with id {id} (see `newsdesk feeds list`)"
            );
            println!("removed feed {id}");
        }
        FeedsCommand::Import { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let subs = opml::parse(&text).with_context(|| format!("{}", file.display()))?;
            let (mut added, mut skipped) = (0, 0);
            for sub in subs {
                match crate::feed_url::check_remote(&sub.url) {
                    Ok(_) => added += store.add_feed(&sub.url, sub.title.as_deref())?.1 as usize,
                    Err(e) => {
                        eprintln!("skipping: {e}");
                        skipped += 1;
                    }
                }
            }
            println!("imported {added} new feeds from {} ({skipped} skipped)", file.display());
        }
        FeedsCommand::Export => {
            let subs: Vec<Subscription> = store
                .feeds()?
                .into_iter()
                .map(|f| Subscription {
                    url: f.url,
                    title: f.name.or(f.title),
                })
                .collect();
            print!("{}", opml::write("newsdesk feeds", &subs));
        }
        FeedsCommand::Ingest(args) => {
            crate::feed_url::check(&args.url)?;
            let bytes = crate::pipeline::read_local(&args.file, config.fetch.max_body_bytes)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let outcome = ingest_document(&*store, &args.url, &bytes, &FetchFacts::default(), &now())
                .with_context(|| format!("{}", args.file.display()))?;
            for note in &outcome.repairs {
                eprintln!("repaired: {note}");
            }
            println!(
                "feed {}: {} new, {} updated, {} unchanged items from {}",
                outcome.feed_id,
                outcome.new,
                outcome.updated,
                outcome.unchanged,
                args.file.display()
            );
        }
        FeedsCommand::Parse(_) => unreachable!("handled above"),
    }
    Ok(())
}

fn list(store: &dyn Store, json: bool) -> anyhow::Result<()> {
    let feeds = store.feeds()?;
    if json {
        for f in &feeds {
            println!("{}", serde_json::to_string(f)?);
        }
        return Ok(());
    }
    if feeds.is_empty() {
        println!("no feeds (add one with `newsdesk feeds add URL`)");
    }
    for f in feeds {
        let name = f.name.or(f.title).unwrap_or_default();
        println!("{:>4}  {}  {}", f.id, f.url, name);
        let fetched = f.last_fetched_at.as_deref().unwrap_or("never");
        println!("      items: {}  last fetched: {}", f.item_count, fetched);
        if let Some(err) = f.last_error {
            println!("      last error ({}): {}", f.last_error_at.unwrap_or_default(), err);
        }
    }
    Ok(())
}
