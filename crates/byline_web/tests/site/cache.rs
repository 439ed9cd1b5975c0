//! The page cache: precise invalidation, coalescing, the byte budget, encodings, 304s.

use crate::common::html::{card_title, cards, testid, text};
use crate::common::{OneshotBytes, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_content::ArticleInput;
use byline_core::{ArticleId, ArticleStatus};
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::Ordering;

const A: &str = "/en/analytics/grid-interconnectors-learning-to-share";
// In another section, so A never appears on B's page (not even under "more").
const B: &str = "/en/economy/third-quarter-inflation-report-2026";
const WANDERING: &str = "/en/news/wandering-story";

async fn correct_title(site: &TestSite, edition: &str, slug: &str, title: &str) {
    let a = site.store().published_article(edition, slug).await.unwrap();
    let mut input = site.input_from(&a);
    input.title = title.into();
    input.status = ArticleStatus::Published;
    site.content().update_article(a.id, input).await.unwrap();
}

#[tokio::test]
async fn a_correction_invalidates_exactly_the_pages_that_show_it() {
    let site = TestSite::demo().await;
    for url in [
        A,
        B,
        "/en/analytics",
        "/en/",
        "/en/tag/energy",
        "/ru/",
        "/en/culture",
    ] {
        site.get(url).await.assert_ok();
    }
    for url in [A, B, "/en/analytics", "/en/", "/en/culture"] {
        assert!(
            site.state.cache.contains(url),
            "{url} cached after the first visit"
        );
    }

    correct_title(
        &site,
        "en",
        "grid-interconnectors-learning-to-share",
        "Corrected: grids learn to share",
    )
    .await;

    site.settle().await;
    assert!(
        !site.state.cache.contains(A),
        "the corrected article's page was dropped"
    );
    let page = site.get(A).await.html();
    assert_eq!(
        text(testid(&page, "title")),
        "Corrected: grids learn to share"
    );
    testid(&page, "updated"); // a correction shows "Updated …"
    let corrected = Some("Corrected: grids learn to share".to_owned());
    for list in ["/en/analytics", "/en/tag/energy"] {
        assert_eq!(
            card_title(&site.get(list).await.html(), A),
            corrected,
            "{list} is fresh: A's card has the new title"
        );
    }
    // The front page shows it only if it is among the front page's stories; either way
    // the front page must not show the old title.
    let front_page = site.get("/en/").await;
    let front = front_page.html();
    assert!(
        cards(&front)
            .iter()
            .all(|(href, title)| href != A || Some(title) == corrected.as_ref()),
        "the front page is fresh"
    );
    assert!(
        !front_page.body.contains("Wires across borders"),
        "the front page is fresh"
    );

    // Everything else stayed cached.
    for url in [B, "/ru/", "/en/culture"] {
        assert!(
            site.state.cache.contains(url),
            "{url} should still be cached"
        );
    }
    let hits = site.state.cache.stats().hits.get();
    site.get(B).await.assert_ok();
    assert_eq!(
        site.state.cache.stats().hits.get(),
        hits + 1,
        "B served from the cache"
    );
}

#[tokio::test]
async fn a_new_article_reaches_its_lists_and_moving_section_updates_both() {
    let site = TestSite::demo().await;
    for url in ["/en/news", "/en/culture", "/en/", "/en/economy"] {
        site.get(url).await.assert_ok();
    }
    let input = |section: &str| ArticleInput {
        edition: "en".into(),
        section: section.into(),
        slug: "wandering-story".into(),
        title: "A wandering story".into(),
        subtitle: String::new(),
        body_markdown: "Text".into(),
        cover: None,
        authors: vec![],
        tags: vec![],
        status: ArticleStatus::Published,
        featured: false,
        published_at: None,
        translation_of: None,
        seo: Default::default(),
    };
    let id = site.content().import_article(input("news")).await.unwrap();
    site.settle().await;
    assert!(card_title(&site.get("/en/news").await.html(), WANDERING).is_some());
    assert!(
        site.state.cache.contains("/en/economy"),
        "an unrelated section stays cached"
    );
    site.content()
        .update_article(id, input("culture"))
        .await
        .unwrap();
    site.settle().await;
    assert!(
        card_title(
            &site.get("/en/culture").await.html(),
            "/en/culture/wandering-story"
        )
        .is_some()
    );
    assert!(
        !site
            .get("/en/news")
            .await
            .body
            .contains("A wandering story"),
        "gone from the old section"
    );
    let _ = ArticleId(id.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_misses_cause_one_render() {
    let site = Arc::new(TestSite::demo().await);
    let renders = site.state.cache.stats().renders.load(Ordering::Relaxed);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let site = site.clone();
            tokio::spawn(async move { site.get(A).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(
        site.state.cache.stats().renders.load(Ordering::Relaxed),
        renders + 1
    );
}

#[tokio::test]
async fn the_byte_budget_holds() {
    let budget = 300 * 1024;
    let site = TestSite::demo_with_web(|web| web.page_cache_bytes = budget).await;
    let mut urls = vec!["/en/".to_owned(), "/ru/".to_owned(), "/hy/".to_owned()];
    for ed in ["en", "ru", "hy"] {
        for s in [
            "news",
            "analytics",
            "economy",
            "society",
            "world",
            "culture",
        ] {
            urls.push(format!("/{ed}/{s}"));
        }
    }
    for url in &urls {
        site.get(url).await.assert_ok();
    }
    let used = site.state.cache.weighted_size().await;
    assert!(used <= budget, "cache holds {used} bytes, budget {budget}");
    assert!(
        site.state.cache.stats().evictions.load(Ordering::Relaxed) > 0,
        "something had to go"
    );
    assert!(site.state.cache.page_count().await > 0);
}

#[tokio::test]
async fn pages_come_precompressed_with_one_etag() {
    let site = TestSite::demo().await;
    let plain = site.get(A).await;
    let br = site
        .get_with(A, "accept-encoding", "gzip, deflate, br")
        .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    let gz = site.get_with(A, "accept-encoding", "gzip").await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(br.header("etag"), plain.header("etag"));

    let raw = |r: Request<Body>| async { site.router.clone().oneshot_bytes(r).await };
    let br_bytes = raw(Request::get(A)
        .header("accept-encoding", "br")
        .body(Body::empty())
        .unwrap())
    .await;
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &br_bytes[..], &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), plain.body);
    let gz_bytes = raw(Request::get(A)
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap())
    .await;
    let mut out = String::new();
    flate2::read::GzDecoder::new(&gz_bytes[..])
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, plain.body);
    assert!(
        br_bytes.len() * 3 < plain.body.len(),
        "brotli actually compresses"
    );

    let etag = plain.header("etag").unwrap();
    let not_modified = site
        .request(
            Request::get(A)
                .header("if-none-match", etag)
                .header("accept-encoding", "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(not_modified.status, 304);
}

#[tokio::test]
async fn with_the_cache_off_every_request_renders() {
    let site = TestSite::demo_with_web(|web| web.page_cache = false).await;
    site.get(A).await.assert_ok();
    site.get(A).await.assert_ok();
    assert_eq!(site.state.cache.stats().renders.load(Ordering::Relaxed), 2);
    assert!(!site.state.cache.contains(A));
    // A page rendered for one request is not compressed (that would double its cost):
    // it goes out as identity even to a client that accepts brotli, and stays valid.
    let br = site.get_with(A, "accept-encoding", "br").await;
    br.assert_ok();
    assert_eq!(br.header("content-encoding"), None);
    assert!(br.body.contains("</html>"));
    let etag = br.header("etag").unwrap().to_owned();
    let again = site.get_with(A, "if-none-match", &etag).await;
    assert_eq!(again.status, 304, "the ETag still validates");
}

#[tokio::test]
async fn metrics_report_the_cache() {
    let site = TestSite::demo_with_web(crate::common::with_metrics).await;
    site.get(A).await;
    site.get(A).await;
    let m = site.metrics().await;
    m.assert_ok();
    assert!(
        m.body.contains("byline_page_cache_hits_total 1"),
        "{}",
        m.body
    );
    assert!(m.body.contains("byline_page_cache_misses_total 1"));
    assert!(m.body.contains("byline_views_pending 0"));
    // The article page declared what it shows: the invalidation table tracks it.
    let links = m
        .body
        .lines()
        .find_map(|l| l.strip_prefix("byline_page_cache_dependency_links "))
        .expect("the dependency table's size is reported");
    assert!(links.parse::<u64>().unwrap() > 0, "{links}");
}
