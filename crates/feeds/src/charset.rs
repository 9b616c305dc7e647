//! Bytes to text: the encoding comes from a byte order mark, the HTTP charset, the XML declaration, or
//! detection, in that order of trust; a declaration the bytes contradict is overruled (and noted).
//!
//! Labels are read as the WHATWG encoding standard reads them (as browsers do): `ISO-8859-1`, `latin1`
//! and `US-ASCII` mean windows-1252, whose 0x80–0x9F are the smart quotes, dashes and € that documents
//! so labelled use.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::repairs::Repairs;

/// Decodes `bytes` to UTF-8. `content_type` is the HTTP header; `tld` (e.g. `b"kr"`) helps detection.
pub(crate) fn decode(bytes: &[u8], content_type: Option<&str>, tld: Option<&[u8]>, repairs: &mut Repairs) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        repairs.info(format!("{} byte order mark removed", enc.name()));
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let http = content_type
        .and_then(charset_param)
        .and_then(|l| encoding_for_label(&l, "HTTP charset", repairs));
    let declared = declared_label(bytes).and_then(|l| encoding_for_label(&l, "XML declaration", repairs));
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let has_non_ascii = !bytes.is_ascii();
    // The first source that said UTF-8 of bytes that are not: a later one may name the real encoding.
    let mut said_utf8: Option<&str> = None;

    for (source, enc) in [("HTTP charset", http), ("XML declaration", declared)] {
        let Some(enc) = enc else { continue };
        if enc == UTF_8 {
            if is_utf8 {
                return utf8(bytes);
            }
            said_utf8.get_or_insert(source);
            continue;
        }
        if (enc == UTF_16LE || enc == UTF_16BE) && !looks_utf16(bytes) {
            // A UTF-16 label on a document that is plainly ASCII-compatible (re-encoded by a proxy).
            repairs.fault(format!("{source} says {} but the bytes are not", enc.name()));
            continue;
        }
        if has_non_ascii && enc.is_single_byte() && (is_utf8 || mostly_utf8(bytes)) {
            // Valid multi-byte UTF-8 is almost never legitimate single-byte text, and a few stray bytes
            // do not make a UTF-8 document Latin-1.
            repairs.fault(format!("{source} says {} but the bytes are UTF-8", enc.name()));
            return utf8_with_strays(bytes, repairs);
        }
        match enc.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => {
                if let Some(utf8_source) = said_utf8 {
                    repairs.fault(format!(
                        "{utf8_source} says UTF-8 but the bytes are not: decoded as {}, as the {source} says",
                        enc.name()
                    ));
                }
                return text.into_owned();
            }
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
    // Declared UTF-8 that is mostly UTF-8 stays UTF-8: chardetng never answers UTF-8 for bytes that are not
    // all valid, so asking it would misread every accent of a document with one stray byte. Only when the
    // malformed sequences outnumber the well-formed multi-byte ones is the label wrong. Undeclared bytes
    // need to be plainly UTF-8 to be read so.
    let (valid_multi, invalid) = utf8_counts(bytes, usize::MAX);
    match said_utf8 {
        Some(source) if invalid <= valid_multi => {
            repairs.fault(format!("{source} says UTF-8 and the bytes mostly are"));
            return utf8_with_strays(bytes, repairs);
        }
        None if mostly_utf8(bytes) => {
            repairs.fault("no usable encoding declaration: the bytes are mostly UTF-8");
            return utf8_with_strays(bytes, repairs);
        }
        _ => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(tld, true);
    match said_utf8 {
        Some(source) => repairs.fault(format!(
            "{source} says UTF-8 but the bytes are {} (detected)",
            enc.name()
        )),
        None => repairs.fault(format!("no usable encoding declaration: detected {}", enc.name())),
    }
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The encoding a label names, per WHATWG. A label WHATWG does not know but that only differs from one it
/// knows in its `-`/`_` separators (`latin-1`, `shift-jis`, `utf_8`, `iso8859_1`, names Python and Java
/// accept) is read as that one, and noted; other unknown labels name nothing (detection decides).
fn encoding_for_label(label: &str, source: &str, repairs: &mut Repairs) -> Option<&'static Encoding> {
    let label = label.trim();
    if let Some(enc) = Encoding::for_label(label.as_bytes()) {
        return Some(enc);
    }
    let respelled = [
        label.replace('_', "-"),
        label.replace('-', "_"),
        label.replace(['-', '_'], ""),
    ];
    let enc = respelled.iter().find_map(|l| Encoding::for_label(l.as_bytes()))?;
    repairs.info(format!("{source} label {label:?} read as {}", enc.name()));
    Some(enc)
}

/// Mostly-UTF-8 bytes as UTF-8; each byte of a malformed sequence is read as windows-1252, the encoding
/// stray bytes in such documents almost always come from (a pasted `’`), and the count is noted.
fn utf8_with_strays(bytes: &[u8], repairs: &mut Repairs) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut strays = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                // `good` is valid UTF-8 by construction; the lossy call only avoids an unwrap.
                out.push_str(&String::from_utf8_lossy(good));
                // No error length: the bytes end inside a sequence, which is all malformed.
                let bad_len = e.error_len().unwrap_or(after.len()).min(after.len());
                let (bad, tail) = after.split_at(bad_len);
                out.push_str(&WINDOWS_1252.decode_without_bom_handling(bad).0);
                strays += bad.len();
                rest = tail;
            }
        }
    }
    if strays > 0 {
        repairs.fault(format!("{strays} stray non-UTF-8 byte(s) read as windows-1252"));
    }
    out
}

