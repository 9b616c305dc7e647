//! The API, feeds out and pages of `newsdesk serve`, over real HTTP on loopback, against a store filled by the
//! real pipeline from the offline example.

mod serve_common;

use serde_json::Value;
use serve_common::{offline_desk, serve, Desk, Server, TOKEN};

struct Fixture {
    desk: Desk,
    server: Server,
    http: reqwest::Client,
}

fn fixture() -> Fixture {
    let desk = offline_desk();
    let server = serve(&desk, &[]);
    Fixture {
        desk,
        server,
        http: reqwest::Client::new(),
    }
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request")
    }

    async fn json(&self, path: &str, status: u16) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status().as_u16(), status, "GET {path}");
        body_json(res).await
    }

    async fn text(&self, path: &str, status: u16) -> String {
        let res = self.get(path).await;
        assert_eq!(res.status().as_u16(), status, "GET {path}");
        res.text().await.expect("body")
    }
}

async fn body_json(res: reqwest::Response) -> Value {
    let text = res.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn articles_stories_search_and_status() {
    let f = fixture();

    let list = f.json("/api/articles", 200).await;
    let arts = &list["articles"];
    assert_eq!(arts.as_array().map(Vec::len), Some(4), "{list}");
    assert_eq!(list["limit"], 20);
    assert!(list["next_offset"].is_null());
    let t = titles(arts);
    assert!(t.iter().any(|t| t.contains("tidal power plant")), "{t:?}");

    // Paging and filters.
    let one = f.json("/api/articles?limit=1&offset=1", 200).await;
    assert_eq!(one["articles"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["next_offset"], 2);
    let daily = f.json("/api/articles?outlet=The%20Example%20Daily", 200).await;
    assert_eq!(titles(&daily["articles"]).len(), 1, "{daily}");
    let by_feed = f.json("/api/articles?feed=2", 200).await;
    assert_eq!(titles(&by_feed["articles"]).len(), 1, "{by_feed}");
    let none = f.json("/api/articles?since=2030-01-01", 200).await;
    assert_eq!(titles(&none["articles"]).len(), 0);
    let err = f.json("/api/articles?limit=1000", 400).await;
    assert!(err["error"].as_str().unwrap_or("").contains("at most 100"), "{err}");
    let err = f.json("/api/articles?since=soon", 400).await;
    assert!(err["error"].as_str().unwrap_or("").contains("not a date"), "{err}");

    // One article: sanitized HTML and the feeds it came from.
    let id = arts[0]["id"].as_i64().expect("id");
    let a = f.json(&format!("/api/articles/{id}"), 200).await;
    assert_eq!(a["id"], id);
    assert!(!a["text"].as_str().unwrap_or("").is_empty());
    assert!(a["feeds"].as_array().is_some_and(|v| !v.is_empty()), "{a}");
    let hostile = f.desk.hostile_id();
    let h = f.json(&format!("/api/articles/{hostile}"), 200).await;
    let html = h["html"].as_str().expect("html").to_ascii_lowercase();
    assert!(html.contains("harmless paragraph one"), "{html}");
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "<meta",
        "<iframe",
        "<form",
        "<style",
    ] {
        assert!(!html.contains(bad), "{bad} served in {html}");
    }
    let e = f.json("/api/articles/999999", 404).await;
    assert!(e["error"].as_str().unwrap_or("").contains("999999"));
    f.json("/api/articles/abc", 400).await;

    // Stories.
    let stories = f.json("/api/stories", 200).await;
    let list = stories["stories"].as_array().expect("stories");
    assert!(list.len() >= 2, "{stories}");
    let tidal = list
        .iter()
        .find(|s| s["article_count"] == 2)
        .expect("the two tidal articles make one story");
    let sid = tidal["id"].as_str().expect("story id");
    let story = f.json(&format!("/api/stories/{sid}"), 200).await;
    assert_eq!(story["story"]["id"], sid);
    assert_eq!(story["articles"].as_array().map(Vec::len), Some(2));
    f.json("/api/stories/no-such-story", 404).await;

    // Search: BM25 order, highlights, phrases, NOT, prefixes, accents, filters, errors.
    let s = f.json("/api/search?q=tidal", 200).await;
    let results = s["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{s}");
    assert!(results[0]["snippet"].as_str().unwrap_or("").contains("<mark>"), "{s}");
    assert!(results[0]["score"].as_f64().is_some());
    let accents = f.json("/api/search?q=T%C3%8DDAL", 200).await;
    assert_eq!(
        accents["results"].as_array().map(Vec::len),
        Some(2),
        "accents and case folded"
    );
    let phrase = f.json("/api/search?q=%22tidal%20power%20plant%22", 200).await;
    assert!(!phrase["results"].as_array().expect("results").is_empty());
    let not = f.json("/api/search?q=tidal%20-coastal", 200).await;
    assert_eq!(not["results"].as_array().map(Vec::len), Some(1), "{not}");
    let or = f.json("/api/search?q=inflation%20OR%20festival", 200).await;
    assert_eq!(or["results"].as_array().map(Vec::len), Some(2), "{or}");
    let prefix = f.json("/api/search?q=infla*", 200).await;
    assert_eq!(prefix["results"].as_array().map(Vec::len), Some(1), "{prefix}");
    let outlet = f.json("/api/search?q=tidal%20outlet:%22Example%20Wire%22", 200).await;
    assert_eq!(outlet["results"].as_array().map(Vec::len), Some(1), "{outlet}");
    let tricky = f.json("/api/search?q=NEAR(tidal%20power)%20%5E*", 200).await;
    assert!(
        tricky["results"].is_array(),
        "FTS5 syntax in user text is only text: {tricky}"
    );
    let bad = f.json("/api/search?q=(tidal", 400).await;
    assert!(bad["error"].as_str().unwrap_or("").contains("never closed"), "{bad}");
    f.json("/api/search?q=", 400).await;

    let status = f.json("/api/status", 200).await;
    assert_eq!(status["status"]["articles"], 4, "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_are_managed_with_the_token_only() {
    let f = fixture();
    let feeds = f.json("/api/feeds", 200).await;
    assert_eq!(feeds.as_array().map(Vec::len), Some(2));
    let add = |token: Option<&str>, body: Value| {
        let mut req = f
            .http
            .post(f.url("/api/feeds"))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let body = serde_json::json!({ "url": "https://news.example/feed.xml", "name": "News" });
    assert_eq!(add(None, body.clone()).await.expect("post").status().as_u16(), 401);
    assert_eq!(
        add(Some("wrong"), body.clone()).await.expect("post").status().as_u16(),
        401
    );
    let created = add(Some(TOKEN), body.clone()).await.expect("post");
    assert_eq!(created.status().as_u16(), 201);
    let id = body_json(created).await["id"].as_i64().expect("id");
    assert_eq!(add(Some(TOKEN), body).await.expect("post").status().as_u16(), 200);
    let local = add(Some(TOKEN), serde_json::json!({ "url": "file:///etc/passwd" }))
        .await
        .expect("post");
    assert_eq!(local.status().as_u16(), 400, "no local files over the network");
    let broken = f
        .http
        .post(f.url("/api/feeds"))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(broken.status().as_u16(), 400);
    assert_eq!(f.json("/api/feeds", 200).await.as_array().map(Vec::len), Some(3));

    let del = |token: Option<&str>, id: i64| {
        let mut req = f.http.delete(f.url(&format!("/api/feeds/{id}")));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(del(None, id).await.expect("delete").status().as_u16(), 401);
    assert_eq!(del(Some(TOKEN), id).await.expect("delete").status().as_u16(), 204);
    assert_eq!(del(Some(TOKEN), id).await.expect("delete").status().as_u16(), 404);

    // The same through the page's forms (no JavaScript: plain POSTs, then a redirect).
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = no_redirect
        .post(f.url("/feeds/add"))
        .form(&[("url", "https://other.example/rss"), ("name", ""), ("token", "nope")])
        .send()
        .await
        .expect("post form");
    assert_eq!(res.status().as_u16(), 401);
    let res = no_redirect
        .post(f.url("/feeds/add"))
        .form(&[
            ("url", "https://other.example/rss"),
            ("name", "Other"),
            ("token", TOKEN),
        ])
        .send()
        .await
        .expect("post form");
    assert_eq!(res.status().as_u16(), 303);
    let page = f.text("/feeds?done=added", 200).await;
    assert!(
        page.contains("https://other.example/rss") && page.contains("Feed added"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn write_actions_are_refused_without_a_configured_token() {
    let desk = offline_desk();
    let text = std::fs::read_to_string(desk.config()).expect("config");
    std::fs::write(desk.config(), text.replace(&format!("token = \"{TOKEN}\""), "")).expect("config");
    let server = serve(&desk, &[]);
    let res = reqwest::Client::new()
        .post(format!("{}/api/feeds", server.base))
        .bearer_auth("")
        .header("content-type", "application/json")
        .body(serde_json::json!({ "url": "https://a.example/" }).to_string())
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 403);
    let body = body_json(res).await;
    assert!(body["error"].as_str().unwrap_or("").contains("token"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_path_answers() {
    let f = fixture();
    let doc = f.json("/api/openapi.json", 200).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let article = f.desk.hostile_id().to_string();
    let stories = f.json("/api/stories", 200).await;
    let story = stories["stories"][0]["id"].as_str().expect("story").to_string();
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12, "{}", paths.len());
    for (path, ops) in paths {
        for method in ops.as_object().expect("operations").keys() {
            if method != "get" {
                continue;
            }
            let concrete = path
                .replace("/articles/{id}", &format!("/articles/{article}"))
                .replace("/stories/{id}", &format!("/stories/{story}"))
                .replace("/story/{id}", &format!("/story/{story}"))
                .replace("/source/{id}", "/source/1")
                .replace("{format}", "atom");
            assert!(!concrete.contains('{'), "unfilled parameter in {concrete}");
            let concrete = if concrete.contains("search") {
                format!("{concrete}?q=tidal")
            } else {
                concrete
            };
            let res = f.get(&concrete).await;
            assert_eq!(res.status().as_u16(), 200, "documented GET {path} ({concrete})");
        }
    }
    // And the routes that are not GET are documented too.
    assert!(paths["/api/feeds"]["post"].is_object());
    assert!(paths["/api/feeds/{id}"]["delete"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn responses_carry_security_headers_and_no_cors_unless_configured() {
    let f = fixture();
    for path in ["/", "/api/articles", "/feed/all.atom", "/static/style.css", "/nowhere"] {
        let res = f
            .http
            .get(f.url(path))
            .header("Origin", "https://elsewhere.example")
            .send()
            .await
            .expect("get");
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("script-src"), "{path}: no script source at all: {csp}");
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        assert!(h.get("referrer-policy").is_some(), "{path}");
        assert!(
            h.get("access-control-allow-origin").is_none(),
            "{path}: CORS not configured"
        );
    }

    // With an allowed origin configured, that origin (and only it) gets CORS headers.
    let text = std::fs::read_to_string(f.desk.config()).expect("config");
    std::fs::write(
        f.desk.config(),
        text.replace("[serve]\n", "[serve]\ncors_origins = [\"https://reader.example\"]\n"),
    )
    .expect("config");
    let server = serve(&f.desk, &[]);
    let get = |origin: &'static str| {
        f.http
            .get(format!("{}/api/articles", server.base))
            .header("Origin", origin)
            .send()
    };
    let ok = get("https://reader.example").await.expect("get");
    assert_eq!(
        ok.headers().get("access-control-allow-origin").map(|v| v.as_bytes()),
        Some(&b"https://reader.example"[..])
    );
    let other = get("https://elsewhere.example").await.expect("get");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_render_without_javascript() {
    let f = fixture();
    let front = f.text("/", 200).await;
    assert!(
        front.contains("Today&#39;s stories") || front.contains("Today's stories"),
        "{front}"
    );
    assert!(front.contains("tidal power plant"), "{front}");
    assert!(front.contains("<main id=\"main\""));
    assert!(!front.to_ascii_lowercase().contains("<script"), "no script on any page");

    let search = f.text("/search?q=tidal", 200).await;
    assert!(search.contains("<mark>"), "{search}");
    let paged = f.text("/search?q=tidal&page=2", 200).await;
    assert!(
        paged.contains("Nothing found") && paged.contains("rel=\"prev\""),
        "{paged}"
    );
    let bad = f.text("/search?q=%22open", 400).await;
    assert!(bad.contains("never closed"), "{bad}");
    // The query is echoed escaped, never as markup.
    let xss = f.text("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 200).await;
    assert!(!xss.contains("<script>alert(1)"), "{xss}");

    let hostile = f.desk.hostile_id();
    let page = f.text(&format!("/article/{hostile}"), 200).await;
    assert!(page.contains("Harmless paragraph one"));
    let lower = page.to_ascii_lowercase();
    for bad in [
        "<script",
        "onerror=",
        "onclick=",
        "javascript:",
        "http-equiv=\"refresh",
        "<iframe",
    ] {
        assert!(!lower.contains(bad), "{bad} in the article page");
    }
    let feeds = f.text("/feeds", 200).await;
    assert!(
        feeds.contains("Example wire (RSS)") && feeds.contains("name=\"token\""),
        "{feeds}"
    );
    f.text("/article/999999", 404).await;
    f.text("/story/none", 404).await;
    let css = f.get("/static/style.css").await;
    assert_eq!(
        css.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"text/css; charset=utf-8"[..])
    );
}

/// The element names of an XML document with their text, flattened, for checking required elements.
fn xml_elements(xml: &str) -> Vec<(Vec<String>, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                stack.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                out.push((stack.clone(), String::new()));
            }
            Event::Empty(e) => {
                let mut path = stack.clone();
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                out.push((path, String::new()));
            }
            Event::Text(t) => {
                if let Some(last) = out.last_mut() {
                    if last.0 == stack {
                        last.1.push_str(&t.unescape().expect("text"));
                    }
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn full_text_feeds_parse_back_with_required_elements() {
    let f = fixture();
    let stories = f.json("/api/stories", 200).await;
    let story = stories["stories"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["article_count"] == 2))
        .and_then(|s| s["id"].as_str())
        .expect("tidal story")
        .to_string();
    for (path, entries) in [
        ("/feed/all.atom".to_string(), 4),
        ("/feed/source/2.atom".to_string(), 1),
        (format!("/feed/story/{story}.atom"), 2),
        ("/feed/search.atom?q=festival".to_string(), 1),
    ] {
        let res = f.get(&path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert!(res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/atom+xml")));
        let xml = res.text().await.expect("body");
        let els = xml_elements(&xml);
        let has = |p: &[&str]| {
            els.iter()
                .any(|(path, _)| path.iter().map(String::as_str).eq(p.iter().copied()))
        };
        for required in [
            &["feed", "id"][..],
            &["feed", "title"],
            &["feed", "updated"],
            &["feed", "author", "name"],
        ] {
            assert!(has(required), "{path}: missing {required:?}");
        }
        let n = els.iter().filter(|(p, _)| p == &["feed", "entry"]).count();
        assert_eq!(n, entries, "{path}");
        for required in [
            &["feed", "entry", "id"][..],
            &["feed", "entry", "title"],
            &["feed", "entry", "updated"],
            &["feed", "entry", "content"],
        ] {
            let count = els
                .iter()
                .filter(|(p, _)| p.iter().map(String::as_str).eq(required.iter().copied()))
                .count();
            assert_eq!(count, entries, "{path}: every entry has {required:?}");
        }
        for (p, text) in &els {
            if p.last().map(String::as_str) == Some("updated") {
                assert!(
                    chrono::DateTime::parse_from_rfc3339(text).is_ok(),
                    "{path}: updated {text:?}"
                );
            }
            if p.last().map(String::as_str) == Some("content") {
                let lower = text.to_ascii_lowercase();
                assert!(
                    !lower.contains("<script") && !lower.contains("onerror"),
                    "{path}: {text}"
                );
            }
        }
        // The project's own parser reads it back.
        let parsed = newsdesk_feeds::parse(xml.as_bytes(), Some(&f.url(&path)), Some("application/atom+xml"));
        let parsed = parsed.expect("newsdesk-feeds parses the Atom feed");
        assert_eq!(parsed.items.len(), entries, "{path}");
        assert!(
            parsed
                .items
                .iter()
                .all(|i| i.content.as_deref().is_some_and(|c| !c.is_empty())),
            "{path}"
        );
    }

    let res = f.get("/feed/all.json").await;
    assert!(res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/feed+json")));
    let feed: Value = body_json(res).await;
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].is_string() && feed["feed_url"].is_string());
    let items = feed["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    for item in items {
        assert!(item["id"].is_string(), "{item}");
        assert!(item["content_html"].as_str().is_some_and(|c| !c.is_empty()), "{item}");
        assert!(!item["content_html"].as_str().unwrap_or("").contains("<script"));
    }
    let story_json = body_json(f.get(&format!("/feed/story/{story}.json")).await).await;
    assert_eq!(story_json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(f.get("/feed/all.rss").await.status().as_u16(), 404);
    assert_eq!(f.get("/feed/source/999.atom").await.status().as_u16(), 404);
    assert_eq!(f.get("/feed/search.atom").await.status().as_u16(), 400);
}

#[test]
fn search_command_and_loopback_guard() {
    let desk = offline_desk();
    let out = desk.run(&["search", "tidal", "--json", "--limit", "5"]);
    let hits: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(hits.len(), 2, "{out}");
    assert!(hits[0]["snippet"]
        .as_str()
        .is_some_and(|s| s.to_lowercase().contains("tidal")));
    let text = desk.run(&["search", "title:harbour"]);
    assert!(text.contains("Harbour festival"), "{text}");

    let bad = std::process::Command::new(serve_common::bin())
        .arg("--config")
        .arg(desk.config())
        .args(["search", "(tidal"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("never closed"));

    let public = std::process::Command::new(serve_common::bin())
        .arg("--config")
        .arg(desk.config())
        .args(["serve", "--addr", "0.0.0.0:0"])
        .output()
        .expect("run");
    assert!(!public.status.success());
    assert!(String::from_utf8_lossy(&public.stderr).contains("not a loopback address"));
}

/// Every API error is JSON with its status, also the ones the router answers by itself; offsets out of range
/// are a 400, not a 500.
#[tokio::test(flavor = "multi_thread")]
async fn api_errors_are_json_and_offsets_are_bounded() {
    let f = fixture();
    for (path, status) in [
        ("/api/articles?offset=18446744073709551615", 400),
        ("/api/search?q=tidal&offset=18446744073709551615", 400),
        ("/api/stories?offset=18446744073709551615", 400),
        ("/api/articles?limit=many", 400),
        ("/api/articles/not-a-number", 400),
        ("/api/no-such-endpoint", 404),
    ] {
        let v = f.json(path, status).await;
        assert_eq!(v["status"], status, "{path}: {v}");
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{path}: {v}");
    }
    let v = f.json("/api/articles?offset=1099511627776", 200).await;
    assert_eq!(v["articles"].as_array().map(Vec::len), Some(0), "{v}");
    let text = f.text("/search?q=tidal&page=18446744073709551615", 200).await;
    assert!(text.contains("Search"));
}
