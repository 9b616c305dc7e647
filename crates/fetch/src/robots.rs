//! robots.txt rules per origin (RFC 9309), parsed by `texting_robots` for the user-agent token
//! `newsdesk` (falling back to the `*` group), and the cache that keeps them for a TTL.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use texting_robots::Robot;
use tokio::time::Instant;

/// The product token matched against `User-agent:` lines.
pub const ROBOTS_AGENT: &str = "newsdesk";

/// RFC 9309 §2.5: crawlers must parse at least 500 KiB; the rest may be ignored.
pub(crate) const ROBOTS_MAX_BYTES: u64 = 500 * 1024;

/// How soon an unreachable robots.txt is asked for again.
pub(crate) const UNREACHABLE_RETRY: Duration = Duration::from_secs(300);

/// The rules for one origin.
#[derive(Debug)]
pub struct RobotsRules {
    /// None: everything allowed (no robots.txt, 4xx, or an unparseable file).
    robot: Option<Robot>,
}

impl RobotsRules {
    pub fn allow_all() -> RobotsRules {
        RobotsRules { robot: None }
    }

    /// Rules from a robots.txt body. The parser is forgiving; a file it still cannot read
    /// allows everything, as a missing file would.
    pub fn parse(body: &[u8]) -> RobotsRules {
        match Robot::new(ROBOTS_AGENT, body) {
            Ok(robot) => RobotsRules { robot: Some(robot) },
            Err(e) => {
                tracing::warn!(error = %e, "unparseable robots.txt, treated as allowing everything");
                RobotsRules::allow_all()
            }
        }
    }

    /// Whether `url` (absolute, or a path) may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        match &self.robot {
            Some(robot) => robot.allowed(url),
            None => true,
        }
    }

    /// The `Crawl-delay` of the matching group, when it is a sensible number.
    pub fn crawl_delay(&self) -> Option<Duration> {
        let secs = f64::from(self.robot.as_ref()?.delay?);
        // Parsed as f32: round to milliseconds so that `0.2` means 200 ms, not 200.000003 ms.
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        Duration::try_from_secs_f64((secs * 1000.0).round() / 1000.0).ok()
    }
}

/// A cached robots.txt: the rules, or why they could not be read.
pub(crate) struct RobotsEntry {
    pub rules: Result<Arc<RobotsRules>, String>,
    pub expires: Instant,
}

/// One async slot per origin, so that concurrent requests to a new host fetch robots.txt once.
#[derive(Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<RobotsEntry>>>>>,
}

impl RobotsCache {
    pub fn slot(&self, origin: &str) -> Arc<tokio::sync::Mutex<Option<RobotsEntry>>> {
        let mut map = self.origins.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(origin.to_owned()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsdesk_group_wins_over_star() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: newsdesk\nDisallow: /private/\nCrawl-delay: 2\n";
        let r = RobotsRules::parse(txt);
        assert!(r.allowed("https://example.com/news/1"));
        assert!(!r.allowed("https://example.com/private/x"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        let r = RobotsRules::parse(b"User-agent: *\nCrawl-delay: 0.2\n");
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(200)));
    }

    #[test]
    fn star_group_applies_otherwise() {
        let r = RobotsRules::parse(
            b"User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /search\nAllow: /search/about\n",
        );
        assert!(r.allowed("/news"));
        assert!(!r.allowed("/search?q=x"));
        assert!(r.allowed("/search/about"));
        assert_eq!(r.crawl_delay(), None);
    }

    #[test]
    fn empty_or_garbage_allows() {
        assert!(RobotsRules::parse(b"").allowed("/x"));
        assert!(RobotsRules::parse(b"\xff\xfe<html>not robots</html>").allowed("/x"));
        assert!(RobotsRules::allow_all().allowed("/anything"));
    }
}
