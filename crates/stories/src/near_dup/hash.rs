//! Stable 64-bit hashing. Fingerprints are stored, so the hash must never change between builds or
//! platforms: FNV-1a for bytes, the SplitMix64 finaliser to spread the bits.

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_bytes(bytes.iter().copied())
}

fn fnv1a_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// [`fnv1a`] of `word` lower-cased, without building the lower-cased string when the word is ASCII (as
/// most words are): `scratch` holds it otherwise.
pub(crate) fn fnv1a_lowercase(word: &str, scratch: &mut String) -> u64 {
    if word.is_ascii() {
        return fnv1a_bytes(word.bytes().map(|b| b.to_ascii_lowercase()));
    }
    scratch.clear();
    scratch.extend(word.chars().flat_map(char::to_lowercase));
    fnv1a(scratch.as_bytes())
}

pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Stable hash of a string.
pub fn fnv1a_str(s: &str) -> u64 {
    fnv1a(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed() {
        // Fixed values: a change here invalidates every stored fingerprint.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(mix(1), mix(2));
    }
}
