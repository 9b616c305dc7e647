//! Scoring of extractions against a truth set, exactly as `score_extraction.py` defines it
//! (shingle F1 over 4-word shingles, bag-of-words F1, exact match, must/must-not snippets,
//! title/author/date accuracy).

use serde_json::Value;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Python's `\w` (str.isalnum() or '_'): letters and numbers of any script.
fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric() && !is_mark_like(c)
}

/// Characters Rust calls alphabetic but Python's `\w` does not match (combining marks with the
/// Other_Alphabetic property, circled letters). Approximated by the general categories Mn/Mc/So
/// ranges most often met.
fn is_mark_like(c: char) -> bool {
    let u = c as u32;
    // Combining Diacritical Marks and common combining blocks in Indic/SE Asian scripts are Mn/Mc.
    // We rely on a cheap test: chars that change under NFD-only decomposition are not marks, so we
    // use the Unicode ranges of combining marks that have Other_Alphabetic.
    matches!(u, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x093C | 0x093E..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC | 0x09BE..=0x09CD | 0x09D7 | 0x09E2..=0x09E3
        | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A70..=0x0A71 | 0x0A75 | 0x0A81..=0x0A83 | 0x0ABC | 0x0ABE..=0x0ACD
        | 0x0B01..=0x0B03 | 0x0B3C | 0x0B3E..=0x0B57 | 0x0B82 | 0x0BBE..=0x0BCD | 0x0BD7 | 0x0C00..=0x0C04 | 0x0C3E..=0x0C56
        | 0x0C81..=0x0C83 | 0x0CBC | 0x0CBE..=0x0CD6 | 0x0D00..=0x0D03 | 0x0D3B..=0x0D3C | 0x0D3E..=0x0D4D | 0x0D57
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECD
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x24B6..=0x24E9 | 0x302A..=0x302F | 0x3099..=0x309A
        | 0xFE20..=0xFE2F)
}

/// The `\w+` tokens of a string.
pub fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if is_word(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push(&s[st..i]);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// (tp, fp, fn) shares of 4-word shingles, as in the scorer.
pub fn shingle_counts(truth: &str, pred: &str) -> (f64, f64, f64) {
    let ta = tokens(truth);
    let tb = tokens(pred);
    let count = |t: &[&str]| -> HashMap<Vec<String>, i64> {
        let mut m = HashMap::new();
        let n = 4usize;
        let upper = if t.len() >= n { t.len() - n + 1 } else { 1 };
        for i in 0..upper {
            let e = (i + n).min(t.len());
            if i >= e {
                continue;
            }
            let k: Vec<String> = t[i..e].iter().map(|s| s.to_string()).collect();
            *m.entry(k).or_insert(0) += 1;
        }
        m
    };
    let a = count(&ta);
    let b = count(&tb);
    let (mut tp, mut fp, mut fneg) = (0f64, 0f64, 0f64);
    for (k, &x) in &a {
        let y = *b.get(k).unwrap_or(&0);
        tp += x.min(y) as f64;
        fneg += (x - y).max(0) as f64;
        fp += (y - x).max(0) as f64;
    }
    for (k, &y) in &b {
        if !a.contains_key(k) {
            fp += y as f64;
        }
    }
    let s = tp + fp + fneg;
    if s > 0.0 {
        (tp / s, fp / s, fneg / s)
    } else {
        (0.0, 0.0, 0.0)
    }
}

fn prec(c: (f64, f64, f64)) -> f64 {
    let (tp, fp, fneg) = c;
    if fp == 0.0 && fneg == 0.0 {
        return 1.0;
    }
    if tp == 0.0 && fp == 0.0 {
        return 0.0;
    }
    tp / (tp + fp)
}

fn rec(c: (f64, f64, f64)) -> f64 {
    let (tp, fp, fneg) = c;
    if fp == 0.0 && fneg == 0.0 {
        return 1.0;
    }
    if tp == 0.0 && fneg == 0.0 {
        return 0.0;
    }
    tp / (tp + fneg)
}

pub fn word_f1(truth: &str, pred: &str) -> f64 {
    let mut a: HashMap<String, i64> = HashMap::new();
    let mut b: HashMap<String, i64> = HashMap::new();
    for w in tokens(truth) {
        *a.entry(py_lower(w)).or_insert(0) += 1;
    }
    for w in tokens(pred) {
        *b.entry(py_lower(w)).or_insert(0) += 1;
    }
    if a.is_empty() {
        return if b.is_empty() { 1.0 } else { 0.0 };
    }
    if b.is_empty() {
        return 0.0;
    }
    let o: i64 = a.iter().map(|(k, &x)| x.min(*b.get(k).unwrap_or(&0))).sum();
    if o == 0 {
        return 0.0;
    }
    let p = o as f64 / b.values().sum::<i64>() as f64;
    let r = o as f64 / a.values().sum::<i64>() as f64;
    2.0 * p * r / (p + r)
}

fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// `norm` of the scorer: NFKC, lower case, `\w+` tokens joined by one space.
pub fn norm(s: &str) -> String {
    let s: String = s.nfkc().collect::<String>().to_lowercase();
    tokens(&s).join(" ")
}

/// A prediction's field as the scorer reads it (lists joined with ", ").
fn field(p: &Value, key: &str) -> String {
    let mut v = p.get(key).cloned().unwrap_or(Value::Null);
    if key == "author" && v.is_null() {
        v = p
            .get("authors")
            .cloned()
            .filter(truthy)
            .or_else(|| p.get("byline").cloned())
            .unwrap_or(Value::Null);
    }
    let s = match &v {
        Value::Array(a) => a.iter().map(py_str).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => {
            if truthy(other) {
                py_str(other)
            } else {
                String::new()
            }
        }
    };
    s
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
    }
}

fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The figures of the scorer.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Scores {
    pub pages: usize,
    pub predicted: usize,
    pub shingle_f1: f64,
    pub shingle_precision: f64,
    pub shingle_recall: f64,
    pub word_f1: f64,
    pub exact: f64,
    pub with: Option<f64>,
    pub without: Option<f64>,
    pub title: Option<f64>,
    pub author: Option<f64>,
    pub date: Option<f64>,
}

/// Per-page figures, for finding the worst pages.
#[derive(Debug, Clone)]
pub struct PageScore {
    pub id: String,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub word_f1: f64,
    pub title_ok: Option<bool>,
    pub author_ok: Option<bool>,
    pub date_ok: Option<bool>,
}

fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        None
    } else {
        Some(xs.iter().sum::<f64>() / xs.len() as f64)
    }
}

/// Score `preds` (id → prediction object) against `truth` rows.
pub fn score(truth: &[Value], preds: &HashMap<String, Value>) -> (Scores, Vec<PageScore>) {
    let empty = Value::Object(Default::default());
    let mut ps = Vec::new();
    let mut rs = Vec::new();
    let mut wf = Vec::new();
    let mut ex = Vec::new();
    let mut hits: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut pages = Vec::new();
    for t in truth {
        let id = match t.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let p = preds.get(&id).unwrap_or(&empty);
        let text = p.get("text").and_then(|v| v.as_str()).unwrap_or("");
        let ttext = t.get("text").and_then(|v| v.as_str()).unwrap_or("");
        let c = shingle_counts(ttext, text);
        let w = word_f1(ttext, text);
        let mut page = PageScore {
            id: id.clone(),
            precision: None,
            recall: None,
            word_f1: w,
            title_ok: None,
            author_ok: None,
            date_ok: None,
        };
        if c.0 + c.1 > 0.0 {
            ps.push(prec(c));
            page.precision = Some(prec(c));
        }
        if c.0 + c.2 > 0.0 {
            rs.push(rec(c));
            page.recall = Some(rec(c));
        }
        wf.push(w);
        ex.push(if tokens(ttext) == tokens(text) { 1.0 } else { 0.0 });
        let nt = norm(text);
        if let Some(Value::Array(a)) = t.get("with") {
            for s in a {
                let s = s.as_str().unwrap_or("");
                hits.entry("with")
                    .or_default()
                    .push(if nt.contains(&norm(s)) { 1.0 } else { 0.0 });
            }
        }
        if let Some(Value::Array(a)) = t.get("without") {
            for s in a {
                let s = s.as_str().unwrap_or("");
                hits.entry("without")
                    .or_default()
                    .push(if !nt.contains(&norm(s)) { 1.0 } else { 0.0 });
            }
        }
        if let Some(tt) = t.get("title").filter(|v| truthy(v)) {
            let ok = norm(&field(p, "title")) == norm(&py_str(tt));
            page.title_ok = Some(ok);
            hits.entry("title").or_default().push(ok as u8 as f64);
        }
        if let Some(ta) = t.get("author").filter(|v| truthy(v)) {
            let want = norm(&py_str(ta));
            let got = norm(&field(p, "author"));
            let ok = !got.is_empty() && (want.contains(&got) || got.contains(&want));
            page.author_ok = Some(ok);
            hits.entry("author").or_default().push(ok as u8 as f64);
        }
        if let Some(td) = t.get("date").filter(|v| truthy(v)) {
            let got = field(p, "date");
            let want = py_str(td);
            let g: String = got.chars().take(10).collect();
            let w: String = want.chars().take(10).collect();
            let ok = g == w;
            page.date_ok = Some(ok);
            hits.entry("date").or_default().push(ok as u8 as f64);
        }
        pages.push(page);
    }
    let p = mean(&ps).unwrap_or(f64::NAN);
    let r = mean(&rs).unwrap_or(f64::NAN);
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    let predicted = truth
        .iter()
        .filter(|t| {
            let id = match t.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => String::new(),
            };
            preds.contains_key(&id)
        })
        .count();
    let s = Scores {
        pages: truth.len(),
        predicted,
        shingle_f1: f,
        shingle_precision: p,
        shingle_recall: r,
        word_f1: mean(&wf).unwrap_or(f64::NAN),
        exact: mean(&ex).unwrap_or(f64::NAN),
        with: hits.get("with").and_then(|v| mean(v)),
        without: hits.get("without").and_then(|v| mean(v)),
        title: hits.get("title").and_then(|v| mean(v)),
        author: hits.get("author").and_then(|v| mean(v)),
        date: hits.get("date").and_then(|v| mean(v)),
    };
    (s, pages)
}

