//! Ranking keyphrase candidates.
//!
//! A phrase scores by how often it occurs, where it first occurs (earlier is better: news puts the
//! point first), whether the title has it, and how long its words are: long words are the rare,
//! specific ones, short ones the common ("year", "back", "new"). A word counts less for the
//! occurrences it owes to a recurring phrase around it ("San" of "San Francisco"), and phrases of
//! several words rank below single words: crowd keyphrase sets name the terms one word at a time
//! far more often than as phrases. Phrases of several words must also recur or be a name or in the
//! title; otherwise any three adjacent words would compete with the real terms.
//!
//! Professional indexing names terms as phrases ("oil spill", "census bureau"), so one place in
//! ten (up to three when the article's phrases recur as units again and again) goes to the best
//! phrases that recur, ranked by how often they occur, how early they first come and how strong
//! their words are. No tag is a piece of another: a phrase met only inside
//! a longer run is none, of overlapping phrases the better ranked one stays, and a word that
//! mostly occurs inside one phrase is shown as that phrase. A graph ranker (PositionRank: a random
//! walk over co-occurring words restarting at early ones) was tried in place of these scores; it
//! ranked phrases better on phrase-style news but single words worse on crowd keyphrases.

use super::candidates::{candidates, phrase, Candidate, Word};
use super::entities::{extract_entities, Entities, EntityKind};
use crate::near_dup::mix_hash;
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;

/// Share of a word's occurrences inside its most frequent recurring phrase that does not count.
const SUBSUMED: f32 = 0.7;
/// Power of the (mean) word length in characters that a score is multiplied by.
const LENGTH_EXPONENT: f32 = 1.5;
/// Weight of a phrase of several words against a single word.
const PHRASE_WEIGHT: f32 = 0.3;
/// Occurrences a phrase needs to take a place kept for phrases: a term is named more than once,
/// and at least one of them as a unit (a whole run of content words, not a cut of a longer one).
const PLACE_PHRASE_COUNT: u32 = 2;
/// Occurrences in the text standing on its own (one fewer when the title has it too) that make a
/// phrase a term of the article, each such phrase (up to two more per ten) taking a place of its own.
const STRONG_PHRASE_WHOLE: u32 = 3;
/// One place in every this many tags is kept for the best recurring phrase.
const PHRASE_PLACE_EVERY: usize = 10;
/// Most places per ten kept for phrases, however many of the article's phrases are strong.
const PHRASE_PLACES_MAX: usize = 3;
/// How much more a phrase (or word) counts at the very start than at the end: news names its
/// terms in the first paragraphs. Phrases lean on it more than words: a word recurs all through an
/// article, while the phrase that names the story's subject comes with the lead.
const PHRASE_EARLY_BONUS: f32 = 2.0;
const WORD_EARLY_BONUS: f32 = 0.3;
/// Weight of a word never met on its own (always next to other content words): such a word is
/// a piece of longer terms, a tag only when nothing else is left.
const PIECE_WEIGHT: f32 = 1e-4;
/// Share of a word's occurrences in the text that one recurring phrase must hold for the word to
/// be shown as that phrase.
const IN_PHRASE_SHARE: f32 = 0.8;

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
    let (words, found) = candidates(title, text, language, names);
    let mut scored: Vec<(f32, u64, &Candidate)> = Vec::new();
    for (&key, c) in &found {
        let is_name = c.as_name * 2 >= c.count;
        if c.words > 1 && c.count < 2 && !is_name && c.in_title == 0 {
            continue;
        }
        // A phrase never on its own is a cut of a longer run ("Europe largest" of "Europe's largest
        // tidal power plant"); a word never on its own only fills up, unless it is shown as the
        // phrase that holds it (see `push`).
        let piece = c.whole == 0 && shown_as_phrase(c, &found).is_none();
        if piece && c.words > 1 {
            continue;
        }
        // An "-ing" word never used as a noun (never ending its run after a determiner or another
        // content word, as "the bombing", "marathon training" do) is a verb form: "conceding".
        let first = &words[c.shown.0];
        if c.words == 1 && c.nominal == 0 && c.as_name == 0 && is_ing_form(first.text) {
            continue;
        }
        let mut score = single_score(c, &words);
        if piece {
            score *= PIECE_WEIGHT;
        }
        scored.push((score, key, c));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));

    // Recurring phrases ranked on their own, by how often they recur and how strong their words
    // are: a list of single words only misses the terms news names in two or three words ("oil
    // spill", "census bureau"), so the last place of every ten (or two) goes to the best of these.
    let base = (top + PHRASE_PLACE_EVERY / 2) / PHRASE_PLACE_EVERY;
    // The article says how many of its terms are phrases: one whose phrases each stand on their
    // own again and again (a long report naming "the tidal barrier" throughout) gets up to two
    // more places for each ten; one whose phrases do not recur as units keeps its single words.
    let strong = scored.iter().filter(|x| is_strong_phrase(x.2)).count();
    let reserve = if base == 0 {
        0
    } else {
        strong.clamp(base, PHRASE_PLACES_MAX * base)
    };
    let mut phrases: Vec<(f32, u64, &Candidate)> = Vec::new();
    if reserve > 0 {
        let single: HashMap<u64, f32> = scored.iter().filter(|x| x.2.words == 1).map(|x| (x.1, x.0)).collect();
        for &(_, key, c) in &scored {
            if c.words < 2 || c.count < PLACE_PHRASE_COUNT || c.whole == 0 {
                continue;
            }
            let strength: f32 = words[c.shown.0..=c.shown.1]
                .iter()
                .map(|w| single.get(&mix_hash(w.stem)).copied().unwrap_or(0.0))
                .sum();
            let mut score = c.count as f32 * strength / c.words as f32;
            score *= 1.0 + PHRASE_EARLY_BONUS * (1.0 - c.first);
            if c.in_title > 0 {
                score *= 1.5;
            }
            phrases.push((score, key, c));
        }
        phrases.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    }

    let mut chosen: HashSet<u64> = HashSet::default();
    let mut spans: Vec<Vec<u64>> = Vec::new();
    let mut out = Vec::with_capacity(top);
    let mut push = |score: f32, key: u64, c: &Candidate, out: &mut Vec<Tag>| {
        // A word that mostly occurs inside one recurring phrase is shown as that phrase ("Kesteven"
        // of "Kesteven Council"): alone it is a fragment of the term.
        let (key, c) = match shown_as_phrase(c, &found) {
            Some(p) => (c.phrase, p),
            None => (key, c),
        };
        if chosen.contains(&key) {
            return;
        }
        let stems: Vec<u64> = words[c.shown.0..=c.shown.1].iter().map(|w| w.stem).collect();
        // Of two overlapping phrases only the better ranked one is a tag: the other is a cut of it
        // ("tidal power" of "tidal power plant") or says the same with a word more.
        if stems.len() > 1 && spans.iter().any(|s| overlaps(s, &stems)) {
            return;
        }
        chosen.insert(key);
        if stems.len() > 1 {
            spans.push(stems);
        }
        out.push(Tag {
            text: phrase(&words, c.shown),
            score,
            kind: if c.as_name * 2 >= c.count {
                TagKind::Name
            } else {
                TagKind::Keyphrase
            },
        });
    };
    let mut main = scored.iter();
    while out.len() + reserve < top {
        let Some(&(score, key, c)) = main.next() else { break };
        push(score, key, c, &mut out);
    }
    for &(_, key, c) in &phrases {
        if out.len() >= top {
            break;
        }
        // Shown after the others, whatever its own score: keep the list's scores in order.
        let score = out.last().map_or(0.0, |t| t.score);
        push(score, key, c, &mut out);
    }
    for &(score, key, c) in main {
        if out.len() >= top {
            break;
        }
        push(score, key, c, &mut out);
    }
    out
}

