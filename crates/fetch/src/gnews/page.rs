//! Reading the signature and timestamp that a Google News article page carries for its id, and
//! recognising Google's consent page when it answers instead.

/// The two values the batch request needs for one article id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `data-n-a-sg`.
    pub signature: String,
    /// `data-n-a-ts` (seconds since the epoch).
    pub timestamp: i64,
}

/// Finds `data-n-a-sg` and `data-n-a-ts` in the page; None when either is missing or the
/// timestamp is not a number.
pub fn find_signature(html: &str) -> Option<Signature> {
    let signature = attribute(html, "data-n-a-sg")?;
    let timestamp = attribute(html, "data-n-a-ts")?.trim().parse().ok()?;
    if signature.is_empty() {
        return None;
    }
    Some(Signature { signature, timestamp })
}

/// True when a reply is Google's consent page rather than the page asked for: the redirects ended
/// on consent.google.com (or another `consent.` host of Google's), or the body holds a form that
/// posts to it (how the page looks when served from another address).
pub fn is_consent_page(final_url: &str, body: &str) -> bool {
    let consent_host = |host: &str| {
        let host = host.to_ascii_lowercase();
        host.starts_with("consent.google.") || host.starts_with("consent.youtube.")
    };
    if let Some(host) = url::Url::parse(final_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
    {
        if consent_host(&host) {
            return true;
        }
    }
    // Only the form tags are looked at: an article page may well mention the consent site in
    // its text or scripts.
    let lower = body.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<form") {
        let tag = &rest[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let Some(action) = attribute(tag, "action") {
            let host = url::Url::parse(&action)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned));
            if host.as_deref().is_some_and(consent_host) {
                return true;
            }
        }
        rest = &rest[at + "<form".len()..];
    }
    false
}

/// The value of the first `name="…"` (or `name='…'`) attribute in `html`. A plain scan rather
/// than an HTML parse: the page is large and only these attributes matter.
fn attribute(html: &str, name: &str) -> Option<String> {
    let mut rest = html;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before_ok {
            continue;
        }
        let Some(after_eq) = after.strip_prefix('=') else {
            continue;
        };
        let after_eq = after_eq.trim_start();
        let quote = match after_eq.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        let value = &after_eq[1..];
        let end = value.find(quote)?;
        return Some(unescape(&value[..end]));
    }
    None
}

/// An attribute value with its character references decoded.
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    newsdesk_entities::decode_html_into(v, true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_attributes() {
        let html = r#"<c-wiz><div jscontroller="aLI87" data-n-a-id="AU_yqLx" data-n-a-ts="1732012345" data-n-a-sg="AZ5r3e_k-9&amp;x"></div></c-wiz>"#;
        let sig = find_signature(html).expect("signature");
        assert_eq!(sig.timestamp, 1732012345);
        assert_eq!(sig.signature, "AZ5r3e_k-9&x");
    }

    #[test]
    fn single_quotes_and_spaces() {
        let html = "<div data-n-a-sg = 'abc' data-n-a-ts='12'>";
        assert_eq!(
            find_signature(html),
            Some(Signature {
                signature: "abc".into(),
                timestamp: 12
            })
        );
    }

    #[test]
    fn consent_page_by_host_or_form() {
        assert!(is_consent_page(
            "https://consent.google.com/ml?continue=https://news.google.com/rss/articles/x",
            ""
        ));
        assert!(is_consent_page("https://CONSENT.google.de/?hl=de", "<html></html>"));
        let form = r#"<html><body><FORM method="POST" ACTION="https://consent.google.com/save"><input type="hidden" name="set_eom" value="true"></form>"#;
        assert!(is_consent_page("http://127.0.0.1:8080/consent", form));
        assert!(!is_consent_page(
            "https://news.google.com/rss/articles/x",
            "<p>see consent.google.com</p><form action=\"/search\">"
        ));
        assert!(!is_consent_page("not a url", "<form action"));
        assert!(!is_consent_page("https://consent.example.com/", ""));
    }

    #[test]
    fn missing_or_bad_values() {
        assert_eq!(find_signature("<div data-n-a-sg=\"abc\">"), None);
        assert_eq!(find_signature("<div data-n-a-sg=\"abc\" data-n-a-ts=\"soon\">"), None);
        assert_eq!(find_signature("<div xdata-n-a-sg=\"abc\" data-n-a-ts=\"1\">"), None);
        assert_eq!(find_signature(""), None);
    }
}
