//! The seed style reproduces the reference post byte for byte.

mod common;

use std::path::Path;

use common::{seed_post, SEED_POST};
use newsdesk_publish::{render_seed, POSTS_DIR};

#[test]
fn seed_style_reproduces_the_reference_post_byte_for_byte() {
    let (path, contents) = render_seed(&seed_post());
    if contents != SEED_POST {
        let at = contents
            .bytes()
            .zip(SEED_POST.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "seed post differs at byte {at}:\n got: {:?}\nwant: {:?}",
            &contents.get(at.saturating_sub(40)..(at + 40).min(contents.len())),
            &SEED_POST.get(at.saturating_sub(40)..(at + 40).min(SEED_POST.len())),
        );
    }
    assert!(path.starts_with(POSTS_DIR));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert!(
        name.starts_with("2026-01-07-european-nations-commit-to-troops"),
        "{name}"
    );
}

/// The fixture copy must stay identical to the seed itself, when the seeds are at hand.
#[test]
fn fixture_matches_the_shared_seed() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/004_4c2a00dec66eaaad.txt");
    match std::fs::read(&shared) {
        Ok(bytes) => assert!(
            bytes == SEED_POST.as_bytes(),
            "{} differs from the fixture copy",
            shared.display()
        ),
        Err(e) => println!("skipping: {} not readable ({e})", shared.display()),
    }
}

#[test]
fn seed_style_quotes_titles_with_double_quotes_safely() {
    let mut post = seed_post();
    post.raw_title = "He said \"stop\" \\ now".into();
    let (_, contents) = render_seed(&post);
    assert!(
        contents.contains("title: \"He said \\\"stop\\\" \\\\ now\"\n"),
        "{contents}"
    );
    let front = contents.split("---\n").nth(1).unwrap_or_default();
    let parsed: serde_yaml_ng::Value = serde_yaml_ng::from_str(front).expect("seed front matter is valid YAML");
    assert_eq!(parsed["title"].as_str(), Some("He said \"stop\" \\ now"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 256, failure_persistence: None, ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever the item holds, the seed style's front matter stays valid YAML with the same strings.
    #[test]
    fn seed_front_matter_reads_back(title in "(?s).*", description in "(?s).*", link in "(?s).*", image in "(?s).*") {
        let mut post = seed_post();
        post.raw_title = title.clone();
        post.description_html = description.clone();
        post.link = link.clone();
        post.image = Some(image.clone());
        let (_, contents) = render_seed(&post);
        let rest = contents.strip_prefix("---\n").unwrap_or_default();
        let end = rest.find("\ndraft: false\n---\n").unwrap_or(0);
        let parsed: serde_yaml_ng::Value = serde_yaml_ng::from_str(&rest[..end + 1])
            .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}: {rest}")))?;
        proptest::prop_assert_eq!(parsed["title"].as_str(), Some(title.as_str()));
        let summary = newsdesk_publish::strip_tags(&description);
        proptest::prop_assert_eq!(parsed["description"].as_str(), Some(summary.as_str()));
        proptest::prop_assert_eq!(parsed["link"].as_str(), Some(link.as_str()));
        proptest::prop_assert_eq!(parsed["image"].as_str(), Some(image.as_str()));
    }
}
