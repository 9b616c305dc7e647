//! Headlines from three stories, fed one at a time, land in three stories; restoring works.

use newsdesk_stories::{Article, Clusterer, Evidence};
use std::collections::HashMap;

fn fixture() -> Vec<Article> {
    include_str!("fixtures/headlines.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match serde_json::from_str::<Article>(l) {
            Ok(a) => a,
            Err(e) => panic!("fixture line {l}: {e}"),
        })
        .collect()
}

fn assign_all(c: &mut Clusterer, articles: &[Article]) -> HashMap<String, String> {
    articles.iter().map(|a| (a.id.clone(), c.assign(a).story_id)).collect()
}

#[test]
fn headlines_group_by_story() {
    let articles = fixture();
    let mut c = Clusterer::default();
    let got = assign_all(&mut c, &articles);
    for group in ["a", "b", "c"] {
        let ids: Vec<&String> = got
            .iter()
            .filter(|(id, _)| id.starts_with(group))
            .map(|(_, s)| s)
            .collect();
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "story {group} split: {got:?}");
    }
    assert_ne!(got["a1"], got["b1"]);
    assert_ne!(got["a1"], got["c1"]);
    assert_ne!(got["b1"], got["c1"]);
    assert_eq!(c.len(), 3);
}

#[test]
fn story_records_articles_outlets_and_dates() {
    let mut c = Clusterer::default();
    let mut first = Article::new("x1", "Mt. Gox files for bankruptcy protection after losing bitcoins");
    first.source = Some("Wire".into());
    first.date = Some(1_000);
    let mut second = Article::new("x2", "Bitcoin exchange Mt. Gox files for bankruptcy in Tokyo");
    second.source = Some("Tech Ledger".into());
    second.date = Some(5_000);
    let a = c.assign(&first);
    let b = c.assign(&second);
    assert!(a.new_story && !b.new_story);
    assert_eq!(b.evidence, Evidence::Similarity);
    let story = c.story(&a.story_id).cloned();
    let Some(story) = story else { panic!("story kept") };
    assert_eq!(story.articles, ["x1", "x2"]);
    assert_eq!(story.outlets, ["Wire", "Tech Ledger"]);
    assert_eq!((story.first_seen, story.last_updated), (Some(1_000), Some(5_000)));
    assert!(!story.headline.is_empty());
}

#[test]
fn related_coverage_links_join_the_story() {
    let mut c = Clusterer::default();
    let mut first = Article::new("g1", "Harbour bridge reopens after repairs");
    first.url = Some("https://one.example/harbour-bridge-reopens".into());
    let a = c.assign(&first);
    // No shared words, but Google News lists the first article as related coverage.
    let mut second = Article::new("g2", "Commuters cheer as crossing returns");
    second.related = vec!["https://one.example/harbour-bridge-reopens?utm_source=gnews".into()];
    let b = c.assign(&second);
    assert_eq!(b.story_id, a.story_id);
    assert_eq!(b.evidence, Evidence::RelatedCoverage);
}

#[test]
fn restored_stories_are_joined_after_a_restart() {
    let articles = fixture();
    let mut before = Clusterer::default();
    let got = assign_all(&mut before, &articles[..9]);
    // A new process: preload what the store holds, then go on.
    let mut after = Clusterer::default();
    for a in &articles[..9] {
        after.restore(a, &got[&a.id]);
    }
    let last = after.assign(&articles[9]);
    assert_eq!(last.story_id, got["a1"]);
    assert!(!last.new_story);
}

#[test]
fn old_stories_leave_the_window() {
    let mut c = Clusterer::default();
    let mut old = Article::new("o1", "Mt. Gox files for bankruptcy protection");
    old.date = Some(0);
    let first = c.assign(&old);
    let mut late = Article::new("o2", "Mt. Gox files for bankruptcy protection again");
    late.date = Some(30 * 24 * 3600);
    let second = c.assign(&late);
    assert_ne!(first.story_id, second.story_id);
    c.expire_before(24 * 3600);
    assert!(c.story(&first.story_id).is_none());
    assert!(c.story(&second.story_id).is_some());
}

