//! Builds a minimal Hugo site around generated posts with the real `hugo` binary, and fails on any error or
//! warning. Skipped (with a message) when `hugo` is not installed, except where it must run (CI installs it,
//! and there a missing `hugo` fails the test).

mod common;
mod hugo_check;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use common::{seed_post, HOSTILE_TITLES};
use newsdesk_publish::{render_full, render_seed, write_post, Article, Post, Related, Story};

const CONFIG: &str = r#"baseURL = "https://example.org/"
languageCode = "en-us"
title = "newsdesk test site"
disableKinds = ["sitemap", "robotsTXT", "404"]
"#;

const SINGLE: &str = r#"<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Description }}</p>
<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
{{ with .Params.related }}<ul>{{ range . }}<li><a href="{{ .url }}">{{ .title }}</a> {{ .outlet }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}</body></html>
"#;

const LIST: &str = r#"<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"#;

/// Whether Hugo runs here; where it must (CI, `NEWSDESK_BROWSER_TEST=require`) its absence fails the test.
fn hugo_available() -> bool {
    hugo_check::hugo_version().is_some()
}

fn write(site: &Path, relative: &str, contents: &str) {
    if let Err(e) = write_post(site, Path::new(relative), contents) {
        panic!("cannot write {relative}: {e}");
    }
}

fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(dir.path(), "config.toml", CONFIG);
    write(dir.path(), "layouts/_default/single.html", SINGLE);
    write(dir.path(), "layouts/_default/list.html", LIST);
    dir
}

/// Run hugo on `site`; panic with its output on failure or on any error or warning it printed.
fn build(site: &Path) {
    hugo_check::build_strict(site);
}

fn page_for(site: &Path, relative_post: &Path) -> PathBuf {
    let stem = relative_post.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    site.join("public/posts").join(stem).join("index.html")
}

fn hostile_post(title: &str) -> Post {
    let date = DateTime::parse_from_rfc3339("2026-01-07T10:32:00+01:00").expect("valid date");
    let mut post = Post::new(
        format!("hostile:{title}"),
        title,
        date,
        "https://example.com/a?b=1&c=2",
        "file:///feed.xml",
    );
    post.outlet = title.to_string();
    post.tags = vec![title.to_string(), "news".to_string()];
    post.related = vec![Related {
        headline: title.into(),
        outlet: title.into(),
        link: "https://o.example/(1)".into(),
    }];
    post.story = Some(Story {
        id: title.into(),
        headline: title.into(),
        coverage: Vec::new(),
    });
    post.article = Some(Article {
        text: format!("{title}\n\nSecond paragraph about {title}."),
        authors: vec![title.to_string()],
        description: Some(title.to_string()),
        ..Article::default()
    });
    post
}

#[test]
fn full_style_posts_build_in_hugo() {
    if !hugo_available() {
        return;
    }
    let site = new_site();
    let mut pages = Vec::new();
    let mut posts: Vec<Post> = HOSTILE_TITLES.iter().map(|t| hostile_post(t)).collect();
    posts.push(seed_post());
    for post in &posts {
        let (relative, contents) = render_full(post);
        write_post(site.path(), &relative, &contents).expect("post written");
        pages.push(page_for(site.path(), &relative));
    }
    build(site.path());
    for page in &pages {
        assert!(page.is_file(), "missing page {}", page.display());
    }
    // The titles arrive in Hugo unchanged (Go's templates escape them for HTML).
    let page_text = |title: &str| {
        let index = HOSTILE_TITLES
            .iter()
            .position(|t| *t == title)
            .expect("a hostile title");
        std::fs::read_to_string(&pages[index]).unwrap_or_default()
    };
    let quoted = page_text("He said \"no\" - and left");
    assert!(quoted.contains("<h1>He said &#34;no&#34; - and left</h1>"), "{quoted}");
    let emoji = page_text("emoji 🎉🔥👩‍👩‍👧 flags 🇺🇦");
    assert!(emoji.contains("<h1>emoji 🎉🔥👩‍👩‍👧 flags 🇺🇦</h1>"), "{emoji}");
    let yes = page_text("yes");
    assert!(yes.contains("<h1>yes</h1>"), "{yes}");
    let shortcode = page_text("{{< shortcode >}} and {{% other %}}");
    assert!(
        shortcode.contains("<p>{{&lt; shortcode &gt;}} and {{% other %}}</p>"),
        "{shortcode}"
    );
    let seed_page = std::fs::read_to_string(pages.last().expect("seed page")).unwrap_or_default();
    assert!(
        seed_page.contains("<h1>European nations commit to troops in Ukraine"),
        "{seed_page}"
    );
    assert!(seed_page.contains("Will watered-down US guarantee"), "{seed_page}");
}

#[test]
fn seed_style_post_builds_in_hugo() {
    if !hugo_available() {
        return;
    }
    let site = new_site();
    let (relative, contents) = render_seed(&seed_post());
    write_post(site.path(), &relative, &contents).expect("post written");
    build(site.path());
    // The seed style sets `slug`, which names the page.
    let page = site
        .path()
        .join("public/posts/european-nations-commit-to-troops-in-ukraine-as-part-of-milestone-peace-talks-in-paris-abc-news/index.html");
    assert!(page.is_file(), "missing page {}", page.display());
}

/// The harness itself must fail on a post Hugo rejects, or the tests above would prove nothing.
#[test]
fn harness_fails_on_a_post_hugo_rejects() {
    if !hugo_available() {
        return;
    }
    let site = new_site();
    write(
        site.path(),
        "content/posts/broken.md",
        "---\ntitle: \"broken\"\n---\n{{< no-such-shortcode >}}\n",
    );
    let path = site.path().to_path_buf();
    let result = std::panic::catch_unwind(move || build(&path));
    assert!(result.is_err(), "hugo accepted an unknown shortcode");
}

#[test]
fn seed_style_hostile_posts_build_in_hugo() {
    if !hugo_available() {
        return;
    }
    let site = new_site();
    for title in HOSTILE_TITLES {
        let mut post = hostile_post(title);
        post.description_html = format!("<p>{title}</p>");
        post.link = format!("https://example.com/{}", title.len());
        let (relative, contents) = render_seed(&post);
        write_post(site.path(), &relative, &contents).expect("post written");
    }
    build(site.path());
}
