//! The conformance story against a real SQLite file.

use byline_store::SqliteStore;

#[tokio::test]
async fn sqlite_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("byline.db"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    byline_store::conformance::run_all(&store).await;
    store.close().await;
}

#[tokio::test]
async fn migrations_are_idempotent_and_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("byline.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let s = byline_core::SiteSettings {
        name: "Kept".into(),
        ..Default::default()
    };
    byline_store::TaxonomyStore::save_settings(&store, &s)
        .await
        .unwrap();
    store.close().await;
    let again = SqliteStore::open(&path).await.unwrap();
    again.migrate().await.unwrap();
    assert_eq!(
        byline_store::TaxonomyStore::settings(&again)
            .await
            .unwrap()
            .name,
        "Kept"
    );
}