/// Two stories about one event started apart; an article close to both merges them, and the
/// first story's id keeps finding the merged story.
fn bridged(merge_threshold: f32) -> (Clusterer, Vec<String>) {
    let (c, assignments) = bridged_assignments(merge_threshold);
    (c, assignments.into_iter().map(|a| a.story_id).collect())
}

/// Two unrelated headlines, then two threads of one story (bankruptcy; Chapter 11 closures) and
/// an article that bridges them, then one more of the second thread.
const TWO_THREADS: [&str; 8] = [
    "Colorado collects marijuana taxes in January",
    "Malaysia Airlines search widens to Indian Ocean",
    "Sbarro pizza chain files for bankruptcy",
    "Sbarro pizza chain files for bankruptcy again",
    "Sbarro closes restaurants under Chapter 11",
    "Sbarro closes restaurants under Chapter 11 protection",
    "Sbarro pizza chain files for Chapter 11 bankruptcy and closes restaurants",
    "Sbarro closes restaurants under Chapter 11 plan",
];

/// Assigns [`TWO_THREADS`] in order with `config`.
fn assign_two_threads(config: newsdesk_stories::ClusterConfig) -> (Clusterer, Vec<newsdesk_stories::Assignment>) {
    let mut c = Clusterer::new(config);
    let assignments = TWO_THREADS
        .iter()
        .enumerate()
        .map(|(i, t)| c.assign(&Article::new(format!("m{i}"), *t)))
        .collect();
    (c, assignments)
}

fn bridged_assignments(merge_threshold: f32) -> (Clusterer, Vec<newsdesk_stories::Assignment>) {
    assign_two_threads(newsdesk_stories::ClusterConfig {
        threshold: 0.3,
        merge_threshold,
        ..Default::default()
    })
}

#[test]
fn the_bridging_assignment_names_the_story_folded_in() {
    let (_, got) = bridged_assignments(0.1);
    let folded = if got[6].story_id == got[2].story_id {
        &got[4]
    } else {
        &got[2]
    };
    assert_eq!(got[6].merged.as_deref(), Some(folded.story_id.as_str()));
    assert!(
        got.iter().enumerate().all(|(i, a)| i == 6 || a.merged.is_none()),
        "{got:?}"
    );
    let (_, apart) = bridged_assignments(0.0);
    assert!(apart.iter().all(|a| a.merged.is_none()));
}

#[test]
fn an_article_bridging_two_stories_merges_them() {
    let (c, ids) = bridged(0.1);
    assert_eq!(ids[2], ids[3]);
    assert_eq!(ids[4], ids[5]);
    assert_ne!(ids[2], ids[4], "the two threads start apart: {ids:?}");
    // The bridge joins one of them and folds the other in; later articles follow.
    assert!(ids[6] == ids[2] || ids[6] == ids[4]);
    assert_eq!(ids[7], ids[6]);
    let Some(merged) = c.story(&ids[2]) else {
        panic!("merged story found by its old id")
    };
    assert_eq!(merged.articles.len(), 6);
    assert_eq!(c.story(&ids[4]).map(|s| s.id.clone()), Some(merged.id.clone()));

    // Without merging, the later article stays with its own thread.
    let (_, apart) = bridged(0.0);
    assert_eq!(apart[2..7], ids[2..7]);
    assert_eq!(apart[7], apart[4]);
    assert_ne!(apart[4], apart[2]);
}

