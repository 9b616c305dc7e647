//! What the processes sharing one store share about the hosts they crawl: request slots (the per-host
//! interval and Crawl-delay) and the robots.txt files fetched, so that N workers together are as polite as
//! one.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::Utc;
use newsdesk_fetch::SharedRobots;

use super::format_time;
use crate::store::{Lease, Store};

/// Request slots booked in the store, and the robots.txt files fetched, shared by every worker on it.
pub struct StoreHosts {
    store: Arc<dyn Store>,
    /// Who holds a turn to fetch a robots.txt: this sharer (one per process, as a process shares one fetcher).
    owner: String,
}

impl StoreHosts {
    pub fn new(store: Arc<dyn Store>) -> StoreHosts {
        static SHARERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SHARERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        StoreHosts {
            store,
            owner: format!("{}:{}/{n}", crate::desk::host_name(), std::process::id()),
        }
    }
}

/// The store's state key of an origin's shared robots.txt.
fn robots_state_key(origin: &str) -> String {
    format!("robots:{origin}")
}

/// The lease name of the turn to fetch an origin's robots.txt.
fn robots_turn(origin: &str) -> String {
    format!("robots.txt {origin}")
}

/// A shared robots.txt as the store's state keeps it: JSON, the file's bytes in base64.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredRobots {
    expires_ms: i64,
    body: Option<String>,
}

fn unix_ms_time(ms: i64) -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl newsdesk_fetch::SharedHosts for StoreHosts {
    fn book(&self, host: &str, interval: Duration, now_ms: i64) -> Result<i64, String> {
        self.store
            .reserve_host_slot(host, interval.as_millis() as i64, now_ms)
            .map_err(|e| e.to_string())
    }

    fn set_interval(&self, host: &str, interval: Duration) -> Result<(), String> {
        self.store
            .set_host_interval(host, interval.as_millis() as i64)
            .map_err(|e| e.to_string())
    }

    fn robots(&self, origin: &str, now_ms: i64) -> Result<Option<SharedRobots>, String> {
        let Some(text) = self
            .store
            .get_state(&robots_state_key(origin))
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let stored: StoredRobots =
            serde_json::from_str(&text).map_err(|e| format!("unreadable shared robots.txt of {origin}: {e}"))?;
        if stored.expires_ms <= now_ms {
            return Ok(None);
        }
        let body = stored
            .body
            .map(|b64| BASE64.decode(b64))
            .transpose()
            .map_err(|e| format!("unreadable shared robots.txt of {origin}: {e}"))?;
        Ok(Some(SharedRobots {
            body,
            expires_ms: stored.expires_ms,
        }))
    }

    fn claim_robots(&self, origin: &str, now_ms: i64, until_ms: i64) -> Result<bool, String> {
        let lease = Lease {
            owner: self.owner.clone(),
            until: unix_ms_time(until_ms),
        };
        self.store
            .claim_lease(&robots_turn(origin), &format_time(unix_ms_time(now_ms)), &lease)
            .map_err(|e| e.to_string())
    }

    fn finish_robots(&self, origin: &str, found: Option<&SharedRobots>) -> Result<(), String> {
        if let Some(found) = found {
            let stored = StoredRobots {
                expires_ms: found.expires_ms,
                body: found.body.as_ref().map(|b| BASE64.encode(b)),
            };
            let text = serde_json::to_string(&stored).map_err(|e| e.to_string())?;
            self.store
                .set_state(&robots_state_key(origin), &text)
                .map_err(|e| e.to_string())?;
        }
        self.store
            .release_lease(&robots_turn(origin), &self.owner)
            .map_err(|e| e.to_string())
    }
}
