//! The store contract: what every backend must do, written once against `&dyn Store` and run on each
//! backend (`contract_suite!` below). A new backend passes it before the pipeline may use it.

use std::sync::Arc;

use chrono::{Duration, Utc};
use newsdesk_store::{
    batch, enrich_article, fold_story, parse_query, stored_time, ArticleEntities, ArticleRow, Enrichment, Failure,
    FeedPoll, Lease, Stage, Store, StoryHead, WorkerRow,
};

/// A fresh, empty store of one backend, and a second handle on the same data (another connection, as another
/// process or thread would have). The guard keeps the backing files alive.
pub struct Fresh {
    pub store: Arc<dyn Store>,
    pub other: Arc<dyn Store>,
    _guard: Box<dyn std::any::Any>,
}

fn sqlite() -> Option<Fresh> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("contract.db");
    let store = newsdesk_store::open_sqlite(&path).expect("open");
    let other = newsdesk_store::open_sqlite(&path).expect("open again");
    Some(Fresh {
        store,
        other,
        _guard: Box::new(dir),
    })
}

/// A fresh database on the tests' PostgreSQL server (see `newsdesk_store::testing`), dropped afterwards.
fn postgres() -> Option<Fresh> {
    let db = newsdesk_store::testing::TestDatabase::create("contract")?;
    let store = newsdesk_store::open(&newsdesk_store::Location::Postgres(db.url.clone())).expect("open");
    let other = newsdesk_store::open(&newsdesk_store::Location::Postgres(db.url.clone())).expect("open again");
    Some(Fresh {
        store,
        other,
        _guard: Box::new(db),
    })
}

fn item(id: &str, title: &str, link: &str) -> newsdesk_feeds::Item {
    newsdesk_feeds::Item {
        id: id.into(),
        title: title.into(),
        link: Some(link.into()),
        summary: Some(format!("<p>{title}</p>")),
        ..Default::default()
    }
}

fn article(url: &str, title: &str, text: &str, published: &str) -> ArticleRow {
    ArticleRow {
        canonical_url: url.into(),
        url: url.into(),
        title: Some(title.into()),
        text: text.into(),
        markdown: text.into(),
        html: format!("<p>{text}</p>"),
        authors: vec!["Ana Lima".into()],
        published: Some(published.into()),
        language: Some("en".into()),
        site_name: Some("Example Wire".into()),
        fetched_at: published.into(),
        ..Default::default()
    }
}

const NOW: &str = "2026-01-05T10:00:00Z";

pub fn feeds_are_added_once_polled_and_removed(f: Fresh) {
    let s = &*f.store;
    let (id, added) = s.add_feed("https://a.example/feed", Some("A")).expect("add");
    assert!(added);
    let (again, added) = s.add_feed("https://a.example/feed", None).expect("add again");
    assert_eq!((again, added), (id, false));
    s.record_poll(
        id,
        &FeedPoll {
            fetched_at: NOW.into(),
            title: Some("A feed".into()),
            etag: Some("\"e1\"".into()),
            next_poll_at: Some("2026-01-05T10:30:00Z".into()),
            ..Default::default()
        },
    )
    .expect("poll");
    s.record_poll(
        id,
        &FeedPoll {
            fetched_at: "2026-01-05T10:30:00Z".into(),
            error: Some("HTTP 500".into()),
            ..Default::default()
        },
    )
    .expect("failed poll");
    let feed = s.feed_by_url("https://a.example/feed").expect("get").expect("there");
    assert_eq!(
        feed.etag.as_deref(),
        Some("\"e1\""),
        "a failed poll keeps the validators"
    );
    assert_eq!(feed.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(feed.name.as_deref(), Some("A"));
    s.upsert_items(id, &[item("g1", "One", "https://a.example/1")], NOW)
        .expect("items");
    assert_eq!(s.feeds().expect("feeds")[0].item_count, 1);
    assert!(s.remove_feed(id).expect("remove"));
    assert!(!s.remove_feed(id).expect("remove again"));
    assert!(s.items_after(0, 10).expect("items").is_empty(), "its items go with it");
    assert!(s.feed_by_url("https://a.example/feed").expect("get").is_none());
}

pub fn items_are_upserted_by_key(f: Fresh) {
    let s = &*f.store;
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("add");
    let items = [
        item("g1", "One", "https://a.example/1"),
        item("g2", "Two", "https://a.example/2"),
    ];
    assert_eq!(s.upsert_items(feed, &items, NOW).expect("upsert"), (2, 0));
    assert_eq!(
        s.upsert_items(feed, &items, NOW).expect("again"),
        (0, 0),
        "unchanged items are left alone"
    );
    let before = s.items_after(0, 10).expect("items");
    let changed = [item("g1", "One, updated", "https://a.example/1")];
    assert_eq!(s.upsert_items(feed, &changed, NOW).expect("changed"), (0, 1));
    let after = s.items_after(0, 10).expect("items");
    assert_eq!(after.len(), 2);
    assert_eq!(after[0].title, "One, updated");
    assert!(after[0].version > before[0].version, "a change bumps the version");
    assert_eq!(after[1].version, before[1].version);
    assert_eq!(after[0].feed_url, "https://a.example/feed");
    assert_eq!(after[0].stage, Stage::New);
    // Paging by id.
    let first = s.items_after(0, 1).expect("page");
    let second = s.items_after(first[0].id, 1).expect("page");
    assert_eq!(second[0].key, "g2");
}

/// A Google News description: the related-coverage list, as `<ol><li>` entries of a link and its outlet.
const GNEWS_DESCRIPTION: &str = "<ol><li><a href=\"https://news.google.com/rss/articles/CBMiA?oc=5\" \
    target=\"_blank\">Storm hits the coast &amp; moves inland</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">ABC News</font>\
    </li><li><a href=\"https://news.google.com/rss/articles/CBMiB?oc=5\">Coast braces for the storm</a>&nbsp;&nbsp;\
    <font color=\"#6f6f6f\">Reuters</font></li></ol>";

fn related(headline: &str, outlet: &str, link: &str) -> newsdesk_feeds::gnews::Related {
    newsdesk_feeds::gnews::Related {
        headline: headline.into(),
        outlet: outlet.into(),
        link: link.into(),
    }
}

/// The related coverage of an item's description is parsed when the item is stored and comes back with
/// every read of the item (listing, due, claimed, by article), following the description when it changes.
pub fn items_come_back_with_their_related_coverage(f: Fresh) {
    let s = &*f.store;
    let (feed, _) = s
        .add_feed("https://news.google.com/rss/search?q=storm", None)
        .expect("add");
    let gnews = newsdesk_feeds::Item {
        summary: Some(GNEWS_DESCRIPTION.into()),
        ..item(
            "g1",
            "Storm hits the coast - ABC News",
            "https://news.google.com/rss/articles/CBMiA",
        )
    };
    // Only full content (no summary): its posts show the content, and so its related coverage comes from it.
    let content_only = newsdesk_feeds::Item {
        summary: None,
        content: Some("<a href=\"https://x.example/c\">Only</a>&nbsp;&nbsp;<font>BBC</font>".into()),
        ..item("g2", "Only - BBC", "https://x.example/c")
    };
    let plain = item("g3", "Plain", "https://a.example/3");
    s.upsert_items(feed, &[gnews, content_only, plain.clone()], NOW)
        .expect("upsert");
    let expected = vec![
        related(
            "Storm hits the coast & moves inland",
            "ABC News",
            "https://news.google.com/rss/articles/CBMiA?oc=5",
        ),
        related(
            "Coast braces for the storm",
            "Reuters",
            "https://news.google.com/rss/articles/CBMiB?oc=5",
        ),
    ];
    let items = s.items_after(0, 10).expect("items");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].related, expected);
    assert_eq!(items[1].related, vec![related("Only", "BBC", "https://x.example/c")]);
    assert!(items[2].related.is_empty(), "a description without the list has none");
    // Another handle (another process) reads what was stored.
    assert_eq!(f.other.items_after(0, 1).expect("items")[0].related, expected);
    assert_eq!(s.items_due(Stage::New, NOW, 3, 1).expect("due")[0].related, expected);
    let claimed = s.claim_items(Stage::New, NOW, 3, 1, &lease("w1", 60)).expect("claim");
    assert_eq!(claimed[0].related, expected);
    let article_id = s
        .upsert_article(&article("https://pub.example/storm", "Storm", "Wind and rain.", NOW))
        .expect("article");
    s.advance_item(
        items[0].id,
        Stage::Ready,
        Some("https://pub.example/storm"),
        Some(article_id),
    )
    .expect("advance");
    assert_eq!(s.article_items(article_id).expect("items")[0].related, expected);
    assert_eq!(
        s.items_to_publish("hugo:test", 3, 0, 10).expect("to publish")[0].related,
        expected
    );

    // A new description replaces the list; one without it empties it.
    let shorter = newsdesk_feeds::Item {
        summary: Some("<a href=\"https://x.example/d\">Alone</a>&nbsp;&nbsp;<font>AP</font>".into()),
        ..item(
            "g1",
            "Storm hits the coast - ABC News",
            "https://news.google.com/rss/articles/CBMiA",
        )
    };
    let emptied = newsdesk_feeds::Item {
        summary: Some("<p>No list now</p>".into()),
        ..item("g2", "Only - BBC", "https://x.example/c")
    };
    assert_eq!(
        s.upsert_items(feed, &[shorter, emptied, plain], NOW).expect("again"),
        (0, 2)
    );
    let items = s.items_after(0, 10).expect("items");
    assert_eq!(items[0].related, vec![related("Alone", "AP", "https://x.example/d")]);
    assert!(items[1].related.is_empty());
}

