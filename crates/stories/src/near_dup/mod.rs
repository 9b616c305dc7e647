//! Near-duplicate text: MinHash fingerprints and an LSH index to find them among stored ones.

mod hash;
pub(crate) use hash::{fnv1a_str, mix as mix_hash};
mod index;
mod minhash;

pub use index::{is_near_duplicate, NearDupIndex, NearDuplicate, NEAR_DUPLICATE_SIMILARITY};
pub use minhash::{Fingerprint, NUM_HASHES};
