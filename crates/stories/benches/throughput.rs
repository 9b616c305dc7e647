//! Throughput of clustering and tagging on generated news-shaped articles (a 9-word headline, a
//! 450-word text, a source, a URL, dates a minute apart), one thread. Prints articles per second.
//!
//! `cargo bench -p newsdesk-stories --bench throughput [-- ARTICLES]`

use newsdesk_stories::{tags_and_entities, Article, Clusterer, Fingerprint};
use std::time::Instant;

const COMMON: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "it",
    "would",
    "raise",
    "taxes",
    "for",
    "banks",
    "after",
    "a",
    "year",
    "of",
    "record",
    "profits",
    "and",
    "growing",
    "pressure",
    "from",
    "voters",
    "in",
    "the",
    "capital",
    "where",
    "prices",
    "have",
    "risen",
    "sharply",
    "since",
    "spring",
    "officials",
    "say",
    "plan",
    "could",
    "be",
    "approved",
    "by",
    "parliament",
    "next",
    "month",
    "while",
    "critics",
    "warned",
    "companies",
    "may",
    "cut",
    "jobs",
    "investors",
    "market",
    "shares",
    "fell",
    "percent",
    "trading",
    "analysts",
    "expect",
    "central",
    "bank",
    "interest",
    "rates",
    "inflation",
    "economy",
    "growth",
    "data",
    "report",
    "minister",
    "election",
    "police",
    "court",
    "judge",
    "trial",
    "company",
    "chief",
    "executive",
];
const NAMES: &[&str] = &[
    "Lisbon",
    "Tagus",
    "Ribeiro",
    "Gazprom",
    "Ukraine",
    "Kyiv",
    "Moscow",
    "Berlin",
    "Merkel",
    "Sbarro",
    "Titanfall",
    "Microsoft",
    "Xbox",
    "Colorado",
    "Denver",
    "Lohan",
    "Oprah",
    "Bitcoin",
    "Tokyo",
    "Karpeles",
    "Netflix",
    "Comcast",
    "Apple",
    "Google",
    "Twitter",
    "Boeing",
    "Airbus",
    "Malaysia",
    "Beijing",
    "Reuters",
];

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

fn sentence(rng: &mut Rng, words: usize, story: usize, focus: u64) -> String {
    let mut out = Vec::with_capacity(words);
    for i in 0..words {
        let w = if rng.next().is_multiple_of(8) {
            // Each story has its own few names, so that there are stories to find.
            NAMES[(story * 3 + (rng.next() % 3) as usize) % NAMES.len()].to_string()
        } else if rng.next().is_multiple_of(focus) {
            // Words of the story's own (its topic), and some rare words anywhere.
            format!("s{story}w{}", rng.next() % 6)
        } else if rng.next().is_multiple_of(9) {
            format!("w{}", rng.next() % 5000)
        } else {
            rng.pick(COMMON).to_string()
        };
        out.push(if i == 0 { capitalise(&w) } else { w });
    }
    out.join(" ") + "."
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn articles(n: usize) -> Vec<Article> {
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let story = (rng.next() % 200) as usize;
            let mut a = Article::new(format!("a{i}"), sentence(&mut rng, 9, story, 2));
            let text: Vec<String> = (0..30).map(|_| sentence(&mut rng, 15, story, 8)).collect();
            a.text = Some(text.join(" "));
            a.source = Some(format!("outlet{}", rng.next() % 40));
            a.url = Some(format!(
                "https://outlet{}.example/news/{i}/story-about-{}",
                rng.next() % 40,
                story
            ));
            a.date = Some(1_400_000_000 + 60 * i as i64);
            a
        })
        .collect()
}

/// CPU time of this thread (Linux `schedstat`), so that figures hold on a busy machine too.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Prints wall-clock and CPU throughput of one phase.
fn report(what: &str, n: usize, wall: Instant, cpu: Option<f64>, note: String) {
    let secs = wall.elapsed().as_secs_f64();
    let cpu = match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => format!(", CPU {:.3} s = {:.0} articles/s", b - a, n as f64 / (b - a)),
        _ => String::new(),
    };
    println!(
        "{what}: {n} articles, wall {secs:.3} s = {:.0} articles/s{cpu} ({note})",
        n as f64 / secs
    );
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20_000);
    let input = articles(n);

    let (start, cpu) = (Instant::now(), cpu_seconds());
    let mut clusterer = Clusterer::default();
    let mut new_stories = 0;
    for a in &input {
        new_stories += usize::from(clusterer.assign(a).new_story);
    }
    report("cluster", n, start, cpu, format!("{new_stories} stories"));

    let (start, cpu) = (Instant::now(), cpu_seconds());
    let mut tags = 0;
    for a in &input {
        // What `newsdesk tags` does: ranked tags and the named entities.
        let got = tags_and_entities(&a.title, a.text.as_deref().unwrap_or_default(), None, 10);
        tags += got.tags.len() + got.entities.people.len() + got.entities.places.len();
    }
    report("tags", n, start, cpu, format!("{tags} tags"));

    let (start, cpu) = (Instant::now(), cpu_seconds());
    let mut prints = 0;
    for a in &input {
        prints += usize::from(Fingerprint::from_text(a.text.as_deref().unwrap_or_default()).is_some());
    }
    report("fingerprints", n, start, cpu, format!("{prints} fingerprints"));
}
