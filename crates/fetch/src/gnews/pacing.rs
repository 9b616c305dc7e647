//! Pacing of the article-page requests by a rate learned from Google News's 429s, the way TCP
//! learns a window (AIMD): each 429 at least halves the allowed requests per minute, and each
//! run of answered requests raises it by a small step. Requests are spread out: two article-page
//! requests start at least `60 / rate` seconds apart. Until the first 429 there is no rate, and
//! only the fetcher's per-host interval spaces the requests.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The lowest rate learned or restored, in requests per minute: one request every two minutes
/// still resolves a desk's items over a day.
pub const MIN_RATE: f64 = 0.5;
/// The highest rate learned or restored, in requests per minute; above it pacing would not
/// space anything the per-host interval does not already.
pub const MAX_RATE: f64 = 600.0;
/// How far back the requests sent are counted to see the rate that met a 429.
const WINDOW: Duration = Duration::from_secs(60);
/// The shortest span the requests before a 429 are taken to cover: a burst sent within a few
/// milliseconds says little about the rate the server allows.
const MIN_SPAN: Duration = Duration::from_secs(1);
/// Answered requests in a row after which the rate is raised by `RAISE_STEP`.
const RAISE_AFTER: u32 = 10;
/// The additive increase, in requests per minute.
const RAISE_STEP: f64 = 1.0;

/// A rate in requests per minute, if it is usable: positive and finite, clamped to
/// [`MIN_RATE`, `MAX_RATE`].
pub fn clamp_rate(rate: f64) -> Option<f64> {
    (rate.is_finite() && rate > 0.0).then(|| rate.clamp(MIN_RATE, MAX_RATE))
}

#[derive(Debug, Default)]
struct State {
    /// Requests per minute; None until a 429 taught one.
    rate: Option<f64>,
    /// The earliest start of the next request.
    next: Option<Instant>,
    /// Starts of the requests of the last `WINDOW`, oldest first.
    recent: VecDeque<Instant>,
    /// Answered requests since the last 429 or raise.
    answered: u32,
}

/// The shared pacing state of one resolver.
#[derive(Debug, Default)]
pub struct Pacer {
    state: Mutex<State>,
}

impl Pacer {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is a plain store.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn rate(&self) -> Option<f64> {
        self.state().rate
    }

    /// Sets (or forgets, with None or an unusable value) the rate; the turn already given out
    /// stands.
    pub fn set_rate(&self, rate: Option<f64>) {
        let mut state = self.state();
        state.rate = rate.and_then(clamp_rate);
        state.answered = 0;
    }

    /// Takes the next turn at or after `now`: `Ok(start)` to send at `start`, or `Err(start)`
    /// without taking it when the turn comes after `deadline`. Call [`Pacer::started`] when the
    /// request actually goes out.
    pub fn reserve(&self, now: Instant, deadline: Instant) -> Result<Instant, Instant> {
        let mut state = self.state();
        let start = state.next.map_or(now, |next| next.max(now));
        if start > deadline {
            return Err(start);
        }
        state.next = state.rate.map(|rate| start + interval(rate));
        Ok(start)
    }

    /// A request going out at `at`: counted for the observed rate, and the next turn pushed back
    /// if this one started late (a late wake-up must not let the next request follow closely).
    pub fn started(&self, at: Instant) {
        let mut state = self.state();
        while state.recent.front().is_some_and(|t| *t + WINDOW < at) {
            state.recent.pop_front();
        }
        state.recent.push_back(at);
        if let Some(rate) = state.rate {
            let after = at + interval(rate);
            state.next = Some(state.next.map_or(after, |next| next.max(after)));
        }
    }

    /// An answered request: after a run of them, the rate goes up by a step.
    pub fn answered(&self) {
        let mut state = self.state();
        let Some(rate) = state.rate else { return };
        state.answered += 1;
        if state.answered >= RAISE_AFTER {
            state.answered = 0;
            state.rate = Some((rate + RAISE_STEP).min(MAX_RATE));
        }
    }

    /// A 429 at `now`, with the server's `Retry-After` if it gave one. The new rate is half the
    /// lower of the rate in force and the rate just observed (the requests of the last minute
    /// over the time they took), and no more than what `Retry-After` implies: the server took
    /// those requests and asks for a pause, so it allows at most that many over their span plus
    /// the pause. Returns the new rate.
    pub fn limited(&self, now: Instant, retry_after: Option<Duration>) -> f64 {
        let mut state = self.state();
        while state.recent.front().is_some_and(|t| *t + WINDOW < now) {
            state.recent.pop_front();
        }
        let sent = state.recent.len().max(1) as f64;
        let span = state
            .recent
            .front()
            .map_or(Duration::ZERO, |first| now.saturating_duration_since(*first));
        let observed = sent * 60.0 / span.max(MIN_SPAN).as_secs_f64();
        let mut rate = state.rate.unwrap_or(observed).min(observed) / 2.0;
        if let Some(pause) = retry_after {
            rate = rate.min(sent * 60.0 / (span + pause).max(MIN_SPAN).as_secs_f64());
        }
        let rate = rate.clamp(MIN_RATE, MAX_RATE);
        state.rate = Some(rate);
        state.answered = 0;
        let after = now + interval(rate);
        state.next = Some(state.next.map_or(after, |next| next.max(after)));
        rate
    }
}

