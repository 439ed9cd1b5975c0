//! Bad input anywhere under /api: RFC 9457 problems with stable types; the contract.

use crate::client::{assert_problem, json, send, token};
use crate::common::TestSite;
use byline_core::Role;

#[tokio::test]
async fn bad_bodies_are_problems_with_positions_and_names() {
    let site = TestSite::demo().await;
    let (_, t) = token(&site, Role::Editor, 1).await;
    let post = |body: &'static str| send(&site, "POST", "/api/v1/admin/articles", &t, body, &[]);
    let p = assert_problem(
        &post("{\"edition\": \"en\",\n \"title\": }").await,
        400,
        "invalid-json",
    );
    assert!(
        p["detail"].as_str().unwrap().contains("line 2 column"),
        "{p}"
    );
    let p = assert_problem(
        &post(r#"{"edition": "en", "section": "analytics", "title": "T", "colour": "red"}"#).await,
        400,
        "unknown-field",
    );
    assert_eq!(p["names"], serde_json::json!(["colour"]));
    let p = assert_problem(
        &post(r#"{"edition": "en", "title": "T"}"#).await,
        400,
        "invalid-json",
    );
    assert!(p["detail"].as_str().unwrap().contains("section"), "{p}");
    assert_problem(
        &post(r#"{"edition": "en", "section": "analytics", "title": "T", "status": "live"}"#).await,
        400,
        "invalid-json",
    );
    assert_problem(
        &post(r#"{"edition": "en", "section": "analytics", "title": "T", "status": "scheduled"}"#)
            .await,
        400,
        "bad-request",
    );
    let p = assert_problem(
        &post(r#"{"edition": "xx", "section": "analytics", "title": "T"}"#).await,
        400,
        "bad-request",
    );
    assert!(p["detail"].as_str().is_some(), "{p}");

    let plain = site
        .request(
            axum::http::Request::post("/api/v1/admin/articles")
                .header("authorization", format!("Bearer {t}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from("hello"))
                .unwrap(),
        )
        .await;
    assert_problem(&plain, 415, "unsupported-media-type");
    let huge = format!(
        r#"{{"edition": "en", "section": "analytics", "title": "T", "body": "{}"}}"#,
        "x".repeat(200 * 1024)
    );
    assert_problem(
        &send(&site, "POST", "/api/v1/admin/articles", &t, &huge, &[]).await,
        413,
        "payload-too-large",
    );
}

#[tokio::test]
async fn unknown_paths_methods_and_the_beacon_answer_problems() {
    let site = TestSite::demo().await;
    assert_problem(&site.get("/api/v1/nothing-here").await, 404, "not-found");
    let r = site
        .request(
            axum::http::Request::delete("/api/v1/settings")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_problem(&r, 405, "method-not-allowed");
    assert_problem(&site.beacon(99_999_999).await, 404, "not-found");
    assert_problem(
        &site.get("/api/v1/search?q=water&edition=xx").await,
        400,
        "bad-request",
    );
    // Problem types explain themselves.
    let page = site.get("/api/v1/problems/bad-cursor").await;
    page.assert_ok();
    assert!(page.body.contains("cursor"));
}

#[tokio::test]
async fn the_openapi_document_and_its_page() {
    let site = TestSite::demo().await;
    let r = site.get("/api/v1/openapi.json").await;
    r.assert_ok();
    let doc = json(&r);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/articles/{edition}/{slug}",
        "/api/v1/settings",
        "/api/v1/admin/articles",
        "/api/v1/admin/sections",
        "/api/v1/admin/media",
        "/api/v1/search",
        "/api/v1/views/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    // With `fields=` any member but `id` may be absent: the schema must allow that.
    assert_eq!(
        doc["components"]["schemas"]["ArticleOut"]["required"],
        serde_json::json!(["id"])
    );
    let page = site.get("/api/v1/docs").await;
    page.assert_ok();
    assert!(page.body.contains("GET /api/v1/articles"));
    assert!(
        !page.body.contains("<script"),
        "no script, no third-party request"
    );
}
