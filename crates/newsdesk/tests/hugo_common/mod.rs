//! Shared by the Hugo site tests: a desk made from the offline example the way the README says, whose
//! `newsdesk init` writes the Hugo site.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub use crate::common::copy_dir;
use crate::common::{newsdesk, newsdesk_ok};

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline")
}

/// The offline example's config, feeds and pages in `<tempdir>/desk`, then `newsdesk init <desk>` (which
/// keeps the config and writes the store and the site). `extra_output` goes into the config's [output].
pub fn offline_desk(extra_output: &str) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("tempdir");
    let desk = root.path().join("desk");
    std::fs::create_dir_all(&desk).expect("desk dir");
    let config = std::fs::read_to_string(example_dir().join("newsdesk.toml")).expect("example config");
    let config = config.replacen("[output]\n", &format!("[output]\n{extra_output}"), 1);
    std::fs::write(desk.join("newsdesk.toml"), config).expect("config");
    copy_dir(&example_dir().join("feeds"), &desk.join("feeds"));
    copy_dir(&example_dir().join("pages"), &desk.join("pages"));
    let desk_arg = desk.to_str().expect("utf-8 path");
    let out = newsdesk_ok(root.path(), &["init", desk_arg]);
    assert!(out.contains("wrote a Hugo site to"), "{out}");
    assert!(desk.join("site/hugo.toml").is_file() && desk.join("site/themes/newsdesk").is_dir());
    (root, desk)
}

/// `newsdesk run --once` in the desk.
pub fn run_once(desk: &Path) -> Output {
    newsdesk(desk, &["--config", "newsdesk.toml", "run", "--once"])
}