pub fn stages_failures_and_deferrals(f: Fresh) {
    let s = &*f.store;
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("add");
    let items: Vec<_> = (0..5)
        .map(|i| {
            item(
                &format!("g{i}"),
                &format!("Item {i}"),
                &format!("https://a.example/{i}"),
            )
        })
        .collect();
    s.upsert_items(feed, &items, NOW).expect("upsert");
    let due = s.items_due(Stage::New, NOW, 3, 10).expect("due");
    assert_eq!(
        due.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(),
        ["g0", "g1", "g2", "g3", "g4"]
    );
    assert_eq!(
        s.items_due(Stage::New, NOW, 3, 2).expect("due").len(),
        2,
        "the limit holds"
    );
    let ids: Vec<i64> = due.iter().map(|i| i.id).collect();

    s.advance_item(ids[0], Stage::Resolved, Some("https://pub.example/0"), None)
        .expect("advance");
    let later = Utc::now() + Duration::hours(1);
    s.fail_item(ids[1], "HTTP 503", NOW, Failure::RetryAt(later))
        .expect("fail");
    s.fail_item(ids[2], "HTTP 404", NOW, Failure::Permanent)
        .expect("fail for good");
    s.defer_item(ids[3], "waiting for a rate limit", NOW, &stored_time(later))
        .expect("defer");

    let now = stored_time(Utc::now());
    let new_due: Vec<i64> = s
        .items_due(Stage::New, &now, 3, 10)
        .expect("due")
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(new_due, [ids[4]], "failed, given-up and deferred items wait");
    let resolved = s.items_due(Stage::Resolved, &now, 3, 10).expect("due");
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].resolved_url.as_deref(), Some("https://pub.example/0"));

    let after = stored_time(later + Duration::minutes(1));
    let due_later: Vec<i64> = s
        .items_due(Stage::New, &after, 3, 10)
        .expect("due")
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(
        due_later,
        [ids[1], ids[3], ids[4]],
        "retry and deferral times come; given up never does"
    );

    let rows = s.items_after(0, 10).expect("items");
    let row = |id: i64| rows.iter().find(|r| r.id == id).expect("row").clone();
    assert_eq!((row(ids[1]).attempts, row(ids[1]).given_up), (1, false));
    assert_eq!(row(ids[1]).error.as_deref(), Some("HTTP 503"));
    assert!(row(ids[2]).given_up);
    assert_eq!(row(ids[3]).attempts, 0, "a deferral spends no attempt");
    assert_eq!(row(ids[3]).error.as_deref(), Some("waiting for a rate limit"));

    // Attempts run out at max_attempts.
    s.fail_item(
        ids[1],
        "HTTP 503",
        NOW,
        Failure::RetryAt(Utc::now() - Duration::minutes(1)),
    )
    .expect("fail");
    let now = stored_time(Utc::now());
    assert!(!s
        .items_due(Stage::New, &now, 2, 10)
        .expect("due")
        .iter()
        .any(|i| i.id == ids[1]));
    assert!(s
        .items_due(Stage::New, &now, 3, 10)
        .expect("due")
        .iter()
        .any(|i| i.id == ids[1]));

    // Advancing clears the failure.
    s.advance_item(ids[1], Stage::Resolved, Some("https://pub.example/1"), None)
        .expect("advance");
    let cleared = s
        .items_after(0, 10)
        .expect("items")
        .into_iter()
        .find(|r| r.id == ids[1])
        .expect("row");
    assert_eq!((cleared.attempts, cleared.error, cleared.given_up), (0, None, false));

    let status = s.status(10).expect("status");
    assert_eq!(status.feeds, 1);
    assert_eq!(
        status.failing_items, 2,
        "the given-up and the deferred item carry their reason"
    );
    assert!(status.recent_errors.iter().any(|e| e.error == "HTTP 404"));
}

