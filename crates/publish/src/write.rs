//! Writing posts: inside the output directory only, atomically, and not at all when nothing changed.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::PublishError;

/// What [`write_post_outcome`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The file was created or its contents replaced.
    Written(PathBuf),
    /// The file already had exactly these contents; it was left untouched.
    Unchanged(PathBuf),
}

impl WriteOutcome {
    pub fn path(&self) -> &Path {
        match self {
            WriteOutcome::Written(p) | WriteOutcome::Unchanged(p) => p,
        }
    }
}

/// Write `contents` to `out_dir/relative_path` and return the full path. See [`write_post_outcome`].
pub fn write_post(out_dir: &Path, relative_path: &Path, contents: &str) -> Result<PathBuf, PublishError> {
    write_post_outcome(out_dir, relative_path, contents).map(|o| o.path().to_path_buf())
}

/// Write `contents` to `out_dir/relative_path`.
///
/// - `relative_path` must be relative and made of plain names (no `..`, no root); the directory it lands in,
///   once symbolic links are resolved, must still be inside `out_dir`.
/// - The file is written to a temporary file in the same directory, flushed, then renamed over the target, so a
///   reader (or a crash) never sees half a post.
/// - When the file already holds exactly `contents`, nothing is written: re-publishing is cheap and idempotent.
pub fn write_post_outcome(out_dir: &Path, relative_path: &Path, contents: &str) -> Result<WriteOutcome, PublishError> {
    let (target, parent) = checked_target(out_dir, relative_path)?;
    if let Some(unchanged) = unchanged(&target, contents)? {
        return Ok(unchanged);
    }
    let temp = temp_file(&target, &parent, contents)?;
    let write_err = |source| PublishError::Write {
        path: target.clone(),
        source,
    };
    temp.as_file().sync_all().map_err(write_err)?;
    temp.persist(&target).map_err(|e| write_err(e.error))?;
    Ok(WriteOutcome::Written(target))
}

/// Posts written together, durably, with one wait for the disk instead of one per post.
///
/// [`PostBatch::add`] checks the path like [`write_post_outcome`] and writes the contents to a temporary file
/// next to the target (nothing is written when the target already holds them). [`PostBatch::commit`] flushes
/// every temporary file to disk (in parallel), renames each over its target, then syncs the directories
/// once. A crash at any point leaves each target either as it was or with its new contents, never half
/// written; temporary files left behind are removed by [`remove_stale_temp_files`].
pub struct PostBatch {
    out_dir: PathBuf,
    pending: Vec<(tempfile::NamedTempFile, PathBuf)>,
}

/// Threads flushing temporary files at once: a flush mostly waits for the disk, so several overlap well.
const SYNC_THREADS: usize = 16;

impl PostBatch {
    pub fn new(out_dir: &Path) -> PostBatch {
        PostBatch {
            out_dir: out_dir.to_path_buf(),
            pending: Vec::new(),
        }
    }

    /// Posts waiting for [`PostBatch::commit`].
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Stage `contents` for `out_dir/relative_path`. `Written` means it is pending: on disk once
    /// [`PostBatch::commit`] returns.
    pub fn add(&mut self, relative_path: &Path, contents: &str) -> Result<WriteOutcome, PublishError> {
        let (target, parent) = checked_target(&self.out_dir, relative_path)?;
        if let Some(unchanged) = unchanged(&target, contents)? {
            return Ok(unchanged);
        }
        let temp = temp_file(&target, &parent, contents)?;
        self.pending.push((temp, target.clone()));
        Ok(WriteOutcome::Written(target))
    }

    /// Make every staged post durable and visible; see the type's documentation.
    pub fn commit(self) -> Result<(), PublishError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = self.pending.len().div_ceil(SYNC_THREADS);
        let synced: Result<(), PublishError> = std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .pending
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        for (temp, target) in part {
                            temp.as_file().sync_data().map_err(|source| PublishError::Write {
                                path: target.clone(),
                                source,
                            })?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for handle in handles {
                handle.join().unwrap_or_else(|_| {
                    Err(PublishError::Write {
                        path: self.out_dir.clone(),
                        source: std::io::Error::other("a flushing thread panicked"),
                    })
                })?;
            }
            Ok(())
        });
        synced?;
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (temp, target) in self.pending {
            temp.persist(&target).map_err(|e| PublishError::Write {
                path: target.clone(),
                source: e.error,
            })?;
            if let Some(parent) = target.parent() {
                if !dirs.iter().any(|d| d == parent) {
                    dirs.push(parent.to_path_buf());
                }
            }
        }
        for dir in dirs {
            sync_dir(&dir).map_err(|source| PublishError::Write { path: dir, source })?;
        }
        Ok(())
    }
}

