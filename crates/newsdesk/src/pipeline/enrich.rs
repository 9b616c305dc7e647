//! The enrich stage: tags, language, near-duplicates and the story of every new article.
//!
//! The clusterer and the near-duplicate index are rebuilt at the start of a pass from the articles of the
//! recent window, so their state never needs storing beyond the articles' own `story_id`/`duplicate_of`.

use chrono::{DateTime, Utc};
use newsdesk_stories::{ClusterConfig, Clusterer, Fingerprint, NearDupIndex};

use crate::store::{ArticleRow, Enrichment, ItemRow, Store};

/// How far back the clusterer and the near-duplicate index look.
const WINDOW_DAYS: i64 = 7;
/// Fingerprints kept for near-duplicate lookups (the oldest go first), so that memory and the cost of a lookup
/// stay flat on big archives. Copies of the same wire story arrive within hours, well inside this.
const NEAR_DUP_CAPACITY: usize = 10_000;
/// Articles after which the clusterer halves its term counts (rarely seen terms are then forgotten). The
/// default (50 000) keeps every term of several times that many articles, so the table grew with the archive
/// well past the story window; term rarity over the last few thousand articles is as good a weight.
const DF_HALF_LIFE: u64 = 5_000;
/// Articles read per page when the state is rebuilt.
const LOAD_PAGE: usize = 256;
/// Tags kept per article.
const TAGS_PER_ARTICLE: usize = 10;

pub struct Enricher {
    clusterer: Clusterer,
    near_dups: NearDupIndex,
}

fn unix(s: Option<&str>) -> Option<i64> {
    s.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.timestamp())
}

fn cluster_article(a: &ArticleRow, related: Vec<String>) -> newsdesk_stories::Article {
    newsdesk_stories::Article {
        // The canonical URL, not the row id: story ids derive from it and must not depend on the order in
        // which concurrent fetches happened to be stored.
        id: a.canonical_url.clone(),
        title: a.title.clone().unwrap_or_default(),
        text: Some(a.text.chars().take(2000).collect()),
        date: unix(a.published.as_deref()).or_else(|| unix(Some(&a.fetched_at))),
        source: a.site_name.clone().or_else(|| newsdesk_publish::domain_of(&a.url)),
        url: Some(a.canonical_url.clone()),
        related,
        language: a.language.clone(),
    }
}

/// What an article gets from its own contents and its item, whatever came before it: the language when
/// extraction found none, the item's headline when the page had no title, and its tags. Done where the
/// article is extracted (in parallel, before it is stored), so that the enrich stage, which must see the
/// articles one by one in order, only clusters them.
pub fn prepare_article(article: &mut ArticleRow, item: &ItemRow) {
    prepare_article_titled(article, || {
        newsdesk_feeds::gnews::split_title(&item.title, item.source_title.as_deref()).0
    });
}

/// [`prepare_article`] for an article whose item is not stored yet (an archived page): `title` gives the
/// title to use when the page has none.
pub fn prepare_article_titled(article: &mut ArticleRow, title: impl FnOnce() -> String) {
    if article.language.is_none() {
        article.language = newsdesk_stories::detect_language(&article.text).map(str::to_string);
    }
    if article.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        article.title = Some(title());
    }
    let title = article.title.as_deref().unwrap_or_default();
    // The entities are found with the tags and kept with them, so that every post of the article reads them
    // instead of scanning the text again.
    let (tags, entities) =
        crate::tagging::tags_and_stored_entities(title, &article.text, article.language.as_deref(), TAGS_PER_ARTICLE);
    article.tags = tags;
    article.entities = Some(entities);
}

