//! Metadata: JSON-LD, then OpenGraph/Twitter/Dublin Core `<meta>`, microdata, `<time>`, visible bylines.
//!
//! This file reads the `<meta>` tags and walks the page once ([`extract`]), then chooses each field
//! of [`Meta`] from the sources in order. The sources live in their own files: `jsonld` (JSON-LD
//! objects), `names` (author strings → names, the site's own names), `bylines` (bylines found in
//! the page), `dates` (visible dates, the modification date), `text` (entities, the text of nodes)
//! and [`dateline`] (the dateline under the headline).

mod bylines;
pub mod dateline;
mod dates;
mod jsonld;
mod names;
mod text;

pub use names::{host_label, looks_like_name, split_names};
pub use text::{find_ci, html_unescape};

use crate::date;
use crate::dom::Dom;
use bylines::{
    author_href, byline_class, byline_near_h1, class_id, has_name_child, in_navigation, maybe_byline_attr,
    name_beside_dateline, visible_byline,
};
use dates::{modified_date, visible_date};
use jsonld::{parse_ld, walk_ld, Ld};
use names::{site_named, squash, weak_author};
use std::collections::HashMap;
use text::text_of_node;

#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// JSON-LD `articleBody`, when present.
    pub article_body: Option<String>,
    /// All `<h1>` texts in document order.
    pub h1s: Vec<String>,
    pub html_title: Option<String>,
    /// The page's host without `www.` (from the page URL or the canonical URL).
    pub host: Option<String>,
}

fn meta_map(dom: &Dom) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = HashMap::new();
    for n in &dom.nodes {
        if &*n.tag != "meta" {
            continue;
        }
        let Some(content) = n.attr("content") else { continue };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = n.attr(key) {
                for k in k.split_whitespace() {
                    let k = k.to_ascii_lowercase();
                    // article:author may repeat; join repeated authors
                    if k == "article:author"
                        || k == "author"
                        || k == "dc.creator"
                        || k == "parsely-author"
                        || k == "sailthru.author"
                    {
                        m.entry(k)
                            .and_modify(|v| {
                                if !v.split('\u{1}').any(|x| x == content) {
                                    v.push('\u{1}');
                                    v.push_str(content)
                                }
                            })
                            .or_insert_with(|| content.to_string());
                    } else {
                        m.entry(k).or_insert_with(|| content.to_string());
                    }
                }
            }
        }
    }
    m
}

