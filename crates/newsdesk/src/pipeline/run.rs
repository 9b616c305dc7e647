//! One pass of the whole pipeline over everything that is due: poll feeds, resolve links, fetch and extract
//! pages, enrich articles, publish. Each stage commits its result per item, so a pass killed at any point is
//! resumed by the next one without losing or repeating work.

use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use newsdesk_feeds::gnews::ArticleLink;
use newsdesk_fetch::gnews::{GoogleNewsResolver, ResolveError};
use newsdesk_fetch::{FetchError, Fetcher, Request};
use newsdesk_stories::Fingerprint;
use tokio::task::JoinSet;

use super::cpu::{measure, measured, Part};
use super::enrich::Enricher;
use super::ingest::{ingest_document, FetchFacts};
use super::progress::Progress;
use super::{format_time, now, publish};
use crate::config::Config;
use crate::store::{batch, ArticleRow, Failure, ItemRow, Stage, Store};

/// What one pass did, for the summary line and the tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    pub feeds_polled: usize,
    pub feeds_failed: usize,
    pub new_items: usize,
    pub resolved: usize,
    pub extracted: usize,
    pub enriched: usize,
    pub item_errors: usize,
    pub published: usize,
    /// Items taken as the feed gave them, without fetching (`fetch_articles = false`).
    pub feed_only: usize,
    /// Posts that could not be rendered or written.
    pub posts_failed: usize,
    /// Items put off until a service's rate limit ends (no attempt spent).
    pub deferred: usize,
    /// Seconds Hugo took to build the site after this pass (`[output] hugo_build`), when it ran and succeeded.
    pub hugo_build_secs: Option<f64>,
    /// Why Hugo could not build the site after this pass, for the caller to report (`run --once` then fails,
    /// a loop goes on); the next pass builds again.
    pub hugo_build_failed: Option<String>,
}

/// Enrich batches a pipeline runs per round at most, so that storing the next fetched batch is not held up
/// for long behind a big backlog.
const ENRICH_BATCHES_PER_ROUND: usize = 8;

/// The stages a process runs (`newsdesk worker --roles`); `run` runs them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    pub poll: bool,
    pub resolve: bool,
    pub fetch: bool,
    /// Tags and stories: one process at a time (the clusterer needs one writer in arrival order).
    pub enrich: bool,
    /// JSONL and Hugo output: one process at a time.
    pub publish: bool,
}

impl Roles {
    pub const NAMES: [&'static str; 5] = ["poll", "resolve", "fetch", "enrich", "publish"];

    pub fn all() -> Roles {
        Roles {
            poll: true,
            resolve: true,
            fetch: true,
            enrich: true,
            publish: true,
        }
    }

    /// Roles from a comma-separated list of [`Roles::NAMES`].
    pub fn parse(list: &str) -> anyhow::Result<Roles> {
        let mut roles = Roles {
            poll: false,
            resolve: false,
            fetch: false,
            enrich: false,
            publish: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "poll" => roles.poll = true,
                "resolve" => roles.resolve = true,
                "fetch" => roles.fetch = true,
                "enrich" => roles.enrich = true,
                "publish" => roles.publish = true,
                other => anyhow::bail!("unknown role `{other}` (roles: {})", Roles::NAMES.join(", ")),
            }
        }
        if roles.names().is_empty() {
            anyhow::bail!("no role given (roles: {})", Roles::NAMES.join(", "));
        }
        Ok(roles)
    }

    /// The one-at-a-time roles alone.
    pub const SINGLE: Roles = Roles {
        poll: false,
        resolve: false,
        fetch: false,
        enrich: true,
        publish: true,
    };

    /// These roles but the one-at-a-time ones: what a process runs before it holds any of those.
    pub fn without_single(self) -> Roles {
        Roles {
            enrich: false,
            publish: false,
            ..self
        }
    }

