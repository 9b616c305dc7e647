//! Candidate keyphrases: content words, runs of up to four content words, and names.

use super::lang::lexicon;
use crate::near_dup::{fnv1a_str, mix_hash};
use crate::text::{stemmer, stopwords};
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;

/// Longest phrase considered, in words.
const MAX_WORDS: usize = 4;

/// What is known about one candidate phrase (keyed by the hash of its stems).
#[derive(Debug, Clone, Default)]
pub(crate) struct Candidate {
    /// Words in the phrase.
    pub words: usize,
    /// Occurrences in title and text.
    pub count: u32,
    /// Occurrences that are a whole run of content words (stopwords, punctuation or a verb form on
    /// both sides), or the head end of a run too long for a phrase: the phrase stands on its own
    /// there, it is not a piece of a longer one.
    pub whole: u32,
    /// Occurrences in the title.
    pub in_title: u32,
    /// Occurrences written as a name (every word capitalised, not just because it opens a sentence).
    pub as_name: u32,
    /// Position of the first occurrence, 0.0 (start) to 1.0 (end).
    pub first: f32,
    /// Word range of the occurrence to show: the first one not in shouting capitals.
    pub shown: (usize, usize),
    /// For a single word: occurrences in the text of the most frequent recurring phrase (two or
    /// more occurrences) that contains it, so a word that mostly appears as part of one phrase
    /// ("San" of "San Francisco") can count less on its own.
    pub in_phrase: u32,
    /// The key of that phrase (0 when none).
    pub phrase: u64,
    /// Occurrences of a single word used as a noun by the evidence at hand: the last word of its
    /// run, after a determiner ("the bombing.") or after another content word ("marathon training").
    pub nominal: u32,
    shown_is_lower_cased: bool,
}

/// The stem hashes of the words met lately on this thread, in one language: stemming is a good part of
/// tagging, and the words of one document are mostly the words of the last ones.
struct StemHashes {
    language: String,
    hashes: HashMap<String, u64>,
}

/// Words kept in [`StemHashes`] before it starts over: a few megabytes.
const STEM_CACHE_WORDS: usize = 50_000;

impl StemHashes {
    /// Ready for a document in `language`: emptied when the language changes or the cache is full.
    fn prepare(&mut self, language: &str) {
        if self.language != language || self.hashes.len() > STEM_CACHE_WORDS {
            self.hashes.clear();
            language.clone_into(&mut self.language);
        }
    }
}

thread_local! {
    static STEM_HASHES: std::cell::RefCell<StemHashes> = std::cell::RefCell::new(StemHashes {
        language: String::new(),
        hashes: HashMap::default(),
    });
}

/// One word of the document.
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub stem: u64,
    content: bool,
    name: bool,
    brk: bool,
    title: bool,
}

