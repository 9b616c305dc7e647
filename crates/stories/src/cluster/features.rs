//! Terms of an article for clustering: stemmed content words of the title, the URL slug and the lead.

use crate::near_dup::fnv1a_str;
use crate::text::{stem_word, stemmer, stopwords, tokenize, Token};

/// Words of the lead used at most: the opening says what the article is about, and this bounds cost.
const LEAD_WORDS: usize = 60;

/// Weights of the parts of an article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FeatureWeights {
    pub title: f32,
    pub entity_boost: f32,
    pub slug: f32,
    pub lead: f32,
    pub bigram: f32,
    pub number: f32,
}

/// A term (hash of its stem) and its weight in the article.
pub(crate) type Terms = Vec<(u64, f32)>;

/// The weighted terms of an article, merged (one entry per term, sorted by hash).
pub(crate) fn article_terms(
    title: &str,
    url: Option<&str>,
    lead: Option<&str>,
    language: &str,
    w: &FeatureWeights,
) -> Terms {
    let stem = stemmer(language);
    let stop = stopwords(language);
    let mut out: Terms = Vec::with_capacity(32);

    let title = join_dotted_initials(title);
    let title = drop_abbreviation_dots(&title);
    let title_tokens = tokenize(&title);
    // In Title Case headlines capitals say nothing; otherwise a capitalised word inside the
    // sentence is a name, and names carry stories.
    let caps_informative = !is_title_case(&title_tokens, stop);
    let mut previous: Option<String> = None;
    for t in &title_tokens {
        match content_term(t.text, stop, stem) {
            Some(term) => {
                let is_name = (caps_informative && t.capitalised && !t.sentence_start) || is_acronym(t.text);
                let weight = if is_number(t.text) {
                    w.title * w.number
                } else if is_name {
                    w.title * w.entity_boost
                } else {
                    w.title
                };
                out.push((term, weight));
                let lower = t.text.to_lowercase();
                // Adjacent content words ("true detective", "public transit") as a term of their own:
                // the term of the two written as one word, so that "Mt Gox" meets "MtGox" and
                // "Space-Time" meets "Spacetime".
                if let (Some(p), true) = (&previous, w.bigram > 0.0 && !t.phrase_break) {
                    out.push((fnv1a_str(&stem_word(stem, &format!("{p}{lower}"))), w.bigram));
                }
                previous = Some(lower);
            }
            None => previous = None,
        }
    }
    if let Some(slug) = url.and_then(url_slug) {
        for t in tokenize(slug) {
            if let Some(term) = content_term(t.text, stop, stem) {
                out.push((term, if is_number(t.text) { w.slug * w.number } else { w.slug }));
            }
        }
    }
    if let Some(lead) = lead {
        // Only the opening is used: tokenize no more than it (about 12 bytes a word is plenty).
        let end = lead.char_indices().nth(LEAD_WORDS * 12).map_or(lead.len(), |(i, _)| i);
        for t in tokenize(&lead[..end]).iter().take(LEAD_WORDS) {
            if let Some(term) = content_term(t.text, stop, stem) {
                out.push((term, w.lead));
            }
        }
    }
    merge(out)
}

