//! Per-host politeness: one request at a time per host, and a minimum interval between the end
//! of one request and the start of the next (the larger of the configured interval and the
//! host's robots.txt Crawl-delay).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;
use url::Url;

/// The key politeness is counted by: host and port.
pub(crate) fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[derive(Default)]
struct HostSlot {
    /// When the last request to this host finished; the async lock makes requests take turns
    /// (tokio's mutex is fair, so waiters are served in arrival order).
    last_done: Arc<tokio::sync::Mutex<Option<Instant>>>,
    crawl_delay: Mutex<Option<Duration>>,
}

pub(crate) struct HostGates {
    min_interval: Duration,
    max_crawl_delay: Duration,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

/// The right to send one request to a host; the finish time is recorded when it is dropped.
pub(crate) struct HostTurn {
    guard: OwnedMutexGuard<Option<Instant>>,
}

impl Drop for HostTurn {
    fn drop(&mut self) {
        *self.guard = Some(Instant::now());
    }
}

impl HostGates {
    pub fn new(min_interval: Duration, max_crawl_delay: Duration) -> HostGates {
        HostGates {
            min_interval,
            max_crawl_delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn slot(&self, key: &str) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.entry(key.to_owned()).or_default().clone()
    }

    /// Waits for this host's turn and its interval since the previous request.
    pub async fn acquire(&self, key: &str) -> HostTurn {
        let slot = self.slot(key);
        let guard = slot.last_done.clone().lock_owned().await;
        if let Some(last) = *guard {
            let ready = last + self.interval_of(&slot);
            // No timer when the interval has already passed (a timer costs a tick even then).
            if ready > Instant::now() {
                tokio::time::sleep_until(ready).await;
            }
        }
        HostTurn { guard }
    }

    /// Records a host's robots.txt Crawl-delay (clamped to the configured maximum).
    pub fn set_crawl_delay(&self, key: &str, delay: Option<Duration>) {
        let slot = self.slot(key);
        let mut d = slot.crawl_delay.lock().unwrap_or_else(|p| p.into_inner());
        *d = delay.map(|d| d.min(self.max_crawl_delay));
    }

    /// The interval currently kept between two requests to this host.
    pub fn interval(&self, key: &str) -> Duration {
        self.interval_of(&self.slot(key))
    }

    fn interval_of(&self, slot: &HostSlot) -> Duration {
        let delay = *slot.crawl_delay.lock().unwrap_or_else(|p| p.into_inner());
        delay.map_or(self.min_interval, |d| d.max(self.min_interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_includes_default_port() {
        let u = Url::parse("https://Example.COM/a").expect("url");
        assert_eq!(host_key(&u), "example.com:443");
        let u = Url::parse("http://127.0.0.1:8080/").expect("url");
        assert_eq!(host_key(&u), "127.0.0.1:8080");
    }

    #[test]
    fn crawl_delay_raises_interval_up_to_cap() {
        let g = HostGates::new(Duration::from_secs(1), Duration::from_secs(30));
        assert_eq!(g.interval("a:80"), Duration::from_secs(1));
        g.set_crawl_delay("a:80", Some(Duration::from_secs(5)));
        assert_eq!(g.interval("a:80"), Duration::from_secs(5));
        g.set_crawl_delay("a:80", Some(Duration::from_secs(500)));
        assert_eq!(g.interval("a:80"), Duration::from_secs(30));
        g.set_crawl_delay("a:80", Some(Duration::from_millis(100)));
        assert_eq!(g.interval("a:80"), Duration::from_secs(1));
        assert_eq!(g.interval("b:80"), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn second_request_waits_for_the_interval() {
        let g = HostGates::new(Duration::from_secs(2), Duration::from_secs(30));
        let start = Instant::now();
        drop(g.acquire("a:80").await);
        let first_done = Instant::now();
        drop(g.acquire("a:80").await);
        // Paused clock: sleeps advance virtual time exactly, so this is not a timing test.
        assert_eq!(Instant::now() - first_done, Duration::from_secs(2));
        drop(g.acquire("b:80").await);
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }
}
