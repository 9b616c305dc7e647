//! Slugs and short stable hashes for file names and URLs.

use sha2::{Digest, Sha256};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest slug used in a file name, in bytes; keeps paths well under file-system limits (255 bytes).
pub const MAX_SLUG_LEN: usize = 80;

/// Used when a title has no letter or digit that survives slugging (only emoji, only punctuation, …).
pub const EMPTY_SLUG: &str = "post";

/// The seed style's slug: the lower-cased title with each run of characters other than `a-z` and `0-9`
/// replaced by one `-`, trimmed of `-`. Non-ASCII letters are not transliterated (the seed does not), so the
/// result may be empty; it contains only `[a-z0-9-]`.
pub fn seed_slug(title: &str) -> String {
    dash_runs(title.to_lowercase().chars())
}

/// A slug safe for any title: accents transliterated (`é` → `e`, `ß` → `ss`), other non-ASCII dropped, only
/// `[a-z0-9-]` kept, at most [`MAX_SLUG_LEN`] bytes, cut at a word boundary where possible, never empty.
/// It can contain neither `/`, `.` nor a leading `-`, so it can never name a path outside its directory.
pub fn safe_slug(title: &str) -> String {
    let mut ascii = String::with_capacity(title.len());
    for c in title.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match transliterate(c) {
            Some(s) => ascii.push_str(s),
            None => ascii.push(c),
        }
    }
    let slug = dash_runs(ascii.to_ascii_lowercase().chars());
    let slug = cap(&slug, MAX_SLUG_LEN);
    if slug.is_empty() {
        EMPTY_SLUG.to_string()
    } else {
        slug
    }
}

/// A short stable hash of an item key (the first 12 hex digits of its SHA-256): two items with the same date
/// and slug still get different file names.
pub fn key_hash(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    hex::encode(&digest[..6])
}

fn dash_runs(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in chars {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Cut an ASCII slug to at most `max` bytes, preferring the last `-` boundary in the second half.
fn cap(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let head = &slug[..max];
    let cut = match head.rfind('-') {
        Some(p) if p >= max / 2 => &head[..p],
        _ => head,
    };
    cut.trim_end_matches('-').to_string()
}

/// Letters that do not decompose into an ASCII base letter plus marks.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ø' => "o",
        'Ø' => "O",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'ł' => "l",
        'Ł' => "L",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_slug_matches_the_seed_rule() {
        assert_eq!(
            seed_slug(
                "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris - ABC News"
            ),
            "european-nations-commit-to-troops-in-ukraine-as-part-of-milestone-peace-talks-in-paris-abc-news"
        );
        assert_eq!(seed_slug("  --Hello, World!--  "), "hello-world");
        assert_eq!(seed_slug("Überraschung"), "berraschung");
    }

    #[test]
    fn safe_slug_transliterates_and_never_escapes() {
        assert_eq!(
            safe_slug("Überraschung in Köln: Straße"),
            "uberraschung-in-koln-strasse"
        );
        assert_eq!(safe_slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_slug(".hidden"), "hidden");
        assert_eq!(safe_slug("🎉🎉"), EMPTY_SLUG);
        assert_eq!(safe_slug("مرحبا بالعالم"), EMPTY_SLUG);
        assert_eq!(safe_slug(""), EMPTY_SLUG);
    }

    #[test]
    fn safe_slug_is_capped_at_a_word_boundary() {
        let long = "word ".repeat(40);
        let slug = safe_slug(&long);
        assert!(slug.len() <= MAX_SLUG_LEN, "{slug}");
        assert!(slug.ends_with("word"), "{slug}");
        let one_word = "a".repeat(200);
        assert_eq!(safe_slug(&one_word).len(), MAX_SLUG_LEN);
    }

    #[test]
    fn key_hash_is_stable_and_short() {
        assert_eq!(key_hash("abc"), "ba7816bf8f01");
        assert_ne!(key_hash("a"), key_hash("b"));
    }
}
