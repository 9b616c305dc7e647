//! Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) into one item model.
//!
//! Pure: bytes in, values out. Broken real-world feeds are repaired rather than dropped, and every repair is
//! reported in [`ParsedFeed::repairs`].

mod atom;
mod authors;
mod charset;
mod dates;
mod entities;
mod fields;
pub mod gnews;
mod identity;
mod jsonfeed;
pub mod opml;
mod repairs;
mod rss;
mod urls;
mod xml;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use dates::parse_date;
pub use identity::item_identity;

/// The feed-level metadata of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedMeta {
    pub title: String,
    pub link: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// RSS `<ttl>` in minutes, when given.
    pub ttl_minutes: Option<u32>,
    /// The feed's own id, as its format defines one: Atom `<id>`; JSON Feed `feed_url`, else
    /// `home_page_url`. RSS has none (an `atom:id` in the channel is used).
    #[serde(default)]
    pub id: Option<String>,
    /// The feed's authors, as names: Atom `<author>`; RSS `managingEditor`, channel `dc:creator` and
    /// `itunes:author`; JSON Feed `authors` (1.1) and `author` (1.0).
    #[serde(default)]
    pub authors: Vec<String>,
    /// The feed's logo or icon: RSS `<image><url>`, Atom `<logo>`/`<icon>`, `itunes:image`, JSON Feed
    /// `icon`/`favicon`.
    #[serde(default)]
    pub image: Option<String>,
}

/// Where an item says it comes from (RSS `<source url="…">Outlet</source>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemSource {
    pub title: String,
    pub url: Option<String>,
}

/// One entry of a feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable identity: guid/id, else the canonical link, else a hash of the content.
    pub id: String,
    /// Plain text, entities decoded.
    pub title: String,
    /// Absolute URL (relative links are resolved against `xml:base` and the feed URL).
    pub link: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// HTML as the feed carries it (RSS description, Atom summary, JSON Feed summary); when the feed gives
    /// only full content, that content.
    pub summary: Option<String>,
    /// Full content HTML (content:encoded, Atom content, JSON Feed content_html).
    pub content: Option<String>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    /// Enclosure or media image URL.
    pub image: Option<String>,
    pub source: Option<ItemSource>,
}

/// What the parser understood of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedFeed {
    pub meta: FeedMeta,
    pub items: Vec<Item>,
    /// Human-readable notes on each fault that was repaired.
    pub repairs: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("empty document")]
    Empty,
    /// Only in strict mode ([`ParseOptions::strict`]): the document needed this repair.
    #[error("malformed feed: {0}")]
    Malformed(String),
}

/// How to parse: the document's URL and HTTP Content-Type, and whether to refuse broken documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// Where the document was fetched from: the base for relative links, and a hint for encoding detection.
    pub url: Option<&'a str>,
    /// The HTTP Content-Type header, which may carry the charset.
    pub content_type: Option<&'a str>,
    /// Fail on the first fault a strict XML parser would reject, instead of repairing it. Used to measure
    /// what the repair layer is worth; the pipeline never sets it.
    pub strict: bool,
}

impl Item {
    /// Sets `id` from the feed's own id, else the link, else a content hash. An entry with none of these
    /// (no id, title, link, summary or content) gets no id: there is nothing to identify, so nothing is
    /// made up, and [`Item::is_empty`] drops it.
    fn with_guid(mut self, guid: Option<String>) -> Item {
        let has_guid = guid.as_deref().is_some_and(|g| !g.trim().is_empty());
        let has_text =
            !self.title.is_empty() || self.link.is_some() || self.summary.is_some() || self.content.is_some();
        self.id = if has_guid || has_text {
            item_identity(
                guid.as_deref(),
                self.link.as_deref(),
                &self.title,
                self.summary.as_deref(),
                self.content.as_deref(),
            )
        } else {
            String::new()
        };
        self
    }

    /// Nothing to keep. An entry with its own id is an entry even without title or link (status posts,
    /// minimal feeds), so only an item without any id is empty.
    fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// Parse a feed document. `url` is the address it was fetched from (base for relative links);
/// `content_type` the HTTP Content-Type header, if any (it may carry the charset).
pub fn parse(bytes: &[u8], url: Option<&str>, content_type: Option<&str>) -> Result<ParsedFeed, FeedError> {
    parse_with(
        bytes,
        &ParseOptions {
            url,
            content_type,
            strict: false,
        },
    )
}

/// [`parse`] with all options.
pub fn parse_with(bytes: &[u8], options: &ParseOptions) -> Result<ParsedFeed, FeedError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Err(FeedError::Empty);
    }
    let mut repairs = repairs::Repairs::default();
    let tld = options.url.and_then(top_level_domain);
    let text = charset::decode(
        bytes,
        options.content_type,
        tld.as_deref().map(str::as_bytes),
        &mut repairs,
    );
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let (meta, items) = if body.starts_with('{') {
        jsonfeed::map(body, options.url)?
    } else {
        let nodes = xml::parse_tree(&text, options.url, &mut repairs);
        let root = find_root(&nodes).ok_or_else(|| FeedError::NotAFeed(describe_root(&nodes)))?;
        if root.local == "feed" {
            atom::map(root)
        } else {
            rss::map(root)
        }
    };
    if options.strict {
        if let Some(fault) = repairs.strict_failure() {
            return Err(FeedError::Malformed(fault.to_string()));
        }
    }
    let before = items.len();
    let mut items: Vec<Item> = items.into_iter().filter(|i| !i.is_empty()).collect();
    for item in &mut items {
        // Like feedparser: an item that only has full content shows it as its summary too.
        if item.summary.is_none() {
            item.summary = item.content.clone();
        }
    }
    if items.len() < before {
        repairs.info(format!("{} empty item(s) skipped", before - items.len()));
    }
    Ok(ParsedFeed {
        meta,
        items,
        repairs: repairs.into_notes(),
    })
}

/// The feed's root element, wherever leading garbage or wrappers put it.
fn find_root(nodes: &[xml::Node]) -> Option<&xml::Element> {
    fn search(nodes: &[xml::Node], depth: usize) -> Option<&xml::Element> {
        if depth > 4 {
            return None;
        }
        let elements = || {
            nodes.iter().filter_map(|n| match n {
                xml::Node::Element(e) => Some(e),
                xml::Node::Text(_) => None,
            })
        };
        elements()
            .find(|e| matches!(e.local.as_str(), "rss" | "rdf" | "feed" | "channel"))
            .or_else(|| elements().find_map(|e| search(&e.children, depth + 1)))
    }
    search(nodes, 0)
}

fn describe_root(nodes: &[xml::Node]) -> String {
    match nodes.iter().find_map(|n| match n {
        xml::Node::Element(e) => Some(e),
        xml::Node::Text(_) => None,
    }) {
        Some(e) => format!("root element is <{}>, not rss, rdf:RDF, channel or feed", e.qname),
        None => "no XML elements and not a JSON Feed".into(),
    }
}

fn top_level_domain(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    host.rsplit('.').next().map(str::to_string)
}
