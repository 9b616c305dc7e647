//! Each metadata source, from fixtures written for these tests.
use newsdesk_extract::{extract, Options};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn run(name: &str, url: Option<&str>) -> newsdesk_extract::Article {
    extract(
        &fixture(name),
        &Options {
            url,
            ..Default::default()
        },
    )
}

#[test]
fn json_ld_graph_wins_and_content_is_clean() {
    let a = run(
        "jsonld_graph.html",
        Some("https://herald.example/news/harbour-plan?utm=x"),
    );
    assert_eq!(a.title.as_deref(), Some("Council approves new harbour plan"));
    assert_eq!(a.authors, vec!["Jane Doe", "Omar Haddad"]);
    assert_eq!(a.published.as_deref(), Some("2025-03-04T09:15:00+01:00"));
    assert_eq!(a.modified.as_deref(), Some("2025-03-05T10:00:00+01:00"));
    assert_eq!(a.language.as_deref(), Some("en-GB"));
    assert_eq!(a.site_name.as_deref(), Some("The Coastal Herald"));
    assert_eq!(a.image.as_deref(), Some("https://herald.example/img/harbour.jpg"));
    assert_eq!(a.description.as_deref(), Some("The plan adds two berths."));
    assert_eq!(a.url.as_deref(), Some("https://herald.example/news/harbour-plan"));
    assert!(a.text.starts_with("The town council voted"), "{}", a.text);
    assert!(a.text.contains("\n\nWhat happens next\n\n"), "{}", a.text);
    assert!(
        a.text
            .contains("Two new berths for ferries and visiting boats\nA raised sea wall"),
        "{}",
        a.text
    );
    for junk in [
        "Home",
        "Share on Facebook",
        "Related stories",
        "cookies",
        "All rights reserved",
        "By Jane Doe",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} in {}", a.text);
    }
    assert!(a.markdown.contains("## What happens next"), "{}", a.markdown);
    assert!(a.markdown.contains("- Two new berths"), "{}", a.markdown);
    assert!(
        a.html.contains("<h2>What happens next</h2>") && a.html.contains("<ul>") && !a.html.contains("<script"),
        "{}",
        a.html
    );
    assert!(a.reason.is_none());
}

#[test]
fn opengraph_meta() {
    let a = run("opengraph.html", Some("https://alpine.example/storm-pass?ref=rss"));
    assert_eq!(a.title.as_deref(), Some("Storm closes mountain pass"));
    assert_eq!(a.authors, vec!["Marta Rossi"]);
    assert_eq!(a.published.as_deref(), Some("2024-12-01T06:30:00+00:00"));
    assert_eq!(a.modified.as_deref(), Some("2024-12-01T08:00:00+00:00"));
    assert_eq!(a.site_name.as_deref(), Some("Alpine Daily"));
    assert_eq!(a.image.as_deref(), Some("https://alpine.example/images/pass.jpg"));
    assert_eq!(a.language.as_deref(), Some("it-IT"));
    assert_eq!(a.url.as_deref(), Some("https://alpine.example/storm-pass"));
    assert!(a.text.contains("Heavy snow and winds"));
}

#[test]
fn dublin_core_meta() {
    let a = run("dublincore.html", None);
    assert_eq!(a.title.as_deref(), Some("Library opens late on Thursdays"));
    assert_eq!(a.authors, vec!["Ana Lima"]);
    assert_eq!(a.published.as_deref(), Some("2023-09-14"));
    assert_eq!(a.language.as_deref(), Some("pt"));
}

#[test]
fn microdata() {
    let a = run("microdata.html", None);
    assert_eq!(a.title.as_deref(), Some("Market day returns to the square"));
    assert_eq!(a.authors, vec!["Kwame Mensah"]);
    assert_eq!(a.published.as_deref(), Some("2022-05-20T07:00:00+00:00"));
    assert!(a.text.starts_with("After two years away"), "{}", a.text);
    assert!(!a.text.contains("Kwame"), "{}", a.text);
}

