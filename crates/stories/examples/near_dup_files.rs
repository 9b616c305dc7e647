//! Prints the estimated similarity of two text files and whether they count as near-duplicates.
//!
//! `cargo run --release -p newsdesk-stories --example near_dup_files -- A.txt B.txt`

use newsdesk_stories::{is_near_duplicate, Fingerprint};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        return Err("usage: near_dup_files A.txt B.txt".into());
    };
    let read = |p: &str| -> Result<Fingerprint, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
        Fingerprint::from_text(&text).ok_or_else(|| format!("{p}: too short to fingerprint").into())
    };
    let (fa, fb) = (read(a)?, read(b)?);
    println!(
        "similarity {:.3}, near-duplicate: {}",
        fa.similarity(&fb),
        is_near_duplicate(&fa, &fb)
    );
    Ok(())
}
