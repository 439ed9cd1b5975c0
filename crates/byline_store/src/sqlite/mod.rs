//! The embedded store: one SQLite file in WAL mode.
//!
//! Reads go through a pool of connections; writes through a single connection, so
//! writers queue in-process instead of fighting over SQLite's file lock (no SQLITE_BUSY
//! under load).
//!
//! The queries are the shared ones of `src/sql/`, compiled here against SQLite (ADR 11);
//! this module holds only what is SQLite's own: opening the file, migrations, backup,
//! the dialect's fragments and reading tables for `migrate-store`.

// The shared queries (src/sql/), compiled here for this backend. The same source is
// mounted in `postgres` too, on purpose (ADR 11): hence the allowed lint.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;
mod transfer;

use crate::dialect::Dialect;
use crate::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The names the shared query modules are compiled against.
type Db = sqlx::Sqlite;
type Backend = SqliteStore;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a connection waits for a lock another connection holds (another process
/// writing or migrating) before it gives up with "database is locked". Set on every
/// connection, readers' and every command's included: a command waits for a busy
/// outlet instead of failing. Generous, as nothing holds the write lock for long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A Byline outlet stored in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    path: std::path::PathBuf,
}

/// When this process's commits reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit is on disk when it returns (`synchronous = FULL`): an acknowledged
    /// save survives a power cut, not only a process crash. What a server uses.
    EveryCommit,
    /// Commits are in the WAL, in order, but reach the disk only at
    /// [`SqliteStore::sync`] (`synchronous = NORMAL`): a process crash loses nothing,
    /// a power cut may lose the last commits but never leaves half of one. For a
    /// command that can simply be run again and ends with `sync` (`byline import`):
    /// an fsync per item was the largest part of its time.
    AtSync,
}

