//! Wire copy re-posted with an edited first paragraph is a near-duplicate; another outlet's own article
//! on the same event is not.

use newsdesk_stories::{is_near_duplicate, Fingerprint, NearDupIndex};

const ORIGINAL: &str = include_str!("fixtures/wire_original.txt");
const REPOST: &str = include_str!("fixtures/wire_repost_edited_lead.txt");
const OTHER: &str = include_str!("fixtures/same_story_other_article.txt");

fn fp(text: &str) -> Fingerprint {
    match Fingerprint::from_text(text) {
        Some(f) => f,
        None => panic!("fixture too short to fingerprint"),
    }
}

#[test]
fn edited_wire_copy_is_flagged() {
    let (original, repost) = (fp(ORIGINAL), fp(REPOST));
    assert!(
        is_near_duplicate(&original, &repost),
        "similarity {}",
        original.similarity(&repost)
    );
}

#[test]
fn another_article_on_the_same_story_is_not() {
    let (original, other) = (fp(ORIGINAL), fp(OTHER));
    assert!(
        !is_near_duplicate(&original, &other),
        "similarity {}",
        original.similarity(&other)
    );
    assert!(original.similarity(&other) < 0.2);
}

#[test]
fn index_finds_the_original_among_others() {
    let mut index = NearDupIndex::new();
    index.insert("other", fp(OTHER));
    index.insert("original", fp(ORIGINAL));
    for i in 0..50 {
        let filler = format!("Unrelated report number {i} about the weather, the harvest and the local football club, which won its match on Sunday by {i} goals to nil in front of a large crowd.");
        index.insert(format!("filler-{i}"), fp(&filler));
    }
    let found = index.find_duplicate(&fp(REPOST));
    assert_eq!(found.map(|d| d.id), Some("original".to_string()));
    assert!(
        index.find_duplicate(&fp(OTHER)).is_some_and(|d| d.id == "other"),
        "identical text finds itself"
    );
}

#[test]
fn bounded_index_forgets_the_oldest() {
    let mut index = NearDupIndex::with_capacity(1);
    index.insert("original", fp(ORIGINAL));
    index.insert("other", fp(OTHER));
    assert_eq!(index.len(), 1);
    assert!(index.find_duplicate(&fp(REPOST)).is_none());
}

#[test]
fn texts_sharing_buckets_are_forgotten_one_at_a_time() {
    // Three copies of one text share every bucket; forgetting the oldest must keep the others findable.
    let mut index = NearDupIndex::with_capacity(2);
    index.insert("first", fp(ORIGINAL));
    index.insert("second", fp(ORIGINAL));
    index.insert("third", fp(ORIGINAL));
    assert_eq!(index.len(), 2);
    let ids: Vec<String> = index.query(&fp(ORIGINAL), 0.99).into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["second", "third"]);
    index.insert("other", fp(OTHER));
    let ids: Vec<String> = index.query(&fp(ORIGINAL), 0.99).into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["third"]);
    index.insert("other again", fp(OTHER));
    assert!(index.find_duplicate(&fp(REPOST)).is_none());
}

#[test]
fn fingerprints_round_trip_through_bytes() {
    let f = fp(ORIGINAL);
    assert_eq!(Fingerprint::from_bytes(&f.to_bytes()).ok(), Some(f));
    assert!(Fingerprint::from_bytes(&[1, 2, 3]).is_err());
    assert!(Fingerprint::from_text("too short").is_none());
}
