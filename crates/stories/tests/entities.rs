//! Named entities: people, places and organisations told apart by titles, organisation words, the
//! gazetteer, given names and speech verbs.

use newsdesk_stories::{extract_entities, tags_and_entities, EntityKind, TagKind};

const ARTICLE: &str = include_str!("fixtures/entities_article.txt");

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|x| x == name)
}

#[test]
fn people_places_and_organisations_are_typed() {
    let e = extract_entities("Portugal raises growth forecast", ARTICLE, Some("en"));
    // Title before the name, speech verb after it, given name, honorific.
    for person in ["Maria Albuquerque", "Joao Ferreira", "Tavares"] {
        assert!(has(&e.people, person), "{person} in {:?}", e.people);
    }
    // "Albuquerque told": the surname counts for the full name, it is not a place of its own.
    assert!(!has(&e.places, "Albuquerque"), "{:?}", e.places);
    assert!(!has(&e.people, "Albuquerque"), "{:?}", e.people);
    assert_eq!(e.people.first().map(String::as_str), Some("Maria Albuquerque"));
    for place in [
        "Portugal", "Lisbon", "Brussels", "Brazil", "Angola", "Madrid", "Spain", "Porto",
    ] {
        assert!(has(&e.places, place), "{place} in {:?}", e.places);
    }
    for org in [
        "Central Bank of Portugal",
        "European Commission",
        "Galp Energia SA",
        "Millennium Investment Partners",
        "Socialist Party",
        "University of Coimbra",
        "IMF",
        "ECB",
    ] {
        assert!(has(&e.organizations, org), "{org} in {:?}", e.organizations);
    }
    // Common acronyms, days and sentence-opening words are not entities.
    let all: Vec<&String> = e.people.iter().chain(&e.places).chain(&e.organizations).collect();
    for not in [
        "TV",
        "Tuesday",
        "Meanwhile",
        "Officials",
        "Shares",
        "Analysts",
        "The Central Bank of Portugal",
    ] {
        assert!(!all.iter().any(|x| x.as_str() == not), "{not} in {all:?}");
    }
    // The place inside an organisation's name is not a mention of the place on its own... but
    // Portugal is in the title, so it ranks first among places.
    assert_eq!(e.places.first().map(String::as_str), Some("Portugal"));
}

#[test]
fn title_case_headlines_use_the_gazetteer_and_given_names() {
    let e = extract_entities(
        "Zac Efron Teases Reunion As Fans Flock To London Premiere",
        "",
        Some("en"),
    );
    assert_eq!(e.people, ["Zac Efron"]);
    assert_eq!(e.places, ["London"]);
    assert!(e.organizations.is_empty(), "{:?}", e.organizations);
    // In sentence case the capitals are names.
    let e = extract_entities(
        "Gazprom warns Ukraine over unpaid gas bills, says CEO Alexei Miller",
        "",
        Some("en"),
    );
    assert!(has(&e.places, "Ukraine"), "{e:?}");
    assert!(has(&e.people, "Alexei Miller"), "{e:?}");
}

#[test]
fn tags_carry_entity_kinds() {
    let got = tags_and_entities("Portugal raises growth forecast", ARTICLE, Some("en"), 10);
    assert!(!got.entities.is_empty());
    let kind_of = |text: &str| got.tags.iter().find(|t| t.text == text).map(|t| t.kind);
    assert_eq!(kind_of("Portugal"), Some(TagKind::Place), "{:?}", got.tags);
    assert_eq!(got.entities.kind_of("ecb"), Some(EntityKind::Organization));
    let json = serde_json::to_value(&got).unwrap_or_default();
    for field in ["tags", "people", "places", "organizations"] {
        assert!(json.get(field).is_some_and(|v| v.is_array()), "{field} in {json}");
    }
}

#[test]
fn empty_input_has_no_entities() {
    assert!(extract_entities("", "", None).is_empty());
    assert!(extract_entities("the quick brown fox", "jumps over the lazy dog.", None).is_empty());
}

#[test]
fn titles_inside_names() {
    let text = "Shares of General Motors fell after President Obama spoke. Fans of the Star Wars films \
                cheered, and Bank of England Governor Mark Carney said rates would stay low.";
    let e = extract_entities("", text, Some("en"));
    assert!(has(&e.organizations, "General Motors"), "{e:?}");
    assert!(has(&e.organizations, "Bank of England"), "{e:?}");
    assert!(has(&e.people, "Obama"), "{e:?}");
    assert!(has(&e.people, "Mark Carney"), "{e:?}");
    assert!(!has(&e.people, "Wars") && !has(&e.people, "Motors"), "{e:?}");
}

