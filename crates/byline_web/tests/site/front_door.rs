//! The front door (issue 18): a request for a cached page is answered before the router,
//! byte for byte and header for header as the router would answer it; everything else
//! takes the router's way.

use crate::common::{TestSite, with_metrics};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use byline_web::OverloadLimits;
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

const ARTICLE: &str = "/en/analytics/rail-corridor-and-small-ports";

async fn answer(
    service: impl tower::Service<
        Request<Body>,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
    >,
    method: &Method,
    target: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Bytes) {
    let mut request = Request::builder().method(method.clone()).uri(target);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = service
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes(),
    )
}

#[tokio::test]
async fn cached_pages_are_answered_at_the_door_as_the_router_answers_them() {
    let site = TestSite::demo().await;
    let article_etag = site
        .get(ARTICLE)
        .await
        .assert_ok()
        .header("etag")
        .unwrap()
        .to_owned();
    let targets = [
        "/en/",
        "/ru/",
        ARTICLE,
        "/en/analytics",
        "/en/tag/transport",
        "/en/feed.atom",
        "/en/analytics/feed.rss",
        "/robots.txt",
        "/sitemap/en/pages.xml",
    ];
    // Into the cache, through the router.
    for target in targets {
        site.get(target).await;
    }
    let variants: [(Method, Vec<(&str, &str)>); 6] = [
        (Method::GET, vec![]),
        (
            Method::GET,
            vec![("accept-encoding", "gzip, deflate, br, zstd")],
        ),
        (Method::GET, vec![("accept-encoding", "gzip")]),
        (Method::HEAD, vec![("accept-encoding", "br")]),
        (Method::GET, vec![("if-none-match", article_etag.as_str())]),
        (
            Method::GET,
            vec![
                ("cookie", "byline_session=whoever"),
                ("accept-language", "ru"),
            ],
        ),
    ];
    for target in targets {
        assert!(site.state.cache.contains(target), "{target} is cached");
        for (method, headers) in &variants {
            let at_door = answer(site.router.clone(), method, target, headers).await;
            let routed = answer(site.router.router().clone(), method, target, headers).await;
            assert_eq!(at_door.0, routed.0, "{method} {target} {headers:?}");
            assert_eq!(at_door.1, routed.1, "{method} {target} {headers:?}");
            assert_eq!(at_door.2, routed.2, "{method} {target} {headers:?}");
        }
    }
    // The article's own ETag revalidates it.
    let (status, headers, body) = answer(
        site.router.clone(),
        &Method::GET,
        ARTICLE,
        &[("if-none-match", article_etag.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(headers["etag"], article_etag.as_str());
    assert!(body.is_empty());
    // A HEAD names the length of what a GET would send.
    let (_, headers, body) = answer(site.router.clone(), &Method::HEAD, ARTICLE, &[]).await;
    let (_, _, full) = answer(site.router.clone(), &Method::GET, ARTICLE, &[]).await;
    assert!(body.is_empty());
    assert_eq!(headers["content-length"], full.len().to_string().as_str());
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
}

/// Targets that are not a cached key as written — another spelling, a query the handler
/// normalises, an escaped slash — get what the router gives them, whatever is cached.
#[tokio::test]
async fn other_spellings_take_the_routers_way() {
    let site = TestSite::demo().await;
    for target in [
        "/en/",
        "/en/analytics",
        ARTICLE,
        "/robots.txt",
        "/feed.rss",
        "/en/feed.rss",
        "/sitemap.xml",
    ] {
        site.get(target).await.assert_ok();
    }
    let (section, slug) = ARTICLE.rsplit_once('/').unwrap();
    let escaped_slash = format!("{section}%2F{slug}");
    let escaped_letter = "/en/%61nalytics".to_owned();
    // A request with a body is the router's (which limits bodies, 413).
    let with_body = Request::get("/en/")
        .header("content-length", "999999999")
        .body(Body::empty())
        .unwrap();
    let (door, routed) = (
        site.router.clone().oneshot(with_body).await.unwrap(),
        site.router
            .router()
            .clone()
            .oneshot(
                Request::get("/en/")
                    .header("content-length", "999999999")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap(),
    );
    assert_eq!(door.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(door.status(), routed.status());
    for target in [
        "/en/analytics/",
        "/en/analytics?page=1",
        "/en/analytics?page=01",
        "/en/analytics?page=x",
        "//en/",
        "/en/?utm_source=feed",
        escaped_slash.as_str(),
        escaped_letter.as_str(),
        "/EN/",
        // The router matches routes on the escaped path: these are not the pages.
        "/robots%2Etxt",
        "/%72obots.txt",
        "/feed%2Erss",
        "/en/feed%2Erss",
        "/en/%6Dore/section/analytics?page=2",
        "/sitemap.xml%20@0",
    ] {
        let at_door = answer(site.router.clone(), &Method::GET, target, &[]).await;
        let routed = answer(site.router.router().clone(), &Method::GET, target, &[]).await;
        assert_eq!(at_door.0, routed.0, "{target}");
        assert_eq!(at_door.2, routed.2, "{target}");
    }
}

/// What the door answers is a request like any other in `/metrics`.
#[tokio::test]
async fn answers_at_the_door_are_counted() {
    let site = TestSite::demo_with_web(with_metrics).await;
    site.get(ARTICLE).await.assert_ok();
    let count = |metrics: &str, name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in /metrics"))
    };
    let before = site.metrics().await.body;
    for _ in 0..5 {
        site.get(ARTICLE).await.assert_ok();
    }
    let after = site.metrics().await.body;
    // The five hits, and the first /metrics request itself.
    let ok = "byline_http_requests_total{class=\"2xx\"}";
    assert_eq!(count(&after, ok), count(&before, ok) + 6);
    let hits = "byline_page_cache_hits_total";
    assert_eq!(count(&after, hits), count(&before, hits) + 5);
}

/// A cached page costs less than the 503 a saturated server would send: readers keep
/// getting it while every slot behind the door is taken.
#[tokio::test]
async fn cached_pages_are_served_while_the_router_sheds_load() {
    let site = TestSite::demo_with_web(|c| {
        c.overload = OverloadLimits {
            in_flight: 1,
            queue: 0,
            max_wait: Duration::from_secs(1),
        };
    })
    .await;
    site.get(ARTICLE).await.assert_ok();
    // A report whose body never finishes arriving holds the one slot.
    let stuck = Request::post("/csp-report")
        .header("content-type", "application/csp-report")
        .body(Body::from_stream(futures::stream::pending::<
            Result<Bytes, std::io::Error>,
        >()))
        .unwrap();
    let holder = tokio::spawn(site.router.clone().oneshot(stuck));
    crate::common::eventually("the slot is taken", async || {
        site.get("/healthz").await.status == StatusCode::SERVICE_UNAVAILABLE
    })
    .await;
    site.get(ARTICLE).await.assert_ok();
    site.get("/en/").await; // not cached yet: the router's way, shed
    assert!(!site.state.cache.contains("/en/"));
    holder.abort();
}

/// The view beacon is counted at the door with the router's answer; an id the counter
/// does not know gets the router's 404.
#[tokio::test]
async fn the_beacon_is_counted_at_the_door_as_the_router_counts_it() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", "rail-corridor-and-small-ports").await;
    let target = format!("/api/v1/views/{id}");
    let ua = [("user-agent", crate::common::BROWSER_UA)];
    let at_door = answer(site.router.clone(), &Method::POST, &target, &ua).await;
    let routed = answer(site.router.router().clone(), &Method::POST, &target, &ua).await;
    assert_eq!(at_door.0, StatusCode::OK);
    assert_eq!(at_door.1, routed.1);
    let views = |body: &Bytes| -> u64 {
        serde_json::from_slice::<serde_json::Value>(body).unwrap()["views"]
            .as_u64()
            .unwrap()
    };
    // In tests there is no connection, so no address: each request is a new reader.
    assert_eq!(views(&routed.2), views(&at_door.2) + 1);
    assert_eq!(
        site.content().views_of(byline_core::ArticleId(id)),
        Some(views(&routed.2))
    );
    for unknown in ["/api/v1/views/999999", "/api/v1/views/x1", "/api/v1/views/"] {
        let at_door = answer(site.router.clone(), &Method::POST, unknown, &ua).await;
        let routed = answer(site.router.router().clone(), &Method::POST, unknown, &ua).await;
        assert_eq!(at_door.0, routed.0, "{unknown}");
        assert_eq!(at_door.2, routed.2, "{unknown}");
    }
}
