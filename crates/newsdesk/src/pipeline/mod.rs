//! The pipeline: poll feed → store item → resolve link → fetch page → extract → tag/story → publish.
//!
//! Every stage reads what the previous one stored and writes its own result with the item's new stage, so
//! each stage is idempotent and a run killed at any point resumes where it stopped.

pub mod archive;
pub mod cpu;
pub mod enrich;
pub mod export;
pub mod ingest;
pub mod parquet;
pub mod progress;
pub mod publish;
pub mod run;
pub mod shared_hosts;

use chrono::{SecondsFormat, Utc};

/// State key of the Google News cooldown that `run` keeps in the store: the RFC 3339 time before which no
/// resolution is attempted (items wait for it without spending an attempt). Read by `status`.
pub const GNEWS_COOLDOWN_STATE: &str = "gnews.rate_limited_until";
/// State key of the article-page rate Google News was learned to allow, in requests per minute, kept so that
/// a run starts at the pace the last one ended with. Read by `status`.
pub const GNEWS_RATE_STATE: &str = "gnews.learned_rate_per_minute";

/// Current UTC time as stored: RFC 3339 with seconds and `Z`, so that string order is time order.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Run `f`, turning a panic into an error that names `what`: a bug met on one item (a page, a feed document)
/// becomes an error on that item, and the pass goes on with the others.
pub fn isolated<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|payload| format!("internal error while {what}: {}", panic_message(payload.as_ref())))
}

/// Test hook: with `NEWSDESK_FAILPOINTS="extract=NEEDLE,enrich=NEEDLE"` in the environment, the named step
/// panics on items whose URL contains NEEDLE, so that the tests can show that a bug met on one item stays an
/// error on that item whatever the bug is. Unset (always, outside the tests), it costs one lookup.
pub fn failpoint(step: &str, url: &str) {
    static POINTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let points = POINTS.get_or_init(|| {
        std::env::var("NEWSDESK_FAILPOINTS")
            .unwrap_or_default()
            .split(',')
            .filter_map(|p| p.split_once('='))
            .filter(|(_, needle)| !needle.is_empty())
            .map(|(s, n)| (s.trim().to_string(), n.trim().to_string()))
            .collect()
    });
    if points
        .iter()
        .any(|(s, needle)| s == step && url.contains(needle.as_str()))
    {
        panic!("failpoint {step} hit on {url}");
    }
}

/// The message a panic was raised with.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into())
}

/// Whether `e` came from the store: such errors stop the run (the store is unusable or full), where a
/// feed's or page's own error only fails that feed or item.
pub fn is_store_error(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|cause| cause.downcast_ref::<crate::store::StoreError>().is_some())
}

/// A local feed or page, read under the same size limit as a fetched body (`max_body_bytes`): a huge file
/// is refused before it fills the memory.
pub fn read_local(path: &std::path::Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(std::io::Error::other(format!(
            "{} is larger than max_body_bytes ({max_bytes} bytes)",
            path.display()
        )));
    }
    Ok(bytes)
}

pub fn format_time(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
