//! Bad input: localized 404/400/413 pages, never a 500.

use crate::common::html::{lang, select, select_one, text};
use crate::common::{TestSite, fluent};
use axum::body::Body;
use axum::http::Request;

#[tokio::test]
async fn unknown_things_are_localized_404_pages() {
    let site = TestSite::demo().await;
    for (url, lang_code) in [
        ("/xx/", "en"),
        ("/xx", "en"),
        ("/en/no-such-section", "en"),
        ("/ru/analytics/no-such-article", "ru"),
        ("/hy/tag/no-such-tag", "hy"),
        ("/en/author/nobody", "en"),
        ("/en/analytics/Bad%20Slug", "en"),
        ("/ru/more/section/none?page=2", "ru"),
        ("/static/missing.css", "en"),
        ("/a/b/c/d/e", "en"),
    ] {
        let r = site.get(url).await;
        assert_eq!(r.status, 404, "{url}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{url}"
        );
        let doc = r.html();
        assert_eq!(lang(&doc).as_deref(), Some(lang_code), "{url}");
        assert_eq!(
            text(select_one(&doc, ".error-status")),
            format!("{} 404", fluent(lang_code, "error-label")),
            "{url}"
        );
        assert_eq!(
            text(select_one(&doc, "h1.error-heading")),
            fluent(lang_code, "error-404-heading"),
            "{url}: the heading in the page's edition"
        );
    }
}

#[tokio::test]
async fn malformed_page_numbers_are_400_with_a_message() {
    let site = TestSite::demo().await;
    for url in [
        "/en/analytics?page=-1",
        "/en/analytics?page=abc",
        "/en/analytics?page=0",
        "/en/tag/water?page=1.5",
        "/ru/search?q=x&page=%FF",
    ] {
        let r = site.get(url).await;
        assert_eq!(r.status, 400, "{url}");
        let doc = r.html();
        assert!(lang(&doc).is_some(), "{url}: a page in the site's look");
        select_one(&doc, "header.site-header");
    }
    let r = site.get("/en/analytics?page=-1").await;
    assert!(
        text(select_one(&r.html(), ".error-message"))
            .contains("The page number must be a whole number"),
        "the message says what is wrong"
    );
    let ru = site.get("/ru/analytics?page=abc").await;
    assert_eq!(
        text(select_one(&ru.html(), ".error-message")),
        fluent("ru", "error-bad-page"),
        "and says it in the reader's language"
    );
    // A huge page number is clamped: a (possibly empty) page, not an error.
    assert_eq!(
        site.get("/en/analytics?page=1000000000000").await.status,
        200
    );
    assert_eq!(
        site.get("/en/analytics?page=99999999999999999999999999")
            .await
            .status,
        200
    );
    // The load-more fragments take the same parameter and give the same answers.
    for url in [
        "/en/more/section/analytics?page=-1",
        "/en/more/tag/water?page=abc",
        "/en/more/author/lena-arakelova?page=0",
        "/en/more/article/1?page=x",
    ] {
        let r = site.get(url).await;
        assert_eq!(r.status, 400, "{url}: {}", r.body);
        assert!(r.body.contains("whole number"), "{url}: {}", r.body);
    }
    let far = site
        .get("/en/more/section/analytics?page=1000000000000")
        .await;
    far.assert_ok();
    assert_eq!(
        select(&far.html(), "[data-testid=card]").len(),
        0,
        "past the end: no cards"
    );
}

#[tokio::test]
async fn hostile_search_input_gets_a_clear_answer() {
    let site = TestSite::demo().await;
    let long = "a".repeat(10_000);
    for q in [
        long.as_str(),
        "%00%01%02",
        "%22%22%22",
        "*%3F%5C",
        "%25%25_",
    ] {
        let r = site.get(&format!("/en/search?q={q}")).await;
        assert_eq!(r.status, 200, "q={}", &q[..q.len().min(20)]);
    }
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let site = TestSite::demo().await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let big = vec![b'x'; 200 * 1024];
    let r = site
        .request(
            Request::post(format!("/api/v1/views/{id}"))
                .header("content-length", big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    // The beacon ignores its body, so the limit must be enforced before the handler.
    assert_eq!(r.status, 413);
    // Under /api it is a problem (RFC 9457), like every API error; pages get the page.
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert!(
        r.body.contains("/api/v1/problems/payload-too-large"),
        "{}",
        r.body
    );
    let ru = site
        .request(
            Request::post("/ru/search")
                .header("content-length", 300_000)
                .body(Body::from(vec![b'x'; 300_000]))
                .unwrap(),
        )
        .await;
    assert_eq!(ru.status, 413);
    assert_eq!(lang(&ru.html()).as_deref(), Some("ru"));
}

#[tokio::test]
async fn root_redirects_by_accept_language() {
    let site = TestSite::demo().await;
    let r = site
        .get_with("/", "accept-language", "ru-RU,ru;q=0.9,en;q=0.8")
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/ru/"));
    let r = site
        .get_with("/", "accept-language", "de-DE, hy;q=0.7")
        .await;
    assert_eq!(r.header("location"), Some("/hy/"));
    let r = site.get("/").await;
    assert_eq!(r.header("location"), Some("/en/"));
    let r = site.get("/ru").await;
    assert_eq!(r.header("location"), Some("/ru/"));
}

/// A fault below the web layer that is not an outage (here the articles table vanished)
/// answers the localized 500 page in the site's look, through the real router, and
/// tells the reader nothing of the database's message.
#[tokio::test]
async fn a_store_fault_is_a_localized_500_page_without_details() {
    let site = TestSite::demo().await;
    site.sql("alter table articles rename to articles_gone")
        .await;
    let r = site
        .get("/ru/analytics/grid-interconnectors-learning-to-share")
        .await;
    assert_eq!(r.status, 500);
    let doc = r.html();
    assert_eq!(lang(&doc).as_deref(), Some("ru"), "{}", r.body);
    assert_eq!(
        text(select_one(&doc, "h1.error-heading")),
        fluent("ru", "error-500-heading"),
        "{}",
        r.body
    );
    select_one(&doc, "header.site-header"); // in the site's look
    for leak in [
        "no such table",
        "does not exist",
        "relation",
        "sqlx",
        "select ",
    ] {
        assert!(!r.body.contains(leak), "the page says {leak:?}");
    }
}
