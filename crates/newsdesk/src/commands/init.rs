//! `newsdesk init [DIR]`: a commented config, an empty store, and a Hugo site to publish into.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use newsdesk_publish::SiteOutcome;

use crate::config::{Config, DEFAULT_CONFIG_FILE};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to set up (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing newsdesk.toml.
    #[arg(long)]
    pub force: bool,
    /// Only write the Hugo site into the hugo_dir of an existing desk (DIR/newsdesk.toml, or --config FILE),
    /// unless it already has one.
    #[arg(long)]
    pub hugo_site: bool,
}

pub fn run(args: InitArgs, config_path: Option<&Path>) -> anyhow::Result<()> {
    if args.hugo_site {
        let path = config_path
            .map(Path::to_path_buf)
            .unwrap_or_else(|| args.dir.join(DEFAULT_CONFIG_FILE));
        if !path.exists() {
            bail!(
                "no desk at {} (run `newsdesk init {}` to make one, with its site)",
                path.display(),
                args.dir.display()
            );
        }
        return hugo_site(&Config::load(&path)?);
    }
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
    hugo_site(&config)
}

/// Write the Hugo site into the config's hugo_dir, unless it has one (whatever its files, they stay).
fn hugo_site(config: &Config) -> anyhow::Result<()> {
    if config.output.hugo_dir.as_os_str().is_empty() {
        println!("no Hugo site: [output] hugo_dir is empty");
        return Ok(());
    }
    let dir = config.resolve(&config.output.hugo_dir);
    let outcome = newsdesk_publish::write_site(&dir)
        .with_context(|| format!("cannot write the Hugo site in {}", dir.display()))?;
    match outcome {
        SiteOutcome::Existing(found) => println!(
            "{} already has a Hugo site ({}); leaving it as it is",
            dir.display(),
            found.display()
        ),
        SiteOutcome::Written { created, kept } => {
            let kept = if kept.is_empty() {
                String::new()
            } else {
                format!("; kept {} files already there", kept.len())
            };
            println!(
                "wrote a Hugo site to {} ({} files: hugo.toml and the theme newsdesk{kept}); after `newsdesk run`, \
                 `hugo server --source {}` shows it",
                dir.display(),
                created.len(),
                dir.display()
            );
        }
    }
    Ok(())
}
