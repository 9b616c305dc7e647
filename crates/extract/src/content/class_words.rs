//! Class and id words: the word lists, [`ClassFlags`] (what the words of an element's class and id
//! say about it), and the weight they give a candidate root.

use crate::dom::Node;

/// What the words of an element's class and id say about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassFlags {
    /// class or id has at least one word
    pub any: bool,
    /// a boilerplate word that no content word cancels
    pub strong: bool,
    /// a layout word (byline, tags, header…) that a content word cancels
    pub weak: bool,
    /// a content word (article, body, story…)
    pub positive: bool,
    /// comment, comments or disqus
    pub commentish: bool,
    /// comment or comments
    pub comment_word: bool,
    /// author, bio, profile, byline, avatar: a box about a person
    pub about_person: bool,
    /// tooltip, popover: a bubble shown on hover
    pub tooltip: bool,
}

impl ClassFlags {
    fn add_word(&mut self, w: &[u8]) {
        self.any = true;
        // every listed word is short ASCII; longer or non-ASCII words match nothing
        if w.len() > 20 || !w.is_ascii() {
            return;
        }
        let mut buf = [0u8; 20];
        for (d, s) in buf.iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        let Ok(lw) = std::str::from_utf8(&buf[..w.len()]) else {
            return;
        };
        match word_kind(lw) {
            1 => self.strong = true,
            2 => self.weak = true,
            4 => self.positive = true,
            _ => {}
        }
        if matches!(lw, "author" | "bio" | "profile" | "byline" | "avatar") {
            self.about_person = true;
        }
        if matches!(lw, "tooltip" | "popover") {
            self.tooltip = true;
        }
        if matches!(lw, "comment" | "comments" | "disqus") {
            self.commentish = true;
            self.comment_word |= lw != "disqus";
        }
    }
}

/// Kind of a lower-case class/id word: 1 strong negative, 2 weak negative, 4 positive.
fn word_kind(lw: &str) -> u8 {
    match lw {
        "ad" | "ads" | "adslot" | "adunit" | "advert" | "advertisement" | "advertising" | "affiliate" | "avatar"
        | "breadcrumb" | "breadcrumbs" | "comment" | "comments" | "consent" | "cookie" | "cookies" | "credits"
        | "dfp" | "disclaimer" | "disclosure" | "disqus" | "donate" | "donation" | "facebook" | "feedback" | "gdpr"
        | "linkedin" | "login" | "masthead" | "modal" | "mostread" | "navbar" | "navigation" | "newsletter"
        | "newsletters" | "outbrain" | "paywall" | "pinterest" | "playlist" | "popup" | "previous" | "promo"
        | "promoted" | "promotion" | "reactions" | "readmore" | "recirc" | "recommendations" | "recommended"
        | "register" | "related" | "rss" | "share" | "sharer" | "shares" | "sharing" | "signup" | "social"
        | "socials" | "sponsor" | "sponsored" | "subscribe" | "subscription" | "survey" | "taboola" | "tagcloud"
        | "taglist" | "teasers" | "twitter" | "upsell" | "whatsapp" => 1,
        "author" | "banner" | "bio" | "byline" | "caption" | "carousel" | "credit" | "date" | "dateline" | "email"
        | "follow" | "footer" | "header" | "hidden" | "jump" | "keywords" | "menu" | "meta" | "more" | "most"
        | "nav" | "next" | "overlay" | "pager" | "pagination" | "popular" | "prev" | "print" | "profile"
        | "published" | "rating" | "screen" | "sidebar" | "skip" | "sr" | "tag" | "tags" | "teaser" | "timestamp"
        | "toc" | "toolbar" | "trending" | "visually" => 2,
        "article" | "blog" | "body" | "content" | "copy" | "entry" | "main" | "markdown" | "post" | "prose"
        | "richtext" | "rte" | "single" | "story" | "text" => 4,
        _ => 0,
    }
}

/// Flags of the word parts of class and id: "article-body shareBar" → article, body, share, bar.
/// camelCase is split; no allocation.
pub fn class_flags(n: &Node) -> ClassFlags {
    let mut f = ClassFlags::default();
    for key in ["class", "id"] {
        let Some(v) = n.attr(key) else { continue };
        let v = crate::dom::cut(v, 400).as_bytes();
        for part in v.split(|&c| c.is_ascii_whitespace() || matches!(c, b'-' | b'_' | b':' | b'.' | b'/')) {
            if part.is_empty() {
                continue;
            }
            // split camelCase: a capital after a lower-case letter or digit starts a word
            let mut start = 0;
            for k in 1..part.len() {
                let (p, c) = (part[k - 1], part[k]);
                if c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()) {
                    f.add_word(&part[start..k]);
                    start = k;
                }
            }
            f.add_word(&part[start..]);
        }
    }
    f
}

