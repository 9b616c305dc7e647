//! Text primitives: words, stopwords, stems.

mod stem;
mod stopwords;
mod tokenize;

pub use stem::{stem_word, stemmer};
pub use stopwords::{stopwords, Stopwords};
pub use tokenize::{tokenize, Token};
