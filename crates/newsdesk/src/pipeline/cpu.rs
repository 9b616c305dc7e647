//! CPU time by pipeline stage, for `newsdesk bench`: where the CPU of a pass goes, so that the gap between
//! the sum of the stages and the whole process is visible.
//!
//! Each measured part counts the CPU time of the thread that runs it (`CLOCK_THREAD_CPUTIME_ID`), exclusive
//! of the parts measured inside it: the store calls of the story stage count as store, not twice. Futures are
//! measured per poll, so the time a fetch spends waiting on the network costs nothing. Off by default: a run
//! outside the bench reads one flag per measured part.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// A stage of the pipeline whose CPU time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Fetching feed documents, parsing them and storing their items.
    Poll,
    /// Decoding Google News links and the batch exchange for those that need it.
    Resolve,
    /// The HTTP requests for article pages (the client's side, per poll of the request).
    Fetch,
    /// Extracting text and metadata from the fetched pages.
    Extract,
    /// Tags and named entities.
    Tags,
    /// Near-duplicates and story clustering.
    Story,
    /// Writing and reading the store, full-text index and commits included.
    Store,
    /// JSONL and Hugo output.
    Publish,
}

impl Part {
    pub const ALL: [Part; 8] = [
        Part::Poll,
        Part::Resolve,
        Part::Fetch,
        Part::Extract,
        Part::Tags,
        Part::Story,
        Part::Store,
        Part::Publish,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Part::Poll => "parse and poll",
            Part::Resolve => "resolve",
            Part::Fetch => "fetch",
            Part::Extract => "extract",
            Part::Tags => "tags and entities",
            Part::Story => "story",
            Part::Store => "store and index",
            Part::Publish => "publish",
        }
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; Part::ALL.len()] = [const { AtomicU64::new(0) }; Part::ALL.len()];

thread_local! {
    /// For each part open on this thread, innermost last: the CPU time of the parts measured inside it.
    static NESTED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    /// What this thread counted per part: the unit tests read it, since other tests share the process's totals.
    #[cfg(test)]
    static THREAD_NANOS: RefCell<[u64; Part::ALL.len()]> = const { RefCell::new([0; Part::ALL.len()]) };
}

/// Start counting (from zero): called by the bench before its pass.
pub fn enable() {
    for n in &NANOS {
        n.store(0, Ordering::Relaxed);
    }
    ENABLED.store(true, Ordering::Relaxed);
}

/// The CPU time counted for each part since [`enable`].
pub fn totals() -> Vec<(Part, Duration)> {
    Part::ALL
        .iter()
        .map(|&p| (p, Duration::from_nanos(NANOS[p as usize].load(Ordering::Relaxed))))
        .collect()
}

/// CPU time of the calling thread so far, in nanoseconds.
pub fn thread_cpu_nanos() -> u64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the struct it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } != 0 {
        return 0;
    }
    (t.tv_sec.max(0) as u64) * 1_000_000_000 + t.tv_nsec.max(0) as u64
}

/// Counts the time from its creation to its drop for `part`, so that a part left by a panic is counted too
/// and the nesting stays balanced.
struct Open {
    part: Part,
    start: u64,
}

impl Open {
    fn new(part: Part) -> Open {
        NESTED.with(|n| n.borrow_mut().push(0));
        Open {
            part,
            start: thread_cpu_nanos(),
        }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        let elapsed = thread_cpu_nanos().saturating_sub(self.start);
        let inner = NESTED.with(|n| {
            let mut n = n.borrow_mut();
            let inner = n.pop().unwrap_or(0);
            if let Some(outer) = n.last_mut() {
                *outer += elapsed;
            }
            inner
        });
        NANOS[self.part as usize].fetch_add(elapsed.saturating_sub(inner), Ordering::Relaxed);
        #[cfg(test)]
        THREAD_NANOS.with(|t| t.borrow_mut()[self.part as usize] += elapsed.saturating_sub(inner));
    }
}

/// Run `f`, counting its CPU time for `part` when counting is on.
pub fn measure<T>(part: Part, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let _open = Open::new(part);
    f()
}

/// Await `fut`, counting the CPU time of each of its polls for `part` when counting is on.
pub async fn measured<F: Future>(part: Part, fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(|cx| measure(part, || fut.as_mut().poll(cx))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spin(ms: u64) {
        let start = thread_cpu_nanos();
        while thread_cpu_nanos() - start < ms * 1_000_000 {
            std::hint::black_box(0u64);
        }
    }

    #[test]
    fn nested_parts_are_counted_once_each() {
        enable();
        measure(Part::Story, || {
            spin(30);
            measure(Part::Store, || spin(20));
        });
        let ms = |p: Part| THREAD_NANOS.with(|t| t.borrow()[p as usize]) / 1_000_000;
        let (story, store) = (ms(Part::Story), ms(Part::Store));
        // The story's own 30 ms, not 50: the store's 20 ms inside it count for the store only.
        assert!((28..45).contains(&story), "story {story} ms");
        assert!((18..35).contains(&store), "store {store} ms");
        assert_eq!(ms(Part::Publish), 0);
        assert!(totals().iter().all(|(p, d)| *p != Part::Store || d.as_millis() >= 18));
    }
}
