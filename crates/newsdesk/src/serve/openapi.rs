//! The OpenAPI 3.1 document served at `/api/openapi.json`. The tests request every path listed here, so a
//! route added to [`super::api`] without a description here (or the reverse) is caught.

use serde_json::{json, Value};

fn param(name: &str, inn: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": inn, "required": inn == "path", "description": desc, "schema": schema })
}

fn list_params() -> Vec<Value> {
    vec![
        param(
            "q",
            "query",
            "Search query (words, \"phrases\", OR, NOT/-, prefix*, feed:, outlet:, lang:, since:, until:)",
            json!({"type": "string"}),
        ),
        param("feed", "query", "Feed id, URL or name", json!({"type": "string"})),
        param(
            "outlet",
            "query",
            "Outlet (site name or host)",
            json!({"type": "string"}),
        ),
        param("lang", "query", "Language code", json!({"type": "string"})),
        param(
            "since",
            "query",
            "Articles dated on or after (YYYY-MM-DD or RFC 3339)",
            json!({"type": "string"}),
        ),
        param(
            "until",
            "query",
            "Articles dated before (a plain day is included)",
            json!({"type": "string"}),
        ),
        param(
            "limit",
            "query",
            "Page size (1-100, default 20)",
            json!({"type": "integer", "minimum": 1, "maximum": 100}),
        ),
        param(
            "offset",
            "query",
            "Results to skip",
            json!({"type": "integer", "minimum": 0}),
        ),
    ]
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({ "description": desc, "content": { "application/json": { "schema": schema } } })
}

