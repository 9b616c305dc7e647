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

fn texts(tags: &[newsdesk_stories::Tag]) -> Vec<String> {
    tags.iter().map(|t| t.text.to_lowercase()).collect()
}

#[test]
fn calendar_and_quantity_words_are_no_tags() {
    let text = "On Saturday the harbour board said millions of visitors came in March. On Saturday \
                thousands more queued for the ferry, and the board expects millions again in March. \
                Hundreds of volunteers helped on Saturday. The ferry carried four hundred visitors.";
    let tags = extract_tags("Harbour ferry draws millions on Saturday", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t.contains("ferry")), "{texts:?}");
    for bad in [
        "saturday",
        "march",
        "millions",
        "thousands",
        "hundreds",
        "hundred",
        "four",
    ] {
        assert!(
            !texts.iter().any(|t| t.split(' ').any(|w| w == bad)),
            "{bad}: {texts:?}"
        );
    }
    // The other languages' quantity words too.
    let text = "Centinaia di persone hanno lasciato le case. Migliaia di volontari aiutano, e la \
                regione chiede milioni per le case. Centinaia di case sono senza luce.";
    let italian = self::texts(&extract_tags("Alluvione, centinaia di sfollati", text, Some("it"), 10));
    assert!(italian.iter().any(|t| t == "case"), "{italian:?}");
    for bad in ["centinaia", "migliaia", "milioni"] {
        assert!(
            !italian.iter().any(|t| t.split(' ').any(|w| w == bad)),
            "{bad}: {italian:?}"
        );
    }
}

#[test]
fn verb_forms_and_adverbs_are_no_tags() {
    // Past forms and adverbs go by their ending; common third-person verbs by a short list.
    let text = "The council announced that the flooded quarry had damaged the towpath. Walkers \
                increasingly complained, and the council announced repairs. The quarry opens again \
                next spring; the towpath reopened after the council repaired the damaged section.";
    let tags = extract_tags("Quarry opens as towpath is repaired", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t.contains("towpath")), "{texts:?}");
    for bad in ["announced", "damaged", "increasingly", "opens", "repaired", "flooded"] {
        assert!(
            !texts.iter().any(|t| t.split(' ').any(|w| w == bad)),
            "{bad}: {texts:?}"
        );
    }
}

#[test]
fn title_case_verb_forms_are_no_tags() {
    let text = "Two walkers died when the storm brought down trees on the coast path. Rescuers \
                searched the coast path until midnight; the storm moved north by morning.";
    let tags = extract_tags("Two Killed As Storm Wrecked Coast Path", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t.contains("storm")), "{texts:?}");
    assert!(
        !texts
            .iter()
            .any(|t| t.split(' ').any(|w| w == "killed" || w == "wrecked")),
        "{texts:?}"
    );
}

#[test]
fn ing_words_are_tags_only_when_used_as_nouns() {
    // "bombing" ends its run after "the" or a noun; "conceding" only ever governs an object.
    let text = "The bombing shook the market square. Police linked the bombing to a gang, conceding \
                mistakes. Officers kept conceding ground to reporters about the car bombing, and \
                residents asked why the bombing was not prevented.";
    let tags = extract_tags("Market square bombing", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(
        texts.iter().any(|t| t == "bombing" || t.ends_with(" bombing")),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t == "conceding"), "{texts:?}");
}

#[test]
fn contractions_with_curly_apostrophes_are_stopwords() {
    let text = "The mayor didn’t sign the tram contract. The council couldn’t agree on the tram \
                route and didn’t vote. Tram campaigners said the delay wasn’t fair.";
    let tags = extract_tags("Tram contract stalls", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t.contains("tram")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains('’')), "{texts:?}");
}

