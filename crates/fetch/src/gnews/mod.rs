//! Online resolution of Google News article ids to publisher URLs, for the ids the feeds crate
//! cannot decode offline (the `AU_yqL…` payloads).
//!
//! The exchange, per id: GET `{base}/rss/articles/{id}` and read the page's `data-n-a-sg`
//! (signature) and `data-n-a-ts` (timestamp) attributes; then, for several ids at once, POST
//! `{base}/_/DotsSplashUi/data/batchexecute` with a form field `f.req` holding one `Fbv4je`
//! envelope per id, each with its own tag. The reply (`)]}'` then JSON) carries one
//! `["wrb.fr","Fbv4je","[\"garturlres\",\"{url}\",1]",…,"{tag}"]` entry per envelope, matched
//! back to the ids by tag, never by position. A 429 anywhere stops the run and starts a cooldown
//! that the caller can read and persist ([`GoogleNewsResolver::rate_limited_until`]). Every
//! request to the Google News origin carries the consent cookie (`gnews_consent_cookie`), as a
//! browser does once it has answered Google's consent page; when that page answers anyway, the
//! ids get [`ResolveError::Consent`].
//!
//! The resolver paces its article-page requests by a rate it learns from the 429s (halved on
//! each, raised slowly after runs of answered requests) and spreads them at least `60 / rate`
//! seconds apart; the caller keeps the rate across restarts with
//! [`GoogleNewsResolver::learned_rate`] and [`GoogleNewsResolver::set_learned_rate`].

mod batch;
mod pacing;
mod page;
mod resolver;

pub use batch::{f_req, form_body, parse_reply, Answer, Envelope, RPC_ID};
pub use pacing::{MAX_RATE, MIN_RATE};
pub use page::{find_signature, is_consent_page, Signature};
pub use resolver::{GoogleNewsResolver, ResolveError};
