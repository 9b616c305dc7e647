//! The Hugo site as a user gets it: `newsdesk init DIR` writes it into the desk's hugo_dir, `newsdesk run
//! --once` fills it from the offline example, and Debian's `hugo` builds it with `--panicOnWarning` into
//! pages whose internal links all resolve, with a page for every post, story, tag and outlet. Also:
//! `init --hugo-site` for an existing desk, sites that are never written over, and `[output] hugo_build`.
//!
//! The tests that build need `hugo`: without it they say so and pass, unless NEWSDESK_BROWSER_TEST=require
//! or CI is set (as in .ci/run), where they fail.

mod common;
#[path = "../../publish/tests/hugo_check/mod.rs"]
mod hugo_check;
mod hugo_common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{newsdesk, newsdesk_ok};
use hugo_common::{offline_desk, run_once};
use serde_yaml_ng::Value;

fn front_matter(path: &Path) -> Value {
    let contents = std::fs::read_to_string(path).expect("post");
    let rest = contents.strip_prefix("---\n").expect("front matter opens the file");
    let end = rest.find("\n---\n").expect("front matter is closed");
    serde_yaml_ng::from_str(&rest[..end + 1]).expect("valid YAML")
}

fn terms(fm: &Value, key: &str) -> Vec<String> {
    fm[key]
        .as_sequence()
        .map(|s| s.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

#[test]
fn init_then_run_gives_a_site_hugo_builds_with_every_link_resolved() {
    let Some(version) = hugo_check::hugo_version() else {
        return;
    };
    println!("{version}");
    let (_root, desk) = offline_desk("");
    let out = run_once(&desk);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = desk.join("site");
    hugo_check::build_strict(&site);
    let public = site.join("public");
    let report = hugo_check::check_links(&public);
    hugo_check::assert_no_broken_links(&report);

    let posts: Vec<PathBuf> = hugo_check::files_under(&site.join("content/posts"));
    assert_eq!(posts.len(), 3, "{posts:?}");
    let mut stories = BTreeSet::new();
    for post in &posts {
        let stem = post.file_stem().and_then(|s| s.to_str()).expect("post name");
        let page = format!("/posts/{stem}/");
        assert!(report.pages.contains_key(&page), "no page for {}", post.display());
        let fm = front_matter(post);
        for taxonomy in ["stories", "outlets", "tags", "places"] {
            let own = terms(&fm, taxonomy);
            let prefix = format!("/{taxonomy}/");
            let linked: BTreeSet<&String> = report.pages[&page]
                .iter()
                .filter(|t| t.starts_with(&prefix) && t.len() > prefix.len())
                .collect();
            assert_eq!(linked.len(), own.len(), "{page} {taxonomy}: {own:?} vs {linked:?}");
            for term in &own {
                if taxonomy == "stories" {
                    stories.insert(term.clone());
                }
            }
        }
        assert_eq!(terms(&fm, "outlets").len(), 1, "{page}: one outlet");
    }
    // Two stories: the tidal plant (two outlets) and the central bank.
    assert_eq!(stories.len(), 2, "{stories:?}");
    for story in &stories {
        assert!(
            public.join("stories").join(story).join("index.html").is_file(),
            "story {story}"
        );
        assert!(
            public.join("stories").join(story).join("index.xml").is_file(),
            "story feed {story}"
        );
    }
    for outlet in ["example-wire", "the-example-daily"] {
        assert!(
            public.join("outlets").join(outlet).join("index.html").is_file(),
            "{outlet}"
        );
    }
    for tag in ["largest-tidal-power-plant", "inflation", "turbines"] {
        assert!(public.join("tags").join(tag).join("index.html").is_file(), "tag {tag}");
    }

    // The tidal story: both articles in time order, the wire (08:15 +01:00) first to report.
    let tidal = stories
        .iter()
        .map(|s| std::fs::read_to_string(public.join("stories").join(s).join("index.html")).unwrap_or_default())
        .find(|html| html.contains("The Example Daily"))
        .expect("the story with two outlets");
    let timeline = tidal
        .split("<ol class=\"timeline\">")
        .nth(1)
        .and_then(|t| t.split("</ol>").next())
        .expect("a timeline");
    let wire = timeline.find("Coastal city opens Europe").expect("the wire's article");
    let daily = timeline
        .find("Tidal power plant switched on")
        .expect("the daily's article");
    let first = timeline.find("First to report").expect("the first is marked");
    assert!(first < wire && wire < daily, "{timeline}");
    assert_eq!(timeline.matches("First to report").count(), 1, "{timeline}");

    // The home page: the stories with their coverage, then the articles.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap_or_default();
    assert!(
        home.contains("Latest stories") && home.contains("Latest articles"),
        "{home}"
    );
    assert!(home.contains("2 articles from"), "{home}");
    // The article page shows the other outlet's coverage of its story.
    let article = posts
        .iter()
        .find(|p| p.to_string_lossy().contains("coastal-city"))
        .and_then(|p| p.file_stem())
        .and_then(|s| s.to_str())
        .map(|stem| std::fs::read_to_string(public.join("posts").join(stem).join("index.html")).unwrap_or_default())
        .expect("the wire's article page");
    assert!(article.contains("Coverage of this story"), "{article}");
    assert!(article.contains("Tidal power plant switched on"), "{article}");
}

#[test]
fn init_hugo_site_writes_the_site_of_an_existing_desk_once() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path();
    newsdesk_ok(dir, &["init", "desk"]);
    let site = dir.join("desk/site");
    assert!(site.join("hugo.toml").is_file());
    std::fs::remove_dir_all(&site).expect("remove the site");

    let out = newsdesk_ok(dir, &["init", "desk", "--hugo-site"]);
    assert!(out.contains("wrote a Hugo site to"), "{out}");
    assert!(!out.contains("store ready"), "--hugo-site touches nothing else: {out}");
    // The user edits the config: nothing writes over it, and the theme is not put back either.
    std::fs::write(site.join("hugo.toml"), "title = \"My news\"\n").expect("edit");
    std::fs::remove_file(site.join("themes/newsdesk/static/newsdesk.css")).expect("remove");
    let again = newsdesk_ok(dir, &["--config", "desk/newsdesk.toml", "init", "--hugo-site"]);
    assert!(again.contains("already has a Hugo site"), "{again}");
    assert_eq!(
        std::fs::read_to_string(site.join("hugo.toml")).ok().as_deref(),
        Some("title = \"My news\"\n")
    );
    assert!(!site.join("themes/newsdesk/static/newsdesk.css").exists());
    // `newsdesk init` on the desk again keeps the config, the store and the site.
    let init = newsdesk_ok(dir, &["init", "desk"]);
    assert!(
        init.contains("keeping it") && init.contains("already has a Hugo site"),
        "{init}"
    );

    // No desk: a clear error.
    let missing = newsdesk(dir, &["init", "nowhere", "--hugo-site"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no desk at"));
}

#[test]
fn init_leaves_a_site_of_another_theme_alone() {
    let root = tempfile::tempdir().expect("tempdir");
    let desk = root.path().join("desk");
    std::fs::create_dir_all(desk.join("site")).expect("site dir");
    std::fs::write(desk.join("site/config.yaml"), "theme: papermod\n").expect("config");
    let out = newsdesk_ok(root.path(), &["init", "desk"]);
    assert!(out.contains("already has a Hugo site"), "{out}");
    let names: Vec<_> = std::fs::read_dir(desk.join("site"))
        .expect("site")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["config.yaml"]);

    // And with no Hugo output configured, no site.
    let plain = root.path().join("plain");
    std::fs::create_dir_all(&plain).expect("dir");
    std::fs::write(plain.join("newsdesk.toml"), "[output]\nhugo_dir = \"\"\n").expect("config");
    let out = newsdesk_ok(root.path(), &["init", "plain"]);
    assert!(out.contains("no Hugo site"), "{out}");
}

#[test]
fn run_builds_the_site_when_hugo_build_is_set() {
    let Some(_) = hugo_check::hugo_version() else { return };
    let bin = hugo_check::hugo_bin();
    let extra = format!("hugo_build = true\nhugo_bin = {:?}\n", bin.to_string_lossy());
    let (_root, desk) = offline_desk(&extra);
    let out = run_once(&desk);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("hugo built ") && stdout.contains(" s\n"), "{stdout}");
    assert!(desk.join("site/public/index.html").is_file());
    // A pass that writes no post does not build again.
    std::fs::remove_dir_all(desk.join("site/public")).expect("remove public");
    let again = run_once(&desk);
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stdout).contains("hugo built"));
    assert!(!desk.join("site/public").exists());
}