fn error_ref() -> Value {
    json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn xml_or_json(desc: &str) -> Value {
    json!({ "description": desc, "content": {
        "application/atom+xml": { "schema": { "type": "string" } },
        "application/feed+json": { "schema": { "type": "object" } }
    } })
}

pub fn document() -> Value {
    let page_params = vec![
        param(
            "limit",
            "query",
            "Page size (1-100, default 20)",
            json!({"type": "integer"}),
        ),
        param("offset", "query", "Results to skip", json!({"type": "integer"})),
    ];
    let id_param = |what: &str| param("id", "path", &format!("{what} id"), json!({"type": "string"}));
    let format_param = param(
        "format",
        "path",
        "atom or json",
        json!({"type": "string", "enum": ["atom", "json"]}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "newsdesk API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Articles, stories, search and feeds of a newsdesk store. Write actions need `Authorization: Bearer <token>` ([serve] token in newsdesk.toml)."
        },
        "components": {
            "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "status"], "properties": {
                    "error": { "type": "string" }, "status": { "type": "integer" } } },
                "ArticleSummary": { "type": "object", "required": ["id", "url", "fetched_at", "authors", "tags"], "properties": {
                    "id": { "type": "integer" }, "url": { "type": "string" }, "title": { "type": ["string", "null"] },
                    "site_name": { "type": ["string", "null"] }, "published": { "type": ["string", "null"] },
                    "fetched_at": { "type": "string" }, "language": { "type": ["string", "null"] },
                    "image": { "type": ["string", "null"] }, "description": { "type": ["string", "null"] },
                    "authors": { "type": "array", "items": { "type": "string" } },
                    "tags": { "type": "array", "items": { "type": "string" } },
                    "story_id": { "type": ["string", "null"] } } },
                "Article": { "allOf": [ { "$ref": "#/components/schemas/ArticleSummary" }, { "type": "object", "properties": {
                    "canonical_url": { "type": "string" }, "text": { "type": "string" },
                    "html": { "type": "string", "description": "Sanitized (allowlist) article HTML" },
                    "modified": { "type": ["string", "null"] }, "duplicate_of": { "type": ["integer", "null"] },
                    "feeds": { "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "integer" }, "url": { "type": "string" } } } } } } ] },
                "SearchHit": { "allOf": [ { "$ref": "#/components/schemas/ArticleSummary" }, { "type": "object", "properties": {
                    "score": { "type": "number", "description": "BM25 (lower is better)" },
                    "snippet": { "type": "string", "description": "HTML: escaped text, matches in <mark>" } } } ] },
                "Story": { "type": "object", "required": ["id", "headline", "first_seen", "last_updated", "article_count"], "properties": {
                    "id": { "type": "string" }, "headline": { "type": "string" }, "first_seen": { "type": "string" },
                    "last_updated": { "type": "string" }, "article_count": { "type": "integer" } } },
                "Feed": { "type": "object", "required": ["id", "url", "item_count"], "properties": {
                    "id": { "type": "integer" }, "url": { "type": "string" }, "name": { "type": ["string", "null"] },
                    "title": { "type": ["string", "null"] }, "last_fetched_at": { "type": ["string", "null"] },
                    "next_poll_at": { "type": ["string", "null"] }, "last_error": { "type": ["string", "null"] },
                    "last_error_at": { "type": ["string", "null"] }, "item_count": { "type": "integer" } } }
            }
        },
        "paths": {
            "/api/status": { "get": { "summary": "Counts per stage and recent errors", "responses": {
                "200": ok("Status", json!({"type": "object"})) } } },
            "/api/articles": { "get": { "summary": "Articles, newest first (or best first with q), filtered and paged",
                "parameters": list_params(), "responses": {
                "200": ok("A page of articles", json!({"type": "object", "properties": {
                    "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}},
                    "limit": {"type": "integer"}, "offset": {"type": "integer"}, "next_offset": {"type": ["integer", "null"]}}})),
                "400": error_ref() } } },
            "/api/articles/{id}": { "get": { "summary": "One article with sanitized HTML", "parameters": [id_param("Article")],
                "responses": { "200": ok("The article", json!({"$ref": "#/components/schemas/Article"})), "404": error_ref() } } },
            "/api/stories": { "get": { "summary": "Stories, most recently updated first", "parameters": page_params,
                "responses": { "200": ok("A page of stories", json!({"type": "object", "properties": {
                    "stories": {"type": "array", "items": {"$ref": "#/components/schemas/Story"}}}})) } } },
            "/api/stories/{id}": { "get": { "summary": "One story and its coverage", "parameters": [id_param("Story")],
                "responses": { "200": ok("The story", json!({"type": "object", "properties": {
                    "story": {"$ref": "#/components/schemas/Story"},
                    "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}}}})),
                    "404": error_ref() } } },
            "/api/search": { "get": { "summary": "Full-text search (BM25) with highlighted snippets", "parameters": list_params(),
                "responses": { "200": ok("Results", json!({"type": "object", "properties": {
                    "query": {"type": "string"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}}}})),
                    "400": error_ref() } } },
            "/api/feeds": {
                "get": { "summary": "Followed feeds with their state and last error", "responses": {
                    "200": ok("Feeds", json!({"type": "array", "items": {"$ref": "#/components/schemas/Feed"}})) } },
                "post": { "summary": "Follow a feed (http or https)", "security": [{"token": []}],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "required": ["url"], "properties": {
                            "url": {"type": "string"}, "name": {"type": "string"}}}}}},
                    "responses": { "201": ok("Added", json!({"type": "object"})), "200": ok("Already followed", json!({"type": "object"})),
                        "400": error_ref(), "401": error_ref(), "403": error_ref() } } },
            "/api/feeds/{id}": { "delete": { "summary": "Stop following a feed; its items go with it", "security": [{"token": []}],
                "parameters": [id_param("Feed")],
                "responses": { "204": { "description": "Removed" }, "401": error_ref(), "403": error_ref(), "404": error_ref() } } },
            "/api/openapi.json": { "get": { "summary": "This document", "responses": { "200": ok("OpenAPI", json!({"type": "object"})) } } },
            "/feed/all.{format}": { "get": { "summary": "Full-text feed of the latest articles (Atom 1.0 or JSON Feed 1.1)",
                "parameters": [format_param.clone()], "responses": { "200": xml_or_json("Feed") } } },
            "/feed/source/{id}.{format}": { "get": { "summary": "Full-text feed of one followed feed's articles",
                "parameters": [id_param("Feed"), format_param.clone()], "responses": { "200": xml_or_json("Feed"), "404": error_ref() } } },
            "/feed/story/{id}.{format}": { "get": { "summary": "Full-text feed of one story's coverage",
                "parameters": [id_param("Story"), format_param.clone()], "responses": { "200": xml_or_json("Feed"), "404": error_ref() } } },
            "/feed/search.{format}": { "get": { "summary": "Full-text feed of a search query",
                "parameters": [format_param, param("q", "query", "Search query", json!({"type": "string"}))],
                "responses": { "200": xml_or_json("Feed"), "400": error_ref() } } }
        }
    })
}
