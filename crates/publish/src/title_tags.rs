//! Tags derived from a title, as the seed style computes them.
//!
//! How the rule was worked out from the seed: the title "European nations commit to troops in Ukraine as part of
//! 'milestone' peace talks in Paris - ABC News" gives `milestone, european, nations, ukraine, commit`.
//! - Words are lower-cased and cut at anything that is not a letter or digit, so the quoted `'milestone'`
//!   counts as `milestone` (9 letters) and comes first.
//! - Ordering is by length, longest first, with a *stable* sort: `nations` and `ukraine` (7) keep title order,
//!   and of the two 6-letter words `commit` comes before `troops` in the title. `troops` is not a stopword;
//!   it is simply the sixth word and only five are kept.
//! - Short function words (`to`, `in`, `as`, `of`) never reach the top five here, so the seed cannot tell which
//!   stopword list it used; an English list of function words is applied, and words shorter than three
//!   characters and pure numbers are dropped, which keeps tags meaningful for shorter titles.

/// How many tags the seed style keeps.
pub const SEED_TAG_COUNT: usize = 5;

/// The `count` longest distinct non-stopword words of `title`, longest first, ties in title order.
pub fn title_tags(title: &str, count: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if word.chars().count() < 3 || word.chars().all(|c| c.is_numeric()) || is_stopword(&word) {
            continue;
        }
        if !words.contains(&word) {
            words.push(word);
        }
    }
    // `sort_by_key` is stable: equal lengths keep title order.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.truncate(count);
    words
}

fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// English function words of three letters or more (the shorter ones are dropped by length), after the common
/// lists used for keyword extraction (NLTK's English list and similar). Sorted for binary search.
const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "among",
    "and",
    "any",
    "are",
    "aren",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "can",
    "could",
    "couldn",
    "did",
    "didn",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "into",
    "isn",
    "its",
    "itself",
    "just",
    "more",
    "most",
    "mustn",
    "myself",
    "needn",
    "nor",
    "not",
    "now",
    "off",
    "once",
    "only",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shan",
    "she",
    "should",
    "shouldn",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "too",
    "under",
    "until",
    "very",
    "was",
    "wasn",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_title_gives_seed_tags() {
        let title =
            "European nations commit to troops in Ukraine as part of 'milestone' peace talks in Paris - ABC News";
        assert_eq!(
            title_tags(title, SEED_TAG_COUNT),
            ["milestone", "european", "nations", "ukraine", "commit"]
        );
    }

    #[test]
    fn duplicates_stopwords_and_numbers_are_skipped() {
        let title = "Between THE floods: floods 2026 again, Floods and rescues";
        assert_eq!(title_tags(title, 5), ["rescues", "floods"]);
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
