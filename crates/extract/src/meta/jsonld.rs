//! JSON-LD: the article (or page) objects of a page's `ld+json` blocks, flattened into [`Ld`]
//! records (headline, authors, dates, image, publisher…).

use super::names::split_names;
use super::text::html_unescape;
use serde_json::Value;

#[derive(Default, Debug)]
pub(super) struct Ld {
    pub(super) headline: Option<String>,
    pub(super) authors: Vec<String>,
    pub(super) org_authors: Vec<String>,
    pub(super) published: Option<String>,
    pub(super) modified: Option<String>,
    pub(super) image: Option<String>,
    pub(super) description: Option<String>,
    pub(super) publisher: Option<String>,
    pub(super) language: Option<String>,
    pub(super) url: Option<String>,
    pub(super) body: Option<String>,
    pub(super) is_article: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "liveblogposting",
    "socialmediaposting",
    "posting",
    "report",
    "advertisercontentarticle",
    "satiricalarticle",
    "medicalscholarlyarticle",
];

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = html_unescape(s.trim());
            (!t.is_empty()).then_some(t)
        }
        Value::Array(a) => a.iter().find_map(str_of),
        Value::Object(o) => o.get("name").or_else(|| o.get("@value")).and_then(str_of),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(url_of),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .or_else(|| o.get("@id"))
            .and_then(url_of),
        _ => None,
    }
}

fn names_of(v: &Value, out: &mut Vec<String>, orgs: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            for n in split_names(s) {
                out.push(n);
            }
        }
        Value::Array(a) => a.iter().take(20).for_each(|x| names_of(x, out, orgs)),
        Value::Object(o) => {
            if types_of(o)
                .iter()
                .any(|t| t.contains("organization") || t == "corporation")
            {
                if let Some(n) = o.get("name").and_then(str_of) {
                    orgs.push(n);
                }
                return;
            }
            if let Some(n) = o.get("name").and_then(str_of) {
                for n in split_names(&n) {
                    out.push(n);
                }
            } else if let (Some(g), Some(f)) = (
                o.get("givenName").and_then(str_of),
                o.get("familyName").and_then(str_of),
            ) {
                out.push(format!("{g} {f}"));
            }
        }
        _ => {}
    }
}

fn types_of(o: &serde_json::Map<String, Value>) -> Vec<String> {
    match o.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(|s| s.to_ascii_lowercase()))
            .collect(),
        _ => vec![],
    }
}

pub(super) fn walk_ld(v: &Value, lds: &mut Vec<(Ld, u8)>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().take(200).for_each(|x| walk_ld(x, lds, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                walk_ld(g, lds, depth + 1);
            }
            let types = types_of(o);
            let is_article = types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()));
            let is_page = types.iter().any(|t| {
                t.ends_with("page") || t == "recipe" || t == "howto" || t == "product" || t == "event" || t == "review"
            });
            if is_article || is_page {
                let mut ld = Ld {
                    is_article,
                    ..Default::default()
                };
                ld.headline = o
                    .get("headline")
                    .and_then(str_of)
                    .or_else(|| o.get("name").and_then(str_of));
                if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
                    names_of(a, &mut ld.authors, &mut ld.org_authors);
                }
                ld.published = o.get("datePublished").or_else(|| o.get("dateCreated")).and_then(str_of);
                ld.modified = o.get("dateModified").and_then(str_of);
                ld.image = o.get("image").or_else(|| o.get("thumbnailUrl")).and_then(url_of);
                ld.description = o.get("description").and_then(str_of);
                ld.publisher = o.get("publisher").and_then(|p| match p {
                    Value::Object(po) => po.get("name").and_then(str_of),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                });
                ld.language = o.get("inLanguage").and_then(str_of);
                ld.url = o
                    .get("url")
                    .and_then(url_of)
                    .or_else(|| o.get("mainEntityOfPage").and_then(url_of));
                ld.body = o.get("articleBody").and_then(|b| b.as_str().map(|s| s.to_string()));
                lds.push((ld, if is_article { 0 } else { 1 }));
            }
            if let Some(me) = o.get("mainEntity") {
                walk_ld(me, lds, depth + 1);
            }
        }
        _ => {}
    }
}

pub(super) fn parse_ld(raw: &str) -> Option<Value> {
    let t = raw.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
    let t = t.trim_end_matches(';');
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    // Common breakage: raw control characters inside strings.
    let cleaned: String = t.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    serde_json::from_str(&cleaned).ok()
}
