//! Bytes → text: BOM, HTTP charset, `<meta charset>` prescan, then detection.

use encoding_rs::{Encoding, UTF_8};

/// Decoded page text, the encoding used, and a note when that is not the declared one.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Set when a declared charset was not used, and why.
    pub note: Option<String>,
}

/// Decode page bytes to a string. Order of trust: BOM, the HTTP `Content-Type` charset,
/// a `<meta charset>` / `<meta http-equiv>` in the first 4 KiB, then UTF-8 if the bytes are
/// valid UTF-8, else statistical detection (chardetng). Never fails: invalid sequences become U+FFFD.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    let d = decode_page(bytes, content_type);
    (d.text, d.encoding)
}

/// [`decode`], with a note when the declared charset was overridden: a non-UTF-8 label on
/// bytes that are UTF-8, or a label the bytes do not decode under (a page served as UTF-8 whose
/// bytes are Latin-1), in which case chardetng names the encoding.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: s.into_owned(),
            encoding: enc,
            note: None,
        };
    }
    let from_header = content_type.and_then(charset_from_content_type);
    let declared = from_header.or_else(|| prescan_meta(&bytes[..bytes.len().min(4096)]));
    let source = if from_header.is_some() {
        "the HTTP header"
    } else {
        "the page's <meta>"
    };
    let enc = match declared {
        // A page that claims UTF-16 without a BOM is almost always ASCII-compatible in fact.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None => {
            if std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                detect(bytes)
            }
        }
    };
    let mut note = None;
    // A declared non-UTF-8 charset on bytes that are (almost all) valid, non-ASCII UTF-8 is a lie
    // more often than not: a few stray bytes do not make a page Latin-1.
    let enc = if enc != UTF_8 && enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE && mostly_utf8(bytes) {
        if let Some(d) = declared {
            note = Some(format!("{} declared in {source}, but the bytes are UTF-8", d.name()));
        }
        UTF_8
    } else {
        enc
    };
    let (s, malformed) = enc.decode_without_bom_handling(bytes);
    if let (true, Some(d)) = (malformed, declared) {
        if let Some((text, found)) = redetect(bytes, enc) {
            return Decoded {
                text,
                encoding: found,
                note: Some(format!(
                    "{} declared in {source} does not decode the bytes; decoded as {}, detected",
                    d.name(),
                    found.name()
                )),
            };
        }
    }
    Decoded {
        text: s.into_owned(),
        encoding: enc,
        note,
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    det.feed(&bytes[..bytes.len().min(256 * 1024)], true);
    det.guess(None, true)
}

/// The page decoded in the encoding chardetng finds, when the declared `enc` left malformed
/// sequences and the detected one leaves none. Under a UTF-8 label the detector is asked only
/// when malformed sequences outnumber well-formed multi-byte ones: it never answers UTF-8 for
/// bytes that are not all valid, so a UTF-8 page with a few stray bytes would be misread whole.
fn redetect(bytes: &[u8], enc: &'static Encoding) -> Option<(String, &'static Encoding)> {
    if enc == UTF_8 {
        let (valid_multi, invalid) = utf8_counts(bytes, usize::MAX);
        if invalid <= valid_multi {
            return None;
        }
    }
    let found = detect(bytes);
    if found == enc {
        return None;
    }
    let (s, malformed) = found.decode_without_bom_handling(bytes);
    (!malformed).then(|| (s.into_owned(), found))
}

/// Many multi-byte UTF-8 sequences and (almost) no invalid ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (valid_multi, invalid) = utf8_counts(bytes, 64);
    invalid <= 64 && valid_multi >= 4 && invalid * 20 <= valid_multi
}

/// (well-formed multi-byte sequences, malformed sequences) in `bytes`; the count stops once the
/// malformed ones pass `max_invalid`.
fn utf8_counts(bytes: &[u8], max_invalid: usize) -> (usize, usize) {
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
                if invalid > max_invalid {
                    break;
                }
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                if skip >= rest.len() {
                    break;
                }
                rest = &rest[skip..];
            }
        }
    }
    (valid_multi, invalid)
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
    Encoding::for_label(&rest.as_bytes()[..end])
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

/// The byte a character stands for when UTF-8 was misread as Windows-1252 / Latin-1.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u <= 0xFF {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Repair double-encoded UTF-8 ("mojibake"): UTF-8 bytes that were read as Windows-1252 or
/// Latin-1 and encoded again, e.g. `Investorâ€™s` → `Investor’s`. Each candidate sequence — a
/// lead character U+00C2..U+00F4 followed by the right number of characters standing for
/// continuation bytes 0x80..0xBF — is replaced only when its bytes are valid UTF-8. Two-byte
/// sequences are accepted only for leads U+00C2..U+00C5 (Latin-1 and Latin Extended-A), where
/// a real letter followed by such a character is rare.
pub fn fix_mojibake(s: &str) -> std::borrow::Cow<'_, str> {
    let has_lead = s.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c));
    if !has_lead {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let need = match c as u32 {
            0xC2..=0xC5 => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => 0,
        };
        if need > 0 && i + need < chars.len() {
            let mut buf = [c as u8, 0, 0, 0];
            let mut ok = true;
            for k in 1..=need {
                match cp1252_byte(chars[i + k]) {
                    Some(b) if (0x80..=0xBF).contains(&b) => buf[k] = b,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                if let Ok(d) = std::str::from_utf8(&buf[..=need]) {
                    out.push_str(d);
                    changed = true;
                    i += need + 1;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(s)
    }
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
    fn a_utf8_label_on_latin1_bytes_is_overridden() {
        let d = decode_page(b"<p>caf\xe9 cr\xe8me</p>", Some("text/html; charset=utf-8"));
        assert_eq!(d.text, "<p>café crème</p>");
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
        assert!(d.note.is_some());
        // well-formed multi-byte sequences outnumber the stray byte: the label holds
        let mut bytes = "<p>café crème \u{2019}</p>".as_bytes().to_vec();
        bytes.push(0xe9);
        let d = decode_page(&bytes, Some("text/html; charset=utf-8"));
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with("<p>café crème \u{2019}</p>"), "{}", d.text);
        assert_eq!(d.note, None);
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
