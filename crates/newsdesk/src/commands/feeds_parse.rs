//! `newsdesk feeds parse`: show what the feed parser understood, without storing anything.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use newsdesk_feeds::{Item, ParsedFeed};
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Feed documents to parse.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The URL the documents were fetched from (base for relative links).
    #[arg(long)]
    pub url: Option<String>,
    /// The HTTP Content-Type they were served with (its charset is honoured).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Print one JSON object per file (one per line) instead of a readable summary.
    #[arg(long)]
    pub json: bool,
}

pub fn run_parse(args: ParseArgs) -> anyhow::Result<()> {
    let mut failed = 0;
    for file in &args.files {
        let result = parse_file(file, args.url.as_deref(), args.content_type.as_deref());
        if result.is_err() {
            failed += 1;
        }
        if args.json {
            println!("{}", json_report(file, &result));
        } else {
            match &result {
                Ok(feed) => print!("{}", text_report(file, feed)),
                Err(e) => eprintln!("{}: {e:#}", file.display()),
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} file(s) could not be parsed", args.files.len());
    }
    Ok(())
}

fn parse_file(file: &Path, url: Option<&str>, content_type: Option<&str>) -> anyhow::Result<ParsedFeed> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(newsdesk_feeds::parse(&bytes, url, content_type)?)
}

/// The `--json` object for one file; `error` only when nothing could be recovered.
fn json_report(file: &Path, result: &anyhow::Result<ParsedFeed>) -> Value {
    let feed = match result {
        Ok(feed) => feed,
        Err(e) => {
            return json!({"file": file.display().to_string(), "feed": null, "items": [], "repairs": [], "error": format!("{e:#}")})
        }
    };
    let m = &feed.meta;
    json!({
        "file": file.display().to_string(),
        "feed": {
            "id": m.id,
            "title": m.title,
            "link": m.link,
            "authors": m.authors,
            "description": m.description,
            "language": m.language,
            "updated": m.updated.map(|d| d.to_rfc3339()),
            "image": m.image,
        },
        "items": feed.items.iter().map(json_item).collect::<Vec<_>>(),
        "repairs": feed.repairs,
    })
}

fn json_item(item: &Item) -> Value {
    json!({
        "id": item.id,
        "title": item.title,
        "link": item.link,
        "published": item.published.map(|d| d.to_rfc3339()),
        "updated": item.updated.map(|d| d.to_rfc3339()),
        "authors": item.authors,
        "summary": item.summary,
        "content": item.content,
        "categories": item.categories,
        "image": item.image,
        "source": item.source.as_ref().map(|s| json!({"title": s.title, "url": s.url})),
    })
}

fn text_report(file: &Path, feed: &ParsedFeed) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let m = &feed.meta;
    let _ = writeln!(
        out,
        "{}: {}",
        file.display(),
        if m.title.is_empty() {
            "(untitled feed)"
        } else {
            &m.title
        }
    );
    if let Some(link) = &m.link {
        let _ = writeln!(out, "  link: {link}");
    }
    if let Some(id) = &m.id {
        let _ = writeln!(out, "  id: {id}");
    }
    if !m.authors.is_empty() {
        let _ = writeln!(out, "  authors: {}", m.authors.join(", "));
    }
    if let Some(image) = &m.image {
        let _ = writeln!(out, "  image: {image}");
    }
    if let Some(lang) = &m.language {
        let _ = writeln!(out, "  language: {lang}");
    }
    let _ = writeln!(out, "  {} item(s), {} repair(s)", feed.items.len(), feed.repairs.len());
    for r in &feed.repairs {
        let _ = writeln!(out, "  repaired: {r}");
    }
    for (i, item) in feed.items.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {}",
            i + 1,
            if item.title.is_empty() {
                "(untitled)"
            } else {
                &item.title
            }
        );
        if let Some(link) = &item.link {
            let _ = writeln!(out, "     link: {link}");
        }
        let _ = writeln!(out, "     id: {}", item.id);
        if let Some(d) = item.published {
            let _ = writeln!(out, "     published: {}", d.to_rfc3339());
        }
        if !item.authors.is_empty() {
            let _ = writeln!(out, "     authors: {}", item.authors.join(", "));
        }
        if let Some(s) = &item.summary {
            let short: String = s.chars().take(100).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            let _ = writeln!(out, "     summary: {short}{more}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_id_and_authors_are_shown() {
        let feed = newsdesk_feeds::parse(
            b"<feed xmlns='http://www.w3.org/2005/Atom'><title>T</title><id>urn:x:feed</id>\
              <author><name>Ann Writer</name></author><author><name>Bo</name></author>\
              <entry><id>e1</id><title>E</title></entry></feed>",
            None,
            None,
        )
        .expect("parses");
        let text = text_report(Path::new("f.xml"), &feed);
        assert!(text.contains("\n  id: urn:x:feed\n"), "{text}");
        assert!(text.contains("\n  authors: Ann Writer, Bo\n"), "{text}");
        let v = json_report(Path::new("f.xml"), &Ok(feed));
        assert_eq!(v["feed"]["id"], "urn:x:feed");
        assert_eq!(v["feed"]["authors"], json!(["Ann Writer", "Bo"]));
    }

    #[test]
    fn json_report_names_the_file_and_the_error() {
        let err: anyhow::Result<ParsedFeed> = Err(anyhow::anyhow!("not a feed: root element is <html>"));
        let v = json_report(Path::new("page.html"), &err);
        assert_eq!(v["file"], "page.html");
        assert_eq!(v["error"], "not a feed: root element is <html>");
    }

    #[test]
    fn json_report_has_the_documented_fields() {
        let feed = newsdesk_feeds::parse(
            b"<rss><channel><title>T</title><item><title>I</title><link>http://x/</link></item></channel></rss>",
            None,
            None,
        )
        .expect("parses");
        let v = json_report(Path::new("f.xml"), &Ok(feed));
        assert_eq!(v["feed"]["title"], "T");
        assert_eq!(v["items"][0]["id"], "http://x/");
        assert!(v.get("error").is_none());
        for key in [
            "id",
            "title",
            "link",
            "authors",
            "description",
            "language",
            "updated",
            "image",
        ] {
            assert!(v["feed"].get(key).is_some(), "feed.{key}");
        }
        for key in [
            "id",
            "title",
            "link",
            "published",
            "updated",
            "authors",
            "summary",
            "content",
            "categories",
            "image",
        ] {
            assert!(v["items"][0].get(key).is_some(), "{key}");
        }
    }
}
