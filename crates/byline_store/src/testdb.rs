//! Fresh PostgreSQL databases for tests: one per test, dropped afterwards.
//!
//! The server comes from `BYLINE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, the machine's local server). When it
//! cannot be reached, tests skip with a printed reason — except in CI (`CI` set), where
//! PostgreSQL is always started by `.ci/run` and a missing server is a failure.

pub mod outage;

use crate::PostgresStore;
use sqlx::Connection;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database created for one test; `drop_db` removes it.
pub struct TestDatabase {
    pub url: String,
    name: String,
    admin_url: String,
}

fn admin_url() -> String {
    std::env::var("BYLINE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

impl TestDatabase {
    /// Creates a fresh, empty database, or `None` (with a printed reason) outside CI when
    /// no server answers.
    pub async fn create() -> Option<Self> {
        Self::create_from(None).await
    }

    /// Like [`create`](Self::create), as a copy of the database `template` (PostgreSQL
    /// copies files, which is much faster than loading content again).
    pub async fn create_from(template: Option<&str>) -> Option<Self> {
        let admin_url = admin_url();
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) => {
                if std::env::var_os("CI").is_some() {
                    panic!("PostgreSQL at {admin_url} is required in CI: {e}");
                }
                eprintln!("skipped: PostgreSQL at {admin_url} is not reachable ({e})");
                return None;
            }
        };
        let name = format!(
            "byline_test_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_nanosecond() % 1_000_000_000_000
        );
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let name = format!(
            "{name}_{}",
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let sql = match template {
            Some(t) => format!("create database {name} template {t}"),
            None => format!("create database {name}"),
        };
        sqlx::query(&sql)
            .execute(&mut admin)
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        Some(Self {
            url: format!("{base}/{name}"),
            name,
            admin_url,
        })
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> PostgresStore {
        let store = PostgresStore::connect(&self.url)
            .await
            .expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        store
    }

    /// The connection URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (to use it as a template).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub async fn drop_db(self) {
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!(
                "drop database if exists {} with (force)",
                self.name
            ))
            .execute(&mut admin)
            .await;
        }
    }
}
