//! HTTP fetching for feeds, pages and robots.txt: politeness, limits, retries, private-network guard.

use serde::{Deserialize, Serialize};

/// `[fetch]` in newsdesk.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSettings {
    /// Contact URL put in the User-Agent.
    pub contact_url: String,
    /// Allow fetching loopback, private, link-local and unique-local addresses.
    pub allow_private_networks: bool,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            contact_url: "https://github.com/newsdesk/newsdesk".into(),
            allow_private_networks: false,
        }
    }
}