/// The words of a document (title then text) and its candidates.
pub(crate) fn candidates<'a>(
    title: &'a str,
    text: &'a str,
    language: &str,
    names: Option<&HashSet<String>>,
) -> (Vec<Word<'a>>, HashMap<u64, Candidate>) {
    let stem = stemmer(language);
    let stop = stopwords(language);
    let lex = lexicon(language);
    let english = language == "en";
    let head_initial = matches!(language, "fr" | "es" | "it" | "pt" | "ca" | "gl");
    STEM_HASHES.with_borrow_mut(|cache| cache.prepare(language));
    let mut words: Vec<Word<'a>> = Vec::new();
    for (part, is_title) in [(title, true), (text, false)] {
        let mut first = true;
        for t in lex.tokenize(part) {
            // Most words are lower-case ASCII already: skip the allocation then.
            let lower: std::borrow::Cow<'_, str> = if t.text.bytes().all(|b| b.is_ascii_lowercase()) {
                std::borrow::Cow::Borrowed(t.text)
            } else {
                std::borrow::Cow::Owned(t.text.to_lowercase())
            };
            let alpha = t.text.chars().any(char::is_alphabetic);
            let acronym = t.text.len() >= 2 && alpha && t.text.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
            let content = alpha
                && (t.text.chars().count() >= 3 || acronym)
                // "didn’t" is "didn't" to the stopword list.
                && !(stop.contains(&lower) || (lower.contains('\u{2019}') && stop.contains(&lower.replace('\u{2019}', "'"))))
                && !lex.is_filler(&lower)
                // German writes every noun with a capital: a word in lower case there is a verb, an
                // adjective or an adverb ("französischen", "zusammengetroffen"), never a key term.
                && !(lex.nouns_capitalised && !t.capitalised && !acronym);
            // A capital at a sentence start says nothing; an all-caps word (a shouted lead-in) neither,
            // unless short enough to be an acronym.
            let all_caps_long = t.text.chars().count() > 5 && t.text.chars().all(|c| !c.is_lowercase());
            let mut name = content && ((t.capitalised && !t.sentence_start && !all_caps_long) || acronym);
            // A month written out with a capital ("March") is the month, not the word. A verb form
            // or an adverb is no term, and a phrase does not run through it (POS-free: English
            // endings only, never on a name).
            let month = english && t.capitalised && lower.len() >= 5 && lex.is_calendar(&lower);
            // Headlines capitalise every word ("Two Killed As Storm Hits"), so in the title the
            // ending decides for capitalised words too.
            let verb = english && (!name || is_title) && !acronym && is_verb_or_adverb(&lower);
            let content = content && !month && !verb;
            // German capitalises every noun: there a capital needs the word to be a known name.
            if name && lex.nouns_capitalised && !acronym {
                name = match names {
                    Some(names) => names.contains(lower.as_ref()),
                    None => super::entities::is_known_name_word(&lower),
                };
            }
            let stem_hash = if content {
                STEM_HASHES.with_borrow_mut(|cache| match cache.hashes.get(lower.as_ref()) {
                    Some(&h) => h,
                    None => {
                        let h = fnv1a_str(&stem.stem(&lower));
                        cache.hashes.insert(lower.into_owned(), h);
                        h
                    }
                })
            } else {
                0
            };
            words.push(Word {
                text: t.text,
                stem: stem_hash,
                content,
                name,
                brk: t.phrase_break || first,
                title: is_title,
            });
            first = false;
        }
    }
    let total = words.len().max(1) as f32;
    let mut out: HashMap<u64, Candidate> = HashMap::with_capacity_and_hasher(words.len(), Default::default());
    // Runs of content words, each between two boundaries (a non-content word, punctuation, or the
    // end of the title or text); every n-gram inside a run is a candidate.
    let mut run_start = 0;
    for i in 0..words.len() {
        if !words[i].content {
            continue;
        }
        if i == 0 || !words[i - 1].content || words[i].brk || words[i - 1].title != words[i].title {
            run_start = i;
        }
        let mut run_end = i;
        while run_end + 1 < words.len()
            && words[run_end + 1].content
            && !words[run_end + 1].brk
            && words[run_end + 1].title == words[i].title
        {
            run_end += 1;
        }
        let mut key = 0u64;
        let mut all_names = true;
        for j in i..=run_end.min(i + MAX_WORDS - 1) {
            let n = j - i + 1;
            key = mix_hash(key ^ words[j].stem);
            all_names &= words[j].name;
            let c = out.entry(key).or_insert_with(|| Candidate {
                words: n,
                first: i as f32 / total,
                shown: (i, j),
                ..Candidate::default()
            });
            c.count += 1;
            // A run longer than a phrase may be holds its noun phrase at the head end: the last
            // words in English ("Europe's largest tidal power plant": "largest tidal power plant"),
            // the first in the Romance languages ("Protezione civile regionale ...").
            let long = run_end - run_start + 1 > MAX_WORDS && n == MAX_WORDS;
            let at_head = if head_initial { i == run_start } else { j == run_end };
            if (i == run_start && j == run_end) || (long && at_head) {
                c.whole += 1;
            }
            if n == 1 && i == run_end && (i > run_start || (i > 0 && is_determiner(words[i - 1].text))) {
                c.nominal += 1;
            }
            if words[i].title {
                c.in_title += 1;
            }
            if all_names {
                c.as_name += 1;
            }
            if !c.shown_is_lower_cased && words[i..=j].iter().any(|w| w.text.chars().any(char::is_lowercase)) {
                c.shown = (i, j);
                c.shown_is_lower_cased = true;
            }
        }
    }
    // A recurring phrase lends its occurrences in the text (a title echoes the text's phrases) to
    // each of its words; the most frequent phrase wins.
    let mut lent: Vec<(u64, u32, usize, u64)> = Vec::new();
    for (&key, c) in &out {
        // Only a phrase that stands on its own somewhere: a cut ("Europe largest" of "Europe's
        // largest tidal power plant") would show a fragment.
        if c.words > 1 && c.count >= 2 && c.count > c.in_title && c.whole > 0 {
            let count = c.count - c.in_title;
            lent.extend(
                words[c.shown.0..=c.shown.1]
                    .iter()
                    .map(|w| (mix_hash(w.stem), count, c.words, key)),
            );
        }
    }
    // Ties go to the shorter phrase, then the smaller key, so the choice is the same on every run.
    lent.sort_unstable_by(|a, b| (b.1, a.2, a.3).cmp(&(a.1, b.2, b.3)));
    for (key, count, _, phrase) in lent {
        if let Some(c) = out.get_mut(&key) {
            if count > c.in_phrase {
                c.in_phrase = count;
                c.phrase = phrase;
            }
        }
    }
    (words, out)
}

/// The words of a range, as shown to people.
pub(crate) fn phrase(words: &[Word<'_>], (from, to): (usize, usize)) -> String {
    words[from..=to].iter().map(|w| w.text).collect::<Vec<_>>().join(" ")
}

/// An English word that is, by its ending, a past form or participle ("announced", "damaged") or
/// an adverb ("increasingly"): neither names a thing. Nouns with these endings are rare and listed.
fn is_verb_or_adverb(lower: &str) -> bool {
    const LY_NOUNS: &[&str] = &["family", "assembly", "monopoly", "anomaly", "homily", "italy", "july"];
    let chars = lower.chars().count();
    if let Some(stem) = lower.strip_suffix("ed") {
        // "speed", "seed", "creed"; "bed", "red" are too short to end in a suffix.
        return (chars >= 5 && !stem.ends_with('e')) || stem.ends_with('i');
    }
    if let Some(stem) = lower.strip_suffix("ly") {
        return stem.chars().count() >= 4 && !stem.ends_with('f') && !LY_NOUNS.contains(&lower);
    }
    false
}

/// An English article, demonstrative or possessive: what follows it is used as a noun.
fn is_determiner(word: &str) -> bool {
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "your",
    ];
    DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stem hashes cached on the thread belong to one language: a word met in English is stemmed
    /// again when a French document comes.
    #[test]
    fn cached_stems_follow_the_document_language() {
        let text =
            "Les opérations continuent. Operations continue in the harbour, and the operations centre stays open.";
        for language in ["en", "fr", "en"] {
            let (words, _) = candidates("", text, language, None);
            let stemmer = stemmer(language);
            for w in words.iter().filter(|w| w.content) {
                let lower = w.text.to_lowercase();
                assert_eq!(w.stem, fnv1a_str(&stemmer.stem(&lower)), "{language}: {}", w.text);
            }
        }
    }
}
