//! RSS 0.9x, 1.0 (RDF) and 2.0 trees into the item model.

use crate::authors::author_name;
use crate::dates::parse_date;
use crate::fields::{atom_html, feed_image, first, html_field, image, plain_text, url_attr, url_text, Unique};
use crate::xml::Element;
use crate::{FeedMeta, Item, ItemSource};

const RSS: &[&str] = &[""];
const ATOM: &[&str] = &["atom"];
const DC: &[&str] = &["dc"];
const DCTERMS: &[&str] = &["dcterms"];

/// Maps an `<rss>`, `<rdf:RDF>` or bare `<channel>` root.
pub(crate) fn map(root: &Element) -> (FeedMeta, Vec<Item>) {
    // A document without <channel> gets its channel fields from the root.
    let channel = root.child(RSS, "channel").unwrap_or(root);
    let meta = meta(channel, root);
    let mut item_elements: Vec<&Element> = channel.children_named(RSS, "item").collect();
    if !std::ptr::eq(channel, root) {
        // RSS 0.90 and 1.0 put items beside the channel (and a channel closed too early does the same).
        item_elements.extend(root.children_named(RSS, "item"));
    }
    if item_elements.is_empty() {
        item_elements = root.outermost_named("item");
    }
    (meta, item_elements.into_iter().map(item).collect())
}

fn meta(channel: &Element, root: &Element) -> FeedMeta {
    let title = first(channel, &[(RSS, "title"), (DC, "title"), (ATOM, "title")])
        .map(plain_text)
        .unwrap_or_default();
    let link = first(channel, &[(RSS, "link")])
        .and_then(url_text)
        .or_else(|| alternate_link(channel))
        .or_else(|| {
            channel
                .attr("about")
                .map(str::to_string)
                .filter(|a| a.starts_with("http"))
        });
    let description = first(
        channel,
        &[
            (RSS, "description"),
            (DC, "description"),
            (&["itunes"], "summary"),
            (&["itunes"], "subtitle"),
        ],
    )
    .and_then(html_field);
    let language = first(channel, &[(RSS, "language"), (DC, "language")])
        .map(|l| l.text().trim().to_string())
        .or_else(|| root.lang.as_deref().or(channel.lang.as_deref()).map(str::to_string));
    let updated = first(
        channel,
        &[
            (RSS, "lastbuilddate"),
            (RSS, "pubdate"),
            (DC, "date"),
            (ATOM, "updated"),
        ],
    )
    .and_then(|d| parse_date(&d.text()));
    let ttl_minutes = channel.child(RSS, "ttl").and_then(|t| t.text().trim().parse().ok());
    let id = first(channel, &[(ATOM, "id")])
        .map(|i| i.text().trim().to_string())
        .filter(|i| !i.is_empty());
    // The channel's people: its editor and creators. `webMaster` is whoever runs the server, no author.
    let mut authors = Unique::default();
    for a in channel.elements() {
        let name = match (a.prefix.as_str(), a.local.as_str()) {
            ("", "managingeditor") | ("dc", "creator") | ("itunes", "author") => author_name(&plain_text(a)),
            ("atom", "author") => a
                .child(ATOM, "name")
                .map(plain_text)
                .filter(|n| !n.is_empty())
                .or_else(|| a.child(ATOM, "email").map(|e| e.text().trim().to_string())),
            _ => None,
        };
        authors.push(name);
    }
    FeedMeta {
        title,
        link,
        description,
        language,
        updated,
        ttl_minutes,
        id,
        authors: authors.into_vec(),
        image: feed_image(channel),
    }
}

/// `<atom:link rel="alternate" href>` (or an RSS `<link href>`), for feeds that give no `<link>` text.
fn alternate_link(el: &Element) -> Option<String> {
    el.children_named(&["atom", ""], "link")
        .filter(|l| l.attr("rel").is_none_or(|r| r.eq_ignore_ascii_case("alternate")))
        .find_map(|l| url_attr(l, "href"))
}

