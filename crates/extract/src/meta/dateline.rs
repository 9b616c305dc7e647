//! Datelines: the date printed under (or just above) the headline, as the reader sees it.
//!
//! A page often carries several dates in its metadata (first publication, last edit, the CMS's own
//! timestamps); the one a reader is shown next to the headline is the article's date. Dates labelled
//! as an update ("Updated", "Last modified", "Reviewed") are kept apart.

use crate::date;
use crate::dom::Dom;

/// Text nodes visited after the headline before giving up.
const AFTER_TEXTS: usize = 40;
/// A text this long is body copy: the dateline, if any, came before it.
const BODY_TEXT: usize = 250;
/// Texts of the headline's container read before it.
const BEFORE_TEXTS: usize = 6;
/// A dateline is short.
const MAX_LEN: usize = 100;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Datelines {
    /// First date near the headline not labelled as an update.
    pub published: Option<String>,
    /// First date near the headline labelled as an update.
    pub updated: Option<String>,
}

fn is_update_label(lower: &str) -> bool {
    [
        "updat",
        "modif",
        "revis",
        "reviewed",
        "edited",
        "refreshed",
        "aktualisiert",
        "mis à jour",
        "actualizado",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn heading_text(dom: &Dom, i: usize) -> String {
    let end = dom.subtree_end(i as u32) as usize;
    let mut s = String::new();
    for n in &dom.nodes[i + 1..end] {
        if n.is_text() {
            s.push_str(&n.text);
            s.push(' ');
            if s.len() > 400 {
                break;
            }
        }
    }
    s
}

/// The headline element: the first `<h1>` that reads like the metadata titles (`hints`), else an
/// `<h2>` that does when no `<h1>` does, else the first `<h1>` that is not the site's logo.
pub fn headline(dom: &Dom, hints: &[&str]) -> Option<usize> {
    // the titles without a "| Site" suffix: a logo <h1> must not match the site's name
    let hint_words: std::collections::HashSet<String> = hints
        .iter()
        .map(|h| {
            [" | ", " - ", " – ", " — ", " · ", " :: "]
                .iter()
                .filter_map(|sep| h.rfind(sep))
                .max()
                .map(|i| &h[..i])
                .filter(|head| head.split_whitespace().count() >= 2)
                .unwrap_or(h)
        })
        .flat_map(words)
        .collect();
    let overlap = |t: &str| -> f32 {
        let w = words(t);
        if w.is_empty() || hint_words.is_empty() {
            return 0.0;
        }
        w.iter().filter(|x| hint_words.contains(*x)).count() as f32 / w.len() as f32
    };
    let (mut first_h1, mut h2_match) = (None, None);
    let (mut h1s, mut h2s) = (0, 0);
    for (i, n) in dom.nodes.iter().enumerate() {
        match &*n.tag {
            "h1" if h1s < 10 => {
                h1s += 1;
                let t = heading_text(dom, i);
                if overlap(&t) >= 0.6 && words(&t).len() >= 2 {
                    return Some(i);
                }
                let ci = format!("{} {}", n.attr("class").unwrap_or(""), n.attr("id").unwrap_or("")).to_lowercase();
                if first_h1.is_none() && !ci.contains("logo") && !ci.contains("brand") && !ci.contains("site-title") {
                    first_h1 = Some(i);
                }
            }
            "h2" if h2s < 30 && h2_match.is_none() => {
                h2s += 1;
                let t = heading_text(dom, i);
                if overlap(&t) >= 0.8 && words(&t).len() >= 3 {
                    h2_match = Some(i);
                }
            }
            _ => {}
        }
    }
    h2_match.or(first_h1)
}

/// Dates in the few short texts around the headline `<h1>`: the texts of its container before it,
/// and the texts after it until the body copy starts.
pub fn find(dom: &Dom, h1: usize) -> Datelines {
    let mut out = Datelines::default();
    let nodes = &dom.nodes;
    if h1 >= nodes.len() {
        return out;
    }
    // The container's texts before the h1 ("Politics · 3 March 2025" above the headline).
    // The headline's container (up to its grandparent), but only its last few texts before the h1.
    let parent = nodes[h1].parent as usize;
    let grand = nodes
        .get(parent)
        .map(|p| p.parent as usize)
        .filter(|&g| {
            nodes
                .get(g)
                .map(|n| !matches!(&*n.tag, "body" | "html" | "#root"))
                .unwrap_or(false)
        })
        .unwrap_or(parent);
    let outer = if grand < h1 {
        grand
    } else if parent < h1 {
        parent
    } else {
        h1
    };
    let mut start = h1;
    let mut before = 0;
    while start > outer && before < BEFORE_TEXTS {
        start -= 1;
        if nodes[start].is_text() && !nodes[start].text.trim().is_empty() {
            before += 1;
        }
    }
    let mut prev_label = false;
    let mut texts = 0usize;
    let end = nodes.len();
    let h1_end = dom.subtree_end(h1 as u32) as usize;
    // texts inside an element marked as the update date (class "updated", itemprop="dateModified")
    let mut upd_until = 0usize;
    // the enclosing <time datetime> (end of its subtree, its normalised value)
    let mut time_dt: Option<(usize, String)> = None;
    let mut i = start;
    while i < end {
        if i == h1 {
            // skip the headline itself
            i = h1_end;
            prev_label = false;
            continue;
        }
        let n = &nodes[i];
        if n.is_text() {
            let t = n.text.trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            if i > h1 {
                texts += 1;
                if texts > AFTER_TEXTS || t.len() > BODY_TEXT {
                    break;
                }
            }
            if t.len() <= MAX_LEN {
                let lower = t.to_lowercase();
                if let Some(mut d) = date::from_text(t) {
                    if let Some((until, m)) = &time_dt {
                        if i < *until && m.get(..10) == Some(d.as_str()) {
                            d = m.clone();
                        }
                    }
                    let upd = prev_label || i < upd_until || is_update_label(&lower);
                    let slot = if upd { &mut out.updated } else { &mut out.published };
                    if slot.is_none() {
                        *slot = Some(d);
                    }
                    prev_label = false;
                    if out.published.is_some() {
                        break;
                    }
                } else {
                    prev_label = t.len() <= 30 && is_update_label(&lower);
                }
            }
        } else if i >= upd_until && marks_update(n) {
            upd_until = dom.subtree_end(i as u32) as usize;
        }
        if &*n.tag == "time" {
            // <time datetime> with a relative or empty text ("2 hours ago")
            let own = nodes[i + 1..dom.subtree_end(i as u32) as usize]
                .iter()
                .filter(|c| c.is_text())
                .map(|c| c.text.trim())
                .collect::<String>();
            let machine = n.attr("datetime").and_then(date::normalize);
            if let (Some(m), Some(shown)) = (&machine, date::from_text(&own)) {
                // the shown date, with the machine-readable time and offset
                if m.get(..10) == Some(shown.as_str()) {
                    time_dt = Some((dom.subtree_end(i as u32) as usize, m.clone()));
                }
            }
            if date::from_text(&own).is_none() {
                if let Some(d) = machine {
                    let cls = n.attr("class").unwrap_or("").to_ascii_lowercase();
                    let upd =
                        prev_label || i < upd_until || is_update_label(&cls) || is_update_label(&own.to_lowercase());
                    let slot = if upd { &mut out.updated } else { &mut out.published };
                    if slot.is_none() {
                        *slot = Some(d);
                    }
                    if out.published.is_some() {
                        break;
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// An element whose class or itemprop says it holds the update date.
fn marks_update(n: &crate::dom::Node) -> bool {
    let cls = n.attr("class").unwrap_or("");
    let ip = n.attr("itemprop").unwrap_or("");
    if ip.eq_ignore_ascii_case("datemodified") {
        return true;
    }
    cls.split_whitespace().any(|c| {
        let c = c.to_ascii_lowercase();
        (c.contains("updated") || c.contains("modified")) && !c.contains("published")
    }) && !cls.split_whitespace().any(|c| c.eq_ignore_ascii_case("published"))
}

fn ymd(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.get(..10)?;
    Some((
        b.get(..4)?.parse().ok()?,
        b.get(5..7)?.parse().ok()?,
        b.get(8..10)?.parse().ok()?,
    ))
}

/// Reconcile the dateline with the metadata dates: a dateline one day off the metadata's publication
/// timestamp, when some time zone puts that moment on the dateline's day, is the same moment (the
/// metadata keeps the time and offset); a dateline whose day and month read the other way round ("09.10.2024") is the metadata's date.
pub fn reconcile(line: &str, published: Option<&str>, modified: Option<&str>) -> String {
    let Some((y, m, d)) = ymd(line) else {
        return line.to_string();
    };
    if let Some(p) = published {
        if let (Some(a), Some(b)) = (
            chrono::NaiveDate::from_ymd_opt(y, m, d),
            ymd(p).and_then(|(py, pm, pd)| chrono::NaiveDate::from_ymd_opt(py, pm, pd)),
        ) {
            let same_moment = match chrono::DateTime::parse_from_rfc3339(p) {
                // a full timestamp: the dateline's day must be that moment's day in some time zone
                Ok(t) => {
                    let utc = t.naive_utc();
                    let lo = (utc - chrono::Duration::hours(12)).date();
                    let hi = (utc + chrono::Duration::hours(14)).date();
                    lo <= a && a <= hi
                }
                Err(_) => (a - b).num_days().abs() <= 1,
            };
            if same_moment || a == b {
                return p.to_string();
            }
        }
    }
    if m != d && m <= 12 && d <= 12 {
        for other in [published, modified].into_iter().flatten() {
            if ymd(other) == Some((y, d, m)) {
                return other.to_string();
            }
        }
    }
    line.to_string()
}

/// Dates found by reading the whole page's short texts.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageDates {
    /// "Originally published …", "First published …": the publication date, wherever it stands.
    pub original: Option<String>,
    /// The first date labelled as published or posted ("Published …", "Posted on …").
    pub labelled: Option<String>,
    /// The first short text holding a date, not labelled as an update (a last resort).
    pub first: Option<String>,
}

/// Read the page's short texts (body first 20,000) for labelled dates.
pub fn scan_page(dom: &Dom) -> PageDates {
    let mut out = PageDates::default();
    let mut prev_label = false;
    let start = if (dom.body as usize) < dom.nodes.len() {
        dom.body as usize
    } else {
        0
    };
    for (i, n) in dom.nodes[start..]
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is_text())
        .take(20_000)
    {
        let i = start + i;
        let t = n.text.trim();
        if t.is_empty() || t.len() > 300 {
            prev_label = false;
            continue;
        }
        // every date has four digits: most texts are skipped without parsing
        if t.bytes().filter(|b| b.is_ascii_digit()).count() < 4 {
            prev_label = t.len() <= 30 && is_publish_label(&t.to_lowercase());
            continue;
        }
        let lower = t.to_lowercase();
        let Some(d) = date::from_text(t) else {
            prev_label = false;
            continue;
        };
        if lower.contains("originally published") || lower.contains("first published") {
            out.original.get_or_insert(d);
            break;
        }
        if t.len() > 80 || is_update_label(&lower) || in_aside(dom, i) {
            continue;
        }
        if prev_label || is_publish_label(&lower) {
            out.labelled.get_or_insert(d.clone());
        }
        if out.first.is_none() {
            out.first = Some(d);
        }
    }
    out
}

/// Is node `i` in comments, related stories, a sidebar or a widget (their dates are not the page's)?
fn in_aside(dom: &Dom, i: usize) -> bool {
    let mut k = dom.nodes[i].parent as usize;
    for _ in 0..12 {
        let Some(n) = dom.nodes.get(k) else { return false };
        if &*n.tag == "aside" {
            return true;
        }
        for v in [n.attr("class"), n.attr("id")].into_iter().flatten() {
            let v = v.to_ascii_lowercase();
            if [
                "comment",
                "related",
                "sidebar",
                "widget",
                "recent",
                "popular",
                "more-stories",
            ]
            .iter()
            .any(|w| v.contains(w))
            {
                return true;
            }
        }
        k = n.parent as usize;
    }
    false
}

fn is_publish_label(lower: &str) -> bool {
    ["published", "posted", "publié", "veröffentlicht", "publicado"]
        .iter()
        .any(|w| lower.contains(w))
}