/// The page cache of each reading connection, in KiB (SQLite's default is 2,000). The
/// kernel's page cache holds the file once for everyone; each of the eight readers
/// kept its own copy of what it read besides, in its thread's malloc arena. A quarter
/// of the default keeps the B-trees' upper pages, and a miss is a read from the
/// kernel's copy (no slower uncached renders on the demo outlet: docs/PERFORMANCE.md).
const READ_CACHE_KIB: u32 = 512;

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path`, every commit durable.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with(path, Durability::EveryCommit).await
    }

    /// Opens (creating if needed) the database file at `path`; the writer commits as
    /// `durability` says (readers never write).
    pub async fn open_with(path: &Path, durability: Durability) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(StoreError::from)?
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let writer = match durability {
            Durability::EveryCommit => options.clone(),
            Durability::AtSync => options.clone().synchronous(SqliteSynchronous::Normal),
        };
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            // No ping before each use (sqlx's default): an SQLite connection is a
            // thread of this process with the file open, no server can drop it while
            // idle, and the ping was a round trip to that thread on every query beside
            // the query itself and sqlx's ping on release (docs/PERFORMANCE.md).
            .test_before_acquire(false)
            .connect_with(writer)
            .await?;
        use_wal(&write).await?;
        // sqlite.org's advice for long-lived connections: at open, statistics for the
        // tables that have none or have grown or shrunk tenfold since their last
        // (0x10002), within an analysis limit SQLite sets itself. An outlet grown by its
        // newsroom, with no import to analyze it (`ImportStore::analyze`), gets them at
        // its next start. Before the readers open, so they plan with them.
        sqlx::query("pragma optimize = 0x10002")
            .execute(&write)
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // As the writer's: no ping before each query.
            .test_before_acquire(false)
            .connect_with(
                options
                    .read_only(true)
                    .pragma("cache_size", format!("-{READ_CACHE_KIB}")),
            )
            .await?;
        Ok(Self {
            read,
            write,
            path: path.to_owned(),
        })
    }

    /// Puts every commit so far on disk: an fsync of the WAL (where commits go) and of
    /// the main file. Needed after writing with [`Durability::AtSync`]; harmless after
    /// [`Durability::EveryCommit`].
    pub async fn sync(&self) -> StoreResult<()> {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let files = [std::path::PathBuf::from(wal), self.path.clone()];
        tokio::task::spawn_blocking(move || {
            for file in files {
                match std::fs::File::open(&file) {
                    Ok(f) => f.sync_all()?,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Other(e.into()))?
        .map_err(|e| StoreError::Other(e.into()))
    }

    /// Applies pending migrations. Refuses a database migrated by a newer Byline.
    ///
    /// Under an exclusive lock on the database, across processes: two commands started
    /// at once on a new data folder would otherwise both find a migration missing and
    /// both apply it ("table settings already exists"). `begin exclusive` waits (busy
    /// timeout) while another process migrates or writes, and then reads what that one
    /// applied. sqlx runs each migration in a savepoint of this transaction, so the
    /// pending migrations are applied all together or not at all. This is SQLite's own
    /// file locking, which every process honours, and it ends with the transaction: a
    /// lock file would need a crate or a newer Rust than this workspace's (`File::lock`),
    /// and `locking_mode = exclusive` would hold the lock as long as the connection
    /// lives. (PostgreSQL's migrator takes an advisory lock instead.)
    pub async fn migrate(&self) -> StoreResult<()> {
        let mut tx = self.write.begin_with("begin exclusive").await?;
        // `run_direct`, sqlx's (hidden) form of `run` for a connection in hand: `run`
        // on one makes a future that is not `Send` (sqlx issue #2016).
        MIGRATOR
            .run_direct(&mut *tx)
            .await
            .map_err(crate::error::migration_failed)?;
        tx.commit().await?;
        sql::media::backfill_media_library(self).await
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

    /// SQLite cannot tell other processes' commits: followers find them by polling.
    async fn listen_for_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool> {
        let _ = wake;
        Ok(false)
    }
}

/// Puts the file in WAL mode (it stays so: later opens find it set). Unlike other
/// locks, the exclusive lock that switching needs is not waited for with the busy
/// timeout: when several processes open a new file at once, all but one get "database
/// is locked" here. They try again until [`BUSY_TIMEOUT`]; by then the file is in WAL
/// mode, and asking for it again changes nothing.
async fn use_wal(write: &SqlitePool) -> StoreResult<()> {
    let started = Instant::now();
    loop {
        match sqlx::query_scalar::<_, String>("pragma journal_mode = wal")
            .fetch_one(write)
            .await
        {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(mode) => {
                return Err(StoreError::Other(anyhow::anyhow!(
                    "the database stays in journal mode {mode:?} instead of WAL"
                )));
            }
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// SQLITE_BUSY, with any of its extended codes.
fn is_busy(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    db.code()
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == 5)
}

impl Dialect for sqlx::Sqlite {
    // Takes the write lock at once, waiting for it with the busy timeout. A plain
    // (deferred) transaction that reads first holds a snapshot; if another process
    // commits before it writes, SQLite refuses the write at once ("database is locked",
    // SQLITE_BUSY_SNAPSHOT) instead of waiting, as waiting could not help.
    const BEGIN_WRITE: &'static str = "begin immediate";
    const NO_INDEX: &'static str = "+";
    const STRING_POSITION: &'static str = "instr";
    const GREATEST: &'static str = "max";
    const PUBLISHED_YEAR: &'static str =
        "cast(strftime('%Y', published_at, 'unixepoch') as integer)";
    const PUBLISHED_MONTH: &'static str =
        "cast(strftime('%m', published_at, 'unixepoch') as integer)";
    // Comma-separated `key:id` items (SQLite has no arrays), in no particular order:
    // `id_list` sorts them by key. An ordered aggregate (`group_concat(x, ',' order by
    // y)`) makes SQLite build a temporary b-tree, with a page cache of its own, for each
    // one it evaluates: three for every article read, about a twentieth of the
    // instructions of an uncached article page. For the same reason the translations
    // come unordered and `rows::translations` sorts them.
    const LINK_COLUMNS: &'static str = "\
        (select group_concat(position || ':' || author_id) from article_authors where article_id = a.id) as author_ids, \
        (select group_concat(tag_id || ':' || tag_id) from article_tags where article_id = a.id) as tag_ids";
    const TRANSLATIONS_COLUMN: &'static str = ", \
        (select json_group_array(json_object('id', t.id, 'edition', t.edition, 'slug', t.slug, 'section', t.section_id)) \
         from articles t where t.translation_group = a.translation_group and t.status = 'published') as translations";
    // SQLite keeps statistics only when asked (`sqlite_stat1`). With a limit, ANALYZE
    // samples about that many rows of each index instead of reading all of them, as
    // sqlite.org advises (100 to 1,000). Other connections load the statistics with
    // the schema, and only reload the schema when it changes: ANALYZE rewriting an
    // existing `sqlite_stat1` is no change, and the readers would plan with the old
    // statistics until the pool replaced them. Dropping the table first (in the same
    // transaction, so no reader sees it gone) makes ANALYZE create it again, a schema
    // change every reader notices at its next statement.
    const ANALYZE: &'static [&'static str] = &[
        "pragma analysis_limit = 1000",
        "drop table if exists sqlite_stat1",
        "analyze",
    ];
    // One writer at a time (the file's write lock): commits are in sequence order.
    const CHANGE_ORDER_LOCK: Option<&'static str> = None;
    const CHANGE_NOTIFY: Option<&'static str> = None;

    fn id_list(row: &SqliteRow, column: &str) -> StoreResult<Vec<i64>> {
        let Some(list) = row.try_get::<Option<&str>, _>(column)? else {
            return Ok(Vec::new());
        };
        sorted_ids(list)
            .ok_or_else(|| StoreError::Other(anyhow::anyhow!("stored id list {list:?}")))
    }
}

