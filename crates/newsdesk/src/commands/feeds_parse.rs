//! `newsdesk feeds parse`: show what the feed parser understood, without storing anything.

use clap::Args;

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Feed documents to parse.
    pub files: Vec<std::path::PathBuf>,
}

pub fn run_parse(_args: ParseArgs) -> anyhow::Result<()> {
    anyhow::bail!("feeds parse: not implemented yet")
}
