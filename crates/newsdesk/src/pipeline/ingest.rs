//! Store a feed document's items: the first stage, shared by polling and `feeds ingest`.

use anyhow::Context;

use crate::store::{FeedPoll, Store};

/// What one feed document brought.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestOutcome {
    pub feed_id: i64,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub repairs: Vec<String>,
}

/// HTTP facts about a fetched feed document, recorded on the feed.
#[derive(Debug, Clone, Default)]
pub struct FetchFacts {
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Option<String>,
}

/// Parse `bytes` as the document at `url` and store its items under that feed (added when missing).
/// A document that cannot be parsed records the error on the feed and returns it.
pub fn ingest_document(
    store: &dyn Store,
    url: &str,
    bytes: &[u8],
    facts: &FetchFacts,
    now: &str,
) -> anyhow::Result<IngestOutcome> {
    let (feed_id, _) = store.add_feed(url, None)?;
    let parsed = super::isolated("parsing the feed", || {
        newsdesk_feeds::parse(bytes, Some(url), facts.content_type.as_deref())
    });
    let parsed = match parsed {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => Err(panic),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            let error = format!("cannot parse feed {url}: {e}");
            store.record_poll(
                feed_id,
                &FeedPoll {
                    fetched_at: now.into(),
                    error: Some(error.clone()),
                    ..Default::default()
                },
            )?;
            anyhow::bail!(error);
        }
    };
    for note in &parsed.repairs {
        tracing::info!(feed = url, repair = %note, "repaired feed");
    }
    let mut items: Vec<_> = parsed
        .items
        .into_iter()
        .filter(|item| {
            let ok = worth_storing(item);
            if !ok {
                tracing::warn!(feed = url, item = %item.id, "skipping item without identity or any text");
            }
            ok
        })
        .collect();
    let shared = separate_shared_ids(&mut items);
    if shared.separated > 0 {
        tracing::warn!(
            feed = url,
            items = shared.separated,
            "items sharing one id kept apart by their links"
        );
    }
    if shared.repeated > 0 {
        tracing::warn!(
            feed = url,
            items = shared.repeated,
            "repeated items (same id and link) stored once"
        );
    }
    let (new, updated) = store
        .upsert_items(feed_id, &items, now)
        .with_context(|| format!("storing items of {url}"))?;
    store.record_poll(
        feed_id,
        &FeedPoll {
            fetched_at: now.into(),
            title: Some(parsed.meta.title).filter(|t| !t.is_empty()),
            etag: facts.etag.clone(),
            last_modified: facts.last_modified.clone(),
            next_poll_at: facts.next_poll_at.clone(),
            error: None,
        },
    )?;
    Ok(IngestOutcome {
        feed_id,
        new,
        updated,
        unchanged: items.len() - new - updated,
        repairs: parsed.repairs,
    })
}

/// An item has an id and something to show: a title, a link, a summary or content. Status posts and minimal
/// feeds give entries without title or link; they are entries all the same.
fn worth_storing(item: &newsdesk_feeds::Item) -> bool {
    let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    !item.id.is_empty()
        && (!item.title.trim().is_empty() || has(&item.link) || has(&item.summary) || has(&item.content))
}

/// What [`separate_shared_ids`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharedIds {
    /// Items whose id another item of the document has too, with another link: they are kept apart.
    pub separated: usize,
    /// Items repeated in the document (same id, same link): only the last is kept.
    pub repeated: usize,
}

/// Keep items that share one id but not their link apart (as feedparser and Miniflux do), instead of letting
/// the last overwrite the others: such items get the id `"<id> <link>"`. An id used once keeps its plain
/// form, so items stored before are found again. Items repeated whole (same id and link) become one, the last.
pub fn separate_shared_ids(items: &mut Vec<newsdesk_feeds::Item>) -> SharedIds {
    use std::collections::{HashMap, HashSet};
    let mut links_per_id: HashMap<&str, HashSet<Option<&str>>> = HashMap::new();
    for item in items.iter() {
        links_per_id
            .entry(item.id.as_str())
            .or_default()
            .insert(item.link.as_deref());
    }
    let shared: HashSet<String> = links_per_id
        .into_iter()
        .filter(|(_, links)| links.len() > 1)
        .map(|(id, _)| id.to_string())
        .collect();
    let mut outcome = SharedIds::default();
    for item in items.iter_mut() {
        if shared.contains(&item.id) {
            item.id = format!("{} {}", item.id, item.link.as_deref().unwrap_or_default());
            outcome.separated += 1;
        }
    }
    // The last of a repeated item wins, as a later entry of a feed is its newer state.
    let mut seen = HashSet::new();
    let before = items.len();
    let mut kept: Vec<newsdesk_feeds::Item> = Vec::with_capacity(before);
    for item in std::mem::take(items).into_iter().rev() {
        if seen.insert(item.id.clone()) {
            kept.push(item);
        }
    }
    kept.reverse();
    outcome.repeated = before - kept.len();
    *items = kept;
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, link: Option<&str>, title: &str) -> newsdesk_feeds::Item {
        newsdesk_feeds::Item {
            id: id.into(),
            link: link.map(str::to_string),
            title: title.into(),
            ..Default::default()
        }
    }

    #[test]
    fn items_without_title_or_link_are_stored_when_they_have_text() {
        let mut status = item("status-1", None, "");
        assert!(!worth_storing(&status));
        status.summary = Some("<p>Hello</p>".into());
        assert!(worth_storing(&status));
        let mut full = item("status-2", None, " ");
        full.content = Some("<p>Full text</p>".into());
        assert!(worth_storing(&full));
        assert!(worth_storing(&item("t", None, "Title only")));
        assert!(worth_storing(&item("l", Some("https://a.example/1"), "")));
        let mut no_id = item("", Some("https://a.example/1"), "T");
        no_id.summary = Some("s".into());
        assert!(!worth_storing(&no_id));
    }

    #[test]
    fn shared_ids_are_kept_apart_by_link_and_repeats_become_one() {
        let mut items = vec![
            item("g1", Some("https://a.example/1"), "one"),
            item("g1", Some("https://a.example/2"), "two"),
            item("g2", Some("https://a.example/3"), "three"),
            item("g3", Some("https://a.example/4"), "four, first"),
            item("g3", Some("https://a.example/4"), "four, last"),
        ];
        let outcome = separate_shared_ids(&mut items);
        assert_eq!(
            outcome,
            SharedIds {
                separated: 2,
                repeated: 1
            }
        );
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["g1 https://a.example/1", "g1 https://a.example/2", "g2", "g3"]);
        assert_eq!(items[3].title, "four, last");
    }
}