#[test]
fn a_person_of_an_organisation_and_titles_without_dots() {
    let text = "Prices rose, said economist Bill Cheney of John Hancock Financial Services. \
                Police want answers, Lt Garcia said on Friday.";
    let e = extract_entities("", text, Some("en"));
    assert!(has(&e.people, "Bill Cheney"), "{e:?}");
    assert!(has(&e.organizations, "John Hancock Financial Services"), "{e:?}");
    assert!(has(&e.people, "Garcia"), "{e:?}");
    assert!(!has(&e.people, "Lt Garcia"), "{e:?}");
}

#[test]
fn headings_and_shouted_words_are_not_names() {
    let text = "Choosing a topic is the first step.\nBest College Essay Topics\n\
                Write about what you know. ALL of it counts, says the STEP guide from Harvard University.";
    let e = extract_entities("How to write an essay", text, Some("en"));
    assert!(!has(&e.organizations, "Best College Essay Topics"), "{e:?}");
    assert!(!has(&e.organizations, "ALL") && !has(&e.organizations, "STEP"), "{e:?}");
    assert!(has(&e.organizations, "Harvard University"), "{e:?}");
}

#[test]
fn any_cut_of_a_text_is_handled() {
    // Runs that lose their first words (months, titles, openers) to a particle, and every prefix
    // and suffix of the fixture: no panic, and the month never becomes part of a name.
    let e = extract_entities(
        "",
        "Donations to the March of Dimes rose. Secretary of State John Kerry spoke.",
        None,
    );
    assert!(
        !e.organizations.iter().chain(&e.people).any(|x| x.starts_with("of ")),
        "{e:?}"
    );
    let text = format!("{ARTICLE} March of Dimes. Of Mice and Men. Mr. . President of the");
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    for &i in cuts.iter().step_by(7) {
        let _ = extract_entities(&text[i..], &text[..i], None);
        let _ = tags_and_entities(&text[..i], &text[i..], None, 5);
    }
}

// Other languages: sentences written for these tests.

const GERMAN: &str = "Bundeskanzler Friedrich Merz trifft den französischen Präsidenten Emmanuel Macron in Paris. \
    Deutschland und Frankreich wollen ihre Zusammenarbeit bei der Verteidigung vertiefen. \
    \"Wir brauchen eine starke Europäische Union\", sagte Merz nach dem Treffen. Auch die Europäische \
    Zentralbank und die Lage in der Hauptstadt der Ukraine waren Thema. Frau Schmidt von der CDU lobte \
    die Reise. Am Montag reist der Kanzler weiter nach Brüssel. Die Wirtschaft Deutschlands wächst kaum, \
    sagte Finanzminister Lars Klingbeil in Berlin.";

const FRENCH: &str = "Le chancelier allemand Friedrich Merz a été reçu mardi à l'Élysée par le président \
    Emmanuel Macron. L'Allemagne et la France veulent renforcer leur coopération. « Nous avons besoin \
    d'une Europe forte », a déclaré Merz à l'issue de l'entretien. Selon la Banque de France, la \
    croissance reste faible. Jusqu'à présent, l'Allemagne n'a pas changé d'avis sur l'Ukraine.";

const SPANISH: &str = "El presidente del Gobierno, Pedro Sánchez, recibió el lunes a la primera ministra \
    italiana Giorgia Meloni en Madrid. España e Italia quieren coordinar su política migratoria ante la \
    Unión Europea. \"Tenemos que actuar juntos\", dijo Sánchez. El Banco de España advirtió de un menor \
    crecimiento. La ministra de Hacienda viajará en marzo a Nueva York.";

const ITALIAN: &str = "La presidente del Consiglio Giorgia Meloni ha ricevuto a Roma il presidente \
    francese Emmanuel Macron. L'Italia e la Francia vogliono rafforzare la cooperazione nell'Unione \
    europea. Secondo la Banca d'Italia la crescita resta debole. Il ministro dell'Economia Giancarlo \
    Giorgetti ha parlato a Milano. L'Europa deve cambiare, ha aggiunto Macron.";

const PORTUGUESE: &str = "O presidente Luiz Inácio Lula da Silva recebeu nesta terça-feira o presidente \
    do Governo espanhol, Pedro Sánchez, em Brasília. O Brasil e a Espanha querem ampliar o comércio. \
    \"Precisamos de um acordo justo\", disse Lula. O Banco Central do Brasil manteve a taxa de juros. \
    O ministro da Fazenda viaja em março para Nova York.";

fn all_entities(e: &newsdesk_stories::Entities) -> Vec<&String> {
    e.people.iter().chain(&e.places).chain(&e.organizations).collect()
}