/// Create `out_dir/relative_path` with `contents` unless something (a file, a directory, a link) is already
/// there, which is left exactly as it is. Returns whether the file was created. The path is checked like
/// [`write_post_outcome`]'s and the file appears whole: it is written to a temporary file, flushed, then linked
/// into place without replacing anything, so a file created meanwhile by someone else also wins.
pub(crate) fn create_new_file(out_dir: &Path, relative_path: &Path, contents: &str) -> Result<bool, PublishError> {
    if fs::symlink_metadata(out_dir.join(relative_path)).is_ok() {
        return Ok(false);
    }
    let (target, parent) = checked_target(out_dir, relative_path)?;
    let temp = temp_file(&target, &parent, contents)?;
    let write_err = |source| PublishError::Write {
        path: target.clone(),
        source,
    };
    temp.as_file().sync_all().map_err(write_err)?;
    match temp.persist_noclobber(&target) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(write_err(e.error)),
    }
}

/// Make the renames inside `dir` durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The checked full path of `relative_path` in `out_dir`, and its directory (created when missing).
fn checked_target(out_dir: &Path, relative_path: &Path) -> Result<(PathBuf, PathBuf), PublishError> {
    let escapes = || PublishError::PathEscapes {
        out_dir: out_dir.to_path_buf(),
        path: relative_path.to_path_buf(),
    };
    let plain = relative_path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || relative_path.file_name().is_none() {
        return Err(escapes());
    }
    let target = out_dir.join(relative_path);
    let parent = target.parent().ok_or_else(escapes)?.to_path_buf();
    if !create_dirs_inside(out_dir, relative_path.parent().unwrap_or(Path::new("")))? {
        return Err(escapes());
    }
    if fs::symlink_metadata(&target)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
    {
        // Renaming over a link replaces the link itself, but reading it for the comparison would follow it.
        return Err(escapes());
    }
    Ok((target, parent))
}