impl std::fmt::Display for Scores {
    /// The scorer's one-line format: `pages=711  predicted=711  shingle_f1=0.950  ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pages={}  predicted={}  shingle_f1={:.3}  shingle_precision={:.3}  shingle_recall={:.3}  word_f1={:.3}  exact={:.3}",
            self.pages, self.predicted, self.shingle_f1, self.shingle_precision, self.shingle_recall, self.word_f1, self.exact
        )?;
        for (k, v) in [
            ("with", self.with),
            ("without", self.without),
            ("title", self.title),
            ("author", self.author),
            ("date", self.date),
        ] {
            if let Some(v) = v {
                write!(f, "  {k}={v:.3}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn basics() {
        assert_eq!(tokens("Hello, wörld_1 — 42!"), vec!["Hello", "wörld_1", "42"]);
        let c = shingle_counts("a b c d e", "a b c d e");
        assert_eq!(c, (1.0, 0.0, 0.0));
        assert!((word_f1("a b", "a c") - 0.5).abs() < 1e-9);
        assert_eq!(norm("Ｈｅｌｌｏ  World!"), "hello world");
        // fewer than 4 tokens: one short shingle
        assert_eq!(shingle_counts("a b", "a b").0, 1.0);
        assert_eq!(shingle_counts("", "").0, 0.0);
    }
}
