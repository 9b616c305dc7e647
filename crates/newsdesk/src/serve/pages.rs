//! The server-rendered web reader: stories, a story, an article reader view, search and feeds. No
//! JavaScript anywhere; maud escapes every value, and article HTML goes through the sanitizer.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;

use super::api::{add_feed_checked, load_article, NewFeed};
use super::html::{display_time, host_of, safe_url, snippet_html};
use super::{AppState, Failure};
use crate::store::search::{parse_query, ArticleSummary};
use crate::store::StoryRow;

/// Search results per page.
pub const PAGE_SIZE: usize = 10;
/// Stories on the front page.
pub const FRONT_STORIES: usize = 30;

const CSS: &str = include_str!("style.css");

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(front))
        .route("/story/{id}", get(story))
        .route("/article/{id}", get(article))
        .route("/search", get(search))
        .route("/feeds", get(feeds))
        .route("/feeds/add", post(add_feed))
        .route("/feeds/{id}/remove", post(remove_feed))
        .route(
            "/static/style.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    CSS,
                )
            }),
        )
        .fallback(|| async { page_error(Failure::not_found("no such page")) })
}

/// An error as a page, with the status it deserves.
fn page_error(f: Failure) -> Response {
    let body = layout(
        "Error",
        "",
        html! {
            h1 { "Something went wrong" }
            p role="alert" { (f.message) }
            p { a href="/" { "Back to the stories" } }
        },
    );
    (f.status, Html(body.into_string())).into_response()
}

/// A page, or the error page to answer instead; both are the response as sent, so their size is the same.
type PageResult = Result<Response, Response>;

#[allow(clippy::result_large_err)]
fn ok(m: Markup) -> PageResult {
    Ok(Html(m.into_string()).into_response())
}

fn layout(title: &str, query: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · newsdesk" }
                link rel="stylesheet" href="/static/style.css";
                link rel="alternate" type="application/atom+xml" title="Latest articles (Atom)" href="/feed/all.atom";
                link rel="alternate" type="application/feed+json" title="Latest articles (JSON Feed)" href="/feed/all.json";
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    nav aria-label="Main" {
                        a class="brand" href="/" { "newsdesk" }
                        ul {
                            li { a href="/" { "Stories" } }
                            li { a href="/search" { "Search" } }
                            li { a href="/feeds" { "Feeds" } }
                        }
                    }
                    form class="search" role="search" action="/search" method="get" {
                        label for="q" class="visually-hidden" { "Search articles" }
                        input id="q" type="search" name="q" value=(query) placeholder="Search articles";
                        button type="submit" { "Search" }
                    }
                }
                main id="main" tabindex="-1" { (main) }
                footer class="site" {
                    p {
                        "Full-text feeds: "
                        a href="/feed/all.atom" { "Atom" } " · " a href="/feed/all.json" { "JSON Feed" }
                        " · " a href="/api/openapi.json" { "API" }
                    }
                }
            }
        }
    }
}

fn when(a: &ArticleSummary) -> Markup {
    let t = a.published.as_deref().unwrap_or(&a.fetched_at);
    html! { time datetime=(t) { (display_time(t)) } }
}

fn outlet(a: &ArticleSummary) -> String {
    a.site_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| host_of(&a.url))
}

fn title_of(a: &ArticleSummary) -> String {
    a.title
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| a.url.clone())
}

fn article_line(a: &ArticleSummary) -> Markup {
    html! {
        a href={ "/article/" (a.id) } { (title_of(a)) }
        " "
        span class="meta" { (outlet(a)) " · " (when(a)) }
    }
}

