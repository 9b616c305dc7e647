//! Trimming of the rendered blocks: the sections after the article (from their title on), repeated
//! modules, junk lines, the title, and boilerplate at the start and the end.

use super::junk::{is_byline_or_dateline, is_junk_line, is_meta_line, is_tail_junk, norm};

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
fn after_article_start(blocks: &[crate::block::Block]) -> Option<usize> {
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
fn drop_repeated_blocks(blocks: &mut Vec<crate::block::Block>) {
    use crate::block::Kind;
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
pub fn trim_blocks(blocks: &mut Vec<crate::block::Block>, title: Option<&str>) {
    use crate::block::Kind;
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
    use super::super::test_util::para;

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
}
