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

/// Position of a tag (case-insensitive) in the ranked list, or the list's length when absent.
fn rank_of(tags: &[newsdesk_stories::Tag], text: &str) -> usize {
    tags.iter()
        .position(|t| t.text.eq_ignore_ascii_case(text))
        .unwrap_or(tags.len())
}

#[test]
fn long_specific_words_outrank_short_common_ones() {
    // "year" and "referendum" occur equally often, "year" first: the longer, rarer word wins.
    let text = "Last year the island council promised a vote. This year it set the date of the \
                referendum. The referendum asks whether the ferry should be run by the council. \
                Campaigners said a referendum every year would be too many.";
    let tags = extract_tags("Island sets a date for its vote", text, Some("en"), 10);
    assert!(rank_of(&tags, "referendum") < rank_of(&tags, "year"), "{tags:?}");
}

#[test]
fn words_owed_to_a_recurring_phrase_count_less() {
    // "Kesteven" only ever occurs inside "Kesteven Council"; "allotments" stands on its own.
    let text = "Kesteven Council met on Tuesday. Kesteven Council said the allotments would stay. \
                A spokesman for Kesteven Council said rents for the allotments would rise.";
    let tags = extract_tags("Council keeps its garden plots", text, Some("en"), 10);
    assert!(rank_of(&tags, "allotments") < rank_of(&tags, "Kesteven"), "{tags:?}");
}

#[test]
fn single_words_outrank_phrases_of_the_same_weight() {
    // The phrase recurs more often than "pensioners", but single words are the better tags.
    let text = "The employment tribunal heard the case on Monday. The employment tribunal was told \
                that pensioners had been turned away. Lawyers told the employment tribunal that \
                the pensioners had waited for months.";
    let tags = extract_tags("Hearing on the care home closures", text, Some("en"), 10);
    assert!(
        rank_of(&tags, "pensioners") < rank_of(&tags, "employment tribunal"),
        "{tags:?}"
    );
}

#[test]
fn french_and_italian_tags_lose_elided_articles() {
    let text = "Le chancelier allemand Friedrich Merz a été reçu mardi à l'Élysée par le président \
                Emmanuel Macron. L'Allemagne et la France veulent renforcer leur coopération. \
                « Nous avons besoin d'une Europe forte », a déclaré Merz. Jusqu'à présent, \
                l'Allemagne n'a pas changé d'avis sur l'Ukraine et l'Élysée le sait.";
    let tags = newsdesk_stories::tags_and_entities("Merz reçu à l'Élysée", text, Some("fr"), 10);
    let texts: Vec<&str> = tags.tags.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"Élysée") && texts.contains(&"Allemagne"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains('\'') || t.contains('’')), "{texts:?}");
    // Titles and speech verbs are no keyphrases; the person is shown by full name.
    assert!(
        !texts.iter().any(|t| ["chancelier", "président", "déclaré"].contains(t)),
        "{texts:?}"
    );
    assert!(texts.contains(&"Friedrich Merz"), "{texts:?}");
    assert!(!texts.contains(&"Friedrich") && !texts.contains(&"Merz"), "{texts:?}");

    let text = "Il governo ha discusso dell'immigrazione con l'Unione europea. Secondo il ministro, \
                sull'immigrazione serve un'intesa: l'Italia chiede all'Europa più solidarietà \
                sull'immigrazione.";
    let tags = extract_tags("L'Italia e l'immigrazione", text, Some("it"), 10);
    let texts: Vec<&str> = tags.iter().map(|t| t.text.as_str()).collect();
    assert!(
        texts.contains(&"immigrazione") && texts.contains(&"Italia"),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains('\'')), "{texts:?}");
}

#[test]
fn german_tags_type_people_by_evidence_not_capitals() {
    let text = "Bundeskanzler Friedrich Merz trifft den französischen Präsidenten Emmanuel Macron in Paris. \
                Deutschland und Frankreich wollen ihre Zusammenarbeit bei der Verteidigung vertiefen. \
                Die Zusammenarbeit sei gut, sagte Merz. Die Verteidigung bleibt teuer.";
    let got = newsdesk_stories::tags_and_entities("Merz trifft Macron in Paris", text, Some("de"), 10);
    let kind_of = |text: &str| got.tags.iter().find(|t| t.text == text).map(|t| t.kind);
    assert_eq!(kind_of("Friedrich Merz"), Some(TagKind::Person), "{:?}", got.tags);
    assert_eq!(kind_of("Deutschland"), Some(TagKind::Place), "{:?}", got.tags);
    // A capitalised German noun is a keyphrase, not a name; titles are neither.
    assert_eq!(kind_of("Zusammenarbeit"), Some(TagKind::Keyphrase), "{:?}", got.tags);
    assert!(
        kind_of("Bundeskanzler").is_none() && kind_of("Präsidenten").is_none(),
        "{:?}",
        got.tags
    );
}

#[test]
fn german_tags_are_nouns_and_names_not_lower_case_words() {
    let text = "Die Regierung hat am Mittwoch einen umfassenden Plan zur Modernisierung der Eisenbahn \
                vorgestellt. Der Plan sieht vor, marode Brücken und Stellwerke schneller zu erneuern. \
                Verkehrsverbände begrüßten den ehrgeizigen Plan grundsätzlich, kritisierten aber die \
                unzureichende Finanzierung. Die Eisenbahn soll bis 2030 deutlich pünktlicher werden.";
    let tags = extract_tags("Regierung stellt Plan für die Eisenbahn vor", text, Some("de"), 10);
    let texts: Vec<&str> = tags.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"Eisenbahn") && texts.contains(&"Plan"), "{texts:?}");
    // Verbs, adjectives and adverbs are written in lower case in German.
    assert!(
        texts.iter().all(|t| t.chars().next().is_some_and(char::is_uppercase)),
        "{texts:?}"
    );
}
