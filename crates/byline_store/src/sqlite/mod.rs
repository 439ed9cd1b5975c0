//! The embedded store: one SQLite file in WAL mode.
//!
//! Reads go through a pool of connections; writes through a single connection, so
//! writers queue in-process instead of fighting over SQLite's file lock (no SQLITE_BUSY
//! under load).

mod accounts;
mod api;
mod articles;
mod feed;
mod media;
mod rows;
mod store;
mod syndication;
mod taxonomy;
mod transfer;

use crate::{StoreError, StoreResult};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A Byline outlet stored in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path`.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(StoreError::from)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged save survives a power cut, not only a process crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { read, write })
    }

    /// Applies pending migrations. Refuses a database migrated by a newer Byline.
    pub async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.write)
            .await
            .map_err(crate::error::migration_failed)
    }

    /// Writes a consistent copy of the whole database to `path` (which must not exist)
    /// while the outlet keeps serving and writing: `VACUUM INTO` reads one snapshot.
    pub async fn backup_into(&self, path: &Path) -> StoreResult<()> {
        sqlx::query("vacuum into ?")
            .bind(path.display().to_string())
            .execute(&self.read)
            .await?;
        Ok(())
    }

    /// Flushes the WAL into the main file and closes all connections.
    pub async fn close(&self) {
        let _ = sqlx::query("pragma wal_checkpoint(truncate)")
            .execute(&self.write)
            .await;
        self.read.close().await;
        self.write.close().await;
    }
}

pub(crate) fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}
