//! The Hugo site around the posts: `hugo.toml`, declaring the taxonomies the full style fills, and
//! newsdesk's own theme (`themes/newsdesk`), so that `hugo` builds a news site out of the box.
//!
//! The files are embedded in the binary. [`write_site`] writes them into a directory that has no site yet,
//! and never replaces a file that is already there: a site the user set up, or edited since, stays theirs.
//! [`build_site`] runs Hugo on a site.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::error::PublishError;
use crate::write::create_new_file;

/// The files of the site, relative to its directory. The config comes last: a write cut short leaves no
/// config behind, so the next [`write_site`] still sees no site and completes it.
const FILES: &[(&str, &str)] = &[
    (".gitignore", include_str!("files/gitignore")),
    (
        "themes/newsdesk/layouts/404.html",
        include_str!("files/themes/newsdesk/layouts/404.html"),
    ),
    (
        "themes/newsdesk/layouts/_default/baseof.html",
        include_str!("files/themes/newsdesk/layouts/_default/baseof.html"),
    ),
    (
        "themes/newsdesk/layouts/_default/list.html",
        include_str!("files/themes/newsdesk/layouts/_default/list.html"),
    ),
    (
        "themes/newsdesk/layouts/_default/single.html",
        include_str!("files/themes/newsdesk/layouts/_default/single.html"),
    ),
    (
        "themes/newsdesk/layouts/_default/term.html",
        include_str!("files/themes/newsdesk/layouts/_default/term.html"),
    ),
    (
        "themes/newsdesk/layouts/_default/terms.html",
        include_str!("files/themes/newsdesk/layouts/_default/terms.html"),
    ),
    (
        "themes/newsdesk/layouts/alias.html",
        include_str!("files/themes/newsdesk/layouts/alias.html"),
    ),
    (
        "themes/newsdesk/layouts/index.html",
        include_str!("files/themes/newsdesk/layouts/index.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/card.html",
        include_str!("files/themes/newsdesk/layouts/partials/card.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/cards.html",
        include_str!("files/themes/newsdesk/layouts/partials/cards.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/elsewhere.html",
        include_str!("files/themes/newsdesk/layouts/partials/elsewhere.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/link.html",
        include_str!("files/themes/newsdesk/layouts/partials/link.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/names.html",
        include_str!("files/themes/newsdesk/layouts/partials/names.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/nav.html",
        include_str!("files/themes/newsdesk/layouts/partials/nav.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/outlet.html",
        include_str!("files/themes/newsdesk/layouts/partials/outlet.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/page-terms.html",
        include_str!("files/themes/newsdesk/layouts/partials/page-terms.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/pager.html",
        include_str!("files/themes/newsdesk/layouts/partials/pager.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/picture.html",
        include_str!("files/themes/newsdesk/layouts/partials/picture.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/posts.html",
        include_str!("files/themes/newsdesk/layouts/partials/posts.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/sections.html",
        include_str!("files/themes/newsdesk/layouts/partials/sections.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/story-card.html",
        include_str!("files/themes/newsdesk/layouts/partials/story-card.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/story-coverage.html",
        include_str!("files/themes/newsdesk/layouts/partials/story-coverage.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/story-headline.html",
        include_str!("files/themes/newsdesk/layouts/partials/story-headline.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/story.html",
        include_str!("files/themes/newsdesk/layouts/partials/story.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/terms-of.html",
        include_str!("files/themes/newsdesk/layouts/partials/terms-of.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/time.html",
        include_str!("files/themes/newsdesk/layouts/partials/time.html"),
    ),
    (
        "themes/newsdesk/layouts/partials/topics.html",
        include_str!("files/themes/newsdesk/layouts/partials/topics.html"),
    ),
    (
        "themes/newsdesk/static/newsdesk.css",
        include_str!("files/themes/newsdesk/static/newsdesk.css"),
    ),
    ("hugo.toml", include_str!("files/hugo.toml")),
];

/// The files whose presence means a directory already holds a Hugo site (Hugo's own list of config names,
/// and its config directory).
pub const SITE_CONFIG_FILES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default",
];

/// The site's files: each path relative to the site directory, and its contents.
pub fn site_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().copied()
}

/// The config of the Hugo site in `dir`, when it has one (see [`SITE_CONFIG_FILES`]).
pub fn existing_site_config(dir: &Path) -> Option<PathBuf> {
    SITE_CONFIG_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| std::fs::symlink_metadata(path).is_ok())
}

/// What [`write_site`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteOutcome {
    /// The site was written. `created` lists the files written; `kept`, those that were already there and
    /// were left as they were (a theme file the user changed, say).
    Written { created: Vec<PathBuf>, kept: Vec<PathBuf> },
    /// The directory already has a site, whose config is this file; nothing was written.
    Existing(PathBuf),
}

/// Write the Hugo site into `dir` (created when missing) unless it already has one. No file already there is
/// replaced, and every file is written whole (temporary file, then linked into place).
pub fn write_site(dir: &Path) -> Result<SiteOutcome, PublishError> {
    if let Some(config) = existing_site_config(dir) {
        return Ok(SiteOutcome::Existing(config));
    }
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (relative, contents) in FILES {
        let path = dir.join(relative);
        if create_new_file(dir, Path::new(relative), contents)? {
            created.push(path);
        } else {
            kept.push(path);
        }
    }
    Ok(SiteOutcome::Written { created, kept })
}

/// Why [`build_site`] failed.
#[derive(Debug, thiserror::Error)]
pub enum HugoError {
    #[error(
        "{site:?} has no Hugo site to build (no hugo.toml or config.toml; `newsdesk init --hugo-site` writes one)"
    )]
    NoSite { site: PathBuf },
    #[error("cannot run {bin:?} (is Hugo installed? set [output] hugo_bin to its path): {source}")]
    Start { bin: PathBuf, source: std::io::Error },
    #[error("{bin:?} failed to build {site:?} ({status}): {output}")]
    Failed {
        bin: PathBuf,
        site: PathBuf,
        status: std::process::ExitStatus,
        /// The last lines Hugo printed, which say why.
        output: String,
    },
}

/// Build the site in `site` with the Hugo binary `bin` (`hugo --source SITE --quiet`, into `SITE/public/`
/// unless the site's config says otherwise), and return how long it took. A folder without a Hugo config is
/// refused before Hugo runs, with a hint.
pub fn build_site(bin: &Path, site: &Path) -> Result<Duration, HugoError> {
    if existing_site_config(site).is_none() {
        return Err(HugoError::NoSite {
            site: site.to_path_buf(),
        });
    }
    let started = Instant::now();
    let out = Command::new(bin)
        .arg("--source")
        .arg(site)
        .arg("--quiet")
        .output()
        .map_err(|source| HugoError::Start {
            bin: bin.to_path_buf(),
            source,
        })?;
    if out.status.success() {
        return Ok(started.elapsed());
    }
    let printed = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    Err(HugoError::Failed {
        bin: bin.to_path_buf(),
        site: site.to_path_buf(),
        status: out.status,
        output: last_lines(&printed, 5),
    })
}

/// The last `n` non-empty lines of `text`, joined with " | " so that an error stays on one line.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> tempfile::TempDir {
        match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("cannot create a temporary directory: {e}"),
        }
    }

    /// Every file under `files/` is embedded, so that none is forgotten when one is added.
    #[test]
    fn every_file_of_the_skeleton_is_embedded() {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            let entries = std::fs::read_dir(dir).map(|rd| rd.flatten().collect::<Vec<_>>());
            for entry in entries.unwrap_or_default() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else if let Ok(rel) = path.strip_prefix(root) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hugo/site/files");
        let mut on_disk = Vec::new();
        walk(&root, &root, &mut on_disk);
        let mut embedded: Vec<String> = site_files()
            .map(|(p, _)| {
                if p == ".gitignore" {
                    "gitignore".to_string()
                } else {
                    p.to_string()
                }
            })
            .collect();
        on_disk.sort();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        assert_eq!(FILES.last().map(|(p, _)| *p), Some("hugo.toml"), "the config goes last");
    }

    #[test]
    fn writes_a_site_then_leaves_it_alone() -> Result<(), PublishError> {
        let dir = temp_dir();
        let site = dir.path().join("site");
        let SiteOutcome::Written { created, kept } = write_site(&site)? else {
            panic!("no site was written");
        };
        assert_eq!(created.len(), FILES.len());
        assert!(kept.is_empty());
        assert!(site.join("themes/newsdesk/layouts/_default/baseof.html").is_file());
        let config = std::fs::read_to_string(site.join("hugo.toml")).unwrap_or_default();
        assert!(config.contains("story = \"stories\""), "{config}");
        // A second time, and with the user's edits: nothing changes.
        std::fs::write(site.join("hugo.toml"), "title = \"mine\"\n").map_err(|source| PublishError::Write {
            path: site.join("hugo.toml"),
            source,
        })?;
        let _ = std::fs::remove_file(site.join("themes/newsdesk/static/newsdesk.css"));
        assert_eq!(write_site(&site)?, SiteOutcome::Existing(site.join("hugo.toml")));
        assert!(!site.join("themes/newsdesk/static/newsdesk.css").exists());
        assert_eq!(
            std::fs::read_to_string(site.join("hugo.toml")).ok().as_deref(),
            Some("title = \"mine\"\n")
        );
        Ok(())
    }

    #[test]
    fn any_hugo_config_counts_as_a_site() -> Result<(), PublishError> {
        for name in ["config.toml", "config.yaml", "hugo.yaml", "hugo.json"] {
            let dir = temp_dir();
            let _ = std::fs::write(dir.path().join(name), "");
            assert_eq!(write_site(dir.path())?, SiteOutcome::Existing(dir.path().join(name)));
            let names: Vec<_> = std::fs::read_dir(dir.path())
                .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
                .unwrap_or_default();
            assert_eq!(names.len(), 1, "{name}: {names:?}");
        }
        let dir = temp_dir();
        let _ = std::fs::create_dir_all(dir.path().join("config/_default"));
        assert!(matches!(write_site(dir.path())?, SiteOutcome::Existing(_)));
        Ok(())
    }

    #[test]
    fn files_already_there_are_kept() -> Result<(), PublishError> {
        let dir = temp_dir();
        let css = dir.path().join("themes/newsdesk/static/newsdesk.css");
        let _ = std::fs::create_dir_all(css.parent().unwrap_or(dir.path()));
        let _ = std::fs::write(&css, "body { color: red }");
        let SiteOutcome::Written { created, kept } = write_site(dir.path())? else {
            panic!("no site was written");
        };
        assert_eq!(kept, std::slice::from_ref(&css));
        assert_eq!(created.len(), FILES.len() - 1);
        assert_eq!(
            std::fs::read_to_string(&css).ok().as_deref(),
            Some("body { color: red }")
        );
        Ok(())
    }

    #[test]
    fn a_missing_site_or_binary_is_a_clear_error() {
        let dir = temp_dir();
        let err = build_site(Path::new("/nonexistent/hugo"), dir.path()).err();
        assert!(matches!(err, Some(HugoError::NoSite { .. })), "{err:?}");
        let _ = std::fs::write(dir.path().join("hugo.toml"), "");
        let err = build_site(Path::new("/nonexistent/hugo"), dir.path()).err();
        assert!(matches!(err, Some(HugoError::Start { .. })), "{err:?}");
        assert_eq!(last_lines("a\n\nb\nc\n", 2), "b | c");
    }
}
