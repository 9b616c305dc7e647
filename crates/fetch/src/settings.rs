//! `[fetch]` section of newsdesk.toml: every knob of the fetcher and the Google News resolver, with defaults.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::BuildError;
use crate::netguard::{AddressPolicy, Network};

/// Declares `FetchSettings` once: the struct with its doc comments, its `Default`, and the
/// same doc text as data, so that `newsdesk init` can write a commented config that never drifts
/// from the code.
macro_rules! fetch_settings {
    ($($(#[doc = $doc:literal])+ $field:ident: $ty:ty = $default:expr,)+) => {
        /// `[fetch]` in newsdesk.toml. Durations are in seconds (fractions allowed, e.g. `0.5`).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct FetchSettings {
            $($(#[doc = $doc])+ pub $field: $ty,)+
        }

        impl Default for FetchSettings {
            fn default() -> Self {
                FetchSettings { $($field: $default,)+ }
            }
        }

        impl FetchSettings {
            /// Every setting's key and documentation, in declaration order.
            pub const DOCS: &'static [(&'static str, &'static str)] =
                &[$((stringify!($field), concat!($($doc, "\n"),+)),)+];
        }
    };
}

fetch_settings! {
    /// Contact URL put in the User-Agent: `newsdesk/<version> (+<contact_url>)`.
    contact_url: String = "https://github.com/newsdesk/newsdesk".into(),
    /// Allow fetching loopback, private (RFC 1918), unique-local, CGNAT and other non-public
    /// addresses. Checked on the resolved address, so a public name pointing at 127.0.0.1 is
    /// refused too unless this is true. Link-local addresses (169.254.0.0/16, fe80::/10, where
    /// cloud metadata services answer) stay refused unless `allow_networks` lists them.
    allow_private_networks: bool = false,
    /// Networks that may be fetched although they are not public, in CIDR notation, e.g.
    /// ["127.0.0.0/8", "::1/128", "10.1.0.0/16"] (a bare address is one host). Opens only these,
    /// whatever `allow_private_networks` says, and is the only way to reach a link-local address.
    allow_networks: Vec<String> = Vec::new(),
    /// A PEM file of extra certificate authorities to trust for HTTPS, besides the public ones
    /// (an intranet CA, or a test server's own certificate); empty for none.
    extra_root_certs: String = String::new(),
    /// Seconds allowed to open the TCP (and TLS) connection.
    connect_timeout_secs: f64 = 10.0,
    /// Seconds allowed for one HTTP exchange, from sending the request to the last body byte.
    timeout_secs: f64 = 30.0,
    /// Seconds without any byte received after which a response is cut (a body that never ends).
    read_idle_timeout_secs: f64 = 15.0,
    /// Largest body accepted, in bytes, counted after decompression (a gzip bomb stops here).
    max_body_bytes: u64 = 10 * 1024 * 1024,
    /// Redirects followed before giving up; each hop is checked (scheme, address, robots.txt).
    max_redirects: u32 = 10,
    /// Attempts per request, the first included, on network errors, timeouts, 5xx and 429.
    max_attempts: u32 = 3,
    /// First retry delay in seconds; doubled on each retry, with jitter.
    retry_base_delay_secs: f64 = 1.0,
    /// Longest wait before a retry, in seconds. A `Retry-After` asking for more is not waited
    /// for: the error is returned with its delay so the caller can schedule a later try.
    retry_max_wait_secs: f64 = 60.0,
    /// Requests in flight at once, all hosts together.
    global_concurrency: u32 = 16,
    /// Minimum seconds between two requests to the same host (one request per host at a time).
    /// A robots.txt `Crawl-delay` larger than this wins, up to `max_crawl_delay_secs`.
    host_min_interval_secs: f64 = 1.0,
    /// Largest `Crawl-delay` honoured, in seconds; larger values are clamped to this.
    max_crawl_delay_secs: f64 = 60.0,
    /// Honour robots.txt (user-agent token `newsdesk`, else `*`) for article pages.
    respect_robots: bool = true,
    /// Seconds a fetched robots.txt is reused before it is fetched again.
    robots_ttl_secs: f64 = 86_400.0,
    /// Feed poll interval, in seconds, when the feed gives no TTL and no Cache-Control max-age.
    feed_poll_default_secs: f64 = 1_800.0,
    /// Shortest feed poll interval in seconds, whatever the feed or server says.
    feed_poll_floor_secs: f64 = 300.0,
    /// Longest feed poll interval in seconds, whatever the feed or server says.
    feed_poll_ceiling_secs: f64 = 86_400.0,
    /// Google News base URL for online link resolution (tests point it at a local server).
    gnews_base_url: String = "https://news.google.com".into(),
    /// Article ids sent in one Google News batch request.
    gnews_batch_size: u32 = 10,
    /// Seconds to stop calling Google News after it answered 429 (or its Retry-After, if longer).
    gnews_cooldown_secs: f64 = 3_600.0,
    /// Longest one resolution call waits, in seconds, for the turns of its article-page requests
    /// once they are paced (after a 429 the resolver learns a rate and spreads its requests).
    /// The ids whose turn comes later are put off, as rate limited until their turn, instead of
    /// holding the call.
    gnews_pacing_budget_secs: f64 = 60.0,
    /// Cookie sent with every request to the Google News site: the answer to Google's consent
    /// page that a browser keeps once it has answered. Without one, visitors from the EU are sent
    /// to consent.google.com instead of the article pages. `SOCS=CAI` is the answer "reject
    /// all"; "" sends no cookie.
    gnews_consent_cookie: String = "SOCS=CAI".into(),
}

impl FetchSettings {
    /// Check every setting (what building a fetcher and a Google News resolver would refuse, and the
    /// poll interval bounds), so that a config is refused when it is loaded, with the key's name.
    pub fn validate(&self) -> Result<(), BuildError> {
        Limits::from_settings(self)?;
        secs("feed_poll_default_secs", self.feed_poll_default_secs, false)?;
        let floor = secs("feed_poll_floor_secs", self.feed_poll_floor_secs, true)?;
        let ceiling = secs("feed_poll_ceiling_secs", self.feed_poll_ceiling_secs, false)?;
        secs("gnews_cooldown_secs", self.gnews_cooldown_secs, true)?;
        secs("gnews_pacing_budget_secs", self.gnews_pacing_budget_secs, true)?;
        if floor > ceiling {
            return Err(BuildError::Setting {
                field: "feed_poll_floor_secs",
                reason: format!(
                    "must not be above feed_poll_ceiling_secs (got {} > {})",
                    self.feed_poll_floor_secs, self.feed_poll_ceiling_secs
                ),
            });
        }
        check_cookie(&self.gnews_consent_cookie)?;
        if self.gnews_batch_size == 0 {
            return Err(BuildError::Setting {
                field: "gnews_batch_size",
                reason: "must be at least 1".into(),
            });
        }
        match url::Url::parse(&self.gnews_base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
            _ => Err(BuildError::Setting {
                field: "gnews_base_url",
                reason: format!("must be an http(s) URL (got `{}`)", self.gnews_base_url),
            }),
        }
    }

    /// The User-Agent header sent with every request.
    pub fn user_agent(&self) -> String {
        format!("newsdesk/{} (+{})", env!("CARGO_PKG_VERSION"), self.contact_url)
    }

    /// These settings as the body of a `[fetch]` TOML table, each key preceded by its
    /// documentation as `#` comments (for the config file `newsdesk init` writes).
    pub fn commented_toml(&self) -> String {
        let values = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let mut out = String::new();
        for (key, doc) in Self::DOCS {
            for line in doc.lines() {
                out.push_str(&format!("#{line}\n"));
            }
            // JSON scalars (strings with their escapes, numbers, booleans) and arrays of them are
            // valid TOML values.
            let value = values.get(*key).map(|v| v.to_string()).unwrap_or_else(|| "\"\"".into());
            out.push_str(&format!("{key} = {value}\n"));
        }
        out
    }
}

/// Settings turned into checked durations, once, when the fetcher is built.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub read_idle_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: u32,
    pub max_attempts: u32,
    pub retry_base_delay: Duration,
    pub retry_max_wait: Duration,
    pub global_concurrency: usize,
    pub host_min_interval: Duration,
    pub max_crawl_delay: Duration,
    pub robots_ttl: Duration,
    pub address_policy: AddressPolicy,
}

impl Limits {
    pub fn from_settings(s: &FetchSettings) -> Result<Limits, BuildError> {
        let positive = |field: &'static str, v: f64| secs(field, v, false);
        let non_negative = |field: &'static str, v: f64| secs(field, v, true);
        if s.max_attempts == 0 {
            return Err(BuildError::Setting {
                field: "max_attempts",
                reason: "must be at least 1".into(),
            });
        }
        if s.global_concurrency == 0 {
            return Err(BuildError::Setting {
                field: "global_concurrency",
                reason: "must be at least 1".into(),
            });
        }
        if s.max_body_bytes == 0 {
            return Err(BuildError::Setting {
                field: "max_body_bytes",
                reason: "must be at least 1".into(),
            });
        }
        Ok(Limits {
            connect_timeout: positive("connect_timeout_secs", s.connect_timeout_secs)?,
            timeout: positive("timeout_secs", s.timeout_secs)?,
            read_idle_timeout: positive("read_idle_timeout_secs", s.read_idle_timeout_secs)?,
            max_body_bytes: s.max_body_bytes,
            max_redirects: s.max_redirects,
            max_attempts: s.max_attempts,
            retry_base_delay: non_negative("retry_base_delay_secs", s.retry_base_delay_secs)?,
            retry_max_wait: non_negative("retry_max_wait_secs", s.retry_max_wait_secs)?,
            global_concurrency: s.global_concurrency as usize,
            host_min_interval: non_negative("host_min_interval_secs", s.host_min_interval_secs)?,
            max_crawl_delay: non_negative("max_crawl_delay_secs", s.max_crawl_delay_secs)?,
            robots_ttl: non_negative("robots_ttl_secs", s.robots_ttl_secs)?,
            address_policy: address_policy(s)?,
        })
    }
}

/// `allow_private_networks` and the parsed `allow_networks`, refusing the first entry that is not
/// a network, by its value.
fn address_policy(s: &FetchSettings) -> Result<AddressPolicy, BuildError> {
    let allow = s
        .allow_networks
        .iter()
        .map(|text| {
            Network::parse(text).map_err(|why| BuildError::Setting {
                field: "allow_networks",
                reason: format!("has `{text}`, which is not a network in CIDR notation: {why}"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AddressPolicy {
        allow_private: s.allow_private_networks,
        allow,
    })
}

/// `gnews_consent_cookie` must fit a `Cookie` header: `name=value` pairs separated by `;`.
pub(crate) fn check_cookie(cookie: &str) -> Result<(), BuildError> {
    let bad = |why: &str| BuildError::Setting {
        field: "gnews_consent_cookie",
        reason: format!("{why} (got `{}`)", cookie.escape_debug()),
    };
    if cookie.trim().is_empty() {
        return Ok(());
    }
    if !cookie.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return Err(bad("must be printable ASCII, as a Cookie header is"));
    }
    for pair in cookie.split(';') {
        match pair.trim().split_once('=') {
            Some((name, _)) if !name.trim().is_empty() && !name.contains([' ', ',']) => {}
            _ => return Err(bad("must be `name=value` pairs separated by `;`")),
        }
    }
    Ok(())
}

/// A settings value in seconds as a Duration, refusing NaN, infinities, negatives (and zero
/// unless `zero_ok`).
pub(crate) fn secs(field: &'static str, v: f64, zero_ok: bool) -> Result<Duration, BuildError> {
    let bad = |reason: &str| BuildError::Setting {
        field,
        reason: format!("{reason} (got {v})"),
    };
    if !v.is_finite() || v < 0.0 {
        return Err(bad("must be a finite number of seconds, not negative"));
    }
    if v == 0.0 && !zero_ok {
        return Err(bad("must be more than 0"));
    }
    Duration::try_from_secs_f64(v).map_err(|_| bad("is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_names_the_bad_key() {
        let bad = |f: fn(&mut FetchSettings)| {
            let mut s = FetchSettings::default();
            f(&mut s);
            s.validate().expect_err("refused").to_string()
        };
        assert!(bad(|s| s.timeout_secs = f64::NAN).contains("timeout_secs"));
        assert!(bad(|s| s.host_min_interval_secs = -1.0).contains("host_min_interval_secs"));
        assert!(bad(|s| s.feed_poll_default_secs = f64::INFINITY).contains("feed_poll_default_secs"));
        assert!(bad(|s| s.max_attempts = 0).contains("max_attempts"));
        assert!(bad(|s| s.feed_poll_floor_secs = 90_000.0).contains("feed_poll_floor_secs"));
        assert!(bad(|s| s.gnews_cooldown_secs = -5.0).contains("gnews_cooldown_secs"));
        assert!(bad(|s| s.gnews_batch_size = 0).contains("gnews_batch_size"));
        assert!(bad(|s| s.gnews_consent_cookie = "SOCS=CAI\r\nX-Evil: 1".into()).contains("gnews_consent_cookie"));
        assert!(bad(|s| s.gnews_consent_cookie = "CAI".into()).contains("gnews_consent_cookie"));
        for fine in ["", "SOCS=CAI", "SOCS=CAI; CONSENT=YES+cb"] {
            let s = FetchSettings {
                gnews_consent_cookie: fine.into(),
                ..FetchSettings::default()
            };
            s.validate().expect(fine);
        }
        let cidr = bad(|s| s.allow_networks = vec!["127.0.0.0/8".into(), "10.0.0.0/33".into()]);
        assert!(
            cidr.contains("allow_networks") && cidr.contains("`10.0.0.0/33`"),
            "{cidr}"
        );
        let cidr = bad(|s| s.allow_networks = vec!["intranet".into()]);
        assert!(cidr.contains("allow_networks") && cidr.contains("`intranet`"), "{cidr}");
        FetchSettings::default().validate().expect("defaults are valid");
    }

    #[test]
    fn defaults_are_valid() {
        let limits = Limits::from_settings(&FetchSettings::default()).expect("defaults valid");
        assert_eq!(limits.max_body_bytes, 10 * 1024 * 1024);
        assert_eq!(limits.max_redirects, 10);
        assert_eq!(limits.host_min_interval, Duration::from_secs(1));
    }

    #[test]
    fn user_agent_names_newsdesk_and_contact() {
        let s = FetchSettings {
            contact_url: "https://example.org/bot".into(),
            ..FetchSettings::default()
        };
        let ua = s.user_agent();
        assert!(ua.starts_with("newsdesk/"), "{ua}");
        assert!(ua.ends_with(" (+https://example.org/bot)"), "{ua}");
    }

    #[test]
    fn negative_or_nan_durations_are_refused_by_name() {
        let s = FetchSettings {
            timeout_secs: -1.0,
            ..FetchSettings::default()
        };
        let err = Limits::from_settings(&s).expect_err("negative timeout");
        assert!(err.to_string().contains("timeout_secs"), "{err}");
        let s = FetchSettings {
            read_idle_timeout_secs: f64::NAN,
            ..FetchSettings::default()
        };
        assert!(Limits::from_settings(&s).is_err());
        let s = FetchSettings {
            connect_timeout_secs: 0.0,
            ..FetchSettings::default()
        };
        assert!(Limits::from_settings(&s).is_err());
    }

    #[test]
    fn commented_toml_documents_every_key_and_reads_back() {
        let text = FetchSettings::default().commented_toml();
        assert!(text.contains("# Contact URL put in the User-Agent"), "{text}");
        assert!(text.contains("\nmax_body_bytes = 10485760\n"), "{text}");
        assert!(
            text.contains("\ngnews_base_url = \"https://news.google.com\"\n"),
            "{text}"
        );
        let keys = text
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .count();
        let fields = match serde_json::to_value(FetchSettings::default()) {
            Ok(serde_json::Value::Object(map)) => map.len(),
            _ => 0,
        };
        assert_eq!(keys, fields);
        assert_eq!(FetchSettings::DOCS.len(), fields);
    }

    #[test]
    fn zero_attempts_refused() {
        let s = FetchSettings {
            max_attempts: 0,
            ..FetchSettings::default()
        };
        assert!(Limits::from_settings(&s).is_err());
    }
}
