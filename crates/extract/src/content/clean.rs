//! Cleaning: the elements that are boilerplate by themselves (tag, role, visibility, class and id
//! words) and the cards of teaser lists, which [`analyze`](super::analyze) removes with their
//! subtrees.

use super::class_words::ClassFlags;
use crate::dom::{Dom, Node, NONE};

const ABOUT_PERSON_PTEXT: u32 = 1500;

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
pub(super) fn is_hidden(n: &Node) -> bool {
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
pub(super) fn self_bad(n: &Node, words: ClassFlags, tlen: u32, llen: u32, ptext: u32, major: bool) -> bool {
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

/// Cards of a teaser list: three or more sibling containers with the same tag and class, each
/// holding a heading and a link, each short. Lists of other articles look like this; the
/// paragraphs of an article do not.
pub(super) fn teaser_cards(dom: &Dom, tlen: &[u32], llen: &[u32], ptext: &[u32]) -> Vec<bool> {
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

#[cfg(test)]
mod tests {
    use super::super::test_util::para;

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
}
