//! Main-content detection: clean, score (Readability family), pick, then mark junk inside.

use crate::dom::{Dom, Node, NONE};

/// Per-node statistics and flags, indexed like `Dom::nodes`.
pub struct Analysis {
    /// Collapsed text length of the whole subtree (before removals).
    pub tlen: Vec<u32>,
    /// Same, counting only kept (not removed) nodes.
    pub ktlen: Vec<u32>,
    /// Kept text inside links.
    pub kllen: Vec<u32>,
    pub kcommas: Vec<u32>,
    /// Removed as boilerplate (with its subtree).
    pub removed: Vec<bool>,
    /// Number of kept "paragraph-like" blocks with real text below.
    pub kparas: Vec<u32>,
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
    "aside",
    "nav",
    "form",
    "address",
    "center",
    "hr",
    "tbody",
    "thead",
    "details",
    "summary",
    "body",
    "html",
];

pub fn is_block(tag: &str) -> bool {
    BLOCKS.contains(&tag)
}

fn collapsed_len(t: &str) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut prev_space = true;
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            if !prev_space {
                n += 1;
                prev_space = true;
            }
        } else {
            n += 1;
            prev_space = false;
            if c == ',' || c == '，' || c == '、' || c == '،' {
                commas += 1;
            }
        }
    }
    (n, commas)
}

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

const ABOUT_PERSON_PTEXT: u32 = 1500;

fn class_weight(f: ClassFlags) -> i32 {
    let mut w = 0;
    if f.strong {
        w -= 25;
    }
    if f.positive {
        w += 25;
    }
    w
}

