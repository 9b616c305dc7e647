//! Word tokenizer shared by clustering, fingerprints and tags.
//!
//! Words are runs of letters and digits. An apostrophe inside a word is kept ("don't"), a possessive
//! "'s" is dropped ("Lohan's" → "Lohan") so that both forms count as one term. Every other character
//! separates words; punctuation other than hyphens and quotes also marks a phrase break, which the
//! keyphrase extractor uses to avoid joining words across clauses.

/// One word of the input, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word as written (possessive removed).
    pub text: &'a str,
    /// Byte offset of the word in the input.
    pub start: usize,
    /// The word starts with an upper-case letter.
    pub capitalised: bool,
    /// Punctuation (comma, colon, parenthesis, sentence end, …) stands between this word and the previous one.
    pub phrase_break: bool,
    /// This word opens a sentence (first word of the input or after `.`, `!`, `?`, a line break).
    pub sentence_start: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits `text` into words, in order.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut phrase_break = true;
    let mut sentence_start = true;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_word_char(c) {
            let start = i;
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    iter.next();
                } else if is_apostrophe(d) {
                    // Keep the apostrophe only when a letter follows ("don't"), not at a word end.
                    let mut look = iter.clone();
                    look.next();
                    match look.peek() {
                        Some(&(_, e)) if is_word_char(e) => {
                            end = j + d.len_utf8();
                            iter.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            let mut word = &text[start..end];
            for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
                if word.len() > suffix.len() + 1 {
                    if let Some(stem) = word.strip_suffix(suffix) {
                        word = stem;
                        break;
                    }
                }
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            out.push(Token {
                text: word,
                start,
                capitalised,
                phrase_break,
                sentence_start,
            });
            phrase_break = false;
            sentence_start = false;
        } else {
            match c {
                '.' | '!' | '?' | '\n' | '\r' | '…' | '|' => {
                    // "U.S." and "3.5" do not end a sentence: a word character right after the dot.
                    let next_is_word = iter.peek().is_some_and(|&(_, d)| is_word_char(d));
                    if !(c == '.' && next_is_word) {
                        sentence_start = true;
                        phrase_break = true;
                    }
                }
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”' | '«' | '»' | '–' | '—' | '/'
                | '\\' | '•' | '·' | '&' | '+' | '=' | '<' | '>' | '*' | '#' | '@' | '$' | '€' | '£' | '%' => {
                    phrase_break = true
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_words_and_drops_possessives() {
        assert_eq!(
            words("Lindsay Lohan's OWN series: 'It's my last shot'"),
            ["Lindsay", "Lohan", "OWN", "series", "It", "my", "last", "shot"]
        );
        assert_eq!(words("doesn't Metro-North"), ["doesn't", "Metro", "North"]);
    }

    #[test]
    fn marks_breaks_and_sentences() {
        let t = tokenize("Oil rose, traders said. Prices fell");
        assert!(t[0].sentence_start && t[0].phrase_break);
        assert!(!t[1].phrase_break);
        assert!(t[2].phrase_break && !t[2].sentence_start);
        assert!(t[4].sentence_start);
        assert!(t[0].capitalised && !t[1].capitalised);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = tokenize("U.S. stocks 3.5 percent");
        assert!(!t[1].sentence_start);
        assert_eq!(t.len(), 6);
    }
}