    /// The roles of `self` this process may run now: every one that is not one-at-a-time, plus the
    /// one-at-a-time roles (enrich, publish) it holds in `held` or takes now that they are free (the store's
    /// lock `role:<name>`, held until the process ends). Also says who holds each one it could not take.
    pub fn take_single(
        self,
        store: &dyn Store,
        held: Roles,
        holder: &str,
    ) -> anyhow::Result<(Roles, Vec<(&'static str, String)>)> {
        let mut now = self;
        let mut refused = Vec::new();
        for (want, had, role, name) in [
            (self.enrich, held.enrich, &mut now.enrich, "enrich"),
            (self.publish, held.publish, &mut now.publish, "publish"),
        ] {
            *role = want && had;
            if want && !had {
                match store.try_lock(&format!("role:{name}"), holder)? {
                    Ok(()) => *role = true,
                    Err(other) => refused.push((name, other)),
                }
            }
        }
        Ok((now, refused))
    }

    pub fn names(&self) -> Vec<String> {
        let on = [self.poll, self.resolve, self.fetch, self.enrich, self.publish];
        Roles::NAMES
            .iter()
            .zip(on)
            .filter(|(_, on)| *on)
            .map(|(n, _)| n.to_string())
            .collect()
    }
}

pub struct Pipeline<'a> {
    config: &'a Config,
    store: &'a dyn Store,
    fetcher: Fetcher,
    resolver: GoogleNewsResolver,
    progress: Progress,
    shrink_outputs: super::export::Shrink,
    roles: Roles,
    /// Who the items this pipeline claims are leased to, and for how long.
    lease_owner: String,
    lease: chrono::Duration,
    /// Hugo failed to build the site after the posts of an earlier pass: the next pass builds it again even
    /// if it writes no post.
    hugo_build_owed: std::sync::atomic::AtomicBool,
    /// The articles this pipeline stored and has not enriched yet, by id, as the store returned them, with
    /// the near-duplicate fingerprint computed where the page was extracted (in parallel): the enrich stage,
    /// which runs one article at a time, neither reads them back nor fingerprints them again.
    stored: std::sync::Mutex<std::collections::HashMap<i64, ExtractedPage>>,
}

/// An extracted article, with the fingerprint of its text that the enrich stage needs.
pub(crate) struct ExtractedPage {
    pub row: ArticleRow,
    pub fingerprint: Option<Fingerprint>,
}

impl ExtractedPage {
    /// The page of `row`, its fingerprint computed here (where pages are extracted in parallel).
    pub fn new(row: ArticleRow) -> ExtractedPage {
        let fingerprint = measure(Part::Story, || Fingerprint::from_text(&row.text));
        ExtractedPage { row, fingerprint }
    }
}

