//! Login throttling per account and per IP.

use crate::client::{PASSWORD, add_user, try_login};
use crate::common::TestSite;
use byline_core::Role;

#[tokio::test]
async fn five_failures_for_an_account_lock_it_for_a_while_with_a_clear_message() {
    let site = TestSite::demo().await;
    add_user(&site, "ann@example.org", Role::Author).await;
    for i in 0..5 {
        let ip = format!("10.0.0.{i}");
        let r = try_login(&site, "ann@example.org", "wrong password", Some(&ip)).await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    // Even the right password is refused now, from any address.
    let r = try_login(&site, "ANN@example.org", PASSWORD, Some("10.0.9.9")).await;
    assert_eq!(r.status, 429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 14 * 60 && wait <= 15 * 60, "{wait}");
    assert!(
        r.testid("login-error")
            .unwrap()
            .contains("Too many failed logins. Try again in 15 minutes"),
        "{}",
        r.body
    );
    assert!(
        r.header("set-cookie")
            .is_none_or(|c| !c.starts_with("byline_session"))
    );
    // Other accounts are not locked out.
    add_user(&site, "bob@example.org", Role::Author).await;
    assert_eq!(
        try_login(&site, "bob@example.org", PASSWORD, Some("10.0.9.9"))
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn five_failures_from_one_address_stop_that_address() {
    let site = TestSite::demo().await;
    add_user(&site, "ann@example.org", Role::Author).await;
    for i in 0..5 {
        let r = try_login(
            &site,
            &format!("guess{i}@example.org"),
            "x",
            Some("192.0.2.7"),
        )
        .await;
        assert_eq!(r.status, 401);
    }
    let blocked = try_login(&site, "ann@example.org", PASSWORD, Some("192.0.2.7")).await;
    assert_eq!(blocked.status, 429);
    assert!(blocked.header("retry-after").is_some());
    let elsewhere = try_login(&site, "ann@example.org", PASSWORD, Some("192.0.2.8")).await;
    assert_eq!(elsewhere.status, 303, "another address is not affected");
}

#[tokio::test]
async fn the_throttle_message_is_localized() {
    let site = TestSite::demo().await;
    for _ in 0..5 {
        try_login(&site, "ann@example.org", "x", Some("198.51.100.1")).await;
    }
    let r = site
        .request(
            axum::http::Request::post("/newsroom/login")
                .header("accept-language", "ru")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", format!("byline_login_csrf={}", "c".repeat(64)))
                .body(axum::body::Body::from(crate::client::encode(&[
                    ("csrf", &"c".repeat(64)),
                    ("email", "ann@example.org"),
                    ("password", "x"),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 429);
    assert!(
        r.body.contains("Слишком много неудачных попыток входа"),
        "{}",
        r.body
    );
}
