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
    let items: Vec<_> = parsed
        .items
        .into_iter()
        .filter(|item| {
            let ok = !item.id.is_empty() && (!item.title.trim().is_empty() || item.link.is_some());
            if !ok {
                tracing::warn!(feed = url, item = %item.id, "skipping item without identity, title or link");
            }
            ok
        })
        .collect();
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
