//! `newsdesk extract` and `newsdesk eval`.

use clap::Args;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// HTML files (`-` for stdin, `.gz` accepted).
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A folder with `pages/<id>.html.gz` and `truth.jsonl`.
    pub dataset: std::path::PathBuf,
}

pub fn run_extract(_args: ExtractArgs) -> anyhow::Result<()> {
    anyhow::bail!("extract: not implemented yet")
}

pub fn run_eval(_args: EvalArgs) -> anyhow::Result<()> {
    anyhow::bail!("eval: not implemented yet")
}
