//! Root choice: the element that holds the article. First the container of the good text (real
//! paragraphs, few links), else Readability-style scoring; and the element a page marks as its
//! article.

use super::class_words::{class_flags, class_weight};
use super::{has_block_child, is_block, Analysis};
use crate::dom::{Dom, NONE};

/// Text straight inside a container (between its blocks) counts as paragraphs from this length.
const DIRECT_TEXT: u32 = 200;

/// Good-text container choice: the element maximising the text of its real paragraphs minus a
/// penalty for everything else it holds (link text weighs more). Returns NONE when no paragraph.
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
    for (i, &good_len) in good.iter().enumerate().take(n) {
        if a.removed[i] || good_len == 0 || dom.nodes[i].is_text() {
            continue;
        }
        let g = good_len as f32;
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
    for (i, slot) in score.iter_mut().enumerate().take(n) {
        if slot.is_nan() || a.removed[i] {
            continue;
        }
        let s = *slot * (1.0 - a.link_density(i as u32));
        *slot = s;
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

#[cfg(test)]
mod tests {
    use super::super::test_util::para;

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
}