/// A hidden `<div id="S:…">` of a streamed server render (React Suspense) holds content that a
/// script moves into the page: it is not hidden from the reader.
fn is_streamed_segment(n: &Node) -> bool {
    n.attr("id")
        .and_then(|id| id.strip_prefix("S:"))
        .map(|rest| !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or(false)
}

/// The closed panel of an accordion or a tab set (`role="region"`/`"tabpanel"`, or labelled by
/// the button that opens it): hidden until a click, but part of the text the reader gets.
fn is_collapsed_panel(n: &Node) -> bool {
    n.attr("aria-labelledby").is_some()
        || n.attr("role")
            .map(|r| r.eq_ignore_ascii_case("region") || r.eq_ignore_ascii_case("tabpanel"))
            .unwrap_or(false)
}

/// Hidden from the reader by an attribute or an inline style (streamed segments and closed
/// panels are not).
fn is_hidden(n: &Node) -> bool {
    if is_streamed_segment(n) || is_collapsed_panel(n) {
        return false;
    }
    n.attr("hidden").is_some()
        || n.attr("style")
            .map(|st| {
                let st = st.to_ascii_lowercase().replace(' ', "");
                st.contains("display:none") || st.contains("visibility:hidden")
            })
            .unwrap_or(false)
}

/// Decide whether an element is boilerplate by itself (tag, role, visibility, class/id).
fn self_bad(n: &Node, words: ClassFlags, tlen: u32, llen: u32, ptext: u32, major: bool) -> bool {
    let tag = &*n.tag;
    if matches!(tag, "head" | "title" | "meta" | "link" | "base") {
        return true;
    }
    if matches!(tag, "body" | "html" | "main" | "#root") {
        return false;
    }
    let ld = if tlen > 0 { llen as f32 / tlen as f32 } else { 0.0 };
    // Never remove a wrapper that holds most of the page's good paragraphs.
    if major {
        return false;
    }

    match tag {
        "nav" | "aside" | "footer" | "menu" => return true,
        "header" => return tlen < 600 || ld > 0.3,
        "form" => return ptext < 300,
        _ => {}
    }
    if is_hidden(n) {
        return true;
    }
    if n.attr("aria-hidden")
        .map(|v| v.eq_ignore_ascii_case("true"))
        .unwrap_or(false)
        && tlen < 500
    {
        return true;
    }
    if let Some(role) = n.attr("role") {
        if matches!(
            role.to_ascii_lowercase().as_str(),
            "navigation"
                | "complementary"
                | "banner"
                | "contentinfo"
                | "dialog"
                | "alertdialog"
                | "search"
                | "menu"
                | "menubar"
                | "toolbar"
        ) {
            return true;
        }
    }
    // the explanation a tooltip shows on hover ("Rankings: a site's position in the results"),
    // not a short label it keeps beside an icon
    let tooltip = words.tooltip
        || n.attr("role")
            .map(|r| r.eq_ignore_ascii_case("tooltip"))
            .unwrap_or(false);
    if tooltip && tlen >= 40 && !words.positive {
        return true;
    }
    if !words.any {
        return false;
    }
    let ClassFlags {
        positive,
        strong,
        weak,
        commentish,
        comment_word,
        ..
    } = words;
    if strong {
        if commentish {
            return !(positive && tlen > 2000 && !comment_word);
        }
        // a block of real paragraphs named after something else is content after all
        if ptext > 600 && ld < 0.15 && ptext * 2 > tlen {
            return false;
        }
        return true;
    }
    if weak && !positive {
        // a box about the author keeps its paragraphs only when it is most of a long text
        let enough = if words.about_person { ABOUT_PERSON_PTEXT } else { 200 };
        if ptext > enough && ld < 0.3 {
            return false;
        }
        return !matches!(tag, "article");
    }
    false
}

pub fn analyze(dom: &Dom) -> Analysis {
    let n = dom.nodes.len();
    let mut tlen = vec![0u32; n];
    let mut llen = vec![0u32; n];
    let mut commas = vec![0u32; n];
    let mut in_link = vec![false; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        let p = node.parent;
        if p != NONE {
            in_link[i] = in_link[p as usize];
        }
        if &*node.tag == "a" {
            in_link[i] = true;
        }
    }
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        if node.is_text() {
            let (l, c) = collapsed_len(&node.text);
            tlen[i] = l;
            commas[i] = c;
            if in_link[i] {
                llen[i] = l;
            }
        }
        let p = node.parent;
        if p != NONE {
            tlen[p as usize] = tlen[p as usize].saturating_add(tlen[i]);
            llen[p as usize] = llen[p as usize].saturating_add(llen[i]);
        }
    }
    let _body_tlen = tlen[dom.body as usize];
    // text of good paragraphs (long, few links) below each node
    let mut ptext = vec![0u32; n];
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        // A paragraph, or a text-holding div/section/cell without block children, whose text is long and
        // mostly not links.
        let long_prose = tlen[i] >= 60 && llen[i] * 10 < tlen[i] * 3;
        let paragraph = matches!(&*node.tag, "p" | "pre" | "blockquote");
        let text_block = ptext[i] == 0 && matches!(&*node.tag, "div" | "section" | "td" | "article");
        if long_prose && (paragraph || (text_block && !has_block_child(dom, i as u32))) {
            ptext[i] = tlen[i];
        }
        let p = node.parent;
        if p != NONE {
            ptext[p as usize] = ptext[p as usize].saturating_add(ptext[i]);
        }
    }
    let body_ptext = ptext[dom.body as usize];
    let card = teaser_cards(dom, &tlen, &llen, &ptext);
    let mut removed = vec![false; n];
    // inside <pre> or <code>: the classes are a highlighter's token kinds ("hljs-comment",
    // "token comment"), not page sections
    let mut in_code = vec![false; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        let p = node.parent;
        if p != NONE {
            removed[i] = removed[p as usize];
            in_code[i] = in_code[p as usize] || matches!(&*dom.nodes[p as usize].tag, "pre" | "code");
        }
        if node.is_text() {
            continue;
        }
        if in_code[i] {
            removed[i] = removed[i] || is_hidden(node);
            continue;
        }
        if !removed[i] {
            let words = class_flags(node);
            let major = body_ptext > 300 && ptext[i] * 2 > body_ptext && !matches!(&*node.tag, "head" | "title");
            // a hidden copy of the text (raw Markdown kept for scripts) is not the article when
            // a good share of the paragraphs is visible elsewhere
            let major = major && !(is_hidden(node) && ptext[i] * 4 < body_ptext * 3);
            if self_bad(node, words, tlen[i], llen[i], ptext[i], major) || (card[i] && !major) {
                removed[i] = true;
            }
        }
    }
    // head is never content
    if dom.head != NONE {
        let end = dom.subtree_end(dom.head);
        for k in dom.head..end {
            removed[k as usize] = true;
        }
    }
    let mut ktlen = vec![0u32; n];
    let mut kllen = vec![0u32; n];
    let mut kcommas = vec![0u32; n];
    let mut kparas = vec![0u32; n];
    for i in (0..n).rev() {
        if removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.is_text() {
            ktlen[i] = tlen[i];
            kcommas[i] = commas[i];
            if in_link[i] {
                kllen[i] = tlen[i];
            }
        } else if matches!(&*node.tag, "p" | "pre" | "blockquote" | "li" | "h2" | "h3" | "h4") && ktlen[i] >= 40 {
            kparas[i] += 1;
        }
        let p = node.parent;
        if p != NONE {
            let p = p as usize;
            ktlen[p] = ktlen[p].saturating_add(ktlen[i]);
            kllen[p] = kllen[p].saturating_add(kllen[i]);
            kcommas[p] = kcommas[p].saturating_add(kcommas[i]);
            kparas[p] = kparas[p].saturating_add(kparas[i]);
        }
    }
    Analysis {
        tlen,
        ktlen,
        kllen,
        kcommas,
        removed,
        kparas,
    }
}

