//! The recent members a story remembers for the member part of the similarity, stored compactly.
//!
//! A member is its heaviest terms, each packed in one `u32`: the top 24 bits of the term hash and
//! the term's weight in the member's unit vector quantised to 8 bits. All members of a story share one
//! buffer, oldest first, so a story costs 4 bytes per remembered term and no allocation per member.
//! Two different terms meet on the same 24 bits with a chance of about one in 16 million per pair,
//! and the quantised weights move a cosine by well under 0.01: results are those of full precision.

use std::collections::VecDeque;

/// Terms kept per remembered member (its heaviest ones).
pub(crate) const MEMBER_TERMS: usize = 24;

/// Levels of a quantised weight.
const LEVELS: f32 = 255.0;

/// The 24-bit key of a term hash. Monotone in the hash, so terms sorted by hash are sorted by key.
#[inline]
pub(crate) fn term_key(term: u64) -> u32 {
    (term >> 40) as u32
}

/// Recent members of a story, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Members {
    /// Packed terms of all members, member after member, each member sorted by key.
    terms: Vec<u32>,
    /// Number of terms of each member, oldest first.
    lens: VecDeque<u8>,
}

impl Members {
    /// Whether no member is remembered.
    pub(crate) fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// Remembers a member from its IDF-weighted terms sorted by hash (its heaviest `MEMBER_TERMS`
    /// are kept), forgetting the oldest beyond `max` members. Nothing for an empty vector.
    pub(crate) fn push(&mut self, terms: &[(u64, f32)], max: usize) {
        if max == 0 {
            return;
        }
        let mut member: Vec<(u64, f32)> = terms.iter().copied().filter(|&(_, w)| w > 0.0).collect();
        if member.len() > MEMBER_TERMS {
            member.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            member.truncate(MEMBER_TERMS);
            member.sort_unstable_by_key(|&(t, _)| t);
        }
        let norm = member.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm == 0.0 {
            return;
        }
        while self.lens.len() >= max {
            self.pop_oldest();
        }
        let packed = member.iter().map(|&(t, w)| {
            let q = (w / norm * LEVELS).round().clamp(1.0, LEVELS) as u32;
            term_key(t) << 8 | q
        });
        self.reserve(member.len(), max);
        self.terms.extend(packed);
        self.lens.push_back(member.len() as u8);
    }

    /// Appends another story's members (after this one's), forgetting the oldest beyond `max`.
    pub(crate) fn append(&mut self, other: Members, max: usize) {
        let skip = other.lens.len().saturating_sub(max);
        let skipped: usize = other.lens.iter().take(skip).map(|&n| n as usize).sum();
        let keep_lens: Vec<u8> = other.lens.iter().skip(skip).copied().collect();
        while !self.lens.is_empty() && self.lens.len() + keep_lens.len() > max {
            self.pop_oldest();
        }
        let added = other.terms.len() - skipped;
        self.reserve(added, max);
        self.terms.extend_from_slice(&other.terms[skipped..]);
        self.lens.extend(keep_lens);
    }

    /// Grows the buffer for `n` more terms: doubling, but never beyond what `max` members of
    /// `MEMBER_TERMS` terms need, so that the worst case is exactly that.
    fn reserve(&mut self, n: usize, max: usize) {
        let need = self.terms.len() + n;
        if need > self.terms.capacity() {
            let full = (max * MEMBER_TERMS).max(need);
            let target = (self.terms.capacity() * 2).max(MEMBER_TERMS).clamp(need, full);
            self.terms.reserve_exact(target - self.terms.len());
        }
    }

    fn pop_oldest(&mut self) {
        if let Some(n) = self.lens.pop_front() {
            self.terms.drain(..n as usize);
        }
    }

    /// Mean cosine of an IDF-weighted article (sorted by hash, norm `norm_a`) to its `k` most
    /// similar members (fewer when there are fewer). One merge pass per member.
    pub(crate) fn top_cosine(&self, article: &[(u32, f32)], norm_a: f32, k: usize) -> f32 {
        if k == 0 || norm_a == 0.0 {
            return 0.0;
        }
        let mut best: Vec<f32> = Vec::with_capacity(k + 1);
        let mut start = 0;
        for &n in &self.lens {
            let member = &self.terms[start..start + n as usize];
            start += n as usize;
            let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
            while i < article.len() && j < member.len() {
                let key = member[j] >> 8;
                match article[i].0.cmp(&key) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        dot += article[i].1 * (member[j] & 0xff) as f32;
                        i += 1;
                        j += 1;
                    }
                }
            }
            let cos = dot / (LEVELS * norm_a);
            if best.len() < k {
                best.push(cos);
            } else if let Some(min_pos) = best
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(p, _)| p)
            {
                if cos > best[min_pos] {
                    best[min_pos] = cos;
                }
            }
        }
        if best.is_empty() {
            0.0
        } else {
            best.iter().sum::<f32>() / best.len() as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(terms: &[(u64, f32)]) -> Vec<(u32, f32)> {
        terms.iter().map(|&(t, w)| (term_key(t), w)).collect()
    }

    #[test]
    fn cosines_match_full_precision_and_memory_is_capped() {
        let mut m = Members::default();
        let a: Vec<(u64, f32)> = (1..=30u64).map(|i| (i << 41, 1.0 + i as f32 / 10.0)).collect();
        for round in 0..100 {
            m.push(&a[round % 5..], 8);
            assert!(m.lens.len() <= 8);
            assert!(m.terms.capacity() <= 8 * MEMBER_TERMS, "round {round}");
        }
        let b: Vec<(u64, f32)> = (1..=10u64).map(|i| (i << 41, 1.0)).collect();
        let norm_b = (10.0f32).sqrt();
        let got = m.top_cosine(&unit(&b), norm_b, 1);
        // The exact cosine to the best member (the one starting at term 1 keeps terms 7..=30).
        let full: Vec<(u64, f32)> = a.iter().copied().filter(|&(t, _)| t >= 7 << 41).collect();
        let norm_f = full.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        let dot: f32 = full.iter().filter(|&&(t, _)| t <= 10 << 41).map(|(_, w)| w).sum();
        let exact = dot / (norm_f * norm_b);
        assert!((got - exact).abs() < 0.005, "{got} vs {exact}");
        let mut other = Members::default();
        other.push(&b, 8);
        m.append(other, 8);
        assert_eq!(m.lens.len(), 8);
        assert!((m.top_cosine(&unit(&b), norm_b, 1) - 1.0).abs() < 0.005);
    }
}
