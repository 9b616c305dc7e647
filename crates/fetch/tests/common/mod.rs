//! A loopback HTTP/1.1 server written on a bare TcpListener so that it can misbehave on purpose
//! (hang, cut bodies short, lie about lengths), and test settings with small limits.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use newsdesk_fetch::FetchSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// What the server does with a request.
pub enum Reply {
    /// A complete response; Content-Length is added unless `headers` has one.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// These exact bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// These bytes, then nothing for a minute (the client must give up first).
    Hang(Vec<u8>),
    /// `head`, then `chunk` repeated until `total` bytes are sent or the client goes away;
    /// the bytes written are added to `sent`.
    Stream {
        head: String,
        chunk: Vec<u8>,
        total: u64,
        sent: Arc<AtomicU64>,
    },
    /// The inner reply after a pause (to observe how many requests are in flight at once).
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: Vec::new(),
        }
    }

    pub fn with_header(status: u16, name: &str, value: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![(name.into(), value.into())],
            body: Vec::new(),
        }
    }
}

type Handler = dyn Fn(&Hit, usize) -> Reply + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
    load: Arc<Load>,
}

/// Requests being served now, and the most ever served at once.
#[derive(Default)]
struct Load {
    active: AtomicUsize,
    peak: AtomicUsize,
}

impl TestServer {
    /// Starts a server on 127.0.0.1; `handler` gets each request and how many requests to the
    /// same path came before it, plus one.
    pub async fn start(handler: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        TestServer::serve_on(listener, handler)
    }

    /// The same server on `[::1]`, or None where the machine has no IPv6 loopback.
    pub async fn start_ipv6(handler: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> Option<TestServer> {
        let listener = TcpListener::bind("[::1]:0").await.ok()?;
        Some(TestServer::serve_on(listener, handler))
    }

    fn serve_on(listener: TcpListener, handler: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> TestServer {
        let addr = listener.local_addr().expect("local addr");
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let server_hits = hits.clone();
        let load: Arc<Load> = Arc::default();
        let server_load = load.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let hits = server_hits.clone();
                let handler = handler.clone();
                let load = server_load.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, hits, handler, load).await;
                });
            }
        });
        TestServer { addr, hits, load }
    }

    /// The most requests this server was answering at the same time.
    pub fn peak_in_flight(&self) -> usize {
        self.load.peak.load(Ordering::SeqCst)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("hits").clone()
    }

    pub fn hits_on(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }
}

async fn serve(
    mut stream: TcpStream,
    hits: Arc<Mutex<Vec<Hit>>>,
    handler: Arc<Handler>,
    load: Arc<Load>,
) -> std::io::Result<()> {
    let Some(hit) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let nth = {
        let mut hits = hits.lock().expect("hits");
        hits.push(hit.clone());
        hits.iter().filter(|h| h.path == hit.path).count()
    };
    let now = load.active.fetch_add(1, Ordering::SeqCst) + 1;
    load.peak.fetch_max(now, Ordering::SeqCst);
    let result = respond(&mut stream, handler(&hit, nth)).await;
    load.active.fetch_sub(1, Ordering::SeqCst);
    result
}

async fn respond(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    let reply = match reply {
        Reply::Delayed(pause, inner) => {
            tokio::time::sleep(pause).await;
            *inner
        }
        other => other,
    };
    match reply {
        Reply::Delayed(..) => {}
        Reply::Full { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\nConnection: close\r\n", reason(status));
            let has_length = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
            for (n, v) in &headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            if !has_length {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Reply::Raw(bytes) => stream.write_all(&bytes).await?,
        Reply::Hang(bytes) => {
            stream.write_all(&bytes).await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Reply::Stream {
            head,
            chunk,
            total,
            sent,
        } => {
            stream.write_all(head.as_bytes()).await?;
            let mut written = 0u64;
            while written < total {
                let n = chunk.len().min((total - written) as usize);
                stream.write_all(&chunk[..n]).await?;
                written += n as u64;
                sent.fetch_add(n as u64, Ordering::SeqCst);
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Hit>> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut tmp).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    Ok(Some(Hit {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// Settings for loopback tests: private networks allowed, small limits, no waiting.
pub fn test_settings() -> FetchSettings {
    FetchSettings {
        allow_private_networks: true,
        connect_timeout_secs: 2.0,
        timeout_secs: 10.0,
        read_idle_timeout_secs: 0.3,
        max_body_bytes: 1024 * 1024,
        max_attempts: 3,
        retry_base_delay_secs: 0.01,
        retry_max_wait_secs: 2.0,
        host_min_interval_secs: 0.0,
        respect_robots: false,
        ..FetchSettings::default()
    }
}
