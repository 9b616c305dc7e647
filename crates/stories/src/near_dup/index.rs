//! Finding near-duplicates among stored fingerprints with locality-sensitive hashing.
//!
//! The 60 minimums are cut into 20 bands of 3. Two texts become candidates when any band matches:
//! with Jaccard similarity 0.5 that happens 93% of the time, with 0.1 only 2%, so a lookup touches
//! a handful of buckets and verifies few candidates, whatever the index size.

use super::minhash::{Fingerprint, NUM_HASHES};
use std::collections::{HashMap, VecDeque};

const BANDS: usize = 20;
const ROWS: usize = NUM_HASHES / BANDS;

/// Estimated Jaccard similarity from which a text counts as a near-duplicate of another.
pub const NEAR_DUPLICATE_SIMILARITY: f32 = 0.45;

/// A stored text that a new one nearly duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct NearDuplicate {
    /// Id of the stored text.
    pub id: String,
    /// Estimated Jaccard similarity of the two texts, 0.0 to 1.0.
    pub similarity: f32,
}

/// Whether two fingerprints belong to near-duplicate texts (wire copy, re-post with small edits).
pub fn is_near_duplicate(a: &Fingerprint, b: &Fingerprint) -> bool {
    a.similarity(b) >= NEAR_DUPLICATE_SIMILARITY
}

/// An index of fingerprints, optionally bounded to the most recent `capacity` texts.
#[derive(Debug, Default)]
pub struct NearDupIndex {
    buckets: HashMap<u64, Vec<u64>>,
    docs: HashMap<u64, (String, Fingerprint)>,
    order: VecDeque<u64>,
    next_key: u64,
    capacity: Option<usize>,
}

impl NearDupIndex {
    /// An unbounded index.
    pub fn new() -> Self {
        Self::default()
    }

    /// An index that forgets the oldest texts beyond `capacity`, so memory and lookups stay bounded.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: Some(capacity.max(1)),
            ..Self::default()
        }
    }

    /// Number of texts stored.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Stored texts whose similarity to `fp` reaches `min_similarity`, most similar first.
    pub fn query(&self, fp: &Fingerprint, min_similarity: f32) -> Vec<NearDuplicate> {
        let mut seen: Vec<u64> = Vec::new();
        for band in 0..BANDS {
            if let Some(keys) = self.buckets.get(&fp.band(band, ROWS)) {
                seen.extend_from_slice(keys);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<NearDuplicate> = seen
            .into_iter()
            .filter_map(|k| self.docs.get(&k))
            .map(|(id, other)| NearDuplicate {
                id: id.clone(),
                similarity: fp.similarity(other),
            })
            .filter(|d| d.similarity >= min_similarity)
            .collect();
        out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// The stored text `fp` most nearly duplicates, if any reaches [`NEAR_DUPLICATE_SIMILARITY`].
    pub fn find_duplicate(&self, fp: &Fingerprint) -> Option<NearDuplicate> {
        self.query(fp, NEAR_DUPLICATE_SIMILARITY).into_iter().next()
    }

    /// Stores a fingerprint under `id` (the pipeline's article key).
    pub fn insert(&mut self, id: impl Into<String>, fp: Fingerprint) {
        let key = self.next_key;
        self.next_key += 1;
        for band in 0..BANDS {
            self.buckets.entry(fp.band(band, ROWS)).or_default().push(key);
        }
        self.docs.insert(key, (id.into(), fp));
        self.order.push_back(key);
        if let Some(cap) = self.capacity {
            while self.docs.len() > cap {
                match self.order.pop_front() {
                    Some(old) => self.forget(old),
                    None => break,
                }
            }
        }
    }

    fn forget(&mut self, key: u64) {
        if let Some((_, fp)) = self.docs.remove(&key) {
            for band in 0..BANDS {
                let h = fp.band(band, ROWS);
                if let Some(keys) = self.buckets.get_mut(&h) {
                    keys.retain(|&k| k != key);
                    if keys.is_empty() {
                        self.buckets.remove(&h);
                    }
                }
            }
        }
    }
}