pub fn resolutions_and_state(f: Fresh) {
    let s = &*f.store;
    assert_eq!(s.cached_resolution("tok").expect("get"), None);
    s.cache_resolution("tok", "https://pub.example/a", NOW).expect("cache");
    assert_eq!(
        s.cached_resolution("tok").expect("get").as_deref(),
        Some("https://pub.example/a")
    );
    assert_eq!(s.get_state("k").expect("get"), None);
    s.set_state("k", "1").expect("set");
    s.set_state("k", "2").expect("overwrite");
    assert_eq!(s.get_state("k").expect("get").as_deref(), Some("2"));
    assert_eq!(
        f.other.get_state("k").expect("other handle").as_deref(),
        Some("2"),
        "another handle sees it"
    );
}

pub fn articles_are_one_per_canonical_url(f: Fresh) {
    let s = &*f.store;
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("add");
    s.upsert_items(
        feed,
        &[
            item("g1", "One", "https://a.example/1"),
            item("g2", "Same again", "https://b.example/1"),
        ],
        NOW,
    )
    .expect("items");
    let items = s.items_after(0, 10).expect("items");
    let a = article(
        "https://pub.example/tidal",
        "Tidal plant opens",
        "The tidal plant opened.",
        NOW,
    );
    let first = s.store_article(&a).expect("article");
    assert_eq!(Some(&first), s.article(first.id).expect("get").as_ref());
    let id = first.id;
    let again = s
        .upsert_article(&ArticleRow {
            text: "The tidal plant opened on Monday.".into(),
            ..a.clone()
        })
        .expect("again");
    assert_eq!(id, again, "one article per canonical URL");
    let stored = s.article(id).expect("get").expect("there");
    assert_eq!(stored.text, "The tidal plant opened on Monday.");
    // What the enrich stage found stays when the article is stored again (reached through another item).
    s.upsert_story("s", "Tidal plant opens", NOW).expect("story");
    enrich_article(
        s,
        id,
        &Enrichment {
            tags: vec!["tidal power".into()],
            story_id: Some("s".into()),
            duplicate_of: Some(id + 100),
            ..Default::default()
        },
    )
    .expect("enrich");
    let returned = s
        .store_article(&ArticleRow {
            tags: vec!["other".into()],
            ..a.clone()
        })
        .expect("stored again");
    let kept = s.article(id).expect("get").expect("there");
    // What a store returns is what it would read back: the pipeline enriches it without reading it again.
    assert_eq!(returned, kept);
    assert_eq!(kept.encoding_note, None);
    assert_eq!(kept.tags, ["tidal power"]);
    assert_eq!(kept.story_id.as_deref(), Some("s"));
    assert_eq!(kept.duplicate_of, Some(id + 100));
    assert_eq!(kept.text, a.text, "the rest is the new extraction's");
    assert_eq!(
        s.article_by_url("https://pub.example/tidal")
            .expect("by url")
            .map(|a| a.id),
        Some(id)
    );
    for it in &items {
        s.advance_item(it.id, Stage::Extracted, None, Some(id))
            .expect("advance");
    }
    let through: Vec<String> = s.article_items(id).expect("items").into_iter().map(|i| i.key).collect();
    assert_eq!(through, ["g1", "g2"], "both items lead to it, first first");
    let b = s
        .upsert_article(&article(
            "https://pub.example/rates",
            "Rates",
            "Rates held.",
            "2026-01-05T11:00:00Z",
        ))
        .expect("b");
    let noted = s
        .upsert_article(&ArticleRow {
            encoding_note: Some("declared UTF-8, read as windows-1252".into()),
            ..article("https://pub.example/latin", "Café", "Crème brûlée.", NOW)
        })
        .expect("noted");
    assert_eq!(
        s.article(noted).expect("get").expect("there").encoding_note.as_deref(),
        Some("declared UTF-8, read as windows-1252")
    );
    let page1 = s.recent_articles("2026-01-01T00:00:00Z", 0, 1).expect("page");
    let page2 = s.recent_articles("2026-01-01T00:00:00Z", page1[0].id, 1).expect("page");
    assert_eq!((page1[0].id, page2[0].id), (id, b));
    assert!(s
        .recent_articles("2026-01-01T00:00:00Z", b, 10)
        .expect("page")
        .iter()
        .any(|a| a.id == noted));
    assert!(s
        .recent_articles("2026-02-01T00:00:00Z", 0, 10)
        .expect("since")
        .is_empty());
}

/// The named entities found when an article is tagged are kept with it: stored by the fetch stage or the enrich
/// stage, kept when the enrichment has none, replaced by a new extraction, and absent for an article stored
/// without them (its posts find them in the text then).
pub fn entities_are_kept_with_the_article(f: Fresh) {
    let s = &*f.store;
    let a = article(
        "https://pub.example/bridge",
        "Lisbon approves bridge",
        "Bridge text.",
        NOW,
    );
    let id = s.upsert_article(&a).expect("article");
    assert_eq!(s.article(id).expect("get").expect("there").entities, None);
    let found = ArticleEntities {
        people: vec!["Maria Albuquerque".into(), "João Sá".into()],
        places: vec!["Lisbon".into(), "São Paulo".into()],
        organizations: vec!["European Investment Bank".into()],
    };
    s.upsert_story("s", "Lisbon approves bridge", NOW).expect("story");
    enrich_article(
        s,
        id,
        &Enrichment {
            tags: vec!["bridge".into()],
            story_id: Some("s".into()),
            entities: Some(found.clone()),
            ..Default::default()
        },
    )
    .expect("enrich");
    assert_eq!(
        s.article(id).expect("get").expect("there").entities.as_ref(),
        Some(&found)
    );
    // Also when read another way, and from the other handle.
    assert_eq!(
        s.article_by_url("https://pub.example/bridge")
            .expect("by url")
            .and_then(|a| a.entities),
        Some(found.clone())
    );
    assert_eq!(
        f.other.article(id).expect("get").and_then(|a| a.entities),
        Some(found.clone())
    );
    // An enrichment without entities keeps them.
    enrich_article(
        s,
        id,
        &Enrichment {
            tags: vec!["bridge".into()],
            story_id: Some("s".into()),
            ..Default::default()
        },
    )
    .expect("enrich again");
    assert_eq!(
        s.article(id).expect("get").expect("there").entities.as_ref(),
        Some(&found)
    );
    // Stored again (a new extraction of the page): its entities follow its text, as the tags do not.
    let again = ArticleEntities {
        people: vec![],
        places: vec!["Porto".into()],
        organizations: vec![],
    };
    let returned = s
        .store_article(&ArticleRow {
            text: "Porto too.".into(),
            entities: Some(again.clone()),
            ..a.clone()
        })
        .expect("again");
    let stored = s.article(id).expect("get").expect("there");
    assert_eq!(returned, stored);
    assert_eq!(stored.entities, Some(again));
    assert_eq!(stored.tags, ["bridge"]);
    // Stored without them: none are claimed for the new text.
    s.upsert_article(&a).expect("without");
    assert_eq!(s.article(id).expect("get").expect("there").entities, None);
    // An empty set is kept as such, not taken for "not found".
    let returned = s
        .store_article(&ArticleRow {
            entities: Some(ArticleEntities::default()),
            ..article("https://pub.example/plain", "Plain", "nothing named here.", NOW)
        })
        .expect("b");
    let b = returned.id;
    assert_eq!(
        s.article(b).expect("get").expect("there").entities,
        Some(ArticleEntities::default())
    );
    assert_eq!(Some(returned), s.article(b).expect("get"));
}