fn item(el: &Element) -> Item {
    let title = first(
        el,
        &[(RSS, "title"), (DC, "title"), (ATOM, "title"), (&["media"], "title")],
    )
    .map(plain_text)
    .unwrap_or_default();
    let guid_el = first(el, &[(RSS, "guid")]);
    let guid = guid_el
        .map(|g| g.text().trim().to_string())
        .or_else(|| el.attr("about").map(str::to_string))
        .or_else(|| first(el, &[(ATOM, "id"), (DC, "identifier")]).map(|i| i.text().trim().to_string()));
    let guid_is_link = guid_el.is_some_and(|g| {
        g.attr("ispermalink")
            .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"))
    });
    let link = first(el, &[(RSS, "link")])
        .and_then(url_text)
        .or_else(|| alternate_link(el))
        .or_else(|| {
            guid_el
                .filter(|_| guid_is_link)
                .and_then(url_text)
                .filter(|g| g.starts_with("http"))
        });
    let summary = first(
        el,
        &[
            (RSS, "description"),
            (DC, "description"),
            (&["itunes"], "summary"),
            (ATOM, "summary"),
        ],
    )
    .and_then(rss_or_atom_html)
    .or_else(|| media_description(el));
    let content = first(
        el,
        &[(&["content"], "encoded"), (&["xhtml"], "body"), (ATOM, "content")],
    )
    .and_then(rss_or_atom_html);
    let published = first(
        el,
        &[
            (RSS, "pubdate"),
            (DC, "date"),
            (ATOM, "published"),
            (DCTERMS, "issued"),
            (DCTERMS, "created"),
            (RSS, "date"),
        ],
    )
    .and_then(|d| parse_date(&d.text()));
    let updated =
        first(el, &[(ATOM, "updated"), (DCTERMS, "modified"), (DC, "modified")]).and_then(|d| parse_date(&d.text()));
    let mut authors = Unique::default();
    for a in el.elements() {
        let name = match (a.prefix.as_str(), a.local.as_str()) {
            ("", "author") | ("itunes", "author") | ("dc", "creator") | ("dc", "contributor")
                if !a.has_element_children() =>
            {
                author_name(&plain_text(a))
            }
            ("dc", "creator") | ("dc", "contributor") | ("itunes", "author") => author_name(&plain_text(a)),
            ("", "author") | ("atom", "author") => a
                .child(&["", "atom"], "name")
                .map(plain_text)
                .filter(|n| !n.is_empty())
                .or_else(|| a.child(&["", "atom"], "email").map(|e| e.text().trim().to_string()))
                .or_else(|| author_name(&a.text())),
            _ => None,
        };
        if a.local == "contributor" && !authors.is_empty() {
            continue;
        }
        authors.push(name);
    }
    let mut categories = Unique::default();
    for c in el.elements() {
        match (c.prefix.as_str(), c.local.as_str()) {
            ("", "category") | ("dc", "subject") => categories.push(Some(plain_text(c))),
            ("atom", "category") => categories.push(c.attr("term").map(str::to_string)),
            _ => {}
        }
    }
    let source = first(el, &[(RSS, "source")]).map(|s| ItemSource {
        title: plain_text(s),
        url: url_attr(s, "url"),
    });
    Item {
        id: String::new(),
        title,
        link,
        published,
        updated,
        summary,
        content,
        authors: authors.into_vec(),
        categories: categories.into_vec(),
        image: image(el),
        source,
    }
    .with_guid(guid)
}

/// An HTML field; an Atom element borrowed into RSS keeps its Atom reading (`type`, base64).
fn rss_or_atom_html(el: &Element) -> Option<String> {
    if el.prefix == "atom" {
        atom_html(el)
    } else {
        html_field(el)
    }
}

fn media_description(el: &Element) -> Option<String> {
    let direct = el.child(&["media"], "description");
    let grouped = || {
        el.child(&["media"], "group")
            .and_then(|g| g.child(&["media"], "description"))
    };
    direct.or_else(grouped).and_then(html_field)
}
