//! HTML character references (`&amp;`, `&eacute;`, `&#8217;`, `&copy 2024`): the WHATWG table as
//! html5ever's `markup5ever` ships it, and one decoder for the workspace. Feeds, pages and the
//! Google News reply all read references the way browsers do, from this one place.

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// The text of a named reference: one or two characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named(char, Option<char>);

impl Named {
    /// Appends the text to `out`.
    pub fn push_to(self, out: &mut String) {
        out.push(self.0);
        if let Some(c) = self.1 {
            out.push(c);
        }
    }
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        match self.1 {
            Some(c) => write!(f, "{c}"),
            None => Ok(()),
        }
    }
}

/// Looks up a named reference. `name` excludes the `&` and includes the `;` when there is one; the
/// legacy names that browsers accept without `;` (`copy`, `amp`, `eacute`) are found without it.
pub fn named(name: &str) -> Option<Named> {
    // The table also holds every prefix of every name, as (0, 0), for a tokenizer's longest match:
    // those are no references.
    let &(a, b) = NAMED_ENTITIES.get(name)?;
    let first = char::from_u32(a).filter(|_| a != 0)?;
    Some(Named(first, char::from_u32(b).filter(|_| b != 0)))
}

/// The character of a numeric reference, as browsers read it: the C1 codes `&#128;`–`&#159;` are
/// the windows-1252 characters authors meant, NUL, surrogates and values past U+10FFFF are U+FFFD.
pub fn numeric(code: u32) -> char {
    let c = match code {
        0x80..=0x9f => C1_REPLACEMENTS[(code - 0x80) as usize].or_else(|| char::from_u32(code)),
        _ => char::from_u32(code),
    };
    match c {
        Some('\0') | None => '\u{fffd}',
        Some(c) => c,
    }
}

/// Decodes every character reference of `s` into `out`, as the HTML5 tokenizer does: a named
/// reference without `;` is the longest legacy name it starts with (`&copy2024` is "©2024"), except
/// in an attribute value (`in_attr`) when a letter, digit or `=` follows it (`?a=1&copy=2` stays).
/// A bare `&` stays.
pub fn decode_html_into(s: &str, in_attr: bool, out: &mut String) {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'&', &b[i..]) {
        let amp = i + p;
        out.push_str(&s[i..amp]);
        i = amp + 1;
        if i < b.len() && b[i] == b'#' {
            let mut j = i + 1;
            let hex = j < b.len() && (b[j] == b'x' || b[j] == b'X');
            if hex {
                j += 1;
            }
            let digits_start = j;
            let mut v: u32 = 0;
            while j < b.len()
                && (if hex {
                    b[j].is_ascii_hexdigit()
                } else {
                    b[j].is_ascii_digit()
                })
            {
                let d = (b[j] as char).to_digit(16).unwrap_or(0);
                v = v.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d);
                j += 1;
            }
            if j == digits_start {
                out.push('&');
                continue;
            }
            if j < b.len() && b[j] == b';' {
                j += 1;
            }
            out.push(numeric(v));
            i = j;
            continue;
        }
        let mut e = i;
        while e < b.len() && e - i < 32 && b[e].is_ascii_alphanumeric() {
            e += 1;
        }
        if e == i {
            out.push('&');
            continue;
        }
        if e < b.len() && b[e] == b';' {
            if let Some(n) = named(&s[i..e + 1]) {
                n.push_to(out);
                i = e + 1;
                continue;
            }
        }
        // A legacy reference without ';': the longest known name the letters start with.
        let legacy = (2..=e - i).rev().find_map(|k| named(&s[i..i + k]).map(|n| (k, n)));
        match legacy {
            Some((k, n)) => {
                let next = b.get(i + k).copied().unwrap_or(b' ');
                if in_attr && (next.is_ascii_alphanumeric() || next == b'=') {
                    out.push('&');
                } else {
                    n.push_to(out);
                    i += k;
                }
            }
            None => out.push('&'),
        }
    }
    out.push_str(&s[i..]);
}

/// [`decode_html_into`] for text (not an attribute value), as a new string.
pub fn decode_html(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    decode_html_into(s, false, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_references_of_one_and_two_characters() {
        assert_eq!(named("nbsp;").map(|n| n.to_string()).as_deref(), Some("\u{a0}"));
        assert_eq!(named("hellip;").map(|n| n.to_string()).as_deref(), Some("…"));
        assert_eq!(
            named("NotNestedGreaterGreater;").map(|n| n.to_string()).as_deref(),
            Some("\u{2AA2}\u{338}")
        );
        assert_eq!(named("copy").map(|n| n.to_string()).as_deref(), Some("©"));
        assert_eq!(named("nosuch;"), None);
        // A prefix of a name is in markup5ever's table for the tokenizer, but is no reference.
        assert_eq!(named("eacut"), None);
        assert_eq!(named("hellip"), None);
    }

    #[test]
    fn numeric_references_read_c1_as_windows_1252() {
        assert_eq!(numeric(0x93), '\u{201C}');
        assert_eq!(numeric(0x80), '€');
        assert_eq!(numeric(0x81), '\u{81}');
        assert_eq!(numeric(0), '\u{fffd}');
        assert_eq!(numeric(0xD800), '\u{fffd}');
        assert_eq!(numeric(u32::MAX), '\u{fffd}');
    }

    #[test]
    fn text_and_attribute_decoding() {
        assert_eq!(
            decode_html("Tom &amp; Jerry&#8217;s &eacute;t&eacute; &#x41;"),
            "Tom & Jerry’s été A"
        );
        assert_eq!(
            decode_html("&copy2024 &notit; & &; &#; &#xZ"),
            "©2024 ¬it; & &; &#; &#xZ"
        );
        // The letters of a name cut short are no reference, and never a NUL.
        assert_eq!(decode_html("&eacu x &hellip"), "&eacu x &hellip");
        let mut attr = String::new();
        decode_html_into("x?a=1&copy=2&amp;b=3&notin &not", true, &mut attr);
        assert_eq!(attr, "x?a=1&copy=2&b=3&notin ¬");
    }
}
