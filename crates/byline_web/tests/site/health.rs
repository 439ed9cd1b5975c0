//! `/healthz` and `/readyz` for load balancers.

use crate::common::TestSite;

#[tokio::test]
async fn ready_while_the_store_answers_and_not_after() {
    let site = TestSite::demo().await;
    let health = site.get("/healthz").await;
    health.assert_ok();
    assert_eq!(health.header("cache-control"), Some("no-store"));
    // The followers start with the site and report after their first pass: a busy
    // machine may answer before the search follower has made it (its position is then
    // 0, "behind" the whole feed). Ask again, for up to 10 s, as a balancer would.
    let mut body = serde_json::Value::Null;
    for _ in 0..100 {
        let ready = site.get("/readyz").await;
        ready.assert_ok();
        body = serde_json::from_str(&ready.body).unwrap();
        if body["followers"]["search"]["behind"] == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(body["status"], "ready");
    assert_eq!(body["search_behind"], 0);
    for follower in ["content", "page-cache", "search"] {
        assert_eq!(body["followers"][follower]["behind"], 0, "{body}");
        assert_eq!(body["followers"][follower]["failing"], 0, "{body}");
    }

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
    site.settle().await;

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
    for follower in ["content", "page-cache", "search"] {
        let labelled = |name: &str| format!("{name}{{follower=\"{follower}\"}}");
        assert_eq!(metric(&body, &labelled("byline_follower_lag")), 0.0);
        assert_eq!(metric(&body, &labelled("byline_follower_failing")), 0.0);
        assert_eq!(
            metric(&body, &labelled("byline_follower_failures_total")),
            0.0
        );
        assert!(metric(&body, &labelled("byline_follower_position")) > 0.0);
    }
}

/// A follower of the change feed that cannot apply a change (here the catalog's reload,
/// with the tags table taken away) keeps retrying it, and says so: `/readyz` is 503 and
/// names it, `/metrics` counts its failures; once the retry succeeds both are back.
#[tokio::test]
async fn a_failing_follower_shows_in_readyz_and_metrics_until_its_retry_succeeds() {
    let site = TestSite::demo_with_web(crate::common::with_metrics).await;
    site.sql("alter table tags rename to tags_away").await;
    site.content()
        .put_section(
            "weather",
            &byline_core::Localized::from_pairs([("en", "Weather")]),
            &byline_core::Localized::default(),
            9,
        )
        .await
        .unwrap();
    let mut failing = None;
    for _ in 0..500 {
        let ready = site.get("/readyz").await;
        let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
        if body["followers"]["content"]["failing"].as_u64() >= Some(2) {
            failing = Some((ready.status, body));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (status, body) = failing.expect("the catalog's follower never reported failing");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "not ready");
    // The page cache reads the catalog itself before it drops every page (a page
    // rendered in between must not keep the old names): it waits with the catalog.
    // The search index does not read it and carries on.
    assert!(
        body["followers"]["page-cache"]["failing"].as_u64() >= Some(1),
        "{body}"
    );
    assert_eq!(body["followers"]["search"]["failing"], 0, "{body}");
    let metrics = site.metrics().await.body;
    assert!(metric(&metrics, "byline_follower_failing{follower=\"content\"}") >= 2.0);
    assert!(
        site.content()
            .catalog()
            .section_by_slug("weather")
            .is_none()
    );

    site.sql("alter table tags_away rename to tags").await;
    site.settle().await;
    assert!(
        site.content()
            .catalog()
            .section_by_slug("weather")
            .is_some(),
        "the retried reload took the change in"
    );
    site.get("/readyz").await.assert_ok();
    let metrics = site.metrics().await.body;
    for follower in ["content", "page-cache"] {
        assert_eq!(
            metric(
                &metrics,
                &format!("byline_follower_failing{{follower=\"{follower}\"}}")
            ),
            0.0
        );
    }
    assert!(
        metric(
            &metrics,
            "byline_follower_failures_total{follower=\"content\"}"
        ) >= 2.0
    );
}