pub fn stories_fold_and_keep_their_aliases(f: Fresh) {
    let s = &*f.store;
    let ids: Vec<i64> = (0..3)
        .map(|i| {
            s.upsert_article(&article(
                &format!("https://pub.example/{i}"),
                &format!("Story article {i}"),
                "Text.",
                &format!("2026-01-0{}T10:00:00Z", i + 1),
            ))
            .expect("article")
        })
        .collect();
    s.upsert_story("s1", "First headline", "2026-01-01T10:00:00Z")
        .expect("story");
    s.upsert_story("s1", "A later headline", "2026-01-02T10:00:00Z")
        .expect("story again");
    s.upsert_story("s2", "Second story", "2026-01-03T10:00:00Z")
        .expect("story");
    let enrich = |id: i64, story: &str| {
        enrich_article(
            s,
            id,
            &Enrichment {
                tags: vec!["tidal power".into()],
                story_id: Some(story.into()),
                ..Default::default()
            },
        )
        .expect("enrich")
    };
    enrich(ids[0], "s1");
    enrich(ids[1], "s1");
    enrich(ids[2], "s2");
    let s1 = s.story("s1").expect("story").expect("there");
    assert_eq!(s1.headline, "First headline", "the first headline stays");
    assert_eq!(s1.article_count, 2);
    assert_eq!(
        s.story_article_ids("s1", None, 10).expect("ids"),
        [ids[1], ids[0]],
        "latest first"
    );
    assert_eq!(s.story_article_ids("s1", Some(ids[1]), 10).expect("ids"), [ids[0]]);
    assert_eq!(s.article(ids[0]).expect("get").expect("there").tags, ["tidal power"]);

    fold_story(s, "s2", "s1").expect("fold");
    let folded = s.story("s2").expect("alias").expect("found through its alias");
    assert_eq!(folded.id, "s1");
    assert_eq!(folded.article_count, 3);
    assert_eq!(folded.last_updated, "2026-01-03T10:00:00Z", "times widen");
    // A post's view of the story: the same id and headline, through the alias too, without the count.
    let head = |id: &str| s.story_head(id).expect("head");
    assert_eq!(
        head("s2"),
        Some(StoryHead {
            id: "s1".into(),
            headline: "First headline".into()
        })
    );
    assert_eq!(head("s1").map(|h| h.id), Some("s1".to_string()));
    assert_eq!(head("unknown"), None);
    assert_eq!(s.story_summaries("s1").expect("summaries").len(), 3);
    let (story, articles) = s.story_with_articles("s2").expect("with").expect("there");
    assert_eq!((story.id.as_str(), articles.len()), ("s1", 3));
    assert_eq!(s.stories(None).expect("stories").len(), 1);
    assert_eq!(s.stories_page(10, 0).expect("page").len(), 1);
    let coverage = s.story_coverage("s1", ids[0], 10).expect("coverage");
    assert_eq!(coverage.iter().map(|a| a.id).collect::<Vec<_>>(), [ids[2], ids[1]]);
}

/// A post's coverage list: the story's latest articles first (by publication time, else fetch time), ties by
/// canonical URL whatever order the articles arrived in, the post's own article left out, at most `limit`;
/// the story's article ids come in the same order.
pub fn story_coverage_is_latest_first_ties_by_url(f: Fresh) {
    let s = &*f.store;
    let store_in = |url: &str, published: Option<&str>, fetched_at: &str, story: &str| {
        let id = s
            .upsert_article(&ArticleRow {
                published: published.map(str::to_string),
                fetched_at: fetched_at.into(),
                ..article(url, &format!("Title of {url}"), "Text.", fetched_at)
            })
            .expect("article");
        enrich_article(
            s,
            id,
            &Enrichment {
                story_id: Some(story.into()),
                ..Default::default()
            },
        )
        .expect("enrich");
        id
    };
    // Fetched after all were published, and stored oldest first with the tie's later URL first, so that
    // neither the fetch times, the row ids nor the arrival order give the expected order.
    let fetched = "2026-01-06T10:00:00Z";
    let oldest = store_in("https://pub.example/oldest", Some("2026-01-01T10:00:00Z"), fetched, "c");
    let tie_b = store_in("https://pub.example/tie-b", Some("2026-01-02T10:00:00Z"), fetched, "c");
    let tie_a = store_in("https://pub.example/tie-a", Some("2026-01-02T10:00:00Z"), fetched, "c");
    let late = store_in("https://pub.example/late", Some("2026-01-03T10:00:00Z"), fetched, "c");
    // No publication time: its fetch time places it.
    let undated = store_in("https://pub.example/undated", None, "2026-01-04T10:00:00Z", "c");
    let elsewhere = store_in(
        "https://pub.example/elsewhere",
        Some("2026-01-05T10:00:00Z"),
        NOW,
        "other",
    );

    let ids = |coverage: Vec<newsdesk_store::ArticleSummary>| coverage.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.story_coverage("c", tie_b, 10).expect("coverage")),
        [undated, late, tie_a, oldest],
        "latest first, the excepted article left out"
    );
    assert_eq!(
        ids(s.story_coverage("c", undated, 3).expect("coverage")),
        [late, tie_a, tie_b],
        "ties by canonical URL, limit honoured"
    );
    assert_eq!(
        ids(s.story_coverage("c", late, 0).expect("coverage")),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(s.story_coverage("other", elsewhere, 10).expect("coverage")),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(s.story_coverage("missing", late, 10).expect("coverage")),
        Vec::<i64>::new()
    );
    assert_eq!(
        s.story_article_ids("c", None, 10).expect("ids"),
        [undated, late, tie_a, tie_b, oldest],
        "the coverage order"
    );
    assert_eq!(s.story_article_ids("c", Some(late), 2).expect("ids"), [undated, tie_a]);

    // What a post shows of each: title, outlet and link.
    let first = s
        .story_coverage("c", tie_b, 1)
        .expect("coverage")
        .into_iter()
        .next()
        .expect("one");
    assert_eq!(first.title.as_deref(), Some("Title of https://pub.example/undated"));
    assert_eq!(first.site_name.as_deref(), Some("Example Wire"));
    assert_eq!(first.url, "https://pub.example/undated");
    assert_eq!(
        (first.published, first.fetched_at),
        (None, "2026-01-04T10:00:00Z".to_string())
    );
    assert_eq!(first.story_id.as_deref(), Some("c"));
}

