//! Retry delays: exponential backoff with jitter, or the server's Retry-After.

use std::time::Duration;

/// Delay before retry number `retry` (1 for the first retry): `base * 2^(retry-1)`, capped at
/// `cap`, then scaled by a jitter factor in [0.5, 1.0) taken from `unit` (a number in [0, 1)),
/// so that many clients failing together do not retry together.
pub fn backoff_delay(retry: u32, base: Duration, cap: Duration, unit: f64) -> Duration {
    let exp = retry.saturating_sub(1).min(31);
    let full = base.saturating_mul(1u32 << exp).min(cap);
    let unit = if unit.is_finite() { unit.clamp(0.0, 1.0) } else { 0.0 };
    full.mul_f64(0.5 + unit / 2.0)
}

/// What to do after a transient failure: wait this long and retry, or give up (None) because
/// the server asked for a longer wait than `max_wait`.
pub fn retry_wait(
    retry: u32,
    retry_after: Option<Duration>,
    base: Duration,
    max_wait: Duration,
    unit: f64,
) -> Option<Duration> {
    match retry_after {
        Some(asked) if asked > max_wait => None,
        Some(asked) => Some(asked),
        None => Some(backoff_delay(retry, base, max_wait, unit)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn doubles_and_caps() {
        assert_eq!(backoff_delay(1, S(1), S(60), 1.0), S(1));
        assert_eq!(backoff_delay(2, S(1), S(60), 1.0), S(2));
        assert_eq!(backoff_delay(4, S(1), S(60), 1.0), S(8));
        assert_eq!(backoff_delay(10, S(1), S(60), 1.0), S(60));
        assert_eq!(backoff_delay(100, S(1), S(60), 1.0), S(60));
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        assert_eq!(backoff_delay(3, S(1), S(60), 0.0), S(2));
        let d = backoff_delay(3, S(1), S(60), 0.5);
        assert!(d > S(2) && d < S(4), "{d:?}");
        assert_eq!(backoff_delay(3, S(1), S(60), f64::NAN), S(2));
    }

    #[test]
    fn retry_after_wins_unless_too_long() {
        assert_eq!(retry_wait(1, Some(S(5)), S(1), S(60), 0.3), Some(S(5)));
        assert_eq!(retry_wait(1, Some(S(120)), S(1), S(60), 0.3), None);
        assert_eq!(retry_wait(1, None, S(1), S(60), 1.0), Some(S(1)));
    }
}
