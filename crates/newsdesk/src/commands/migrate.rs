//! `newsdesk migrate --to postgres://…`: copy the desk's SQLite store into PostgreSQL and check the copy.

use anyhow::{bail, Context};
use clap::Args;

use crate::config::Config;

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The PostgreSQL database to copy into (`postgres://user@host/db`); created tables are left for the
    /// desk to use with `[store] url`.
    #[arg(long)]
    pub to: String,
}

pub fn run(args: MigrateArgs, config_path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let config = Config::locate(config_path)?;
    let source = config.store_path();
    if !source.exists() {
        bail!("no SQLite store at {} to copy", source.display());
    }
    if !args.to.starts_with("postgres://") && !args.to.starts_with("postgresql://") {
        bail!("--to must be a postgres:// URL (got {:?})", args.to);
    }
    // No run may write the store while it is copied.
    let _lock = crate::desk::RunLock::acquire(&source, "newsdesk migrate")?;
    let report = crate::store::migrate::sqlite_to_postgres(&source, &args.to)
        .with_context(|| format!("copying {} into PostgreSQL", source.display()))?;
    let mut bad = Vec::new();
    for t in &report {
        println!(
            "{:<18} {:>9} rows, {:>9} written, {:>9} in PostgreSQL, checksum {}",
            t.table,
            t.rows,
            t.changed,
            t.target_rows,
            if t.checksum_matches { "equal" } else { "DIFFERS" }
        );
        if !t.checksum_matches {
            bad.push(t.table);
        }
    }
    if !bad.is_empty() {
        bail!(
            "the copy differs from the source in {} (rows the target had before and the source has not?)",
            bad.join(", ")
        );
    }
    println!(
        "copied: set [store] url = \"{}\" (or NEWSDESK_STORE_URL) to use it",
        crate::store::Location::Postgres(args.to.clone()).display()
    );
    Ok(())
}
