//! Dates found in metadata or visible text → ISO 8601 (`YYYY-MM-DD` or full RFC 3339 with offset).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // a few other languages
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Spanish / Portuguese / Italian abbreviations ("04-ago-2021", "3 dic 2024")
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("set", 9),
    ("dic", 12),
];

/// The number at byte range `r` of `s`; None when the range is out of bounds, cuts a multi-byte
/// character (outside text puts any character where a digit is expected) or is not a number.
fn field<T: std::str::FromStr>(s: &str, r: std::ops::Range<usize>) -> Option<T> {
    s.get(r)?.parse().ok()
}

fn valid(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Normalise a machine-readable date (ISO 8601, RFC 2822, epoch, common variants) to ISO 8601.
/// A parsed date as RFC 3339, when its year has four digits: chrono's `%Y` also reads signed and longer years
/// ("-09-11-02T14:00:00-05:00" is the year -9), which are not ISO 8601 dates a page means.
fn four_digit_year(d: DateTime<chrono::FixedOffset>) -> Option<String> {
    (0..=9999).contains(&chrono::Datelike::year(&d)).then(|| d.to_rfc3339())
}

pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return four_digit_year(d);
    }
    // 2025-09-04T10:00:00+0000, 2025-09-04T10:00:00.000+0000
    for f in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return four_digit_year(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return four_digit_year(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            if valid(d.date().format("%Y").to_string().parse().ok()?, 1, 1).is_some() {
                return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
            }
        }
    }
    // A leading YYYY-MM-DD / YYYY/MM/DD / YYYYMMDD
    // (the fields are read with `field`: a byte offset may fall inside a multi-byte character)
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && (b[4] == b'-' || b[4] == b'/' || b[4] == b'.') {
        let y: i32 = field(s, 0..4)?;
        let m: u32 = field(s, 5..7)?;
        let d: u32 = field(s, 8..10)?;
        if let Some(nd) = valid(y, m, d) {
            return Some(nd.format("%Y-%m-%d").to_string());
        }
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let y: i32 = field(s, 0..4)?;
        if let Some(nd) = valid(y, field(s, 4..6)?, field(s, 6..8)?) {
            return Some(nd.format("%Y-%m-%d").to_string());
        }
    }
    // epoch seconds / milliseconds
    if (b.len() == 10 || b.len() == 13) && b.iter().all(u8::is_ascii_digit) {
        let mut n: i64 = s.parse().ok()?;
        if b.len() == 13 {
            n /= 1000;
        }
        let d = DateTime::from_timestamp(n, 0)?;
        return Some(d.to_rfc3339());
    }
    from_text(s)
}

/// Find a date in free text ("Published September 4, 2025", "4 Sept. 2025", "09/04/2025", "2025-09-04").
pub fn from_text(s: &str) -> Option<String> {
    // every form read here has at least four digits (a year, or d/m/yy): most texts stop here
    if s.bytes().filter(u8::is_ascii_digit).count() < 4 {
        return None;
    }
    let lower = s.to_lowercase();
    let toks: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '·' || c == '•')
        .filter(|t| !t.is_empty())
        .take(60)
        .collect();
    let month_of = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches('.');
        MONTHS.iter().find(|(n, _)| *n == t).map(|(_, m)| *m)
    };
    let day_of = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches(['.', ',']);
        let t = t
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th");
        let d: u32 = t.parse().ok()?;
        (1..=31).contains(&d).then_some(d)
    };
    let year_of = |t: &str| -> Option<i32> {
        let t = t.trim_end_matches(['.', ',']);
        if t.len() != 4 {
            return None;
        }
        t.parse().ok().filter(|y| (1990..=2100).contains(y))
    };
    for i in 0..toks.len() {
        // ISO-ish token
        let t = toks[i];
        if t.len() >= 10
            && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && matches!(t.as_bytes()[4], b'-' | b'/' | b'.')
            && t.as_bytes()[7] == t.as_bytes()[4]
        {
            if let (Some(y), Some(m), Some(d)) = (field::<i32>(t, 0..4), field::<u32>(t, 5..7), field::<u32>(t, 8..10))
            {
                if let Some(nd) = valid(y, m, d) {
                    return Some(nd.format("%Y-%m-%d").to_string());
                }
            }
        }
        // MM/DD/YYYY or DD.MM.YYYY
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let (a, b2, c) = (
                parts[0].parse::<u32>().ok(),
                parts[1].parse::<u32>().ok(),
                parts[2].parse::<i32>().ok(),
            );
            if let (Some(a), Some(b2), Some(mut y)) = (a, b2, c) {
                if parts[2].len() == 2 {
                    y += 2000;
                }
                if parts[2].len() == 4 || parts[2].len() == 2 {
                    // 04.09.2025 is day first; 09/04/2025 and 09-04-2025 month first unless the first part is over 12
                    let sep_dot = t.contains('.');
                    let nd = if sep_dot || a > 12 {
                        valid(y, b2, a)
                    } else {
                        valid(y, a, b2)
                    };
                    if let Some(nd) = nd {
                        return Some(nd.format("%Y-%m-%d").to_string());
                    }
                }
            }
        }
        // D-Mon-YYYY ("04-Aug-2021", "04-ago-2021")
        if parts.len() == 3 {
            if let (Some(d), Some(m), Some(y)) = (day_of(parts[0]), month_of(parts[1]), year_of(parts[2])) {
                if let Some(nd) = valid(y, m, d) {
                    return Some(nd.format("%Y-%m-%d").to_string());
                }
            }
        }
        if let Some(m) = month_of(t) {
            // Month D YYYY
            if i + 2 < toks.len() {
                if let (Some(d), Some(y)) = (day_of(toks[i + 1]), year_of(toks[i + 2])) {
                    if let Some(nd) = valid(y, m, d) {
                        return Some(nd.format("%Y-%m-%d").to_string());
                    }
                }
            }
            // D Month YYYY
            if i >= 1 && i + 1 < toks.len() {
                let dtok = toks[i - 1].trim_end_matches("de").trim();
                if let (Some(d), Some(y)) = (day_of(dtok), year_of(toks[i + 1])) {
                    if let Some(nd) = valid(y, m, d) {
                        return Some(nd.format("%Y-%m-%d").to_string());
                    }
                }
            }
        }
    }
    None
}