#[test]
fn a_failed_hugo_build_fails_the_run() {
    let (_root, desk) = offline_desk("hugo_build = true\nhugo_bin = \"bin/no-such-hugo\"\n");
    let out = run_once(&desk);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the run passed:\n{stderr}");
    assert!(stderr.contains("Hugo could not build the site"), "{stderr}");
    assert!(stderr.contains("no-such-hugo"), "{stderr}");
    // The posts were written all the same.
    assert_eq!(hugo_check::files_under(&desk.join("site/content/posts")).len(), 3);
}

/// The part of `html` from `start` to the first `end` after it.
fn section<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let rest = &html[from..];
    rest.find(end).map(|e| &rest[..e])
}

/// The built page of the post whose file name contains `part`, with the post's stem.
fn built_post(site: &Path, part: &str) -> (String, String) {
    let stem = hugo_check::files_under(&site.join("content/posts"))
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
        .find(|s| s.contains(part))
        .unwrap_or_else(|| panic!("no post named like {part}"));
    let html = std::fs::read_to_string(site.join("public/posts").join(&stem).join("index.html"))
        .unwrap_or_else(|e| panic!("the page of {stem}: {e}"));
    (stem, html)
}

#[test]
fn a_story_gaining_coverage_shows_it_on_its_first_article_after_the_next_build() {
    let Some(_) = hugo_check::hugo_version() else {
        return;
    };
    // The daily's feed starts empty: the first pass has the wire's tidal article alone in its story.
    let (_root, desk) = offline_desk("");
    // Feeds due again at once, so that the second pass polls them.
    let config = std::fs::read_to_string(desk.join("newsdesk.toml")).expect("config");
    let config = format!("{config}\n[fetch]\nfeed_poll_default_secs = 0.001\nfeed_poll_floor_secs = 0.001\nfeed_poll_ceiling_secs = 0.001\n");
    std::fs::write(desk.join("newsdesk.toml"), config).expect("config");
    let daily = desk.join("feeds/daily.atom");
    let full_feed = std::fs::read_to_string(&daily).expect("daily feed");
    let head = full_feed.split("<entry>").next().expect("feed head");
    std::fs::write(&daily, format!("{head}</feed>\n")).expect("empty daily feed");
    let out = run_once(&desk);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = desk.join("site");
    hugo_check::build_strict(&site);
    let (wire_stem, before) = built_post(&site, "coastal-city");
    let coverage = section(&before, "<section class=\"story-coverage\"", "</section>").expect("a coverage section");
    assert!(
        coverage.contains("No other outlet has covered this story yet."),
        "{coverage}"
    );
    assert!(!before.contains("Tidal power plant switched on"), "{before}");
    let wire_fm = front_matter(&site.join("content/posts").join(format!("{wire_stem}.md")));
    let story = terms(&wire_fm, "stories");
    assert_eq!(story.len(), 1, "the wire's article has a story: {wire_fm:?}");

    // The daily reports the same story later that day; the next pass and build show it on the wire's page.
    std::fs::write(&daily, &full_feed).expect("daily feed with its entry");
    let out = run_once(&desk);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    hugo_check::build_strict(&site);
    let report = hugo_check::check_links(&site.join("public"));
    hugo_check::assert_no_broken_links(&report);
    let (daily_stem, daily_page) = built_post(&site, "tidal-power-plant-switched-on");
    assert!(daily_page.contains("The Example Daily"), "{daily_page}");

    // The wire's post was written again: its story is the daily's and its related list has the daily.
    let wire_fm = front_matter(&site.join("content/posts").join(format!("{wire_stem}.md")));
    let daily_fm = front_matter(&site.join("content/posts").join(format!("{daily_stem}.md")));
    assert_eq!(terms(&wire_fm, "stories"), terms(&daily_fm, "stories"), "one story");
    let daily_link = daily_fm["link"].as_str().expect("the daily's link").to_string();
    let related = wire_fm["related"].as_sequence().cloned().unwrap_or_default();
    assert!(
        related.iter().any(
            |r| r["url"].as_str() == Some(daily_link.as_str()) && r["outlet"].as_str() == Some("The Example Daily")
        ),
        "the wire's related list lacks the daily: {related:?}"
    );

    // The wire's built page lists the daily's article: its title, a link to its page, its outlet.
    let (_, after) = built_post(&site, "coastal-city");
    let coverage = section(&after, "<section class=\"story-coverage\"", "</section>").expect("a coverage section");
    assert!(!coverage.contains("No other outlet"), "{coverage}");
    let entry = section(coverage, &format!("<a href=\"/posts/{daily_stem}/\""), "</li>")
        .unwrap_or_else(|| panic!("no link to the daily's page in {coverage}"));
    assert!(
        entry.contains("Tidal power plant switched on") && entry.contains("The Example Daily"),
        "{entry}"
    );
    // Listed once: as the site's page, not again as coverage elsewhere.
    assert_eq!(
        coverage.matches("Tidal power plant switched on").count(),
        1,
        "{coverage}"
    );
    assert!(
        report.pages[&format!("/posts/{wire_stem}/")].contains(&format!("/posts/{daily_stem}/")),
        "the link checker saw no link from the wire's page to the daily's"
    );

    // The story's page has both, the wire (07:15 UTC) first to report, then the daily (11:30 UTC).
    let story = terms(&daily_fm, "stories").remove(0);
    let story_page =
        std::fs::read_to_string(site.join("public/stories").join(&story).join("index.html")).expect("the story page");
    let timeline = section(&story_page, "<ol class=\"timeline\">", "</ol>").expect("a timeline");
    let wire = timeline
        .find(&format!("/posts/{wire_stem}/"))
        .expect("the wire's article in the timeline");
    let daily = timeline
        .find(&format!("/posts/{daily_stem}/"))
        .expect("the daily's article in the timeline");
    let first = timeline.find("First to report").expect("the first is marked");
    assert!(first < wire && wire < daily, "{timeline}");
    assert!(story_page.contains("2 articles from 2 outlets"), "{story_page}");
}