/// "J.C. Penney" and "U.S." written without dots, so that they match "JC Penney" and "US": dots
/// between single letters are dropped. Borrowed when there is nothing to change.
fn join_dotted_initials(title: &str) -> std::borrow::Cow<'_, str> {
    let b = title.as_bytes();
    let initial_at = |i: usize| {
        b[i].is_ascii_alphabetic() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && b.get(i + 1) == Some(&b'.')
    };
    let has = (0..b.len()).any(|i| initial_at(i) && b.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()));
    if !has {
        return std::borrow::Cow::Borrowed(title);
    }
    let mut out = String::with_capacity(title.len());
    let mut in_initials = false;
    for (i, c) in title.char_indices() {
        if c == '.'
            && i > 0
            && b[i - 1].is_ascii_alphabetic()
            && (i < 2 || !b[i - 2].is_ascii_alphanumeric() || in_initials)
        {
            // "J." followed by another initial, or the last dot of "U.S.": drop it.
            let next_initial = i + 1 < b.len() && initial_at(i + 1);
            if next_initial || in_initials {
                in_initials = next_initial;
                continue;
            }
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// "Mt. Gox", "St. Louis", "Sen. Paul": the dot of a short capitalised abbreviation before a
/// capitalised word ends no sentence in a headline, and must not split the name. Borrowed when there
/// is nothing to change.
fn drop_abbreviation_dots(title: &str) -> std::borrow::Cow<'_, str> {
    let b = title.as_bytes();
    let dot_at = |i: usize| {
        // b[i] is '.', preceded by [A-Z][a-z]{1,2} at a word start, followed by " " and [A-Z].
        if b[i] != b'.' || b.get(i + 1) != Some(&b' ') || !b.get(i + 2).is_some_and(u8::is_ascii_uppercase) {
            return false;
        }
        let mut j = i;
        while j > 0 && b[j - 1].is_ascii_lowercase() {
            j -= 1;
        }
        let lower = i - j;
        (1..=2).contains(&lower)
            && j > 0
            && b[j - 1].is_ascii_uppercase()
            && (j == 1 || !b[j - 2].is_ascii_alphanumeric())
    };
    if !(0..b.len()).any(dot_at) {
        return std::borrow::Cow::Borrowed(title);
    }
    let mut out = String::with_capacity(title.len());
    for (i, c) in title.char_indices() {
        if !(c == '.' && dot_at(i)) {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn content_term(word: &str, stop: &crate::text::Stopwords, stem: &rust_stemmers::Stemmer) -> Option<u64> {
    let lower = word.to_lowercase();
    if stop.contains(&lower) {
        return None;
    }
    let is_number = lower.chars().all(|c| c.is_ascii_digit());
    if lower.chars().count() < 2 && !is_number {
        return None;
    }
    Some(fnv1a_str(&stem_word(stem, &lower)))
}

fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
}

fn is_acronym(word: &str) -> bool {
    word.len() >= 2
        && word.len() <= 6
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_uppercase())
}

/// Most content words capitalised: a Title Case headline.
fn is_title_case(tokens: &[Token<'_>], stop: &crate::text::Stopwords) -> bool {
    let mut content = 0;
    let mut caps = 0;
    for t in tokens.iter().skip(1) {
        if stop.contains(&t.text.to_lowercase()) || t.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        content += 1;
        if t.capitalised {
            caps += 1;
        }
    }
    content >= 2 && caps * 10 >= content * 7
}

/// The words of a URL's slug (`/2014/03/10/zac-efron-teases-reunion.htm` → `zac-efron-teases-reunion`),
/// when the last meaningful path segment looks like one: three or more hyphen-separated words.
pub(crate) fn url_slug(url: &str) -> Option<&str> {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let path = without_query.split_once("://").map_or(without_query, |(_, rest)| rest);
    let path = path.split_once('/').map_or("", |(_, p)| p);
    path.split('/')
        .rev()
        .map(|seg| seg.split('.').next().unwrap_or(seg))
        .find(|seg| {
            seg.split(['-', '_'])
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
                >= 3
        })
}

fn merge(mut terms: Terms) -> Terms {
    terms.sort_unstable_by_key(|&(t, _)| t);
    let mut out: Terms = Vec::with_capacity(terms.len());
    for (t, w) in terms {
        match out.last_mut() {
            // A repeated term counts once at its strongest weight: headlines repeat for emphasis,
            // slugs repeat the title.
            Some((last, lw)) if *last == t => *lw = lw.max(w),
            _ => out.push((t, w)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_initials_join() {
        assert_eq!(join_dotted_initials("J.C. Penney rises"), "JC Penney rises");
        assert_eq!(join_dotted_initials("U.S. stocks, E.U. talks"), "US stocks, EU talks");
        assert_eq!(join_dotted_initials("Mt. Gox files. Next"), "Mt. Gox files. Next");
        assert_eq!(join_dotted_initials("Shares up 3.5 percent"), "Shares up 3.5 percent");
        assert_eq!(drop_abbreviation_dots("Mt. Gox files. Next"), "Mt Gox files. Next");
        assert_eq!(
            drop_abbreviation_dots("Sen. Paul and St. Louis"),
            "Sen Paul and St Louis"
        );
        assert_eq!(drop_abbreviation_dots("It fell. Markets rose"), "It fell. Markets rose");
        assert_eq!(drop_abbreviation_dots("Up 3.5. Now"), "Up 3.5. Now");
    }

    #[test]
    fn a_name_written_as_one_word_meets_its_parts() {
        let w = FeatureWeights {
            title: 1.0,
            entity_boost: 1.0,
            slug: 1.0,
            lead: 0.3,
            bigram: 0.5,
            number: 0.5,
        };
        let one = article_terms("MtGox chief hid bitcoins", None, None, "en", &w);
        let two = article_terms("Mt. Gox accused", None, None, "en", &w);
        let three = article_terms("Spacetime odyssey", None, None, "en", &w);
        let four = article_terms("Space-Time odyssey", None, None, "en", &w);
        let shared = |a: &Terms, b: &Terms| a.iter().filter(|(t, _)| b.iter().any(|(u, _)| u == t)).count();
        assert_eq!(shared(&one, &two), 1, "mtgox");
        assert_eq!(shared(&three, &four), 2, "spacetime and odyssey");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            url_slug(
                "http://www.fashiontimes.com/articles/3445/20140311/divergent-star-confesses-doesn-t-cellphone.htm"
            ),
            Some("divergent-star-confesses-doesn-t-cellphone")
        );
        assert_eq!(url_slug("http://example.com/news/12345"), None);
        assert_eq!(url_slug("http://example.com/"), None);
    }

    #[test]
    fn title_case_detection_and_terms() {
        let w = FeatureWeights {
            title: 1.0,
            entity_boost: 2.0,
            slug: 0.5,
            lead: 0.3,
            bigram: 0.0,
            number: 0.5,
        };
        let a = article_terms("Sbarro files for bankruptcy", None, None, "en", &w);
        let b = article_terms("Sbarro Files For Bankruptcy", None, None, "en", &w);
        assert_eq!(a.len(), 3);
        assert_eq!(
            a.iter().map(|x| x.0).collect::<Vec<_>>(),
            b.iter().map(|x| x.0).collect::<Vec<_>>()
        );
        let c = article_terms("Shares of Sbarro fall", None, None, "en", &w);
        assert!(
            c.iter().any(|&(_, w)| w > 1.5),
            "the name inside the sentence is boosted"
        );
    }
}