#[test]
fn no_tag_is_a_cut_of_a_longer_phrase() {
    // The title's run is longer than a phrase may be; its three-word cuts are no tags, and of the
    // overlapping phrases of the text only one is shown.
    let text = "Engineers switched on the tidal power plant in the estuary. The tidal power plant \
                feeds the grid at high water. Critics of the tidal power plant fear for the birds, \
                but the tidal power station next door has done no harm.";
    let tags = extract_tags("Europe's largest tidal power plant opens", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t.contains("tidal power")), "{texts:?}");
    assert!(
        !texts
            .iter()
            .any(|t| t == "europe largest" || t == "europe largest tidal" || t == "largest tidal power"),
        "{texts:?}"
    );
    let phrases: Vec<&String> = texts.iter().filter(|t| t.contains(' ')).collect();
    for a in &phrases {
        for b in &phrases {
            assert!(a == b || !b.contains(a.as_str()), "{a} is a piece of {b}: {texts:?}");
        }
    }
}

#[test]
fn a_word_seen_only_inside_one_phrase_is_shown_as_the_phrase() {
    // "Ravensworth" never occurs without "Ravensworth Colliery".
    let text = "Ravensworth Colliery closed in 1962. Miners from Ravensworth Colliery marched \
                through the village. The museum keeps the lamps of Ravensworth Colliery and the \
                wages book of the pit.";
    let tags = extract_tags("Museum remembers the pit", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t == "ravensworth colliery"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "ravensworth"), "{texts:?}");
}

#[test]
fn ten_tags_hold_the_best_recurring_phrase() {
    // Long single words outrank the phrase, but a list of ten keeps a place for a phrase named
    // as a unit twice or more.
    let text = "Hospital managers, surgeons, anaesthetists, radiographers and physiotherapists met \
                on the waiting list. Surgeons and anaesthetists blamed the managers; radiographers \
                and physiotherapists blamed the surgeons. Managers said the waiting list would \
                shrink. Pharmacists, dieticians and porters said the waiting list had grown; \
                pharmacists and dieticians asked for staff, porters for pay, surgeons for theatres.";
    let tags = extract_tags("Hospital staff argue", text, Some("en"), 10);
    let texts = texts(&tags);
    assert_eq!(texts.len(), 10, "{texts:?}");
    assert!(texts.iter().any(|t| t == "waiting list"), "{texts:?}");
    assert!(tags.windows(2).all(|w| w[0].score >= w[1].score), "{tags:?}");
}

#[test]
fn a_phrase_named_twice_as_a_unit_takes_the_phrase_place() {
    // "tidal barrier" stands on its own twice, never inside a longer run: named as a unit that
    // often it is a term of the article, and it takes the place kept for a phrase.
    let text = "Engineers, hydrologists, ecologists and fishermen met about the tidal barrier. \
                Hydrologists and ecologists warned the engineers; fishermen and boatbuilders \
                warned the hydrologists. Councillors, boatbuilders and ecologists said the tidal \
                barrier would close in winter; councillors and fishermen asked for compensation, \
                engineers for surveys, boatbuilders for moorings.";
    let tags = extract_tags("Estuary plan argued over", text, Some("en"), 10);
    let texts = texts(&tags);
    assert_eq!(texts.len(), 10, "{texts:?}");
    assert!(texts.iter().any(|t| t == "tidal barrier"), "{texts:?}");
}

#[test]
fn an_article_naming_its_phrases_again_and_again_gives_them_more_places() {
    // Both phrases stand on their own four times: the article names its terms as phrases, so a
    // second place of the ten goes to a phrase. Long single words would fill the list otherwise.
    let text = "Engineers, hydrologists, ecologists and fishermen discussed the tidal barrier and \
                the salt marsh with surveyors, ornithologists and planners. Hydrologists said the \
                tidal barrier would drown the salt marsh; ecologists and boatbuilders said the salt \
                marsh would survive the tidal barrier. Councillors, boatbuilders and fishermen \
                asked engineers, surveyors and planners about moorings, compensation and dredging. \
                The tidal barrier will close in winter and the salt marsh will flood in spring, when \
                ecologists, ornithologists, hydrologists and councillors count the birds.";
    let tags = extract_tags("Estuary plan argued over", text, Some("en"), 10);
    let texts = texts(&tags);
    assert_eq!(texts.len(), 10, "{texts:?}");
    assert!(texts.iter().any(|t| t == "tidal barrier"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "salt marsh"), "{texts:?}");
}

