//! Junk: the nodes inside the chosen roots that are link lists, titles or other junk
//! ([`junk_inside`]), and the tests of a line of text that is not the article's (calls to action,
//! disclosures, counters, bylines and datelines, tail lines), which the trimming applies to blocks.

use super::Analysis;
use crate::dom::{Dom, NONE};

/// Inside the chosen roots, mark blocks that are link lists, titles or other junk.
pub fn junk_inside(dom: &Dom, a: &Analysis, roots: &[u32]) -> Vec<bool> {
    let mut drop = vec![false; dom.nodes.len()];
    for &r in roots {
        let end = dom.subtree_end(r);
        for i in r..end {
            let iu = i as usize;
            if a.removed[iu] || drop[iu] {
                continue;
            }
            let node = &dom.nodes[iu];
            if node.is_text() {
                continue;
            }
            let tag = &*node.tag;
            let tl = a.ktlen[iu];
            let ld = a.link_density(i);
            let bad = match tag {
                "h1" => true,
                "ul" | "ol" | "dl" | "div" | "section" | "table" => tl > 0 && ld > 0.6 && i != r,
                // a span is inline: inside a link or a paragraph it is running text ("<a><span>name</span></a>")
                "span" => tl > 0 && ld > 0.6 && i != r && !inside_inline_text(dom, i, r),
                "p" | "li" => tl > 0 && ld > 0.8 && tl < 300,
                _ => false,
            };
            if bad {
                let e = dom.subtree_end(i);
                for k in i..e {
                    drop[k as usize] = true;
                }
            }
        }
    }
    drop
}

/// Whether `i` sits inside a link or a paragraph below `root`.
fn inside_inline_text(dom: &Dom, i: u32, root: u32) -> bool {
    let mut k = dom.node(i).parent;
    while k != NONE && k != root {
        if matches!(&*dom.node(k).tag, "a" | "p") {
            return true;
        }
        k = dom.node(k).parent;
    }
    false
}

/// Lower-case alphanumeric words joined by one space ("Share this!" → "share this").
pub(super) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            gap = true;
        }
    }
    out
}

/// `norm(s)`, but only when `s` is short enough (in bytes) for a short-line rule to apply.
fn norm_short(s: &str, max: usize) -> Option<String> {
    (s.len() <= max).then(|| norm(s))
}

const JUNK_EXACT: &[&str] = &[
    "advertisement",
    "advertisements",
    "ad",
    "sponsored",
    "sponsored content",
    "continue reading below",
    "advertisement continue reading below",
    "story continues below advertisement",
    "skip to content",
    "skip to main content",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "read more",
    "read more below",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "more stories",
    "recommended",
    "you may also like",
    "listen",
    "listen to this article",
    "comments",
    "leave a comment",
    "leave a reply",
    "close",
    "menu",
    "search",
    "sign up",
    "subscribe",
    "loading",
    "image",
    "photo",
    "video",
    "watch",
    "follow us",
    "copy link",
    "link copied",
    "save",
    "save article",
    "toggle",
    "back to top",
    "top",
    "min read",
    "click here",
    "see more",
    "show more",
    "view comments",
    "table of contents",
    "contents",
    "in this article",
    "jump to",
    "whatsapp",
    "facebook",
    "twitter",
    "linkedin",
    "pinterest",
    "reddit",
    "read full review",
    "read the review",
    "read review",
    "where to buy",
];

/// An affiliate disclosure in the first person ("we may earn a commission…").
fn is_affiliate_disclosure(n: &str) -> bool {
    static RE: once_cell::sync::Lazy<Option<regex::Regex>> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(
            r"\b(we|i) (may |might |will |could |can )?(earn|receive|get|make)( a| an)?( small)?( affiliate)? commission|earn us( a)? commission|we (may |might )?be compensated|may earn( a)?( small)? commission",
        )
        .ok()
    });
    let b = n.as_bytes();
    (memchr::memmem::find(b, b"commission").is_some() || memchr::memmem::find(b, b"compensated").is_some())
        && RE.as_ref().map(|r| r.is_match(n)).unwrap_or(false)
}