/// The order in which a batch's articles meet the clusterer: by the time they were published (or fetched),
/// then by canonical URL. The first article of a story names it, so the first to report it must come first,
/// whichever feed was polled or page fetched first, and whichever worker or backend stored it.
pub fn arrival_order(a: &ArticleRow, b: &ArticleRow) -> std::cmp::Ordering {
    let time = |a: &ArticleRow| unix(a.published.as_deref()).or_else(|| unix(Some(&a.fetched_at)));
    time(a)
        .cmp(&time(b))
        .then_with(|| a.canonical_url.cmp(&b.canonical_url))
        .then_with(|| a.id.cmp(&b.id))
}

impl Enricher {
    /// Rebuild the state from the recent articles that already have a story.
    pub fn load(store: &dyn Store) -> anyhow::Result<Enricher> {
        Enricher::load_as_of(store, Utc::now())
    }

    /// Rebuild the state from the articles that already have a story and were fetched at most the window
    /// before `latest`. Archive ingest passes the newest download date of the archived articles, which may
    /// lie years back: a run that resumes then clusters against the same stories as one that never stopped.
    pub fn load_as_of(store: &dyn Store, latest: DateTime<Utc>) -> anyhow::Result<Enricher> {
        let since = super::format_time(latest - chrono::Duration::days(WINDOW_DAYS));
        let mut clusterer = Clusterer::new(ClusterConfig {
            df_half_life: DF_HALF_LIFE,
            ..ClusterConfig::default()
        });
        let mut near_dups = NearDupIndex::with_capacity(NEAR_DUP_CAPACITY);
        let mut after = 0;
        loop {
            let page = store.recent_articles(&since, after, LOAD_PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for a in &page {
                if let Some(story) = &a.story_id {
                    clusterer.restore(&cluster_article(a, Vec::new()), story);
                    if let Some(fp) = Fingerprint::from_text(&a.text) {
                        near_dups.insert(a.id.to_string(), fp);
                    }
                }
            }
        }
        Ok(Enricher { clusterer, near_dups })
    }

    /// Tag, fingerprint and cluster `article`, the article of `item`, once: an article reached again through
    /// another item keeps what it has.
    /// `fingerprint` is the near-duplicate fingerprint of the article's text.
    pub fn enrich(
        &mut self,
        store: &dyn Store,
        item: &ItemRow,
        mut article: ArticleRow,
        fingerprint: Option<Fingerprint>,
    ) -> anyhow::Result<()> {
        if article.story_id.is_some() {
            return Ok(());
        }
        // Articles are normally tagged by the fetch stage already; older ones are tagged here.
        if article.tags.is_empty() {
            prepare_article(&mut article, item);
        }
        let title = article.title.clone().unwrap_or_default();
        let duplicate_of = fingerprint.and_then(|fp| {
            let dup = self
                .near_dups
                .find_duplicate(&fp)
                .and_then(|d| d.id.parse::<i64>().ok());
            self.near_dups.insert(article.id.to_string(), fp);
            dup
        });
        // The related coverage the store parsed from the item's description when the item was stored.
        let related = item.related.iter().map(|r| r.link.clone()).collect();
        let assignment = self.clusterer.assign(&cluster_article(&article, related));
        let headline = self
            .clusterer
            .story(&assignment.story_id)
            .map(|s| s.headline.clone())
            .unwrap_or_else(|| title.clone());
        // Stored in UTC so that the store can compare times as strings.
        let seen = article
            .published
            .as_deref()
            .and_then(|p| DateTime::parse_from_rfc3339(p).ok())
            .map(|t| super::format_time(t.with_timezone(&Utc)))
            .unwrap_or_else(|| article.fetched_at.clone());
        if let Some(folded) = &assignment.merged {
            crate::store::fold_story(store, folded, &assignment.story_id)?;
        }
        store.upsert_story(&assignment.story_id, &headline, &seen)?;
        let enrichment = Enrichment {
            tags: article.tags,
            story_id: Some(assignment.story_id),
            duplicate_of,
            title: article.title,
            language: article.language,
            entities: article.entities,
        };
        crate::store::enrich_article(store, article.id, &enrichment)?;
        Ok(())
    }
}
