//! Checks shared by the fuzz targets.

/// `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fraction]]` and an offset (`Z`, `+HH:MM`, `+HHMM`).
pub fn check_iso_date(d: &str, what: &str) {
    assert!(is_iso_date(d), "{what} gave {d:?}, which is not an ISO 8601 date");
}

/// A plain `YYYY-MM-DD` day of 1990–2100 that exists in the calendar.
pub fn check_plain_day(d: &str, what: &str) {
    let b = d.as_bytes();
    assert!(b.len() == 10 && is_iso_date(d), "{what} gave {d:?}, not a YYYY-MM-DD day");
    let y: i32 = d[0..4].parse().unwrap();
    assert!((1990..=2100).contains(&y), "{what} gave {d:?}, a year outside 1990-2100");
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

pub fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() < 10 || !digits(&b[0..4]) || b[4] != b'-' || !digits(&b[5..7]) || b[7] != b'-' || !digits(&b[8..10]) {
        return false;
    }
    let (m, day): (u32, u32) = (d[5..7].parse().unwrap(), d[8..10].parse().unwrap());
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return false;
    }
    let rest = &b[10..];
    if rest.is_empty() {
        return true;
    }
    // THH:MM
    if rest.len() < 6 || rest[0] != b'T' || !digits(&rest[1..3]) || rest[3] != b':' || !digits(&rest[4..6]) {
        return false;
    }
    let mut rest = &rest[6..];
    if rest.len() >= 3 && rest[0] == b':' && digits(&rest[1..3]) {
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            rest = &rest[1 + n..];
        }
    }
    match rest {
        [] | [b'Z'] => true,
        [s, h1, h2, b':', m1, m2] | [s, h1, h2, m1, m2] => {
            matches!(s, b'+' | b'-') && digits(&[*h1, *h2, *m1, *m2])
        }
        _ => false,
    }
}

/// Total bytes of a list of optional strings.
pub fn len_of<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> usize {
    parts.into_iter().flatten().map(str::len).sum()
}

/// Whether to step over inputs that hit a crash already reported and not yet fixed
/// (`NEWSDESK_FUZZ_SKIP_KNOWN=1`, set by `.ci/fuzz --skip-known`), so that a long run can look past it.
pub fn skip_known() -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os("NEWSDESK_FUZZ_SKIP_KNOWN").is_some_and(|v| v == "1"))
}