#[test]
fn german_capitals_alone_make_no_names() {
    let e = extract_entities(
        "Merz und Macron beraten in Paris über die Zukunft Europas",
        GERMAN,
        Some("de"),
    );
    for person in ["Friedrich Merz", "Emmanuel Macron", "Lars Klingbeil", "Schmidt"] {
        assert!(has(&e.people, person), "{person} in {e:?}");
    }
    // "sagte Merz" counts for Friedrich Merz, who ranks first.
    assert_eq!(e.people.first().map(String::as_str), Some("Friedrich Merz"), "{e:?}");
    for place in ["Paris", "Deutschland", "Frankreich", "Ukraine", "Brüssel", "Berlin"] {
        assert!(has(&e.places, place), "{place} in {e:?}");
    }
    for org in ["Europäische Zentralbank", "CDU"] {
        assert!(has(&e.organizations, org), "{org} in {e:?}");
    }
    let all = all_entities(&e);
    for not in [
        "Zusammenarbeit",
        "Verteidigung",
        "Hauptstadt",
        "Treffen",
        "Wirtschaft",
        "Bundeskanzler",
        "Kanzler",
        "Montag",
        "Frau Schmidt",
    ] {
        assert!(!all.iter().any(|x| x.contains(not)), "{not} in {all:?}");
    }
}

#[test]
fn french_elided_articles_are_not_part_of_names() {
    let e = extract_entities("Friedrich Merz reçu à l'Élysée par Emmanuel Macron", FRENCH, Some("fr"));
    assert!(has(&e.people, "Friedrich Merz"), "{e:?}");
    assert!(has(&e.people, "Emmanuel Macron"), "{e:?}");
    for place in ["Allemagne", "France", "Europe", "Ukraine"] {
        assert!(has(&e.places, place), "{place} in {e:?}");
    }
    assert!(has(&e.organizations, "Élysée"), "{e:?}");
    assert!(has(&e.organizations, "Banque de France"), "{e:?}");
    let all = all_entities(&e);
    assert!(!all.iter().any(|x| x.contains('\'') || x.contains('’')), "{all:?}");
    assert!(
        !all.iter().any(|x| x.as_str() == "Jusqu" || x.as_str() == "Merz"),
        "{all:?}"
    );
}

#[test]
fn spanish_italian_portuguese_titles_places_and_organisations() {
    let e = extract_entities("", SPANISH, Some("es"));
    for person in ["Pedro Sánchez", "Giorgia Meloni"] {
        assert!(has(&e.people, person), "{person} in {e:?}");
    }
    for place in ["Madrid", "España", "Italia", "Nueva York"] {
        assert!(has(&e.places, place), "{place} in {e:?}");
    }
    for org in ["Unión Europea", "Banco de España"] {
        assert!(has(&e.organizations, org), "{org} in {e:?}");
    }
    assert!(
        !all_entities(&e)
            .iter()
            .any(|x| x.contains("Hacienda") && x.contains(' ')),
        "{e:?}"
    );

    let e = extract_entities("", ITALIAN, Some("it"));
    for person in ["Giorgia Meloni", "Emmanuel Macron", "Giancarlo Giorgetti"] {
        assert!(has(&e.people, person), "{person} in {e:?}");
    }
    for place in ["Roma", "Italia", "Francia", "Milano", "Europa"] {
        assert!(has(&e.places, place), "{place} in {e:?}");
    }
    assert!(has(&e.organizations, "Banca d'Italia"), "{e:?}");
    assert!(
        !all_entities(&e)
            .iter()
            .any(|x| x.contains("Consiglio") || x.contains("Economia")),
        "{e:?}"
    );

    let e = extract_entities("", PORTUGUESE, Some("pt"));
    for person in ["Luiz Inácio Lula da Silva", "Pedro Sánchez"] {
        assert!(has(&e.people, person), "{person} in {e:?}");
    }
    // "disse Lula" counts for the full name.
    assert!(!has(&e.people, "Lula"), "{e:?}");
    for place in ["Brasília", "Brasil", "Espanha", "Nova York"] {
        assert!(has(&e.places, place), "{place} in {e:?}");
    }
    assert!(has(&e.organizations, "Banco Central do Brasil"), "{e:?}");
}

#[test]
fn english_apostrophes_stay_in_names() {
    let text = "Shares of L'Oreal rose after Patrick O'Brien, the analyst, said demand was strong. \
                O'Brien didn't expect it.";
    let e = extract_entities("", text, Some("en"));
    assert!(has(&e.people, "Patrick O'Brien"), "{e:?}");
    // Without a language the text is English too.
    let e = extract_entities("", text, None);
    assert!(has(&e.people, "Patrick O'Brien"), "{e:?}");
}

#[test]
fn any_cut_of_the_other_languages_is_handled() {
    for (text, code) in [
        (GERMAN, "de"),
        (FRENCH, "fr"),
        (SPANISH, "es"),
        (ITALIAN, "it"),
        (PORTUGUESE, "pt"),
        (FRENCH, "ca"),
    ] {
        let text = format!("{text} Café Cafés l' d'  dell'Unione’ Herr von der. Präsident von");
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &i in cuts.iter().step_by(5) {
            let _ = extract_entities(&text[i..], &text[..i], Some(code));
            let _ = tags_and_entities(&text[..i], &text[i..], Some(code), 5);
        }
    }
}