pub fn publications_follow_versions(f: Fresh) {
    let s = &*f.store;
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("add");
    s.upsert_items(
        feed,
        &[
            item("g1", "One", "https://a.example/1"),
            item("g2", "Two", "https://a.example/2"),
        ],
        NOW,
    )
    .expect("items");
    let items = s.items_after(0, 10).expect("items");
    let a1 = s
        .upsert_article(&article("https://pub.example/1", "One", "Text one.", NOW))
        .expect("a1");
    let a2 = s
        .upsert_article(&article(
            "https://pub.example/2",
            "Two",
            "Text two.",
            "2026-01-05T11:00:00Z",
        ))
        .expect("a2");
    s.advance_item(items[0].id, Stage::Ready, None, Some(a1))
        .expect("ready");
    s.advance_item(items[1].id, Stage::Ready, None, Some(a2))
        .expect("ready");
    let pending = s.items_to_publish("hugo", 3, 0, 10).expect("pending");
    assert_eq!(pending.len(), 2);
    for it in &pending {
        s.record_publication(it, "hugo", &format!("posts/{}.md", it.key), "h1", NOW)
            .expect("record");
    }
    assert!(
        s.items_to_publish("hugo", 3, 0, 10).expect("pending").is_empty(),
        "published at their version"
    );
    assert_eq!(
        s.publication(items[0].id, "hugo").expect("publication"),
        Some(("posts/g1.md".to_string(), "h1".to_string()))
    );
    assert_eq!(s.items_to_publish("jsonl", 3, 0, 10).expect("other target").len(), 2);
    // Enriching a2 into a1's story changes a2's post and a1's (its coverage now lists a2).
    s.upsert_story("s", "One", NOW).expect("story");
    enrich_article(
        s,
        a1,
        &Enrichment {
            story_id: Some("s".into()),
            ..Default::default()
        },
    )
    .expect("enrich");
    for it in s.items_to_publish("hugo", 3, 0, 10).expect("pending") {
        s.record_publication(&it, "hugo", "posts/x.md", "h2", NOW)
            .expect("record");
    }
    enrich_article(
        s,
        a2,
        &Enrichment {
            story_id: Some("s".into()),
            ..Default::default()
        },
    )
    .expect("enrich");
    let keys: Vec<String> = s
        .items_to_publish("hugo", 3, 0, 10)
        .expect("pending")
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(keys, ["g1", "g2"]);
    // A given-up item is published with what is known.
    s.upsert_items(feed, &[item("g3", "Three", "https://a.example/3")], NOW)
        .expect("item");
    let g3 = s.items_after(items[1].id, 10).expect("items")[0].id;
    assert!(!s
        .items_to_publish("hugo", 3, 0, 10)
        .expect("pending")
        .iter()
        .any(|i| i.id == g3));
    s.fail_item(g3, "HTTP 404", NOW, Failure::Permanent).expect("give up");
    assert!(s
        .items_to_publish("hugo", 3, 0, 10)
        .expect("pending")
        .iter()
        .any(|i| i.id == g3));
}

/// Search finds what an article says now, wherever it was written: stored, stored again with new words and
/// tagged in one batch, or rewritten outside any batch; and so does another handle on the same data.
pub fn search_finds_the_latest_words_of_articles_written_in_and_out_of_batches(f: Fresh) {
    let s = &*f.store;
    batch(s, || {
        let first = s.store_article(&article(
            "https://pub.example/crane",
            "Harbour crane",
            "The crane toppled in the harbour.",
            NOW,
        ))?;
        s.store_article(&article(
            "https://pub.example/crane",
            "Harbour crane",
            "Dockworkers cleared the wreckage.",
            NOW,
        ))?;
        s.set_article_enrichment(
            first.id,
            &Enrichment {
                tags: vec!["salvage".into()],
                ..Default::default()
            },
        )?;
        s.store_article(&article(
            "https://pub.example/bridge",
            "Bridge",
            "Inspectors arrived.",
            NOW,
        ))?;
        Ok(())
    })
    .expect("batch");
    s.store_article(&article(
        "https://pub.example/lighthouse",
        "Lighthouse",
        "The keeper retired.",
        NOW,
    ))
    .expect("lighthouse");
    let lighthouse = s
        .store_article(&article(
            "https://pub.example/lighthouse",
            "Lighthouse",
            "A new keeper moved in.",
            NOW,
        ))
        .expect("lighthouse again");
    s.set_article_enrichment(
        lighthouse.id,
        &Enrichment {
            tags: vec!["coastguard".into()],
            ..Default::default()
        },
    )
    .expect("tags");
    for (handle, store) in [("same", s), ("other", &*f.other)] {
        let urls = |q: &str| -> Vec<String> {
            let query = parse_query(q).expect("query");
            let mut v: Vec<String> = store
                .search(&query, 10, 0)
                .expect("search")
                .into_iter()
                .map(|h| h.article.url)
                .collect();
            v.sort();
            v
        };
        assert!(urls("toppled").is_empty(), "{handle}: replaced words are gone");
        assert_eq!(urls("wreckage"), ["https://pub.example/crane"], "{handle}");
        assert_eq!(
            urls("salvage"),
            ["https://pub.example/crane"],
            "{handle}: tags are searched"
        );
        assert_eq!(urls("inspectors"), ["https://pub.example/bridge"], "{handle}");
        assert!(urls("retired").is_empty(), "{handle}: replaced words are gone");
        assert_eq!(urls("keeper"), ["https://pub.example/lighthouse"], "{handle}");
        assert_eq!(urls("coastguard"), ["https://pub.example/lighthouse"], "{handle}");
        assert_eq!(
            urls("harbour OR lighthouse OR bridge"),
            [
                "https://pub.example/bridge",
                "https://pub.example/crane",
                "https://pub.example/lighthouse"
            ],
            "{handle}: titles are searched, each article once"
        );
    }
}

