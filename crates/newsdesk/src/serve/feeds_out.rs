//! Full-text feeds out: Atom 1.0 and JSON Feed 1.1 of the latest articles, of one followed feed, of one
//! story and of a search query, each entry carrying the article's sanitized HTML. Rendering is pure
//! ([`atom`], [`json_feed`]); the handlers only load articles.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::api::ListParams;
use super::html::{escape, rfc3339_or, sanitize};
use super::{AppState, Failure};
use crate::store::search::SearchQuery;
use crate::store::ArticleRow;

/// Entries per feed.
pub const FEED_SIZE: usize = 50;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/feed/{file}", get(top))
        .route("/feed/source/{file}", get(source))
        .route("/feed/story/{file}", get(story))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    Json,
}

/// `name.atom` / `name.json` → (name, format).
fn split_file(file: &str) -> Result<(&str, Format), Failure> {
    let (name, ext) = file
        .rsplit_once('.')
        .ok_or_else(|| Failure::not_found(format!("no feed {file:?} (ask for NAME.atom or NAME.json)")))?;
    let format = match ext {
        "atom" | "xml" => Format::Atom,
        "json" => Format::Json,
        _ => {
            return Err(Failure::not_found(format!(
                "no feed format {ext:?} (use .atom or .json)"
            )))
        }
    };
    Ok((name, format))
}

/// What a feed is about, for its title and links.
pub struct FeedMeta {
    pub title: String,
    /// Path of this feed on the server (for the self link and the id).
    pub path: String,
    /// Path of the page showing the same content.
    pub page: String,
}

