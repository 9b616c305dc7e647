//! What the browser tests need before they can run: node, Chromium (/usr/bin/chromium or $CHROMIUM) and the
//! npm packages of tests/browser. When one is missing a test says why and passes, unless
//! NEWSDESK_BROWSER_TEST=require (set by .ci/run), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a browser test runs from: the folder of the node scripts and the Chromium binary.
pub struct Browser {
    pub dir: PathBuf,
    pub chromium: PathBuf,
}

/// The browser, when everything `test` needs is there: node, Chromium, the npm `packages`, and the commands
/// in `tools` (each run with `--version`-like `args` to see that it works). `None` (after saying why) when
/// something is missing and the test may be skipped; a panic when NEWSDESK_BROWSER_TEST=require.
pub fn browser_or_skip(test: &str, packages: &[&str], tools: &[(&Path, &str)]) -> Option<Browser> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let missing = missing_prerequisite(&dir, &chromium, packages, tools);
    let Some(why) = missing else {
        return Some(Browser { dir, chromium });
    };
    if std::env::var("NEWSDESK_BROWSER_TEST").as_deref() == Ok("require") {
        panic!("{test} required but cannot run: {why}");
    }
    eprintln!("skipping the {test}: {why}");
    None
}

fn missing_prerequisite(dir: &Path, chromium: &Path, packages: &[&str], tools: &[(&Path, &str)]) -> Option<String> {
    let node = (Path::new("node"), "--version");
    for (tool, arg) in tools.iter().copied().chain([node]) {
        match Command::new(tool).arg(arg).output() {
            Ok(o) if o.status.success() => {}
            _ => return Some(format!("{} is not installed", tool.display())),
        }
    }
    if !chromium.exists() {
        return Some(format!("Chromium is not installed at {}", chromium.display()));
    }
    for package in packages {
        if !dir.join("node_modules").join(package).exists() {
            return Some(format!(
                "{package} is not installed (run `npm ci` in {})",
                dir.display()
            ));
        }
    }
    None
}
