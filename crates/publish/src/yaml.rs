//! YAML scalar quoting for front matter.
//!
//! Front matter is written by hand rather than through a serializer because the seed style must match a
//! reference file byte for byte (its fields mix double and single quotes). Every string goes through one of the
//! two functions below, so no title can change the structure of the document.

/// A YAML double-quoted scalar that reads back as exactly `s`, whatever `s` contains.
///
/// Everything outside YAML's printable set is escaped, as are line breaks (so the scalar stays on one line and
/// no line folding applies), `"` and `\`. The characters YAML 1.1 readers treat as line breaks (U+0085, U+2028,
/// U+2029) and the byte-order mark are escaped as well, since some readers (Hugo's among them) would otherwise
/// fold or drop them.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if needs_escape(c) => push_code_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML single-quoted scalar for values that are known to be plain printable text (URLs, hosts, tags).
///
/// Single quotes are doubled as YAML requires. A value containing anything a single-quoted scalar cannot carry
/// (control characters, line breaks) falls back to [`double_quoted`], so the output is always valid.
pub fn single_quoted(s: &str) -> String {
    if s.chars()
        .any(|c| c == '\n' || c == '\t' || c == '\r' || needs_escape(c))
    {
        return double_quoted(s);
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// Characters outside YAML 1.2's printable set, plus the ones YAML 1.1 treats as line breaks and the BOM.
fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20
        || (0x7F..=0x9F).contains(&code)
        || code == 0x2028
        || code == 0x2029
        || code == 0xFEFF
        || code == 0xFFFE
        || code == 0xFFFF
}

fn push_code_escape(out: &mut String, c: char) {
    let code = c as u32;
    if code <= 0xFF {
        out.push_str(&format!("\\x{code:02X}"));
    } else if code <= 0xFFFF {
        out.push_str(&format!("\\u{code:04X}"));
    } else {
        out.push_str(&format!("\\U{code:08X}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_only_wrapped() {
        assert_eq!(double_quoted("Hello 'world'"), "\"Hello 'world'\"");
        assert_eq!(
            single_quoted("https://a.example/?q=1&b=2"),
            "'https://a.example/?q=1&b=2'"
        );
    }

    #[test]
    fn quotes_backslashes_and_breaks_are_escaped() {
        assert_eq!(double_quoted("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        assert_eq!(double_quoted("\u{1}\u{7F}\u{2028}"), r#""\x01\x7F\u2028""#);
    }

    #[test]
    fn single_quotes_are_doubled_and_controls_fall_back() {
        assert_eq!(single_quoted("it's"), "'it''s'");
        assert_eq!(single_quoted("a\nb"), "\"a\\nb\"");
    }
}
