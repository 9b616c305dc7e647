//! `newsdesk publish hugo DIR [--style seed|full]` and `newsdesk export jsonl`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::config::{Config, HugoStyle};
use crate::pipeline::{now, publish::publish_hugo, publish::Selection};

#[derive(Debug, Subcommand)]
pub enum PublishCommand {
    /// (Re)write Hugo posts for every stored item into the site at DIR (posts go to DIR/content/posts/).
    Hugo(HugoArgs),
}

#[derive(Debug, Args)]
pub struct HugoArgs {
    /// The Hugo site directory.
    pub dir: PathBuf,
    /// `full`: clean front matter and the article text; `seed`: the legacy layout.
    #[arg(long, value_enum, default_value_t = HugoStyle::Full)]
    pub style: HugoStyle,
}

pub fn style(s: HugoStyle) -> newsdesk_publish::Style {
    match s {
        HugoStyle::Full => newsdesk_publish::Style::Full,
        HugoStyle::Seed => newsdesk_publish::Style::Seed,
    }
}

pub fn run(cmd: PublishCommand, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    match cmd {
        PublishCommand::Hugo(args) => {
            let s = publish_hugo(&*store, Selection::All, &args.dir, style(args.style), &now())?;
            println!(
                "{}: {} posts written, {} unchanged, {} merged into another item's post, {} failed",
                args.dir.display(),
                s.written,
                s.unchanged,
                s.merged,
                s.failed
            );
            anyhow::ensure!(
                s.failed == 0,
                "{} posts could not be written (see the warnings above)",
                s.failed
            );
        }
    }
    Ok(())
}
