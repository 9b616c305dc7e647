//! Fetch rate over loopback with politeness relaxed: `cargo run --release -p newsdesk-fetch
//! --example loopback_rate -- [requests] [body_bytes]`. Serves one host with keep-alive and
//! fetches every page through the Fetcher (one request at a time, as per-host politeness wants),
//! then prints pages per second.

use std::time::Instant;

use newsdesk_fetch::{FetchSettings, Fetcher, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let body_bytes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(60_000);

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let page = format!("<html><body><p>{}</p></body></html>", "x".repeat(body_bytes));
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut pending = Vec::new();
                // Keep-alive: answer every request head on the connection until it closes.
                loop {
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => pending.extend_from_slice(&buf[..n]),
                    }
                }
            });
        }
    });

    let fetcher = Fetcher::new(FetchSettings {
        allow_private_networks: true,
        host_min_interval_secs: 0.0,
        respect_robots: false,
        ..FetchSettings::default()
    })?;
    let start = Instant::now();
    let mut bytes = 0usize;
    for i in 0..requests {
        let resp = fetcher
            .fetch(&Request::page(format!("http://{addr}/article/{i}")))
            .await?;
        bytes += resp.body.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{requests} pages of {} bytes from one loopback host in {secs:.2} s: {:.0} pages/s, {:.1} MB/s",
        page.len(),
        requests as f64 / secs,
        bytes as f64 / secs / 1e6
    );
    Ok(())
}
