//! No input makes the extractor panic, hang or blow up: the cases named in the issue, plus
//! property tests over arbitrary bytes and generated HTML.
use newsdesk_extract::{extract, Options};
use proptest::prelude::*;
use std::time::{Duration, Instant};

fn run(bytes: &[u8]) -> newsdesk_extract::Article {
    extract(
        bytes,
        &Options {
            url: Some("https://example.com/a/b"),
            content_type: None,
            rules: None,
        },
    )
}

/// Generous bound for unoptimised test builds on a busy machine (release is far faster).
const SLOW: Duration = Duration::from_secs(60);

#[test]
fn empty_and_whitespace() {
    for input in [&b""[..], b"   \n\t", b"<", b"<html>", b"<!doctype html>", b"\0\0\0"] {
        let a = run(input);
        assert!(a.text.is_empty());
        assert!(a.reason.is_some(), "{input:?}");
    }
}

#[test]
fn binary_garbage() {
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let bytes: Vec<u8> = (0..2_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let t = Instant::now();
    let _ = run(&bytes);
    assert!(t.elapsed() < SLOW);
}

#[test]
fn deep_nesting_100k() {
    let mut html = String::from("<html><body>");
    for _ in 0..100_000 {
        html.push_str("<div>");
    }
    html.push_str(
        "<p>Deep inside the nesting there is a sentence, with commas, that is long enough to count as a paragraph.</p>",
    );
    let t = Instant::now();
    let a = run(html.as_bytes());
    assert!(t.elapsed() < SLOW);
    assert!(a.text.contains("Deep inside the nesting"), "{:?}", a.text);
    // other element kinds nest too
    let mut html = String::new();
    for tag in ["span", "b", "a href=x", "li", "table", "blockquote"] {
        for _ in 0..20_000 {
            html.push_str(&format!("<{tag}>"));
        }
        html.push_str("text ");
    }
    let _ = run(html.as_bytes());
}

#[test]
fn fifty_megabyte_page() {
    // numbered paragraphs: identical ones would be kept once, as repeated modules are
    let mut html = String::with_capacity(50 * 1024 * 1024 + 1000);
    html.push_str("<html><head><title>Big</title></head><body><article>");
    let mut k = 0u64;
    while html.len() < 50 * 1024 * 1024 {
        k += 1;
        html.push_str(&format!(
            "<p>Paragraph {k} repeats, with commas, to make a very large page that must still be handled quickly.</p>\n"
        ));
    }
    let t = Instant::now();
    let a = run(html.as_bytes());
    assert!(t.elapsed() < SLOW);
    assert!(a.text.len() > 1000);
    assert!(a.text.len() <= newsdesk_extract::MAX_INPUT);
}

#[test]
fn ten_megabyte_attribute() {
    let mut html = String::from("<html><body><article><div class=\"");
    html.push_str(&"x".repeat(10 * 1024 * 1024));
    html.push_str("\"><p>After the attribute comes a normal paragraph, with commas, long enough to be content.</p></div></article></body></html>");
    let t = Instant::now();
    let _ = run(html.as_bytes());
    assert!(t.elapsed() < SLOW);
    // the same attribute well inside the input limit
    let mut html = String::from("<html><body><article><p title=\"");
    html.push_str(&"y".repeat(3 * 1024 * 1024));
    html.push_str("\">A paragraph with a huge title attribute, with commas, and enough words to be content here.</p></article></body></html>");
    let a = run(html.as_bytes());
    assert!(a.text.contains("huge title attribute"), "{}", a.text);
}

#[test]
fn unclosed_everything() {
    let html = "<html><head><title>Unclosed<body><article><p>First paragraph, never closed, with commas and words enough to count<p>Second one <b>bold <i>italic <a href='/x'>link <table><tr><td>cell<ul><li>item<li>item two <script>var x = '<p>";
    let _ = run(html.as_bytes());
    let html = "<!--".repeat(10_000) + &"<![CDATA[".repeat(10_000) + &"<".repeat(100_000) + &"&#".repeat(100_000);
    let _ = run(html.as_bytes());
}

#[test]
fn many_formatting_elements() {
    // the adoption agency algorithm's worst cases
    let html = "<b><i><u><s><a href=x>".repeat(20_000) + "text" + &"</p>".repeat(10_000);
    let t = Instant::now();
    let _ = run(html.as_bytes());
    assert!(t.elapsed() < SLOW);
}

#[test]
fn broken_json_ld_and_meta() {
    let html = r#"<html><head>
      <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken", "author": [[[[[[[[[[{"name": 5}]]]]]]]]]], "datePublished": "not a date"</script>
      <script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]</script>
      <meta property="article:published_time" content="9999-99-99">
      <meta name="author" content="By , , and ; &">
      </head><body><p>Some text, with commas, long enough to be picked up as content by the extractor.</p></body></html>"#;
    let _ = run(html.as_bytes());
}