/// The minimum gap between two request starts at `rate` requests per minute.
fn interval(rate: f64) -> Duration {
    Duration::try_from_secs_f64(60.0 / rate).unwrap_or(Duration::from_secs(120))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(86_400)
    }

    #[test]
    fn no_rate_no_spacing() {
        let p = Pacer::default();
        let now = Instant::now();
        assert_eq!(p.reserve(now, far()), Ok(now));
        assert_eq!(p.reserve(now, far()), Ok(now));
        assert_eq!(p.rate(), None);
    }

    #[test]
    fn a_429_halves_the_observed_rate_and_spaces_requests() {
        let p = Pacer::default();
        let t0 = Instant::now();
        // 30 requests over 29 s, the 31st refused at 30 s: 62 requests a minute met the limit.
        for i in 0..31 {
            let start = p.reserve(t0 + Duration::from_secs(i), far()).expect("turn");
            p.started(start);
        }
        let now = t0 + Duration::from_secs(30);
        let rate = p.limited(now, None);
        assert!((rate - 31.0).abs() < 0.01, "{rate}");
        let start = p.reserve(now, far()).expect("turn");
        assert!(
            start >= now + Duration::from_secs_f64(60.0 / 31.0 - 0.01),
            "spaced after the 429"
        );
        p.started(start);
        let next = p.reserve(now, far()).expect("turn");
        assert_eq!(next - start, interval(rate));
        p.started(next);
        // A second 429 halves the rate in force.
        let again = p.limited(next, None);
        assert!(again <= rate / 2.0 + 0.01, "{again}");
    }

    #[test]
    fn retry_after_bounds_the_rate() {
        let p = Pacer::default();
        let t0 = Instant::now();
        for i in 0..30 {
            p.started(t0 + Duration::from_millis(100 * i));
        }
        // 30 requests in 3 s, then "come back in an hour": about 30 an hour, the lowest rate.
        let rate = p.limited(t0 + Duration::from_secs(3), Some(Duration::from_secs(3600)));
        assert_eq!(rate, MIN_RATE);
        let p = Pacer::default();
        for i in 0..11 {
            p.started(t0 + Duration::from_millis(i));
        }
        // A burst of 11 within 10 ms and "retry after 1 s": at most 11 per second allowed.
        let rate = p.limited(t0 + Duration::from_millis(10), Some(Duration::from_secs(1)));
        assert!((300.0..=11.0 * 60.0 / 1.01).contains(&rate), "{rate}");
    }

    #[test]
    fn answered_runs_raise_the_rate_slowly() {
        let p = Pacer::default();
        p.answered();
        assert_eq!(p.rate(), None, "nothing to raise before a 429");
        p.set_rate(Some(10.0));
        for _ in 0..RAISE_AFTER * 3 {
            p.answered();
        }
        assert_eq!(p.rate(), Some(13.0));
        p.set_rate(Some(MAX_RATE));
        for _ in 0..RAISE_AFTER {
            p.answered();
        }
        assert_eq!(p.rate(), Some(MAX_RATE));
    }

    #[test]
    fn a_turn_past_the_deadline_is_not_taken() {
        let p = Pacer::default();
        p.set_rate(Some(6.0)); // one every 10 s
        let now = Instant::now();
        let deadline = now + Duration::from_secs(15);
        assert_eq!(p.reserve(now, deadline), Ok(now));
        let second = p.reserve(now, deadline).expect("within the deadline");
        assert_eq!(second, now + Duration::from_secs(10));
        assert_eq!(p.reserve(now, deadline), Err(now + Duration::from_secs(20)));
        assert_eq!(
            p.reserve(now, deadline),
            Err(now + Duration::from_secs(20)),
            "not taken"
        );
    }

    #[test]
    fn a_late_start_pushes_the_next_turn_back() {
        let p = Pacer::default();
        p.set_rate(Some(60.0)); // one a second
        let now = Instant::now();
        let first = p.reserve(now, far()).expect("turn");
        // The request went out 5 s late: the next one waits a full interval after it.
        p.started(first + Duration::from_secs(5));
        let second = p.reserve(now, far()).expect("turn");
        assert_eq!(second, first + Duration::from_secs(6));
    }

    #[test]
    fn unusable_rates_are_forgotten_and_others_clamped() {
        assert_eq!(clamp_rate(f64::NAN), None);
        assert_eq!(clamp_rate(-3.0), None);
        assert_eq!(clamp_rate(0.0), None);
        assert_eq!(clamp_rate(f64::INFINITY), None);
        assert_eq!(clamp_rate(0.01), Some(MIN_RATE));
        assert_eq!(clamp_rate(1e9), Some(MAX_RATE));
        assert_eq!(clamp_rate(42.5), Some(42.5));
    }
}
