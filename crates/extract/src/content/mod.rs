//! Main-content detection: clean, score (Readability family), pick, then mark junk inside.
//!
//! This file measures every node ([`Analysis`], built by [`analyze`]: text lengths, link text,
//! commas, paragraphs, and what the cleaning removed); the steps live in their own files:
//! `class_words` (what class and id words say), `clean` (boilerplate removed while analysing),
//! `root` (which element is the article), `junk` (junk nodes inside it and junk lines) and `trim`
//! (the rendered blocks cut at both ends).

mod class_words;
mod clean;
mod junk;
mod root;
mod trim;

pub use class_words::{class_flags, ClassFlags};
pub use junk::junk_inside;
pub use root::{choose, choose_by_good_text, marked_article};
pub use trim::trim_blocks;

use crate::dom::{Dom, NONE};
use clean::{is_hidden, self_bad, teaser_cards};

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

#[cfg(test)]
mod test_util {
    /// A paragraph of `n` copies of a sentence that opens with `word`.
    pub(super) fn para(n: usize, word: &str) -> String {
        format!(
            "<p>{}</p>",
            vec![format!("{word} sentence, with words and commas, ends here.")[..].to_string(); n].join(" ")
        )
    }
}