fn html_strategy() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "p",
        "div",
        "article",
        "main",
        "section",
        "span",
        "a",
        "b",
        "i",
        "em",
        "ul",
        "ol",
        "li",
        "table",
        "tr",
        "td",
        "h1",
        "h2",
        "h3",
        "script",
        "style",
        "nav",
        "aside",
        "footer",
        "header",
        "time",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "br",
        "img",
        "meta",
        "template",
        "svg",
        "form",
        "noscript",
    ]);
    let attr = prop::sample::select(vec![
        "",
        " class=\"content\"",
        " class=\"share social\"",
        " id=\"main\"",
        " hidden",
        " style=\"display:none\"",
        " itemprop=\"articleBody\"",
        " href=\"/x?y=1&z\"",
        " src=\"data:,\"",
        " datetime=\"2024-01-02\"",
        " role=\"navigation\"",
        " class=\"comment\"",
        " aria-hidden=\"true\"",
        " property=\"og:title\" content=\"T\"",
        " type=\"application/ld+json\"",
    ]);
    let piece = prop_oneof![
        (tag.clone(), attr).prop_map(|(t, a)| format!("<{t}{a}>")),
        tag.prop_map(|t| format!("</{t}>")),
        "[a-zA-Z ,.éü\u{4e00}-\u{4e10}]{0,80}",
        Just("{\"@type\":\"NewsArticle\",\"author\":{\"name\":\"By X\"}}".to_string()),
        Just("&amp;&#x27;&#0;&bogus;".to_string()),
        // tokenizer edge cases: unterminated comments, bogus markup, stray '<', raw-text
        // elements, unclosed quotes, entities without ';'
        prop::sample::select(vec![
            "<!--",
            "-->",
            "<!-->",
            "<!DOCTYPE html>",
            "<![CDATA[x]]>",
            "<?xml?>",
            "</>",
            "</ 3>",
            "<",
            "< p>",
            "<3",
            "<title>",
            "</title>",
            "<textarea>",
            "<select><option>",
            "<script>",
            "</script>",
            "<a href=\"",
            "<p class='",
            "&copy",
            "&#x110000;",
            "&#55296;",
            "&notin;&notit;",
            "<html lang=fr>",
            "<body class=b>",
            "<head>",
            "\r\n",
            "<pre>\n",
        ])
        .prop_map(|s| s.to_string()),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let a = run(&bytes);
        prop_assert!(a.text.is_empty() == a.reason.is_some());
    }

    #[test]
    fn generated_html_never_panics(html in html_strategy(), ct in prop::option::of(prop::sample::select(vec!["text/html; charset=utf-8", "text/html; charset=shift_jis", "text/html;charset=\"bogus\"", "application/octet-stream"]))) {
        let a = extract(html.as_bytes(), &Options { url: Some("https://example.com/x/"), content_type: ct, rules: None });
        prop_assert!(a.text.is_empty() == a.reason.is_some());
        // sanitized html never carries scripts or handlers from the source
        prop_assert!(!a.html.contains("<script") && !a.html.contains("onerror="));
    }

    /// The arena every later pass relies on: document order, contiguous subtrees, capped depth.
    #[test]
    fn parsed_tree_is_preorder(html in html_strategy()) {
        let d = newsdesk_extract::dom::Dom::parse(&html);
        prop_assert!(d.nodes.len() <= newsdesk_extract::dom::MAX_NODES);
        for (i, n) in d.nodes.iter().enumerate() {
            prop_assert!(n.parent == u32::MAX || (n.parent as usize) < i);
            prop_assert!((n.depth as usize) <= newsdesk_extract::dom::MAX_DEPTH + 1);
            let end = d.subtree_end(i as u32);
            for &c in &n.children {
                prop_assert!(c as usize > i && c < end);
                prop_assert!(d.node(c).parent as usize == i);
            }
        }
    }

    #[test]
    fn arbitrary_text_parses_into_a_preorder_tree(s in "\\PC{0,2000}") {
        let d = newsdesk_extract::dom::Dom::parse(&s);
        for (i, n) in d.nodes.iter().enumerate() {
            prop_assert!(n.parent == u32::MAX || (n.parent as usize) < i);
        }
    }
}

