//! A feed of hostile titles, through the real binary: every full-style post parses back as YAML to the same
//! title, no file lands outside the posts directory, two items with the same title never share a file, and the
//! real `hugo` builds the site without an error or warning.

mod common;

use std::process::Command;

use common::*;

const TITLES: &[&str] = &[
    "Plain headline - Outlet",
    "\"Quoted\" words: and a colon # with hash - Outlet",
    "- leading dash",
    "yes",
    "null",
    "~",
    "123",
    "[not] {a} flow: sequence, *alias &anchor !tag %percent @at `tick`",
    "../../../../etc/passwd",
    "Emoji 🚀🔥 and RTL עברית العربية",
    "Tabs\tand\\backslashes\\n",
    "{{< shortcode >}} and {{% other %}}",
    "Same title twice",
    "Same title twice",
    "",
];

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn front_matter_title(post: &str) -> String {
    let yaml = post
        .strip_prefix("---\n")
        .and_then(|rest| rest.split("\n---\n").next())
        .expect("front matter");
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).expect("front matter is valid YAML");
    value["title"].as_str().expect("title is a string").to_string()
}

#[test]
fn hostile_titles_round_trip_and_build_in_hugo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let items: Vec<String> = TITLES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "<item><title>{}</title><link>https://example.com/a/{i}</link><guid>g{i}</guid>\
                 <pubDate>Wed, 07 Jan 2026 10:32:00 GMT</pubDate><description>Item {i}</description></item>",
                escape_xml(t)
            )
        })
        .collect();
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Hostile</title>{}</channel></rss>",
        items.concat()
    );
    std::fs::write(dir.path().join("hostile.xml"), feed).expect("feed");
    newsdesk_ok(dir.path(), &["init", "."]);
    newsdesk_ok(
        dir.path(),
        &[
            "feeds",
            "ingest",
            "hostile.xml",
            "--url",
            "https://example.com/feed.xml",
        ],
    );
    newsdesk_ok(dir.path(), &["publish", "hugo", "site"]);

    let posts = posts(dir.path());
    assert_eq!(posts.len(), TITLES.len(), "one post per item: {:?}", posts.keys());
    let mut titles: Vec<String> = posts.values().map(|p| front_matter_title(p)).collect();
    titles.sort();
    // Titles come back as the feed parser gives them (whitespace runs folded; the headline part of
    // `Headline - Outlet`).
    for want in [
        "\"Quoted\" words: and a colon # with hash",
        "- leading dash",
        "yes",
        "null",
        "~",
        "123",
        "../../../../etc/passwd",
        "Emoji 🚀🔥 and RTL עברית العربية",
        "Tabs and\\backslashes\\n",
    ] {
        assert!(titles.iter().any(|t| t == want), "{want:?} not among {titles:?}");
    }
    // Nothing was written outside content/posts, but for the Hugo site `init` wrote.
    let skeleton: Vec<std::path::PathBuf> = newsdesk_publish::hugo::site::site_files()
        .map(|(p, _)| dir.path().join("site").join(p))
        .collect();
    let mut stack = vec![dir.path().join("site")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                assert!(
                    p.starts_with(dir.path().join("site/content/posts")) || skeleton.contains(&p),
                    "{} escaped",
                    p.display()
                );
            }
        }
    }

    if Command::new("hugo").arg("version").output().is_err() {
        eprintln!("skipping the Hugo build: `hugo` is not installed");
        return;
    }
    // The site `init` wrote, with newsdesk's theme, builds them.
    let site = dir.path().join("site");
    let out = Command::new("hugo")
        .args(["--source", site.to_str().expect("utf-8"), "--panicOnWarning"])
        .output()
        .expect("hugo");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "hugo failed:\n{log}");
    assert!(
        !log.contains("ERROR") && !log.contains("WARN"),
        "hugo complained:\n{log}"
    );
}
