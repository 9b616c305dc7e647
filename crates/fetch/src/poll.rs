//! When to poll a feed next: the feed's own hints, clamped to the configured floor and ceiling.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::FetchSettings;

/// Next poll time for a feed fetched at `now`. `max_age` is the response's Cache-Control
/// max-age ([`crate::Response::max_age`]), `feed_ttl` the feed's own TTL (RSS `<ttl>`, in
/// minutes there). The larger hint wins (both are requests to come back no sooner); without
/// hints `feed_poll_default_secs` is used. The result is never sooner than
/// `feed_poll_floor_secs` nor later than `feed_poll_ceiling_secs` (the floor wins if they cross).
pub fn next_poll_time(
    now: DateTime<Utc>,
    max_age: Option<Duration>,
    feed_ttl: Option<Duration>,
    settings: &FetchSettings,
) -> DateTime<Utc> {
    let secs = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let hint = match (max_age, feed_ttl) {
        (None, None) => secs(settings.feed_poll_default_secs),
        (a, b) => a.max(b).map(|d| d.as_secs_f64()).unwrap_or(0.0),
    };
    let floor = secs(settings.feed_poll_floor_secs);
    let ceiling = secs(settings.feed_poll_ceiling_secs);
    let interval = hint.min(ceiling).max(floor);
    let interval = chrono::Duration::milliseconds((interval * 1000.0).min(i64::MAX as f64 / 2.0) as i64);
    now.checked_add_signed(interval).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn settings() -> FetchSettings {
        FetchSettings {
            feed_poll_default_secs: 1800.0,
            feed_poll_floor_secs: 300.0,
            feed_poll_ceiling_secs: 86_400.0,
            ..FetchSettings::default()
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("date")
    }

    fn after(secs: i64) -> DateTime<Utc> {
        now() + chrono::Duration::seconds(secs)
    }

    #[test]
    fn default_without_hints() {
        assert_eq!(next_poll_time(now(), None, None, &settings()), after(1800));
    }

    #[test]
    fn larger_hint_wins() {
        let s = settings();
        let t = next_poll_time(
            now(),
            Some(Duration::from_secs(600)),
            Some(Duration::from_secs(3600)),
            &s,
        );
        assert_eq!(t, after(3600));
        let t = next_poll_time(now(), Some(Duration::from_secs(900)), None, &s);
        assert_eq!(t, after(900));
    }

    #[test]
    fn never_below_floor_nor_above_ceiling() {
        let s = settings();
        assert_eq!(
            next_poll_time(now(), Some(Duration::from_secs(10)), None, &s),
            after(300)
        );
        assert_eq!(next_poll_time(now(), Some(Duration::ZERO), None, &s), after(300));
        let week = Duration::from_secs(7 * 86_400);
        assert_eq!(next_poll_time(now(), None, Some(week), &s), after(86_400));
        let crossed = FetchSettings {
            feed_poll_ceiling_secs: 60.0,
            ..settings()
        };
        assert_eq!(next_poll_time(now(), None, None, &crossed), after(300));
    }
}
