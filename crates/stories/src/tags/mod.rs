//! Tags: ranked keyphrases and named entities (people, places, organisations) of an article,
//! language-aware.

mod candidates;
mod entities;
mod lang;
mod rank;

pub use entities::{extract_entities, Entities, EntityKind};
pub use rank::{extract_tags, tags_and_entities, Tag, TagKind, Tags};
