//! The batch-oriented resolver: pages fetched one by one and paced, ids posted in batches,
//! cooldown on 429.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::batch::{f_req, form_body, parse_reply, Answer, Envelope};
use super::pacing::Pacer;
use super::page::{find_signature, is_consent_page, Signature};
use crate::error::{BuildError, FetchError};
use crate::fetcher::{Call, CallKind};
use crate::settings::{check_cookie, secs};
use crate::Fetcher;

/// Why one id was not resolved.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ResolveError {
    #[error("Google News id `{id}` is not an article token: {reason}")]
    InvalidId { id: String, reason: String },
    /// Not asked, or refused with 429: Google News is limiting the rate. Given to every id of
    /// a call once Google News answers 429 (and to every call until `until`), and to the ids
    /// whose paced turn comes after `gnews_pacing_budget_secs` (`until` is then their turn).
    /// Never the id's own fault.
    #[error("Google News is rate limiting: not asking again before {until}")]
    RateLimited { until: DateTime<Utc> },
    #[error("Google News id `{id}`: {source}")]
    Fetch {
        id: String,
        #[source]
        source: FetchError,
    },
    #[error("Google News id `{id}`: page {url} has no data-n-a-sg/data-n-a-ts attributes")]
    NoSignature { id: String, url: String },
    /// Google's consent page answered instead of Google News (EU visitors without the consent
    /// cookie, or a cookie it no longer accepts: see `gnews_consent_cookie`). Once one request
    /// of a call meets it, the other ids of the call get it too, without being asked.
    #[error(
        "Google News id `{id}`: Google's consent page answered ({url}) instead of Google News; \
         the consent cookie (gnews_consent_cookie) was missing or not accepted"
    )]
    Consent { id: String, url: String },
    #[error("Google News id `{id}`: unreadable batch reply from {url}: {reason}")]
    BadReply { id: String, url: String, reason: String },
    #[error("Google News id `{id}`: the batch reply has no entry for it")]
    Missing { id: String },
    #[error("Google News id `{id}`: no URL in the reply ({detail})")]
    Refused { id: String, detail: String },
    #[error("Google News id `{id}`: resolved to `{url}`, which is not an http(s) URL")]
    NotHttp { id: String, url: String },
}

impl ResolveError {
    /// True when asking again cannot help (a malformed id, or the page is gone for good).
    /// Everything else is worth retrying later (for a rate limit, after the `until` of
    /// [`ResolveError::RateLimited`]).
    pub fn is_permanent(&self) -> bool {
        match self {
            ResolveError::InvalidId { .. } | ResolveError::NotHttp { .. } => true,
            ResolveError::Fetch { source, .. } => source.is_permanent(),
            _ => false,
        }
    }
}

/// Resolves Google News article ids through the online exchange. Share one per process: it
/// remembers the cooldown after a 429.
pub struct GoogleNewsResolver {
    fetcher: Fetcher,
    base: String,
    /// The origin of `base`: the consent cookie goes to it and nowhere else.
    origin: url::Origin,
    /// The `Cookie` header for Google News requests, None when `gnews_consent_cookie` is empty.
    cookie: Option<String>,
    batch_size: usize,
    cooldown: Duration,
    rate_limited_until: Mutex<Option<DateTime<Utc>>>,
    pacer: Pacer,
    pacing_budget: Duration,
}