/// Cards of a teaser list: three or more sibling containers with the same tag and class, each
/// holding a heading and a link, each short. Lists of other articles look like this; the
/// paragraphs of an article do not.
fn teaser_cards(dom: &Dom, tlen: &[u32], llen: &[u32], ptext: &[u32]) -> Vec<bool> {
    let body_ptext = ptext[dom.body as usize];
    let n = dom.nodes.len();
    // bit 1: a link with text below; bit 2: a heading below; bit 4: a linked heading below
    let mut has = vec![0u8; n];
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        match &*node.tag {
            "a" if llen[i] > 0 => {
                has[i] |= 1;
                if has[i] & 2 != 0 {
                    has[i] |= 4;
                }
            }
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                if has[i] & 1 != 0 {
                    has[i] |= 4;
                }
                has[i] |= 2;
            }
            _ => {}
        }
        let p = node.parent;
        if p != NONE {
            has[p as usize] |= has[i];
        }
    }
    let mut card = vec![false; n];
    let mut groups: Vec<(&str, &str, u32, u32)> = Vec::new();
    for (i, node) in dom.nodes.iter().enumerate() {
        // a list that holds most of the page's paragraphs is the article (a listicle)
        if node.children.len() < 3 || ptext[i] * 2 > body_ptext {
            continue;
        }
        groups.clear();
        for &c in &node.children {
            let cn = &dom.nodes[c as usize];
            if !matches!(&*cn.tag, "div" | "article" | "li" | "section") {
                continue;
            }
            let class = cn.attr("class").unwrap_or("");
            if class.is_empty() {
                continue;
            }
            let ok = has[c as usize] == 7 && tlen[c as usize] < 800;
            match groups.iter_mut().find(|g| g.0 == &*cn.tag && g.1 == class) {
                Some(g) => {
                    g.2 += 1;
                    g.3 += ok as u32;
                }
                None => groups.push((&*cn.tag, class, 1, ok as u32)),
            }
        }
        for &(tag, class, count, ok) in &groups {
            if count >= 3 && ok == count {
                for &c in &node.children {
                    let cn = &dom.nodes[c as usize];
                    if &*cn.tag == tag && cn.attr("class") == Some(class) {
                        card[c as usize] = true;
                    }
                }
            }
        }
    }
    card
}

impl Analysis {
    pub fn link_density(&self, i: u32) -> f32 {
        let t = self.ktlen[i as usize];
        if t == 0 {
            0.0
        } else {
            self.kllen[i as usize] as f32 / t as f32
        }
    }
}

fn has_block_child(dom: &Dom, i: u32) -> bool {
    dom.node(i).children.iter().any(|&c| {
        let t = &*dom.node(c).tag;
        !t.is_empty() && is_block(t)
    })
}

/// Good-text container choice: the element maximising the text of its real paragraphs minus a
/// penalty for everything else it holds (link text weighs more). Returns NONE when no paragraph.
/// Text straight inside a container (between its blocks) counts as paragraphs from this length.
const DIRECT_TEXT: u32 = 200;

