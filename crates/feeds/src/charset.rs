//! Bytes to text: the encoding comes from a byte order mark, the HTTP charset, the XML declaration, or
//! detection, in that order of trust; a declaration the bytes contradict is overruled (and noted).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::repairs::Repairs;

/// Decodes `bytes` to UTF-8. `content_type` is the HTTP header; `tld` (e.g. `b"kr"`) helps detection.
pub(crate) fn decode(bytes: &[u8], content_type: Option<&str>, tld: Option<&[u8]>, repairs: &mut Repairs) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        repairs.info(format!("{} byte order mark removed", enc.name()));
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let http = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()));
    let declared = declared_encoding(bytes);
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let has_non_ascii = !bytes.is_ascii();

    for (source, enc) in [("HTTP charset", http), ("XML declaration", declared)] {
        let Some(enc) = enc else { continue };
        if enc == UTF_8 {
            if is_utf8 {
                return utf8(bytes);
            }
            repairs.fault(format!("{source} says UTF-8 but the bytes are not"));
            continue;
        }
        if (enc == UTF_16LE || enc == UTF_16BE) && !looks_utf16(bytes) {
            // A UTF-16 label on a document that is plainly ASCII-compatible (re-encoded by a proxy).
            repairs.fault(format!("{source} says {} but the bytes are not", enc.name()));
            continue;
        }
        if has_non_ascii && is_utf8 && is_single_byte_latin(enc) {
            // Valid multi-byte UTF-8 is almost never legitimate windows-1252 text.
            repairs.fault(format!("{source} says {} but the bytes are UTF-8", enc.name()));
            return utf8(bytes);
        }
        match enc.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => return text.into_owned(),
            None => repairs.fault(format!(
                "{source} says {} but the bytes do not decode as it",
                enc.name()
            )),
        }
    }
    if is_utf8 {
        return utf8(bytes);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(tld, true);
    repairs.fault(format!("no usable encoding declaration: detected {}", enc.name()));
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn is_single_byte_latin(enc: &'static Encoding) -> bool {
    enc.is_single_byte()
}

/// The `charset` parameter of a Content-Type header value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The `encoding` of an XML declaration (or an HTML `<meta charset>`) near the start of the document.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head: String = head
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { ' ' })
        .collect();
    let head = head.replace('\0', "");
    let lower = head.to_ascii_lowercase();
    let decl_start = lower.find("<?xml")?;
    let decl_end = lower[decl_start..].find("?>").map_or(lower.len(), |e| decl_start + e);
    let decl = &head[decl_start..decl_end];
    let at = decl.to_ascii_lowercase().find("encoding")?;
    let value = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = &value[1..value[1..].find(quote)? + 1];
    Encoding::for_label(label.trim().as_bytes())
}

fn looks_utf16(bytes: &[u8]) -> bool {
    utf16_without_bom(bytes).is_some()
}

/// UTF-16 without a byte order mark shows as `<` next to a zero byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<', 0, ..] => Some(UTF_16LE),
        [0, b'<', ..] => Some(UTF_16BE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8], ct: Option<&str>) -> (String, Vec<String>) {
        let mut r = Repairs::default();
        let s = decode(bytes, ct, None, &mut r);
        (s, r.into_notes())
    }

    #[test]
    fn bom_wins() {
        let (s, notes) = dec(b"\xEF\xBB\xBF<rss/>", Some("text/xml; charset=iso-8859-1"));
        assert_eq!(s, "<rss/>");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn http_charset_is_used() {
        let (s, notes) = dec(
            b"<rss>caf\xE9</rss>",
            Some("application/rss+xml; charset=\"ISO-8859-1\""),
        );
        assert_eq!(s, "<rss>café</rss>");
        assert!(notes.is_empty());
    }

    #[test]
    fn xml_declaration_is_used() {
        let bytes = b"<?xml version='1.0' encoding='windows-1252'?><rss>\x93q\x94</rss>";
        assert_eq!(
            dec(bytes, None).0,
            "<?xml version='1.0' encoding='windows-1252'?><rss>\u{201c}q\u{201d}</rss>"
        );
    }

    #[test]
    fn wrong_utf8_declaration_falls_back_to_detection() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>It\x92s caf\xE9 time</rss>";
        let (s, notes) = dec(bytes, None);
        assert!(s.contains("It\u{2019}s café"), "{s}");
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn undeclared_legacy_encoding_is_detected() {
        let (text, _, _) = encoding_rs::EUC_KR.encode("<rss><title>한국어 뉴스 제목입니다 오늘의 소식</title></rss>");
        let (s, _) = dec(&text, None);
        assert!(s.contains("한국어 뉴스"), "{s}");
    }
}
