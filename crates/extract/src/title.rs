//! The article's headline: the visible `<h1>` or the metadata title cleaned of the site's name.

use crate::meta;

fn norm_words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Choose the title: the visible `<h1>` headline when it shares words with the metadata title (or
/// there is no metadata title); else the metadata title cleaned of a site-name suffix.
pub fn pick_title(m: &meta::Meta) -> Option<String> {
    let meta_title = m
        .title
        .clone()
        .or_else(|| m.html_title.clone())
        .map(|t| meta::html_unescape(&t));
    let mt_words: std::collections::HashSet<String> = meta_title
        .iter()
        .chain(m.html_title.iter())
        .flat_map(|t| norm_words(t).split(' ').map(|w| w.to_string()).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(f32, &String)> = None;
    // the site's name (a logo in an <h1> is not the headline)
    let mut site_names: Vec<String> = m.site_name.iter().map(|s| norm_words(s)).collect();
    if let Some(t) = &m.html_title {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
            if let Some(i) = t.rfind(sep) {
                site_names.push(norm_words(&t[i + sep.len()..]));
            }
        }
    }
    for h in m.h1s.iter().filter(|h| h.len() > 2 && h.len() < 400) {
        let nh = norm_words(h);
        if site_names.iter().any(|s| !s.is_empty() && *s == nh)
            && norm_words(m.html_title.as_deref().unwrap_or("")) != nh
        {
            continue;
        }
        let words: Vec<&str> = nh.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            continue;
        }
        let overlap = if mt_words.is_empty() {
            1.0
        } else {
            words.iter().filter(|w| mt_words.contains(**w)).count() as f32 / words.len() as f32
        };
        if best.map(|(o, _)| overlap > o).unwrap_or(true) {
            best = Some((overlap, h));
        }
    }
    if let Some((o, h)) = best {
        if o >= 0.5 || (o >= 0.3 && h.split_whitespace().count() >= 3) {
            return Some(meta::html_unescape(h.trim()));
        }
    }
    let t = meta_title?;
    Some(strip_site_suffix(&t, m.site_name.as_deref()))
}

fn strip_site_suffix(t: &str, site: Option<&str>) -> String {
    let t = t.trim();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ", " • "] {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (&t[..i], &t[i + sep.len()..]);
            let tail_n = norm_words(tail);
            let site_match = site.map(|s| {
                let s = norm_words(s);
                !s.is_empty() && (tail_n.contains(&s) || s.contains(&tail_n))
            });
            if site_match == Some(true)
                || (tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3)
            {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}
