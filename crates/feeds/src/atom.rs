//! Atom 0.3 and 1.0 trees into the item model.

use crate::authors::author_name;
use crate::dates::parse_date;
use crate::fields::{atom_html, atom_text, feed_image, first, image, plain_text, url_attr, Unique};
use crate::xml::Element;
use crate::{FeedMeta, Item, ItemSource};

/// Atom elements, namespaced or (in feeds that forgot the namespace) not.
const A: &[&str] = &["atom", ""];
const DC: &[&str] = &["dc"];

pub(crate) fn map(feed: &Element) -> (FeedMeta, Vec<Item>) {
    let meta = FeedMeta {
        title: first(feed, &[(A, "title"), (DC, "title")])
            .map(atom_text)
            .unwrap_or_default(),
        link: alternate_link(feed),
        description: first(feed, &[(A, "subtitle"), (A, "tagline"), (A, "info")]).and_then(atom_html),
        language: feed
            .lang
            .as_deref()
            .map(str::to_string)
            .or_else(|| first(feed, &[(DC, "language")]).map(|l| l.text().trim().to_string())),
        updated: first(feed, &[(A, "updated"), (A, "modified"), (DC, "date")]).and_then(|d| parse_date(&d.text())),
        ttl_minutes: None,
        id: first(feed, &[(A, "id")])
            .map(|i| i.text().trim().to_string())
            .filter(|i| !i.is_empty()),
        authors: authors(feed),
        image: feed_image(feed),
    };
    let mut entries: Vec<&Element> = feed.children_named(A, "entry").collect();
    if entries.is_empty() {
        entries = feed.outermost_named("entry");
    }
    (meta, entries.into_iter().map(entry).collect())
}

/// The entry's or feed's web page: `rel="alternate"` (the default rel), HTML preferred, else any link
/// that is not the feed itself or an enclosure.
fn alternate_link(el: &Element) -> Option<String> {
    let links: Vec<&Element> = el.children_named(A, "link").collect();
    let rel = |l: &Element| {
        l.attr("rel")
            .map_or_else(|| "alternate".to_string(), |r| r.trim().to_ascii_lowercase())
    };
    let html = |l: &Element| l.attr("type").is_none_or(|t| t.contains("html"));
    links
        .iter()
        .find(|l| rel(l) == "alternate" && html(l))
        .or_else(|| links.iter().find(|l| rel(l) == "alternate"))
        .or_else(|| {
            links
                .iter()
                .find(|l| !matches!(rel(l).as_str(), "self" | "enclosure" | "edit" | "replies" | "hub"))
        })
        .and_then(|l| url_attr(l, "href").or_else(|| crate::fields::url_text(l)))
}

fn person(a: &Element) -> Option<String> {
    if !a.has_element_children() {
        return author_name(&plain_text(a));
    }
    a.child(A, "name")
        .map(atom_text)
        .filter(|n| !n.is_empty())
        .or_else(|| a.child(A, "email").map(|e| e.text().trim().to_string()))
        .filter(|n| !n.is_empty())
}

/// The `<author>`s (and `dc:creator`s) of a feed or entry, as names.
fn authors(el: &Element) -> Vec<String> {
    let mut authors = Unique::default();
    for a in el.children_named(A, "author").chain(el.children_named(DC, "creator")) {
        authors.push(person(a));
    }
    authors.into_vec()
}

fn entry(el: &Element) -> Item {
    let guid = first(el, &[(A, "id"), (A, "guid")]).map(|i| i.text().trim().to_string());
    let mut categories = Unique::default();
    for c in el.children_named(A, "category") {
        let term = c.attr("term").or_else(|| c.attr("label")).map(str::to_string);
        categories.push(term.or_else(|| Some(plain_text(c))));
    }
    for c in el.children_named(DC, "subject") {
        categories.push(Some(plain_text(c)));
    }
    let source = el.child(A, "source").map(|s| ItemSource {
        title: s.child(A, "title").map(atom_text).unwrap_or_default(),
        url: alternate_link(s),
    });
    Item {
        id: String::new(),
        title: first(el, &[(A, "title"), (DC, "title")])
            .map(atom_text)
            .unwrap_or_default(),
        link: alternate_link(el),
        published: first(el, &[(A, "published"), (A, "issued"), (A, "created"), (DC, "date")])
            .and_then(|d| parse_date(&d.text())),
        updated: first(el, &[(A, "updated"), (A, "modified")]).and_then(|d| parse_date(&d.text())),
        summary: first(el, &[(A, "summary")]).and_then(atom_html),
        content: first(el, &[(A, "content")]).and_then(atom_html),
        authors: authors(el),
        categories: categories.into_vec(),
        image: image(el),
        source,
    }
    .with_guid(guid)
}
