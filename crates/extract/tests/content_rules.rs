//! Container and junk rules of the content extraction, each on a small page written for it.
use newsdesk_extract::{extract, Options};

fn text(html: &str) -> String {
    extract(html.as_bytes(), &Options::default()).text
}

fn para(n: usize, word: &str) -> String {
    (0..n)
        .map(|k| format!("<p>{word} sentence number {k} carries the story forward, with enough words and a comma, to count as a paragraph.</p>"))
        .collect()
}

#[test]
fn closed_accordion_panels_are_part_of_the_article() {
    let html = format!(
        "<body><article>{}<div class='steps'>\
         <a role='button' aria-controls='s1' id='h1'>1. Read your bill</a>\
         <div id='s1' style='display:none' role='region' aria-labelledby='h1'>{}</div>\
         <a role='button' aria-controls='s2' id='h2'>2. Compare quotes</a>\
         <div id='s2' hidden aria-labelledby='h2'>{}</div>\
         </div></article><div style='display:none'><p>{}</p></div></body>",
        para(4, "Intro"),
        para(2, "Panel"),
        para(2, "Second"),
        "A hidden notice that a reader never sees, long enough to count as a paragraph here."
    );
    let t = text(&html);
    assert!(t.contains("Intro sentence"), "{t}");
    assert!(t.contains("Panel sentence number 1"), "{t}");
    assert!(t.contains("Second sentence number 1"), "{t}");
    assert!(!t.contains("hidden notice"), "{t}");
}

#[test]
fn author_box_headed_by_a_role_ends_the_article() {
    let html = format!(
        "<body><article>{}<div class='wrap'><p>Contributing Writer</p>\
         <p>Jane Roe is a freelance writer living in Ohio who covers health, gardening and travel for several magazines.</p></div></article></body>",
        para(6, "Story"),
    );
    let t = text(&html);
    assert!(t.contains("Story sentence number 5"), "{t}");
    assert!(!t.contains("Jane Roe"), "{t}");
}

