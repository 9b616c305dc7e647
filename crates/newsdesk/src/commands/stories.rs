//! `newsdesk stories cluster` and `newsdesk tags`: the stories library run over a JSONL file.
//!
//! Both read one JSON object per line and print one per line, in file order. A line that cannot be
//! read is reported on stderr with the file and line number, and the rest goes on.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use clap::Args;
use newsdesk_stories::{tags_and_entities, Article, Clusterer};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// JSONL file of articles (`id`, `title`, optional `text`, `date`, `source`, `url`).
    pub file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// JSONL file of articles (`id`, `title`, `text`).
    pub file: std::path::PathBuf,
    /// How many tags per article.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// One input line. `id` may be a string or a number and is echoed back as given.
#[derive(Debug, Deserialize)]
struct InputArticle {
    id: Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    date: Option<Value>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    /// Related-coverage links (Google News), when the file has them.
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    language: Option<String>,
}

pub fn run_cluster(args: ClusterArgs) -> anyhow::Result<()> {
    let mut clusterer = Clusterer::default();
    // Each article is printed with the story it ends up in, as the pipeline stores it: a story folded into
    // another later (an article bridged them) is reported as that one. So the lines come at the end.
    let mut assigned: Vec<(Value, String)> = Vec::new();
    for_each_article(&args.file, |line_no, input| {
        let article = Article {
            id: id_string(&input.id),
            title: input.title.unwrap_or_default(),
            text: input.text,
            date: match input.date.as_ref().map(parse_date).transpose() {
                Ok(d) => d.flatten(),
                Err(e) => {
                    eprintln!("warning: {}:{line_no}: date ignored: {e}", args.file.display());
                    None
                }
            },
            source: input.source,
            url: input.url,
            related: input.related,
            language: input.language,
        };
        let assignment = clusterer.assign(&article);
        assigned.push((input.id, assignment.story_id));
        Ok(())
    })?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (id, story) in assigned {
        let story = clusterer.story(&story).map(|s| s.id.as_str()).unwrap_or(&story);
        writeln!(out, "{}", json!({"id": id, "story": story}))?;
    }
    out.flush()?;
    Ok(())
}

pub fn run_tags(args: TagsArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for_each_article(&args.file, |_, input| {
        let title = input.title.unwrap_or_default();
        let text = input.text.unwrap_or_default();
        let got = tags_and_entities(&title, &text, input.language.as_deref(), args.top);
        let texts: Vec<&str> = got.tags.iter().map(|t| t.text.as_str()).collect();
        let e = &got.entities;
        writeln!(
            out,
            "{}",
            json!({"id": input.id, "tags": texts, "people": e.people, "places": e.places,
                "organizations": e.organizations})
        )?;
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Calls `f` for each readable article line; reports unreadable lines on stderr and goes on.
fn for_each_article(path: &Path, mut f: impl FnMut(usize, InputArticle) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bad = 0usize;
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line_no = index + 1;
        let line = line.with_context(|| format!("cannot read {}:{line_no}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(&line) {
            Ok(article) => f(line_no, article)?,
            Err(reason) => {
                bad += 1;
                eprintln!("error: {}:{line_no}: {reason}", path.display());
            }
        }
    }
    if bad > 0 {
        eprintln!("{}: {bad} line(s) skipped", path.display());
    }
    Ok(())
}

fn parse_line(line: &str) -> Result<InputArticle, String> {
    let article: InputArticle = serde_json::from_str(line).map_err(|e| format!("not a JSON article: {e}"))?;
    match &article.id {
        Value::String(s) if !s.is_empty() => {}
        Value::Number(_) => {}
        other => return Err(format!("`id` must be a non-empty string or a number, got {other}")),
    }
    Ok(article)
}

fn id_string(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Unix seconds from a date given as a number (seconds, or milliseconds when that large) or a string
/// (RFC 3339, RFC 2822, `YYYY-MM-DD HH:MM:SS` taken as UTC, `YYYY-MM-DD`). Null gives `None`.
fn parse_date(value: &Value) -> Result<Option<i64>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => {
            let secs = n.as_f64().ok_or_else(|| format!("bad number {n}"))?;
            let secs = if secs.abs() > 1e11 { secs / 1000.0 } else { secs };
            Ok(Some(secs as i64))
        }
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if let Ok(d) = DateTime::parse_from_rfc3339(s) {
                return Ok(Some(d.timestamp()));
            }
            if let Ok(d) = DateTime::parse_from_rfc2822(s) {
                return Ok(Some(d.timestamp()));
            }
            for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
                if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
                    return Ok(Some(d.and_utc().timestamp()));
                }
            }
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return Ok(d.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp()));
            }
            Err(format!("unrecognised date {s:?}"))
        }
        other => Err(format!("unrecognised date {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes() {
        assert_eq!(parse_date(&json!("2014-03-10T12:00:00Z")), Ok(Some(1_394_452_800)));
        assert_eq!(parse_date(&json!("2014-03-10")), Ok(Some(1_394_409_600)));
        assert_eq!(parse_date(&json!(1_394_452_800)), Ok(Some(1_394_452_800)));
        assert_eq!(parse_date(&json!(1_394_452_800_000i64)), Ok(Some(1_394_452_800)));
        assert_eq!(
            parse_date(&json!("Mon, 10 Mar 2014 12:00:00 +0000")),
            Ok(Some(1_394_452_800))
        );
        assert_eq!(parse_date(&Value::Null), Ok(None));
        assert!(parse_date(&json!("next tuesday")).is_err());
    }

    #[test]
    fn lines_need_an_id() {
        assert!(parse_line(r#"{"id": "a", "title": "x"}"#).is_ok());
        assert!(parse_line(r#"{"id": 7, "title": "x"}"#).is_ok());
        assert!(parse_line(r#"{"title": "x"}"#).is_err());
        assert!(parse_line(r#"{"id": "", "title": "x"}"#).is_err());
        assert!(parse_line("not json").is_err());
    }
}
