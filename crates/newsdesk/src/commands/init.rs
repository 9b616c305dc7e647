//! `newsdesk init [DIR]`: a commented config and an empty store.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::{Config, DEFAULT_CONFIG_FILE};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to set up (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing newsdesk.toml.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.dir).with_context(|| format!("cannot create {}", args.dir.display()))?;
    let path = args.dir.join(DEFAULT_CONFIG_FILE);
    if path.exists() && !args.force {
        println!("{} exists; keeping it (use --force to overwrite)", path.display());
    } else {
        std::fs::write(&path, Config::default_file_text())
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    let config = Config::load(&path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Create)?;
    for feed in &config.feeds {
        store.add_feed(&feed.url, feed.name.as_deref())?;
    }
    println!(
        "store ready at {} ({} feeds)",
        config.store_path().display(),
        store.feeds()?.len()
    );
    Ok(())
}
