//! Errors of the publishers; each names the file or value it is about.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("post path {path:?} would leave the output directory {out_dir:?}")]
    PathEscapes { out_dir: PathBuf, path: PathBuf },
    #[error("output directory {path:?}: {source}")]
    OutputDir { path: PathBuf, source: std::io::Error },
    #[error("writing post {path:?}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("unknown post style {0:?} (expected \"seed\" or \"full\")")]
    UnknownStyle(String),
}
