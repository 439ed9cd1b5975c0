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
