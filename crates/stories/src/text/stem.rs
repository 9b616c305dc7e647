//! Snowball stemming per language (rust-stemmers), so "shares", "shared" and "sharing" count as one term.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// The Snowball stemmer for an ISO 639-1 code; English for unknown codes.
pub fn stemmer(code: &str) -> &'static Stemmer {
    macro_rules! cached {
        ($alg:expr) => {{
            static CELL: OnceLock<Stemmer> = OnceLock::new();
            CELL.get_or_init(|| Stemmer::create($alg))
        }};
    }
    match code {
        "de" => cached!(Algorithm::German),
        "fr" => cached!(Algorithm::French),
        "es" => cached!(Algorithm::Spanish),
        "it" => cached!(Algorithm::Italian),
        "pt" => cached!(Algorithm::Portuguese),
        "nl" => cached!(Algorithm::Dutch),
        "sv" => cached!(Algorithm::Swedish),
        "da" => cached!(Algorithm::Danish),
        "no" | "nb" | "nn" => cached!(Algorithm::Norwegian),
        "fi" => cached!(Algorithm::Finnish),
        "ru" => cached!(Algorithm::Russian),
        "tr" => cached!(Algorithm::Turkish),
        "hu" => cached!(Algorithm::Hungarian),
        "ro" => cached!(Algorithm::Romanian),
        "el" => cached!(Algorithm::Greek),
        "ar" => cached!(Algorithm::Arabic),
        "ta" => cached!(Algorithm::Tamil),
        _ => cached!(Algorithm::English),
    }
}

/// Lower-cases and stems one word.
pub fn stem_word(stemmer: &Stemmer, word: &str) -> String {
    let lower = word.to_lowercase();
    stemmer.stem(&lower).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_english_forms_together() {
        let s = stemmer("en");
        assert_eq!(stem_word(s, "Shares"), stem_word(s, "shared"));
        assert_eq!(stem_word(s, "bankruptcy"), "bankruptci");
    }
}
