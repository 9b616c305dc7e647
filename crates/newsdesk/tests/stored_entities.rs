//! Named entities are kept with an article when it is tagged, and posts read them instead of extracting them
//! again: on the offline example, the posts (both styles) and the JSONL made from the stored entities are
//! byte for byte those made by extracting them from the text, as for an article stored before they were kept.

mod common;

use std::path::Path;

use common::*;
use newsdesk::store::{ArticleRow, Store};

fn example_desk(dir: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/offline");
    copy_dir(&example.join("feeds"), &dir.join("feeds"));
    copy_dir(&example.join("pages"), &dir.join("pages"));
    std::fs::copy(example.join("newsdesk.toml"), dir.join("newsdesk.toml")).expect("config");
}

fn articles(store: &dyn Store) -> Vec<ArticleRow> {
    let items = store.items_after(0, 100).expect("items");
    let mut ids: Vec<i64> = items.iter().filter_map(|i| i.article_id).collect();
    ids.sort();
    ids.dedup();
    ids.iter()
        .map(|&id| store.article(id).expect("article").expect("stored"))
        .collect()
}

/// Posts of both styles (`publish hugo` over every item) and the full export.
fn outputs(dir: &Path) -> (std::collections::BTreeMap<String, String>, String, String) {
    newsdesk_ok(dir, &["publish", "hugo", "site"]);
    newsdesk_ok(dir, &["publish", "hugo", "seed-site", "--style", "seed"]);
    let seed: String = std::fs::read_dir(dir.join("seed-site/content/posts"))
        .expect("seed posts")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).expect("post"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    (posts(dir), seed, newsdesk_ok(dir, &["export", "jsonl"]))
}

#[test]
fn posts_from_stored_entities_are_those_from_the_text() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    example_desk(dir);
    newsdesk_ok(dir, &["run", "--once"]);
    let stored = {
        let store = newsdesk::store::open_sqlite(&dir.join("newsdesk.db")).expect("store");
        let stored = articles(&*store);
        assert_eq!(stored.len(), 3);
        assert!(stored.iter().all(|a| a.entities.is_some()), "tagging stored them");
        assert!(
            stored.iter().any(|a| a
                .entities
                .as_ref()
                .is_some_and(|e| !e.places.is_empty() || !e.people.is_empty())),
            "the example names someone or somewhere"
        );
        stored
    };
    let with_stored = outputs(dir);
    assert!(with_stored.2.contains("\"places\""), "the JSONL carries entities");

    // The same articles as stored before entities were kept: posts find them in the text.
    {
        let store = newsdesk::store::open_sqlite(&dir.join("newsdesk.db")).expect("store");
        for a in &stored {
            store
                .upsert_article(&ArticleRow {
                    entities: None,
                    ..a.clone()
                })
                .expect("store without entities");
        }
        assert!(articles(&*store).iter().all(|a| a.entities.is_none()));
    }
    let extracted = outputs(dir);
    assert_eq!(with_stored.0, extracted.0, "full-style posts");
    assert_eq!(with_stored.1, extracted.1, "seed-style posts");
    assert_eq!(with_stored.2, extracted.2, "JSONL");
}
