//! Tags: ranked keyphrases and names of an article, language-aware.

mod candidates;
mod rank;

pub use rank::{extract_tags, Tag, TagKind};
