//! Plain text out of the small HTML fragments feeds put in descriptions.
//!
//! Feed descriptions are short fragments, so a linear scan is enough; full documents go through the extractor.

/// Remove tags, keep everything else as is (entities stay undecoded, no whitespace added).
///
/// This is what the seed style's `description` does: `<a>Headline</a>&nbsp;&nbsp;<font>Outlet</font>` becomes
/// `Headline&nbsp;&nbsp;Outlet`. Comments are removed too. A `<` that does not open a tag is kept.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    scan(html, |piece| match piece {
        Piece::Text(t) => out.push_str(t),
        Piece::Tag(_) => {}
    });
    out
}

/// Readable text: tags removed, block boundaries turned into spaces, entities decoded, whitespace collapsed.
///
/// `<li>One</li><li>Two</li>` gives `One Two` rather than the glued `OneTwo` of [`strip_tags`].
pub fn clean_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    scan(html, |piece| match piece {
        Piece::Text(t) => raw.push_str(t),
        Piece::Tag(name) => {
            if is_block(name) {
                raw.push(' ');
            }
        }
    });
    collapse_whitespace(&newsdesk_entities::decode_html(&raw))
}

/// Collapse every run of whitespace (including no-break spaces) into one space and trim the ends.
pub fn collapse_whitespace(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{A0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

enum Piece<'a> {
    Text(&'a str),
    /// Lower-cased tag name without `/`; empty for comments and declarations.
    Tag(&'a str),
}

fn scan<'a>(html: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if let Some((end, name)) = tag_at(html, i) {
                if text_start < i {
                    emit(Piece::Text(&html[text_start..i]));
                }
                emit(Piece::Tag(name));
                i = end;
                text_start = end;
                continue;
            }
        }
        i += 1;
    }
    if text_start < html.len() {
        emit(Piece::Text(&html[text_start..]));
    }
}

/// If a tag, comment or declaration starts at `start` (a `<`), its end offset and its name.
fn tag_at(html: &str, start: usize) -> Option<(usize, &str)> {
    let rest = &html[start..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let end = body.find("-->").map(|p| start + 4 + p + 3).unwrap_or(html.len());
        return Some((end, ""));
    }
    let after = rest.as_bytes().get(1).copied()?;
    if !(after.is_ascii_alphabetic() || after == b'/' || after == b'!' || after == b'?') {
        return None;
    }
    // Find the closing `>`, skipping quoted attribute values that may contain one.
    let mut quote: Option<u8> = None;
    let mut end = None;
    for (offset, &b) in rest.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                end = Some(start + offset + 1);
                break;
            }
            None => {}
        }
    }
    let end = end?;
    let inner = rest[1..].trim_start_matches('/');
    let name_len = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    Some((end, &inner[..name_len]))
}

fn is_block(name: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ];
    BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_tags_keeps_entities_and_glues_text() {
        let html = r##"<ol><li><a href="x?a=1&amp;b=2" target="_blank">A 'b'</a>&nbsp;&nbsp;<font color="#6f6f6f">Out</font></li><li>C</li></ol>"##;
        assert_eq!(strip_tags(html), "A 'b'&nbsp;&nbsp;OutC");
    }

    #[test]
    fn quoted_gt_inside_attribute_does_not_end_the_tag() {
        assert_eq!(strip_tags(r#"<a title="a>b">x</a>"#), "x");
    }

    #[test]
    fn lone_less_than_is_text() {
        assert_eq!(strip_tags("1 < 2 and <3"), "1 < 2 and <3");
        assert_eq!(strip_tags("unclosed <b"), "unclosed <b");
    }

    #[test]
    fn comments_are_removed() {
        assert_eq!(strip_tags("a<!-- <b>x</b> -->c"), "ac");
    }

    #[test]
    fn clean_text_separates_blocks_and_decodes() {
        let html = "<ol><li><a>Tom &amp; Jerry&#8217;s</a>&nbsp;&nbsp;<font>Out</font></li><li>Next</li></ol>";
        assert_eq!(clean_text(html), "Tom & Jerry\u{2019}s Out Next");
    }
}
