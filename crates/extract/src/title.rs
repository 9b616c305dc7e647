//! The article's headline: the visible `<h1>` or the metadata title cleaned of the site's name.

pub use crate::meta::host_label;
use crate::{date, meta};
use std::collections::HashSet;

fn norm_words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

const SEPS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ", " • "];

/// Does `part` (a title segment) name the site: its `site_name`, or its host?
fn names_site(part: &str, site: Option<&str>, host_lbl: Option<&str>) -> bool {
    let p = norm_words(part);
    if p.is_empty() {
        return false;
    }
    if let Some(s) = site {
        let s = norm_words(s);
        if !s.is_empty() && (p.contains(&s) || s.contains(&p)) {
            return true;
        }
    }
    if let Some(h) = host_lbl {
        let squashed: String = p.chars().filter(|c| *c != ' ').collect();
        if squashed.contains(h) || (squashed.len() >= 4 && h.contains(&squashed)) {
            return true;
        }
    }
    false
}

/// Choose the title: the visible `<h1>` headline when it shares words with the metadata title (or
/// there is no metadata title); else the metadata title cleaned of a site-name suffix.
pub fn pick_title(m: &meta::Meta) -> Option<String> {
    let host_lbl = m.host.as_deref().and_then(host_label);
    let site = m.site_name.as_deref();
    let meta_title = m
        .title
        .clone()
        .or_else(|| m.html_title.clone())
        .map(|t| meta::html_unescape(&t));
    let clean_meta = meta_title
        .as_deref()
        .map(|t| strip_site_suffix(t, site, host_lbl.as_deref(), true));
    // words of the titles without the site's name, to compare with the <h1>
    let titles: Vec<String> = meta_title
        .iter()
        .map(|t| t.to_string())
        .chain(m.html_title.as_deref().map(meta::html_unescape))
        .map(|t| strip_site_suffix(&t, site, host_lbl.as_deref(), false))
        .collect();
    let mt_words: HashSet<String> = titles
        .iter()
        .flat_map(|t| norm_words(t).split(' ').map(|w| w.to_string()).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(f32, &String)> = None;
    // the site's name (a logo in an <h1> is not the headline)
    let mut site_names: Vec<String> = m.site_name.iter().map(|s| norm_words(s)).collect();
    if let Some(t) = &m.html_title {
        for sep in SEPS {
            if let Some(i) = t.rfind(sep) {
                site_names.push(norm_words(&t[i + sep.len()..]));
            }
        }
    }
    for h in m.h1s.iter().filter(|h| h.len() > 2 && h.len() < 400) {
        let nh = norm_words(h);
        let is_site = site_names.iter().any(|s| !s.is_empty() && *s == nh)
            || host_lbl
                .as_deref()
                .map(|l| nh.replace(' ', "") == l || nh == format!("{l} com"))
                .unwrap_or(false);
        if is_site && mt_words.len() > nh.split(' ').count() {
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
            let h = meta::html_unescape(h.trim());
            if let Some(cm) = clean_meta.as_deref() {
                if h1_adds_only_noise(&h, cm) {
                    return Some(cm.to_string());
                }
            }
            return Some(h);
        }
    }
    clean_meta
}

/// The `<h1>` is the metadata title plus a dateline, a "Section:" label or a count: the metadata
/// title is the cleaner headline.
fn h1_adds_only_noise(h1: &str, title: &str) -> bool {
    let (nh, nt) = (norm_words(h1), norm_words(title));
    if nt.split(' ').count() < 3 || nh == nt {
        return false;
    }
    let Some(pos) = nh.find(&nt) else { return false };
    // the extra text, in the original spelling
    let lower = h1.to_lowercase();
    let extra = if pos == 0 {
        // suffix: locate the last title word in the h1 and keep what follows
        let last = nt.rsplit(' ').next().unwrap_or("");
        // (lower-casing may change byte lengths: slice only on char boundaries)
        match lower.rfind(last).and_then(|i| h1.get(i + last.len()..)) {
            Some(rest) => rest.to_string(),
            None => return false,
        }
    } else if pos + nt.len() == nh.len() {
        let first = nt.split(' ').next().unwrap_or("");
        match lower.find(first).and_then(|i| h1.get(..i)) {
            Some(lead) => lead.to_string(),
            None => return false,
        }
    } else {
        return false;
    };
    if pos == 0 {
        // "Headline | Section" or "Headline – tagline" in the <h1> itself, as in the <title>
        let e = extra.trim_start();
        let words = e
            .split_whitespace()
            .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
            .count();
        if SEPS.iter().any(|s| e.starts_with(s.trim_start())) && words <= 6 {
            return true;
        }
    }
    let extra = extra.trim();
    if extra.is_empty() {
        return false;
    }
    let toks: Vec<&str> = extra.split_whitespace().collect();
    if date::from_text(extra).is_some() && toks.len() <= 4 {
        return true;
    }
    if pos > 0 {
        return toks.len() == 1 && extra.ends_with(':');
    }
    toks.len() <= 3
        && toks
            .iter()
            .all(|t| t.chars().any(|c| c.is_ascii_digit()) || (t.contains('.') && t.len() > 4))
}

/// Cut the site's name from a title ("Headline | Site", "Site: Headline"). With `generic`, also a
/// short trailing segment after a separator ("Headline - Top 10 Picks").
fn strip_site_suffix(t: &str, site: Option<&str>, host_lbl: Option<&str>, generic: bool) -> String {
    let mut t = t.trim().to_string();
    // "example.com Headline"
    if let Some((first, rest)) = t.split_once(' ') {
        if first.contains('.') && rest.split_whitespace().count() >= 2 && names_site(first, None, host_lbl) {
            t = rest.trim().to_string();
        }
    }
    // at most two site/section segments
    let mut site_cut = false;
    for pass in 0..2 {
        let mut cut = None;
        for sep in SEPS {
            if let Some(i) = t.rfind(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                if head.split_whitespace().count() == 0 {
                    continue;
                }
                let named = names_site(tail, site, host_lbl);
                // "Headline | Section | Site": once the site is cut, a short section before it goes too
                let section = pass == 1 && site_cut && *sep == " | " && tail.split_whitespace().count() <= 3;
                if named
                    || (generic
                        && (pass == 0 || section)
                        && tail.split_whitespace().count() <= 4
                        && head.split_whitespace().count() >= 3)
                {
                    site_cut |= named;
                    cut = Some(head.trim().to_string());
                    break;
                }
            }
            // a site-name prefix: "Site | Headline"
            if let Some(i) = t.find(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                if tail.split_whitespace().count() >= 3 && names_site(head, site, host_lbl) {
                    cut = Some(tail.trim().to_string());
                    break;
                }
            }
        }
        match cut {
            Some(c) if !c.is_empty() => t = c,
            _ => break,
        }
    }
    t
}
