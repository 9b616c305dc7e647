//! Bytes in any encoding: HTTP charset, BOM, <meta charset>, detection, mixed.
use newsdesk_extract::{extract, Options};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn http_charset() {
    let a = extract(
        &fixture("latin1_http.html"),
        &Options {
            content_type: Some("text/html; charset=ISO-8859-1"),
            ..Default::default()
        },
    );
    assert_eq!(a.title.as_deref(), Some("Café reopens"));
    assert!(
        a.text.contains("crème brûlée") && a.text.contains("naïve"),
        "{}",
        a.text
    );
}

#[test]
fn latin1_without_declaration_is_detected() {
    let a = extract(&fixture("latin1_http.html"), &Options::default());
    assert!(a.text.contains("crème brûlée"), "{}", a.text);
}

#[test]
fn meta_charset() {
    let a = extract(&fixture("cp1251_meta.html"), &Options::default());
    assert_eq!(a.title.as_deref(), Some("Новости"));
    assert!(a.text.contains("Городской совет утвердил"), "{}", a.text);
}

#[test]
fn utf16_bom() {
    let a = extract(&fixture("utf16_bom.html"), &Options::default());
    assert_eq!(a.title.as_deref(), Some("東京のニュース"));
    assert!(a.text.contains("東京都は木曜日"), "{}", a.text);
}

#[test]
fn undeclared_shift_jis_is_detected() {
    let a = extract(&fixture("sjis_undeclared.html"), &Options::default());
    assert!(a.text.contains("明日は全国的に晴れる"), "{}", a.text);
}

#[test]
fn mixed_encoding_keeps_the_rest() {
    let a = extract(&fixture("mixed_encoding.html"), &Options::default());
    assert!(a.text.contains("crème brûlée"), "{}", a.text);
    assert!(a.text.contains("should not break the rest"), "{}", a.text);
}
