//! `byline migrate-store --to postgres://…`: move the outlet from its SQLite file into an
//! empty PostgreSQL database, verified table by table (see `byline_store::transfer`).
//! Media stay where they are (point every node's `media_store` at them); the search
//! index is rebuilt by each PostgreSQL node at its first start.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use byline_store::transfer::{self, TransferOutcome};
use byline_store::{PostgresStore, SqliteStore};
use std::path::PathBuf;

pub async fn run(config: Config, from: Option<String>, to: &str) -> Result<()> {
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        bail!("--to must be a postgres:// URL, got {to:?}");
    }
    let source: PathBuf = match from.as_deref() {
        None => config.database_path(),
        Some(url) => PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url)),
    };
    if !source.exists() {
        bail!("no SQLite outlet at {}", source.display());
    }
    let sqlite = SqliteStore::open(&source)
        .await
        .with_context(|| format!("opening {}", source.display()))?;
    sqlite.migrate().await?;
    let postgres = PostgresStore::connect(to)
        .await
        .context("connecting to the target PostgreSQL database")?;
    postgres.migrate().await?;
    let outcome = transfer::sqlite_to_postgres(&sqlite, &postgres).await;
    sqlite.close().await;
    postgres.close().await;
    let (verb, tables) = match outcome? {
        TransferOutcome::Copied(t) => ("moved", t),
        TransferOutcome::AlreadyThere(t) => ("was already in the target; verified", t),
    };
    for t in &tables {
        println!(
            "{:<22} {:>9} rows  checksum {}",
            t.table, t.rows, t.checksum
        );
    }
    let rows: u64 = tables.iter().map(|t| t.rows).sum();
    println!(
        "the outlet {verb}: {} tables, {rows} rows, counts and checksums equal in both databases",
        tables.len()
    );
    Ok(())
}