pub fn choose_by_good_text(dom: &Dom, a: &Analysis) -> u32 {
    let n = dom.nodes.len();
    let mut good = vec![0u32; n];
    // weights of non-paragraph text and of link text
    // (measured with the narrowing below: flat for wj 0.1–0.2 and wl 0.5–0.8)
    let wj: f32 = 0.2;
    let wl: f32 = 0.8;
    for i in (0..n).rev() {
        if a.removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.is_text() {
            continue;
        }
        let para_like = match &*node.tag {
            "p" | "pre" | "blockquote" | "li" | "dd" | "td" => true,
            "div" | "section" | "span" | "font" | "center" | "article" => !has_block_child(dom, i as u32),
            _ => false,
        };
        if good[i] == 0 && para_like {
            if a.ktlen[i] >= 40 && a.link_density(i as u32) < 0.3 {
                good[i] = a.ktlen[i];
            }
        } else if !para_like && matches!(&*node.tag, "div" | "section" | "article" | "main" | "td") {
            // text written straight into a container between its blocks ("<b>1. Item</b><br>
            // Date: …<br>") is paragraphs without the tags
            let (mut t, mut l) = (0u32, 0u32);
            for &c in &node.children {
                let cu = c as usize;
                let cn = &dom.nodes[cu];
                if a.removed[cu] || good[cu] > 0 || (!cn.is_text() && is_block(&cn.tag)) {
                    continue;
                }
                t += a.ktlen[cu];
                l += a.kllen[cu];
            }
            if t >= DIRECT_TEXT && l * 10 < t * 3 {
                good[i] = good[i].saturating_add(t - l);
            }
        }
        let p = node.parent;
        if p != NONE {
            good[p as usize] = good[p as usize].saturating_add(good[i]);
        }
    }
    let mut best = NONE;
    let mut best_s = 0.0f32;
    for i in 0..n {
        if a.removed[i] || good[i] == 0 || dom.nodes[i].is_text() {
            continue;
        }
        let g = good[i] as f32;
        let other = (a.ktlen[i] as f32 - g).max(0.0);
        let links = (a.kllen[i] as f32).min(other);
        let s = g - wj * (other - links) - wl * links;
        if s > best_s {
            best_s = s;
            best = i as u32;
        }
    }
    // Narrow down to a child that holds nearly all of the good text: what the child leaves out
    // is good-looking text around the article (teasers, bios, promos).
    // (measured: the figures move little between 0.8 and 0.9, and for a lead share of 0–5 %)
    let x: f32 = 0.85;
    let lead: f32 = 0.02;
    while best != NONE {
        let g = good[best as usize] as f32;
        let kids = &dom.nodes[best as usize].children;
        let Some(k) = kids
            .iter()
            .position(|&c| !a.removed[c as usize] && good[c as usize] as f32 >= x * g)
        else {
            break;
        };
        // good text before the child is the article's lead: keep the wider container
        let before: u32 = kids[..k]
            .iter()
            .map(|&c| if a.removed[c as usize] { 0 } else { good[c as usize] })
            .sum();
        if before as f32 > lead * g {
            break;
        }
        best = kids[k];
    }
    best
}

