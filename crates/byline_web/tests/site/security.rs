//! Issue 13 on the reader side: security headers on every page, the CSP report
//! endpoint, honest view counts, `/metrics` off the public listener, and the client's
//! address behind proxies.

use crate::common::{TestResponse, TestSite};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

fn csp(r: &TestResponse) -> &str {
    r.header("content-security-policy")
        .unwrap_or_else(|| panic!("no CSP on {}: {:?}", r.status, r.headers))
}

/// The `'sha256-…'` of every inline executable script of a page.
fn inline_script_hashes(r: &TestResponse) -> Vec<String> {
    use base64::Engine;
    let html = r.html();
    crate::common::html::select(&html, "script:not([src])")
        .into_iter()
        .filter(|s| {
            s.value()
                .attr("type")
                .is_none_or(|t| t.contains("javascript"))
        })
        .map(|s| {
            let text: String = s.text().collect();
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
            )
        })
        .collect()
}

fn assert_page_policy(r: &TestResponse, frame_ancestors: &str) {
    let policy = csp(r);
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("no script-src in {policy}"));
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(!policy.contains("unsafe-eval"), "{policy}");
    for hash in inline_script_hashes(r) {
        assert!(
            script_src.contains(&hash),
            "the page's inline script {hash} is allowed by {script_src}"
        );
    }
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "default-src 'self'",
        "report-uri /csp-report",
        &format!("frame-ancestors {frame_ancestors}"),
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    let frames = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-src "))
        .unwrap();
    assert_eq!(
        frames,
        "frame-src https://www.youtube-nocookie.com https://platform.twitter.com https://t.me"
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        r.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    let permissions = r.header("permissions-policy").expect("permissions policy");
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(permissions.contains(feature), "{permissions}");
    }
}

/// Finding 7: pages had no CSP, no framing rule, no Referrer-Policy, and `nosniff` only
/// on media.
#[tokio::test]
async fn every_html_page_carries_the_security_headers_cached_or_not() {
    let site = TestSite::demo().await;
    let article = "/en/analytics/grid-interconnectors-learning-to-share".to_owned();
    for path in [
        "/en/",
        "/en/",
        article.as_str(),
        article.as_str(),
        "/en/analytics",
        "/en/search?q=trade",
        "/ru/",
        "/en/no-such-page",
        "/no-such-edition/x",
    ] {
        let r = site.get(path).await;
        assert!(
            r.status.is_success() || r.status == 404,
            "{path}: {}",
            r.status
        );
        assert_page_policy(&r, "'self'");
        assert_eq!(r.header("x-frame-options"), Some("SAMEORIGIN"), "{path}");
        assert!(r.header("strict-transport-security").is_none(), "http site");
    }
    // Conditional requests of cached pages keep them too.
    let first = site.get(article.as_str()).await;
    let etag = first.header("etag").unwrap().to_owned();
    let revalidated = site
        .get_with(article.as_str(), "if-none-match", &etag)
        .await;
    assert_eq!(revalidated.status, 304);
    assert_eq!(
        revalidated.header("x-content-type-options"),
        Some("nosniff")
    );

    // The newsroom may not be framed at all.
    for path in ["/newsroom/login", "/newsroom/nope"] {
        let r = site.get(path).await;
        assert_page_policy(&r, "'none'");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
    }

    // Everything else is at least never sniffed.
    for path in [
        "/en/feed.rss",
        "/sitemap.xml",
        "/api/v1/openapi.json",
        "/robots.txt",
    ] {
        let r = site.get(path).await;
        r.assert_ok();
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(r.header("content-security-policy").is_none(), "{path}");
    }
    let stylesheet = {
        let front = site.get("/en/").await;
        let html = front.html();
        crate::common::html::attrs(
            crate::common::html::select(&html, "head")
                .into_iter()
                .next()
                .unwrap(),
            "link[rel='stylesheet']",
            "href",
        )[0]
        .clone()
    };
    let css = site.get(&stylesheet).await;
    css.assert_ok();
    assert_eq!(css.header("x-content-type-options"), Some("nosniff"));

    // The API docs page brings its own, stricter policy: no script at all.
    let docs = site.get("/api/v1/docs").await;
    docs.assert_ok();
    let policy = csp(&docs);
    assert!(
        policy.starts_with("default-src 'none'; style-src 'sha256-"),
        "{policy}"
    );
    assert!(!policy.contains("script-src"), "{policy}");
}