pub(super) fn is_junk_line(t: &str) -> bool {
    // every rule below is about short lines (a few words, a call to action under 100 bytes, a
    // disclosure of two or three sentences)
    let Some(n) = norm_short(t, 400) else {
        return false;
    };
    if n.is_empty() {
        return true;
    }
    let words = n.bytes().filter(|&c| c == b' ').count() + 1;
    if words <= 6
        && (JUNK_EXACT.contains(&n.as_str())
            || n.ends_with("min read")
            || n.ends_with("minute read")
            || n.ends_with("minutes read")
            || n.starts_with("advertisement"))
    {
        return true;
    }
    if t.len() < 100 && is_call_to_action(&n) {
        return true;
    }
    if words <= 4 && is_age_or_counter(&n) {
        return true;
    }
    if is_shop_or_teaser_line(t, &n, words) {
        return true;
    }
    words >= 6 && is_affiliate_disclosure(&n)
}

/// A post's age or a counter shown as a line of its own: "7 days ago", "1109 likes", "12 comments".
fn is_age_or_counter(n: &str) -> bool {
    let mut w = n.split(' ');
    let (Some(num), Some(unit)) = (w.next(), w.next()) else {
        return false;
    };
    if !num.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let rest: Vec<&str> = w.collect();
    let unit = unit.trim_end_matches('s');
    match rest.as_slice() {
        ["ago"] => matches!(
            unit,
            "second" | "minute" | "min" | "hour" | "hr" | "day" | "week" | "month" | "year"
        ),
        [] => matches!(
            unit,
            "like" | "view" | "share" | "comment" | "repl" | "reply" | "replie"
        ),
        _ => false,
    }
}

/// The lines a review or a news page sets between paragraphs around its products and links:
/// "Loading prices for your region…" (a script's placeholder), "Check Price at Amazon | $440 List",
/// "See price at Amazon", "Related: Three tips for …".
fn is_shop_or_teaser_line(t: &str, n: &str, words: usize) -> bool {
    let t = t.trim();
    (words <= 6 && n.starts_with("loading") && (t.ends_with("...") || t.ends_with('…')))
        || (words <= 10
            && ["check price", "check prices", "see price", "see prices"]
                .iter()
                .any(|p| n.starts_with(p) && matches!(n.as_bytes().get(p.len()), Some(b' ') | None)))
        || (words <= 16 && t.starts_with("Related:"))
}

/// Calls to action and disclosures that sit between paragraphs: newsletters, sign-ups, demos,
/// trials, affiliate notes (matched on normalised text of short blocks only).
const CTA: &[&str] = &[
    "newsletter",
    "sign up",
    "signup",
    "subscribe",
    "free trial",
    "book a demo",
    "request a demo",
    "schedule a demo",
    "get a free",
    "request a free",
    "request a quote",
    "get a quote",
    "free consultation",
    "join our",
    "join the",
    "contact us",
    "talk to our",
    "talk to an",
    "apply now",
    "get started",
    "mailing list",
    "check your inbox",
    "earn commission",
    "earn a commission",
    "affiliate links",
    "affiliate commission",
    "exclusive to",
    "keep reading",
    "continue reading",
    "you may be interested",
    "you might also like",
    "related articles",
    "related posts",
    "related searches",
    "related reading",
    "share your story",
    "start your free",
    "try it free",
    "try for free",
    "download now",
    "download the",
    "follow us",
    "spread the word",
    "learn more about our",
    "create an account",
    "log in to",
    "sign in to",
    "register now",
    "buy now",
    "shop now",
    "order now",
    "call us",
    "call now",
    "submission has been received",
    "went wrong while submitting",
    "thank you for downloading",
    "thank you for subscribing",
    "enable javascript",
];

fn is_call_to_action(n: &str) -> bool {
    let b = n.as_bytes();
    let mut s = 0;
    while s < b.len() {
        let first = b[s];
        for c in CTA {
            let cb = c.as_bytes();
            if cb[0] == first && b[s..].starts_with(cb) && (s + cb.len() == b.len() || b[s + cb.len()] == b' ') {
                return true;
            }
        }
        // next word
        match b[s..].iter().position(|&x| x == b' ') {
            Some(p) => s += p + 1,
            None => break,
        }
    }
    false
}

