//! Stories: URL canonicalization, near-duplicate fingerprints, online story clustering, tags and language.
//! Pure: values in, values out.

mod cluster;
mod error;
mod language;
pub mod near_dup;
mod tags;
pub mod text;
mod urls;

pub use cluster::{Article, Assignment, ClusterConfig, Clusterer, Evidence, Story};
pub use error::{FingerprintError, UrlError};
pub use language::{detect_language, guess_language};
pub use near_dup::{is_near_duplicate, Fingerprint, NearDupIndex, NearDuplicate};
pub use tags::{extract_entities, extract_tags, tags_and_entities, Entities, EntityKind, Tag, TagKind, Tags};
pub use urls::{canonical_url, is_tracking_param, same_article, url_identity};
