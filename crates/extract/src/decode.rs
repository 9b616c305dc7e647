//! Bytes → text: BOM, HTTP charset, `<meta charset>` prescan, then detection.

use encoding_rs::{Encoding, UTF_8};

/// Decode page bytes to a string. Order of trust: BOM, the HTTP `Content-Type` charset,
/// a `<meta charset>` / `<meta http-equiv>` in the first 4 KiB, then UTF-8 if the bytes are
/// valid UTF-8, else statistical detection (chardetng). Never fails: invalid sequences become U+FFFD.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (s.into_owned(), enc);
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| prescan_meta(&bytes[..bytes.len().min(4096)]));
    let enc = match declared {
        // A page that claims UTF-16 without a BOM is almost always ASCII-compatible in fact.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None => {
            if std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                let mut det = chardetng::EncodingDetector::new();
                det.feed(&bytes[..bytes.len().min(256 * 1024)], true);
                det.guess(None, true)
            }
        }
    };
    // A declared non-UTF-8 charset on bytes that are (almost all) valid, non-ASCII UTF-8 is a lie
    // more often than not: a few stray bytes do not make a page Latin-1.
    let enc = if enc != UTF_8 && enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE && mostly_utf8(bytes) {
        UTF_8
    } else {
        enc
    };
    let (s, _) = enc.decode_without_bom_handling(bytes);
    (s.into_owned(), enc)
}

/// Many multi-byte UTF-8 sequences and (almost) no invalid ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multi = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (good, _) = rest.split_at(e.valid_up_to());
                valid_multi += good.iter().filter(|b| **b >= 0xC0).count();
                invalid += 1;
                if invalid > 64 {
                    return false;
                }
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                if skip >= rest.len() {
                    break;
                }
                rest = &rest[skip..];
            }
        }
    }
    valid_multi >= 4 && invalid * 20 <= valid_multi
}

fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    let lower = ct.to_ascii_lowercase();
    let i = lower.find("charset")?;
    let rest = lower[i + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(rest[..end].as_bytes())
}

/// A simplified version of the HTML prescan: look for `charset=` inside `<meta` tags.
fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i + 5 < head.len() {
        let Some(p) = memchr(b'<', &head[i..]) else { break };
        i += p + 1;
        if head.len() < i + 4 || !head[i..i + 4].eq_ignore_ascii_case(b"meta") {
            continue;
        }
        let end = memchr(b'>', &head[i..]).map(|e| i + e).unwrap_or(head.len());
        let tag = &head[i..end];
        if let Some(enc) = find_charset_in(tag) {
            return Some(enc);
        }
        i = end;
    }
    None
}

fn find_charset_in(tag: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = tag.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = lower.windows(7).position(|w| w == b"charset")?;
    let mut j = pos + 7;
    while j < lower.len() && lower[j].is_ascii_whitespace() {
        j += 1;
    }
    if j >= lower.len() || lower[j] != b'=' {
        return None;
    }
    j += 1;
    while j < lower.len() && (lower[j].is_ascii_whitespace() || lower[j] == b'"' || lower[j] == b'\'') {
        j += 1;
    }
    let start = j;
    while j < lower.len() && !matches!(lower[j], b'"' | b'\'' | b';' | b' ' | b'/' | b'>') {
        j += 1;
    }
    Encoding::for_label(&lower[start..j])
}

fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&x| x == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_charset_wins_over_meta() {
        let bytes = b"<meta charset=utf-8><p>caf\xe9</p>";
        let (s, _) = decode(bytes, Some("text/html; charset=ISO-8859-1"));
        assert!(s.contains("café"));
    }

    #[test]
    fn meta_charset() {
        let (s, e) = decode(b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>", None);
        assert_eq!(e.name(), "windows-1251");
        assert!(s.contains("Привет"));
    }

    #[test]
    fn bom() {
        let mut b = vec![0xFF, 0xFE];
        for c in "<p>hé</p>".encode_utf16() {
            b.extend_from_slice(&c.to_le_bytes());
        }
        assert!(decode(&b, None).0.contains("hé"));
    }
}