pub fn search_speaks_the_query_language(f: Fresh) {
    let s = &*f.store;
    let docs = [
        (
            "https://pub.example/a",
            "Tidal power plant opens",
            "The tidal power plant opened in Brest.",
            "2026-01-02T10:00:00Z",
        ),
        (
            "https://pub.example/b",
            "Wind farm delayed",
            "The wind farm near Brest is delayed again.",
            "2026-01-03T10:00:00Z",
        ),
        (
            "https://pub.example/c",
            "Café prices rise",
            "Coffee prices rose in every café of the city.",
            "2026-01-04T10:00:00Z",
        ),
    ];
    for (url, title, text, date) in docs {
        s.upsert_article(&article(url, title, text, date)).expect("article");
    }
    let urls = |q: &str| -> Vec<String> {
        let query = parse_query(q).expect("query");
        let mut v: Vec<String> = s
            .search(&query, 10, 0)
            .expect("search")
            .into_iter()
            .map(|h| h.article.url)
            .collect();
        v.sort();
        v
    };
    assert_eq!(urls("tidal"), ["https://pub.example/a"]);
    assert_eq!(urls("\"power plant\""), ["https://pub.example/a"]);
    assert_eq!(
        urls("tidal OR wind"),
        ["https://pub.example/a", "https://pub.example/b"]
    );
    assert_eq!(urls("brest -wind"), ["https://pub.example/a"]);
    assert_eq!(urls("del*"), ["https://pub.example/b"]);
    assert_eq!(urls("cafe"), ["https://pub.example/c"], "accents are folded");
    assert_eq!(urls("CAFÉ"), ["https://pub.example/c"], "case is folded");
    assert_eq!(urls("title:brest"), Vec::<String>::new(), "a field restricts the match");
    assert_eq!(urls("brest since:2026-01-03"), ["https://pub.example/b"]);
    assert_eq!(urls("brest until:2026-01-02"), ["https://pub.example/a"]);
    let newest = s
        .search(&parse_query("lang:en").expect("query"), 10, 0)
        .expect("filters only");
    assert_eq!(
        newest.first().map(|h| h.article.url.as_str()),
        Some("https://pub.example/c"),
        "newest first"
    );
    let hit = &s.search(&parse_query("tidal").expect("query"), 10, 0).expect("search")[0];
    assert!(
        hit.snippet.contains(newsdesk_store::search::HIGHLIGHT_START),
        "{}",
        hit.snippet
    );
}

pub fn a_batch_is_all_or_nothing(f: Fresh) {
    let s = &*f.store;
    let failed = batch(s, || -> anyhow::Result<()> {
        s.add_feed("https://a.example/feed", None)?;
        anyhow::bail!("the batch fails after a write");
    });
    assert!(failed.is_err());
    assert!(s.feeds().expect("feeds").is_empty(), "nothing of a failed batch stays");
    let n = batch(s, || {
        s.add_feed("https://a.example/feed", None)?;
        s.add_feed("https://b.example/feed", None)?;
        Ok(2)
    })
    .expect("batch");
    assert_eq!(n, 2);
    assert_eq!(
        f.other.feeds().expect("other handle").len(),
        2,
        "committed writes are seen by other handles"
    );
}

fn lease(owner: &str, secs: i64) -> Lease {
    Lease {
        owner: owner.into(),
        until: Utc::now() + Duration::seconds(secs),
    }
}

/// `n` new items of one feed (`https://a.example/feed`), as the claiming tests start from.
fn new_items(s: &dyn Store, n: usize) {
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("feed");
    let items: Vec<_> = (0..n)
        .map(|n| {
            item(
                &format!("i{n}"),
                &format!("Item {n}"),
                &format!("https://a.example/{n}"),
            )
        })
        .collect();
    s.upsert_items(feed, &items, "2026-01-01T00:00:00Z").expect("items");
}

pub fn workers_claim_disjoint_items_and_take_over_expired_leases(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    new_items(s, 40);
    let now = stored_time(Utc::now());
    // Two handles claiming at the same time, as two workers would, get disjoint items and all of them.
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| {
            let mut got = Vec::new();
            for _ in 0..10 {
                got.extend(
                    s.claim_items(Stage::New, &now, 5, 3, &lease("w-a", 60))
                        .expect("claim a"),
                );
            }
            got
        });
        let b = scope.spawn(|| {
            let mut got = Vec::new();
            for _ in 0..10 {
                got.extend(
                    other
                        .claim_items(Stage::New, &now, 5, 3, &lease("w-b", 60))
                        .expect("claim b"),
                );
            }
            got
        });
        (a.join().expect("a"), b.join().expect("b"))
    });
    let ids_a: std::collections::BTreeSet<i64> = a.iter().map(|i| i.id).collect();
    let ids_b: std::collections::BTreeSet<i64> = b.iter().map(|i| i.id).collect();
    assert_eq!(ids_a.len(), a.len(), "a worker never gets an item twice");
    assert!(ids_a.is_disjoint(&ids_b), "no item goes to two workers");
    assert_eq!(ids_a.len() + ids_b.len(), 40, "every item is claimed");
    assert!(s
        .claim_items(Stage::New, &now, 5, 50, &lease("w-c", 60))
        .expect("claim")
        .is_empty());
    assert!(
        s.claim_items(Stage::New, &now, 5, 50, &lease("w-a", 60))
            .expect("claim own")
            .is_empty(),
        "what a worker holds is not handed to it again"
    );
    let workers = s.workers("2000-01-01T00:00:00Z", &now).expect("workers");
    assert!(workers.is_empty(), "leases alone do not make a worker");
    // Advancing ends the lease: the item is due at the next stage for anyone.
    let first = *ids_a.iter().next().expect("one");
    s.advance_item(first, Stage::Resolved, Some("https://a.example/x"), None)
        .expect("advance");
    let next = other
        .claim_items(Stage::Resolved, &now, 5, 10, &lease("w-c", 60))
        .expect("claim resolved");
    assert_eq!(next.iter().map(|i| i.id).collect::<Vec<_>>(), vec![first]);
    // An expired lease is taken over by another worker.
    s.release_leases(Some("w-b")).expect("release");
    let b_first = *ids_b.iter().next().expect("one");
    let expired = Lease {
        owner: "w-dead".into(),
        until: Utc::now() - Duration::seconds(1),
    };
    let taken = s.claim_items(Stage::New, &now, 5, 100, &expired).expect("claim");
    assert_eq!(taken.len(), ids_b.len(), "released items are free again");
    assert!(taken.iter().any(|i| i.id == b_first));
    let later = stored_time(Utc::now() + Duration::seconds(2));
    let took_over = other
        .claim_items(Stage::New, &later, 5, 100, &lease("w-d", 60))
        .expect("claim");
    assert_eq!(
        took_over.len(),
        ids_b.len(),
        "the dead worker's expired leases go to the next claimer"
    );
    // Failing and deferring end leases too.
    let x = took_over[0].id;
    s.fail_item(x, "boom", &now, Failure::RetryAt(Utc::now() - Duration::seconds(1)))
        .expect("fail");
    let y = took_over[1].id;
    s.defer_item(y, "wait", &now, &now).expect("defer");
    let free = s
        .claim_items(Stage::New, &later, 5, 100, &lease("w-e", 60))
        .expect("claim");
    let free: Vec<i64> = free.iter().map(|i| i.id).collect();
    assert!(free.contains(&x) && free.contains(&y), "{free:?}");
}