async fn top(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Response, Failure> {
    let (name, format) = split_file(&file)?;
    match name {
        "all" => {
            let meta = FeedMeta {
                title: format!("{}: latest articles", state.title),
                path: format!("/feed/{file}"),
                page: "/".into(),
            };
            let articles = load(&state, SearchQuery::default()).await?;
            Ok(render(&state, &meta, &articles, format))
        }
        "search" => {
            let q = p.q.clone().unwrap_or_default();
            if q.trim().is_empty() {
                return Err(Failure::bad_request("parameter q (the search query) is required"));
            }
            let query = p.query()?;
            let enc = url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
            let meta = FeedMeta {
                title: format!("{}: search for {q}", state.title),
                path: format!("/feed/{file}?q={enc}"),
                page: format!("/search?q={enc}"),
            };
            let articles = load(&state, query).await?;
            Ok(render(&state, &meta, &articles, format))
        }
        _ => Err(Failure::not_found(format!("no feed {file:?} (all or search)"))),
    }
}

async fn source(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Result<Response, Failure> {
    let (id, format) = split_file(&file)?;
    let id: i64 = id
        .parse()
        .map_err(|_| Failure::bad_request(format!("feed id {id:?} is not a number")))?;
    let feed = state
        .db(move |s| Ok(s.feeds()?.into_iter().find(|f| f.id == id)))
        .await?
        .ok_or_else(|| Failure::not_found(format!("no feed with id {id}")))?;
    let query = SearchQuery {
        filters: crate::store::SearchFilters {
            feed: vec![id.to_string()],
            ..Default::default()
        },
        ..Default::default()
    };
    let name = feed.name.or(feed.title).unwrap_or(feed.url);
    let meta = FeedMeta {
        title: format!("{}: {name}", state.title),
        path: format!("/feed/source/{file}"),
        page: "/feeds".into(),
    };
    let articles = load(&state, query).await?;
    Ok(render(&state, &meta, &articles, format))
}

async fn story(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Result<Response, Failure> {
    let (id, format) = split_file(&file)?;
    let sid = id.to_string();
    let (story, articles) = state
        .db(move |s| s.story_with_articles(&sid))
        .await?
        .ok_or_else(|| Failure::not_found(format!("no story with id {id:?}")))?;
    let meta = FeedMeta {
        title: format!("{}: {}", state.title, story.headline),
        path: format!("/feed/story/{file}"),
        page: format!("/story/{}", story.id),
    };
    Ok(render(&state, &meta, &articles, format))
}

async fn load(state: &AppState, query: SearchQuery) -> Result<Vec<ArticleRow>, Failure> {
    state
        .db(move |s| {
            let hits = s.search(&query, FEED_SIZE, 0)?;
            let mut out = Vec::with_capacity(hits.len());
            for h in hits {
                if let Some(a) = s.article(h.article.id)? {
                    out.push(a);
                }
            }
            Ok(out)
        })
        .await
}

fn render(state: &AppState, meta: &FeedMeta, articles: &[ArticleRow], format: Format) -> Response {
    match format {
        Format::Atom => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            atom(&state.base_url, &state.title, meta, articles),
        )
            .into_response(),
        Format::Json => (
            [(header::CONTENT_TYPE, "application/feed+json; charset=utf-8")],
            json_feed(&state.base_url, meta, articles),
        )
            .into_response(),
    }
}

fn entry_updated(a: &ArticleRow) -> String {
    let fetched = rfc3339_or(Some(&a.fetched_at), "1970-01-01T00:00:00Z");
    rfc3339_or(a.modified.as_deref().or(a.published.as_deref()), &fetched)
}

/// An Atom 1.0 document.
pub fn atom(base: &str, site_title: &str, meta: &FeedMeta, articles: &[ArticleRow]) -> String {
    let updated = articles
        .iter()
        .map(entry_updated)
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut x = String::with_capacity(4096 + articles.len() * 4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <id>{}</id>\n", escape(&format!("{base}{}", meta.path))));
    x.push_str(&format!("  <title>{}</title>\n", escape(&meta.title)));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{base}{}", meta.path))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{base}{}", meta.page))
    ));
    x.push_str(&format!("  <author><name>{}</name></author>\n", escape(site_title)));
    x.push_str("  <generator>newsdesk</generator>\n");
    for a in articles {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", escape(&a.canonical_url)));
        let title = a.title.clone().unwrap_or_else(|| a.url.clone());
        x.push_str(&format!("    <title>{}</title>\n", escape(&title)));
        x.push_str(&format!("    <updated>{}</updated>\n", entry_updated(a)));
        if let Some(p) = a.published.as_deref() {
            x.push_str(&format!(
                "    <published>{}</published>\n",
                rfc3339_or(Some(p), &entry_updated(a))
            ));
        }
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&a.url)
        ));
        x.push_str(&format!(
            "    <link rel=\"related\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&format!("{base}/article/{}", a.id))
        ));
        for author in &a.authors {
            x.push_str(&format!("    <author><name>{}</name></author>\n", escape(author)));
        }
        for tag in &a.tags {
            x.push_str(&format!("    <category term=\"{}\"/>\n", escape(tag)));
        }
        if let Some(d) = a.description.as_deref().filter(|d| !d.is_empty()) {
            x.push_str(&format!("    <summary>{}</summary>\n", escape(d)));
        }
        x.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&sanitize(&a.html, &a.url))
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// A JSON Feed 1.1 document.
pub fn json_feed(base: &str, meta: &FeedMeta, articles: &[ArticleRow]) -> String {
    let items: Vec<serde_json::Value> = articles
        .iter()
        .map(|a| {
            let mut item = serde_json::json!({
                "id": a.canonical_url,
                "url": a.url,
                "external_url": format!("{base}/article/{}", a.id),
                "title": a.title.clone().unwrap_or_else(|| a.url.clone()),
                "content_html": sanitize(&a.html, &a.url),
                "content_text": a.text,
                "date_modified": entry_updated(a),
                "tags": a.tags,
                "authors": a.authors.iter().map(|n| serde_json::json!({ "name": n })).collect::<Vec<_>>(),
            });
            if let Some(p) = a.published.as_deref() {
                item["date_published"] = rfc3339_or(Some(p), &entry_updated(a)).into();
            }
            if let Some(d) = a.description.as_deref().filter(|d| !d.is_empty()) {
                item["summary"] = d.into();
            }
            if let Some(img) = a.image.as_deref().and_then(super::html::safe_url) {
                item["image"] = img.into();
            }
            if let Some(l) = a.language.as_deref() {
                item["language"] = l.into();
            }
            item
        })
        .collect();
    let doc = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta.title,
        "home_page_url": format!("{base}{}", meta.page),
        "feed_url": format!("{base}{}", meta.path),
        "items": items,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}
