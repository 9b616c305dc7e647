//! Ranking keyphrase candidates.
//!
//! A phrase scores by how often it occurs, where it first occurs (earlier is better: news puts the
//! point first), whether the title has it, and how long its words are: long words are the rare,
//! specific ones, short ones the common ("year", "back", "new"). A word counts less for the
//! occurrences it owes to a recurring phrase around it ("San" of "San Francisco"), and phrases of
//! several words rank below single words: readers (and keyphrase sets) name the terms one word at a
//! time far more often than as phrases. Phrases of several words must also recur or be a name or in
//! the title; otherwise any three adjacent words would compete with the real terms.

use super::candidates::{candidates, phrase, Candidate};
use super::entities::{extract_entities, Entities, EntityKind};
use serde::Serialize;

/// Share of a word's occurrences inside its most frequent recurring phrase that does not count.
const SUBSUMED: f32 = 0.7;
/// Power of the (mean) word length in characters that a score is multiplied by.
const LENGTH_EXPONENT: f32 = 1.5;
/// Weight of a phrase of several words against a single word.
const PHRASE_WEIGHT: f32 = 0.3;

/// Whether a tag is a named entity of a known kind, another name, or a keyphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    /// A person (see [`crate::extract_entities`] for how kinds are told).
    Person,
    /// A place.
    Place,
    /// An organisation.
    Organization,
    /// Capitalised inside sentences, of no kind the rules could tell.
    Name,
    /// Any other key word or phrase.
    Keyphrase,
}

/// One ranked tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// The tag as written in the article (its most frequent form).
    pub text: String,
    /// Ranking score; only the order means something.
    pub score: f32,
    /// Name or keyphrase.
    pub kind: TagKind,
}

/// Tags and named entities of an article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tags {
    /// The best keyphrases and names, best first; names of a known kind carry it.
    pub tags: Vec<Tag>,
    /// People, places and organisations named in the article, each list ranked.
    #[serde(flatten)]
    pub entities: Entities,
}

/// The `top` best tags of an article, best first, and its named entities. `language` is an ISO
/// 639-1 code; when `None` it is detected from the text (English when undecided).
pub fn tags_and_entities(title: &str, text: &str, language: Option<&str>, top: usize) -> Tags {
    let language = language.unwrap_or_else(|| tag_language(title, text));
    let mut tags = extract_tags(title, text, Some(language), top);
    let entities = extract_entities(title, text, Some(language));
    for t in &mut tags {
        if let Some(kind) = entities.kind_of(&t.text) {
            t.kind = match kind {
                EntityKind::Person => TagKind::Person,
                EntityKind::Place => TagKind::Place,
                EntityKind::Organization => TagKind::Organization,
            };
        }
    }
    Tags { tags, entities }
}

/// The `top` best tags of an article, best first. `language` is an ISO 639-1 code; when `None` it
/// is detected from the text (English when undecided). Kinds are `Name` or `Keyphrase`;
/// [`tags_and_entities`] tells people, places and organisations apart.
pub fn extract_tags(title: &str, text: &str, language: Option<&str>, top: usize) -> Vec<Tag> {
    let language = language.unwrap_or_else(|| tag_language(title, text));
    let mut scored: Vec<(f32, u64, &Candidate)> = Vec::new();
    let (words, found) = candidates(title, text, language);
    for (&key, c) in &found {
        let is_name = c.as_name * 2 >= c.count;
        if c.words > 1 && c.count < 2 && !is_name && c.in_title == 0 {
            continue;
        }
        // A word counts less for the occurrences it owes to a recurring phrase around it.
        let mut score = c.count as f32 - SUBSUMED * c.in_phrase as f32;
        score *= 1.0 + 0.5 * (1.0 - c.first);
        if c.in_title > 0 {
            score *= 1.5;
        }
        // Longer words are rarer and more specific (the short ones are the common ones: "year",
        // "back", "new"); a phrase goes by its mean word length, and below single words.
        let shown = &words[c.shown.0..=c.shown.1];
        let chars: usize = shown.iter().map(|w| w.text.chars().count()).sum();
        score *= (chars as f32 / c.words as f32).powf(LENGTH_EXPONENT);
        if c.words > 1 {
            score *= PHRASE_WEIGHT;
        }
        scored.push((score, key, c));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(top)
        .map(|(score, _, c)| Tag {
            text: phrase(&words, c.shown),
            score,
            kind: if c.as_name * 2 >= c.count {
                TagKind::Name
            } else {
                TagKind::Keyphrase
            },
        })
        .collect()
}

/// The language of an article for its stopwords and stems. English text is recognised by its
/// stopwords at almost no cost; anything else goes to whatlang with a short sample (a few hundred
/// characters tell the language; more only costs time).
fn tag_language(title: &str, text: &str) -> &'static str {
    let sample_end = text.char_indices().nth(300).map_or(text.len(), |(i, _)| i);
    let sample = &text[..sample_end];
    let english = crate::text::stopwords("en");
    let words = crate::text::tokenize(sample);
    let hits = words
        .iter()
        .filter(|t| english.contains(&t.text.to_lowercase()))
        .count();
    if words.len() >= 20 && hits * 4 >= words.len() {
        return "en";
    }
    crate::language::guess_language(&format!("{title}\n{sample}")).unwrap_or("en")
}