/// A worker still busy with its items renews their leases: they are not taken over when the first lease
/// would have run out, while an item another worker took over after it ran out stays with that worker.
pub fn renewed_leases_keep_items_from_other_workers(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    new_items(s, 6);
    let now = stored_time(Utc::now());
    let short = Lease {
        owner: "w-slow".into(),
        until: Utc::now() + Duration::seconds(30),
    };
    let held = s.claim_items(Stage::New, &now, 5, 4, &short).expect("claim");
    assert_eq!(held.len(), 4);
    // An hour later the first lease has run out; renewed meanwhile, the items are still held.
    assert_eq!(s.renew_leases(&lease("w-slow", 7200)).expect("renew"), 4);
    let in_an_hour = stored_time(Utc::now() + Duration::hours(1));
    let taken = other
        .claim_items(Stage::New, &in_an_hour, 5, 100, &lease("w-other", 60))
        .expect("claim later");
    let taken: Vec<i64> = taken.iter().map(|i| i.id).collect();
    assert_eq!(taken.len(), 2, "only the items nobody holds: {taken:?}");
    assert!(held.iter().all(|h| !taken.contains(&h.id)));
    // Never renewed, a lease runs out and the item goes to the next claimer; renewing then does not take it
    // back from that one.
    let (feed2, _) = s.add_feed("https://b.example/feed", None).expect("feed");
    s.upsert_items(
        feed2,
        &[item("j0", "Late", "https://b.example/0")],
        "2026-01-01T00:00:00Z",
    )
    .expect("item");
    let expired = Lease {
        owner: "w-dead".into(),
        until: Utc::now() - Duration::seconds(1),
    };
    let lost = s.claim_items(Stage::New, &now, 5, 10, &expired).expect("claim");
    assert_eq!(lost.len(), 1);
    let later = stored_time(Utc::now() + Duration::seconds(2));
    let over = other
        .claim_items(Stage::New, &later, 5, 10, &lease("w-next", 60))
        .expect("take over");
    assert_eq!(over.iter().map(|i| i.id).collect::<Vec<_>>(), vec![lost[0].id]);
    assert_eq!(s.renew_leases(&lease("w-dead", 7200)).expect("renew"), 0);
    let again = s
        .claim_items(Stage::New, &later, 5, 10, &lease("w-third", 60))
        .expect("claim");
    assert!(
        again.is_empty(),
        "every item is held, by w-next rather than w-dead: {again:?}"
    );
}

pub fn feeds_are_claimed_once_per_poll(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    for n in 0..6 {
        s.add_feed(&format!("https://f{n}.example/feed"), None).expect("feed");
    }
    let now = stored_time(Utc::now());
    let hold = stored_time(Utc::now() + Duration::seconds(120));
    let a = s.claim_feeds(&now, &hold, 4).expect("claim");
    let b = other.claim_feeds(&now, &hold, 4).expect("claim");
    assert_eq!(a.len(), 4);
    assert_eq!(b.len(), 2);
    assert!(a.iter().all(|x| b.iter().all(|y| x.id != y.id)));
    assert!(a.iter().all(|x| x.next_poll_at.as_deref() == Some(hold.as_str())));
    assert!(
        s.claim_feeds(&now, &hold, 10).expect("claim").is_empty(),
        "held feeds are not due"
    );
    // After the hold (the worker died), the feed is due again.
    let after = stored_time(Utc::now() + Duration::seconds(300));
    let hold2 = stored_time(Utc::now() + Duration::seconds(600));
    assert_eq!(other.claim_feeds(&after, &hold2, 10).expect("claim").len(), 6);
}

