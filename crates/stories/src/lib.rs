//! Stories: URL canonicalization, near-duplicate fingerprints, online story clustering, tags and language.
//! Pure: values in, values out.
