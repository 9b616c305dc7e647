//! The JSON API under `/api`. Described by [`super::openapi`]; keep both in step.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::html::sanitize;
use super::{bearer, AppState, Failure};
use crate::store::search::{parse_query, ArticleSummary, SearchHit, SearchQuery};
use crate::store::{ArticleRow, FeedRow, StoryRow};

/// Most results one request returns.
pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 20;
/// Deepest offset a request may ask for: far beyond any store, and small enough that SQL and arithmetic on it
/// cannot overflow.
pub const MAX_OFFSET: usize = 1 << 40;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/articles", get(articles))
        .route("/api/articles/{id}", get(article))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/search", get(search))
        .route("/api/feeds", get(feeds).post(add_feed))
        .route("/api/feeds/{id}", axum::routing::delete(remove_feed))
        .route("/api/openapi.json", get(|| async { Json(super::openapi::document()) }))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { Failure::not_found("no such API endpoint (see /api/openapi.json)") }),
        )
        .layer(axum::middleware::map_response(json_errors))
}

/// Errors of the API are JSON everywhere, also those the router and the extractors answer by themselves
/// (a malformed query string, an unknown path, a wrong method) in plain text.
async fn json_errors(res: axum::response::Response) -> axum::response::Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let mut json = Failure::new(status, message).into_response();
    // Headers the router set (Allow on a 405, for one) stay.
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}

/// Query parameters shared by the article list, search and the feeds out.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub feed: Option<String>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

impl ListParams {
    /// The query text plus the separate filter parameters, parsed as one query.
    pub fn query(&self) -> Result<SearchQuery, Failure> {
        let mut text = self.q.clone().unwrap_or_default();
        for (key, value) in [
            ("feed", &self.feed),
            ("outlet", &self.outlet),
            ("lang", &self.lang),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                if v.contains('"') {
                    return Err(Failure::bad_request(format!(
                        "parameter {key} must not contain a quote"
                    )));
                }
                text.push_str(&format!(" {key}:\"{v}\""));
            }
        }
        Ok(parse_query(&text)?)
    }

    pub fn limit(&self) -> Result<usize, Failure> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(0) => Err(Failure::bad_request("limit must be at least 1")),
            Some(n) if n > MAX_LIMIT => Err(Failure::bad_request(format!("limit must be at most {MAX_LIMIT}"))),
            Some(n) => Ok(n),
        }
    }

    pub fn offset(&self) -> Result<usize, Failure> {
        match self.offset {
            Some(n) if n > MAX_OFFSET => Err(Failure::bad_request(format!("offset must be at most {MAX_OFFSET}"))),
            n => Ok(n.unwrap_or(0)),
        }
    }
}

#[derive(Serialize)]
struct Page<T> {
    limit: usize,
    offset: usize,
    /// The offset of the next page, when there may be one.
    next_offset: Option<usize>,
    #[serde(flatten)]
    items: T,
}

fn page<T: Serialize>(limit: usize, offset: usize, n: usize, items: T) -> Page<T> {
    Page {
        limit,
        offset,
        next_offset: (n == limit).then_some(offset.saturating_add(limit)),
        items,
    }
}

/// One article with its sanitized HTML and the feeds it came from.
#[derive(Debug, Serialize)]
pub struct ArticleOut {
    pub id: i64,
    pub canonical_url: String,
    pub url: String,
    pub title: Option<String>,
    pub text: String,
    /// Sanitized (allowlist) HTML of the article body.
    pub html: String,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub fetched_at: String,
    pub tags: Vec<String>,
    pub story_id: Option<String>,
    pub duplicate_of: Option<i64>,
    pub feeds: Vec<FeedRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedRef {
    pub id: i64,
    pub url: String,
}

impl ArticleOut {
    pub fn new(a: ArticleRow, feeds: Vec<FeedRef>) -> ArticleOut {
        let html = sanitize(&a.html, &a.url);
        ArticleOut {
            id: a.id,
            canonical_url: a.canonical_url,
            url: a.url,
            title: a.title,
            text: a.text,
            html,
            authors: a.authors,
            published: a.published,
            modified: a.modified,
            language: a.language,
            site_name: a.site_name,
            image: a.image,
            description: a.description,
            fetched_at: a.fetched_at,
            tags: a.tags,
            story_id: a.story_id,
            duplicate_of: a.duplicate_of,
            feeds,
        }
    }
}

/// Load one article with its feeds, or a 404 naming the id.
pub async fn load_article(state: &AppState, id: i64) -> Result<ArticleOut, Failure> {
    let (article, items) = state.db(move |s| Ok((s.article(id)?, s.article_items(id)?))).await?;
    let article = article.ok_or_else(|| Failure::not_found(format!("no article with id {id}")))?;
    let mut feeds: Vec<FeedRef> = items
        .into_iter()
        .map(|i| FeedRef {
            id: i.feed_id,
            url: i.feed_url,
        })
        .collect();
    feeds.sort_by_key(|f| f.id);
    feeds.dedup_by_key(|f| f.id);
    Ok(ArticleOut::new(article, feeds))
}

fn parse_id(raw: &str, what: &str) -> Result<i64, Failure> {
    raw.parse()
        .map_err(|_| Failure::bad_request(format!("{what} id {raw:?} is not a number")))
}

async fn status(State(state): State<Arc<AppState>>) -> Result<impl IntoResponse, Failure> {
    let report = state.db(|s| s.status(10)).await?;
    Ok(Json(serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "status": report,
    })))
}

