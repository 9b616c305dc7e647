//! Page bytes → article: clean main text, Markdown, sanitized HTML and metadata. No I/O.
//!
//! ```
//! use newsdesk_extract::{extract, Options};
//! let html = br#"<html><head><title>Hello</title></head><body><article>
//!   <h1>Hello</h1><p>First paragraph of the story, long enough to count as content here.</p>
//!   <p>Second paragraph, with more words, commas, and a full stop at its end.</p></article></body></html>"#;
//! let a = extract(html, &Options { url: Some("https://example.com/a"), ..Default::default() });
//! assert_eq!(a.title.as_deref(), Some("Hello"));
//! assert!(a.text.starts_with("First paragraph"));
//! ```
//!
//! Bounds: input beyond [`MAX_INPUT`] bytes is ignored; the tree keeps at most
//! [`dom::MAX_NODES`] nodes and [`dom::MAX_DEPTH`] levels; every walk is iterative. Work is linear
//! in the input size.

mod block;
pub mod content;
pub mod date;
pub mod decode;
pub mod dom;
pub mod meta;
pub mod render;
pub mod rules;
pub mod score;
pub mod title;

use serde::{Deserialize, Serialize};

/// Bytes beyond this size are not parsed (a page is cut there; the parser closes what is open).
pub const MAX_INPUT: usize = 8 * 1024 * 1024;

/// What is known about a page besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The page's URL (base for relative links; a hint for the canonical URL).
    pub url: Option<&'a str>,
    /// The HTTP Content-Type header (may carry the charset).
    pub content_type: Option<&'a str>,
    /// Optional per-site rules (CSS selectors to keep or drop).
    pub rules: Option<&'a rules::Rules>,
}

/// An extracted article. Empty `text` with a `reason` when the page holds no article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// ISO 8601, with offset when known.
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    /// Canonical URL of the article.
    pub url: Option<String>,
    /// Main content as plain text: headings on their own lines, paragraphs separated by a blank line.
    pub text: String,
    pub markdown: String,
    /// Sanitized HTML of the main content.
    pub html: String,
    /// Why `text` is empty, when it is.
    pub reason: Option<String>,
    /// Set when the page was not decoded in the charset it declares, and why (e.g. served as
    /// UTF-8 with Latin-1 bytes, so the detected encoding was used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_note: Option<String>,
}

/// Extract the article from a page.
pub fn extract(bytes: &[u8], opts: &Options) -> Article {
    let bytes = &bytes[..bytes.len().min(MAX_INPUT)];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Article {
            reason: Some("empty input".into()),
            ..Default::default()
        };
    }
    let decoded = decode::decode_page(bytes, opts.content_type);
    let mut article = extract_str(&decoded.text, opts);
    article.encoding_note = decoded.note;
    article
}

/// Extract from already-decoded HTML.
pub fn extract_str(html: &str, opts: &Options) -> Article {
    let dom = dom::Dom::parse(html);
    let meta = meta::extract(&dom, opts.url);
    let base = resolve_base(&dom, opts.url, meta.url.as_deref());
    let mut an = content::analyze(&dom);
    let mut keep_roots = Vec::new();
    if let Some(r) = opts.rules {
        let host = opts
            .url
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(|h| h.to_string()));
        keep_roots = r.apply(&dom, html, host.as_deref(), &mut an);
    }
    let title = title::pick_title(&meta);
    let roots = if !keep_roots.is_empty() {
        keep_roots
    } else {
        content::choose(&dom, &an)
    };
    let drop = content::junk_inside(&dom, &an, &roots);
    let mut blocks = render::render(&dom, &an, &drop, &roots, base.as_deref());
    content::trim_blocks(&mut blocks, title.as_deref());
    let mut text = render::to_text(&blocks);
    // A page that marks its article (`<article>`, `itemprop=articleBody`, `<main>`) but holds too little
    // there for the scoring to trust (one short paragraph): the marked element is the article.
    if text.is_empty() {
        if let Some(marked) = content::marked_article(&dom, &an) {
            let drop = content::junk_inside(&dom, &an, &[marked]);
            let mut marked_blocks = render::render(&dom, &an, &drop, &[marked], base.as_deref());
            content::trim_blocks(&mut marked_blocks, title.as_deref());
            let marked_text = render::to_text(&marked_blocks);
            if !marked_text.is_empty() {
                blocks = marked_blocks;
                text = marked_text;
            }
        }
    }
    // Fallback: JSON-LD articleBody when the tree gave (much) less.
    if let Some(body) = meta.article_body.as_deref() {
        let body = meta::html_unescape(body.trim());
        if body.len() > 400 && text.len() * 2 < body.len() && !body.contains("<p") {
            blocks = body
                .split('\n')
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(|l| render::Block {
                    kind: render::Kind::Para,
                    text: l.to_string(),
                    md: l.to_string(),
                    html: l.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"),
                    link_chars: 0,
                })
                .collect();
            text = render::to_text(&blocks);
        }
    }
    let markdown = render::to_markdown(&blocks);
    let out_html = render::to_html(&blocks);
    let reason = if text.is_empty() {
        Some(if dom.nodes.len() <= 4 {
            "no HTML content".to_string()
        } else {
            "no main content found".to_string()
        })
    } else {
        None
    };
    let abs = |u: Option<String>| -> Option<String> {
        let u = u?;
        match base.as_deref().and_then(|b| url::Url::parse(b).ok()) {
            Some(b) => b.join(u.trim()).ok().map(|x| x.to_string()),
            None => Some(u),
        }
    };
    let fix = |s: String| -> String {
        match decode::fix_mojibake(&s) {
            std::borrow::Cow::Borrowed(_) => s,
            std::borrow::Cow::Owned(o) => o,
        }
    };
    Article {
        title: title.map(fix),
        authors: meta.authors.into_iter().map(fix).collect(),
        published: meta.published,
        modified: meta.modified,
        language: meta.language.map(|l| l.trim().to_string()),
        site_name: meta.site_name,
        image: abs(meta.image),
        description: meta.description.map(fix),
        url: abs(meta.url).or_else(|| opts.url.map(|s| s.to_string())),
        text: fix(text),
        markdown: fix(markdown),
        html: fix(out_html),
        reason,
        encoding_note: None,
    }
}

fn resolve_base(dom: &dom::Dom, page: Option<&str>, canonical: Option<&str>) -> Option<String> {
    let page_url = page
        .and_then(|p| url::Url::parse(p).ok())
        .or_else(|| canonical.and_then(|c| url::Url::parse(c).ok()));
    let base_href = dom
        .nodes
        .iter()
        .find(|n| &*n.tag == "base")
        .and_then(|n| n.attr("href"));
    match (page_url, base_href) {
        (Some(p), Some(b)) => p.join(b).ok().map(|u| u.to_string()).or(Some(p.to_string())),
        (Some(p), None) => Some(p.to_string()),
        (None, Some(b)) => url::Url::parse(b).ok().map(|u| u.to_string()),
        (None, None) => None,
    }
}
