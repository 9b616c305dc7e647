//! `newsdesk extract` and `newsdesk eval`.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use newsdesk_extract::{extract, rules::Rules, score, Article, Options};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// HTML files (`-` for stdin, `.gz` accepted). With none, `--url` is fetched.
    pub files: Vec<PathBuf>,
    /// The page's URL (base for relative links); fetched when no file is given.
    #[arg(long)]
    pub url: Option<String>,
    /// Output format: text, markdown, or json (one object per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// A rules file: per-domain CSS selectors to keep or drop (see the extract crate's README).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A folder with `pages/<id>.html.gz` and `truth.jsonl`.
    pub dataset: PathBuf,
    /// Write the predictions (JSONL, the scorer's input) to this file.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// Print the N worst pages by shingle F1 (for development).
    #[arg(long, default_value_t = 0)]
    pub worst: usize,
    /// Rules file, as for `extract`.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut raw = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut raw).context("reading stdin")?;
    } else {
        raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    }
    if path.extension().map(|e| e == "gz").unwrap_or(false) || raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .with_context(|| format!("decompressing {}", path.display()))?;
        return Ok(out);
    }
    Ok(raw)
}

fn file_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for suf in [".html.gz", ".htm.gz", ".html", ".htm", ".gz"] {
        if let Some(s) = name.strip_suffix(suf) {
            return s.to_string();
        }
    }
    name
}

fn load_rules(p: Option<&Path>) -> anyhow::Result<Option<Rules>> {
    match p {
        None => Ok(None),
        Some(p) => {
            let src = std::fs::read_to_string(p).with_context(|| format!("reading rules {}", p.display()))?;
            Ok(Some(
                Rules::parse(&src).with_context(|| format!("rules file {}", p.display()))?,
            ))
        }
    }
}

/// The JSON line of `newsdesk extract --format json` (also the eval's prediction line).
fn json_line(source: &str, id: &str, a: &Article) -> Value {
    json!({
        "source": source,
        "id": id,
        "title": a.title,
        "authors": a.authors,
        "author": join_authors(&a.authors),
        "published": a.published,
        "date": a.published,
        "modified": a.modified,
        "language": a.language,
        "site_name": a.site_name,
        "image": a.image,
        "description": a.description,
        "url": a.url,
        "text": a.text,
        "reason": a.reason,
    })
}

/// Authors as a byline reads: "A", "A and B", "A, B, and C"; null when none.
pub fn join_authors(a: &[String]) -> Value {
    match a.len() {
        0 => Value::Null,
        1 => Value::String(a[0].clone()),
        2 => Value::String(format!("{} and {}", a[0], a[1])),
        n => Value::String(format!("{}, and {}", a[..n - 1].join(", "), a[n - 1])),
    }
}

/// Fetch `url` with the pipeline's own fetcher: the `[fetch]` settings of the desk's config when there is
/// one (else the defaults), so the same limits, politeness and private-network guard apply.
fn fetch(url: &str, config_path: Option<&Path>) -> anyhow::Result<(Vec<u8>, Option<String>, String)> {
    let default_config = Path::new(crate::config::DEFAULT_CONFIG_FILE);
    let settings = match config_path {
        Some(path) => crate::config::Config::load(path)?.fetch,
        None if default_config.exists() => crate::config::Config::load(default_config)?.fetch,
        None => newsdesk_fetch::FetchSettings::default(),
    };
    let fetcher = newsdesk_fetch::Fetcher::new(settings).context("invalid [fetch] settings")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let resp = rt.block_on(fetcher.fetch(&newsdesk_fetch::Request::page(url)))?;
    Ok((resp.body, resp.content_type, resp.final_url))
}

/// A page to extract: where it came from, its id, its bytes, its Content-Type and its final URL.
type Input = (String, String, Vec<u8>, Option<String>, Option<String>);