pub fn extract(dom: &Dom, page_url: Option<&str>) -> Meta {
    let mut lds = Vec::new();
    for raw in &dom.json_ld {
        if raw.len() > 4 * 1024 * 1024 {
            continue;
        }
        if let Some(v) = parse_ld(raw) {
            walk_ld(&v, &mut lds, 0);
        }
    }
    // JSON-LD carried in a <meta> (name="script:ld+json") by some frameworks
    for n in dom.nodes.iter().filter(|n| &*n.tag == "meta") {
        let key = n.attr("name").or(n.attr("property")).unwrap_or("");
        if key.len() >= 7 && key.to_ascii_lowercase().ends_with("ld+json") {
            if let Some(v) = n.attr("content").and_then(parse_ld) {
                walk_ld(&v, &mut lds, 0);
            }
        }
    }
    lds.sort_by_key(|(_, p)| *p);
    let ld_first = |f: &dyn Fn(&Ld) -> Option<String>| lds.iter().find_map(|(l, _)| f(l));
    let m = meta_map(dom);
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            m.get(*k)
                .map(|v| html_unescape(v.split('\u{1}').next().unwrap_or(v).trim()))
                .filter(|v| !v.is_empty())
        })
    };

    let mut out = Meta::default();

    // h1s and <title>
    let mut microdata: HashMap<&str, String> = HashMap::new();
    let mut time_dates: Vec<String> = Vec::new();
    let mut bylines: Vec<String> = Vec::new();
    let mut rel_authors: Vec<String> = Vec::new();
    let mut href_authors: Vec<String> = Vec::new();
    let mut canonical = None;
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.is_text() {
            continue;
        }
        match &*n.tag {
            "h1" if out.h1s.len() < 10 => {
                let t = text_of_node(dom, i as u32, 500);
                if !t.is_empty() {
                    out.h1s.push(t);
                }
            }
            "title" if out.html_title.is_none() => {
                let t = text_of_node(dom, i as u32, 500);
                if !t.is_empty() {
                    out.html_title = Some(t);
                }
            }
            "link" => {}
            "time" if time_dates.len() < 10 => {
                if let Some(d) = n.attr("datetime").and_then(date::normalize) {
                    time_dates.push(d);
                } else if let Some(d) = date::from_text(&text_of_node(dom, i as u32, 200)) {
                    time_dates.push(d);
                }
            }
            "a" if rel_authors.len() < 5 || href_authors.len() < 5 => {
                if n.attr("rel")
                    .map(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case("author")))
                    .unwrap_or(false)
                {
                    let t = text_of_node(dom, i as u32, 200);
                    if !t.is_empty() && t.len() < 80 {
                        rel_authors.push(t);
                    }
                } else if let Some(h) = n.attr("href") {
                    if author_href(h) && !in_navigation(dom, i, None) {
                        let t = text_of_node(dom, i as u32, 200);
                        if looks_like_name(&t) {
                            href_authors.push(t);
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(ip) = n.attr("itemprop") {
            for key in ["headline", "author", "datePublished", "dateModified", "name"] {
                if ip.split_whitespace().any(|x| x == key) && !microdata.contains_key(key) {
                    let v = if key == "author" {
                        // the author's name may be a nested itemprop=name
                        text_of_node(dom, i as u32, 200)
                    } else {
                        n.attr("content")
                            .or(n.attr("datetime"))
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| text_of_node(dom, i as u32, 300))
                    };
                    if !v.is_empty() {
                        microdata.insert(key, v);
                    }
                }
            }
        }
        if bylines.len() < 20
            && !matches!(&*n.tag, "meta" | "body" | "html" | "article" | "main" | "link")
            && maybe_byline_attr(n)
        {
            let ci = class_id(n);
            if (ci.contains("byline") || ci.contains("author") || ci.split_whitespace().any(|w| w == "fn"))
                && byline_class(&ci)
                && !has_name_child(dom, i)
            {
                let t = text_of_node(dom, i as u32, 200);
                if !t.is_empty() && t.len() < 120 {
                    bylines.push(t);
                } else if t.len() >= 120 {
                    // an author box: its first short text, when it is a name
                    let end = (dom.subtree_end(i as u32) as usize).min(i + 40);
                    if let Some(name) = dom.nodes[i + 1..end]
                        .iter()
                        .filter(|c| c.is_text() && !c.text.trim().is_empty())
                        .take(3)
                        .map(|c| c.text.trim())
                        .find(|t| looks_like_name(t) && t.contains(' '))
                    {
                        bylines.push(name.to_string());
                    }
                }
            }
        }
    }
    for n in &dom.nodes {
        if &*n.tag == "link" {
            if let (Some(rel), Some(href)) = (n.attr("rel"), n.attr("href")) {
                if rel.eq_ignore_ascii_case("canonical") && canonical.is_none() {
                    canonical = Some(href.to_string());
                }
            }
        }
    }

    // Title
    out.title = ld_first(&|l| if l.is_article { l.headline.clone() } else { None })
        .or_else(|| {
            get(&[
                "og:title",
                "twitter:title",
                "dc.title",
                "dcterms.title",
                "parsely-title",
                "sailthru.title",
            ])
        })
        .or_else(|| microdata.get("headline").cloned());
    out.title = out.title.map(|t| crate::dom::cut(t.trim(), 1000).to_string());
    // The headline element: bylines and datelines are read around it.
    let hints: Vec<&str> = out
        .title
        .iter()
        .chain(out.html_title.iter())
        .map(|s| s.as_str())
        .collect();
    let head = dateline::headline(dom, &hints);

    // Authors
    // The site's own names (an author by these names is the site, not a person).
    let host_lbl = page_url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().and_then(host_label));
    let mut sites: Vec<String> = ["og:site_name", "application-name", "twitter:site", "publisher"]
        .iter()
        .filter_map(|k| m.get(*k))
        .map(|v| squash(v.trim_start_matches('@')))
        .chain(lds.iter().filter_map(|(l, _)| l.publisher.as_deref().map(squash)))
        .chain(host_lbl)
        .filter(|s| s.len() >= 3)
        .collect();
    if let Some(t) = &out.html_title {
        if let Some(i) = t.rfind(" | ").or_else(|| t.rfind(" - ")) {
            sites.push(squash(&t[i + 3..]));
        }
    }
    let mut authors: Vec<String> = lds
        .iter()
        .filter(|(l, _)| !l.authors.is_empty())
        .min_by_key(|(l, _)| l.authors.iter().all(|a| weak_author(a, &sites)))
        .map(|(l, _)| l.authors.clone())
        .unwrap_or_default();
    let mut username: Option<String> = None;
    if authors.is_empty() {
        for key in [
            "author",
            "article:author",
            "dc.creator",
            "parsely-author",
            "sailthru.author",
            "twitter:creator",
            "byl",
        ] {
            if let Some(v) = m.get(key) {
                for part in v.split('\u{1}') {
                    if part.starts_with("http") || (key == "twitter:creator" && part.starts_with('@')) {
                        continue;
                    }
                    let p = part.trim();
                    if !p.contains(' ') && (p.chars().all(|c| !c.is_uppercase()) || p.contains('.')) {
                        if username.is_none() {
                            username = Some(p.to_string());
                        }
                        continue;
                    }
                    authors.extend(split_names(part));
                }
                if !authors.is_empty() {
                    break;
                }
            }
        }
    }
    if authors.is_empty() {
        if let Some(a) = microdata.get("author") {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        if let Some(a) = rel_authors.first() {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        for b in &bylines {
            let names: Vec<String> = split_names(b).into_iter().filter(|n| looks_like_name(n)).collect();
            if !names.is_empty() {
                authors = names;
                break;
            }
        }
    }
    if authors.is_empty() {
        if let Some(a) = href_authors.first() {
            authors = split_names(a);
        }
    }
    if authors.is_empty() {
        authors = visible_byline(dom, head);
    }
    if authors.is_empty() {
        authors.extend(name_beside_dateline(dom, head, &sites));
    }
    if authors.is_empty() {
        // "Written by Jane Doe" anywhere (author boxes at the end of the article)
        let mut label = false;
        for n in dom.nodes.iter().filter(|n| n.is_text()).take(100_000) {
            let t = n.text.trim();
            if t.is_empty() {
                continue;
            }
            if label && looks_like_name(t) && t.contains(' ') {
                authors = split_names(t);
                break;
            }
            if t.len() >= 70 {
                label = false;
                continue;
            }
            let l = t.to_ascii_lowercase();
            label = matches!(
                l.trim_end_matches([':', ' ']),
                "written by" | "posted by" | "article by" | "author" | "about the author" | "words by"
            );
            {
                if l.starts_with("written by ") || l.starts_with("posted by ") || l.starts_with("article by ") {
                    let names: Vec<String> = split_names(t).into_iter().filter(|x| looks_like_name(x)).collect();
                    if !names.is_empty() {
                        authors = names;
                        break;
                    }
                }
            }
        }
    }
    if authors.is_empty() {
        if let Some(org) = lds.iter().find_map(|(l, _)| l.org_authors.first().cloned()) {
            authors = vec![org];
        } else if let Some(u) = username {
            authors = vec![u];
        }
    }
    // An author that is the site itself (or its staff account) gives way to a person named in a
    // visible byline.
    if !authors.is_empty() && authors.iter().all(|a| weak_author(a, &sites)) {
        let person = byline_near_h1(dom, head)
            .into_iter()
            .find(|n| looks_like_name(n) && !weak_author(n, &sites) && n.contains(' '));
        if let Some(p) = person {
            authors = vec![p];
        }
    }
    // Beside people, the site's own name in a byline is not an author ("Jane Doe and The Herald").
    if authors.len() > 1 && authors.iter().any(|a| !site_named(a, &sites)) {
        authors.retain(|a| !site_named(a, &sites));
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));
    authors.truncate(12);
    out.authors = authors;

    // Dates: a date in the URL, then the dateline a reader sees under the headline, then metadata.
    let lines = head.map(|h| dateline::find(dom, h)).unwrap_or_default();
    let meta_pub = ld_first(&|l| l.published.as_deref().and_then(date::normalize))
        .or_else(|| {
            [
                "article:published_time",
                "og:published_time",
                "published_time",
                "datepublished",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "dcterms.date",
                "pubdate",
                "publishdate",
                "publish-date",
                "parsely-pub-date",
                "sailthru.date",
                "article.published",
                "citation_publication_date",
                "citation_date",
                "date.available",
            ]
            .iter()
            .find_map(|k| m.get(*k).and_then(|v| date::normalize(v)))
        })
        .or_else(|| microdata.get("datePublished").and_then(|v| date::normalize(v)))
        .or_else(|| {
            // any other date-like meta key
            let mut keys: Vec<&String> = m
                .keys()
                .filter(|k| {
                    (k.contains("date") || k.contains("publish")) && !k.contains("modif") && !k.contains("update")
                })
                .collect();
            keys.sort();
            keys.iter().find_map(|k| m.get(*k).and_then(|v| date::normalize(v)))
        });
    let modified = modified_date(&lds, &m, &microdata);
    let page_dates = dateline::scan_page(dom);
    out.published = page_url
        .and_then(date::from_url)
        .or(page_dates.original)
        .or_else(|| {
            lines
                .published
                .as_deref()
                .map(|d| dateline::reconcile(d, meta_pub.as_deref(), modified.as_deref()))
        })
        .or(page_dates.labelled)
        .or(meta_pub)
        .or_else(|| time_dates.first().cloned())
        .or_else(|| visible_date(dom, head))
        .or_else(|| bylines.iter().find_map(|b| date::from_text(b)))
        .or_else(|| modified.clone())
        .or(page_dates.first);
    out.modified = modified;

    // Other fields
    out.language = dom
        .nodes
        .iter()
        .find(|n| &*n.tag == "html")
        .and_then(|n| n.attr("lang"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.len() < 20)
        .or_else(|| get(&["og:locale", "content-language", "dc.language", "language"]).map(|s| s.replace('_', "-")))
        .or_else(|| ld_first(&|l| l.language.clone()));
    out.site_name = get(&["og:site_name", "application-name", "publisher", "twitter:site"])
        .map(|s| s.trim_start_matches('@').to_string())
        .or_else(|| ld_first(&|l| l.publisher.clone()));
    out.image = get(&[
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| ld_first(&|l| l.image.clone()));
    out.description = get(&["og:description", "description", "twitter:description", "dc.description"])
        .or_else(|| ld_first(&|l| l.description.clone()));
    out.url = canonical
        .or_else(|| get(&["og:url"]))
        .or_else(|| ld_first(&|l| l.url.clone()));
    out.host = page_url
        .or(out.url.as_deref())
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase()));
    out.article_body = lds.iter().filter_map(|(l, _)| l.body.clone()).max_by_key(|b| b.len());
    out
}
