//! Search pages in the page cache: worked out once per query, current while the search
//! index, the change feed and the hour stay where they were, and never a way to grow
//! the cache's dependency tables.

use crate::common::html::cards;
use crate::common::{TestSite, eventually};
use byline_content::{ArticleInput, Clock, ContentOptions};
use byline_core::ArticleStatus;
use std::sync::atomic::Ordering;

const RIVER: &str = "/en/search?q=river";

fn renders(site: &TestSite) -> u64 {
    site.state.cache.stats().renders.load(Ordering::Relaxed)
}

/// Result links of a search page.
fn results(body: &str) -> Vec<String> {
    cards(&scraper::Html::parse_document(body))
        .into_iter()
        .map(|(href, _)| href)
        .collect()
}

fn okapi_story() -> ArticleInput {
    ArticleInput {
        edition: "en".into(),
        section: "news".into(),
        slug: "okapi-sighted".into(),
        title: "An okapi is sighted by the river".into(),
        subtitle: String::new(),
        body_markdown: "Rangers saw the okapi at dawn.".into(),
        cover: None,
        authors: vec!["newsdesk".into()],
        tags: vec![],
        status: ArticleStatus::Published,
        featured: false,
        published_at: None,
        translation_of: None,
        seo: Default::default(),
    }
}

#[tokio::test]
async fn a_search_is_worked_out_once_then_served_from_the_cache() {
    // A clock that stays in one hour: a run across the hour would work the pages out
    // again, as it should (`results_are_worked_out_again_every_hour`).
    let site = TestSite::demo_with(ContentOptions {
        clock: Clock::manual(jiff::Timestamp::now()),
        ..ContentOptions::default()
    })
    .await;
    let first = site.get(RIVER).await;
    first.assert_ok();
    assert!(
        !results(&first.body).is_empty(),
        "the demo has river stories"
    );
    let rendered = renders(&site);
    let hits = site.state.cache.stats().hits.get();

    let again = site.get(RIVER).await;
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(renders(&site), rendered, "no second render");
    assert_eq!(site.state.cache.stats().hits.get(), hits + 1);
    // What shared caches are told is unchanged: ask again each time (no purge reaches
    // search pages), and no tags to purge by.
    assert_eq!(again.header("cache-control"), Some("no-cache"));
    assert!(again.header("surrogate-key").is_none());
    assert!(again.header("cache-tag").is_none());

    // The same search written another way is the same cached page.
    for same in [
        "/en/search?q=river&page=1",
        "/en/search?q=%20river%20&utm_source=newsletter",
        "/en/search?sort=relevance&q=river",
    ] {
        let r = site.get(same).await;
        assert_eq!(r.body, first.body, "{same}");
    }
    assert_eq!(renders(&site), rendered, "all from the one cached page");

    // Another query, another page; a bad one is still a 400 and kept nowhere.
    site.get("/en/search?q=river&sort=newest").await.assert_ok();
    assert_eq!(renders(&site), rendered + 1);
    let pages = site.state.cache.page_count().await;
    let bad = site.get("/en/search?q=river&from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert_eq!(renders(&site), rendered + 1, "nothing rendered for it");
    assert_eq!(site.state.cache.page_count().await, pages, "nothing kept");
}

#[tokio::test]
async fn a_new_story_is_found_as_soon_as_the_index_has_it() {
    let site = TestSite::demo().await;
    let before = site.get("/en/search?q=okapi").await;
    before.assert_ok();
    assert!(results(&before.body).is_empty());
    let river_before = site.get(RIVER).await;
    assert!(!results(&river_before.body).contains(&"/en/news/okapi-sighted".to_owned()));

    site.content().import_article(okapi_story()).await.unwrap();
    // The page cache hears of the change before the search index has committed it
    // (commits are batched): a search worked out in between must not be kept as if it
    // were current.
    let newest = site.store().last_change().await.unwrap();
    eventually("the page cache takes the change in", async || {
        site.content()
            .feed()
            .followers()
            .iter()
            .any(|f| f.name == "page-cache" && f.position >= newest)
    })
    .await;
    site.get("/en/search?q=okapi").await.assert_ok();

    site.settle().await;
    let after = site.get("/en/search?q=okapi").await;
    assert_eq!(
        results(&after.body),
        ["/en/news/okapi-sighted"],
        "the new story is found"
    );
    let river = site.get(RIVER).await;
    assert!(
        results(&river.body).contains(&"/en/news/okapi-sighted".to_owned()),
        "and in a search that was cached before it"
    );
}

#[tokio::test]
async fn a_breaking_banner_reaches_cached_search_pages() {
    let site = TestSite::demo().await;
    let before = site.get(RIVER).await;
    assert!(before.testid("breaking").is_none());
    let editor = crate::common::add_editor(&site, "desk@example.org").await;
    site.content()
        .raise_alert(
            &editor,
            byline_content::AlertInput {
                edition: "en".into(),
                text: "Bridge closed".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    site.settle().await;
    let after = site.get(RIVER).await;
    assert!(
        after.testid("breaking").is_some(),
        "the banner shows on the search page"
    );
    assert_eq!(results(&after.body), results(&before.body));
}

#[tokio::test]
async fn results_are_worked_out_again_every_hour() {
    // Ranking favours recent stories by their age in days: a page kept for a day would
    // rank by yesterday.
    let clock = Clock::manual(jiff::Timestamp::now());
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        ..ContentOptions::default()
    })
    .await;
    site.get(RIVER).await.assert_ok();
    site.get(RIVER).await.assert_ok();
    let rendered = renders(&site);
    clock.advance(jiff::SignedDuration::from_mins(61));
    site.get(RIVER).await.assert_ok();
    assert_eq!(renders(&site), rendered + 1);
    site.get(RIVER).await.assert_ok();
    assert_eq!(renders(&site), rendered + 1);
}

#[tokio::test]
async fn queries_without_end_add_nothing_to_the_dependency_tables() {
    // Readers (or a crawler) can send any number of different queries; each page is
    // held by the byte budget only, never by an entry that outlives it.
    let site = TestSite::demo().await;
    site.get("/en/").await.assert_ok();
    let links = site.state.cache.dependency_links();
    assert!(links > 0, "a list page declares what it shows");
    for n in 0..200 {
        site.get(&format!("/en/search?q=river{n}"))
            .await
            .assert_ok();
    }
    assert_eq!(site.state.cache.dependency_links(), links);
    assert!(site.state.cache.contains("/en/search?q=river199"));
}

#[tokio::test]
async fn with_the_cache_off_every_search_is_worked_out() {
    let site = TestSite::demo_with_web(|web| web.page_cache = false).await;
    let first = site.get(RIVER).await;
    first.assert_ok();
    let rendered = renders(&site);
    let again = site.get(RIVER).await;
    assert_eq!(again.body, first.body);
    assert_eq!(renders(&site), rendered + 1);
    assert_eq!(again.header("cache-control"), Some("no-cache"));
}