pub fn host_slots_are_spaced_across_handles(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    let now = 1_000_000;
    assert_eq!(s.reserve_host_slot("a.example:443", 500, now).expect("slot"), now);
    assert_eq!(
        other.reserve_host_slot("a.example:443", 500, now).expect("slot"),
        now + 500
    );
    assert_eq!(
        s.reserve_host_slot("a.example:443", 500, now + 100).expect("slot"),
        now + 1000
    );
    assert_eq!(
        s.reserve_host_slot("b.example:443", 500, now).expect("slot"),
        now,
        "hosts are apart"
    );
    // A later request after a quiet spell goes at once.
    assert_eq!(
        s.reserve_host_slot("a.example:443", 500, now + 5000).expect("slot"),
        now + 5000
    );
    // A host's Crawl-delay, recorded by one, spaces everyone's bookings.
    other.set_host_interval("a.example:443", 2000).expect("interval");
    assert_eq!(
        s.reserve_host_slot("a.example:443", 500, now + 5000).expect("slot"),
        now + 7000
    );
    assert_eq!(
        s.reserve_host_slot("a.example:443", 500, now + 5000).expect("slot"),
        now + 9000
    );
    // Concurrent bookings from two handles never share a slot.
    let slots = std::thread::scope(|scope| {
        let handles: Vec<_> = [s, other]
            .into_iter()
            .map(|st| {
                scope.spawn(move || {
                    (0..20)
                        .map(|_| st.reserve_host_slot("c.example:80", 100, now).expect("slot"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<i64> = handles.into_iter().flat_map(|h| h.join().expect("join")).collect();
        all.sort();
        all
    });
    for pair in slots.windows(2) {
        assert_eq!(pair[1] - pair[0], 100, "{slots:?}");
    }
}

pub fn workers_announce_themselves(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    let start = Utc::now() - Duration::seconds(30);
    let worker = |id: &str, beat: chrono::DateTime<Utc>| WorkerRow {
        id: id.into(),
        host: "box".into(),
        pid: 42,
        roles: vec!["fetch".into(), "enrich".into()],
        started_at: start,
        heartbeat_at: beat,
    };
    s.heartbeat(&worker("box:42", Utc::now())).expect("beat");
    other
        .heartbeat(&worker("box:43", Utc::now() - Duration::seconds(600)))
        .expect("beat");
    let (feed, _) = s.add_feed("https://a.example/feed", None).expect("feed");
    s.upsert_items(
        feed,
        &[item("i1", "One", "https://a.example/1")],
        "2026-01-01T00:00:00Z",
    )
    .expect("items");
    let now = stored_time(Utc::now());
    s.claim_items(Stage::New, &now, 5, 10, &lease("box:42", 60))
        .expect("claim");
    let since = stored_time(Utc::now() - Duration::seconds(60));
    let live = other.workers(&since, &now).expect("workers");
    assert_eq!(live.len(), 1, "a stale heartbeat is not a live worker");
    assert_eq!(live[0].worker.id, "box:42");
    assert_eq!(live[0].worker.roles, vec!["fetch", "enrich"]);
    assert_eq!(live[0].worker.pid, 42);
    assert_eq!(live[0].items_leased, 1);
    assert_eq!(stored_time(live[0].worker.started_at), stored_time(start));
    assert_eq!(s.workers("2000-01-01T00:00:00Z", &now).expect("all").len(), 2);
    s.remove_worker("box:42").expect("remove");
    assert!(other.workers(&since, &now).expect("workers").is_empty());
}

pub fn named_leases_go_to_one_holder_at_a_time(f: Fresh) {
    let (s, other) = (&*f.store, &*f.other);
    let now = stored_time(Utc::now());
    assert!(s
        .claim_lease("warc:/a.warc.gz", &now, &lease("w-a", 60))
        .expect("claim"));
    assert!(
        !other
            .claim_lease("warc:/a.warc.gz", &now, &lease("w-b", 60))
            .expect("claim"),
        "held"
    );
    assert!(
        other
            .claim_lease("warc:/b.warc.gz", &now, &lease("w-b", 60))
            .expect("claim"),
        "another name"
    );
    assert!(
        s.claim_lease("warc:/a.warc.gz", &now, &lease("w-a", 120))
            .expect("renew"),
        "the holder renews"
    );
    // Expired: the next claimer gets it.
    let later = stored_time(Utc::now() + Duration::seconds(121));
    assert!(other
        .claim_lease("warc:/a.warc.gz", &later, &lease("w-b", 300))
        .expect("take over"));
    assert!(
        !s.claim_lease("warc:/a.warc.gz", &later, &lease("w-a", 300))
            .expect("claim"),
        "lost it"
    );
    // Released: free at once, and only the holder can release.
    s.release_lease("warc:/a.warc.gz", "w-a").expect("release");
    assert!(!s
        .claim_lease("warc:/a.warc.gz", &now, &lease("w-c", 60))
        .expect("claim"));
    other.release_lease("warc:/a.warc.gz", "w-b").expect("release");
    assert!(s
        .claim_lease("warc:/a.warc.gz", &now, &lease("w-c", 60))
        .expect("claim"));
    // Concurrent claims of the same free names from two handles: each name goes to exactly one.
    let wins = std::thread::scope(|scope| {
        let handles: Vec<_> = [s, other]
            .into_iter()
            .enumerate()
            .map(|(n, st)| {
                let now = now.clone();
                scope.spawn(move || {
                    (0..20)
                        .filter(|k| {
                            st.claim_lease(&format!("file-{k}"), &now, &lease(&format!("w{n}"), 60))
                                .expect("claim")
                        })
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("join")).sum::<usize>()
    });
    assert_eq!(wins, 20, "each name goes to exactly one of two claimers");
}

macro_rules! contract_suite {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;

            #[test]
            fn feeds_are_added_once_polled_and_removed() {
                if let Some(f) = $open() {
                    super::feeds_are_added_once_polled_and_removed(f);
                }
            }
            #[test]
            fn items_are_upserted_by_key() {
                if let Some(f) = $open() {
                    super::items_are_upserted_by_key(f);
                }
            }
            #[test]
            fn items_come_back_with_their_related_coverage() {
                if let Some(f) = $open() {
                    super::items_come_back_with_their_related_coverage(f);
                }
            }
            #[test]
            fn stages_failures_and_deferrals() {
                if let Some(f) = $open() {
                    super::stages_failures_and_deferrals(f);
                }
            }
            #[test]
            fn resolutions_and_state() {
                if let Some(f) = $open() {
                    super::resolutions_and_state(f);
                }
            }
            #[test]
            fn articles_are_one_per_canonical_url() {
                if let Some(f) = $open() {
                    super::articles_are_one_per_canonical_url(f);
                }
            }
            #[test]
            fn entities_are_kept_with_the_article() {
                if let Some(f) = $open() {
                    super::entities_are_kept_with_the_article(f);
                }
            }
            #[test]
            fn stories_fold_and_keep_their_aliases() {
                if let Some(f) = $open() {
                    super::stories_fold_and_keep_their_aliases(f);
                }
            }
            #[test]
            fn story_coverage_is_latest_first_ties_by_url() {
                if let Some(f) = $open() {
                    super::story_coverage_is_latest_first_ties_by_url(f);
                }
            }
            #[test]
            fn publications_follow_versions() {
                if let Some(f) = $open() {
                    super::publications_follow_versions(f);
                }
            }
            #[test]
            fn search_finds_the_latest_words_of_articles_written_in_and_out_of_batches() {
                if let Some(f) = $open() {
                    super::search_finds_the_latest_words_of_articles_written_in_and_out_of_batches(f);
                }
            }
            #[test]
            fn search_speaks_the_query_language() {
                if let Some(f) = $open() {
                    super::search_speaks_the_query_language(f);
                }
            }
            #[test]
            fn a_batch_is_all_or_nothing() {
                if let Some(f) = $open() {
                    super::a_batch_is_all_or_nothing(f);
                }
            }
            #[test]
            fn workers_claim_disjoint_items_and_take_over_expired_leases() {
                if let Some(f) = $open() {
                    super::workers_claim_disjoint_items_and_take_over_expired_leases(f);
                }
            }
            #[test]
            fn renewed_leases_keep_items_from_other_workers() {
                if let Some(f) = $open() {
                    super::renewed_leases_keep_items_from_other_workers(f);
                }
            }
            #[test]
            fn feeds_are_claimed_once_per_poll() {
                if let Some(f) = $open() {
                    super::feeds_are_claimed_once_per_poll(f);
                }
            }
            #[test]
            fn host_slots_are_spaced_across_handles() {
                if let Some(f) = $open() {
                    super::host_slots_are_spaced_across_handles(f);
                }
            }
            #[test]
            fn named_leases_go_to_one_holder_at_a_time() {
                if let Some(f) = $open() {
                    super::named_leases_go_to_one_holder_at_a_time(f);
                }
            }
            #[test]
            fn workers_announce_themselves() {
                if let Some(f) = $open() {
                    super::workers_announce_themselves(f);
                }
            }
        }
    };
}

contract_suite!(on_sqlite, sqlite);
contract_suite!(on_postgres, postgres);