pub fn run_extract(args: ExtractArgs, config_path: Option<&Path>) -> anyhow::Result<()> {
    let rules = load_rules(args.rules.as_deref())?;
    let mut inputs: Vec<Input> = Vec::new();
    if args.files.is_empty() {
        let Some(url) = args.url.as_deref() else {
            bail!("extract: give FILE... or --url URL")
        };
        let (body, ct, final_url) = fetch(url, config_path)?;
        inputs.push((
            url.to_string(),
            file_id(Path::new(url.trim_end_matches('/'))),
            body,
            ct,
            Some(final_url),
        ));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0;
    let run_one = |source: &str,
                   id: &str,
                   bytes: &[u8],
                   ct: Option<&str>,
                   url: Option<&str>,
                   out: &mut dyn Write|
     -> anyhow::Result<()> {
        if bytes.len() > newsdesk_extract::MAX_INPUT {
            eprintln!(
                "{source}: the page has {} bytes; only the first {} are extracted",
                bytes.len(),
                newsdesk_extract::MAX_INPUT
            );
        }
        let a = extract(
            bytes,
            &Options {
                url,
                content_type: ct,
                rules: rules.as_ref(),
            },
        );
        match args.format {
            Format::Json => writeln!(out, "{}", json_line(source, id, &a))?,
            Format::Text | Format::Markdown => {
                if let Some(t) = &a.title {
                    if matches!(args.format, Format::Markdown) {
                        writeln!(out, "# {t}\n")?;
                    } else {
                        writeln!(out, "{t}\n")?;
                    }
                }
                let body = if matches!(args.format, Format::Markdown) {
                    &a.markdown
                } else {
                    &a.text
                };
                if body.is_empty() {
                    if let Some(r) = &a.reason {
                        eprintln!("{source}: {r}");
                    }
                } else {
                    writeln!(out, "{body}")?;
                }
                if args.files.len() > 1 {
                    writeln!(out)?;
                }
            }
        }
        Ok(())
    };
    for (source, id, body, ct, final_url) in &inputs {
        run_one(source, id, body, ct.as_deref(), final_url.as_deref(), &mut out)?;
    }
    for f in &args.files {
        match read_input(f) {
            Ok(bytes) => {
                let source = f.display().to_string();
                run_one(&source, &file_id(f), &bytes, None, args.url.as_deref(), &mut out)?;
            }
            Err(e) => {
                failures += 1;
                eprintln!("newsdesk: {e:#}");
            }
        }
    }
    out.flush()?;
    if failures > 0 {
        bail!("{failures} of {} files could not be read", args.files.len());
    }
    Ok(())
}

pub fn run_eval(args: EvalArgs) -> anyhow::Result<()> {
    let rules = load_rules(args.rules.as_deref())?;
    let truth_path = args.dataset.join("truth.jsonl");
    let f = std::fs::File::open(&truth_path).with_context(|| format!("opening {}", truth_path.display()))?;
    let mut truth = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).with_context(|| format!("{}:{}", truth_path.display(), n + 1))?;
        truth.push(v);
    }
    let pb = indicatif::ProgressBar::new(truth.len() as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed_precise} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut preds: HashMap<String, Value> = HashMap::new();
    let mut lines = Vec::new();
    let mut times = Vec::new();
    for t in &truth {
        let id = match t.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => continue,
        };
        let url = t.get("url").and_then(|u| u.as_str());
        let page = args.dataset.join("pages").join(format!("{id}.html.gz"));
        let bytes = match read_input(&page) {
            Ok(b) => b,
            Err(e) => {
                pb.suspend(|| eprintln!("newsdesk: {e:#}"));
                pb.inc(1);
                continue;
            }
        };
        let start = Instant::now();
        let a = extract(
            &bytes,
            &Options {
                url,
                content_type: None,
                rules: rules.as_ref(),
            },
        );
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let v = json_line(&page.display().to_string(), &id, &a);
        lines.push(v.to_string());
        preds.insert(id, v);
        pb.inc(1);
    }
    pb.finish_and_clear();
    if let Some(p) = &args.predictions {
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?);
        for l in &lines {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
    }
    let (s, pages) = score::score(&truth, &preds);
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |q: f64| -> f64 {
        if times.is_empty() {
            return f64::NAN;
        }
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times[i.min(times.len() - 1)]
    };
    let median = if times.is_empty() {
        f64::NAN
    } else if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!("{s}");
    println!(
        "median_ms={:.2}  p95_ms={:.2}  max_ms={:.2}",
        median,
        pct(0.95),
        times.last().copied().unwrap_or(f64::NAN)
    );
    if args.worst > 0 {
        let mut ranked: Vec<_> = pages
            .iter()
            .map(|p| {
                let (pr, rc) = (p.precision.unwrap_or(0.0), p.recall.unwrap_or(0.0));
                let f = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
                (f, p)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        for (f, p) in ranked.iter().take(args.worst) {
            println!(
                "worst {} f1={:.3} p={:.3} r={:.3}",
                p.id,
                f,
                p.precision.unwrap_or(0.0),
                p.recall.unwrap_or(0.0)
            );
        }
        for p in &pages {
            let mut bad = Vec::new();
            if p.title_ok == Some(false) {
                bad.push("title");
            }
            if p.author_ok == Some(false) {
                bad.push("author");
            }
            if p.date_ok == Some(false) {
                bad.push("date");
            }
            if !bad.is_empty() {
                println!("meta {} {}", p.id, bad.join(","));
            }
        }
    }
    Ok(())
}
