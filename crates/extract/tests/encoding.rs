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

#[test]
fn double_encoded_utf8_is_repaired() {
    // UTF-8 text that was read as Latin-1 / Windows-1252 and written out again as UTF-8.
    let html = "<html><head><title>An Investorâ\u{80}\u{99}s Guide</title></head><body><article>\
        <h1>An Investorâ\u{80}\u{99}s Guide</h1>\
        <p>The investorâ€™s first question is simple: how much is enough, and when can one stop working?</p>\
        <p>â\u{80}\u{9c}Start early,â\u{80}\u{9d} she said, adding that the cafÃ© on the corner costs â‚¬4 a day.</p>\
        <p>Straße’s Café, à la carte, naïve — ordinary accents and punctuation must stay as they are.</p>\
        </article></body></html>";
    let a = extract(html.as_bytes(), &Options::default());
    assert_eq!(a.title.as_deref(), Some("An Investor’s Guide"));
    assert!(a.text.contains("The investor’s first question"), "{}", a.text);
    assert!(a.text.contains("“Start early,” she said"), "{}", a.text);
    assert!(a.text.contains("café on the corner costs €4"), "{}", a.text);
    assert!(a.text.contains("Straße’s Café, à la carte, naïve —"), "{}", a.text);
}

/// Latin-1 bytes served as UTF-8: decoding by the label turned every accent into U+FFFD.
#[test]
fn latin1_bytes_labelled_utf8_are_detected() {
    let page = fixture("latin1_http.html");
    assert!(std::str::from_utf8(&page).is_err(), "the fixture must be Latin-1 bytes");
    let a = extract(
        &page,
        &Options {
            content_type: Some("text/html; charset=UTF-8"),
            ..Default::default()
        },
    );
    assert_eq!(a.title.as_deref(), Some("Café reopens"));
    assert!(a.text.contains("The café on the corner"), "{}", a.text);
    assert!(
        a.text.contains("crème brûlée") && a.text.contains("naïve"),
        "{}",
        a.text
    );
    assert!(
        !a.text.contains('\u{fffd}') && !a.markdown.contains('\u{fffd}'),
        "{}",
        a.text
    );
    let note = a.encoding_note.as_deref().unwrap_or_default();
    assert!(
        note.contains("UTF-8 declared in the HTTP header") && note.contains("windows-1252"),
        "{note}"
    );

    // the same lie in a <meta charset>
    let mut page = b"<meta charset=\"utf-8\">".to_vec();
    page.extend_from_slice(&fixture("latin1_http.html"));
    let a = extract(&page, &Options::default());
    assert!(
        a.text.contains("crème brûlée") && !a.text.contains('\u{fffd}'),
        "{}",
        a.text
    );
    assert!(a.encoding_note.is_some());
}

/// A page that decodes under its label keeps it and carries no note; a UTF-8 page with a stray
/// byte stays UTF-8 (the detector never answers UTF-8 once a byte is invalid).
#[test]
fn clean_or_mostly_clean_pages_keep_their_label() {
    let a = extract(
        &fixture("latin1_http.html"),
        &Options {
            content_type: Some("text/html; charset=ISO-8859-1"),
            ..Default::default()
        },
    );
    assert_eq!(a.encoding_note, None);
    let a = extract(&fixture("mixed_encoding.html"), &Options::default());
    assert_eq!(a.encoding_note, None);
    assert!(a.text.contains("crème brûlée"), "{}", a.text);
}

#[test]
fn ampersands_before_letters_of_a_reference_name_stay_in_urls_and_text() {
    // "&fp-x" and "&short_url" start like the references "&fpartint;" and "&shy;" but are none: the
    // letters stay as written (they once became a NUL character, "%00" in the link).
    let page = br#"<html><head><title>Deal of the day</title>
        <meta property="og:image" content="https://img.example.com/a.jpg?fm=jpg&fp-x=0.5&fp-y=0.5&w=1200"></head>
        <body><article><h1>Deal of the day</h1>
        <p>Bring home a <a href="https://shop.example.com/go?item=laptop&short_url=QbMj&u=1">laptop</a> for less,
        and read the small print: prices &eacu vary, &copy 2025 the shop. The offer is good for the whole week
        while stocks last, on every model in the range and in every colour the shop sells.</p>
        <p>Delivery is free for orders over fifty dollars, and returns are accepted within thirty days of the
        purchase, with the receipt, in the original packaging, at any of the shop's stores.</p>
        </article></body></html>"#;
    let a = extract(
        page,
        &Options {
            url: Some("https://news.example.com/deal"),
            ..Default::default()
        },
    );
    assert_eq!(
        a.image.as_deref(),
        Some("https://img.example.com/a.jpg?fm=jpg&fp-x=0.5&fp-y=0.5&w=1200")
    );
    assert!(a.markdown.contains("item=laptop&short_url=QbMj&u=1"), "{}", a.markdown);
    assert!(a.text.contains("prices &eacu vary, © 2025"), "{}", a.text);
    assert!(!a.text.contains('\0') && !a.markdown.contains("%00"), "{}", a.markdown);
}
