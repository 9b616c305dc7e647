//! Character references: XML's five, every HTML named reference and numeric references (the
//! workspace's table and reading, `newsdesk_entities`), as a feed's text meets them, and decoding
//! of HTML text.

pub(crate) use newsdesk_entities::{named, numeric, Named};

/// What a reference starting at `s[0] == '&'` stands for.
pub(crate) enum Reference {
    /// A well-formed XML reference (`&amp;`, `&#38;`, …): the text and the bytes consumed.
    Xml(String, usize),
    /// An HTML named reference that XML does not define without a DTD.
    Html(Named, usize, String),
    /// A legacy HTML reference written without its `;` (`&copy 2024`).
    Legacy(Named, usize),
    /// Not a reference: a bare ampersand.
    Bare,
}

/// Reads the reference at the start of `s` (which begins with `&`).
pub(crate) fn read_reference(s: &str) -> Reference {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (hex, start) = match bytes.get(2) {
            Some(b'x') | Some(b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = bytes[start..]
            .iter()
            .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
            .count();
        if digits == 0 || digits > 8 {
            return Reference::Bare;
        }
        let text = &s[start..start + digits];
        let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let end = start + digits;
        let consumed = if bytes.get(end) == Some(&b';') { end + 1 } else { end };
        return Reference::Xml(numeric(code).to_string(), consumed);
    }
    let name_len = bytes[1..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return Reference::Bare;
    }
    let name = &s[1..1 + name_len];
    if bytes.get(1 + name_len) == Some(&b';') {
        let xml = match name {
            "amp" => Some("&"),
            "lt" => Some("<"),
            "gt" => Some(">"),
            "quot" => Some("\""),
            "apos" => Some("'"),
            _ => None,
        };
        if let Some(x) = xml {
            return Reference::Xml(x.to_string(), name_len + 2);
        }
        let with_semi = &s[1..name_len + 2];
        if let Some(text) = named(with_semi) {
            return Reference::Html(text, name_len + 2, with_semi.to_string());
        }
        return Reference::Bare;
    }
    // Legacy references without `;`: only the exact names browsers accept, never inside a longer word.
    if let Some(text) = named(name) {
        let next = bytes.get(1 + name_len);
        // `&copy=2` is a URL parameter, not a reference (HTML says so for attributes; links in text need it too).
        if next != Some(&b'=') {
            return Reference::Legacy(text, name_len + 1);
        }
    }
    Reference::Bare
}

/// Decodes every character reference in `s` the way a browser would (bare `&` stays).
pub(crate) fn decode_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let consumed = match read_reference(rest) {
            Reference::Xml(text, n) => {
                out.push_str(&text);
                n
            }
            Reference::Html(text, n, _) | Reference::Legacy(text, n) => {
                text.push_to(&mut out);
                n
            }
            Reference::Bare => {
                out.push('&');
                1
            }
        };
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    out
}

const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
];

/// HTML to plain text: tags removed (with `<script>`/`<style>` contents), references decoded,
/// whitespace collapsed. A `<` that does not start a tag stays text.
pub(crate) fn html_to_text(s: &str) -> String {
    let mut stripped = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('<') {
        stripped.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let next = rest[1..].chars().next();
        let is_tag = matches!(next, Some(c) if c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !is_tag {
            stripped.push('<');
            rest = &rest[1..];
            continue;
        }
        let Some(end) = rest.find('>') else {
            // An unterminated tag at the end of the text: drop it.
            rest = "";
            break;
        };
        let tag = rest[1..end].to_ascii_lowercase();
        rest = &rest[end + 1..];
        for skipped in ["script", "style"] {
            if tag.starts_with(skipped) && !tag.ends_with('/') {
                rest = match find_end_tag(rest, skipped) {
                    Some(at) => rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
                    None => "",
                };
            }
        }
        // Block-level tags separate words; inline ones (`<b>`, `<a>`, …) do not.
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !INLINE_TAGS.contains(&name.as_str()) {
            stripped.push(' ');
        }
    }
    stripped.push_str(rest);
    collapse_whitespace(&decode_html(&stripped))
}

/// Where `</name` starts in `s`, the name matched without regard to ASCII case. Lower-casing the rest of
/// the text instead would cost its length at every `<script>`.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s.get(from..)?.find("</") {
        let at = from + i;
        let name_at = at + 2;
        if bytes
            .get(name_at..name_at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(at);
        }
        from = name_at;
    }
    None
}

/// Runs of whitespace become one space; ends trimmed. No-break spaces (`&nbsp;`) are content and stay.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `s` holds markup or references worth decoding as HTML.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'<' => matches!(bytes.get(i + 1), Some(c) if c.is_ascii_alphabetic() || *c == b'/' || *c == b'!'),
        b'&' => !matches!(read_reference(&s[i..]), Reference::Bare),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_references_cover_html5() {
        assert_eq!(
            decode_html("&nbsp;&hellip;&rsquo;&NotNestedGreaterGreater;"),
            "\u{a0}…’\u{2AA2}\u{338}"
        );
        assert_eq!(decode_html("&nosuch; &hellip"), "&nosuch; &hellip");
    }

    #[test]
    fn numeric_references_read_c1_as_windows_1252() {
        assert_eq!(decode_html("&#8217;&#x2019;&#146;&#0;"), "’’’\u{FFFD}");
    }

    #[test]
    fn bare_ampersands_stay() {
        assert_eq!(decode_html("AT&T & Q&A &;"), "AT&T & Q&A &;");
    }

    #[test]
    fn legacy_references_without_semicolon() {
        assert_eq!(decode_html("&copy 2024 &amp"), "© 2024 &");
        assert!(matches!(read_reference("&copy=1"), Reference::Bare));
    }

    #[test]
    fn html_to_text_strips_tags_and_decodes() {
        assert_eq!(
            html_to_text("<b>Bold</b>&nbsp;news &amp; more<script>x()</script> a < b"),
            "Bold\u{a0}news & more a < b"
        );
    }

    #[test]
    fn script_end_tags_match_in_any_case() {
        assert_eq!(html_to_text("a<script>x</SCRIPT>b<STYLE>y</Style >c"), "a b c");
        assert_eq!(find_end_tag("é</scripé</scRipt", "script"), Some(11));
        assert_eq!(find_end_tag("</scr", "script"), None);
    }

    #[test]
    fn looks_like_html_needs_tags_or_references() {
        assert!(looks_like_html("a <b>c</b>"));
        assert!(looks_like_html("it&#8217;s"));
        assert!(!looks_like_html("Tom & Jerry < 3"));
    }
}
