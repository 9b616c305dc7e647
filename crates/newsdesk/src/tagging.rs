//! Tags for articles: ranked keyphrases and named entities from the stories crate.

use crate::store::{ArticleEntities, ArticleRow};

/// Tags shown on a Hugo post (the best of the stored ranking).
pub const HUGO_TAGS: usize = 5;

/// Named entities kept per kind on a post.
pub const ENTITIES_PER_KIND: usize = 10;

/// The best `top` tags for an article: the same as `newsdesk tags` gives. Outside English a given
/// name or surname alone shows as the person's full name found by the entities, so the tags come
/// from [`newsdesk_stories::tags_and_entities`] rather than the keyphrases alone.
pub fn tags(title: &str, text: &str, language: Option<&str>, top: usize) -> Vec<String> {
    newsdesk_stories::tags_and_entities(title, text, language, top)
        .tags
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The people, places and organisations an article names (the best [`ENTITIES_PER_KIND`] of each),
/// as its posts show them: kept with the article when it is tagged ([`stored_entities`]), found again
/// only for an article stored before they were kept.
pub fn entities(title: &str, text: &str, language: Option<&str>) -> newsdesk_stories::Entities {
    let mut e = newsdesk_stories::extract_entities(title, text, language);
    e.people.truncate(ENTITIES_PER_KIND);
    e.places.truncate(ENTITIES_PER_KIND);
    e.organizations.truncate(ENTITIES_PER_KIND);
    e
}

/// [`tags`] and [`stored_entities`] of an article, kept together when it is tagged. With a language
/// given, the ranking finds the entities with that language anyway, so one pass gives both; without
/// one, the ranking guesses a language where [`entities`] takes English, so they are found apart.
pub fn tags_and_stored_entities(
    title: &str,
    text: &str,
    language: Option<&str>,
    top: usize,
) -> (Vec<String>, ArticleEntities) {
    let Some(language) = language else {
        return (tags(title, text, None, top), stored_entities(title, text, None));
    };
    let found = newsdesk_stories::tags_and_entities(title, text, Some(language), top);
    let mut e = found.entities;
    e.people.truncate(ENTITIES_PER_KIND);
    e.places.truncate(ENTITIES_PER_KIND);
    e.organizations.truncate(ENTITIES_PER_KIND);
    let entities = ArticleEntities {
        people: e.people,
        places: e.places,
        organizations: e.organizations,
    };
    (found.tags.into_iter().map(|t| t.text).collect(), entities)
}

/// [`entities`] in the form the store keeps with the article.
pub fn stored_entities(title: &str, text: &str, language: Option<&str>) -> ArticleEntities {
    let e = entities(title, text, language);
    ArticleEntities {
        people: e.people,
        places: e.places,
        organizations: e.organizations,
    }
}

/// Puts the article's named entities on its post: the stored ones, else found in its text.
pub fn add_entities(post: &mut newsdesk_publish::Post, article: &ArticleRow) {
    let e = match &article.entities {
        Some(stored) => stored.clone(),
        None => {
            let title = article.title.as_deref().unwrap_or(&post.headline);
            stored_entities(title, &article.text, article.language.as_deref())
        }
    };
    post.people = e.people;
    post.places = e.places;
    post.organizations = e.organizations;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_tags_name_people_in_full_as_the_tags_command_does() {
        let text = "Le chancelier allemand Friedrich Merz a été reçu mardi à l'Élysée par le président \
                    Emmanuel Macron. L'Allemagne et la France veulent renforcer leur coopération. \
                    « Nous avons besoin d'une Europe forte », a déclaré Merz.";
        let got = tags("Merz reçu à l'Élysée", text, Some("fr"), 10);
        let want: Vec<String> = newsdesk_stories::tags_and_entities("Merz reçu à l'Élysée", text, Some("fr"), 10)
            .tags
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(got, want);
        assert!(got.iter().any(|t| t == "Friedrich Merz"), "{got:?}");
        assert!(!got.iter().any(|t| t == "Merz"), "{got:?}");
    }

    #[test]
    fn tags_and_entities_together_are_those_found_apart() {
        let text = "Finance Minister Maria Albuquerque said the European Investment Bank would lend to \
                    Portugal. Officials in Porto welcomed the news. Albuquerque spoke in Lisbon.";
        for language in [Some("en"), Some("pt"), None] {
            let (got_tags, got_entities) = tags_and_stored_entities("Lisbon approves bridge", text, language, 10);
            assert_eq!(
                got_tags,
                tags("Lisbon approves bridge", text, language, 10),
                "{language:?}"
            );
            assert_eq!(
                got_entities,
                stored_entities("Lisbon approves bridge", text, language),
                "{language:?}"
            );
        }
    }

    #[test]
    fn entities_reach_the_post() {
        let article = ArticleRow {
            title: Some("Lisbon approves bridge".into()),
            text: "Finance Minister Maria Albuquerque said the European Investment Bank would lend to \
                   Portugal. Officials in Porto welcomed the news."
                .into(),
            ..Default::default()
        };
        let mut post = newsdesk_publish::Post::new("k", "Lisbon approves bridge", Default::default(), "", "");
        add_entities(&mut post, &article);
        assert_eq!(post.people, ["Maria Albuquerque"]);
        assert!(post.places.iter().any(|p| p == "Lisbon") && post.places.iter().any(|p| p == "Porto"));
        assert_eq!(post.organizations, ["European Investment Bank"]);
    }
}
