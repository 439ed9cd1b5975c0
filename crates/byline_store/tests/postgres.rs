//! The conformance story against a real PostgreSQL database (a fresh one per test).

use byline_store::PostgresStore;
use byline_store::testdb::TestDatabase;

#[tokio::test]
async fn postgres_store_conforms() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let store = db.store().await;
    byline_store::conformance::run_all(&store).await;
    store.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn migrations_are_idempotent_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let store = db.store().await;
    store.migrate().await.unwrap();
    store.close().await;
    let again = db.store().await;
    again.close().await;
    db.drop_db().await;
}

/// The migrations this version applies.
fn migration_count() -> i64 {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count() as i64
}

async fn applied_migrations(db: &mut sqlx::PgConnection) -> Option<i64> {
    let table: Option<String> = sqlx::query_scalar("select to_regclass('_sqlx_migrations')::text")
        .fetch_one(&mut *db)
        .await
        .unwrap();
    table?;
    Some(
        sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
            .fetch_one(db)
            .await
            .unwrap(),
    )
}

/// Migrations are serialized by sqlx's advisory lock on the database: while another
/// session holds that lock, a migration waits for it having applied nothing (not even
/// the bookkeeping table), and completes once it is released.
#[tokio::test]
async fn migrations_wait_for_the_advisory_lock() {
    use sqlx::Connection;
    use sqlx::migrate::Migrate;
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let mut holder = sqlx::PgConnection::connect(db.url()).await.unwrap();
    // The very lock the migrator takes (its key is derived from the database's name).
    holder.lock().await.unwrap();
    let url = db.url().to_owned();
    let migrating = tokio::spawn(async move {
        let store = PostgresStore::connect(&url).await?;
        let migrated = store.migrate().await;
        store.close().await;
        migrated
    });
    // Until the migrator's session is seen waiting for an advisory lock. The loop ends
    // either way: a migration that does not wait finishes, and fails the test.
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_locks l join pg_database d on d.oid = l.database
             where l.locktype = 'advisory' and not l.granted and d.datname = current_database()",
        )
        .fetch_one(&mut holder)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(
            !migrating.is_finished(),
            "the migration ran while the lock was held: {:?}",
            migrating.await
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        applied_migrations(&mut holder).await,
        None,
        "nothing applied while waiting"
    );
    holder.unlock().await.unwrap();
    migrating.await.unwrap().unwrap();
    assert_eq!(
        applied_migrations(&mut holder).await,
        Some(migration_count())
    );
    holder.close().await.unwrap();
    db.drop_db().await;
}

/// Eight stores migrate one new database at the same time: all succeed, and each
/// migration is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_migrations_of_a_new_database_all_succeed() {
    use sqlx::Connection;
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let mut migrating = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let url = db.url().to_owned();
        migrating.spawn(async move {
            let store = PostgresStore::connect(&url).await?;
            let migrated = store.migrate().await;
            store.close().await;
            migrated
        });
    }
    while let Some(done) = migrating.join_next().await {
        done.unwrap().unwrap();
    }
    let mut check = sqlx::PgConnection::connect(db.url()).await.unwrap();
    assert_eq!(
        applied_migrations(&mut check).await,
        Some(migration_count())
    );
    check.close().await.unwrap();
    db.drop_db().await;
}

/// Connections are handed out without a ping (a round trip per query) unless they sat
/// idle, and an idle one the server dropped meanwhile (a restart, a proxy's timeout) is
/// found by that ping and replaced: the reads after it succeed.
#[tokio::test]
async fn idle_connections_the_server_dropped_are_replaced_before_use() {
    use byline_store::TaxonomyStore;
    use sqlx::Connection;
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let store = db.store().await;
    // Several connections in the pool, all idle afterwards.
    let (a, b, c, d) = tokio::join!(
        store.sections(),
        store.sections(),
        store.sections(),
        store.sections()
    );
    for read in [a, b, c, d] {
        read.unwrap();
    }
    let mut admin = sqlx::PgConnection::connect(db.url()).await.unwrap();
    let dropped: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!dropped.is_empty(), "the pool's connections were open");
    admin.close().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
    for _ in 0..8 {
        store
            .sections()
            .await
            .expect("a read after the server dropped the idle connections");
    }
    store.close().await;
    db.drop_db().await;
}

/// `analyze` refreshes the planner's statistics of the store's tables (a database
/// without autovacuum, as on this project's machines, has none until then).
#[tokio::test]
async fn analyze_refreshes_the_planners_statistics() {
    use byline_store::ImportStore;
    use sqlx::Connection;
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let store = db.store().await;
    let mut probe = sqlx::PgConnection::connect(db.url()).await.unwrap();
    let last_analyze =
        "select last_analyze is not null from pg_stat_user_tables where relname = 'articles'";
    let before: bool = sqlx::query_scalar(last_analyze)
        .fetch_one(&mut probe)
        .await
        .unwrap();
    assert!(!before, "a new database's articles were analyzed already");

    store.analyze().await.unwrap();

    // The statistics views are read from shared memory that the ANALYZE reports to.
    let mut analyzed = false;
    for _ in 0..50 {
        sqlx::query("select pg_stat_clear_snapshot()")
            .execute(&mut probe)
            .await
            .unwrap();
        analyzed = sqlx::query_scalar(last_analyze)
            .fetch_one(&mut probe)
            .await
            .unwrap();
        if analyzed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(analyzed, "articles were not analyzed");
    probe.close().await.unwrap();
    store.close().await;
    db.drop_db().await;
}
