//! `newsdesk stories cluster` and `newsdesk tags`.

use clap::Args;

#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// JSONL file of articles (`id`, `title`, optional `text`, `date`, `source`, `url`).
    pub file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// JSONL file of articles (`id`, `title`, `text`).
    pub file: std::path::PathBuf,
    /// How many tags per article.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn run_cluster(_args: ClusterArgs) -> anyhow::Result<()> {
    anyhow::bail!("stories cluster: not implemented yet")
}

pub fn run_tags(_args: TagsArgs) -> anyhow::Result<()> {
    anyhow::bail!("tags: not implemented yet")
}