#[test]
fn a_phrase_met_once_inside_a_longer_run_is_no_tag() {
    // Every two or three words of the title's four-word run would be a phrase of the title; none
    // stands on its own anywhere, only the whole run does.
    let text = "The lifeboat went out eleven times in August. Each rescue was logged by the coxswain, \
                and the station now holds the county record. Volunteers train every week.";
    let tags = extract_tags("Village lifeboat rescue record", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t == "lifeboat"), "{texts:?}");
    assert!(
        texts
            .iter()
            .filter(|t| t.contains(' '))
            .all(|t| t == "village lifeboat rescue record"),
        "{texts:?}"
    );
}

#[test]
fn a_run_longer_than_a_phrase_gives_its_head_end() {
    // English puts the head noun last: of a five-word run the last four words are the phrase, the
    // first words a cut; Italian puts it first.
    let text = "Europe's largest tidal power plant started work on Monday. Engineers said Europe's \
                largest tidal power plant would feed the grid.";
    let tags = extract_tags("Engineers start the plant", text, Some("en"), 10);
    let texts = texts(&tags);
    assert!(texts.iter().any(|t| t == "largest tidal power plant"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.starts_with("europe ")), "{texts:?}");
    let text = "La centrale elettrica mareomotrice costiera europea, dice il ministro, funziona. Ieri \
                la centrale elettrica mareomotrice costiera europea ha prodotto energia per la rete.";
    let italian = self::texts(&extract_tags("Energia dal mare", text, Some("it"), 10));
    assert!(
        italian.iter().any(|t| t == "centrale elettrica mareomotrice costiera"),
        "{italian:?}"
    );
}

#[test]
fn a_word_never_on_its_own_only_fills_the_list() {
    // "coal" occurs four times, always as part of a different longer term; "miners" stands alone.
    let text = "The coal seam ran under the chapel. Miners loaded coal wagons by hand. When coal \
                prices fell the coal board closed the shaft, and the miners left.";
    let tags = extract_tags("Chapel shaft closes", text, Some("en"), 10);
    assert!(rank_of(&tags, "miners") < rank_of(&tags, "coal"), "{tags:?}");
}

#[test]
fn an_article_naming_three_phrases_throughout_gives_each_a_place() {
    // Each phrase stands on its own three times: the article names its terms as phrases, so three
    // places of the ten go to them, though long single words would fill the list otherwise.
    let text = "Engineers, hydrologists, ecologists and fishermen discussed the tidal barrier, the \
                salt marsh and the shipping channel with surveyors, ornithologists and planners. \
                Hydrologists said the tidal barrier would drown the salt marsh; ecologists and \
                boatbuilders said the shipping channel would silt. Councillors, boatbuilders and \
                fishermen asked engineers, surveyors and planners about moorings, compensation and \
                dredging. The tidal barrier will close in winter, the salt marsh will flood in spring \
                and the shipping channel will stay open, when ecologists, ornithologists, hydrologists and \
                councillors count the birds.";
    let tags = extract_tags("Estuary plan argued over", text, Some("en"), 10);
    let texts = texts(&tags);
    assert_eq!(texts.len(), 10, "{texts:?}");
    for phrase in ["tidal barrier", "salt marsh", "shipping channel"] {
        assert!(texts.iter().any(|t| t == phrase), "{phrase} missing from {texts:?}");
    }
}

#[test]
fn a_phrase_named_once_as_a_unit_and_again_inside_a_longer_one_takes_the_phrase_place() {
    // "salt marsh" stands on its own once and comes again at the head of "salt marsh survey": a
    // term named twice, once as a unit, is one of the article's, and it takes the phrase place.
    let text = "Engineers, hydrologists, ecologists and fishermen met about the salt marsh. \
                Hydrologists and ecologists warned the engineers; fishermen and boatbuilders \
                warned the hydrologists. Councillors, boatbuilders and ecologists asked for a salt \
                marsh survey before winter; councillors and fishermen asked for compensation, \
                engineers for surveys, boatbuilders for moorings.";
    let tags = extract_tags("Estuary plan argued over", text, Some("en"), 10);
    let texts = texts(&tags);
    assert_eq!(texts.len(), 10, "{texts:?}");
    assert!(texts.iter().any(|t| t == "salt marsh"), "{texts:?}");
}
