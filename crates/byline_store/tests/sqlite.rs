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

/// A write waits while another process holds the write lock, then succeeds: every
/// connection of the store has a busy timeout, and write transactions take the lock at
/// their start (a read-then-write transaction could not wait for it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_waits_for_another_process_holding_the_lock() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("byline.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("begin immediate")
        .execute(&mut other)
        .await
        .unwrap();
    let writer = store.clone();
    let write = tokio::spawn(async move {
        let s = byline_core::SiteSettings {
            name: "Waited".into(),
            ..Default::default()
        };
        byline_store::TaxonomyStore::save_settings(&writer, &s).await
    });
    // Long enough for the write to reach the lock (without a busy timeout it would fail
    // at once); the test asserts only that it succeeds.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sqlx::query("commit").execute(&mut other).await.unwrap();
    write.await.unwrap().unwrap();
    assert_eq!(
        byline_store::TaxonomyStore::settings(&store)
            .await
            .unwrap()
            .name,
        "Waited"
    );
    store.close().await;
}

/// The migrations this version applies.
fn migration_count() -> i64 {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count() as i64
}

/// Eight stores open and migrate one new file at the same time, as eight processes
/// would (each has its own connections, which contend for the file's locks): all
/// succeed, and each migration is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_opens_and_migrations_of_a_new_file_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("byline.db");
    let mut opening = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let path = path.clone();
        opening.spawn(async move {
            let store = SqliteStore::open(&path).await?;
            let migrated = store.migrate().await;
            store.close().await;
            migrated
        });
    }
    while let Some(done) = opening.join_next().await {
        done.unwrap().unwrap();
    }
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(applied, migration_count());
}

/// Pictures and articles stored before migration 0017 get their search text and their
/// "where used" rows the next time the store is opened (the chore the migration
/// leaves), so no picture an old article shows can be deleted from the library.
#[tokio::test]
async fn the_media_library_backfill_finds_what_old_articles_show() {
    use byline_core::{
        ArticleStatus, Cover, Localized, MediaUse, NewArticle, NewMedia, PageNumber, PageRequest,
        Seo, Slug,
    };
    use byline_store::{ArticleStore, MediaStore, TaxonomyStore};
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("byline.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let picture = |key: &str, alt: &str| NewMedia {
        storage_key: key.into(),
        file_name: "p.png".into(),
        mime: "image/png".into(),
        width: 10,
        height: 10,
        bytes: 10,
        alt: alt.into(),
        caption: String::new(),
        credit: String::new(),
        variants: vec![],
        uploaded_by: None,
    };
    let in_body = store
        .create_media(&picture("aa11", "ПРИЧАЛ"))
        .await
        .unwrap();
    let as_cover = store
        .create_media(&picture("bb22", "Market"))
        .await
        .unwrap();
    let unused = store.create_media(&picture("cc33", "Spare")).await.unwrap();
    let section = store
        .upsert_section(
            &Slug::parse("old").unwrap(),
            &Localized::default(),
            &Localized::default(),
            1,
        )
        .await
        .unwrap();
    let article = store
        .create_article(&NewArticle {
            edition: "en".into(),
            section,
            slug: Slug::parse("old-story").unwrap(),
            title: "Old story".into(),
            subtitle: String::new(),
            body_markdown: format!("Text ![The quay](media:{in_body}) more."),
            body_html: String::new(),
            search_text: String::new(),
            cover: Some(Cover {
                url: "/media/lib/bb22/640.webp".into(),
                alt: String::new(),
                caption: String::new(),
                credit: String::new(),
                width: 640,
                height: 640,
                srcset: String::new(),
                crops: None,
            }),
            media: vec![],
            authors: vec![],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: None,
            translation_group: None,
            seo: Seo::default(),
        })
        .await
        .unwrap();
    store.close().await;

    // As a database from before 0017 looks once the migration ran: no rows, no text.
    let mut raw = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [
        "delete from article_media",
        "update media set search_text = ''",
        "insert into store_chores (name) values ('media_library_backfill')",
    ] {
        sqlx::query(sql).execute(&mut raw).await.unwrap();
    }
    raw.close().await.unwrap();

    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    for used in [in_body, as_cover] {
        assert!(
            matches!(&store.media_usage(used).await.unwrap()[..],
                [MediaUse::Article { id, .. }] if *id == article),
            "media {used} is shown by the old article"
        );
    }
    assert!(store.media_usage(unused).await.unwrap().is_empty());
    let (found, _) = store
        .media_list(
            &["причал".to_owned()],
            PageRequest::new(PageNumber::FIRST, 10),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "search text filled and folded");
    store.close().await;
}