fn story_card(story: &StoryRow, articles: &[ArticleSummary]) -> Markup {
    let image = articles.iter().find_map(|a| a.image.as_deref().and_then(safe_url));
    let mut outlets: Vec<String> = articles.iter().map(outlet).collect();
    outlets.sort();
    outlets.dedup();
    html! {
        article class="story" {
            @if let Some(src) = image {
                img src=(src) alt="" loading="lazy" referrerpolicy="no-referrer";
            }
            div {
                h2 { a href={ "/story/" (story.id) } { (story.headline) } }
                p class="meta" {
                    (story.article_count) " article" @if story.article_count != 1 { "s" }
                    " · updated " time datetime=(story.last_updated) { (display_time(&story.last_updated)) }
                }
                p class="outlets" { (outlets.join(" · ")) }
                ul class="coverage" {
                    @for a in articles.iter().take(4) { li { (article_line(a)) } }
                }
            }
        }
    }
}

async fn front(State(state): State<Arc<AppState>>) -> PageResult {
    let (stories, latest) = state
        .db(|s| {
            let stories = s.stories_page(FRONT_STORIES, 0)?;
            let mut out = Vec::with_capacity(stories.len());
            for st in stories {
                let arts = s.story_summaries(&st.id)?;
                out.push((st, arts));
            }
            let latest = s.search(&Default::default(), 20, 0)?;
            Ok((out, latest))
        })
        .await
        .map_err(page_error)?;
    ok(layout(
        "Today's stories",
        "",
        html! {
            h1 { "Today's stories" }
            @if stories.is_empty() {
                p { "No stories yet. Run " code { "newsdesk run" } " to fill the store." }
            }
            section aria-label="Stories" class="stories" {
                @for (st, arts) in &stories { (story_card(st, arts)) }
            }
            @if !latest.is_empty() {
                section aria-labelledby="latest" {
                    h2 id="latest" { "Latest articles" }
                    ul class="list" {
                        @for h in &latest { li { (article_line(&h.article)) } }
                    }
                }
            }
        },
    ))
}

async fn story(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> PageResult {
    let sid = id.clone();
    let found = state
        .db(move |s| s.story_with_summaries(&sid))
        .await
        .map_err(page_error)?;
    let Some((story, articles)) = found else {
        return Err(page_error(Failure::not_found(format!("No story with id {id}."))));
    };
    ok(layout(
        &story.headline,
        "",
        html! {
            h1 { (story.headline) }
            p class="meta" {
                "First seen " time datetime=(story.first_seen) { (display_time(&story.first_seen)) }
                " · updated " time datetime=(story.last_updated) { (display_time(&story.last_updated)) }
                " · " a href={ "/feed/story/" (story.id) ".atom" } { "Atom feed" }
            }
            ol class="coverage full" {
                @for a in &articles {
                    li {
                        @if let Some(src) = a.image.as_deref().and_then(safe_url) {
                            img src=(src) alt="" loading="lazy" referrerpolicy="no-referrer";
                        }
                        div {
                            h2 { a href={ "/article/" (a.id) } { (title_of(a)) } }
                            p class="meta" { (outlet(a)) " · " (when(a)) }
                            @if let Some(d) = a.description.as_deref() { p { (d) } }
                        }
                    }
                }
            }
        },
    ))
}

async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> PageResult {
    let id: i64 = id
        .parse()
        .map_err(|_| page_error(Failure::not_found(format!("No article with id {id}."))))?;
    let a = load_article(&state, id).await.map_err(page_error)?;
    let title = a.title.clone().unwrap_or_else(|| a.url.clone());
    let outlet = a.site_name.clone().unwrap_or_else(|| host_of(&a.url));
    let date = a.published.clone().unwrap_or_else(|| a.fetched_at.clone());
    ok(layout(
        &title,
        "",
        html! {
            article class="reader" lang=[a.language.as_deref()] {
                header {
                    p class="meta" { (outlet) }
                    h1 { (title) }
                    p class="meta" {
                        @if !a.authors.is_empty() { "By " (a.authors.join(", ")) " · " }
                        time datetime=(date) { (display_time(&date)) }
                    }
                    @if let Some(src) = a.image.as_deref().and_then(safe_url) {
                        img class="lead" src=(src) alt={ "Picture for: " (title) } referrerpolicy="no-referrer";
                    }
                }
                div class="body" {
                    @if a.html.trim().is_empty() {
                        @for para in a.text.split("\n\n") { p { (para) } }
                    } @else {
                        (PreEscaped(&a.html))
                    }
                }
                footer {
                    @if !a.tags.is_empty() {
                        ul class="tags" aria-label="Tags" {
                            @for t in &a.tags {
                                li { a href={ "/search?q=" (urlenc(&format!("tags:\"{t}\""))) } { (t) } }
                            }
                        }
                    }
                    p {
                        @if let Some(u) = original_url(&a.url) {
                            a href=(u) rel="noopener noreferrer" { "Read the original at " (outlet) }
                        }
                        @if let Some(sid) = &a.story_id {
                            " · " a href={ "/story/" (sid) } { "All coverage of this story" }
                        }
                    }
                }
            }
        },
    ))
}

/// The link to the original: the web, or a local file for desks fed from files.
fn original_url(url: &str) -> Option<&str> {
    safe_url(url).or_else(|| url.starts_with("file:///").then_some(url))
}

fn urlenc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    page: Option<usize>,
}

