//! Google News: the offline link decoder (`newsdesk_feeds::gnews::decode_article_link`), the reader of
//! `batchexecute` replies (`newsdesk_fetch::gnews::parse_reply`) and the signature scan of article pages
//! (`newsdesk_fetch::gnews::find_signature`), on any string.
//!
//! Checks: a decoded link is an http(s) URL; a link built the way Google builds older-form tokens
//! (`CBMi…`: field 4 of a protobuf holds the URL) decodes back to that URL (round trip); a reply built
//! for a tag whose answer is the input (as a URL) reads back as that answer; signatures are non-empty.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use newsdesk_feeds::gnews::{decode_article_link, ArticleLink};
use newsdesk_fetch::gnews::{find_signature, parse_reply, Answer, RPC_ID};
use serde_json::json;

/// An older-form token: field 1 = 19 (varint), field 4 = the URL, then field 26 (empty).
fn cbmi_token(url: &str) -> String {
    let mut p = vec![0x08, 0x13, 0x22];
    let mut len = url.len();
    while len >= 0x80 {
        p.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    p.push(len as u8);
    p.extend_from_slice(url.as_bytes());
    p.extend_from_slice(&[0xd2, 0x01, 0x00]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p)
}

fn check_link(link: &str) {
    if let ArticleLink::Decoded(u) = decode_article_link(link) {
        assert!(u.starts_with("http://") || u.starts_with("https://"), "decoded {u:?} from {link:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    // The decoder on the string as a link, and as a token in each article path.
    check_link(&s);
    check_link(&format!("https://news.google.com/rss/articles/{s}?oc=5"));
    check_link(&format!("https://news.google.com/read/{s}"));

    // Round trip: an http(s) URL in a token comes back out.
    if s.starts_with("https://") || s.starts_with("http://") {
        let link = format!("https://news.google.com/rss/articles/{}?oc=5", cbmi_token(&s));
        assert_eq!(decode_article_link(&link), ArticleLink::Decoded(s.to_string()), "token of {s:?}");
    }

    // The reply reader on the string itself …
    if let Ok(answers) = parse_reply(&s) {
        for a in answers.values() {
            if let Answer::Url(u) = a {
                assert!(!u.is_empty());
            }
        }
    }
    // … and on a well-formed reply whose answer is the string.
    let payload = json!(["garturlres", s, 1]).to_string();
    let entry = json!([["wrb.fr", RPC_ID, payload, null, null, null, "generic"], ["di", 42], ["af.httprm", 42, "-1", 7]]);
    let body = entry.to_string();
    let reply = format!(")]}}'\n\n{}\n{body}\n", body.len());
    let answers = parse_reply(&reply).expect("a well-formed reply parses");
    let want = if s.is_empty() { None } else { Some(Answer::Url(s.to_string())) };
    match want {
        Some(w) => assert_eq!(answers.get("generic"), Some(&w), "reply {reply:?}"),
        None => assert!(matches!(answers.get("generic"), Some(Answer::Refused(_))), "reply {reply:?}"),
    }

    // The signature scan of an article page.
    if let Some(sig) = find_signature(&s) {
        assert!(!sig.signature.is_empty());
    }
});