/// `Some(Unchanged)` when `target` already holds exactly `contents`.
fn unchanged(target: &Path, contents: &str) -> Result<Option<WriteOutcome>, PublishError> {
    match fs::read(target) {
        Ok(existing) if existing == contents.as_bytes() => Ok(Some(WriteOutcome::Unchanged(target.to_path_buf()))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(PublishError::Write {
            path: target.to_path_buf(),
            source,
        }),
    }
}

/// A readable temporary file in `parent` holding `contents` (not yet flushed to disk).
fn temp_file(target: &Path, parent: &Path, contents: &str) -> Result<tempfile::NamedTempFile, PublishError> {
    let write_err = |source| PublishError::Write {
        path: target.to_path_buf(),
        source,
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(parent)
        .map_err(write_err)?;
    temp.write_all(contents.as_bytes()).map_err(write_err)?;
    set_readable(temp.path()).map_err(write_err)?;
    Ok(temp)
}

/// Temporary files are named `.newsdesk-<random>.tmp`: hidden from Hugo, and recognisable as ours.
const TEMP_PREFIX: &str = ".newsdesk-";
const TEMP_SUFFIX: &str = ".tmp";

/// Remove the temporary files a killed writer left in `dir` (not recursive); returns how many went. Call it
/// before publishing into a directory that no other newsdesk process is writing at the same time.
pub fn remove_stale_temp_files(dir: &Path) -> std::io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if is_file && name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Create `out_dir/relative_dir` one level at a time, checking after each level that, with symbolic links
/// resolved, it is still inside `out_dir`; so a link pointing elsewhere is caught before anything is created
/// through it. Returns `false` when a level leads outside.
fn create_dirs_inside(out_dir: &Path, relative_dir: &Path) -> Result<bool, PublishError> {
    let dir_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PublishError::OutputDir { path, source }
    };
    fs::create_dir_all(out_dir).map_err(dir_err(out_dir))?;
    let real_root = fs::canonicalize(out_dir).map_err(dir_err(out_dir))?;
    let mut current = out_dir.to_path_buf();
    for component in relative_dir.components() {
        current.push(component);
        match fs::create_dir(&current) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(dir_err(&current)(e)),
        }
        let real = fs::canonicalize(&current).map_err(dir_err(&current))?;
        if !real.starts_with(&real_root) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Temporary files are created private (0600); posts are meant to be read by the site builder and web server.
#[cfg(unix)]
fn set_readable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_path: &Path) -> std::io::Result<()> {
    Ok(())
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

    #[test]
    fn stale_temp_files_are_removed_and_posts_kept() -> std::io::Result<()> {
        let dir = temp_dir();
        fs::write(dir.path().join(".newsdesk-abc123.tmp"), "half a po")?;
        fs::write(dir.path().join("2026-01-07-post.md"), "a post")?;
        fs::write(dir.path().join(".hidden.tmp"), "not ours")?;
        assert_eq!(remove_stale_temp_files(dir.path())?, 1);
        assert!(!dir.path().join(".newsdesk-abc123.tmp").exists());
        assert!(dir.path().join("2026-01-07-post.md").exists());
        assert!(dir.path().join(".hidden.tmp").exists());
        assert_eq!(remove_stale_temp_files(&dir.path().join("missing"))?, 0);
        Ok(())
    }

    #[test]
    fn writes_then_skips_identical_then_replaces() -> Result<(), PublishError> {
        let dir = temp_dir();
        let rel = Path::new("content/posts/a.md");
        let first = write_post_outcome(dir.path(), rel, "one")?;
        assert_eq!(first, WriteOutcome::Written(dir.path().join(rel)));
        assert_eq!(
            write_post_outcome(dir.path(), rel, "one")?,
            WriteOutcome::Unchanged(dir.path().join(rel))
        );
        write_post(dir.path(), rel, "two")?;
        assert_eq!(fs::read_to_string(dir.path().join(rel)).ok().as_deref(), Some("two"));
        // No temporary files left behind.
        let names: Vec<_> = fs::read_dir(dir.path().join("content/posts"))
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec![std::ffi::OsString::from("a.md")]);
        Ok(())
    }

    #[test]
    fn a_batch_shows_its_posts_only_once_committed() -> Result<(), PublishError> {
        let dir = temp_dir();
        write_post(dir.path(), Path::new("posts/same.md"), "same")?;
        let mut batch = PostBatch::new(dir.path());
        let a = batch.add(Path::new("posts/a.md"), "one")?;
        let b = batch.add(Path::new("posts/b.md"), "two")?;
        let same = batch.add(Path::new("posts/same.md"), "same")?;
        assert!(matches!(a, WriteOutcome::Written(_)) && matches!(b, WriteOutcome::Written(_)));
        assert_eq!(same, WriteOutcome::Unchanged(dir.path().join("posts/same.md")));
        assert_eq!(batch.len(), 2);
        assert!(!dir.path().join("posts/a.md").exists(), "visible before commit");
        assert!(batch.add(Path::new("../x.md"), "x").is_err());
        batch.commit()?;
        assert_eq!(
            fs::read_to_string(dir.path().join("posts/a.md")).ok().as_deref(),
            Some("one")
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("posts/b.md")).ok().as_deref(),
            Some("two")
        );
        let mut names: Vec<_> = fs::read_dir(dir.path().join("posts"))
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        names.sort();
        assert_eq!(
            names,
            ["a.md", "b.md", "same.md"].map(std::ffi::OsString::from).to_vec()
        );
        Ok(())
    }

    #[test]
    fn refuses_paths_that_leave_the_directory() {
        let dir = temp_dir();
        for bad in ["../x.md", "content/../../x.md", "/etc/x.md", "", "content/.."] {
            let result = write_post(dir.path(), Path::new(bad), "x");
            assert!(
                matches!(result, Err(PublishError::PathEscapes { .. })),
                "{bad}: {result:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlinked_directory_pointing_outside() {
        let dir = temp_dir();
        let outside = temp_dir();
        let link = dir.path().join("content");
        if std::os::unix::fs::symlink(outside.path(), &link).is_err() {
            return;
        }
        let result = write_post(dir.path(), Path::new("content/x.md"), "x");
        assert!(matches!(result, Err(PublishError::PathEscapes { .. })), "{result:?}");
        assert!(!outside.path().join("x.md").exists());
    }
}