/// The page from the robustness issue: a byte index inside `徠` once panicked in the date parser.
#[test]
fn multibyte_character_inside_a_meta_date() {
    let page = "<meta property=publish content=\"2024-徠-8\">";
    let a = run(page.as_bytes());
    assert_eq!(a.published, None);
    assert!(a.reason.is_some());
}

/// Date-shaped strings with a multi-byte character put at every byte offset, and in place of
/// every character: each offset the parsers index by is, somewhere, inside that character.
#[test]
fn multibyte_characters_at_every_position_of_a_date() {
    use newsdesk_extract::date;
    let shapes = [
        "2024-09-08",
        "2024-09-08T10:00:00+02:00",
        "2024/09/08 10:00",
        "20240908",
        "1725782400",
        "08.09.2024",
        "09/08/2024 12:30:45",
        "8-sep-2024",
        "September 8, 2024",
        "https://example.com/2024/09/08/slug",
        "https://example.com/news/2024-09-08-slug",
    ];
    let wide = ["徠", "é", "€", "😀", "\u{301}"];
    for shape in shapes {
        for w in wide {
            let mut inputs = Vec::new();
            for (i, _) in shape.char_indices().chain([(shape.len(), ' ')]) {
                inputs.push(format!("{}{w}{}", &shape[..i], &shape[i..]));
                if let Some(c) = shape[i..].chars().next() {
                    inputs.push(format!("{}{w}{}", &shape[..i], &shape[i + c.len_utf8()..]));
                }
            }
            for s in inputs {
                let _ = date::normalize(&s);
                let _ = date::from_text(&s);
                let _ = date::from_url(&s);
                let _ = date::from_url(&format!("https://example.com/{s}/x"));
                let page = format!(
                    "<html><head><meta property=\"article:published_time\" content=\"{s}\"><meta name=publish content=\"{s}\"></head>\
                     <body><time datetime=\"{s}\">{s}</time><p>Published {s}</p></body></html>"
                );
                let _ = extract(
                    page.as_bytes(),
                    &Options {
                        url: Some(&format!("https://example.com/{s}")),
                        ..Default::default()
                    },
                );
            }
        }
    }
}

/// A date in one of the shapes the parsers read (fields in any order, any separator, an optional
/// time, inside a URL or a sentence), then multi-byte characters put in at random places, or in
/// place of the character there: wide characters land where the parsers expect digits.
fn date_with_wide_characters() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(vec!["-", "/", ".", "", " ", "-sep-", ":"]);
    let tail = prop::sample::select(vec![
        "",
        "T10:00:00+02:00",
        "T10:00Z",
        " 10:00:00",
        "T10:00:00.000+0000",
        ":30",
    ]);
    let frame = prop::sample::select(vec![
        "{}",
        "https://example.com/{}/slug",
        "https://example.com/a/{}",
        "Posted on {} at noon",
        "{}th",
    ]);
    let wide = prop::sample::select(vec!["徠", "é", "ß", "€", "😀", "\u{301}", "\u{a0}"]);
    (
        (1985u32..2105, 0u32..14, 0u32..33, sep, tail, prop::bool::ANY),
        frame,
        prop::collection::vec((any::<prop::sample::Index>(), wide, prop::bool::ANY), 1..4),
    )
        .prop_map(|((y, m, d, sep, tail, day_first), frame, edits)| {
            let date = if day_first {
                format!("{d:02}{sep}{m:02}{sep}{y}{tail}")
            } else {
                format!("{y}{sep}{m:02}{sep}{d:02}{tail}")
            };
            let mut chars: Vec<String> = frame.replace("{}", &date).chars().map(String::from).collect();
            for (at, w, replace) in edits {
                let i = at.index(chars.len() + 1);
                if replace && i < chars.len() {
                    chars[i] = w.to_string();
                } else {
                    chars.insert(i, w.to_string());
                }
            }
            chars.concat()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Digits, date separators and multi-byte characters in any mix: no parser may panic.
    #[test]
    fn date_parsers_take_any_mix_of_digits_and_wide_characters(s in date_with_wide_characters()) {
        use newsdesk_extract::date;
        let _ = date::normalize(&s);
        let _ = date::from_text(&s);
        let _ = date::from_url(&s);
        let _ = date::from_url(&format!("https://example.com/{s}"));
        let page = format!("<meta property=publish content=\"{s}\"><p datetime=\"{s}\">Posted {s}</p>");
        let a = extract(page.as_bytes(), &Options { url: Some("https://example.com/a/b"), ..Default::default() });
        prop_assert!(a.text.is_empty() == a.reason.is_some());
    }
}

/// Runs `f` on a thread with the 2 MiB stack of tokio's workers, where the pipeline extracts
/// pages: a stack overflow there aborts the whole process.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawning the test thread")
        .join()
        .expect("extraction on a 2 MiB stack")
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    let mut html = String::with_capacity((open.len() + close.len()) * depth + inner.len() + 64);
    html.push_str("<html><head><title>Deep</title></head><body>");
    for _ in 0..depth {
        html.push_str(open);
    }
    html.push_str(inner);
    for _ in 0..depth {
        html.push_str(close);
    }
    html.push_str("</body></html>");
    html
}

