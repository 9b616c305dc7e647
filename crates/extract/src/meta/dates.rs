//! Dates besides the dateline: short date texts near the headline, and the modification date from
//! JSON-LD, `<meta>` and microdata.

use super::jsonld::Ld;
use super::text::texts_near_h1;
use crate::date;
use crate::dom::Dom;
use std::collections::HashMap;

pub(super) fn visible_date(dom: &Dom, head: Option<usize>) -> Option<String> {
    visible_dates(dom, head).into_iter().next()
}

/// Short date texts near the page's first `<h1>` (datelines), in document order.
fn visible_dates(dom: &Dom, head: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    // look a little before the h1 (datelines above the title) and further after it
    for t in texts_near_h1(dom, head, 60, 80) {
        if t.len() <= 80 {
            if let Some(d) = date::from_text(t) {
                out.push(d);
            }
        }
    }
    out
}

pub(super) fn modified_date(
    lds: &[(Ld, u8)],
    m: &HashMap<String, String>,
    microdata: &HashMap<&str, String>,
) -> Option<String> {
    let ld_first = |f: &dyn Fn(&Ld) -> Option<String>| lds.iter().find_map(|(l, _)| f(l));
    ld_first(&|l| l.modified.as_deref().and_then(date::normalize))
        .or_else(|| {
            [
                "article:modified_time",
                "og:updated_time",
                "dateModified",
                "last-modified",
                "dcterms.modified",
            ]
            .iter()
            .find_map(|k| m.get(&k.to_ascii_lowercase()).and_then(|v| date::normalize(v)))
        })
        .or_else(|| microdata.get("dateModified").and_then(|v| date::normalize(v)))
}
