//! Every state-changing newsroom request needs the form's CSRF token.

use crate::client::{PASSWORD, add_user, encode, login_as};
use crate::common::TestSite;
use axum::body::Body;
use axum::http::Request;
use byline_core::Role;

#[tokio::test]
async fn posts_without_the_right_token_are_refused_with_a_clear_message() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let (_, other) = login_as(&site, "other@example.org", Role::Admin).await;
    let cases = [
        (
            "no token",
            encode(&[("email", "x@example.org"), ("role", "admin")]),
        ),
        (
            "wrong token",
            encode(&[
                ("csrf", &"0".repeat(64)),
                ("email", "x@example.org"),
                ("role", "admin"),
            ]),
        ),
        (
            "another session's token",
            encode(&[
                ("csrf", &other.csrf),
                ("email", "x@example.org"),
                ("role", "admin"),
            ]),
        ),
    ];
    for (what, body) in cases {
        let r = admin.post_raw(&site, "/newsroom/users", &body).await;
        assert_eq!(r.status, 403, "{what}");
        assert!(
            r.body.contains("This form has expired"),
            "{what}: a clear message"
        );
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    assert!(
        site.store().credentials("x@example.org").await.is_err(),
        "nothing was created"
    );
    for path in [
        "/newsroom/logout",
        "/newsroom/password",
        "/newsroom/articles/new",
    ] {
        assert_eq!(admin.post_raw(&site, path, "").await.status, 403, "{path}");
    }
    // The right token works.
    let ok = admin
        .post(
            &site,
            "/newsroom/users",
            &[("email", "x@example.org"), ("role", "author")],
        )
        .await;
    ok.assert_ok();
}

#[tokio::test]
async fn the_login_form_needs_its_double_submit_token() {
    let site = TestSite::demo().await;
    add_user(&site, "ann@example.org", Role::Author).await;
    let form = encode(&[
        ("csrf", &"a".repeat(64)),
        ("email", "ann@example.org"),
        ("password", PASSWORD),
    ]);
    let no_cookie = site
        .request(
            Request::post("/newsroom/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(no_cookie.status, 403);
    let other_cookie = site
        .request(
            Request::post("/newsroom/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", format!("byline_login_csrf={}", "b".repeat(64)))
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(other_cookie.status, 403);
    assert!(other_cookie.body.contains("This form has expired"));
}