#[test]
fn a_long_running_story_keeps_a_bounded_recent_history() {
    let mut c = Clusterer::default();
    let mut story_id = None;
    let n = 3_000;
    for i in 0..n {
        let mut a = Article::new(
            format!("m{i}"),
            "Mt. Gox files for bankruptcy protection after losing bitcoins",
        );
        a.url = Some(format!("https://example.com/gox/{i}"));
        a.date = Some(1_000 + i as i64 * 60);
        let got = c.assign(&a);
        story_id.get_or_insert(got.story_id.clone());
        assert_eq!(Some(&got.story_id), story_id.as_ref(), "article {i} left the story");
    }
    let Some(id) = story_id else { panic!("no story") };
    let Some(story) = c.story(&id) else {
        panic!("story kept")
    };
    assert!(
        (512..=1_024).contains(&story.articles.len()),
        "{} article ids kept of {n}",
        story.articles.len()
    );
    assert_eq!(story.articles.last().map(String::as_str), Some("m2999"));
    // The newest members' URLs still lead to the story; the oldest ones were forgotten.
    let mut again = Article::new("m2999-again", "Unrelated words entirely about gardening tomatoes");
    again.url = Some("https://example.com/gox/2999".into());
    assert_eq!(c.assign(&again).evidence, Evidence::SameUrl);
    let mut old = Article::new("m0-again", "Unrelated words entirely about gardening tomatoes");
    old.url = Some("https://example.com/gox/0".into());
    assert_ne!(c.assign(&old).evidence, Evidence::SameUrl);
}

/// A long stream with new names in every story and a growing vocabulary: the stories, the index and
/// the document frequencies stay within their caps, and every story in memory is found by its id.
fn capped_stream(config: newsdesk_stories::ClusterConfig, n: u64) -> (usize, usize, usize) {
    let mut c = Clusterer::new(config.clone());
    let mut x = 1u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut most_stories, mut most_entries, mut most_df) = (0, 0, 0);
    let mut stories = 0u64;
    for i in 0..n {
        let story = if stories == 0 || next() % 5 < 2 {
            stories += 1;
            stories - 1
        } else {
            stories - 1 - next() % stories.min(50)
        };
        let title = format!(
            "Name{story}a Name{story}b word{} word{} word{}",
            next() % 5_000,
            next() % 5_000,
            next() % 300
        );
        let mut a = Article::new(format!("s{i}"), title);
        a.text = Some(
            (0..30)
                .map(|_| format!("lead{}", next() % 20_000))
                .collect::<Vec<_>>()
                .join(" "),
        );
        a.url = Some(format!("https://example.com/{i}"));
        a.date = Some(i as i64); // all within the window: only the caps bound memory
        let got = c.assign(&a);
        assert!(c.story(&got.story_id).is_some(), "article {i}: its story is kept");
        most_stories = most_stories.max(c.len());
        most_entries = most_entries.max(c.index_entries());
        most_df = most_df.max(c.df_terms());
    }
    for s in c.stories() {
        assert_eq!(c.story(&s.id).map(|f| &f.id), Some(&s.id));
    }
    (most_stories, most_entries, most_df)
}

#[test]
fn memory_stays_within_the_caps_on_a_long_stream() {
    let caps = newsdesk_stories::ClusterConfig {
        max_stories: 100,
        max_index_entries: 3_000,
        max_df_terms: 4_000,
        ..Default::default()
    };
    let (stories, entries, df) = capped_stream(caps.clone(), 3_000);
    assert!(stories <= caps.max_stories, "{stories} stories");
    assert!(entries <= caps.max_index_entries, "{entries} index entries");
    assert!(df <= caps.max_df_terms, "{df} document frequencies");
    // The caps are what holds them: without them the same stream keeps far more.
    let uncapped = newsdesk_stories::ClusterConfig {
        max_stories: usize::MAX,
        max_index_entries: usize::MAX,
        max_df_terms: usize::MAX,
        ..Default::default()
    };
    let (stories, entries, df) = capped_stream(uncapped, 3_000);
    assert!(stories > 2 * caps.max_stories, "{stories} stories");
    assert!(entries > 2 * caps.max_index_entries, "{entries} index entries");
    assert!(df > 2 * caps.max_df_terms, "{df} document frequencies");
}

#[test]
fn the_default_caps_do_not_bind_on_a_day_of_news() {
    let d = newsdesk_stories::ClusterConfig::default();
    assert!(d.max_stories >= 1_000 && d.max_index_entries >= 100 * d.max_stories / 2);
    let (stories, entries, df) = capped_stream(d.clone(), 1_500);
    assert!(stories < d.max_stories && entries < d.max_index_entries && df < d.max_df_terms);
}