/// A date in a URL path: /2025/09/04/, /2025/september/04/, or a segment starting with 2025-09-04.
pub fn from_url(u: &str) -> Option<String> {
    let path = u.split(['?', '#']).next()?;
    // skip the scheme and host
    let path = match path.find("://") {
        Some(i) => path[i + 3..].split_once('/').map(|(_, p)| p).unwrap_or(""),
        None => path,
    };
    let segs: Vec<&str> = path.split('/').collect();
    let month_of = |t: &str| -> Option<u32> {
        if t.len() <= 2 {
            return t.parse().ok();
        }
        let t = t.to_ascii_lowercase();
        MONTHS.iter().find(|(n, _)| *n == t).map(|(_, m)| *m)
    };
    for w in segs.windows(3) {
        if w[0].len() == 4 && w[2].len() <= 2 && !w[1].is_empty() && !w[2].is_empty() {
            if let (Ok(y), Some(m), Ok(d)) = (w[0].parse::<i32>(), month_of(w[1]), w[2].parse::<u32>()) {
                if let Some(nd) = valid(y, m, d) {
                    return Some(nd.format("%Y-%m-%d").to_string());
                }
            }
        }
    }
    for s in &segs {
        let b = s.as_bytes();
        if b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && (b.len() == 10 || !b[10].is_ascii_digit())
        {
            if let (Some(y), Some(m), Some(d)) = (field::<i32>(s, 0..4), field::<u32>(s, 5..7), field::<u32>(s, 8..10))
            {
                if let Some(nd) = valid(y, m, d) {
                    return Some(nd.format("%Y-%m-%d").to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the extract_date fuzz target: chrono read "-09" as the year -9.
    #[test]
    fn signed_years_are_not_dates() {
        assert_eq!(normalize("-09-11- 2T14:00:00-05:00"), None);
        assert_eq!(normalize("+12025-09-11T14:00:00-05:00"), None);
        assert_eq!(
            normalize("2025-09-11T14:00:00-05:00").as_deref(),
            Some("2025-09-11T14:00:00-05:00")
        );
    }
    #[test]
    fn formats() {
        assert_eq!(
            normalize("2025-09-04T10:00:00+00:00").unwrap(),
            "2025-09-04T10:00:00+00:00"
        );
        assert_eq!(
            normalize("2025-09-04T10:00:00+0200").unwrap(),
            "2025-09-04T10:00:00+02:00"
        );
        assert_eq!(normalize("2025-09-04").unwrap(), "2025-09-04");
        assert_eq!(normalize("Thu, 04 Sep 2025 10:00:00 GMT").unwrap()[..10], *"2025-09-04");
        assert_eq!(from_text("Published September 4, 2025 at 3pm").unwrap(), "2025-09-04");
        assert_eq!(from_text("Updated 4 Sept. 2025").unwrap(), "2025-09-04");
        assert_eq!(from_text("Posted on 12/19/2025").unwrap(), "2025-12-19");
        assert_eq!(from_text("02.12.2025").unwrap(), "2025-12-02");
        assert_eq!(from_text("02/12/2025").unwrap(), "2025-02-12");
        assert_eq!(from_text("Dec 3rd, 2024").unwrap(), "2024-12-03");
        assert_eq!(from_text("By: Jane Doe on 04-ago-2021 5:11:10").unwrap(), "2021-08-04");
        assert_eq!(from_text("Posted 17-Aug-2021").unwrap(), "2021-08-17");
        assert_eq!(from_text("Essay - Published: 2025.12.17 | Tags").unwrap(), "2025-12-17");
        assert_eq!(from_url("https://x.com/2025/09/04/slug/").unwrap(), "2025-09-04");
        assert_eq!(
            from_url("https://x.com/blog/2023/october/03/slug").unwrap(),
            "2023-10-03"
        );
        assert_eq!(
            from_url("https://x.com/articles/2025-12-15+Some+title").unwrap(),
            "2025-12-15"
        );
        assert!(from_url("https://x.com/2025-12_notes").is_none());
        assert!(from_text("nothing here").is_none());
    }

    #[test]
    fn wide_characters_where_digits_go() {
        // each cut once fell inside the character: month field, day field after a URL segment's
        // date, a time field
        assert_eq!(normalize("2024-徠-8"), None);
        assert_eq!(normalize("2024-0é-08"), None);
        assert_eq!(from_url("https://x.com/2024-09-0徠-slug"), None);
        assert_eq!(
            from_url("https://x.com/2024-09-08徠-slug").as_deref(),
            Some("2024-09-08")
        );
        assert_eq!(from_text("on 2024-0徠-08"), None);
        assert_eq!(from_text("on 2024-09-0徠"), None);
    }
}
