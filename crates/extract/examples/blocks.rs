//! Dump the rendered blocks of every page of a dataset as JSON lines (id, kind, text, link
//! chars): `cargo run --release --example blocks -- DATASET > blocks.jsonl`. For studying which
//! kinds of blocks carry boilerplate.
use std::io::Read;

fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: blocks DATASET");
        return;
    };
    let mut names: Vec<_> = std::fs::read_dir(dir.join("pages"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        let id = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .trim_end_matches(".html.gz")
            .to_string();
        let Ok(raw) = std::fs::read(&p) else { continue };
        let mut bytes = vec![];
        if flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes).is_err() {
            continue;
        }
        use newsdesk_extract::*;
        let (html, _) = decode::decode(&bytes, None);
        let dom = dom::Dom::parse(&html);
        let m = meta::extract(&dom, None);
        let title = title::pick_title(&m);
        let an = content::analyze(&dom);
        let roots = content::choose(&dom, &an);
        let drop = content::junk_inside(&dom, &an, &roots);
        let mut blocks = render::render(&dom, &an, &drop, &roots, None);
        content::trim_blocks(&mut blocks, title.as_deref());
        for (k, b) in blocks.iter().enumerate() {
            println!(
                "{}",
                serde_json::json!({"id": id, "k": k, "kind": format!("{:?}", b.kind), "text": b.text, "links": b.link_chars})
            );
        }
    }
}
