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
use rustc_hash::FxHashSet as HashSet;
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
    let entities = extract_entities(title, text, Some(language));
    // Where capitals do not tell names (German), the entities found do.
    let names: Option<HashSet<String>> = (language == "de").then(|| {
        let all = entities
            .people
            .iter()
            .chain(&entities.places)
            .chain(&entities.organizations);
        all.flat_map(|e| e.split(' ')).map(str::to_lowercase).collect()
    });
    let english = language == "en" || super::lang::lexicon(language).is_english();
    let mut tags = tags_with(
        title,
        text,
        language,
        if english { top } else { top + 5 },
        names.as_ref(),
    );
    if !english {
        name_people(&mut tags, &entities.people);
        tags.truncate(top);
    }
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

/// A given name or surname alone as a tag ("Friedrich", "Merz") stands for the person found in the
/// article: it shows the full name ("Friedrich Merz"), or goes when that is a tag already.
fn name_people(tags: &mut Vec<Tag>, people: &[String]) {
    let mut seen: HashSet<String> = tags.iter().map(|t| t.text.to_lowercase()).collect();
    tags.retain_mut(|t| {
        if t.text.contains(' ') {
            return true;
        }
        let part_of = |p: &&String| {
            // First, last, or a middle name of more than three letters ("Lula").
            let words: Vec<&str> = p.split(' ').collect();
            let n = words.len();
            n >= 2
                && words
                    .iter()
                    .enumerate()
                    .any(|(k, w)| w.eq_ignore_ascii_case(&t.text) && (k == 0 || k + 1 == n || w.chars().count() > 3))
        };
        let full = people.iter().find(part_of);
        match full {
            None => true,
            Some(full) if seen.contains(&full.to_lowercase()) => false,
            Some(full) => {
                seen.insert(full.to_lowercase());
                t.text = full.clone();
                true
            }
        }
    });
}

/// The `top` best tags of an article, best first. `language` is an ISO 639-1 code; when `None` it
/// is detected from the text (English when undecided). Kinds are `Name` or `Keyphrase`;
/// [`tags_and_entities`] tells people, places and organisations apart.
pub fn extract_tags(title: &str, text: &str, language: Option<&str>, top: usize) -> Vec<Tag> {
    let language = language.unwrap_or_else(|| tag_language(title, text));
    tags_with(title, text, language, top, None)
}

/// [`extract_tags`] with the language known and, for German, the words of the names found.
fn tags_with(title: &str, text: &str, language: &str, top: usize, names: Option<&HashSet<String>>) -> Vec<Tag> {
    let mut scored: Vec<(f32, u64, &Candidate)> = Vec::new();
    let (words, found) = candidates(title, text, language, names);
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