#[test]
fn an_abbreviated_name_and_the_name_written_as_one_word_match() {
    let mut c = Clusterer::default();
    let first = c.assign(&Article::new("n1", "Hackers say MtGox chief hid lost bitcoins"));
    let second = c.assign(&Article::new("n2", "Mt. Gox chief accused by hackers"));
    assert_eq!(second.story_id, first.story_id, "{second:?}");
    assert_eq!(second.evidence, Evidence::Similarity);
}

/// A one-headline story, and a headline sharing one common word with it: does it join?
fn small_story_joined(margin: f32) -> bool {
    one_shared_word_joins(newsdesk_stories::ClusterConfig {
        small_story_margin: margin,
        min_shared_terms: 1,
        warmup_margin: 0.0,
        ..Default::default()
    })
}

fn one_shared_word_joins(config: newsdesk_stories::ClusterConfig) -> bool {
    let mut c = Clusterer::new(config);
    let seed = c.assign(&Article::new("s1", "Gas prices rise again across the state"));
    c.assign(&Article::new("s2", "Colorado collects marijuana taxes in January"));
    c.assign(&Article::new("s3", "Malaysia Airlines search widens to Indian Ocean"));
    let got = c.assign(&Article::new("s4", "Store shares rise after analyst upgrade to buy"));
    got.story_id == seed.story_id
}

#[test]
fn a_small_story_is_joined_on_stronger_evidence() {
    // The one shared word reaches the threshold, not the threshold plus the margin of a story of one.
    assert!(small_story_joined(0.0), "without the margin, the one shared word joins");
    assert!(!small_story_joined(0.2));
}

#[test]
fn two_headlines_sharing_one_word_are_no_story() {
    assert!(!one_shared_word_joins(Default::default()));
    assert!(!one_shared_word_joins(newsdesk_stories::ClusterConfig {
        small_story_margin: 0.0,
        warmup_margin: 0.0,
        ..Default::default()
    }));
}

/// Two headlines of one story, after `before` unrelated ones: do they make a story?
fn joined_after(before: usize, warmup_margin: f32) -> bool {
    let mut c = Clusterer::new(newsdesk_stories::ClusterConfig {
        warmup_margin,
        ..Default::default()
    });
    for i in 0..before {
        let words: Vec<String> = (0..5).map(|j| format!("filler{i}x{j}")).collect();
        c.assign(&Article::new(format!("u{i}"), words.join(" ")));
    }
    let first = c.assign(&Article::new(
        "p1",
        "Sbarro files for bankruptcy protection as pizza sales slump nationwide",
    ));
    let second = c.assign(&Article::new(
        "p2",
        "Sbarro closes dozens of restaurants, blames weak pizza demand",
    ));
    first.story_id == second.story_id
}

#[test]
fn the_threshold_is_higher_while_few_articles_are_counted() {
    assert!(joined_after(400, 0.1), "later in the stream the pair joins");
    assert!(joined_after(20, 0.0), "and early without the warm-up");
    assert!(!joined_after(20, 0.1), "but not among the first articles");
}

/// Sub-threads told apart (a high `merge_threshold`), bridged later: fragments fold in.
fn fragments(fragment_size: usize) -> Vec<String> {
    let (_, assignments) = assign_two_threads(newsdesk_stories::ClusterConfig {
        threshold: 0.3,
        merge_threshold: 0.95,
        fragment_size,
        fragment_merge_threshold: 0.1,
        ..Default::default()
    });
    assignments.into_iter().map(|a| a.story_id).collect()
}

#[test]
fn a_bridged_fragment_folds_into_the_other_story() {
    let ids = fragments(3);
    assert_ne!(ids[2], ids[4], "two threads: {ids:?}");
    assert!(ids[6] == ids[2] || ids[6] == ids[4]);
    assert_eq!(ids[7], ids[6], "the threads are one story now: {ids:?}");
    let apart = fragments(0);
    assert_eq!(apart[7], apart[4]);
    assert_ne!(
        apart[7], apart[6],
        "without fragments, the threads stay apart: {apart:?}"
    );
}
