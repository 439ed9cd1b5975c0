//! The view counter through the beacon: exact under concurrency, flushed on stop.

use crate::common::{BROWSER_UA, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_content::ContentOptions;
use byline_core::ArticleId;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SLUG: &str = "grid-interconnectors-learning-to-share";

#[tokio::test]
async fn the_beacon_answers_with_the_new_count() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let first = site.beacon(id).await;
    first.assert_ok();
    assert_eq!(first.header("cache-control"), Some("no-store"));
    let n: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    let second: serde_json::Value = serde_json::from_str(&site.beacon(id).await.body).unwrap();
    assert_eq!(
        second["views"].as_u64().unwrap(),
        n["views"].as_u64().unwrap() + 1
    );
}

/// The counter must know of a publish (or an unpublish) as soon as the writer has its
/// answer, not when the change feed catches up a moment later: a reader who opens the
/// story at once would lose that view. The feed's follower runs beside the writer (two
/// worker threads), and its refresh, which may have read the article before the write,
/// must not land after the writer's own (it did once in CI: a 404 right after a
/// publish). Forty rounds failed six runs in ten before refreshes were serialized.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_beacon_right_after_a_publish_or_unpublish_follows_it() {
    const ROUNDS: u64 = 40;
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let before = site.stored_views(id).await;
    for _ in 0..ROUNDS {
        site.content()
            .set_status(ArticleId(id), byline_core::ArticleStatus::Unpublished)
            .await
            .unwrap();
        assert_eq!(
            site.beacon(id).await.status,
            404,
            "unpublished: not counted"
        );
        site.content()
            .set_status(ArticleId(id), byline_core::ArticleStatus::Published)
            .await
            .unwrap();
        site.beacon(id).await.assert_ok();
    }
    // Only the beacons while published count; the refused ones are nowhere.
    site.content().flush_views().await.unwrap();
    assert_eq!(site.stored_views(id).await, before + ROUNDS);
    assert_eq!(site.content().pending_views(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_beacons_add_up_exactly() {
    let site = Arc::new(TestSite::demo().await);
    let id = site.article_id("en", SLUG).await;
    let before = site.stored_views(id).await;
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let site = site.clone();
            tokio::spawn(async move { site.beacon(id).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    site.content().flush_views().await.unwrap();
    assert_eq!(site.stored_views(id).await, before + 1000);
    assert_eq!(site.content().pending_views(), 0);
}

#[tokio::test]
async fn bots_and_unknown_or_bad_ids_count_nowhere() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let before = site.stored_views(id).await;
    let bot = site
        .request(
            Request::post(format!("/api/v1/views/{id}"))
                .header(
                    "user-agent",
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bot.status, 200, "bots get the count, uncounted");
    assert_eq!(site.beacon(999_999).await.status, 404);
    let garbage = site
        .request(
            Request::post("/api/v1/views/abc")
                .header("user-agent", BROWSER_UA)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, 404);
    assert_eq!(
        site.get(&format!("/api/v1/views/{id}")).await.status,
        405,
        "GET is not a view"
    );
    site.content().flush_views().await.unwrap();
    assert_eq!(site.stored_views(id).await, before);
}

/// A beacon over a real connection from the `reader`th reader behind the (loopback)
/// proxy.
async fn http_beacon(base_url: &str, id: i64, reader: u32) -> String {
    let addr = base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /api/v1/views/{id} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: {BROWSER_UA}\r\nX-Forwarded-For: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        crate::common::reader_address(reader)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_flushes_pending_views() {
    // A flush interval far longer than the test: only the shutdown can write the views.
    let options = ContentOptions {
        view_flush_interval: Duration::from_secs(3600),
        ..ContentOptions::default()
    };
    let site = TestSite::demo_full(options, crate::common::behind_loopback_proxy).await;
    let id = site.article_id("en", SLUG).await;
    let before = site.stored_views(id).await;
    let served = site.serve().await;
    for reader in 0..25 {
        let answer = http_beacon(&served.base_url, id, reader).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    assert_eq!(site.content().pending_views(), 25);
    assert_eq!(site.stored_views(id).await, before, "nothing flushed yet");
    served.stop().await;
    assert_eq!(site.stored_views(id).await, before + 25);
    assert_eq!(site.content().pending_views(), 0);
}

/// The background flush writes a counted view to the store while the site keeps
/// running (no stop, no explicit flush). How soon is the flush interval's business
/// (`view_flush_interval`, 1 s by default); the 30 s of polling only guard a test that
/// would otherwise wait forever.
#[tokio::test]
async fn views_are_flushed_in_the_background() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let before = site.stored_views(id).await;
    site.beacon(id).await.assert_ok();
    let mut stored = before;
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stored = site.stored_views(id).await;
        if stored != before {
            break;
        }
    }
    assert_eq!(stored, before + 1, "flushed once, exactly");
    assert_eq!(site.content().pending_views(), 0, "nothing left in memory");
}

#[tokio::test]
async fn the_beacon_never_touches_the_store() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let before = site.beacon(id).await;
    before.assert_ok();
    // With the database closed, any store access would fail with a 5xx.
    site.close_store().await;
    for _ in 0..10 {
        let r = site.beacon(id).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(
        site.beacon(999_999).await.status,
        404,
        "unknown ids are refused from memory too"
    );
}

#[tokio::test]
async fn stored_counts_load_page_by_page_and_every_article_counts() {
    // Pages of 7 stand in for a big outlet's pages of 20,000: the newest page loads before
    // serving, the rest after, and in the end every published article counts exactly.
    let site = TestSite::demo_with(ContentOptions {
        view_load_page: 7,
        // No flush during the checks: each compares a beacon's answer with the stored
        // count read after it, which a flush in between would have moved on by one.
        view_flush_interval: Duration::from_secs(3600),
        ..ContentOptions::default()
    })
    .await;
    for _ in 0..500 {
        if !site.content().views_loading() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!site.content().views_loading(), "the load never finished");
    let (published, _) = site
        .store()
        .published_articles(
            &Default::default(),
            byline_core::PageRequest::new(byline_core::PageNumber::FIRST, 100),
        )
        .await
        .unwrap();
    assert!(published.len() > 20, "the demo spans several pages");
    for article in &published {
        let r = site.beacon(article.id.0).await;
        r.assert_ok();
        let answer: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(
            answer["views"].as_u64(),
            Some(site.stored_views(article.id.0).await + 1),
            "article {} counts on from its stored views",
            article.id
        );
    }
    assert_eq!(site.beacon(999_999).await.status, 404);
}