/// Words in class/id that mark boilerplate regardless of anything else.
#[cfg_attr(not(test), allow(dead_code))]
const STRONG_NEG: &[&str] = &[
    "share",
    "sharing",
    "sharer",
    "shares",
    "social",
    "socials",
    "comment",
    "comments",
    "related",
    "newsletter",
    "newsletters",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "promo",
    "promotion",
    "promoted",
    "advert",
    "advertisement",
    "advertising",
    "ad",
    "ads",
    "adslot",
    "adunit",
    "dfp",
    "outbrain",
    "taboola",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "signup",
    "recommended",
    "recommendations",
    "recirc",
    "paywall",
    "popup",
    "modal",
    "disqus",
    "breadcrumb",
    "breadcrumbs",
    "trending",
    "popular",
    "mostread",
    "most",
    "follow",
    "banner",
    "skip",
    "hidden",
    "sr",
    "visually",
    "screen",
    "print",
    "toolbar",
    "tags",
    "tag",
    "tagcloud",
    "taglist",
    "keywords",
    "author",
    "byline",
    "meta",
    "pagination",
    "pager",
    "jump",
    "toc",
    "rating",
    "reactions",
    "donate",
    "donation",
    "login",
    "register",
    "overlay",
    "teaser",
    "teasers",
    "carousel",
    "playlist",
    "upsell",
    "affiliate",
    "disclaimer",
    "disclosure",
    "caption",
    "credit",
    "credits",
    "masthead",
    "dateline",
    "timestamp",
    "date",
    "published",
    "readmore",
    "more",
    "next",
    "prev",
    "previous",
    "sidebar",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "footer",
    "header",
    "bio",
    "avatar",
    "profile",
    "feedback",
    "survey",
    "rss",
    "email",
    "whatsapp",
    "facebook",
    "twitter",
    "linkedin",
    "pinterest",
    "print",
];

/// Words in class/id that suggest content; they protect an element from the weak negatives.
#[cfg_attr(not(test), allow(dead_code))]
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story", "text", "blog", "prose", "richtext", "rte",
    "markdown", "copy", "single",
];

/// Negative words that a positive word cancels (layout words).
#[cfg_attr(not(test), allow(dead_code))]
const WEAK_NEG: &[&str] = &[
    "author",
    "byline",
    "meta",
    "tag",
    "tags",
    "date",
    "header",
    "footer",
    "more",
    "next",
    "prev",
    "menu",
    "nav",
    "hidden",
    "sidebar",
    "caption",
    "credit",
    "published",
    "timestamp",
    "dateline",
    "print",
    "email",
    "bio",
    "profile",
    "teaser",
    "skip",
    "screen",
    "sr",
    "visually",
    "jump",
    "most",
    "follow",
    "banner",
    "rating",
    "toolbar",
    "overlay",
    "carousel",
    "keywords",
    "popular",
    "trending",
    "pager",
    "pagination",
    "toc",
];

pub(super) fn class_weight(f: ClassFlags) -> i32 {
    let mut w = 0;
    if f.strong {
        w -= 25;
    }
    if f.positive {
        w += 25;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_kinds_follow_the_lists() {
        for w in STRONG_NEG {
            let want = if WEAK_NEG.contains(w) { 2 } else { 1 };
            assert_eq!(word_kind(w), want, "{w}");
        }
        for w in POSITIVE {
            assert_eq!(word_kind(w), 4, "{w}");
        }
        assert_eq!(word_kind("paragraph"), 0);
    }

    #[test]
    fn class_words_split_and_flag() {
        let d =
            crate::dom::Dom::parse("<div class='articleBody shareBar' id='x_y'></div><div class='main-sidebar'></div>");
        let divs: Vec<&Node> = d.nodes.iter().filter(|n| &*n.tag == "div").collect();
        let f = class_flags(divs[0]);
        assert!(f.any && f.positive && f.strong && !f.weak);
        let f = class_flags(divs[1]);
        assert!(f.positive && f.weak && !f.strong);
    }
}
