//! The pipeline: poll feed → store item → resolve link → fetch page → extract → tag/story → publish.
//!
//! Every stage reads what the previous one stored and writes its own result with the item's new stage, so
//! each stage is idempotent and a run killed at any point resumes where it stopped.

pub mod enrich;
pub mod export;
pub mod ingest;
pub mod progress;
pub mod publish;
pub mod run;

use chrono::{SecondsFormat, Utc};

/// Current UTC time as stored: RFC 3339 with seconds and `Z`, so that string order is time order.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn format_time(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
