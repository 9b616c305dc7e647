//! Opening a desk's store the way each command needs it: the checks that keep a lost or emptied store from
//! silently starting a new desk over the old one's outputs, and the lock that keeps two `run`s apart.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::config::Config;
use crate::store::Store;

/// How a command opens the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// `newsdesk init`: a new store may be created, an empty file becomes one.
    Create,
    /// Every other command: they read or add to the store, and publish nothing over old outputs.
    Existing,
    /// A command that rewrites outputs (`run`): a missing or empty store (deleted, truncated, replaced by an
    /// empty file) is refused when the outputs show that a desk wrote them. `new_store` says the user wants a
    /// new desk anyway.
    Publishing { new_store: bool },
}

/// Open the store of `config` for a command, after the checks of `mode`.
pub fn open_store(config: &Config, mode: OpenMode) -> anyhow::Result<std::sync::Arc<dyn Store>> {
    let location = config.store_location();
    let new_store = matches!(mode, OpenMode::Create | OpenMode::Publishing { new_store: true });
    if let crate::store::Location::Sqlite(path) = &location {
        if !new_store {
            check_store_file(config, path, mode)?;
        }
    }
    crate::store::open(&location).with_context(|| format!("cannot open store {}", location.display()))
}

/// This machine's name, for telling processes apart in the store and in messages.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into())
}

/// The text a lock holder leaves for the one it refuses: what it is, its pid and host, since when.
fn holder_text(what: &str) -> String {
    let host = host_name();
    format!(
        "{what}, pid {} on {host}, since {}",
        std::process::id(),
        crate::pipeline::now()
    )
}

/// Take the store's run lock for `what` (one `newsdesk run` per store until work is claimed per item): a lock
/// file beside an SQLite store, a lock in the database for PostgreSQL. Held while the returned value lives.
pub fn lock_store(config: &Config, store: &dyn Store, what: &str) -> anyhow::Result<Option<RunLock>> {
    match config.store_location() {
        crate::store::Location::Sqlite(path) => Ok(Some(RunLock::acquire(&path, what)?)),
        location => match store.try_lock("run", &holder_text(what))? {
            Ok(()) => Ok(None),
            Err(holder) => bail!(
                "store {} is in use by another process ({holder}); two runs on one store would fetch every \
                 page twice: stop it first",
                location.display()
            ),
        },
    }
}

fn check_store_file(config: &Config, path: &Path, mode: OpenMode) -> anyhow::Result<()> {
    // Only a command that publishes can wipe outputs; the others may look at an empty desk.
    if !matches!(mode, OpenMode::Publishing { .. }) {
        return Ok(());
    }
    let state = match std::fs::metadata(path) {
        // A store killed before its first checkpoint has everything in its log and an empty main file.
        Ok(meta) if meta.len() == 0 && !has_wal(path) => "is empty (0 bytes)",
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "is missing",
        Err(e) => return Err(e).with_context(|| format!("cannot read store {}", path.display())),
    };
    // A store that never held a desk has published nothing: only outputs show that a desk was there.
    if let Some(output) = desk_outputs(config) {
        bail!(
            "store {} {state}, but {} holds what a desk published; restore the store, or pass --new-store to \
             start a new desk that publishes over it",
            path.display(),
            output.display()
        );
    }
    Ok(())
}

/// Whether the store has a non-empty write-ahead log: a store whose process was killed before its first
/// checkpoint keeps everything there, with the main file still empty.
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// An output of `config` that a desk has already written into: a Hugo post, or a non-empty JSONL file.
fn desk_outputs(config: &Config) -> Option<PathBuf> {
    let out = &config.output;
    if !out.jsonl.as_os_str().is_empty() {
        let jsonl = config.resolve(&out.jsonl);
        if std::fs::metadata(&jsonl).is_ok_and(|m| m.len() > 0) {
            return Some(jsonl);
        }
    }
    if !out.hugo_dir.as_os_str().is_empty() {
        let posts = config.resolve(&out.hugo_dir).join(newsdesk_publish::POSTS_DIR);
        let has_post = std::fs::read_dir(&posts).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_type().is_ok_and(|t| t.is_file()) && e.path().extension().is_some_and(|x| x == "md"))
        });
        if has_post {
            return Some(posts);
        }
    }
    None
}

/// Held by a running `newsdesk run` for as long as it runs: a second one on the same store is refused.
///
/// The lock is the kernel's (`flock` on `<store>.lock`), so it goes with the process however that ends,
/// SIGKILL included; the file's text only says who holds it.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    pub fn acquire(store_path: &Path, what: &str) -> anyhow::Result<RunLock> {
        let mut name = store_path.as_os_str().to_os_string();
        name.push(".lock");
        let path = PathBuf::from(name);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                bail!(
                    "store {} is in use by another process ({}); an SQLite store takes one process at a time: \
                     stop it first, or move the store to PostgreSQL (`newsdesk migrate --to postgres://…`) to \
                     share the work between workers",
                    store_path.display(),
                    if holder.is_empty() { "unknown" } else { holder }
                );
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let text = format!("{}\n", holder_text(what));
        // The text is informative only; failing to write it does not make the lock less held.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(text.as_bytes());
        let _ = file.flush();
        Ok(RunLock { _file: file })
    }
}
