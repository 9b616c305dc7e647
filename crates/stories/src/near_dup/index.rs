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

/// The texts whose band hashes to one value. Nearly all buckets hold one text, so that case needs no
/// allocation of its own: a `Vec` per bucket doubled the index's memory.
#[derive(Debug)]
enum Bucket {
    One(u64),
    Many(Vec<u64>),
}

impl Bucket {
    fn keys(&self) -> &[u64] {
        match self {
            Bucket::One(k) => std::slice::from_ref(k),
            Bucket::Many(keys) => keys,
        }
    }

    fn push(&mut self, key: u64) {
        match self {
            Bucket::One(k) => *self = Bucket::Many(vec![*k, key]),
            Bucket::Many(keys) => keys.push(key),
        }
    }

    /// Removes `key`; true when the bucket is then empty.
    fn remove(&mut self, key: u64) -> bool {
        match self {
            Bucket::One(k) => *k == key,
            Bucket::Many(keys) => {
                keys.retain(|&k| k != key);
                match keys[..] {
                    [] => true,
                    [only] => {
                        *self = Bucket::One(only);
                        false
                    }
                    _ => false,
                }
            }
        }
    }
}

/// An index of fingerprints, optionally bounded to the most recent `capacity` texts.
#[derive(Debug, Default)]
pub struct NearDupIndex {
    buckets: HashMap<u64, Bucket>,
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
    ///
    /// The tables are sized for twice the capacity up front. A hash table that is kept full while
    /// entries come and go doubles once it has filled with deleted slots, so sizing it for the
    /// capacity alone would make memory jump long after the index is full; sized this way, the
    /// index takes its whole memory early and keeps it flat.
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            buckets: HashMap::with_capacity(capacity * BANDS * 2),
            docs: HashMap::with_capacity(capacity * 2),
            order: VecDeque::with_capacity(capacity + 1),
            capacity: Some(capacity),
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
            if let Some(bucket) = self.buckets.get(&fp.band(band, ROWS)) {
                seen.extend_from_slice(bucket.keys());
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
            match self.buckets.entry(fp.band(band, ROWS)) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().push(key),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(Bucket::One(key));
                }
            }
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
                if self.buckets.get_mut(&h).is_some_and(|bucket| bucket.remove(key)) {
                    self.buckets.remove(&h);
                }
            }
        }
    }
}
