//! The Hugo site in Debian's headless Chromium: the offline example goes through `newsdesk init`,
//! `newsdesk run --once` and Debian's `hugo`; the built `public/` is served on a loopback port; and
//! tests/browser/hugo.test.mjs (playwright-core, axe-core) opens the home, an article, a story and a tag
//! page at desktop and phone widths, saves screenshots, and fails on any serious or critical accessibility
//! violation.
//!
//! Needs hugo, node, Chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser. When one is
//! missing the test says why and passes, unless NEWSDESK_BROWSER_TEST=require (set by .ci/run), where it
//! fails. NEWSDESK_SCREENSHOTS=DIR keeps the screenshots (the README's, in docs/, come from here).

mod browser_common;
mod common;
#[path = "../../publish/tests/hugo_check/mod.rs"]
mod hugo_check;
mod hugo_common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The site path of the first built page under `public/<dir>/` whose file contains `needle`.
fn page_with(public: &Path, dir: &str, needle: &str) -> String {
    hugo_check::files_under(&public.join(dir))
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.html"))
        .filter(|f| !f.to_string_lossy().contains("/page/"))
        .find(|f| std::fs::read_to_string(f).is_ok_and(|html| html.contains(needle)))
        .map(|f| hugo_check::url_path_of(public, &f))
        .unwrap_or_else(|| panic!("no page under /{dir}/ shows {needle:?}"))
}

#[test]
fn hugo_site_in_headless_chromium() {
    let hugo = hugo_check::hugo_bin();
    let tools = [(hugo.as_path(), "version")];
    let Some(browser) = browser_common::browser_or_skip("Hugo browser test", &["playwright-core", "axe-core"], &tools)
    else {
        return;
    };
    let (browser_dir, chromium) = (browser.dir, browser.chromium);
    let (dir, desk) = hugo_common::offline_desk("");
    let out = hugo_common::run_once(&desk);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = desk.join("site");
    hugo_check::build_strict(&site);
    let public = site.join("public");
    let server = hugo_check::serve_static(&public);

    // The wire's tidal plant article (with a picture, tags, places and other coverage), its story (two
    // outlets), and one of its tags.
    let article = page_with(&public, "posts", "Coastal city opens Europe");
    let story = page_with(&public, "stories", "The Example Daily");
    let pages = serde_json::json!({
        "home": "/",
        "article": article,
        "story": story,
        "tag": "/tags/turbines/",
    });
    let shots = std::env::var_os("NEWSDESK_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("screenshots"));
    let out = Command::new("node")
        .arg("hugo.test.mjs")
        .current_dir(&browser_dir)
        .env("BASE_URL", &server.base)
        .env("SHOT_DIR", &shots)
        .env("PAGES", pages.to_string())
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser test failed:\n{stdout}\n{stderr}");
    println!("{stdout}");
    for name in ["home", "article", "story", "tag"] {
        for suffix in ["", "-phone"] {
            let file = format!("hugo-{name}{suffix}.png");
            let meta = std::fs::metadata(shots.join(&file)).unwrap_or_else(|e| panic!("screenshot {file}: {e}"));
            assert!(meta.len() > 1000, "screenshot {file} is empty");
        }
    }
}