async fn articles(
    State(state): State<Arc<AppState>>,
    Query(p): Query<ListParams>,
) -> Result<impl IntoResponse, Failure> {
    let (q, limit, offset) = (p.query()?, p.limit()?, p.offset()?);
    let hits = state.db(move |s| s.search(&q, limit, offset)).await?;
    let n = hits.len();
    #[derive(Serialize)]
    struct Items {
        articles: Vec<ArticleSummary>,
    }
    let articles = hits.into_iter().map(|h| h.article).collect();
    Ok(Json(page(limit, offset, n, Items { articles })))
}

async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<impl IntoResponse, Failure> {
    let id = parse_id(&id, "article")?;
    Ok(Json(load_article(&state, id).await?))
}

#[derive(Debug, Deserialize)]
struct PageParams {
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn stories(
    State(state): State<Arc<AppState>>,
    Query(p): Query<PageParams>,
) -> Result<impl IntoResponse, Failure> {
    let lp = ListParams {
        limit: p.limit,
        offset: p.offset,
        ..Default::default()
    };
    let (limit, offset) = (lp.limit()?, lp.offset()?);
    let stories = state.db(move |s| s.stories_page(limit, offset)).await?;
    #[derive(Serialize)]
    struct Items {
        stories: Vec<StoryRow>,
    }
    Ok(Json(page(limit, offset, stories.len(), Items { stories })))
}

async fn story(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<impl IntoResponse, Failure> {
    let sid = id.clone();
    let (story, articles) = state
        .db(move |s| s.story_with_summaries(&sid))
        .await?
        .ok_or_else(|| Failure::not_found(format!("no story with id {id:?}")))?;
    Ok(Json(serde_json::json!({ "story": story, "articles": articles })))
}

async fn search(State(state): State<Arc<AppState>>, Query(p): Query<ListParams>) -> Result<impl IntoResponse, Failure> {
    let raw = p.q.clone().unwrap_or_default();
    if raw.trim().is_empty() {
        return Err(Failure::bad_request("parameter q (the search query) is required"));
    }
    let (q, limit, offset) = (p.query()?, p.limit()?, p.offset()?);
    let hits: Vec<SearchHit> = state.db(move |s| s.search(&q, limit, offset)).await?;
    #[derive(Serialize)]
    struct Items {
        query: String,
        results: Vec<SearchHit>,
    }
    let n = hits.len();
    let results = hits
        .into_iter()
        .map(|mut h| {
            h.snippet = super::html::snippet_html(&h.snippet);
            h
        })
        .collect();
    Ok(Json(page(limit, offset, n, Items { query: raw, results })))
}

async fn feeds(State(state): State<Arc<AppState>>) -> Result<Json<Vec<FeedRow>>, Failure> {
    Ok(Json(state.db(|s| s.feeds()).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewFeed {
    pub url: String,
    pub name: Option<String>,
}

/// Validate and add a feed; only http(s) URLs are accepted over the network (no local files).
pub async fn add_feed_checked(state: &AppState, new: NewFeed) -> Result<(i64, bool), Failure> {
    let url = new.url.trim().to_string();
    match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(u) => {
            return Err(Failure::bad_request(format!(
                "feed URL {url:?} has scheme {:?}; only http and https feeds can be added here",
                u.scheme()
            )))
        }
        Err(e) => {
            return Err(Failure::bad_request(format!(
                "feed URL {url:?} is not a valid URL: {e}"
            )))
        }
    }
    let name = new.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    state.db(move |s| s.add_feed(&url, name.as_deref())).await
}

async fn add_feed(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Json<NewFeed>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, Failure> {
    state.token_ok(bearer(&headers))?;
    let Json(new) = body.map_err(|e| Failure::bad_request(format!("request body: {}", e.body_text())))?;
    let (id, created) = add_feed_checked(&state, new).await?;
    let code = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(serde_json::json!({ "id": id, "created": created }))))
}

async fn remove_feed(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    state.token_ok(bearer(&headers))?;
    let id = parse_id(&id, "feed")?;
    if state.db(move |s| s.remove_feed(id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::not_found(format!("no feed with id {id}")))
    }
}