async fn search(State(state): State<Arc<AppState>>, Query(p): Query<SearchParams>) -> PageResult {
    let q = p.q.unwrap_or_default();
    // Bounded, so that the offset below cannot overflow.
    let page = p.page.unwrap_or(1).clamp(1, 100_000);
    if q.trim().is_empty() {
        return ok(layout(
            "Search",
            "",
            html! {
                h1 { "Search" }
                (help())
            },
        ));
    }
    let parsed = match parse_query(&q) {
        Ok(p) => p,
        Err(e) => {
            let body = layout(
                "Search",
                &q,
                html! {
                    h1 { "Search" }
                    p role="alert" class="error" { (e.to_string()) }
                    (help())
                },
            );
            return Err((StatusCode::BAD_REQUEST, Html(body.into_string())).into_response());
        }
    };
    let offset = (page - 1) * PAGE_SIZE;
    let mut hits = state
        .db(move |s| s.search(&parsed, PAGE_SIZE + 1, offset))
        .await
        .map_err(page_error)?;
    let more = hits.len() > PAGE_SIZE;
    hits.truncate(PAGE_SIZE);
    let enc = urlenc(&q);
    ok(layout(
        &format!("Search: {q}"),
        &q,
        html! {
            h1 { "Results for “" (q) "”" }
            p class="meta" {
                a href={ "/feed/search.atom?q=" (enc) } { "Atom feed of this search" }
                " · " a href={ "/feed/search.json?q=" (enc) } { "JSON Feed" }
            }
            @if hits.is_empty() { p { "Nothing found." } }
            ol class="results" start=(offset + 1) {
                @for h in &hits {
                    li {
                        h2 { a href={ "/article/" (h.article.id) } { (title_of(&h.article)) } }
                        p class="meta" { (outlet(&h.article)) " · " (when(&h.article)) }
                        p class="snippet" { (PreEscaped(snippet_html(&h.snippet))) }
                    }
                }
            }
            nav class="pager" aria-label="Result pages" {
                @if page > 1 { a rel="prev" href={ "/search?q=" (enc) "&page=" (page - 1) } { "← Previous" } }
                @if more { a rel="next" href={ "/search?q=" (enc) "&page=" (page + 1) } { "Next →" } }
            }
        },
    ))
}

