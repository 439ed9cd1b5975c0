//! The PostgreSQL store: several Byline nodes share one database.
//!
//! The queries are the shared ones of `src/sql/`, compiled here against PostgreSQL
//! (ADR 11); this module holds only what is PostgreSQL's own: the connection pool,
//! migrations, the dialect's fragments, LISTEN/NOTIFY and writing tables for
//! `migrate-store`.

// The shared queries (src/sql/), compiled here for this backend. The same source is
// mounted in `sqlite` too, on purpose (ADR 11): hence the allowed lint.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;
mod transfer;

use crate::dialect::Dialect;
use crate::{StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgPool, Row};
use std::str::FromStr;
use std::time::Duration;

/// The names the shared query modules are compiled against.
type Db = sqlx::Postgres;
type Backend = PostgresStore;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a pooled connection may sit idle before it is checked with a ping on its
/// way out of the pool.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// A Byline outlet in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    // One pool serves both; the names match the SQLite store's, as the shared queries
    // use them.
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
            // sqlx pings every connection before handing it out, a round trip to the
            // server per query. Only a connection that sat idle can have been dropped
            // without our noticing (a server restart, a proxy's idle timeout; a broken
            // one in use is caught by sqlx's ping on release): ping just those.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
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
            .map_err(crate::error::migration_failed)?;
        sql::media::backfill_media_library(self).await
    }

    pub async fn close(&self) {
        self.write.close().await;
    }

    /// Listens for other nodes' changes and calls `wake` with each one's sequence number.
    /// A dropped connection is re-established by the listener; what was notified in
    /// between is found by the followers' poll of the table, so nothing is missed.
    async fn listen_for_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.read).await?;
        listener.listen(sql::feed::CHANNEL).await?;
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(notification) => match notification.payload().parse::<i64>() {
                        Ok(seq) => wake(seq),
                        Err(_) => tracing::warn!(
                            payload = notification.payload(),
                            "unexpected change notification"
                        ),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for changes failed; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(true)
    }
}

impl Dialect for sqlx::Postgres {
    const BEGIN_WRITE: &'static str = "begin";
    const NO_INDEX: &'static str = "";
    const STRING_POSITION: &'static str = "strpos";
    const GREATEST: &'static str = "greatest";
    const PUBLISHED_YEAR: &'static str =
        "cast(extract(year from to_timestamp(published_at) at time zone 'UTC') as bigint)";
    const PUBLISHED_MONTH: &'static str =
        "cast(extract(month from to_timestamp(published_at) at time zone 'UTC') as bigint)";
    // Arrays of ids.
    const LINK_COLUMNS: &'static str = "\
        array(select author_id from article_authors where article_id = a.id order by position) as author_ids, \
        array(select tag_id from article_tags where article_id = a.id order by tag_id) as tag_ids";
    const TRANSLATIONS_COLUMN: &'static str = ", \
        (select coalesce(json_agg(json_build_object('id', t.id, 'edition', t.edition, 'slug', t.slug, 'section', t.section_id) order by t.id), '[]')::text \
         from articles t where t.translation_group = a.translation_group and t.status = 'published') as translations";
    // The tables of the store's schema that its role owns, each sampled (30,000 rows at
    // most by default). A bare `analyze` also visits the shared catalogs, and for a
    // role that is not a superuser each one it may not analyze is a warning, which sqlx
    // logs. ANALYZE may run in a transaction, hence in a DO block.
    const ANALYZE: &'static [&'static str] = &["do $$
        declare t text;
        begin
          for t in select format('%I.%I', schemaname, tablename) from pg_tables
                    where schemaname = current_schema() and tableowner = current_user
          loop
            execute 'analyze ' || t;
          end loop;
        end $$"];
    // Concurrent writers take sequence numbers in one order and may commit in another:
    // this transaction-scoped lock, held from before the insert to the commit, makes
    // commit order equal sequence order.
    const CHANGE_ORDER_LOCK: Option<&'static str> = Some("select pg_advisory_xact_lock(7242001)");
    const CHANGE_NOTIFY: Option<&'static str> = Some("select pg_notify($1, $2)");

    fn id_list(row: &PgRow, column: &str) -> StoreResult<Vec<i64>> {
        Ok(row.try_get(column)?)
    }
}
