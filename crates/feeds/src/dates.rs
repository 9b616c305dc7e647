//! Dates as feeds write them: RFC 822/2822 with its real-world variants, RFC 3339 / ISO 8601, and the
//! common mixtures. A date without a time zone is taken as UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Parses a feed date; `None` when nothing date-like is there.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        if let Some(d) = parse_iso(s) {
            return Some(d);
        }
    }
    parse_loose(s)
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][zone]`, also compact `YYYYMMDD[THHMMSS]`.
fn parse_iso(s: &str) -> Option<DateTime<FixedOffset>> {
    let (date_part, rest) = split_at_time(s);
    let digits: String = date_part.chars().filter(char::is_ascii_digit).collect();
    let date = match digits.len() {
        8 => NaiveDate::from_ymd_opt(
            num(&digits[..4])?,
            num(&digits[4..6])? as u32,
            num(&digits[6..8])? as u32,
        )?,
        6 => NaiveDate::from_ymd_opt(num(&digits[..4])?, num(&digits[4..6])? as u32, 1)?,
        4 => NaiveDate::from_ymd_opt(num(&digits[..4])?, 1, 1)?,
        _ => return None,
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return utc(date.and_time(NaiveTime::MIN));
    }
    // Split the time from its zone: the zone starts at Z, +, - or a letter.
    let zone_at = rest.find(|c: char| c == 'Z' || c == 'z' || c == '+' || c == '-' || c.is_ascii_alphabetic());
    let (time_s, zone_s) = match zone_at {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let time = parse_time(time_s.trim())?;
    let offset = if zone_s.is_empty() { 0 } else { zone_offset(zone_s)? };
    at_offset(date.and_time(time), offset)
}

fn split_at_time(s: &str) -> (&str, &str) {
    match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// `HH:MM[:SS[.fff]]` or compact `HHMMSS`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    if !s.is_ascii() {
        return None;
    }
    let (main, _fraction) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let parts: Vec<&str> = if main.contains(':') {
        main.split(':').collect()
    } else if main.len() == 6 || main.len() == 4 {
        vec![&main[..2], &main[2..4], main.get(4..6).unwrap_or("0")]
    } else {
        return None;
    };
    let h = num(parts.first()?)? as u32;
    let m = parts.get(1).map_or(Some(0), |p| num(p))? as u32;
    let sec = parts.get(2).map_or(Some(0), |p| num(p))? as u32;
    // A leap second (…:60) is read as …:59.
    NaiveTime::from_hms_opt(h, m, sec.min(59))
}

/// Offset in seconds east of UTC for `Z`, `+0100`, `-05:00`, `+01`, `GMT`, `EST`, `GMT+2`, …
fn zone_offset(z: &str) -> Option<i32> {
    let z = z.trim().trim_matches(|c| c == '(' || c == ')');
    if let Some(sign_at) = z.find(['+', '-']) {
        let name = &z[..sign_at];
        if !name.is_empty() && named_zone(name).is_none() {
            return None;
        }
        let sign = if z.as_bytes()[sign_at] == b'-' { -1 } else { 1 };
        let digits: String = z[sign_at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let digits = digits.replace(':', "");
        let (h, m) = match digits.len() {
            1 | 2 => (num(&digits)?, 0),
            3 => (num(&digits[..1])?, num(&digits[1..])?),
            4 => (num(&digits[..2])?, num(&digits[2..])?),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        return Some(sign * (h * 3600 + m * 60));
    }
    named_zone(z).map(|h| (h * 3600.0) as i32)
}

/// Hours east of UTC for zone abbreviations seen in feeds.
fn named_zone(name: &str) -> Option<f64> {
    Some(match name.to_ascii_uppercase().as_str() {
        "Z" | "GMT" | "UT" | "UTC" | "WET" | "GMT0" => 0.0,
        "EST" => -5.0,
        "EDT" => -4.0,
        "CST" => -6.0,
        "CDT" => -5.0,
        "MST" => -7.0,
        "MDT" => -6.0,
        "PST" => -8.0,
        "PDT" => -7.0,
        "AST" => -4.0,
        "ADT" => -3.0,
        "AKST" => -9.0,
        "AKDT" => -8.0,
        "HST" => -10.0,
        "BST" | "CET" | "MET" | "WEST" => 1.0,
        "CEST" | "MEST" | "EET" | "SAST" => 2.0,
        "EEST" | "MSK" => 3.0,
        "IST" => 5.5,
        "SGT" | "HKT" | "AWST" => 8.0,
        "JST" | "KST" => 9.0,
        "ACST" => 9.5,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        _ => return None,
    })
}

fn month(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if w.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| w.starts_with(n))
        .map(|i| i as u32 + 1)
        .filter(|_| w != "mart")
}

/// RFC 822 and its relatives, token by token: weekday (ignored), day, month name, year, time, AM/PM, zone.
fn parse_loose(s: &str) -> Option<DateTime<FixedOffset>> {
    let cleaned: String = s.chars().map(|c| if c == ',' { ' ' } else { c }).collect();
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // "10-Jun-2003" and "2003/06/10" style dates.
    let mut split_tokens = Vec::new();
    for t in tokens.drain(..) {
        if !t.contains(':')
            && (t.matches('-').count() == 2 || t.matches('/').count() == 2)
            && !t.starts_with(['+', '-'])
        {
            split_tokens.extend(t.split(['-', '/']));
        } else {
            split_tokens.push(t);
        }
    }
    let mut month_n = None;
    let mut numbers: Vec<&str> = Vec::new();
    let mut time = None;
    let mut pm = None;
    let mut offset = None;
    for t in split_tokens {
        let lower = t.to_ascii_lowercase();
        let trimmed = lower.trim_end_matches('.');
        if t.contains(':') && time.is_none() && t.starts_with(|c: char| c.is_ascii_digit()) {
            // "04:00:00+0200" carries its zone.
            let zone_at = t.find(['+', '-', 'Z']);
            let (ts, zs) = zone_at.map_or((t, ""), |i| (&t[..i], &t[i..]));
            time = Some(parse_time(ts)?);
            if !zs.is_empty() {
                offset = zone_offset(zs);
            }
        } else if trimmed == "am" || trimmed == "pm" {
            pm = Some(trimmed == "pm");
        } else if t.chars().all(|c| c.is_ascii_digit()) {
            numbers.push(t);
        } else if let Some(m) = month(trimmed).filter(|_| month_n.is_none()) {
            month_n = Some(m);
        } else if let Some(o) = zone_offset(t).filter(|_| offset.is_none()) {
            offset = Some(o);
        }
        // Anything else (weekday names, "at", "(UTC)") is ignored.
    }
    let (day, year, month_v) = match (month_n, numbers.as_slice()) {
        (Some(m), [a, b, ..]) => {
            if a.len() == 4 {
                (num(b)?, num(a)?, m)
            } else {
                (num(a)?, num(b)?, m)
            }
        }
        (None, [a, b, c, ..]) => {
            // Numeric dates: 2003/06/10 or 10/06/2003 (day first outside the US is ambiguous; feeds that
            // write numbers mostly follow ISO order).
            if a.len() == 4 {
                (num(c)?, num(a)?, num(b)? as u32)
            } else {
                (num(a)?, num(c)?, num(b)? as u32)
            }
        }
        _ => return None,
    };
    let year = match year {
        y if (0..50).contains(&y) => 2000 + y,
        y if y < 100 => 1900 + y,
        y => y,
    };
    let date = NaiveDate::from_ymd_opt(year, month_v, day as u32)?;
    let mut t = time.unwrap_or(NaiveTime::MIN);
    if let Some(is_pm) = pm {
        use chrono::Timelike;
        let h = t.hour() % 12 + if is_pm { 12 } else { 0 };
        t = t.with_hour(h)?;
    }
    at_offset(date.and_time(t), offset.unwrap_or(0))
}

fn num(s: &str) -> Option<i32> {
    s.parse().ok()
}

fn utc(dt: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    at_offset(dt, 0)
}

fn at_offset(dt: NaiveDateTime, seconds: i32) -> Option<DateTime<FixedOffset>> {
    FixedOffset::east_opt(seconds)?.from_local_datetime(&dt).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_date(s).map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc822_variants() {
        assert_eq!(d("Wed, 07 Jan 2026 10:32:00 GMT"), "2026-01-07T10:32:00+00:00");
        assert_eq!(d("Wed, 7 Jan 2026 10:32 +0100"), "2026-01-07T10:32:00+01:00");
        assert_eq!(
            d("Wednesday, 07 January 2026 10:32:00 EST"),
            "2026-01-07T10:32:00-05:00"
        );
        assert_eq!(d("07 Jan 26 10:32:00 PDT"), "2026-01-07T10:32:00-07:00");
        assert_eq!(
            d("Thu, 07 Jan 2026 10:32:00 GMT"),
            "2026-01-07T10:32:00+00:00",
            "a wrong weekday is ignored"
        );
        assert_eq!(d("Wed, 07 Jan 2026 10:32:00"), "2026-01-07T10:32:00+00:00");
        assert_eq!(d("Jan 7, 2026 3:05 PM"), "2026-01-07T15:05:00+00:00");
        assert_eq!(d("Wed, 07 Jan 2026 10:32:00 +05:30"), "2026-01-07T10:32:00+05:30");
        assert_eq!(d("Wed, 07 Jan 2026 10:32:00 GMT+2"), "2026-01-07T10:32:00+02:00");
        assert_eq!(d("07-Jan-2026"), "2026-01-07T00:00:00+00:00");
    }

    #[test]
    fn iso8601_variants() {
        assert_eq!(d("2026-01-07T10:32:00Z"), "2026-01-07T10:32:00+00:00");
        assert_eq!(d("2026-01-07T10:32:00.123-05:00"), "2026-01-07T10:32:00-05:00");
        assert_eq!(d("2026-01-07 10:32:00"), "2026-01-07T10:32:00+00:00");
        assert_eq!(d("2026-01-07"), "2026-01-07T00:00:00+00:00");
        assert_eq!(d("20260107T103200Z"), "2026-01-07T10:32:00+00:00");
        assert_eq!(d("2026-01-07T10:32+0100"), "2026-01-07T10:32:00+01:00");
    }

    #[test]
    fn odd_strings_never_panic() {
        // Every sequence of up to four of these pieces, multi-byte characters among them.
        let pieces = [
            "2026-01-07",
            " ",
            "1",
            "€",
            ":",
            "+",
            "T",
            "Z",
            "Jan",
            ",",
            "12:30",
            "-05",
            "ü",
        ];
        let n = pieces.len();
        for len in 1..=4u32 {
            for code in 0..n.pow(len) {
                let mut s = String::new();
                let mut c = code;
                for _ in 0..len {
                    s.push_str(pieces[c % n]);
                    c /= n;
                }
                let _ = parse_date(&s);
            }
        }
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(d("yesterday"), "none");
        assert_eq!(d("Wed, 31 Feb 2026 10:00:00 GMT"), "none");
        assert_eq!(d(""), "none");
    }
}
