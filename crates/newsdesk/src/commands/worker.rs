//! `newsdesk worker [--roles …]`: one of several processes sharing a desk's PostgreSQL store. Each claims the
//! items it works on (leases that expire when it dies), books its requests in the store's per-host slots, and
//! takes the one-at-a-time roles (enrich, publish) when nobody holds them.

use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use clap::Args;

use crate::config::Config;
use crate::desk::{open_store, OpenMode, RunLock};
use crate::pipeline::run::{Pipeline, Roles};
use crate::store::{Location, Store, WorkerRow};

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The stages this worker runs, comma-separated: poll, resolve, fetch, enrich, publish. Enrich (tags and
    /// stories) and publish run in one worker at a time; the others take over when it stops.
    #[arg(long, default_value = "poll,resolve,fetch,enrich,publish")]
    pub roles: String,
    /// Seconds between passes when a pass found nothing to do (a busy worker goes straight on).
    #[arg(long, default_value_t = 10)]
    pub interval: u64,
    /// One pass, then exit.
    #[arg(long)]
    pub once: bool,
}

/// The worker's name in the store: host and process id, unique among live processes.
pub fn worker_id() -> (String, String) {
    let host = crate::desk::host_name();
    (format!("{host}:{}", std::process::id()), host)
}

pub fn worker(args: WorkerArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let wanted = Roles::parse(&args.roles).context("invalid --roles")?;
    // Two processes on one SQLite file are refused (the file lock names the holder): claiming would work,
    // but SQLite has one writer at a time, so a second process adds waiting, not throughput.
    let _file_lock = match config.store_location() {
        Location::Sqlite(path) => Some(RunLock::acquire(&path, "newsdesk worker")?),
        Location::Postgres(_) => None,
    };
    let store = open_store(&config, OpenMode::Publishing { new_store: false })?;
    if _file_lock.is_some() {
        // The only process on this file: leases left by a killed one are free now.
        store.release_leases(None)?;
    }
    let (id, host) = worker_id();
    let started_at = Utc::now();
    let beat = |store: &dyn Store| -> anyhow::Result<()> {
        Ok(store.heartbeat(&WorkerRow {
            id: id.clone(),
            host: host.clone(),
            pid: std::process::id(),
            roles: wanted.names(),
            started_at,
            heartbeat_at: Utc::now(),
        })?)
    };
    beat(&*store)?;
    let holder = format!("worker {id}, pid {}", std::process::id());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let outcome = rt.block_on(async {
        let mut pipeline = Pipeline::new(&config, &*store)?;
        pipeline.set_lease_owner(&id);
        pipeline.share_hosts(store.clone());
        let mut held = wanted.without_single();
        loop {
            let (now_held, _) = wanted.take_single(&*store, held, &holder)?;
            if now_held != held {
                tracing::info!(roles = %now_held.names().join(","), "this worker's roles");
            }
            held = now_held;
            pipeline.set_roles(held);
            let s = pipeline.run_once(true).await?;
            beat(&*store)?;
            let busy = s.feeds_polled + s.resolved + s.extracted + s.enriched + s.published + s.item_errors > 0;
            if busy {
                println!(
                    "worker {id} [{}]: polled {} feeds ({} failed), {} new items, {} resolved, {} extracted, {} enriched, {} posts written, {} item errors",
                    held.names().join(","),
                    s.feeds_polled, s.feeds_failed, s.new_items, s.resolved, s.extracted, s.enriched, s.published, s.item_errors
                );
            }
            if let Some(why) = &s.hugo_build_failed {
                eprintln!("warning: worker {id}: the posts were written, but Hugo could not build the site: {why}; trying again next pass");
            }
            if args.once {
                return anyhow::Ok(());
            }
            // A pass that found work goes straight on to the next (other workers may have left more); an idle
            // one waits the interval.
            let pause = if busy {
                Duration::ZERO
            } else {
                Duration::from_secs(args.interval.max(1))
            };
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown() => return anyhow::Ok(()),
            }
        }
    });
    // A worker that stops cleanly hands its items back at once instead of when the leases expire.
    store.release_leases(Some(&id))?;
    store.remove_worker(&id)?;
    outcome
}

/// Ctrl-C or SIGTERM (what `kill` and service managers send).
async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