#[tokio::test]
async fn an_https_site_asks_for_https_only() {
    let site = TestSite::demo_with_web(|w| w.site_url = "https://meridian.example".into()).await;
    let r = site.get("/en/").await;
    assert_eq!(
        r.header("strict-transport-security"),
        Some("max-age=31536000")
    );
}

#[tokio::test]
async fn csp_reports_are_counted_and_bounded() {
    let site =
        TestSite::demo_with_web(|w| w.metrics_token = Some("a-long-enough-metrics-token".into()))
            .await;
    let report = serde_json::json!({"csp-report": {
        "document-uri": "http://127.0.0.1:8080/en/",
        "violated-directive": "script-src-elem",
        "blocked-uri": "inline",
    }});
    for content_type in ["application/csp-report", "application/reports+json"] {
        let r = site
            .request(
                Request::post("/csp-report")
                    .header("content-type", content_type)
                    .body(Body::from(report.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 204);
    }
    let garbage = site
        .request(
            Request::post("/csp-report")
                .body(Body::from("not json at all"))
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, 204, "nothing is told to the sender");
    let too_big = site
        .request(
            Request::post("/csp-report")
                .header("content-type", "application/csp-report")
                .body(Body::from("x".repeat(64 * 1024)))
                .unwrap(),
        )
        .await;
    assert_eq!(too_big.status, 413);
    let metrics = site
        .get_with(
            "/metrics",
            "authorization",
            "Bearer a-long-enough-metrics-token",
        )
        .await;
    metrics.assert_ok();
    assert!(
        metrics.body.contains("byline_csp_reports_total 3"),
        "{}",
        metrics.body
    );
}

/// Finding 8: `/metrics` was public.
#[tokio::test]
async fn metrics_are_not_public() {
    let site = TestSite::demo().await;
    assert_eq!(site.get("/metrics").await.status, 404);

    let site =
        TestSite::demo_with_web(|w| w.metrics_token = Some("a-long-enough-metrics-token".into()))
            .await;
    let anonymous = site.get("/metrics").await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        site.get_with(
            "/metrics",
            "authorization",
            "Bearer wrong-token-of-some-length"
        )
        .await
        .status,
        401
    );
    let r = site
        .get_with(
            "/metrics",
            "authorization",
            "Bearer a-long-enough-metrics-token",
        )
        .await;
    r.assert_ok();
    assert!(r.body.contains("byline_http_requests_total"));
}

async fn beacon_from(site: &TestSite, id: i64, ip: &str, user_agent: &str) -> u64 {
    let mut request = Request::post(format!("/api/v1/views/{id}"))
        .header("user-agent", user_agent)
        .body(Body::empty())
        .unwrap();
    let peer: SocketAddr = format!("{ip}:50000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let r = site.request(request).await;
    r.assert_ok();
    serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["views"]
        .as_u64()
        .unwrap()
}

const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/// Finding 8: the beacon counted any number of POSTs from one client, so "Views" and
/// most-read could be inflated at will.
#[tokio::test]
async fn one_machine_cannot_inflate_views_but_every_reader_counts() {
    let site = TestSite::demo().await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let before = site.content().views_of(byline_core::ArticleId(id)).unwrap();

    // The same reader reloading: one view.
    for _ in 0..20 {
        beacon_from(&site, id, "198.51.100.10", CHROME).await;
    }
    assert_eq!(
        site.content().views_of(byline_core::ArticleId(id)),
        Some(before + 1)
    );

    // One machine making up user agents: at most ten.
    for i in 0..200 {
        beacon_from(&site, id, "198.51.100.11", &format!("{CHROME} build/{i}")).await;
    }
    assert_eq!(
        site.content().views_of(byline_core::ArticleId(id)),
        Some(before + 11)
    );

    // Distinct readers: every one counts.
    for i in 0..300 {
        let ip = format!("10.{}.{}.1", i / 200, i % 200);
        beacon_from(&site, id, &ip, CHROME).await;
    }
    assert_eq!(
        site.content().views_of(byline_core::ArticleId(id)),
        Some(before + 311)
    );
    // A refused repeat still answers the count the page shows.
    assert_eq!(
        beacon_from(&site, id, "198.51.100.10", CHROME).await,
        before + 311
    );
}
