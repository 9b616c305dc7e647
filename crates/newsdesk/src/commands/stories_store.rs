//! `newsdesk stories list [--since …]` and `newsdesk stories show ID`: the stories the pipeline stored.

use clap::Args;

use crate::config::Config;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only stories updated at or after this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// One JSON object per story.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Story id (see `newsdesk stories list`).
    pub id: String,
    /// Print the story and its articles as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `YYYY-MM-DD` or RFC 3339 → the stored time format, so that string comparison is time comparison.
fn normalize_since(since: &str) -> anyhow::Result<String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(since) {
        return Ok(crate::pipeline::format_time(t.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d") {
        return Ok(format!("{d}T00:00:00Z"));
    }
    anyhow::bail!("--since {since:?} is not a date (use YYYY-MM-DD or RFC 3339)")
}

pub fn list(args: ListArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let since = args.since.as_deref().map(normalize_since).transpose()?;
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    let stories = store.stories(since.as_deref())?;
    for s in &stories {
        if args.json {
            println!("{}", serde_json::to_string(s)?);
        } else {
            println!(
                "{}  {:>3} articles  {} .. {}  {}",
                s.id, s.article_count, s.first_seen, s.last_updated, s.headline
            );
        }
    }
    if stories.is_empty() && !args.json {
        println!("no stories yet (they are formed as `newsdesk run` extracts articles)");
    }
    Ok(())
}

pub fn show(args: ShowArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let store = crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?;
    let Some((story, articles)) = store.story_with_articles(&args.id)? else {
        anyhow::bail!("no story with id {:?} (see `newsdesk stories list`)", args.id);
    };
    if args.json {
        let articles: Vec<serde_json::Value> = articles
            .iter()
            .map(|a| {
                serde_json::json!({
                    "title": a.title, "url": a.url, "site_name": a.site_name, "published": a.published,
                    "authors": a.authors, "language": a.language, "tags": a.tags, "duplicate_of": a.duplicate_of,
                })
            })
            .collect();
        println!("{}", serde_json::json!({ "story": story, "articles": articles }));
        return Ok(());
    }
    println!(
        "{}\n  story {}  first seen {}  last updated {}",
        story.headline, story.id, story.first_seen, story.last_updated
    );
    for a in &articles {
        let outlet = a
            .site_name
            .clone()
            .or_else(|| newsdesk_publish::domain_of(&a.url))
            .unwrap_or_default();
        let dup = a
            .duplicate_of
            .map(|d| format!("  (near-duplicate of article {d})"))
            .unwrap_or_default();
        println!(
            "  - {}  [{}]  {}{}",
            a.title.as_deref().unwrap_or("(untitled)"),
            outlet,
            a.url,
            dup
        );
    }
    Ok(())
}