/// Readability-style scoring. Returns the chosen content roots (the top candidate and its
/// related siblings), in document order.
pub fn choose(dom: &Dom, a: &Analysis) -> Vec<u32> {
    let b = choose_by_good_text(dom, a);
    if b != NONE {
        return vec![b];
    }
    let n = dom.nodes.len();
    let mut score = vec![f32::NAN; n];
    let init = |i: usize, score: &mut Vec<f32>| {
        if score[i].is_nan() {
            let node = &dom.nodes[i];
            let words = class_flags(node);
            let base = match &*node.tag {
                "div" | "article" | "main" | "section" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            };
            let tagb = match &*node.tag {
                "article" => 10.0,
                "main" => 5.0,
                _ => 0.0,
            };
            let ip = if node
                .attr("itemprop")
                .map(|v| v.contains("articleBody") || v.contains("text"))
                .unwrap_or(false)
            {
                30.0
            } else {
                0.0
            };
            score[i] = base + tagb + ip + class_weight(words) as f32;
        }
    };
    for i in 0..n {
        if a.removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.is_text() {
            continue;
        }
        let tag = &*node.tag;
        let is_para = match tag {
            "p" | "pre" | "td" | "blockquote" | "dd" => true,
            "div" | "section" | "span" | "font" | "center" => !has_block_child(dom, i as u32),
            _ => false,
        };
        if !is_para {
            continue;
        }
        // A paragraph nested in another paragraph-like element counts once.
        let tl = a.ktlen[i];
        if tl < 25 {
            continue;
        }
        let mut s = 1.0 + a.kcommas[i] as f32 + (tl as f32 / 100.0).min(3.0);
        // link-heavy paragraphs add little
        s *= 1.0 - a.link_density(i as u32);
        let mut anc = node.parent;
        let mut level = 0;
        while anc != NONE && level < 5 {
            let ai = anc as usize;
            if dom.nodes[ai].tag.as_ref() == "#root" {
                break;
            }
            init(ai, &mut score);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[ai] += s / div;
            anc = dom.nodes[ai].parent;
            level += 1;
        }
    }
    let mut best = NONE;
    let mut best_score = f32::MIN;
    for i in 0..n {
        if score[i].is_nan() || a.removed[i] {
            continue;
        }
        let s = score[i] * (1.0 - a.link_density(i as u32));
        score[i] = s;
        if s > best_score {
            best_score = s;
            best = i as u32;
        }
    }
    if best == NONE {
        return vec![];
    }
    // Climb while the parent holds clearly more good text (the content is split across siblings).
    let mut top = best;
    loop {
        let p = dom.node(top).parent;
        if p == NONE || a.removed[p as usize] || matches!(&*dom.node(p).tag, "body" | "html" | "#root") {
            break;
        }
        let pt = a.ktlen[p as usize] as f32 * (1.0 - a.link_density(p));
        let tt = a.ktlen[top as usize] as f32 * (1.0 - a.link_density(top));
        if dom.node(top).children.len() <= 1
            || (pt <= tt * 1.15 && a.link_density(p) < 0.4)
            || (a.kparas[p as usize] > a.kparas[top as usize] && pt < tt * 1.6 && a.link_density(p) < 0.3)
        {
            // parent adds nothing but wrapping (or a little more real text)
            if pt > tt * 1.6 {
                break;
            }
            top = p;
            continue;
        }
        break;
    }
    // Siblings of the top candidate that belong to the article.
    let p = dom.node(top).parent;
    if p == NONE {
        return vec![top];
    }
    let top_score = score[top as usize].max(score[best as usize]);
    let threshold = (top_score * 0.2).max(10.0);
    let mut out = Vec::new();
    for &c in &dom.node(p).children {
        if c == top {
            out.push(c);
            continue;
        }
        let ci = c as usize;
        if a.removed[ci] || dom.nodes[ci].is_text() {
            continue;
        }
        let sc = score[ci];
        let ld = a.link_density(c);
        let tl = a.ktlen[ci];
        let append = (!sc.is_nan() && sc >= threshold && ld < 0.35)
            || (&*dom.nodes[ci].tag == "p"
                && ((tl > 80 && ld < 0.25) || (tl > 0 && ld == 0.0 && tl < 80 && dom.text_of(c).ends_with('.'))));
        if append {
            out.push(c);
        }
    }
    out
}

