//! The conformance story against a real PostgreSQL database (a fresh one per test).

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
