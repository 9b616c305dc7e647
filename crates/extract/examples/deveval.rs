//! Development loop: `cargo run --release --example deveval -- DATASET [ID]`.
//! Scores the dev set like `newsdesk eval`; with an ID prints that page's extraction.
use newsdesk_extract::{extract, score, Options};
use serde_json::{json, Value};
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let only = args.get(2).cloned();
    let truth: Vec<Value> = std::fs::read_to_string(dir.join("truth.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut preds = std::collections::HashMap::new();
    let mut times = vec![];
    for t in &truth {
        let id = t["id"].as_str().unwrap().to_string();
        if let Some(o) = &only {
            if *o != id {
                continue;
            }
        }
        let raw = std::fs::read(dir.join("pages").join(format!("{id}.html.gz"))).unwrap();
        let mut bytes = vec![];
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes).unwrap();
        let st = std::time::Instant::now();
        let a = extract(
            &bytes,
            &Options {
                url: t["url"].as_str(),
                ..Default::default()
            },
        );
        times.push(st.elapsed().as_secs_f64() * 1000.0);
        if only.is_some() {
            let (html, _) = newsdesk_extract::decode::decode(&bytes, None);
            let dom = newsdesk_extract::dom::Dom::parse(&html);
            let an = newsdesk_extract::content::analyze(&dom);
            let roots = newsdesk_extract::content::choose(&dom, &an);
            for r in &roots {
                let mut chain = vec![];
                let mut k = *r;
                while k != u32::MAX {
                    let n = dom.node(k);
                    chain.push(format!(
                        "{}[{}|{}] t={} kt={} ld={:.2} rm={}",
                        n.tag,
                        n.attr("class").unwrap_or(""),
                        n.attr("id").unwrap_or(""),
                        an.tlen[k as usize],
                        an.ktlen[k as usize],
                        an.link_density(k),
                        an.removed[k as usize]
                    ));
                    k = n.parent;
                }
                eprintln!("ROOT {}", chain.join("\n   < "));
            }
            if std::env::var("DUMP").is_ok() {
                for (i, n) in dom.nodes.iter().enumerate() {
                    if !n.is_text() && an.tlen[i] > 200 {
                        eprintln!(
                            "{}{} [{}|{}] t={} kt={} rm={}",
                            "  ".repeat(n.depth as usize),
                            n.tag,
                            n.attr("class").unwrap_or(""),
                            n.attr("id").unwrap_or(""),
                            an.tlen[i],
                            an.ktlen[i],
                            an.removed[i]
                        );
                    }
                }
            }
            println!(
                "TITLE {:?}\nAUTH {:?}\nDATE {:?}\n---\n{}\n---TRUTH--- title {:?} author {:?} date {:?}\n{}",
                a.title,
                a.authors,
                a.published,
                a.text,
                t["title"],
                t["author"],
                t["date"],
                t["text"].as_str().unwrap()
            );
        }
        preds.insert(id.clone(), json!({"id": id, "text": a.text, "title": a.title, "author": match a.authors.len() { 0 => String::new(), 1 => a.authors[0].clone(), 2 => format!("{} and {}", a.authors[0], a.authors[1]), n => format!("{}, and {}", a.authors[..n-1].join(", "), a.authors[n-1]) }, "date": a.published}));
    }
    let (s, pages) = score::score(&truth, &preds);
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{s}\nmedian_ms={:.2} p95={:.2}",
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
    if only.is_none() {
        let mut r: Vec<_> = pages
            .iter()
            .map(|p| {
                let (a, b) = (p.precision.unwrap_or(0.), p.recall.unwrap_or(0.));
                (if a + b > 0. { 2. * a * b / (a + b) } else { 0. }, a, b, p)
            })
            .collect();
        r.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
        let mut f = std::fs::File::create("/tmp/worst.txt").unwrap();
        use std::io::Write;
        for (f1, p, rc, pg) in &r {
            writeln!(
                f,
                "{} f1={:.3} p={:.3} r={:.3} t={:?} a={:?} d={:?}",
                pg.id, f1, p, rc, pg.title_ok, pg.author_ok, pg.date_ok
            )
            .unwrap();
        }
        let mut f = std::fs::File::create("/tmp/preds.jsonl").unwrap();
        for v in preds.values() {
            writeln!(f, "{v}").unwrap();
        }
    }
}
