//! `newsdesk.toml`: loading, defaults, validation, and the commented default written by `newsdesk init`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

pub use newsdesk_fetch::FetchSettings;

/// The Google News "World" topic feed, the default followed by a new desk.
pub const GOOGLE_NEWS_WORLD: &str = "https://news.google.com/rss/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB?hl=en-US&gl=US&ceid=US:en";

pub const DEFAULT_CONFIG_FILE: &str = "newsdesk.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub store: StoreConfig,
    pub output: OutputConfig,
    pub pipeline: PipelineConfig,
    pub fetch: FetchSettings,
    pub feeds: Vec<FeedConfig>,
    /// `newsdesk serve`: address, token for write actions, CORS origins.
    pub serve: crate::serve::ServeConfig,
    /// Directory the relative paths above are resolved against (the config file's directory).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// SQLite database file (the embedded default).
    pub path: PathBuf,
    /// A PostgreSQL database (`postgres://user@host/db`) instead of the file, shared by several processes.
    /// The environment variable NEWSDESK_STORE_URL overrides it.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    /// Hugo site directory that `run` publishes into (posts go to `<dir>/content/posts/`). Empty: no Hugo output.
    pub hugo_dir: PathBuf,
    /// `full` (clean front matter, article text) or `seed` (the legacy layout).
    pub hugo_style: HugoStyle,
    /// JSONL file that `run` rewrites with every stored article. Empty: none.
    pub jsonl: PathBuf,
    /// Run Hugo on `hugo_dir` after a pass that wrote posts, so that the built site (`public/`) follows.
    pub hugo_build: bool,
    /// The Hugo binary: a name looked up on the PATH, or a path (relative to the config file when it has a
    /// directory part).
    pub hugo_bin: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum HugoStyle {
    Full,
    Seed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineConfig {
    /// Resolve, fetch and extract the publisher's article for every item.
    pub fetch_articles: bool,
    /// Items processed per stage per round.
    pub batch_size: usize,
    /// Failed items are retried after this many seconds (doubling per attempt).
    pub retry_after_secs: u64,
    /// An item that failed this many times is left alone.
    pub max_attempts: u32,
    /// How long a claimed item (or a feed being polled) stays with the process that took it; after that,
    /// another worker takes it over (the first one died or lost the store).
    pub lease_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    #[serde(default)]
    pub name: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            store: StoreConfig::default(),
            output: OutputConfig::default(),
            pipeline: PipelineConfig::default(),
            fetch: FetchSettings::default(),
            // Only `newsdesk init` writes the Google News default: a config without feeds follows none.
            feeds: Vec::new(),
            serve: crate::serve::ServeConfig::default(),
            base_dir: PathBuf::from("."),
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: PathBuf::from("newsdesk.db"),
            url: String::new(),
        }
    }
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            hugo_dir: PathBuf::from("site"),
            hugo_style: HugoStyle::Full,
            jsonl: PathBuf::new(),
            hugo_build: false,
            hugo_bin: PathBuf::from("hugo"),
        }
    }
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            fetch_articles: true,
            batch_size: 64,
            retry_after_secs: 600,
            max_attempts: 5,
            lease_secs: 300,
        }
    }
}