impl<'a> Pipeline<'a> {
    pub fn new(config: &'a Config, store: &'a dyn Store) -> anyhow::Result<Self> {
        let fetcher = Fetcher::new(config.fetch.clone()).context("invalid [fetch] settings")?;
        let resolver = GoogleNewsResolver::new(fetcher.clone()).context("invalid [fetch] Google News settings")?;
        if let Some(until) = store.get_state(super::GNEWS_COOLDOWN_STATE)? {
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&until) {
                resolver.set_rate_limited_until(Some(t.with_timezone(&Utc)));
            }
        }
        if let Some(rate) = store.get_state(super::GNEWS_RATE_STATE)? {
            resolver.set_learned_rate(rate.parse::<f64>().ok());
        }
        Ok(Pipeline {
            config,
            store,
            fetcher,
            resolver,
            progress: Progress::new(),
            shrink_outputs: super::export::Shrink::Refused,
            roles: Roles::all(),
            lease_owner: "run".into(),
            lease: chrono::Duration::seconds(config.pipeline.lease_secs.max(1) as i64),
            hugo_build_owed: Default::default(),
            stored: Default::default(),
        })
    }

    /// Run only these stages from now on.
    pub fn set_roles(&mut self, roles: Roles) {
        self.roles = roles;
    }

    /// Lease claimed items to `owner` (a worker id; `run` by default).
    pub fn set_lease_owner(&mut self, owner: &str) {
        self.lease_owner = owner.to_string();
    }

    /// Book every request's slot in `store` too, so that the processes sharing it stay polite together.
    pub fn share_hosts(&self, store: std::sync::Arc<dyn Store>) {
        self.fetcher
            .share_hosts(std::sync::Arc::new(super::shared_hosts::StoreHosts::new(store)));
    }

    /// A lease of this pipeline's, from now.
    fn fresh_lease(&self) -> crate::store::Lease {
        crate::store::Lease {
            owner: self.lease_owner.clone(),
            until: Utc::now() + self.lease,
        }
    }

    /// Due items at `stage`, leased to this pipeline so that no other process takes them meanwhile.
    fn claim(&self, stage: Stage, limit: usize) -> anyhow::Result<Vec<ItemRow>> {
        Ok(self.store.claim_items(
            stage,
            &now(),
            self.config.pipeline.max_attempts,
            limit,
            &self.fresh_lease(),
        )?)
    }

    /// Awaits `work` (a batch of pages being fetched, a paced resolver) while renewing this pipeline's item
    /// leases every third of a lease, so that items that take longer than a lease are not taken over by
    /// another worker, or claimed again by this one, while they are still being worked on.
    async fn renewing<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let every = (self.lease / 3)
            .to_std()
            .unwrap_or(Duration::from_secs(1))
            .max(Duration::from_millis(100));
        tokio::pin!(work);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                out = &mut work => return out,
                _ = tick.tick() => {
                    // A failed renewal only risks the items going to another worker after the lease.
                    if let Err(e) = self.store.renew_leases(&self.fresh_lease()) {
                        tracing::warn!(error = %e, "cannot renew the item leases");
                    }
                }
            }
        }
    }

    /// Let this pipeline publish outputs shorter than they are (a new desk over an old one's outputs).
    pub fn allow_shrinking_outputs(&mut self, allow: bool) {
        self.shrink_outputs = if allow {
            super::export::Shrink::Allowed
        } else {
            super::export::Shrink::Refused
        };
    }

    /// The progress bars of this pipeline, for a command that adds its own (archive ingest).
    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Poll due feeds, then run every item stage until nothing is due, then publish.
    pub async fn run_once(&self, poll: bool) -> anyhow::Result<RunSummary> {
        let mut summary = RunSummary::default();
        for feed in &self.config.feeds {
            self.store.add_feed(&feed.url, feed.name.as_deref())?;
        }
        if poll && self.roles.poll {
            if self.store.feeds()?.is_empty() {
                anyhow::bail!("no feeds to follow: add [[feeds]] to the config or run `newsdesk feeds add URL`");
            }
            self.poll_feeds(&mut summary).await?;
        }
        // One batch per stage per round, until a round changes nothing: memory stays bounded by the batch size,
        // and items flow to the later stages while the earlier ones are still busy. The pages of the next batch
        // are fetched and extracted (on the runtime's workers) while this one is stored and clustered (on this
        // thread, in item order).
        let mut enricher = None;
        let mut in_flight: Option<FetchBatch> = None;
        // Each round resolves one batch, once, while the previous round's pages are fetched.
        loop {
            let before = summary.clone();
            let fetched = match in_flight.take() {
                Some(batch) => self.renewing(batch).await.context("page fetch batch failed")??,
                None => Vec::new(),
            };
            if self.roles.resolve {
                self.renewing(measured(Part::Resolve, self.resolve_stage(&mut summary)))
                    .await?;
            }
            // Items fetched but not stored yet are still leased to this pipeline: the next claim skips them.
            if self.roles.fetch {
                in_flight = self.start_fetch()?;
            }
            if !fetched.is_empty() {
                // The batch's results are stored together: one commit instead of one per item.
                measure(Part::Store, || {
                    batch(self.store, || self.store_pages(fetched, &mut summary))
                })?;
            }
            if self.roles.enrich {
                self.enrich_stage(&mut summary, &mut enricher)?;
            }
            if summary == before && in_flight.is_none() {
                break;
            }
        }
        if self.roles.publish {
            measure(Part::Publish, || self.publish_stage(&mut summary))?;
        }
        self.progress.finish();
        // Articles stored but not enriched by this pass (they failed, or the store was changed under them) are
        // read from the store when they are enriched.
        self.stored.lock().unwrap_or_else(|p| p.into_inner()).clear();
        Ok(summary)
    }

    async fn poll_feeds(&self, summary: &mut RunSummary) -> anyhow::Result<()> {
        // Each due feed is held for the lease while it is polled, so that another worker does not poll it too.
        let hold = format_time(Utc::now() + self.lease);
        let due = self.store.claim_feeds(&now(), &hold, usize::MAX)?;
        let bar = self.progress.bar("poll feeds", due.len());
        let mut tasks = JoinSet::new();
        let mut pending = due.into_iter();
        // A bounded number of documents in flight: fetched bodies wait for the store one at a time, so starting
        // every feed at once would hold all their bodies in memory.
        let limit = (self.config.fetch.global_concurrency as usize).max(1);
        loop {
            while tasks.len() < limit {
                let Some(feed) = pending.next() else { break };
                let fetcher = self.fetcher.clone();
                tasks.spawn(async move {
                    let fetch = fetch_feed(&fetcher, &feed.url, feed.etag.clone(), feed.last_modified.clone());
                    let result = measured(Part::Poll, fetch).await;
                    (feed, result)
                });
            }
            let Some(joined) = tasks.join_next().await else { break };
            let (feed, result) = joined.context("feed poll task failed")?;
            bar.inc(1);
            summary.feeds_polled += 1;
            let now_s = now();
            match result {
                Ok(None) => {
                    let next = self.next_poll(None);
                    self.store.record_poll(
                        feed.id,
                        &crate::store::FeedPoll {
                            fetched_at: now_s,
                            next_poll_at: Some(next),
                            ..Default::default()
                        },
                    )?;
                }
                Ok(Some((bytes, mut facts))) => {
                    facts.next_poll_at = Some(self.next_poll(facts.next_poll_at.take()));
                    match measure(Part::Poll, || {
                        ingest_document(self.store, &feed.url, &bytes, &facts, &now_s)
                    }) {
                        Ok(outcome) => summary.new_items += outcome.new,
                        Err(e) if super::is_store_error(&e) => return Err(e),
                        Err(e) => {
                            summary.feeds_failed += 1;
                            tracing::warn!(feed = %feed.url, error = %format!("{e:#}"), "feed failed");
                        }
                    }
                }
                Err(e) => {
                    summary.feeds_failed += 1;
                    let error = format!("{e:#}");
                    tracing::warn!(feed = %feed.url, error = %error, "feed failed");
                    self.store.record_poll(
                        feed.id,
                        &crate::store::FeedPoll {
                            fetched_at: now_s,
                            error: Some(error),
                            ..Default::default()
                        },
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Next poll time, from the response's max-age (passed through `hint` as seconds) and the settings.
    fn next_poll(&self, hint: Option<String>) -> String {
        let max_age = hint.and_then(|s| s.parse::<u64>().ok()).map(Duration::from_secs);
        format_time(newsdesk_fetch::next_poll_time(
            Utc::now(),
            max_age,
            None,
            &self.config.fetch,
        ))
    }

    async fn resolve_stage(&self, summary: &mut RunSummary) -> anyhow::Result<()> {
        let p = &self.config.pipeline;
        let items = self.claim(Stage::New, p.batch_size)?;
        if items.is_empty() {
            return Ok(());
        }
        // Another worker may have met the Google News rate limit since: its cooldown is in the store.
        if let Some(until) = self.store.get_state(super::GNEWS_COOLDOWN_STATE)? {
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&until) {
                let t = t.with_timezone(&Utc);
                if t > Utc::now() {
                    self.resolver.set_rate_limited_until(Some(t));
                }
            }
        }
        let bar = self.progress.bar("resolve links", items.len());
        let online = batch(self.store, || self.resolve_locally(items, &bar, summary))?;
        for chunk in online.chunks(self.config.fetch.gnews_batch_size.max(1) as usize * 4) {
            let tokens: Vec<String> = chunk.iter().map(|(_, t)| t.clone()).collect();
            // Answers are matched to items by token, never by position.
            let answers: std::collections::HashMap<String, Result<String, ResolveError>> =
                self.resolver.resolve(&tokens).await.into_iter().collect();
            batch(self.store, || {
                if let Some(rate) = self.resolver.learned_rate() {
                    self.store.set_state(super::GNEWS_RATE_STATE, &format!("{rate:.3}"))?;
                }
                self.record_resolutions(chunk, &answers, &bar, summary)
            })?;
        }
        Ok(())
    }

    /// Resolve what needs no network (direct links, offline decoding, cached resolutions); returns the items
    /// that need the online exchange, with their tokens.
    fn resolve_locally(
        &self,
        items: Vec<ItemRow>,
        bar: &indicatif::ProgressBar,
        summary: &mut RunSummary,
    ) -> anyhow::Result<Vec<(ItemRow, String)>> {
        let p = &self.config.pipeline;
        let mut online: Vec<(ItemRow, String)> = Vec::new();
        for item in items {
            let Some(link) = item.link.clone().filter(|l| !l.trim().is_empty()) else {
                self.store
                    .fail_item(item.id, "the item has no link", &now(), Failure::Permanent)?;
                summary.item_errors += 1;
                bar.inc(1);
                continue;
            };
            if !p.fetch_articles {
                self.store.advance_item(item.id, Stage::Ready, None, None)?;
                summary.feed_only += 1;
                bar.inc(1);
                continue;
            }
            match newsdesk_feeds::gnews::decode_article_link(&link) {
                ArticleLink::NotGoogle => self.resolved(&item, &link, summary)?,
                ArticleLink::Decoded(url) => self.resolved(&item, &url, summary)?,
                ArticleLink::Unresolved(token) => match self.store.cached_resolution(&token)? {
                    Some(url) => self.resolved(&item, &url, summary)?,
                    None => {
                        online.push((item, token));
                        continue;
                    }
                },
            }
            bar.inc(1);
        }
        Ok(online)
    }

    fn record_resolutions(
        &self,
        chunk: &[(ItemRow, String)],
        answers: &std::collections::HashMap<String, Result<String, ResolveError>>,
        bar: &indicatif::ProgressBar,
        summary: &mut RunSummary,
    ) -> anyhow::Result<()> {
        for (item, token) in chunk {
            let answer = answers
                .get(token)
                .cloned()
                .unwrap_or_else(|| Err(ResolveError::Missing { id: token.clone() }));
            match answer {
                Ok(url) => {
                    self.store.cache_resolution(token, &url, &now())?;
                    self.resolved(item, &url, summary)?;
                }
                Err(ResolveError::RateLimited { until }) => {
                    // Not the item's fault: it waits for the cooldown without spending an attempt.
                    let until = format_time(until);
                    self.store.set_state(super::GNEWS_COOLDOWN_STATE, &until)?;
                    let reason = format!("waiting: Google News is rate limiting until {until}");
                    self.store.defer_item(item.id, &reason, &now(), &until)?;
                    summary.deferred += 1;
                }
                Err(e) => {
                    let failure = if e.is_permanent() {
                        Failure::Permanent
                    } else {
                        self.retry_time(item.attempts)
                    };
                    self.store.fail_item(item.id, &e.to_string(), &now(), failure)?;
                    summary.item_errors += 1;
                }
            }
            bar.inc(1);
        }
        Ok(())
    }

    fn resolved(&self, item: &ItemRow, url: &str, summary: &mut RunSummary) -> anyhow::Result<()> {
        self.store.advance_item(item.id, Stage::Resolved, Some(url), None)?;
        summary.resolved += 1;
        Ok(())
    }

    /// When a transiently failed item is tried again: the configured delay, doubled per attempt.
    fn retry_time(&self, attempts: u32) -> Failure {
        let secs = self
            .config
            .pipeline
            .retry_after_secs
            .saturating_mul(1u64 << attempts.min(16));
        Failure::RetryAt(Utc::now() + chrono::Duration::seconds(secs.min(30 * 86_400) as i64))
    }

    /// Start fetching and extracting the pages of the next batch of resolved items (claimed, so that neither
    /// another worker nor the next batch takes them while they are in flight). The batch's results come back
    /// in item order, so that article ids do not depend on which fetch finished first.
    fn start_fetch(&self) -> anyhow::Result<Option<FetchBatch>> {
        let items = self.claim(Stage::Resolved, self.config.pipeline.batch_size.max(1))?;
        if items.is_empty() {
            return Ok(None);
        }
        let bar = self.progress.bar("fetch + extract", items.len());
        let fetcher = self.fetcher.clone();
        let limit = (self.config.fetch.global_concurrency as usize).max(1) * 2;
        Ok(Some(tokio::spawn(async move {
            let mut tasks = JoinSet::new();
            // Which item each task carries, so that a task that panics fails its own item, not the batch.
            let mut carried = std::collections::HashMap::new();
            let mut pending = items.into_iter();
            let mut done = Vec::with_capacity(pending.len());
            loop {
                while tasks.len() < limit {
                    let Some(item) = pending.next() else { break };
                    let fetcher = fetcher.clone();
                    let task_item = item.clone();
                    let handle = tasks.spawn(async move {
                        let item = task_item;
                        let url = item.resolved_url.clone().unwrap_or_default();
                        let result = measured(Part::Fetch, fetch_page(&fetcher, &item, &url)).await;
                        let article = result.and_then(|resp| {
                            super::isolated("extracting the page", || {
                                super::failpoint("extract", &resp.final_url);
                                let opts = newsdesk_extract::Options {
                                    url: Some(&resp.final_url),
                                    content_type: resp.content_type.as_deref(),
                                    ..Default::default()
                                };
                                let mut row = measure(Part::Extract, || {
                                    let extracted = newsdesk_extract::extract(&resp.body, &opts);
                                    article_row(&extracted, &resp.final_url, &now())
                                });
                                measure(Part::Tags, || super::enrich::prepare_article(&mut row, &item));
                                ExtractedPage::new(row)
                            })
                            .map_err(|reason| PageError::Internal {
                                url: resp.final_url.clone(),
                                reason,
                            })
                        });
                        (item, article)
                    });
                    carried.insert(handle.id(), item);
                }
                let Some(joined) = tasks.join_next_with_id().await else {
                    break;
                };
                match joined {
                    Ok((id, outcome)) => {
                        carried.remove(&id);
                        done.push(outcome);
                    }
                    Err(e) => {
                        let Some(item) = carried.remove(&e.id()) else {
                            anyhow::bail!("page fetch task failed: {e}");
                        };
                        let url = item.resolved_url.clone().unwrap_or_default();
                        let reason = match e.try_into_panic() {
                            Ok(payload) => super::panic_message(payload.as_ref()),
                            Err(e) => e.to_string(),
                        };
                        let reason = format!("internal error while fetching the page: {reason}");
                        done.push((item, Err(PageError::Internal { url, reason })));
                    }
                }
                bar.inc(1);
            }
            done.sort_by_key(|(item, _)| item.id);
            Ok(done)
        })))
    }

    pub(crate) fn store_pages(&self, done: Fetched, summary: &mut RunSummary) -> anyhow::Result<()> {
        for (item, result) in done {
            match result {
                Ok(page) => {
                    // The same article reached through another item keeps its enrichments: an upsert never
                    // overwrites tags, story or near-duplicate (the contract suite holds both backends to it).
                    let row = self.store.store_article(&page.row)?;
                    let id = row.id;
                    self.keep_for_enrich(row, page.fingerprint);
                    self.store.advance_item(item.id, Stage::Extracted, None, Some(id))?;
                    summary.extracted += 1;
                }
                Err(e) => {
                    let failure = if e.is_permanent() {
                        Failure::Permanent
                    } else {
                        self.fetch_retry(&e, item.attempts)
                    };
                    self.store.fail_item(item.id, &e.to_string(), &now(), failure)?;
                    summary.item_errors += 1;
                }
            }
        }
        Ok(())
    }

    fn fetch_retry(&self, e: &PageError, attempts: u32) -> Failure {
        match e.retry_after() {
            Some(d) => Failure::RetryAt(Utc::now() + chrono::Duration::seconds(d.as_secs().min(30 * 86_400) as i64)),
            None => self.retry_time(attempts),
        }
    }

    /// Tag and cluster what is extracted: several batches a round, since one process holds this role for all
    /// the others' fetching (a batch per round would cap a desk at one fetcher's pace).
    pub(crate) fn enrich_stage(&self, summary: &mut RunSummary, enricher: &mut Option<Enricher>) -> anyhow::Result<()> {
        for _ in 0..ENRICH_BATCHES_PER_ROUND {
            if self.enrich_batch(summary, enricher)? < self.config.pipeline.batch_size.max(1) {
                break;
            }
        }
        Ok(())
    }

    /// One batch of the enrich stage; returns how many items it took.
    fn enrich_batch(&self, summary: &mut RunSummary, enricher: &mut Option<Enricher>) -> anyhow::Result<usize> {
        let p = &self.config.pipeline;
        let items = self
            .store
            .items_due(Stage::Extracted, &now(), p.max_attempts, p.batch_size.max(1))?;
        if items.is_empty() {
            return Ok(0);
        }
        let taken = items.len();
        let bar = self.progress.bar("tags + stories", items.len());
        let enricher = match enricher {
            Some(e) => e,
            None => enricher.insert(measure(Part::Story, || Enricher::load(self.store))?),
        };
        // The articles of the batch, in the order they were first reported (see `arrival_order`); items
        // without an article (published with what the feed gave) keep their place at the end.
        let mut work = Vec::with_capacity(items.len());
        for item in items {
            let article = match item.article_id {
                Some(id) => self.stored_article(id)?,
                None => None,
            };
            work.push((item, article));
        }
        work.sort_by(|(x, a), (y, b)| match (a, b) {
            (Some(a), Some(b)) => super::enrich::arrival_order(&a.row, &b.row).then(x.id.cmp(&y.id)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.id.cmp(&y.id),
        });
        let mut done = std::collections::HashSet::new();
        // The batch's commit counts as store; its tagging and clustering as story.
        measure(Part::Store, || {
            batch(self.store, || {
                for (item, article) in work {
                    bar.inc(1);
                    // An article reached by two items of the batch is clustered once, by the first.
                    if let Some(page) = article.filter(|p| done.insert(p.row.id)) {
                        let outcome = super::isolated("tagging and clustering the article", || {
                            super::failpoint("enrich", item.resolved_url.as_deref().unwrap_or_default());
                            measure(Part::Story, || {
                                enricher.enrich(self.store, &item, page.row, page.fingerprint)
                            })
                        });
                        match outcome {
                            Ok(result) => result?,
                            Err(reason) => {
                                // Permanent: the same article would meet the same bug again. The item is published
                                // with what the feed gave once its attempts are spent.
                                tracing::warn!(item = %item.key, feed = %item.feed_url, error = %reason, "cannot enrich item");
                                self.store.fail_item(item.id, &reason, &now(), Failure::Permanent)?;
                                summary.item_errors += 1;
                                continue;
                            }
                        }
                    }
                    self.store.advance_item(item.id, Stage::Ready, None, None)?;
                    summary.enriched += 1;
                }
                Ok(())
            })
        })?;
        Ok(taken)
    }

    /// Keep `row`, just stored, for this process's enrich stage.
    fn keep_for_enrich(&self, row: ArticleRow, fingerprint: Option<Fingerprint>) {
        let mut stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: articles the enrich stage of this process does not take (another process holds the role, as
        // in a shared archive ingest, or they failed) are read back instead, and memory does not grow with them.
        if self.roles.enrich && stored.len() < self.kept_articles_cap() {
            stored.insert(row.id, ExtractedPage { row, fingerprint });
        }
    }

    /// How many stored articles are kept for the enrich stage at most: the two batches in flight.
    fn kept_articles_cap(&self) -> usize {
        2 * self.config.pipeline.batch_size.max(1)
    }

    /// Article `id` for the enrich stage: as this pipeline stored it, or read from the store (stored by
    /// another worker or an earlier pass) and fingerprinted now.
    fn stored_article(&self, id: i64) -> anyhow::Result<Option<ExtractedPage>> {
        let kept = self.stored.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
        if kept.is_some() {
            return Ok(kept);
        }
        Ok(measure(Part::Store, || self.store.article(id))?.map(ExtractedPage::new))
    }

    pub(crate) fn publish_stage(&self, summary: &mut RunSummary) -> anyhow::Result<()> {
        let out = &self.config.output;
        // The export goes first: when it finds that the store is not the one that wrote the outputs, nothing is
        // published over them.
        if !out.jsonl.as_os_str().is_empty() {
            let path = self.config.resolve(&out.jsonl);
            let max_attempts = self.config.pipeline.max_attempts;
            let pass = super::export::update_jsonl(self.store, &path, self.shrink_outputs, max_attempts, &now())?;
            tracing::debug!(file = %path.display(), appended = pass.appended, superseded = pass.superseded, rewritten = ?pass.rewritten, "JSONL output");
        }
        if !out.hugo_dir.as_os_str().is_empty() {
            let dir = self.config.resolve(&out.hugo_dir);
            let style = crate::commands::publish::style(out.hugo_style);
            // Ready items, and items that will not get further: those are published with what is known.
            let selection = publish::Selection::Pending {
                max_attempts: self.config.pipeline.max_attempts,
            };
            let s = publish::publish_hugo(self.store, selection, &dir, style, &now())?;
            summary.published += s.written;
            summary.posts_failed += s.failed;
            // The built site follows the posts: Hugo runs after a pass that changed some, or after one whose
            // build failed.
            let owed = &self.hugo_build_owed;
            if out.hugo_build && (s.written > 0 || owed.load(std::sync::atomic::Ordering::Relaxed)) {
                let result = newsdesk_publish::build_site(&self.config.hugo_bin(), &dir);
                owed.store(result.is_err(), std::sync::atomic::Ordering::Relaxed);
                match result {
                    Ok(took) => {
                        let secs = took.as_secs_f64();
                        tracing::info!(site = %dir.display(), secs, "hugo built the site");
                        summary.hugo_build_secs = Some(secs);
                    }
                    Err(e) => {
                        // The caller reports it (`run` and `worker` on one line of stderr).
                        tracing::info!(site = %dir.display(), error = %e, "hugo could not build the site");
                        summary.hugo_build_failed = Some(e.to_string());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Fetch a feed document: file:// URLs from disk, http(s) through the polite fetcher with a conditional GET.
/// `Ok(None)` means not modified.
async fn fetch_feed(
    fetcher: &Fetcher,
    url: &str,
    etag: Option<String>,
    last_modified: Option<String>,
) -> anyhow::Result<Option<(Vec<u8>, FetchFacts)>> {
    let parsed = crate::feed_url::check(url)?;
    if parsed.scheme() == "file" {
        let path = parsed
            .to_file_path()
            .map_err(|_| anyhow::anyhow!("feed URL {url} is not a local file path"))?;
        let bytes = super::read_local(&path, fetcher.settings().max_body_bytes)
            .with_context(|| format!("cannot read feed {url}"))?;
        return Ok(Some((bytes, FetchFacts::default())));
    }
    let resp = fetcher.fetch(&Request::feed(url, etag, last_modified)).await?;
    if resp.not_modified {
        return Ok(None);
    }
    let facts = FetchFacts {
        content_type: resp.content_type,
        etag: resp.etag,
        last_modified: resp.last_modified,
        next_poll_at: resp.max_age.map(|d| d.as_secs().to_string()),
    };
    Ok(Some((resp.body, facts)))
}

/// Items with their fetched and extracted article, or why not.
pub(crate) type Fetched = Vec<(ItemRow, Result<ExtractedPage, PageError>)>;

/// A batch of pages being fetched and extracted in the background.
type FetchBatch = tokio::task::JoinHandle<anyhow::Result<Fetched>>;

/// A fetched article page.
struct Page {
    final_url: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum PageError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("cannot read {url}: {reason}")]
    Local { url: String, reason: String },
    /// A bug met on this page (a panic in extraction): retrying would meet it again.
    #[error("{url}: {reason}")]
    Internal { url: String, reason: String },
}

impl PageError {
    fn is_permanent(&self) -> bool {
        match self {
            PageError::Fetch(e) => e.is_permanent(),
            PageError::Local { .. } | PageError::Internal { .. } => true,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            PageError::Fetch(e) => e.retry_after(),
            PageError::Local { .. } | PageError::Internal { .. } => None,
        }
    }
}

/// Fetch an article page. A file:// link is read from disk only when the item came from a file:// feed (a
/// local archive): a remote feed must never make newsdesk read and publish local files.
async fn fetch_page(fetcher: &Fetcher, item: &ItemRow, url: &str) -> Result<Page, PageError> {
    if let Some(path) = local_page(item, url) {
        let body = super::read_local(&path, fetcher.settings().max_body_bytes).map_err(|e| PageError::Local {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        return Ok(Page {
            final_url: url.to_string(),
            content_type: None,
            body,
        });
    }
    let resp = fetcher.fetch(&Request::page(url)).await?;
    Ok(Page {
        final_url: resp.final_url,
        content_type: resp.content_type,
        body: resp.body,
    })
}

fn local_page(item: &ItemRow, url: &str) -> Option<std::path::PathBuf> {
    if !item.feed_url.starts_with("file:") {
        return None;
    }
    let parsed = url::Url::parse(url).ok().filter(|u| u.scheme() == "file")?;
    parsed.to_file_path().ok()
}

/// The stored form of an extracted article. Its identity is the canonical URL: the page's own
/// `<link rel=canonical>` when it has one, else the URL it was fetched from, normalised.
pub fn article_row(a: &newsdesk_extract::Article, final_url: &str, now: &str) -> ArticleRow {
    let url = a.url.as_deref().filter(|u| u.starts_with("http")).unwrap_or(final_url);
    let canonical = newsdesk_stories::canonical_url(url)
        .or_else(|_| newsdesk_stories::canonical_url(final_url))
        .unwrap_or_else(|_| final_url.to_string());
    ArticleRow {
        id: 0,
        canonical_url: canonical,
        url: final_url.to_string(),
        title: a.title.clone(),
        text: a.text.clone(),
        markdown: a.markdown.clone(),
        html: a.html.clone(),
        authors: a.authors.clone(),
        published: a.published.clone(),
        modified: a.modified.clone(),
        language: a.language.clone(),
        site_name: a.site_name.clone(),
        image: a.image.clone(),
        description: a.description.clone(),
        encoding_note: a.encoding_note.clone(),
        fetched_at: now.to_string(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The enrich stage gets the article as the store holds it, whether this pipeline stored it (kept in
    /// memory, taken once) or not (read back), with the fingerprint of its text either way.
    #[test]
    fn the_enrich_stage_gets_the_stored_article_once_without_reading_it_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config {
            base_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let store = newsdesk_store::SqliteStore::open(&dir.path().join("t.db")).expect("store");
        let pipeline = Pipeline::new(&config, &store).expect("pipeline");
        let text = (0..40)
            .map(|i| format!("the harbour bridge closed {i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let row = ArticleRow {
            canonical_url: "https://pub.example/bridge".into(),
            url: "https://pub.example/bridge".into(),
            text: text.clone(),
            fetched_at: "2026-01-07T10:32:00Z".into(),
            ..Default::default()
        };
        let id = store.upsert_article(&row).expect("stored");
        let kept = ExtractedPage {
            row: ArticleRow {
                id,
                title: Some("kept in memory".into()),
                ..row.clone()
            },
            fingerprint: None,
        };
        pipeline.stored.lock().expect("lock").insert(id, kept);
        let first = pipeline.stored_article(id).expect("read").expect("there");
        assert_eq!(first.row.title.as_deref(), Some("kept in memory"), "taken from memory");
        let second = pipeline.stored_article(id).expect("read").expect("there");
        assert_eq!(
            second.row,
            store.article(id).expect("get").expect("there"),
            "read back once taken"
        );
        assert_eq!(second.fingerprint, Fingerprint::from_text(&text));
        assert!(second.fingerprint.is_some());
    }

    /// Articles nobody enriches here (another process holds the role) are not kept beyond two batches.
    #[test]
    fn kept_articles_stay_bounded_when_not_enriched_here() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            base_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        config.pipeline.batch_size = 3;
        let store = newsdesk_store::SqliteStore::open(&dir.path().join("t.db")).expect("store");
        let feed = store.add_feed("https://feed.example/rss", None).expect("feed").0;
        let items: Vec<newsdesk_feeds::Item> = (0..10)
            .map(|n| newsdesk_feeds::Item {
                id: format!("item-{n}"),
                title: format!("Item {n}"),
                link: Some(format!("https://pub.example/{n}")),
                ..Default::default()
            })
            .collect();
        store.upsert_items(feed, &items, "2026-01-07T10:32:00Z").expect("items");
        let done: Fetched = store
            .items_after(0, 100)
            .expect("items")
            .into_iter()
            .map(|item| {
                let row = ArticleRow {
                    canonical_url: format!("https://pub.example/{}", item.key),
                    url: format!("https://pub.example/{}", item.key),
                    text: "Text.".into(),
                    fetched_at: "2026-01-07T10:32:00Z".into(),
                    ..Default::default()
                };
                (item, Ok(ExtractedPage::new(row)))
            })
            .collect();
        let pipeline = Pipeline::new(&config, &store).expect("pipeline");
        let mut summary = RunSummary::default();
        pipeline.store_pages(done, &mut summary).expect("stored");
        assert_eq!(summary.extracted, 10);
        assert_eq!(pipeline.stored.lock().expect("lock").len(), 6, "two batches of three");
    }
}
