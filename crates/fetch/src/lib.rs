//! HTTP fetching for feeds, pages and robots.txt: politeness, limits, retries, private-network
//! guard; and the online resolution of Google News article links ([`gnews`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use newsdesk_fetch::{FetchSettings, Fetcher, Request};
//! let fetcher = Fetcher::new(FetchSettings::default())?;
//! let resp = fetcher.fetch(&Request::page("https://example.com/news/1")).await?;
//! println!("{} {} bytes", resp.final_url, resp.body.len());
//! # Ok(()) }
//! ```

mod backoff;
mod body;
mod error;
mod fetcher;
pub mod gnews;
mod headers;
mod netguard;
mod politeness;
mod poll;
mod request;
mod robots;
mod settings;

pub use backoff::backoff_delay;
pub use error::{BuildError, FetchError};
pub use fetcher::{Fetcher, SharedHosts, SharedRobots};
pub use headers::{cache_control_max_age, retry_after};
pub use netguard::non_public_kind;
pub use poll::next_poll_time;
pub use request::{Request, RequestKind, Response};
pub use robots::{RobotsRules, ROBOTS_AGENT};
pub use settings::FetchSettings;