/// Lines a child prints on a pipe, as they come.
fn lines_of(pipe: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The lines of `rx` until one contains `needle` (which is the last), or panics after `timeout`.
fn lines_until(rx: &std::sync::mpsc::Receiver<String>, needle: &str, timeout: std::time::Duration) -> Vec<String> {
    let deadline = std::time::Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let done = line.contains(needle);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(e) => panic!("no line with {needle:?} ({e}); saw {seen:#?}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn a_running_desk_reports_a_failed_hugo_build_and_builds_again_next_pass() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};
    use std::time::Duration;
    // A stand-in for Hugo that fails its first build and succeeds after, counting its runs.
    let (_root, desk) = offline_desk("");
    let hugo = desk.join("flaky-hugo");
    let count = desk.join("hugo-runs");
    std::fs::write(
        &hugo,
        format!(
            "#!/bin/sh\necho x >> '{}'\nif [ $(wc -l < '{}') -eq 1 ]; then echo 'ERROR the theme is broken' >&2; exit 1; fi\nexit 0\n",
            count.display(),
            count.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&hugo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let config = std::fs::read_to_string(desk.join("newsdesk.toml")).expect("config");
    let config = config.replacen(
        "[output]\n",
        &format!("[output]\nhugo_build = true\nhugo_bin = {:?}\n", hugo.to_string_lossy()),
        1,
    );
    std::fs::write(desk.join("newsdesk.toml"), config).expect("config");
    let runs = || std::fs::read_to_string(&count).unwrap_or_default().lines().count();

    let mut child = Command::new(common::bin())
        .args(["--config", "newsdesk.toml", "run", "--interval", "1"])
        .current_dir(&desk)
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("NEWSDESK_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start newsdesk run");
    let stdout = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let wait = Duration::from_secs(60);
    // The first pass writes the posts, Hugo fails: one line says why, and the run goes on.
    let first = lines_until(&stdout, "posts written", wait);
    assert!(
        first.last().is_some_and(|l| l.contains(" 3 posts written")),
        "{first:#?}"
    );
    let printed = lines_until(&stderr, "Hugo could not build the site", wait);
    assert_eq!(printed.len(), 1, "one line on stderr: {printed:#?}");
    let failure = &printed[0];
    assert!(
        failure.contains("the theme is broken") && failure.contains("trying again next pass"),
        "{failure}"
    );
    // The second pass writes nothing, but builds the site it owes.
    let second = lines_until(&stdout, "hugo built", wait);
    assert!(second.iter().any(|l| l.contains(" 0 posts written")), "{second:#?}");
    assert_eq!(runs(), 2);
    // And the pass after that has nothing to build.
    lines_until(&stdout, "posts written", wait);
    lines_until(&stdout, "posts written", wait);
    let still = child.try_wait().expect("poll the run");
    let _ = child.kill();
    let _ = child.wait();
    assert!(still.is_none(), "the run stopped: {still:?}");
    assert_eq!(runs(), 2, "built again without a reason");
    let other: Vec<String> = stderr.try_iter().collect();
    assert!(other.is_empty(), "more on stderr: {other:#?}");
}
