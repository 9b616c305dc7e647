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
    /// None: everything allowed (no robots.txt, or a 4xx).
    robot: Option<Robot>,
    /// What could not be read in the file and was left out (one line each).
    notes: Vec<String>,
}

impl RobotsRules {
    pub fn allow_all() -> RobotsRules {
        RobotsRules {
            robot: None,
            notes: Vec::new(),
        }
    }

    /// Rules from a robots.txt body. A file `texting_robots` refuses as a whole (one rule can
    /// exceed its regex size limit) is read again line by line: a line it refuses on its own is
    /// left out and named in [`RobotsRules::notes`], the rest applies. Refusing the whole file
    /// would void every other rule in it, a `Disallow: /` included.
    pub fn parse(body: &[u8]) -> RobotsRules {
        let first_error = match Robot::new(ROBOTS_AGENT, body) {
            Ok(robot) => {
                return RobotsRules {
                    robot: Some(robot),
                    notes: Vec::new(),
                }
            }
            Err(e) => e,
        };
        let mut kept = Vec::with_capacity(body.len());
        let mut notes = Vec::new();
        for (n, line) in lines(body).enumerate() {
            if let Err(e) = Robot::new(ROBOTS_AGENT, line) {
                notes.push(format!(
                    "line {}: left out ({e:#}): {}",
                    n + 1,
                    String::from_utf8_lossy(line).trim()
                ));
                continue;
            }
            kept.extend_from_slice(line);
            kept.push(b'\n');
        }
        match Robot::new(ROBOTS_AGENT, &kept) {
            Ok(robot) => RobotsRules {
                robot: Some(robot),
                notes,
            },
            Err(e) => {
                // Nothing of the file can be trusted: disallowing everything is the reading that
                // cannot break a rule the site wrote.
                notes.push(format!(
                    "unreadable robots.txt ({first_error:#}; then {e:#}): everything disallowed"
                ));
                let robot = Robot::new(ROBOTS_AGENT, b"User-agent: *\nDisallow: /\n").ok();
                RobotsRules { robot, notes }
            }
        }
    }

    /// The lines of the file that were left out, and why; empty when all of it was read.
    pub fn notes(&self) -> &[String] {
        &self.notes
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

/// The lines of a robots.txt as `texting_robots` reads them: ended by LF, CR LF, a lone CR or
/// NUL.
fn lines(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .iter()
            .position(|&b| matches!(b, b'\n' | b'\r' | 0))
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let sep = match rest.get(end..end + 2) {
            Some(b"\r\n") => 2,
            _ => usize::from(end < rest.len()),
        };
        rest = &rest[end + sep..];
        Some(line)
    })
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

    /// One rule `texting_robots` refuses: 40 wildcards and an anchor exceed its regex size limit.
    fn refused_rule() -> String {
        format!("Disallow: /{}$", "a*".repeat(40))
    }

    #[test]
    fn a_refused_rule_does_not_void_the_others() {
        assert!(
            Robot::new(ROBOTS_AGENT, refused_rule().as_bytes()).is_err(),
            "the rule must be refused"
        );
        let txt = format!("User-agent: *\n{}\nDisallow: /\n", refused_rule());
        let r = RobotsRules::parse(txt.as_bytes());
        assert!(!r.allowed("https://example.com/news/1"));
        assert!(!r.allowed("/"));
        assert_eq!(r.notes().len(), 1, "{:?}", r.notes());
        assert!(r.notes()[0].starts_with("line 2: left out"), "{:?}", r.notes());

        // the groups and the other rules stay as written, whatever the line endings
        for eol in ["\n", "\r\n", "\r"] {
            let txt = [
                "User-agent: otherbot",
                "Allow: /",
                "",
                "User-agent: *",
                "Allow: /public",
                &refused_rule(),
                "Disallow: /",
                "Crawl-delay: 3",
            ]
            .join(eol);
            let r = RobotsRules::parse(txt.as_bytes());
            assert!(r.allowed("/public/a"), "{eol:?}");
            assert!(!r.allowed("/private"), "{eol:?}");
            assert_eq!(r.crawl_delay(), Some(Duration::from_secs(3)), "{eol:?}");
            assert_eq!(r.notes().len(), 1, "{eol:?}: {:?}", r.notes());
            assert!(r.notes()[0].starts_with("line 6:"), "{eol:?}: {:?}", r.notes());
        }
    }

    #[test]
    fn a_file_read_whole_has_no_notes() {
        assert!(RobotsRules::parse(b"User-agent: *\nDisallow: /*.pdf$\n")
            .notes()
            .is_empty());
    }

    #[test]
    fn empty_or_garbage_allows() {
        assert!(RobotsRules::parse(b"").allowed("/x"));
        assert!(RobotsRules::parse(b"\xff\xfe<html>not robots</html>").allowed("/x"));
        assert!(RobotsRules::allow_all().allowed("/anything"));
    }
}
