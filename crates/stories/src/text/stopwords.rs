//! Stopwords per language.
//!
//! The lists are NLTK's stopword corpus (via the `stop-words` crate, `nltk` feature), chosen over the
//! larger Stopwords-ISO lists because those drop content words news keyphrases need ("home", "bill",
//! "high"). English gets a few extra words typical of headlines and news boilerplate; that small list is
//! this project's own.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// News and headline filler that NLTK's English list lacks (this project's list).
const ENGLISH_NEWS_EXTRA: &[&str] = &[
    "said",
    "says",
    "say",
    "would",
    "could",
    "also",
    "may",
    "might",
    "must",
    "shall",
    "one",
    "two",
    "us",
    "it's",
    "via",
    "per",
    "mr",
    "mrs",
    "ms",
    "dr",
    "amp",
    "quot",
    "nbsp",
    "one",
    "many",
    "much",
    "like",
    "get",
    "got",
    "gets",
    "since",
    "still",
    "yet",
    "though",
    "however",
    "even",
    "upon",
    "within",
    "without",
    "among",
    "whether",
    "onto",
    "around",
    "according",
    "i'm",
    "i've",
    "i'd",
    "we're",
    "they're",
    "you're",
    "he's",
    "she's",
    "that's",
    "there's",
    "what's",
    "let's",
    "can't",
    "won't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "wouldn't",
    "couldn't",
    "shouldn't",
];

/// A stopword set for one language.
#[derive(Debug)]
pub struct Stopwords {
    words: HashSet<&'static str>,
}

impl Stopwords {
    /// Whether `lower` (a lower-cased word) is a stopword.
    pub fn contains(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }
}

fn build(code: &str) -> Stopwords {
    let mut words: HashSet<&'static str> = stop_words::lookup(code).unwrap_or(&[]).iter().copied().collect();
    if code == "en" {
        words.extend(ENGLISH_NEWS_EXTRA.iter().copied());
    }
    Stopwords { words }
}

/// The stopwords for an ISO 639-1 language code; English for unknown codes, since most feeds and
/// every headline data set at hand are English.
pub fn stopwords(code: &str) -> &'static Stopwords {
    macro_rules! cached {
        ($code:literal) => {{
            static CELL: OnceLock<Stopwords> = OnceLock::new();
            CELL.get_or_init(|| build($code))
        }};
    }
    match code {
        "de" => cached!("de"),
        "fr" => cached!("fr"),
        "es" => cached!("es"),
        "it" => cached!("it"),
        "pt" => cached!("pt"),
        "nl" => cached!("nl"),
        "sv" => cached!("sv"),
        "da" => cached!("da"),
        "no" | "nb" | "nn" => cached!("no"),
        "fi" => cached!("fi"),
        "ru" => cached!("ru"),
        "tr" => cached!("tr"),
        "hu" => cached!("hu"),
        "ro" => cached!("ro"),
        "el" => cached!("el"),
        _ => cached!("en"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_german_lists() {
        assert!(stopwords("en").contains("the"));
        assert!(stopwords("en").contains("said"));
        assert!(!stopwords("en").contains("home"));
        assert!(stopwords("de").contains("und"));
        assert!(!stopwords("de").contains("the"));
        assert!(stopwords("xx").contains("the"));
    }
}
