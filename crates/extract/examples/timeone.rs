//! Time one file: `cargo run --release --example timeone -- FILE`.
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let t = std::time::Instant::now();
    let (html, _) = newsdesk_extract::decode::decode(&bytes, None);
    eprintln!("decode {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let c = newsdesk_extract::dom::cap_nesting(&html);
    eprintln!("cap {:?} {}", t.elapsed(), matches!(c, std::borrow::Cow::Borrowed(_)));
    let t = std::time::Instant::now();
    let d = dom_query::Document::from(html.as_str());
    eprintln!("html5ever {:?}", t.elapsed());
    drop(d);
    let t = std::time::Instant::now();
    let dom = newsdesk_extract::dom::Dom::parse(&html);
    eprintln!("parse+arena {:?} nodes {}", t.elapsed(), dom.nodes.len());
    let t = std::time::Instant::now();
    let a = newsdesk_extract::extract(&bytes, &Default::default());
    eprintln!("extract {:?} text {}", t.elapsed(), a.text.len());
}
