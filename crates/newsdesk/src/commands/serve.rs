//! `newsdesk serve`: the API, full-text feeds and the web reader.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::config::Config;
use crate::serve::{check_addr, AppState, SharedStore};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: [serve] addr, 127.0.0.1:8080). Port 0 picks a free port.
    #[arg(long)]
    pub addr: Option<String>,
    /// Allow a non-loopback address (serve other machines).
    #[arg(long)]
    pub public: bool,
    /// Store connections used in parallel by readers.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
}

pub fn run(args: ServeArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let mut serve = config.serve.clone();
    if let Ok(token) = std::env::var("NEWSDESK_TOKEN") {
        serve.token = token;
    }
    let addr_text = args.addr.clone().unwrap_or_else(|| serve.addr.clone());
    let addr: SocketAddr = addr_text
        .parse()
        .with_context(|| format!("--addr {addr_text:?} is not an address like 127.0.0.1:8080"))?;
    check_addr(&addr, args.public || serve.public)?;
    let mut stores: Vec<SharedStore> = Vec::new();
    for _ in 0..args.connections.max(1) {
        stores.push(crate::desk::open_store(&config, crate::desk::OpenMode::Existing)?);
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        let base = if serve.base_url.is_empty() {
            format!("http://{bound}")
        } else {
            serve.base_url.clone()
        };
        let state = Arc::new(AppState::new(stores, &serve, base)?);
        // The first line of output says where to connect (tests and scripts read it).
        println!("listening on http://{bound}");
        use std::io::Write;
        std::io::stdout().flush()?;
        crate::serve::serve(listener, state).await
    })
}
