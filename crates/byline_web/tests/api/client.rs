//! Keys, tokens and requests for the API tests.

use crate::common::{TestResponse, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_content::accounts::{self, UserInput};
use byline_content::api_access;
use byline_core::{Role, User};

/// A new Content API key.
pub async fn key(site: &TestSite) -> String {
    api_access::create_api_key(site.store().as_ref(), None, "test app")
        .await
        .unwrap()
        .text
}

/// A new account with `role` and an Admin API token for it.
pub async fn token(site: &TestSite, role: Role, n: usize) -> (User, String) {
    let store = site.store().as_ref();
    let created = accounts::create_user(
        store,
        UserInput {
            email: format!("{role}{n}@example.org"),
            display_name: format!("{role} {n}"),
            role,
            password: Some("correct horse battery".into()),
        },
    )
    .await
    .unwrap();
    let user = store.user(created.id).await.unwrap();
    let token = api_access::create_api_token(store, None, user.id, "tests")
        .await
        .unwrap()
        .text;
    (user, token)
}

pub fn json(r: &TestResponse) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

/// A GET with `Authorization: Bearer`.
pub async fn get(site: &TestSite, uri: &str, bearer: &str) -> TestResponse {
    site.get_with(uri, "authorization", &format!("Bearer {bearer}"))
        .await
}

/// A request with a JSON body and a bearer token.
pub async fn send(
    site: &TestSite,
    method: &str,
    uri: &str,
    bearer: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {bearer}"))
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    site.request(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

/// Asserts a problem+json answer of `status` and `type` ending in `/slug`.
pub fn assert_problem(r: &TestResponse, status: u16, slug: &str) -> serde_json::Value {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{}",
        r.body
    );
    let p = json(r);
    assert_eq!(p["type"], format!("/api/v1/problems/{slug}"), "{p}");
    assert_eq!(p["status"], status);
    p
}