const DEEP_PARA: &str =
    "<p>Deep inside the nesting there is a sentence, with commas, that is long enough to count as a paragraph.</p>";

#[test]
fn two_hundred_thousand_nested_divs_on_a_small_stack() {
    let a = on_small_stack(|| {
        let html = nested("<div>", "</div>", 200_000, DEEP_PARA);
        let t = Instant::now();
        let a = run(html.as_bytes());
        assert!(t.elapsed() < SLOW);
        a
    });
    assert!(a.text.contains("Deep inside the nesting"), "{:?}", a.text);
    // the tree itself, parsed, walked and dropped on the small stack
    on_small_stack(|| {
        let html = nested("<div class=a>", "</div>", 200_000, DEEP_PARA);
        let d = newsdesk_extract::dom::Dom::parse(&html);
        assert!(d
            .nodes
            .iter()
            .all(|n| (n.depth as usize) <= newsdesk_extract::dom::MAX_DEPTH + 1));
        assert!(d.text_of(d.body).contains("Deep inside"));
        drop(d);
    });
}

#[test]
fn deep_nesting_of_every_kind_on_a_small_stack() {
    on_small_stack(|| {
        let rules = newsdesk_extract::rules::Rules::parse("* drop .promo\n* keep div.story p\n").expect("rules");
        // past the depth cap the content is flattened into the deepest kept element: the
        // paragraph must still be found, whatever elements pile up above it
        for (open, close) in [
            ("<span>", "</span>"),
            ("<b><i>", "</i></b>"),
            ("<em>", ""),
            ("<small>", "</small>"),
            ("<font>", ""),
            ("<ul><li>", "</li></ul>"),
            ("<table><tr><td>", "</td></tr></table>"),
            ("<table><tbody><tr><td>", ""),
            ("<blockquote>", "</blockquote>"),
            ("<section><article>", "</article></section>"),
            ("<div class=story>", ""),
            ("<p>", ""),
            ("<h2>", ""),
            ("<pre>", "</pre>"),
            ("<figure><figcaption>", ""),
        ] {
            let html = nested(open, close, 200_000, DEEP_PARA);
            let t = Instant::now();
            let a = run(html.as_bytes());
            assert!(t.elapsed() < SLOW, "{open}");
            assert!(a.text.contains("Deep inside the nesting"), "{open}: {:?}", a.text);
            assert!(!a.text.contains('|'), "{open}: {:?}", a.text);
            let a = extract(
                html.as_bytes(),
                &Options {
                    url: Some("https://example.com/a"),
                    content_type: None,
                    rules: Some(&rules),
                },
            );
            assert!(
                a.text.contains("Deep inside the nesting"),
                "{open} with rules: {:?}",
                a.text
            );
        }
        // all-link text is boilerplate, and a list that reopens at every level meets the node cap
        // first: no text expected, but no crash either
        for (open, close) in [("<a href=/x>", "</a>"), ("<dl><dd>", "")] {
            let _ = run(nested(open, close, 200_000, DEEP_PARA).as_bytes());
        }
        // JSON-LD nested far beyond any real graph
        let ld = "[".repeat(100_000) + &"]".repeat(100_000);
        let obj = "{\"author\":".repeat(50_000) + "\"x\"" + &"}".repeat(50_000);
        let html = format!(
            "<script type=application/ld+json>{ld}</script><script type=application/ld+json>{obj}</script>{DEEP_PARA}"
        );
        let _ = run(html.as_bytes());
    });
}

#[test]
fn page_at_the_input_limit_on_a_small_stack() {
    on_small_stack(|| {
        // never closed: every element stays open to the end of the input
        let unit = "<div><section><p>Words, with commas, in a paragraph that never closes its elements ";
        let mut html = String::with_capacity(newsdesk_extract::MAX_INPUT + unit.len());
        while html.len() < newsdesk_extract::MAX_INPUT + 1024 {
            html.push_str(unit);
        }
        let t = Instant::now();
        let a = run(html.as_bytes());
        assert!(t.elapsed() < SLOW);
        assert!(!a.text.is_empty());
    });
}