#[test]
fn time_element_and_visible_byline() {
    let a = run("time_byline.html", Some("https://riverside.example/bridge"));
    assert_eq!(a.title.as_deref(), Some("Bridge repairs finished early"));
    assert_eq!(a.authors, vec!["Li Wei"]);
    assert_eq!(a.published.as_deref(), Some("2021-11-02T14:00:00-05:00"));
    assert!(a.text.starts_with("Repairs to the old iron bridge"), "{}", a.text);
    assert!(
        !a.text.contains("comments") && !a.text.contains("Great news"),
        "{}",
        a.text
    );
}

#[test]
fn page_without_article_has_reason() {
    let a = run("no_article.html", None);
    assert!(a.text.is_empty(), "{}", a.text);
    assert!(a.reason.is_some());
}

#[test]
fn links_and_images_are_absolute() {
    let html = br#"<html><body><article>
      <p>The report, <a href="/docs/report.pdf">published today</a>, runs to two hundred pages and covers every district of the city in detail.</p>
      <img src="img/chart.png" alt="A chart">
      <p>It <em>also</em> says that <strong>most</strong> districts improved, which surprised the authors of the previous edition a great deal.</p>
    </article></body></html>"#;
    let a = extract(
        html,
        &Options {
            url: Some("https://news.example/2024/05/report/"),
            ..Default::default()
        },
    );
    assert!(
        a.markdown
            .contains("[published today](https://news.example/docs/report.pdf)"),
        "{}",
        a.markdown
    );
    assert!(
        a.markdown
            .contains("![A chart](https://news.example/2024/05/report/img/chart.png)"),
        "{}",
        a.markdown
    );
    assert!(
        a.markdown.contains("*also*") && a.markdown.contains("**most**"),
        "{}",
        a.markdown
    );
    assert!(
        a.html
            .contains(r#"<a href="https://news.example/docs/report.pdf">published today</a>"#),
        "{}",
        a.html
    );
    assert_eq!(a.published.as_deref(), None.or(a.published.as_deref()));
}

#[test]
fn logo_h1_is_not_the_headline() {
    let a = run("title_logo_h1.html", Some("https://harbournotes.example/2025/ferry"));
    assert_eq!(a.title.as_deref(), Some("Tuning the night ferry timetable"));
}

#[test]
fn site_suffix_named_after_the_host_is_cut() {
    let a = run(
        "title_host_suffix.html",
        Some("https://www.millbrook-gazette.com/library"),
    );
    assert_eq!(a.title.as_deref(), Some("GRAND REOPENING"));
}

#[test]
fn dateline_inside_h1_is_not_part_of_the_title() {
    let a = run("title_dated_h1.html", Some("https://notes.example/archive-move"));
    assert_eq!(a.title.as_deref(), Some("Moving the archive to new servers"));
}

#[test]
fn dateline_under_the_headline_beats_metadata() {
    let a = run("dateline_shown.html", Some("https://coast.example/news/road"));
    assert_eq!(a.published.as_deref().map(|d| &d[..10]), Some("2024-06-10"));
}

#[test]
fn update_dateline_leaves_the_publication_date() {
    let a = run("dateline_updated.html", Some("https://garage.example/tyres"));
    assert_eq!(a.published.as_deref().map(|d| &d[..10]), Some("2021-10-05"));
}

#[test]
fn labelled_date_anywhere_when_nothing_else() {
    let a = run("dateline_far.html", Some("https://garden.example/notes"));
    assert_eq!(a.published.as_deref(), Some("2023-04-13"));
}

#[test]
fn dateline_one_day_off_keeps_the_metadata_moment() {
    use newsdesk_extract::meta::dateline::reconcile;
    assert_eq!(
        reconcile("2021-12-09", Some("2021-12-10T02:17:00+00:00"), None),
        "2021-12-10T02:17:00+00:00"
    );
    assert_eq!(
        reconcile("2024-10-09", Some("2024-09-10T00:00:00+00:00"), None),
        "2024-09-10T00:00:00+00:00"
    );
    assert_eq!(
        reconcile("2024-06-10", Some("2019-03-01T08:00:00+00:00"), None),
        "2024-06-10"
    );
    // no time zone puts 22:02 UTC on the 19th on the 18th: the dateline stands
    assert_eq!(
        reconcile("2025-12-18", Some("2025-12-19T22:02:58+00:00"), None),
        "2025-12-18"
    );
}

#[test]
fn site_named_author_gives_way_to_the_visible_byline() {
    let a = run("byline_site_author.html", Some("https://greenacre.example/waste"));
    // the reviewer and the menu's "team" links are not the author
    assert_eq!(a.authors, vec!["Lena Brandt"]);
}

#[test]
fn author_job_title_and_menu_links_are_not_names() {
    let a = run("byline_job_title.html", Some("https://ferry.example/timetable"));
    assert_eq!(a.authors, vec!["Marta Novak"]);
}

#[test]
fn split_names_drops_lead_ins_and_interface_words() {
    use newsdesk_extract::meta::{looks_like_name, split_names};
    assert_eq!(
        split_names("This post was written by Dana Lee, Head of Marketing"),
        vec!["Dana Lee"]
    );
    for junk in ["Member Login", "Meet The Team", "Written By", "Sat", "Full Bio"] {
        assert!(!looks_like_name(junk), "{junk}");
    }
    assert!(looks_like_name("Dana Lee"));
}

#[test]
fn json_ld_person_preferred_over_the_site_as_author() {
    let a = run("byline_author_box.html", Some("https://tidewatch.example/tables"));
    assert_eq!(a.authors, vec!["Ruth Adeyemi"]);
}

#[test]
fn author_box_label_then_name() {
    let a = run("byline_label_box.html", Some("https://knots.example/five"));
    assert_eq!(a.authors, vec!["Tomas Lindqvist"]);
}

#[test]
fn split_names_on_middle_dots() {
    use newsdesk_extract::meta::split_names;
    assert_eq!(split_names("Dec. 19, 2025 · Ana Silva"), vec!["Ana Silva"]);
}

#[test]
fn dateline_read_under_an_h2_headline_when_the_h1_is_a_logo() {
    let a = run("headline_h2.html", Some("https://kitchengarden.example/herbs"));
    assert_eq!(a.title.as_deref(), Some("Drying herbs at home"));
    assert_eq!(a.published.as_deref(), Some("2024-03-03"));
}

#[test]
fn labelled_publication_date_on_the_page_beats_metadata() {
    let a = run("dateline_labelled_late.html", Some("https://shops.example/tools"));
    assert_eq!(a.published.as_deref(), Some("2025-08-13"));
}

#[test]
fn originally_published_note_beats_the_dateline() {
    let a = run("dateline_originally.html", Some("https://homes.example/tiny"));
    assert_eq!(a.published.as_deref(), Some("2019-09-26"));
}

#[test]
fn dateline_in_the_title_bar_just_above_the_headline() {
    let a = run("dateline_title_bar.html", Some("https://health.example/lunch"));
    assert_eq!(a.published.as_deref().map(|d| &d[..10]), Some("2024-03-01"));
}

#[test]
fn json_ld_carried_in_a_meta_element() {
    let a = run("jsonld_in_meta.html", Some("https://cars.example/explained"));
    assert_eq!(a.published.as_deref(), Some("2025-11-17T09:00:00-05:00"));
    assert_eq!(a.authors, vec!["Maya Holt"]);
}

#[test]
fn section_suffix_inside_the_h1_is_cut() {
    let a = run("title_h1_section.html", Some("https://paper.example/night-buses"));
    assert_eq!(a.title.as_deref(), Some("Why towns need night buses"));
}

#[test]
fn comment_dates_do_not_override_metadata() {
    let a = run("dateline_comment_posted.html", Some("https://bikes.example/puncture"));
    assert_eq!(a.published.as_deref().map(|d| &d[..10]), Some("2022-05-02"));
}

#[test]
fn site_name_beside_people_is_not_an_author() {
    let a = run("byline_with_site.html", Some("https://harbourherald.example/wall"));
    assert_eq!(a.authors, vec!["Jane Doe"]);
}

#[test]
fn headline_with_case_changing_letters_does_not_panic() {
    // 'İ' grows when lower-cased: offsets into the lower-cased text are not offsets into the original
    let html = "<html><head><title>İstanbul İzmir ferry timetable | Coast</title>\
        <meta property=\"og:title\" content=\"İstanbul İzmir ferry timetable\"></head><body><article>\
        <h1>İİİ İstanbul İzmir ferry timetable İİ 12</h1><p>The ferry between the two cities now runs twice a day, \
        with a late boat on Fridays.</p></article></body></html>";
    let a = newsdesk_extract::extract(html.as_bytes(), &Options::default());
    assert!(a.title.is_some());
}

#[test]
fn by_colon_byline() {
    let a = run("byline_colon.html", Some("https://lab.example/engine"));
    assert_eq!(a.authors, vec!["Mei Tanaka"]);
    assert_eq!(a.published.as_deref(), Some("2025-12-17"));
}

#[test]
fn name_printed_beside_the_dateline_is_the_author() {
    let body = "<p>The ferry between the two cities now runs twice a day, with a late boat on Fridays and \
        a slower one on Sundays, the operator said on Monday.</p>"
        .repeat(3);
    let html = format!(
        "<html><head><title>Ferry timetable changes</title></head><body><article>\
         <h1>Ferry timetable changes</h1><div class='details'><p>Luke Kim</p><small>December 17, 2025</small></div>\
         {body}</article></body></html>"
    );
    let a = extract(html.as_bytes(), &Options::default());
    assert_eq!(a.authors, vec!["Luke Kim"]);
    // a section link or a job title beside the date is not a name
    for beside in [
        "<a href='/category/travel-news'>Coastal Travel</a>",
        "<span>Marketing Director</span>",
    ] {
        let html = format!(
            "<html><head><title>Ferry timetable changes</title></head><body><article>\
             <h1>Ferry timetable changes</h1><div class='details'>{beside} · <small>December 17, 2025</small></div>\
             {body}</article></body></html>"
        );
        let a = extract(html.as_bytes(), &Options::default());
        assert!(a.authors.is_empty(), "{beside}: {:?}", a.authors);
    }
}

#[test]
fn contributors_label_and_name_before_its_section() {
    let body = "<p>The ferry between the two cities now runs twice a day, with a late boat on Fridays and \
        a slower one on Sundays, the operator said on Monday.</p>"
        .repeat(3);
    let html = format!(
        "<html><head><title>Ferry timetable changes</title></head><body><article>\
         <h1>Ferry timetable changes</h1><div class='tags'><strong>Contributors:</strong> Ana Ruiz</div>\
         {body}</article></body></html>"
    );
    let a = extract(html.as_bytes(), &Options::default());
    assert_eq!(a.authors, vec!["Ana Ruiz"]);
    let html = format!(
        "<html><head><title>Ferry timetable changes</title></head><body><article>\
         <h1>Ferry timetable changes</h1><p>Dec 26, 2025 <span>&bull;</span> <img src='/a.png'> Mahua Das in <a href='/blog/travel'>Travel</a></p>\
         {body}</article></body></html>"
    );
    let a = extract(html.as_bytes(), &Options::default());
    assert_eq!(a.authors, vec!["Mahua Das"]);
}

#[test]
fn section_between_headline_and_site_name_is_cut() {
    let html = "<html><head><title>How to help toddlers sleep through the night | Patient Education | Riverside Hospital</title>\
        <meta property=\"og:site_name\" content=\"Riverside Hospital\"></head><body><article>\
        <h1>How to help toddlers sleep through the night | Patient Education | Riverside Hospital</h1>\
        <p>A steady bedtime routine, a dark room and a calm voice help most toddlers settle down and sleep \
        through the night within a few weeks.</p></article></body></html>";
    let a = extract(html.as_bytes(), &Options::default());
    assert_eq!(a.title.as_deref(), Some("How to help toddlers sleep through the night"));
}