/// Many multi-byte UTF-8 sequences and (almost) no malformed ones: a UTF-8 document with a few stray bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (valid_multi, invalid) = utf8_counts(bytes, 64);
    invalid <= 64 && valid_multi >= 4 && invalid * 20 <= valid_multi
}

/// (well-formed multi-byte sequences, malformed sequences) in `bytes`; the count stops once the malformed
/// ones pass `max_invalid`.
fn utf8_counts(bytes: &[u8], max_invalid: usize) -> (usize, usize) {
    let lead_bytes = |b: &[u8]| b.iter().filter(|b| **b >= 0xC0).count();
    let mut valid_multi = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                valid_multi += lead_bytes(rest);
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_multi += lead_bytes(good);
                invalid += 1;
                if invalid > max_invalid {
                    break;
                }
                let bad_len = e.error_len().unwrap_or(after.len()).max(1);
                rest = after.get(bad_len..).unwrap_or_default();
            }
        }
    }
    (valid_multi, invalid)
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

/// The `encoding` label of an XML declaration near the start of the document.
fn declared_label(bytes: &[u8]) -> Option<String> {
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
    Some(label.trim().to_string())
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
        assert_eq!(
            notes,
            ["XML declaration says UTF-8 but the bytes are windows-1252 (detected)"]
        );
    }

    #[test]
    fn declared_utf8_with_a_stray_byte_stays_utf8() {
        let bytes = "<rss>Größere Straßen für München, the editor\u{0}s note</rss>".replace('\0', "\u{1}");
        let bytes = bytes
            .as_bytes()
            .iter()
            .map(|&b| if b == 1 { 0x92 } else { b })
            .collect::<Vec<u8>>();
        let (s, notes) = dec(&bytes, Some("text/xml; charset=utf-8"));
        assert_eq!(s, "<rss>Größere Straßen für München, the editor\u{2019}s note</rss>");
        assert_eq!(
            notes,
            [
                "HTTP charset says UTF-8 and the bytes mostly are",
                "1 stray non-UTF-8 byte(s) read as windows-1252"
            ]
        );
    }

    #[test]
    fn latin1_labels_are_windows_1252_as_in_browsers() {
        for ct in [
            "text/xml; charset=ISO-8859-1",
            "text/xml; charset=us-ascii",
            "text/xml; charset=latin1",
        ] {
            let (s, notes) = dec(b"<rss>\x93q\x94 \x80 caf\xe9</rss>", Some(ct));
            assert_eq!(s, "<rss>\u{201c}q\u{201d} \u{20ac} café</rss>", "{ct}");
            assert!(notes.is_empty(), "{ct}: {notes:?}");
        }
    }

    #[test]
    fn labels_spelled_with_other_separators_are_read() {
        let (s, notes) = dec(
            b"<?xml version='1.0' encoding='latin-1'?><rss>\x93p\xe3o\x94</rss>",
            None,
        );
        assert!(s.ends_with("<rss>\u{201c}pão\u{201d}</rss>"), "{s}");
        assert_eq!(notes, ["XML declaration label \"latin-1\" read as windows-1252"]);
        let (text, _, _) = encoding_rs::SHIFT_JIS.encode("<rss>日本語のニュース</rss>");
        let (s, _) = dec(&text, Some("text/xml; charset=shift-jis"));
        assert_eq!(s, "<rss>日本語のニュース</rss>");
    }

    #[test]
    fn latin1_label_on_mostly_utf8_bytes_is_overruled() {
        // Twenty and more well-formed sequences to one stray byte, as in extract's page decoder.
        let text = "“Größere” Straßen für München, Köln, Düsseldorf, Nürnberg und Würzburg – “schön” über Bräuche, Brücken, Gärten";
        let text = format!("{text} {text}");
        let mut bytes = format!("<rss>{text}</rss>").into_bytes();
        bytes.insert(5, 0x85);
        let (s, notes) = dec(&bytes, Some("text/xml; charset=iso-8859-1"));
        assert_eq!(s, format!("<rss>\u{2026}{text}</rss>"));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn undeclared_legacy_encoding_is_detected() {
        let (text, _, _) = encoding_rs::EUC_KR.encode("<rss><title>한국어 뉴스 제목입니다 오늘의 소식</title></rss>");
        let (s, _) = dec(&text, None);
        assert!(s.contains("한국어 뉴스"), "{s}");
    }
}