/// The ids of a `LINK_COLUMNS` list (`key:id,key:id…`) in the order of their keys.
fn sorted_ids(list: &str) -> Option<Vec<i64>> {
    let mut items = list
        .split(',')
        .map(|item| {
            let (key, id) = item.split_once(':')?;
            Some((key.parse::<i64>().ok()?, id.parse::<i64>().ok()?))
        })
        .collect::<Option<Vec<(i64, i64)>>>()?;
    items.sort_unstable();
    Some(items.into_iter().map(|(_, id)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::{MIGRATOR, SqliteStore};
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::str::FromStr;

    /// A new store in a temporary folder, which lives as long as the `TempDir`.
    async fn temp_store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("byline.db"))
            .await
            .unwrap();
        (dir, store)
    }

    /// A bulk writer (`byline import`) skips the fsync per commit but keeps WAL mode,
    /// and `sync` puts what it wrote on disk; its readers are as any.
    #[tokio::test]
    async fn a_bulk_writer_commits_to_the_wal_and_syncs_at_the_end() {
        use super::Durability;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("byline.db");
        SqliteStore::open(&path)
            .await
            .unwrap()
            .migrate()
            .await
            .unwrap();
        let store = SqliteStore::open_with(&path, Durability::AtSync)
            .await
            .unwrap();
        let level = |pool| async move {
            let level: i64 = sqlx::query_scalar("pragma synchronous")
                .fetch_one(pool)
                .await
                .unwrap();
            level
        };
        assert_eq!(level(&store.write).await, 1, "synchronous = NORMAL");
        assert_eq!(level(&store.read).await, 2);
        let mode: String = sqlx::query_scalar("pragma journal_mode")
            .fetch_one(&store.write)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        sqlx::query("insert into redirects (path, target, origin, created_at) values ('/a', '/b', 'admin', 0)")
            .execute(&store.write)
            .await
            .unwrap();
        store.sync().await.unwrap();
        assert!(dir.path().join("byline.db-wal").is_file());
    }

    /// The durability docs/DEPLOYMENT.md promises (and the kill -9 test leans on): every
    /// connection commits with `synchronous = FULL` (2), in WAL mode.
    #[tokio::test]
    async fn every_connection_commits_durably() {
        let (_dir, store) = temp_store().await;
        for pool in [&store.write, &store.read] {
            let level: i64 = sqlx::query_scalar("pragma synchronous")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(level, 2, "synchronous = FULL");
            let mode: String = sqlx::query_scalar("pragma journal_mode")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
        }
        store.close().await;
    }

    /// The author and tag lists come as `key:id` items in no order; they are read in
    /// the order of their keys (an author's position in the byline).
    #[test]
    fn id_lists_are_read_in_the_order_of_their_keys() {
        assert_eq!(super::sorted_ids("2:7,0:31,1:4"), Some(vec![31, 4, 7]));
        assert_eq!(super::sorted_ids("12:12,3:3"), Some(vec![3, 12]));
        assert_eq!(super::sorted_ids("1:x"), None);
        assert_eq!(super::sorted_ids("17"), None, "an item without its key");
    }

    /// A list of ids of any length is one of a handful of statement texts, so a
    /// connection's statement cache does not fill with one large statement per length.
    #[tokio::test]
    async fn id_lists_of_every_length_share_a_few_statements() {
        use crate::ArticleStore;
        use sqlx::Connection;
        let (_dir, store) = temp_store().await;
        store.migrate().await.unwrap();
        for n in 1..=100 {
            let ids: Vec<byline_core::ArticleId> = (1..=n).map(byline_core::ArticleId).collect();
            assert!(store.published_summaries(&ids).await.unwrap().is_empty());
        }
        // One reader did all of it (sequential calls reuse the idle connection).
        let cached = store.read.acquire().await.unwrap().cached_statements_size();
        assert!(
            (1..=5).contains(&cached),
            "{cached} statements for 100 lengths"
        );
        store.close().await;
    }

    /// Readers keep a small page cache of their own (the kernel's holds the file once
    /// for all of them); the writer keeps SQLite's default.
    #[tokio::test]
    async fn readers_keep_a_small_page_cache() {
        let (_dir, store) = temp_store().await;
        let cache = |pool| async move {
            let kib: i64 = sqlx::query_scalar("pragma cache_size")
                .fetch_one(pool)
                .await
                .unwrap();
            kib
        };
        assert_eq!(cache(&store.read).await, -i64::from(super::READ_CACHE_KIB));
        assert_eq!(cache(&store.write).await, -2000);
        store.close().await;
    }

    /// Migration 24 moves the articles' bodies to the end of the row (so lists never
    /// walk their overflow pages) and keeps every article as it was.
    #[tokio::test]
    async fn article_bodies_move_to_the_end_of_the_row_with_nothing_lost() {
        use crate::ArticleStore;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("byline.db");
        let body_html = format!(
            "<p>{}</p>",
            "A long report from the river towns. ".repeat(400)
        );
        {
            // The schema as it was before, with a published story in it.
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(
                    SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
                        .unwrap()
                        .create_if_missing(true),
                )
                .await
                .unwrap();
            let before = sqlx::migrate::Migrator {
                migrations: MIGRATOR
                    .iter()
                    .filter(|m| m.version < 24)
                    .cloned()
                    .collect::<Vec<_>>()
                    .into(),
                ..sqlx::migrate::Migrator::DEFAULT
            };
            before.run(&pool).await.unwrap();
            sqlx::query(
                "insert into sections (id, slug, names, descriptions) values (1, 'towns', '{}', '{}')",
            )
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query(
                "insert into articles (id, edition, section_id, slug, title, subtitle,
                   body_markdown, body_html, search_text, status, published_at, created_at,
                   views, translation_group)
                 values (7, 'en', 1, 'river-towns', 'River towns', 'A subtitle', 'A *long* report',
                   ?, 'a long report', 'published', 1700000000, 1700000000, 42, 7)",
            )
            .bind(&body_html)
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        let store = SqliteStore::open(&path).await.unwrap();
        store.migrate().await.unwrap();
        let columns: Vec<String> =
            sqlx::query_scalar("select name from pragma_table_info('articles') order by cid")
                .fetch_all(&store.read)
                .await
                .unwrap();
        assert_eq!(
            columns[columns.len() - 3..],
            ["body_markdown", "body_html", "search_text"],
            "{columns:?}"
        );
        let (article, _) = store
            .published_article_with_translations("en", "river-towns")
            .await
            .unwrap();
        assert_eq!(article.body_html, body_html);
        assert_eq!(article.body_markdown, "A *long* report");
        assert_eq!(article.views, 42);
        let search_text: String =
            sqlx::query_scalar("select search_text from articles where id = 7")
                .fetch_one(&store.read)
                .await
                .unwrap();
        assert_eq!(search_text, "a long report");
        store.close().await;
    }

    /// The SQLite compiled in keeps no memory statistics (`.cargo/config.toml`): with
    /// them, every allocation inside SQLite took one process-wide lock.
    #[tokio::test]
    async fn sqlite_is_built_without_memory_statistics() {
        let (_dir, store) = temp_store().await;
        let options: Vec<String> = sqlx::query_scalar("pragma compile_options")
            .fetch_all(&store.read)
            .await
            .unwrap();
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
        store.close().await;
    }

    /// Connections leave the pools without a ping: a round trip to the connection's
    /// thread per query that could find nothing wrong.
    #[tokio::test]
    async fn pools_hand_out_connections_without_a_ping() {
        let (_dir, store) = temp_store().await;
        assert!(!store.read.options().get_test_before_acquire());
        assert!(!store.write.options().get_test_before_acquire());
        store.close().await;
    }

    /// 300 published stories in ten sections and three editions, written without
    /// anything analyzing them.
    async fn insert_stories(store: &SqliteStore) {
        for id in 1..=10_i64 {
            sqlx::query(
                "insert into sections (id, slug, names, descriptions) values (?, ?, '{}', '{}')",
            )
            .bind(id)
            .bind(format!("section-{id}"))
            .execute(&store.write)
            .await
            .unwrap();
        }
        for id in 1..=300_i64 {
            sqlx::query(
                "insert into articles (id, edition, section_id, slug, title, subtitle,
                   body_markdown, body_html, search_text, status, published_at, created_at,
                   views, translation_group)
                 values (?, ?, ?, ?, 'A story', '', 'text', '<p>text</p>', 'text',
                   'published', ?, ?, 0, ?)",
            )
            .bind(id)
            .bind(["en", "ru", "hy"][id as usize % 3])
            .bind(id / 3 % 10 + 1)
            .bind(format!("story-{id}"))
            .bind(1_700_000_000 + id)
            .bind(1_700_000_000 + id)
            .bind(id)
            .execute(&store.write)
            .await
            .unwrap();
        }
    }

    /// `analyze` leaves statistics the reading connections plan with, those open since
    /// an earlier analysis included: the list under an article ("more from the
    /// section") then reads the section's index instead of walking every published
    /// story of the outlet by date.
    #[tokio::test]
    async fn analyze_gives_the_planner_statistics() {
        use crate::ImportStore;
        let (_dir, store) = temp_store().await;
        store.migrate().await.unwrap();
        // An earlier analysis, of an outlet with no stories yet: `sqlite_stat1` exists.
        store.analyze().await.unwrap();
        let mut reader = store.read.acquire().await.unwrap();
        let mut more_plan = async || {
            use sqlx::Row;
            // A statement that reads the file first: a connection notices a changed
            // schema when it reads, and EXPLAIN alone does not. Not kept prepared, so
            // each plan is made with what the connection knows then.
            sqlx::query("select count(*) from articles")
                .execute(&mut *reader)
                .await
                .unwrap();
            let rows = sqlx::query(
                "explain query plan select a.id from articles a
                   where a.status = 'published' and a.edition = 'en' and a.section_id = 2
                     and a.id <> 4 order by a.published_at desc, a.id desc limit 9",
            )
            .persistent(false)
            .fetch_all(&mut *reader)
            .await
            .unwrap();
            let details: Vec<String> = rows.iter().map(|r| r.get("detail")).collect();
            details.join("; ")
        };
        insert_stories(&store).await;
        let plan = more_plan().await;
        assert!(plan.contains("articles_published"), "{plan}");

        store.analyze().await.unwrap();

        let analyzed: i64 =
            sqlx::query_scalar("select count(*) from sqlite_stat1 where tbl = 'articles'")
                .fetch_one(&store.read)
                .await
                .unwrap();
        assert!(analyzed > 0);
        let plan = more_plan().await;
        assert!(plan.contains("articles_section"), "{plan}");
        drop(reader);
        store.close().await;
    }

    /// A store opened on a file whose tables were never analyzed gets statistics for
    /// them (`pragma optimize` at open): an outlet grown without an import.
    #[tokio::test]
    async fn opening_analyzes_tables_that_have_no_statistics() {
        let (dir, store) = temp_store().await;
        store.migrate().await.unwrap();
        insert_stories(&store).await;
        let analyzed = |store: SqliteStore| async move {
            let tables: i64 = sqlx::query_scalar(
                "select count(*) from sqlite_master where name = 'sqlite_stat1'",
            )
            .fetch_one(&store.read)
            .await
            .unwrap();
            let rows: i64 = if tables == 0 {
                0
            } else {
                sqlx::query_scalar("select count(*) from sqlite_stat1 where tbl = 'articles'")
                    .fetch_one(&store.read)
                    .await
                    .unwrap()
            };
            store.close().await;
            rows
        };
        assert_eq!(analyzed(store).await, 0, "analyzed before reopening");
        let again = SqliteStore::open(&dir.path().join("byline.db"))
            .await
            .unwrap();
        assert!(analyzed(again).await > 0, "no statistics after reopening");
    }
}
