//! Markdown escaping for text that comes from feeds and pages.

/// Escape `text` so Markdown renders it literally, on one line (for titles, outlets, link texts).
///
/// Line breaks and other control characters become spaces. Every ASCII punctuation character that Markdown or
/// Hugo gives a meaning to is backslash-escaped, which CommonMark allows for any ASCII punctuation; escaping `{`
/// also keeps Hugo from seeing a shortcode.
pub fn escape_inline(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    escape_line(flat.trim())
}

/// Escape plain text made of paragraphs separated by blank lines; lines inside a paragraph are kept.
pub fn escape_paragraphs(text: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line: String = line.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(escape_line(line));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs.join("\n\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut only_digits_so_far = true;
    for c in line.chars() {
        let special = matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '&'
                | '='
        );
        // `1. text` at the start of a line would become an ordered list.
        let list_dot = c == '.' && only_digits_so_far && !out.is_empty();
        if special || list_dot {
            out.push('\\');
        }
        only_digits_so_far = only_digits_so_far && c.is_ascii_digit();
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_specials_are_escaped() {
        assert_eq!(
            escape_inline("[a](b) *c* #d {{< e >}}"),
            r"\[a\]\(b\) \*c\* \#d \{\{\< e \>\}\}"
        );
        assert_eq!(escape_inline("line\nbreak\ttab"), "line break tab");
        assert_eq!(escape_inline("Tom & Jerry's 3.5%"), r"Tom \& Jerry's 3.5%");
    }

    #[test]
    fn ordered_list_markers_are_escaped() {
        assert_eq!(escape_inline("2026. A year"), r"2026\. A year");
        assert_eq!(escape_inline("- dash"), r"\- dash");
    }

    #[test]
    fn paragraphs_keep_blank_line_structure() {
        assert_eq!(
            escape_paragraphs("  One\nline two\n\n\n# Three  \n"),
            "One\nline two\n\n\\# Three"
        );
    }
}