/// Inside the chosen roots, mark blocks that are link lists, titles or other junk.
/// The element a page marks as its article, when it has one that the cleaning kept: an `articleBody`
/// property first, then `<article>`, then `<main>` or `role=main`.
pub fn marked_article(dom: &Dom, a: &Analysis) -> Option<u32> {
    let kept = |i: &usize| !a.removed[*i] && !dom.nodes[*i].is_text();
    let find = |pred: &dyn Fn(&crate::dom::Node) -> bool| {
        (0..dom.nodes.len())
            .filter(kept)
            .find(|&i| pred(&dom.nodes[i]))
            .map(|i| i as u32)
    };
    find(&|n| {
        n.attr("itemprop")
            .is_some_and(|v| v.split_whitespace().any(|p| p == "articleBody"))
    })
    .or_else(|| find(&|n| &*n.tag == "article"))
    .or_else(|| find(&|n| &*n.tag == "main" || n.attr("role") == Some("main")))
}

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
fn norm(s: &str) -> String {
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

fn is_junk_line(t: &str) -> bool {
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
fn is_meta_line(t: &str) -> bool {
    if t.len() > 120 {
        return false;
    }
    let n = norm(t);
    let words = n.split(' ').count();
    words <= 14 && (n.starts_with("photo ") || n.starts_with("image ") || names_author_or_date(t, &n, words))
}

/// A byline ("By Jane Doe", "Written by …") or a dateline ("Published March 9, 2026", "Friday,
/// November 14, 2025"): a short line that names the author or the date, nothing else.
fn is_byline_or_dateline(t: &str) -> bool {
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

fn is_tail_junk(t: &str) -> bool {
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

/// Titles of the sections that follow an article (author box, related links, tag lists): from
/// such a title on, in the second half of the text, the rest is not the article.
const AFTER_ARTICLE: &[&str] = &[
    "about the author",
    "related",
    "related posts",
    "related articles",
    "related stories",
    "recent posts",
    "latest posts",
    "latest news",
    "trending",
    "more from",
    "more stories",
    "more articles",
    "further reading",
    "read next",
    "share this",
    "tags",
    "you may also like",
    "you might also like",
    "popular posts",
    "most popular",
    "most read",
];

/// Titles that end the article only as the whole block: the list of sources under it, the
/// box that presents its testers.
const AFTER_ARTICLE_EXACT: &[&str] = &[
    "sources",
    "article sources",
    "citations",
    "works cited",
    "meet the testers",
];

/// A block that is only a contributor's role ("Contributing Writer", "Former Staff Writer"):
/// the head of the author box that closes a page.
fn is_role_line(n: &str) -> bool {
    let mut words: Vec<&str> = n.split(' ').collect();
    let Some(last) = words.pop() else {
        return false;
    };
    matches!(
        last,
        "writer" | "writers" | "editor" | "editors" | "contributor" | "reporter" | "columnist"
    ) && !words.is_empty()
        && words.iter().all(|w| {
            matches!(
                *w,
                "contributing" | "staff" | "senior" | "freelance" | "former" | "guest" | "associate"
            )
        })
}

/// Index of the first block that titles an after-article section, if it comes after half of
/// the words.
fn after_article_start(blocks: &[crate::render::Block]) -> Option<usize> {
    let words: Vec<usize> = blocks.iter().map(|b| b.text.split_whitespace().count()).collect();
    let total: usize = words.iter().sum();
    let mut acc = 0;
    for (k, b) in blocks.iter().enumerate() {
        acc += words[k];
        if words[k] == 0 || words[k] > 6 || acc * 2 <= total {
            continue;
        }
        let n = norm(&b.text);
        if AFTER_ARTICLE
            .iter()
            .any(|p| n == *p || (n.starts_with(p) && n.as_bytes().get(p.len()) == Some(&b' ')))
            || AFTER_ARTICLE_EXACT.contains(&n.as_str())
            || is_role_line(&n)
        {
            return Some(k);
        }
    }
    None
}

/// A block of some length met again further down is a repeated module (call to action, teaser,
/// summary box), not more of the article: the later copies go. Code is left alone.
fn drop_repeated_blocks(blocks: &mut Vec<crate::render::Block>) {
    use crate::render::Kind;
    let mut seen = std::collections::HashSet::new();
    let keep: Vec<bool> = blocks
        .iter()
        .map(|b| b.kind == Kind::Pre || b.text.len() < 40 || seen.insert(b.text.as_str()))
        .collect();
    let mut k = 0;
    blocks.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// Remove leading/trailing boilerplate blocks (bylines, dates, share bars, "read more") and the title.
pub fn trim_blocks(blocks: &mut Vec<crate::render::Block>, title: Option<&str>) {
    use crate::render::Kind;
    let nt = title.map(norm).unwrap_or_default();
    if let Some(k) = after_article_start(blocks) {
        blocks.truncate(k);
    }
    drop_repeated_blocks(blocks);
    let max_title = nt.len() * 4 + 64;
    blocks.retain(|b| {
        b.kind == Kind::Image
            || (!is_junk_line(&b.text) && (nt.is_empty() || b.text.len() > max_title || norm(&b.text) != nt))
    });
    // leading
    let mut start = 0;
    while start < blocks.len() && start < 8 {
        let b = &blocks[start];
        if b.kind == Kind::Image
            || (b.text.len() < 160
                && (is_meta_line(&b.text) || (b.link_chars * 2 > b.text.chars().count() && b.text.len() < 80)))
        {
            start += 1;
        } else {
            break;
        }
    }
    blocks.drain(..start);
    // a standfirst above the byline: one or two short paragraphs, then the byline or dateline
    // that opens the article proper (the summary repeats what the article says)
    // (the lead image and its caption may stand between them)
    let dek = blocks
        .iter()
        .take(6)
        .position(|b| matches!(b.kind, Kind::Para | Kind::Item(..)) && is_byline_or_dateline(&b.text))
        .filter(|&k| {
            let paras = blocks[..k].iter().filter(|b| b.kind == Kind::Para).count();
            (1..=2).contains(&paras)
                && blocks[..k].iter().all(|b| match b.kind {
                    Kind::Image | Kind::Caption => true,
                    Kind::Para => b.text.len() <= 400 && b.link_chars * 4 < b.text.chars().count(),
                    _ => false,
                })
        });
    if let Some(k) = dek {
        if blocks.len() > k + 2 {
            blocks.drain(..=k);
        }
    }
    // short leading lines before the first real paragraph (counters, tags, teasers)
    {
        let first_good = blocks
            .iter()
            .position(|b| b.text.chars().count() >= 80 && b.link_chars * 4 < b.text.chars().count());
        if let Some(fg) = first_good {
            let mut k = 0;
            blocks.retain(|b| {
                let keep = k >= fg
                    || matches!(b.kind, Kind::Heading(_) | Kind::Image | Kind::Item(..))
                    || b.text.chars().count() >= 50;
                k += 1;
                keep
            });
        }
    }
    {
        if let Some(lg) = blocks
            .iter()
            .rposition(|b| b.text.chars().count() >= 80 && b.link_chars * 4 < b.text.chars().count())
        {
            let mut k = 0;
            blocks.retain(|b| {
                let keep = k <= lg || matches!(b.kind, Kind::Item(..) | Kind::Row) || b.text.chars().count() >= 50;
                k += 1;
                keep
            });
        }
    }
    // trailing
    while let Some(b) = blocks.last() {
        if b.kind == Kind::Image
            || is_tail_junk(&b.text)
            || is_meta_line(&b.text)
            || (b.link_chars * 2 > b.text.chars().count() && b.text.len() < 200)
        {
            blocks.pop();
        } else {
            break;
        }
    }
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

    fn para(n: usize, word: &str) -> String {
        format!(
            "<p>{}</p>",
            vec![format!("{word} sentence, with words and commas, ends here.")[..].to_string(); n].join(" ")
        )
    }

    #[test]
    fn author_box_with_a_long_bio_is_dropped() {
        let html = format!(
            "<body><div class='post'><h1>T</h1>{}{}<div class='about-author'><h3>About</h3>{}</div></div></body>",
            para(6, "Story"),
            para(6, "More"),
            para(5, "Biography")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(
            a.text.contains("Story sentence") && a.text.contains("More sentence"),
            "{}",
            a.text
        );
        assert!(!a.text.contains("Biography"), "{}", a.text);
    }

    #[test]
    fn related_section_after_the_article_is_cut() {
        let html = format!(
            "<body><div class='post'>{}{}<h2>Related stories</h2>{}<h3>Read next</h3>{}</div></body>",
            para(6, "Story"),
            para(6, "More"),
            para(2, "Teaser"),
            para(2, "Other")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("More sentence"), "{}", a.text);
        assert!(!a.text.contains("Teaser") && !a.text.contains("Related"), "{}", a.text);
        // the same title early in the text is a section of the article
        let html = format!(
            "<body><div class='post'>{}<h2>Related stories</h2>{}{}</div></body>",
            para(1, "Intro"),
            para(6, "Story"),
            para(6, "More")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(
            a.text.contains("More sentence") && a.text.contains("Story sentence"),
            "{}",
            a.text
        );
    }

    #[test]
    fn repeated_modules_appear_once() {
        let cta = "<p>Start your project today: book a call with our team of experts.</p>";
        let html = format!(
            "<body><div class='post'>{}{cta}{}{cta}<ul><li>Yes</li><li>Yes</li></ul></div></body>",
            para(6, "Story"),
            para(6, "More")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert_eq!(a.text.matches("book a call").count(), 1, "{}", a.text);
        // short repeated lines (list items, table cells) stay
        assert_eq!(a.text.matches("Yes").count(), 2, "{}", a.text);
    }

    fn cards(n: usize, word: &str) -> String {
        (0..n)
            .map(|k| {
                format!(
                    "<div class='card item'><h3><a href='/s{k}'>{word} title {k}</a></h3><p>{word} summary of another story, with words, commas and more words.</p></div>"
                )
            })
            .collect()
    }

    #[test]
    fn teaser_cards_are_not_the_article() {
        let html = format!(
            "<body><main><div class='text'>{}{}</div><div class='list'>{}</div></main></body>",
            para(6, "Story"),
            para(6, "More"),
            cards(4, "Teaser")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("More sentence"), "{}", a.text);
        assert!(!a.text.contains("Teaser"), "{}", a.text);
        // a list of cards that is most of the page is the article itself
        let html = format!(
            "<body><main>{}<div class='list'>{}</div></main></body>",
            para(1, "Intro"),
            cards(8, "Pick")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("Pick summary"), "{}", a.text);
    }

    #[test]
    fn narrowed_to_the_container_of_nearly_all_good_text() {
        let bio = "<div class='person'><p>Jane Roe writes about cities, transport and housing, and has done so for twenty years.</p></div>";
        let html = format!(
            "<body><div class='wrap'><div class='story'>{}{}{}{}</div>{bio}</div></body>",
            para(6, "Story"),
            para(6, "More"),
            para(6, "Third"),
            para(6, "Fourth")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("Fourth sentence"), "{}", a.text);
        assert!(!a.text.contains("Jane Roe"), "{}", a.text);
        // a lead paragraph before the main container keeps the wider one
        let html = format!(
            "<body><div class='wrap'><div class='lead'><p>The lead paragraph says what happened, where, and to whom it happened.</p></div><div class='story'>{}{}{}{}</div></div></body>",
            para(6, "Story"),
            para(6, "More"),
            para(6, "Third"),
            para(6, "Fourth")
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("The lead paragraph"), "{}", a.text);
    }

    #[test]
    fn streamed_segments_are_content() {
        let html = format!(
            "<body><main><template id='B:0'></template><p>Loading…</p></main><div hidden id='S:0'><article>{}{}</article></div><div hidden><p>{}</p></div></body>",
            para(6, "Story"),
            para(6, "More"),
            "Hidden words that a reader never sees, long enough to count as a paragraph here."
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(
            a.text.contains("Story sentence") && a.text.contains("More sentence"),
            "{}",
            a.text
        );
        assert!(!a.text.contains("Hidden words"), "{}", a.text);
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
    fn text_between_blocks_counts_as_paragraphs() {
        let items: String = (1..=12)
            .map(|k| format!("<strong>{k}. Event number {k}</strong><br>Date: May {k}, 2026<br>Where: a large hall in the city centre, with talks and workshops.<br><br>"))
            .collect();
        let html = format!(
            "<body><article><p>An introduction that says what the list is about, with commas, and why.</p>{items}</article><aside><p>Other things.</p></aside></body>"
        );
        let a = crate::extract(html.as_bytes(), &Default::default());
        assert!(a.text.contains("An introduction"), "{}", a.text);
        assert!(a.text.contains("12. Event number 12"), "{}", a.text);
    }

    #[test]
    fn calls_to_action_match_whole_words() {
        assert!(is_call_to_action(&norm("Sign up for our newsletter!")));
        assert!(!is_call_to_action(&norm("The designers signed upstream contracts")));
    }
}