/// Whether a phrase is a term of the article by its own evidence: it stands on its own in the text
/// three times or more, or twice and in the title as well.
fn is_strong_phrase(c: &Candidate) -> bool {
    let in_text = c.whole.saturating_sub(c.in_title);
    c.words > 1 && (in_text >= STRONG_PHRASE_WHOLE || (c.in_title > 0 && in_text + 1 >= STRONG_PHRASE_WHOLE))
}

/// The recurring phrase a word is shown as: the one that holds most of its occurrences in the text.
fn shown_as_phrase<'c>(c: &Candidate, found: &'c HashMap<u64, Candidate>) -> Option<&'c Candidate> {
    let text_count = c.count.saturating_sub(c.in_title);
    if c.words > 1 || c.in_phrase == 0 || (c.in_phrase as f32) < IN_PHRASE_SHARE * text_count as f32 {
        return None;
    }
    found.get(&c.phrase)
}

/// The score of a word or phrase by itself: how often it occurs, where it first occurs (earlier
/// is better: news puts the point first), whether the title has it, and how long its words are.
fn single_score(c: &Candidate, words: &[Word<'_>]) -> f32 {
    // A word counts less for the occurrences it owes to a recurring phrase around it.
    let mut score = c.count as f32 - SUBSUMED * c.in_phrase as f32;
    score *= 1.0 + WORD_EARLY_BONUS * (1.0 - c.first);
    if c.in_title > 0 {
        score *= 1.5;
    }
    // Longer words are rarer and more specific (the short ones are the common ones: "year",
    // "back", "new"); a phrase goes by its mean word length, and below single words.
    let chars: usize = words[c.shown.0..=c.shown.1]
        .iter()
        .map(|w| w.text.chars().count())
        .sum();
    score *= (chars as f32 / c.words as f32).powf(LENGTH_EXPONENT);
    if c.words > 1 {
        score *= PHRASE_WEIGHT;
    }
    score
}

/// An "-ing" form of six letters or more ("training", "conceding"), in any case.
fn is_ing_form(word: &str) -> bool {
    let n = word.chars().count();
    n >= 6 && (word.ends_with("ing") || word.ends_with("ING"))
}

/// Whether one phrase (as word stems) lies inside the other, or the end of one is the start of the
/// other ("Europe largest tidal" and "largest tidal power plant").
fn overlaps(a: &[u64], b: &[u64]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.windows(short.len()).any(|w| w == short) {
        return true;
    }
    (1..short.len()).any(|k| a[a.len() - k..] == b[..k] || b[b.len() - k..] == a[..k])
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
