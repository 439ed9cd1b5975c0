//! `/healthz` and `/readyz` for load balancers.

use crate::common::TestSite;

#[tokio::test]
async fn ready_while_the_store_answers_and_not_after() {
    let site = TestSite::demo().await;
    let health = site.get("/healthz").await;
    health.assert_ok();
    assert_eq!(health.header("cache-control"), Some("no-store"));
    let ready = site.get("/readyz").await;
    ready.assert_ok();
    let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["search_behind"], 0);

    // The store goes away: the process is alive but must not take readers.
    site.close_store().await;
    site.get("/healthz").await.assert_ok();
    let gone = site.get("/readyz").await;
    assert_eq!(gone.status, 503, "{}", gone.body);
    assert_eq!(gone.header("retry-after"), Some("5"));
    let body: serde_json::Value = serde_json::from_str(&gone.body).unwrap();
    assert_eq!(body["store"], "unreachable");
}

/// The value of the metric line starting with `name` (labels included) in `/metrics`.
fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} missing from:\n{body}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn metrics_count_requests_latency_view_flushes_and_feed_lag() {
    let site = TestSite::demo_with_web(crate::common::with_metrics).await;
    for _ in 0..3 {
        site.get("/en/").await.assert_ok();
    }
    assert_eq!(site.get("/en/no-such-section").await.status, 404);
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    site.beacon(id).await.assert_ok();
    site.beacon(id).await.assert_ok();
    site.content().flush_views().await.unwrap();

    let body = site.metrics().await.body;
    assert!(metric(&body, "byline_http_requests_total{class=\"2xx\"}") >= 5.0);
    assert_eq!(
        metric(&body, "byline_http_requests_total{class=\"4xx\"}"),
        1.0
    );
    let count = metric(&body, "byline_http_request_duration_seconds_count");
    assert_eq!(
        metric(
            &body,
            "byline_http_request_duration_seconds_bucket{le=\"+Inf\"}"
        ),
        count
    );
    let classes: f64 = (1..=5)
        .map(|c| {
            metric(
                &body,
                &format!("byline_http_requests_total{{class=\"{c}xx\"}}"),
            )
        })
        .sum();
    assert_eq!(
        classes, count,
        "every answer is in one class and in the histogram"
    );
    assert!(
        metric(
            &body,
            "byline_http_request_duration_seconds_bucket{le=\"1\"}"
        ) <= count
    );
    assert!(metric(&body, "byline_view_flushes_total") >= 1.0);
    assert!(metric(&body, "byline_views_flushed_total") >= 2.0);
    assert_eq!(metric(&body, "byline_view_flush_failures_total"), 0.0);
    assert_eq!(metric(&body, "byline_search_feed_lag"), 0.0);
}