#[test]
fn list_of_sources_ends_the_article() {
    let html = format!(
        "<body><article>{}<h3>Article Sources:</h3><ul>\
         <li>https://research.example/report-on-home-appliances-2023-market-size-and-share</li>\
         <li>https://industry.example/listing/1080341/appliance-plant-operations-and-history</li>\
         </ul></article></body>",
        para(6, "Story"),
    );
    let t = text(&html);
    assert!(t.contains("Story sentence number 5"), "{t}");
    assert!(!t.contains("research.example"), "{t}");
    // a sentence that starts with the word stays
    let html = format!(
        "<body><article>{}<p>Sources close to the board.</p>{}</article></body>",
        para(6, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("After sentence number 1"), "{t}");
}

#[test]
fn hidden_raw_copy_of_the_article_is_not_kept() {
    let raw: String = (0..6)
        .map(|k| format!("Story sentence number {k} carries the story forward, with [a link](https://x.example/{k}) and a comma, to count.\n\n"))
        .collect();
    let html = format!(
        "<body><article>{}</article><pre hidden aria-hidden='true' class='rawMarkdown'># Raw title\n\n{raw}</pre></body>",
        para(6, "Story"),
    );
    let t = text(&html);
    assert!(t.contains("Story sentence number 5"), "{t}");
    assert!(!t.contains("x.example"), "{t}");
    assert!(!t.contains("Raw title"), "{t}");
    // a page whose whole article is hidden until a script shows it keeps it
    let html = format!(
        "<body><div id='app' style='display:none'><article>{}</article></div></body>",
        para(6, "Story")
    );
    let t = text(&html);
    assert!(t.contains("Story sentence number 5"), "{t}");
}

#[test]
fn form_status_messages_are_not_text() {
    let html = format!(
        "<body><article>{}<form><input name='email'></form>\
         <div class='w-form-done'><div>Thank you! Your submission has been received!</div></div>\
         <div class='w-form-fail'><div>Oops! Something went wrong while submitting the form.</div></div>{}</article></body>",
        para(4, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("After sentence number 1"), "{t}");
    assert!(!t.contains("submission"), "{t}");
    assert!(!t.contains("Oops"), "{t}");
}

#[test]
fn highlighted_code_keeps_its_comment_tokens() {
    let html = format!(
        "<body><article>{}<pre><code class='language-bash hljs'><span class='hljs-comment'># start a repository</span>\n\
         git init\n<span class='token comment'># see what changed</span>\ngit status</code></pre>{}\
         <div class='comments'><p>A reader comment that is not part of the article at all, long enough to count.</p></div></article></body>",
        para(4, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("# start a repository"), "{t}");
    assert!(t.contains("# see what changed"), "{t}");
    assert!(t.contains("git status"), "{t}");
    assert!(!t.contains("reader comment"), "{t}");
}

#[test]
fn standfirst_above_the_byline_is_not_the_article() {
    let html = format!(
        "<body><article><h1>Gardens in winter</h1>\
         <p>Cold months are a chance to plan, prune and protect, and this guide shows how to do each well.</p>\
         <figure><img src='/a.jpg'><figcaption>Frost on a hedge.</figcaption></figure>\
         <p>By Jane Roe</p><p>Published March 9, 2026</p>{}</article></body>",
        para(6, "Story")
    );
    let t = text(&html);
    assert!(t.contains("Story sentence number 0"), "{t}");
    assert!(!t.contains("Cold months"), "{t}");
    assert!(!t.contains("Jane Roe"), "{t}");
    // an opening paragraph with no byline after it stays
    let html = format!(
        "<body><article><h1>Gardens in winter</h1>\
         <p>Cold months are a chance to plan, prune and protect, and this guide shows how to do each well.</p>{}</article></body>",
        para(6, "Story")
    );
    let t = text(&html);
    assert!(t.contains("Cold months"), "{t}");
}

#[test]
fn tooltip_explanations_are_not_text() {
    let html = format!(
        "<body><article>{}<p>Good pages climb the <dfn>rankings</dfn><span class='Term_tooltipBubble__x1'>\
         Rankings in search refers to a website's position in the results page for a query.</span> over months.</p>\
         <p>Each shop is marked <span class='icon-tooltip'>Made locally</span> on the map, which readers can filter by town.</p>\
         <div role='tooltip'>Press and hold any pin to see the opening hours of the shop and its phone number.</div>{}</article></body>",
        para(4, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("climb the rankings"), "{t}");
    assert!(!t.contains("position in the results"), "{t}");
    assert!(!t.contains("Press and hold"), "{t}");
    // a short label in a tooltip class stays
    assert!(t.contains("Made locally"), "{t}");
    assert!(t.contains("After sentence number 1"), "{t}");
}

#[test]
fn shop_buttons_placeholders_and_related_lines_are_not_text() {
    let html = format!(
        "<body><article>{}<p>Loading prices for your region…</p><p>Check Price at Amazon | $440 List</p>\
         <p>See price at Amazon</p><p>Related: Three tips for keeping kettles clean</p>{}\
         <p>We checked the price of every kettle at three shops before writing this list.</p></article></body>",
        para(4, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("After sentence number 1"), "{t}");
    assert!(t.contains("checked the price of every kettle"), "{t}");
    for gone in ["Loading prices", "Check Price", "See price", "Three tips"] {
        assert!(!t.contains(gone), "{gone}: {t}");
    }
}

#[test]
fn ages_counters_and_review_buttons_are_not_text() {
    let html = format!(
        "<body><article>{}<p>7 days ago</p><p>1109 likes</p><p>Read full review</p><p>Where to buy</p>{}\
         <p>3 days ago the council voted to keep the ferry running through the winter.</p></article></body>",
        para(4, "Story"),
        para(2, "After")
    );
    let t = text(&html);
    assert!(t.contains("After sentence number 1"), "{t}");
    assert!(t.contains("3 days ago the council"), "{t}");
    for gone in ["7 days ago", "1109 likes", "Read full review", "Where to buy"] {
        assert!(!t.contains(gone), "{gone}: {t}");
    }
}

#[test]
fn a_short_article_the_page_marks_is_kept() {
    let nav: String = (0..12)
        .map(|i| format!("<li><a href=\"/s{i}\">Section {i}</a></li>"))
        .collect();
    for (open, close) in [
        ("<article>", "</article>"),
        ("<div itemprop=\"articleBody\">", "</div>"),
        ("<main>", "</main>"),
    ] {
        let html = format!(
            "<html><head><title>Council approves budget</title></head><body><nav><ul>{nav}</ul></nav>\
             {open}<h1>Council approves budget</h1><p>The city council approved the budget on Tuesday.</p>{close}\
             <footer><p>Copyright News Co.</p></footer></body></html>"
        );
        let out = text(&html);
        assert!(
            out.contains("The city council approved the budget on Tuesday."),
            "{open}: {out:?}"
        );
        assert!(
            !out.contains("Section 3") && !out.contains("Copyright"),
            "{open}: {out:?}"
        );
        // Nothing but the marked element and one short line in it.
        let bare = format!("<html><body>{open}<p>The council met.</p>{close}</body></html>");
        assert_eq!(text(&bare), "The council met.", "{open}");
    }
}

#[test]
fn angle_brackets_in_text_stay_text_in_markdown() {
    let html = format!(
        "<html><body><article><p>Use the &lt;b&gt; element for bold text, the guide says. {}</p></article></body></html>",
        para(1, "guide")
    );
    let a = extract(html.as_bytes(), &Options::default());
    assert!(a.text.contains("Use the <b> element"), "{}", a.text);
    assert!(a.markdown.contains("Use the \\<b> element"), "{}", a.markdown);
}
