//! The PostgreSQL store: several Byline nodes share one database.
//!
//! Same queries as the SQLite store in PostgreSQL's dialect (numbered placeholders,
//! `on conflict do nothing`, `strpos`); both pass the conformance story.

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
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A Byline outlet in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    // One pool serves both; the names match the SQLite store's so queries read the same.
    read: PgPool,
    write: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/db`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(StoreError::from)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Ok(Self {
            read: pool.clone(),
            write: pool,
        })
    }

    /// Applies pending migrations. Refuses a database migrated by a newer Byline.
    pub async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.write)
            .await
            .map_err(crate::error::migration_failed)
    }

    pub async fn close(&self) {
        self.write.close().await;
    }
}

pub(crate) fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}
