//! The view counter against a real SQLite store: a flush called while another is under
//! way (a test's or a graceful stop's, next to the timer's) returns only once the views
//! counted before it are stored — the race behind `three_nodes_serve_one_outlet` seeing
//! 200 of 300 views.

use byline_content::{ArticleInput, Content, ContentOptions, ViewCounter};
use byline_core::{ArticleId, ArticleStatus, Localized};
use byline_store::{ArticleStore, SqliteStore};
use sqlx::Connection;
use std::sync::Arc;
use std::time::Duration;

/// A published article in a fresh outlet.
async fn one_article(content: &Content) -> ArticleId {
    content
        .put_section(
            "news",
            &Localized::from_pairs([("en", "News")]),
            &Localized::default(),
            0,
        )
        .await
        .unwrap();
    content
        .put_author(
            "ann",
            &Localized::from_pairs([("en", "Ann Lee")]),
            &Localized::default(),
        )
        .await
        .unwrap();
    content
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "counted".into(),
            title: "Counted".into(),
            subtitle: String::new(),
            body_markdown: "Read me.".into(),
            cover: None,
            authors: vec!["ann".into()],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: None,
            translation_of: None,
            seo: Default::default(),
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flush_waits_for_the_one_under_way() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("byline.db");
    let sqlite = SqliteStore::open(&file).await.unwrap();
    sqlite.migrate().await.unwrap();
    let content = Content::start(Arc::new(sqlite.clone()), ContentOptions::default())
        .await
        .unwrap();
    let id = one_article(&content).await;

    let views = Arc::new(ViewCounter::default());
    views.set_countable(id, true, 0);
    for _ in 0..25 {
        views.record(id);
    }
    // Another connection holds the write lock: the first flush takes the views and
    // then waits for the lock (the busy timeout) to write them.
    let url = format!("sqlite://{}", file.display());
    let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("begin immediate")
        .execute(&mut holder)
        .await
        .unwrap();
    let first = {
        let (views, store) = (views.clone(), sqlite.clone());
        tokio::spawn(async move { views.flush(&store, jiff::Timestamp::now()).await })
    };
    while views.in_flight() < 25 {
        tokio::task::yield_now().await;
    }
    // Taken but not written: still pending, so "nothing pending" (the metric the kill -9
    // test and operators read) means stored.
    assert_eq!(
        views.pending(),
        25,
        "views on their way to the store are pending"
    );
    let second = {
        let (views, store) = (views.clone(), sqlite.clone());
        tokio::spawn(async move { views.flush(&store, jiff::Timestamp::now()).await })
    };
    // The lock is let go a little later. A second flush that returned at once, with
    // nothing left to take, would find the views not yet stored.
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        sqlx::query("commit").execute(&mut holder).await.unwrap();
        holder.close().await.unwrap();
    });
    let second = second.await.unwrap().unwrap();
    let stored = sqlite.article(id).await.unwrap().views;
    assert_eq!(
        stored, 25,
        "when a flush returns, the views counted before it are stored"
    );
    assert_eq!(second, 0, "the first flush wrote them");
    assert_eq!(first.await.unwrap().unwrap(), 25);
    release.await.unwrap();
}
