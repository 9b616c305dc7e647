//! Shared inputs for the integration tests: the seed item, and titles meant to break front matter and paths.
#![allow(dead_code)]

use chrono::DateTime;
use newsdesk_publish::{Post, Related};

pub const SEED_FEED_URL: &str =
    "https://news.google.com/rss/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB?hl=en-US&gl=US&ceid=US:en";

/// The description of the seed item as an XML parser yields it (copied from the seed feed).
pub const SEED_DESCRIPTION: &str = include_str!("../fixtures/seed_description.html");

/// The reference post (a copy of the seed's `004_4c2a00dec66eaaad.txt`).
pub const SEED_POST: &str = include_str!("../fixtures/seed_post_004.md");

/// The first item of the seed feed `google-news-world.rss`, as the application would map it.
pub fn seed_post() -> Post {
    let related = related_from(SEED_DESCRIPTION);
    // The item link is also the first link of its description.
    let link = related.first().map(|r| r.link.clone()).unwrap_or_default();
    let key = link
        .trim_start_matches("https://news.google.com/rss/articles/")
        .trim_end_matches("?oc=5")
        .to_string();
    let published = DateTime::parse_from_rfc2822("Wed, 07 Jan 2026 10:32:00 GMT").expect("the seed date parses");
    let mut post = Post::new(
        key,
        "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris - ABC News",
        published,
        link,
        SEED_FEED_URL,
    );
    post.headline = "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris".into();
    post.outlet = "ABC News".into();
    post.outlet_url = Some("https://abcnews.go.com".into());
    post.description_html = SEED_DESCRIPTION.to_string();
    post.related = related;
    post
}

/// A small reader of Google News related lists, enough for the fixture (the real one lives in the feeds crate).
pub fn related_from(html: &str) -> Vec<Related> {
    let mut out = Vec::new();
    for li in html.split("<li>").skip(1) {
        let link = between(li, "<a href=\"", "\"");
        let headline = between(li, "target=\"_blank\">", "</a>");
        let outlet = between(li, "<font color=\"#6f6f6f\">", "</font>");
        if let (Some(link), Some(headline), Some(outlet)) = (link, headline, outlet) {
            out.push(Related {
                headline: headline.into(),
                outlet: outlet.into(),
                link: link.into(),
            });
        }
    }
    out
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

/// Titles that break naive front matter, Markdown or file names.
pub const HOSTILE_TITLES: &[&str] = &[
    "Plain title",
    "He said \"no\" - and left",
    "It's 'quoted' twice''",
    "Key: value: another",
    "# not a comment",
    "Trailing hash #",
    "- starts like a list item",
    "--- looks like a document marker",
    "...",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "0x1F",
    "1e3",
    "2026-01-07",
    "@at and `backtick`",
    "&anchor *alias",
    "!tag value",
    "%directive",
    "{flow: map}",
    "[flow, seq]",
    "| literal",
    "> folded",
    "line one\nline two",
    "carriage\r\nreturn",
    "tab\tseparated",
    "back\\slash \\n not a newline",
    "control \u{1} \u{7} \u{1b}[31m red \u{7f} \u{85} c1",
    "nul \u{0} byte",
    "  leading and trailing spaces  ",
    "",
    " ",
    "emoji 🎉🔥👩‍👩‍👧 flags 🇺🇦",
    "مرحبا بالعالم: عاجل",
    "שלום עולם - חדשות",
    "mixed \u{202E}override\u{202C} marks",
    "line\u{2028}separator\u{2029}paragraph",
    "bom \u{FEFF} inside",
    "noncharacter \u{FFFE}\u{FFFF}",
    "日本語のニュース「速報」",
    "Ünïcödé Straße œuvre",
    "../../../etc/passwd",
    "/absolute/path",
    "..\\..\\windows",
    ".hidden file",
    "CON",
    "a very long title that goes on and on and on and on and on and on and on and on and on and on and on and on and on and on and on and ends",
    "{{< shortcode >}} and {{% other %}}",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1)) *bold* _em_",
    "&amp; &lt;entity&gt; &#39;",
];
