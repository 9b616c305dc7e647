//! Time one file: `cargo run --release --example timeone -- FILE`.
fn main() {
    let Some(p) = std::env::args().nth(1) else {
        eprintln!("usage: timeone FILE");
        return;
    };
    let bytes = match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{p}: {e}");
            return;
        }
    };
    let t = std::time::Instant::now();
    let (html, _) = newsdesk_extract::decode::decode(&bytes, None);
    eprintln!("decode {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let dom = newsdesk_extract::dom::Dom::parse(&html);
    eprintln!("parse {:?} nodes {}", t.elapsed(), dom.nodes.len());
    let t = std::time::Instant::now();
    let an = newsdesk_extract::content::analyze(&dom);
    eprintln!("analyze {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let roots = newsdesk_extract::content::choose(&dom, &an);
    eprintln!("choose {:?} roots {}", t.elapsed(), roots.len());
    let t = std::time::Instant::now();
    let a = newsdesk_extract::extract(&bytes, &Default::default());
    eprintln!("extract {:?} text {}", t.elapsed(), a.text.len());
}