impl GoogleNewsResolver {
    /// Uses `gnews_base_url`, `gnews_batch_size` and `gnews_cooldown_secs` from the fetcher's
    /// settings; requests go through `fetcher` (politeness, limits, private-network guard).
    pub fn new(fetcher: Fetcher) -> Result<GoogleNewsResolver, BuildError> {
        let s = fetcher.settings();
        let base = s.gnews_base_url.trim_end_matches('/').to_owned();
        let origin = match url::Url::parse(&base) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u.origin(),
            _ => {
                return Err(BuildError::Setting {
                    field: "gnews_base_url",
                    reason: format!("must be an http(s) URL (got `{}`)", s.gnews_base_url),
                })
            }
        };
        check_cookie(&s.gnews_consent_cookie)?;
        let cookie = Some(s.gnews_consent_cookie.trim().to_owned()).filter(|c| !c.is_empty());
        let cooldown = secs("gnews_cooldown_secs", s.gnews_cooldown_secs, true)?;
        let pacing_budget = secs("gnews_pacing_budget_secs", s.gnews_pacing_budget_secs, true)?;
        let batch_size = s.gnews_batch_size.max(1) as usize;
        Ok(GoogleNewsResolver {
            fetcher,
            base,
            origin,
            cookie,
            batch_size,
            cooldown,
            rate_limited_until: Mutex::new(None),
            pacer: Pacer::default(),
            pacing_budget,
        })
    }

    /// The end of the current cooldown, if Google News answered 429 recently. Persist it to
    /// keep honouring it after a restart.
    pub fn rate_limited_until(&self) -> Option<DateTime<Utc>> {
        *self.rate_limited_until.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Restores a persisted cooldown (or clears it with None).
    pub fn set_rate_limited_until(&self, until: Option<DateTime<Utc>>) {
        *self.rate_limited_until.lock().unwrap_or_else(|p| p.into_inner()) = until;
    }

    /// The rate of article-page requests learned from Google News's 429s, in requests per
    /// minute; None until the first 429 (until then only `host_min_interval_secs` spaces the
    /// requests). Each 429 at least halves it (less when a `Retry-After` says the server wants
    /// fewer), each run of 10 answered requests raises it by 1, and it stays within
    /// [`MIN_RATE`](super::MIN_RATE)..=[`MAX_RATE`](super::MAX_RATE). Article-page requests start
    /// at least `60 / rate` seconds apart. Persist it, like the cooldown, to start from it after
    /// a restart.
    pub fn learned_rate(&self) -> Option<f64> {
        self.pacer.rate()
    }

    /// Restores a persisted rate (clamped to the bounds above), or forgets it with None; a value
    /// that is not a positive finite number is forgotten too.
    pub fn set_learned_rate(&self, rate: Option<f64>) {
        self.pacer.set_rate(rate);
    }

    /// The article page URL for an id.
    pub fn page_url(&self, id: &str) -> String {
        format!("{}/rss/articles/{id}", self.base)
    }

    fn batch_url(&self) -> String {
        format!("{}/_/DotsSplashUi/data/batchexecute", self.base)
    }

    /// Resolves each id to its publisher URL. The results come back in the order of `ids`, one
    /// per id. While a cooldown is running nothing is sent and every id gets
    /// [`ResolveError::RateLimited`]; so do the ids whose paced turn would come more than
    /// `gnews_pacing_budget_secs` after the call started.
    pub async fn resolve(&self, ids: &[String]) -> Vec<(String, Result<String, ResolveError>)> {
        let mut unique: Vec<&str> = Vec::new();
        for id in ids {
            if !unique.contains(&id.as_str()) {
                unique.push(id);
            }
        }
        let resolved = self.resolve_unique(&unique).await;
        ids.iter()
            .map(|id| {
                let result = resolved
                    .get(id.as_str())
                    .cloned()
                    .unwrap_or_else(|| Err(ResolveError::Missing { id: id.clone() }));
                (id.clone(), result)
            })
            .collect()
    }

    async fn resolve_unique<'a>(&self, ids: &[&'a str]) -> HashMap<&'a str, Result<String, ResolveError>> {
        let mut results = HashMap::new();
        let mut signed: Vec<(&str, Signature)> = Vec::new();
        // Set once Google's consent page has answered: it answers every request of this visitor
        // alike, so the ids after it are not asked for.
        let mut consent: Option<ResolveError> = None;
        let deadline = tokio::time::Instant::now() + self.pacing_budget;
        // Set once an id's turn falls past the deadline: the ids after it would come later still.
        let mut put_off: Option<DateTime<Utc>> = None;
        for &id in ids {
            if let Some(until) = self.cooling_down() {
                results.insert(id, Err(ResolveError::RateLimited { until }));
                continue;
            }
            if let Some(err) = &consent {
                results.insert(id, Err(retarget(err, id)));
                continue;
            }
            if let Err(reason) = check_id(id) {
                results.insert(
                    id,
                    Err(ResolveError::InvalidId {
                        id: id.to_owned(),
                        reason,
                    }),
                );
                continue;
            }
            if let Some(until) = put_off {
                results.insert(id, Err(ResolveError::RateLimited { until }));
                continue;
            }
            let now = tokio::time::Instant::now();
            match self.pacer.reserve(now, deadline) {
                Ok(start) => {
                    tokio::time::sleep_until(start).await;
                    self.pacer.started(tokio::time::Instant::now());
                }
                Err(turn) => {
                    let wait = chrono::Duration::from_std(turn.saturating_duration_since(now))
                        .unwrap_or(chrono::Duration::days(1));
                    let until = Utc::now() + wait;
                    tracing::debug!(%until, "Google News pacing: putting the remaining ids off");
                    put_off = Some(until);
                    results.insert(id, Err(ResolveError::RateLimited { until }));
                    continue;
                }
            }
            match self.signature(id).await {
                Ok(sig) => signed.push((id, sig)),
                Err(e) => {
                    if matches!(e, ResolveError::Consent { .. }) {
                        consent = Some(e.clone());
                    }
                    results.insert(id, Err(e));
                }
            }
        }
        // Signatures already fetched are posted even when a page request met the limit after them: the batch
        // answers on its own, and dropping them would waste the requests they cost. Only a batch that is
        // itself refused stops the batches after it.
        let mut refused: Option<DateTime<Utc>> = None;
        for chunk in signed.chunks(self.batch_size) {
            if let Some(until) = refused {
                for (id, _) in chunk {
                    results.insert(id, Err(ResolveError::RateLimited { until }));
                }
                continue;
            }
            let answers = self.batch(chunk).await;
            refused = answers.iter().find_map(|(_, r)| match r {
                Err(ResolveError::RateLimited { until }) => Some(*until),
                _ => None,
            });
            results.extend(answers);
        }
        results
    }

    /// The running cooldown's end, if any.
    fn cooling_down(&self) -> Option<DateTime<Utc>> {
        self.rate_limited_until().filter(|until| *until > Utc::now())
    }

    /// Starts a cooldown after a 429: the configured one, or the server's Retry-After if longer.
    fn trip(&self, retry_after: Option<Duration>) -> DateTime<Utc> {
        let wait = retry_after.map_or(self.cooldown, |r| r.max(self.cooldown));
        let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1));
        let until = Utc::now() + wait;
        tracing::warn!(%until, "Google News answered 429; pausing link resolution");
        self.set_rate_limited_until(Some(until));
        until
    }

    /// Maps a fetch error for `id`, starting the cooldown on a 429.
    fn fetch_error(&self, id: &str, e: FetchError) -> ResolveError {
        match e {
            FetchError::RateLimited { retry_after, .. } => ResolveError::RateLimited {
                until: self.trip(retry_after),
            },
            source => ResolveError::Fetch {
                id: id.to_owned(),
                source,
            },
        }
    }

    /// A request to Google News: no robots.txt, 429 returned at once, the consent cookie on.
    fn call<'a>(&'a self, url: &'a str) -> Call<'a> {
        Call {
            cookie: self.cookie.as_deref().map(|c| (&self.origin, c)),
            ..Call::get(url, CallKind::Service)
        }
    }

    async fn signature(&self, id: &str) -> Result<Signature, ResolveError> {
        let url = self.page_url(id);
        let resp = match self.fetcher.execute(&self.call(&url)).await {
            Ok(resp) => {
                self.pacer.answered();
                resp
            }
            Err(e) => {
                if let FetchError::RateLimited { retry_after, .. } = &e {
                    let rate = self.pacer.limited(tokio::time::Instant::now(), *retry_after);
                    tracing::info!(
                        requests_per_minute = rate,
                        "Google News article pages: pacing at the learned rate"
                    );
                }
                return Err(self.fetch_error(id, e));
            }
        };
        let body = String::from_utf8_lossy(&resp.body);
        if let Some(sig) = find_signature(&body) {
            return Ok(sig);
        }
        if is_consent_page(&resp.final_url, &body) {
            return Err(ResolveError::Consent {
                id: id.to_owned(),
                url: resp.final_url,
            });
        }
        Err(ResolveError::NoSignature {
            id: id.to_owned(),
            url: resp.final_url,
        })
    }

    async fn batch<'a>(&self, chunk: &[(&'a str, Signature)]) -> Vec<(&'a str, Result<String, ResolveError>)> {
        let envelopes: Vec<Envelope<'_>> = chunk
            .iter()
            .enumerate()
            .map(|(i, (id, signature))| Envelope {
                tag: (i + 1).to_string(),
                id,
                signature,
            })
            .collect();
        let url = self.batch_url();
        let call = Call {
            form: Some(form_body(&f_req(&envelopes))),
            ..self.call(&url)
        };
        let reply = match self.fetcher.execute(&call).await {
            Ok(resp) => {
                let body = String::from_utf8_lossy(&resp.body);
                if is_consent_page(&resp.final_url, &body) {
                    return chunk
                        .iter()
                        .map(|(id, _)| {
                            let err = ResolveError::Consent {
                                id: (*id).to_owned(),
                                url: resp.final_url.clone(),
                            };
                            (*id, Err(err))
                        })
                        .collect();
                }
                parse_reply(&body)
            }
            Err(e) => {
                let err = self.fetch_error(chunk.first().map_or("", |c| c.0), e);
                return chunk.iter().map(|(id, _)| (*id, Err(retarget(&err, id)))).collect();
            }
        };
        chunk
            .iter()
            .zip(&envelopes)
            .map(|((chunk_id, _), env)| {
                let id = (*chunk_id).to_owned();
                let result = match &reply {
                    Err(reason) => Err(ResolveError::BadReply {
                        id,
                        url: url.clone(),
                        reason: reason.clone(),
                    }),
                    Ok(answers) => match answers.get(&env.tag) {
                        None => Err(ResolveError::Missing { id }),
                        Some(Answer::Refused(detail)) => Err(ResolveError::Refused {
                            id,
                            detail: detail.clone(),
                        }),
                        Some(Answer::Url(u)) if u.starts_with("http://") || u.starts_with("https://") => Ok(u.clone()),
                        Some(Answer::Url(u)) => Err(ResolveError::NotHttp { id, url: u.clone() }),
                    },
                };
                (*chunk_id, result)
            })
            .collect()
    }
}

/// The same batch-wide (or call-wide) error, naming another id.
fn retarget(err: &ResolveError, id: &str) -> ResolveError {
    match err {
        ResolveError::Fetch { source, .. } => ResolveError::Fetch {
            id: id.to_owned(),
            source: source.clone(),
        },
        ResolveError::Consent { url, .. } => ResolveError::Consent {
            id: id.to_owned(),
            url: url.clone(),
        },
        other => other.clone(),
    }
}

/// Article ids are URL-safe base64 tokens; anything else would change the request path.
fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("empty".into());
    }
    if id.len() > 4096 {
        return Err(format!("{} characters long", id.len()));
    }
    match id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(format!("contains `{c}`, not a URL-safe base64 character")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(check_id("AU_yqLMx-9z").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("../../admin").is_err());
        assert!(check_id("a?b=c").is_err());
    }

    #[test]
    fn base_url_must_be_http() {
        let settings = crate::FetchSettings {
            gnews_base_url: "ftp://x".into(),
            ..crate::FetchSettings::default()
        };
        let fetcher = Fetcher::new(settings).expect("fetcher");
        assert!(GoogleNewsResolver::new(fetcher).is_err());
    }
}
