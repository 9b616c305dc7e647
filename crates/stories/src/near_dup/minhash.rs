//! MinHash fingerprints of article text over word shingles.
//!
//! The fingerprint estimates the Jaccard similarity of two texts' sets of 4-word shingles. Wire copy
//! republished with an edited first paragraph keeps most shingles (similarity well above one half);
//! two outlets writing their own articles on the same event share almost none (below a tenth), even
//! when they quote the same sentence.

use super::hash::{fnv1a_lowercase, mix};
use crate::error::FingerprintError;

/// Number of hash functions (minimums) in a fingerprint.
pub const NUM_HASHES: usize = 60;
/// Words per shingle.
const SHINGLE: usize = 4;
/// Texts with fewer shingles than this get no fingerprint: too short to call anything a copy.
const MIN_SHINGLES: usize = 8;

/// A MinHash fingerprint of a text. Store it with [`Fingerprint::to_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    mins: Vec<u32>,
}

impl Fingerprint {
    /// Fingerprints a text (lower-cased words, punctuation ignored). `None` for texts of fewer
    /// than about a dozen words.
    pub fn from_text(text: &str) -> Option<Self> {
        // One hash per lower-cased word, then one per run of SHINGLE words.
        let mut lower = String::new();
        let words: Vec<u64> = crate::text::tokenize(text)
            .iter()
            .map(|t| fnv1a_lowercase(t.text, &mut lower))
            .collect();
        if words.len() < SHINGLE + MIN_SHINGLES - 1 {
            return None;
        }
        let mut mins = [u32::MAX; NUM_HASHES];
        for window in words.windows(SHINGLE) {
            let base = window.iter().fold(0u64, |acc, &w| mix(acc ^ w));
            // Hash function i: multiply by an odd seed and add another (multiply-shift hashing), keeping
            // the high bits, which are the well-mixed ones. Fixed-size arrays zipped: no bounds checks,
            // no modulo, so the compiler unrolls and vectorizes the loop.
            for ((slot, &mul), &add) in mins.iter_mut().zip(&MULTIPLIERS).zip(&ADDENDS) {
                let h = (base.wrapping_mul(mul).wrapping_add(add) >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
        Some(Self { mins: mins.to_vec() })
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f32 / NUM_HASHES as f32
    }

    /// The fingerprint as bytes (little-endian minimums), for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.mins.iter().flat_map(|m| m.to_le_bytes()).collect()
    }

    /// Reads a fingerprint written by [`Fingerprint::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FingerprintError> {
        if bytes.len() != NUM_HASHES * 4 {
            return Err(FingerprintError {
                len: bytes.len(),
                expected: NUM_HASHES * 4,
            });
        }
        let mins = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Self { mins })
    }

    pub(crate) fn band(&self, band: usize, rows: usize) -> u64 {
        let mut h = band as u64;
        for &m in &self.mins[band * rows..(band + 1) * rows] {
            h = mix(h ^ u64::from(m));
        }
        h
    }
}

/// Hash function i's multiplier: seed i, made odd.
static MULTIPLIERS: [u64; NUM_HASHES] = {
    let mut out = [0u64; NUM_HASHES];
    let mut i = 0;
    while i < NUM_HASHES {
        out[i] = SEEDS[i] | 1;
        i += 1;
    }
    out
};

/// Hash function i's addend: the next seed (the first for the last function).
static ADDENDS: [u64; NUM_HASHES] = {
    let mut out = [0u64; NUM_HASHES];
    let mut i = 0;
    while i < NUM_HASHES {
        out[i] = SEEDS[(i + 1) % NUM_HASHES];
        i += 1;
    }
    out
};

/// Per-function seeds, fixed forever (see `hash.rs`).
static SEEDS: [u64; NUM_HASHES] = {
    let mut seeds = [0u64; NUM_HASHES];
    let mut i = 0;
    let mut state: u64 = 0x0005_eed0_f570_e1e5;
    while i < NUM_HASHES {
        // SplitMix64 sequence, computed at compile time.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::super::hash::fnv1a;
    use super::*;

    /// The fingerprint as defined: each word lower-cased and hashed, each shingle mixed, each hash function
    /// written out with its seeds. Stored fingerprints depend on this staying the same.
    fn by_definition(text: &str) -> Option<Vec<u32>> {
        let words: Vec<u64> = crate::text::tokenize(text)
            .iter()
            .map(|t| fnv1a(t.text.to_lowercase().as_bytes()))
            .collect();
        if words.len() < SHINGLE + MIN_SHINGLES - 1 {
            return None;
        }
        let mut mins = vec![u32::MAX; NUM_HASHES];
        for window in words.windows(SHINGLE) {
            let base = window.iter().fold(0u64, |acc, &w| mix(acc ^ w));
            for (i, slot) in mins.iter_mut().enumerate() {
                let h = (base
                    .wrapping_mul(SEEDS[i] | 1)
                    .wrapping_add(SEEDS[(i + 1) % NUM_HASHES])
                    >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
        Some(mins)
    }

    #[test]
    fn fingerprints_are_the_defined_minimums() {
        let texts = [
            "The harbour authority said on Tuesday that the new flood barrier would be finished by the spring, \
             two years later than planned, after engineers found the sea bed softer than the surveys showed.",
            "Le ministère de l'Économie a annoncé mercredi une baisse des prévisions de croissance pour l'année \
             prochaine, citant la faiblesse de la demande extérieure et la hausse des taux d'intérêt en Europe.",
            "ÜBER DIE STRASSE gingen am Samstag Tausende Menschen in Köln, um gegen die geplante Schließung \
             des Krankenhauses zu protestieren, das seit über hundert Jahren im Viertel steht und Ärzte ausbildet.",
            "too short to fingerprint",
        ];
        for text in texts {
            assert_eq!(
                Fingerprint::from_text(text).map(|f| f.mins),
                by_definition(text),
                "{text}"
            );
        }
    }
}