impl Config {
    /// Load a config file; relative paths inside it are taken relative to its directory.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config {}", path.display()))?;
        let mut config: Config = toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if config.base_dir.as_os_str().is_empty() {
            config.base_dir = PathBuf::from(".");
        }
        config.absolutize_local_feeds();
        if let Ok(url) = std::env::var("NEWSDESK_STORE_URL") {
            config.store.url = url;
        }
        config
            .validate()
            .with_context(|| format!("invalid config {}", path.display()))?;
        Ok(config)
    }

    /// The config at `path`, or `./newsdesk.toml`; a clear error when it does not exist.
    pub fn locate(path: Option<&Path>) -> anyhow::Result<Config> {
        let path = path
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        if !path.exists() {
            bail!(
                "no config at {} (run `newsdesk init` first, or pass --config)",
                path.display()
            );
        }
        Config::load(&path)
    }

    /// A feed `url` given as a plain path (no scheme) is a local file relative to the config: it becomes an
    /// absolute file:// URL, so that a desk folder can be moved or shared as a whole.
    fn absolutize_local_feeds(&mut self) {
        for feed in &mut self.feeds {
            if url::Url::parse(&feed.url) == Err(url::ParseError::RelativeUrlWithoutBase) {
                let path = self.base_dir.join(&feed.url);
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                let absolute = if path.is_absolute() {
                    path
                } else {
                    std::env::current_dir().map(|d| d.join(&path)).unwrap_or(path)
                };
                if let Ok(u) = url::Url::from_file_path(&absolute) {
                    feed.url = u.to_string();
                }
            }
        }
    }

    fn validate(&self) -> anyhow::Result<()> {
        for feed in &self.feeds {
            crate::feed_url::check(&feed.url)?;
        }
        let url = self.store.url.trim();
        if !url.is_empty() && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            bail!(
                "store.url must be a postgres:// URL (got {:?}); leave it empty for the SQLite file",
                url
            );
        }
        if self.pipeline.batch_size == 0 {
            bail!("pipeline.batch_size must be at least 1");
        }
        if self.pipeline.max_attempts == 0 {
            bail!("pipeline.max_attempts must be at least 1");
        }
        if self.output.hugo_build && self.output.hugo_bin.as_os_str().is_empty() {
            bail!("output.hugo_bin must name the Hugo binary when output.hugo_build is true");
        }
        self.fetch.validate().context("invalid [fetch] settings")?;
        self.serve.timeouts()?;
        Ok(())
    }

    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    pub fn store_path(&self) -> PathBuf {
        self.resolve(&self.store.path)
    }

    /// The Hugo binary to run: a bare name is left to the PATH, a path is taken relative to the config.
    pub fn hugo_bin(&self) -> PathBuf {
        let bin = &self.output.hugo_bin;
        if bin.components().count() > 1 {
            self.resolve(bin)
        } else {
            bin.clone()
        }
    }

    /// Where the store is: the PostgreSQL URL when one is set, else the SQLite file.
    pub fn store_location(&self) -> newsdesk_store::Location {
        let url = self.store.url.trim();
        if url.is_empty() {
            newsdesk_store::Location::Sqlite(self.store_path())
        } else {
            newsdesk_store::Location::Postgres(url.to_string())
        }
    }

    /// The commented config file `newsdesk init` writes.
    pub fn default_file_text() -> String {
        let fetch = FetchSettings::default().commented_toml();
        format!(
            r#"# newsdesk configuration. Relative paths are relative to this file.

[store]
# SQLite database (created on first use; WAL mode).
path = "newsdesk.db"
# A PostgreSQL database shared by several processes instead, e.g. "postgres://newsdesk@db.example/newsdesk"
# (NEWSDESK_STORE_URL overrides it). "" keeps the SQLite file.
url = ""

[output]
# Hugo site that `newsdesk run` publishes into; posts go to <hugo_dir>/content/posts/. "" disables it.
hugo_dir = "site"
# "full": clean front matter and the article text; "seed": the legacy layout (description HTML as body).
hugo_style = "full"
# JSONL file that `newsdesk run` appends every finished article to (news-please field names; a changed
# record is appended again, the last line of a url is current). "" disables it.
jsonl = ""
# Run Hugo on hugo_dir after a pass that wrote posts (`hugo --source <hugo_dir>`), so that <hugo_dir>/public/
# is the built site; `newsdesk init` writes a site there that builds as it is. A failed build fails the run.
hugo_build = false
# The Hugo binary: a name on the PATH, or a path (relative to this file).
hugo_bin = "hugo"

[pipeline]
# Resolve every item to the publisher's page, fetch it and extract the article.
fetch_articles = true
# Items handled per stage and round.
batch_size = 64
# A failed item is retried after this many seconds, doubling with every attempt, at most max_attempts times.
retry_after_secs = 600
max_attempts = 5
# How long a claimed item (or a feed being polled) stays with the worker that took it; after that another
# worker takes it over (the first died). Longer than a batch takes to fetch.
lease_secs = 300

# HTTP fetching (politeness, limits, retries).
[fetch]
{fetch}
# Feeds to follow: http(s) or file:// URLs, or a path relative to this file for a local feed document.
# `newsdesk feeds add URL` adds more to the store; feeds listed here are (re)added on every run.
[[feeds]]
name = "Google News: World"
url = "{GOOGLE_NEWS_WORLD}"
"#
        )
    }
}