fn help() -> Markup {
    html! {
        details class="help" {
            summary { "How to search" }
            ul {
                li { code { "tidal power" } ": both words (accents and case do not matter)" }
                li { code { "\"tidal plant\"" } ": the exact phrase" }
                li { code { "rates OR inflation" } ", " code { "rates -mortgage" } ", " code { "infla*" } }
                li { code { "title:tidal" } ", " code { "tags:energy" } ": one field only" }
                li { code { "outlet:\"Example Daily\"" } ", " code { "feed:2" } ", " code { "lang:en" } ", "
                     code { "since:2024-01-01" } ", " code { "until:2024-01-31" } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct FeedsParams {
    done: Option<String>,
}

async fn feeds(State(state): State<Arc<AppState>>, Query(p): Query<FeedsParams>) -> PageResult {
    let feeds = state.db(|s| s.feeds()).await.map_err(page_error)?;
    let writable = state.token.is_some();
    let notice = match p.done.as_deref() {
        Some("added") => Some("Feed added. It is polled on the next run."),
        Some("exists") => Some("That feed was already followed."),
        Some("removed") => Some("Feed removed."),
        _ => None,
    };
    ok(layout(
        "Feeds",
        "",
        html! {
            h1 { "Feeds" }
            @if let Some(n) = notice { p role="status" class="notice" { (n) } }
            div class="table" {
                table {
                    caption { (feeds.len()) " followed feeds" }
                    thead { tr { th scope="col" { "Feed" } th scope="col" { "Items" } th scope="col" { "Last fetched" }
                        th scope="col" { "Status" } th scope="col" { "Full-text feed" }
                        @if writable { th scope="col" { "Remove" } } } }
                    tbody {
                        @for f in &feeds {
                            tr {
                                td {
                                    strong { (f.name.clone().or(f.title.clone()).unwrap_or_else(|| host_of(&f.url))) }
                                    br; span class="url" { (f.url) }
                                }
                                td { (f.item_count) }
                                td { @if let Some(t) = &f.last_fetched_at { (display_time(t)) } @else { "never" } }
                                td {
                                    @if let Some(e) = &f.last_error {
                                        span class="error" { "Failing: " (e) }
                                        @if let Some(t) = &f.last_error_at { " (" (display_time(t)) ")" }
                                    } @else if f.last_fetched_at.is_some() { "OK" } @else { "waiting" }
                                }
                                td { a href={ "/feed/source/" (f.id) ".atom" } { "Atom" } " · "
                                     a href={ "/feed/source/" (f.id) ".json" } { "JSON" } }
                                @if writable {
                                    td {
                                        form method="post" action={ "/feeds/" (f.id) "/remove" } class="inline" {
                                            label for={ "token-" (f.id) } class="visually-hidden" { "Token" }
                                            input id={ "token-" (f.id) } type="password" name="token" required
                                                placeholder="Token" autocomplete="current-password";
                                            button type="submit" { "Remove " span class="visually-hidden" { (f.url) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if writable {
                section aria-labelledby="add" {
                    h2 id="add" { "Follow a feed" }
                    form method="post" action="/feeds/add" class="stack" {
                        label for="feed-url" { "Feed URL (http or https)" }
                        input id="feed-url" type="url" name="url" required;
                        label for="feed-name" { "Name (optional)" }
                        input id="feed-name" type="text" name="name";
                        label for="feed-token" { "Token" }
                        input id="feed-token" type="password" name="token" required autocomplete="current-password";
                        button type="submit" { "Add feed" }
                    }
                }
            } @else {
                p class="meta" { "Adding and removing feeds is disabled: no token is configured ([serve] token)." }
            }
        },
    ))
}

#[derive(Debug, Deserialize)]
struct AddForm {
    url: String,
    name: Option<String>,
    token: String,
}

async fn add_feed(State(state): State<Arc<AppState>>, Form(f): Form<AddForm>) -> PageResult {
    state.token_ok(Some(&f.token)).map_err(page_error)?;
    let (_, created) = add_feed_checked(
        &state,
        NewFeed {
            url: f.url,
            name: f.name,
        },
    )
    .await
    .map_err(page_error)?;
    let to = if created {
        "/feeds?done=added"
    } else {
        "/feeds?done=exists"
    };
    Ok(Redirect::to(to).into_response())
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    token: String,
}

async fn remove_feed(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    state.token_ok(Some(&f.token)).map_err(page_error)?;
    let id: i64 = id
        .parse()
        .map_err(|_| page_error(Failure::bad_request(format!("feed id {id:?} is not a number"))))?;
    if !state.db(move |s| s.remove_feed(id)).await.map_err(page_error)? {
        return Err(page_error(Failure::not_found(format!("No feed with id {id}."))));
    }
    Ok(Redirect::to("/feeds?done=removed").into_response())
}
