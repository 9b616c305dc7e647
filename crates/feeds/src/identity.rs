//! Item identity that stays the same across polls: the feed's own id, else the link, else a content hash.

use sha2::{Digest, Sha256};

/// The stable id of an item. Never depends on the item's position in the feed.
pub fn item_identity(
    guid: Option<&str>,
    link: Option<&str>,
    title: &str,
    summary: Option<&str>,
    content: Option<&str>,
) -> String {
    if let Some(g) = guid.map(str::trim).filter(|g| !g.is_empty()) {
        return g.to_string();
    }
    if let Some(l) = link.map(str::trim).filter(|l| !l.is_empty()) {
        return l.to_string();
    }
    let mut h = Sha256::new();
    for part in [title, summary.unwrap_or(""), content.unwrap_or("")] {
        h.update(part.trim().as_bytes());
        // A separator, so that moving text between fields changes the hash.
        h.update([0u8]);
    }
    format!("sha256:{}", hex::encode(&h.finalize()[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_then_link_then_hash() {
        assert_eq!(item_identity(Some(" g1 "), Some("http://a/"), "t", None, None), "g1");
        assert_eq!(item_identity(Some(""), Some("http://a/"), "t", None, None), "http://a/");
        let h = item_identity(None, None, "t", Some("s"), None);
        assert!(h.starts_with("sha256:") && h.len() == 7 + 32, "{h}");
        assert_eq!(h, item_identity(None, None, "t", Some("s"), None));
        assert_ne!(h, item_identity(None, None, "ts", None, None));
    }
}
