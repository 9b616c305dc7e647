//! Tags of a news article: names and keyphrases, ranked, in the article's language.

use newsdesk_stories::{extract_tags, TagKind};

const ARTICLE: &str = include_str!("fixtures/wire_original.txt");

#[test]
fn english_article_tags() {
    let tags = extract_tags("Portugal approves second Tagus bridge for Lisbon", ARTICLE, None, 10);
    let texts: Vec<String> = tags.iter().map(|t| t.text.to_lowercase()).collect();
    assert_eq!(tags.len(), 10);
    assert!(texts.iter().any(|t| t == "bridge"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("lisbon")), "{texts:?}");
    assert!(tags.iter().any(|t| t.kind == TagKind::Name), "{tags:?}");
    assert!(
        !texts
            .iter()
            .any(|t| ["the", "and", "said", "would"].contains(&t.as_str())),
        "{texts:?}"
    );
    assert!(tags.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn german_stopwords_apply() {
    let text = "Die Bundesregierung hat am Donnerstag ein neues Gesetz zur Energiepolitik beschlossen. \
                Das Gesetz soll die Energiepreise senken, sagte die Ministerin in Berlin. \
                Die Opposition kritisierte das Gesetz als unzureichend.";
    let tags = extract_tags("Bundesregierung beschließt Gesetz zur Energiepolitik", text, None, 5);
    let texts: Vec<&str> = tags.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"Gesetz"), "{texts:?}");
    assert!(
        !texts
            .iter()
            .any(|t| ["die", "das", "hat", "zur"].contains(&t.to_lowercase().as_str())),
        "{texts:?}"
    );
}

#[test]
fn title_only_and_empty_inputs() {
    assert_eq!(extract_tags("", "", None, 5), []);
    let tags = extract_tags("Sbarro files for bankruptcy again", "", Some("en"), 3);
    assert!(tags.iter().any(|t| t.text == "Sbarro"), "{tags:?}");
}