/// A short line about the article rather than of it: a byline, a dateline, a photo credit.
pub(super) fn is_meta_line(t: &str) -> bool {
    if t.len() > 120 {
        return false;
    }
    let n = norm(t);
    let words = n.split(' ').count();
    words <= 14 && (n.starts_with("photo ") || n.starts_with("image ") || names_author_or_date(t, &n, words))
}

/// A byline ("By Jane Doe", "Written by …") or a dateline ("Published March 9, 2026", "Friday,
/// November 14, 2025"): a short line that names the author or the date, nothing else.
pub(super) fn is_byline_or_dateline(t: &str) -> bool {
    if t.len() > 80 {
        return false;
    }
    let n = norm(t);
    let words = n.split(' ').count();
    words <= 8 && !n.starts_with("photo") && !n.starts_with("image") && names_author_or_date(t, &n, words)
}

/// Openings of a line that names the author or the date.
const BYLINE_OPENINGS: &[&str] = &[
    "by ",
    "written by",
    "posted by",
    "published",
    "updated",
    "posted on",
    "last updated",
];

/// Whether a line (`t`, normalised `n`, of `words` words) opens as a byline or dateline, or is a
/// short date.
fn names_author_or_date(t: &str, n: &str, words: usize) -> bool {
    BYLINE_OPENINGS.iter().any(|p| n.starts_with(p)) || (words <= 8 && crate::date::from_text(t).is_some())
}

pub(super) fn is_tail_junk(t: &str) -> bool {
    let Some(n) = norm_short(t, 2000) else {
        return false;
    };
    let words = n.split(' ').count();
    if words > 30 {
        return false;
    }
    n.starts_with("tags")
        || n.starts_with("filed under")
        || n.starts_with("share")
        || n.starts_with("related")
        || n.starts_with("read more")
        || n.starts_with("read next")
        || n.starts_with("more from")
        || n.starts_with("copyright")
        || n.contains("all rights reserved")
        || n.starts_with("sign up")
        || n.starts_with("subscribe")
        || n.starts_with("follow us")
        || n.starts_with("about the author")
        || n.starts_with("posted in")
        || n.starts_with("categories")
        || n.starts_with("topics")
        || t.trim_start().starts_with('©')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_inside_a_link_or_paragraph_is_kept() {
        let html = br#"<html><head><title>T</title></head><body><article><h1>T</h1>
<p>We also expect high homebuying costs to <a href="https://example.org/x"><span style="font-weight: 400;">make families smaller</span></a><span>. The fertility rate has been declining for years, and it is expected to continue falling.</span></p>
<p>Examples of predictive methods include the<a href="/cpm"> <span class="s2">Critical Path Method</span></a> and <span><a href="/p2">PRINCE2</a></span>, both used widely, in many teams, for years.</p>
</article></body></html>"#;
        let a = crate::extract(html, &Default::default());
        assert!(
            a.text.contains("costs to make families smaller. The fertility"),
            "{}",
            a.text
        );
        assert!(
            a.text.contains("include the Critical Path Method and PRINCE2, both"),
            "{}",
            a.text
        );
    }

    #[test]
    fn affiliate_disclosures() {
        assert!(is_affiliate_disclosure(&norm(
            "Products are chosen independently. Purchases made through our links may earn us a commission."
        )));
        assert!(is_affiliate_disclosure(&norm(
            "If you buy through links on this page, we may earn a small commission."
        )));
        assert!(!is_affiliate_disclosure(&norm(
            "Streamers earn a commission when viewers buy games through their links."
        )));
    }

    #[test]
    fn calls_to_action_match_whole_words() {
        assert!(is_call_to_action(&norm("Sign up for our newsletter!")));
        assert!(!is_call_to_action(&norm("The designers signed upstream contracts")));
    }
}
