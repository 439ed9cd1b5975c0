//! Web Push (issue 17): readers' browsers subscribe per edition; a breaking alert (and,
//! for those who asked, a live blog's key event) reaches each subscription once,
//! encrypted and VAPID-signed, through the store's outbox — checked end to end by a
//! local push service that verifies the token and decrypts with the browser's key
//! (`common::push_stub`). Also: 410 removes a subscription, a hanging push service
//! does not hold the others, two nodes deliver each message once, and hostile
//! subscriptions are refused with 4xx.

use crate::client::login_as;
use crate::common::push_stub::{Answer, Subscription, site_with_push_stub as site_with_stub};
use crate::common::{TestResponse, TestSite, eventually};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use byline_content::{AlertInput, ContentOptions, PushOptions};
use byline_core::Role;
use std::time::Duration;

const SUBSCRIPTIONS: &str = "/api/v1/push/subscriptions";

async fn send(site: &TestSite, method: Method, body: &str) -> TestResponse {
    site.request(
        Request::builder()
            .method(method)
            .uri(SUBSCRIPTIONS)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

async fn subscribe(site: &TestSite, edition: &str, s: &Subscription, key_events: bool) {
    let body = serde_json::json!({
        "edition": edition, "key_events": key_events, "subscription": s.json(),
    });
    let r = send(site, Method::POST, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn an_alert_reaches_each_subscriber_of_its_edition_encrypted_and_signed() {
    let (site, stub) = site_with_stub().await;
    let en = stub.subscribe(Answer::Accept);
    let en_key_events = stub.subscribe(Answer::Accept);
    let ru = stub.subscribe(Answer::Accept);
    let unsubscribed = stub.subscribe(Answer::Gone);
    subscribe(&site, "en", &en, false).await;
    subscribe(&site, "en", &en_key_events, true).await;
    subscribe(&site, "ru", &ru, false).await;
    subscribe(&site, "en", &unsubscribed, false).await;
    // Subscribing again renews, it does not add.
    subscribe(&site, "en", &en, false).await;
    assert_eq!(
        site.content()
            .push_subscription_count(Some("en"))
            .await
            .unwrap(),
        3
    );

    // Raised in the newsroom, as an editor does.
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let r = editor
        .post(
            &site,
            "/newsroom/alerts",
            &[
                ("edition", "en"),
                ("text", "Polls have closed: results within the hour"),
                ("url", "/en/analytics"),
                ("minutes", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    eventually("both English subscribers receive it", async || {
        stub.received_by(en.id).len() == 1 && stub.received_by(en_key_events.id).len() == 1
    })
    .await;
    let got = &stub.received_by(en.id)[0];
    let p = &got.payload;
    assert_eq!(p["kind"], "alert");
    assert_eq!(p["lang"], "en");
    assert_eq!(p["title"], site.content().catalog().settings.name.as_str());
    assert_eq!(p["body"], "Polls have closed: results within the hour");
    assert_eq!(p["url"], "/en/analytics");
    assert!(p["id"].as_i64().is_some());
    let ttl: i64 = got.ttl.parse().unwrap();
    assert!(
        (5_300..=5_400).contains(&ttl),
        "TTL is the alert's time left: {ttl}"
    );
    assert_eq!(got.urgency, "high");
    assert_eq!(got.topic, format!("byline-{}", p["id"]));
    // The push service said the fourth is gone: it is removed.
    eventually("the gone subscription is removed", async || {
        site.content()
            .push_subscription_count(Some("en"))
            .await
            .unwrap()
            == 2
    })
    .await;
    let alert = site.content().live_alert("en").unwrap();
    eventually("the tally settles", async || {
        let t = site.content().push_tally_of_alert(&alert).await.unwrap();
        t.delivered == 2 && t.pending == 0
    })
    .await;
    // The desk sees who is subscribed and how the alert's push went.
    let page = editor.get(&site, "/newsroom/alerts").await;
    assert_eq!(page.status, 200);
    let html = page.html();
    use crate::common::html::{testid, text};
    assert_eq!(
        text(testid(&html, "push-subscribers")),
        "Browsers subscribed to push alerts: EN 2 · RU 1 · HY 0"
    );
    assert_eq!(
        text(testid(&html, "alert-push")),
        "push: 2 delivered, 0 waiting, 0 not delivered"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(
        stub.received_by(ru.id).is_empty(),
        "another edition's alert"
    );
    assert_eq!(stub.received().len(), 2, "once each, never again");
    assert!(stub.refused().is_empty(), "{:?}", stub.refused());

    // A live blog's key event reaches only the subscriber who asked for key events.
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/live"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    for (body, key) in [("An ordinary update", ""), ("The minister resigns", "1")] {
        let mut form = vec![("entry_body", body)];
        if !key.is_empty() {
            form.push(("entry_key_event", key));
        }
        let r = editor
            .post(&site, &format!("/newsroom/articles/{id}/entries"), &form)
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    eventually("the key event is pushed", async || {
        stub.received_by(en_key_events.id).len() == 2
    })
    .await;
    let key_event = &stub.received_by(en_key_events.id)[1].payload;
    assert_eq!(key_event["kind"], "key_event");
    assert_eq!(key_event["body"], "The minister resigns");
    assert_eq!(
        key_event["url"],
        "/en/analytics/grid-interconnectors-learning-to-share"
    );
    assert_eq!(stub.received_by(en_key_events.id)[1].urgency, "normal");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        stub.received_by(en.id).len(),
        1,
        "no key events for this one"
    );
    assert_eq!(stub.received().len(), 3, "ordinary entries are not pushed");
    assert!(stub.refused().is_empty(), "{:?}", stub.refused());
}

#[tokio::test]
async fn a_hanging_push_service_does_not_hold_the_queue() {
    let (site, stub) = site_with_stub().await;
    let hangs = stub.subscribe(Answer::Hang);
    subscribe(&site, "en", &hangs, false).await;
    let prompt: Vec<Subscription> = (0..5).map(|_| stub.subscribe(Answer::Accept)).collect();
    for s in &prompt {
        subscribe(&site, "en", s, false).await;
    }
    let (editor, _) = (
        crate::client::add_user(&site, "desk@example.org", Role::Editor).await,
        (),
    );
    site.content()
        .raise_alert(
            &editor,
            AlertInput {
                edition: "en".into(),
                text: "Storm warning for the coast".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("the others are delivered while one hangs", async || {
        prompt.iter().all(|s| stub.received_by(s.id).len() == 1)
    })
    .await;
    assert!(stub.received_by(hangs.id).is_empty());
}

#[tokio::test]
async fn two_nodes_deliver_each_notification_once() {
    let (site, stub) = site_with_stub().await;
    let other = site.another_node().await;
    let browsers: Vec<Subscription> = (0..30).map(|_| stub.subscribe(Answer::Accept)).collect();
    for (n, s) in browsers.iter().enumerate() {
        // Half through each node: both write to the one store. (Straight to the
        // content service: thirty through HTTP from one address would hit its limit.)
        let node = if n % 2 == 0 { &site } else { &other };
        node.content()
            .subscribe_push(byline_content::SubscriptionInput {
                edition: "ru".into(),
                endpoint: s.endpoint.clone(),
                p256dh: s.p256dh.clone(),
                auth: s.auth.clone(),
                key_events: false,
            })
            .await
            .unwrap();
    }
    let editor = crate::client::add_user(&site, "desk@example.org", Role::Editor).await;
    for text in ["Первое", "Второе", "Третье"] {
        site.content()
            .raise_alert(
                &editor,
                AlertInput {
                    edition: "ru".into(),
                    text: text.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    eventually("every browser has all three", async || {
        stub.received().len() >= 90
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for s in &browsers {
        let mut ids: Vec<i64> = stub
            .received_by(s.id)
            .iter()
            .map(|r| r.payload["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(
            (ids.len(), stub.received_by(s.id).len()),
            (3, 3),
            "subscription {}: each message exactly once",
            s.id
        );
    }
    assert!(stub.refused().is_empty(), "{:?}", stub.refused());
}

#[tokio::test]
async fn a_reader_unsubscribes_with_the_subscriptions_secret_only() {
    let (site, stub) = site_with_stub().await;
    let s = stub.subscribe(Answer::Accept);
    subscribe(&site, "en", &s, false).await;
    subscribe(&site, "hy", &s, true).await;
    let other = stub.subscribe(Answer::Accept);
    let r = send(
        &site,
        Method::DELETE,
        &serde_json::json!({"edition": "en", "endpoint": s.endpoint, "auth": other.auth})
            .to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "someone else's secret");
    assert_eq!(
        site.content().push_subscription_count(None).await.unwrap(),
        2
    );
    let r = send(
        &site,
        Method::DELETE,
        &serde_json::json!({"edition": "en", "endpoint": s.endpoint, "auth": s.auth}).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        site.content()
            .push_subscription_count(Some("en"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        site.content()
            .push_subscription_count(Some("hy"))
            .await
            .unwrap(),
        1,
        "the other edition's stays"
    );
}

#[tokio::test]
async fn hostile_subscriptions_are_refused_with_4xx() {
    let (site, stub) = site_with_stub().await;
    let good = stub.subscribe(Answer::Accept);
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut body = serde_json::json!({
            "edition": "en", "subscription": good.json(),
        });
        f(&mut body);
        body.to_string()
    };
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("not JSON", "{\"edition\":".into(), 400, ""),
        ("wrong type", with(&|b| b["edition"] = 5.into()), 400, ""),
        (
            "unknown member",
            with(&|b| b["admin"] = true.into()),
            400,
            "admin",
        ),
        (
            "no such edition",
            with(&|b| b["edition"] = "xx".into()),
            400,
            "edition",
        ),
        (
            "an endpoint that is not a push service's",
            with(&|b| b["subscription"]["endpoint"] = "http://127.0.0.1:5432/".into()),
            400,
            "endpoint",
        ),
        (
            "another host dressed up",
            with(&|b| {
                b["subscription"]["endpoint"] =
                    "https://fcm.googleapis.com.evil.example/fcm/send/x".into()
            }),
            400,
            "endpoint",
        ),
        (
            "an endpoint too long",
            with(&|b| {
                b["subscription"]["endpoint"] =
                    format!("{}/push/1?{}", stub.origin(), "a".repeat(2000)).into()
            }),
            400,
            "endpoint",
        ),
        (
            "a key that is not a point",
            with(&|b| b["subscription"]["keys"]["p256dh"] = format!("BA{}", "A".repeat(85)).into()),
            400,
            "p256dh",
        ),
        (
            "a key of the wrong length",
            with(&|b| b["subscription"]["keys"]["p256dh"] = "AAAA".into()),
            400,
            "p256dh",
        ),
        (
            "a secret that is not base64url",
            with(&|b| b["subscription"]["keys"]["auth"] = "not base64!".into()),
            400,
            "auth",
        ),
        (
            "too deep",
            format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
            400,
            "",
        ),
        (
            "too big",
            with(&|b| b["padding"] = "x".repeat(200_000).into()),
            413,
            "",
        ),
    ];
    for (what, body, status, names) in cases {
        let r = send(&site, Method::POST, &body).await;
        assert_eq!(r.status.as_u16(), status, "{what}: {}", r.body);
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/problem+json"),
            "{what}"
        );
        assert!(r.body.contains(names), "{what} names {names}: {}", r.body);
    }
    let r = site
        .request(
            Request::builder()
                .method(Method::POST)
                .uri(SUBSCRIPTIONS)
                .header("content-type", "text/plain")
                .body(Body::from(with(&|_| {})))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        site.content().push_subscription_count(None).await.unwrap(),
        0,
        "nothing stored"
    );
    // One address may not fill the table: the limit answers 429 with Retry-After.
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let s = stub.subscribe(Answer::Accept);
        let body = serde_json::json!({"edition": "en", "subscription": s.json()});
        statuses.push(send(&site, Method::POST, &body.to_string()).await);
    }
    let limited = statuses
        .iter()
        .find(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .expect("the limit is reached");
    assert!(limited.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn the_site_offers_the_signup_and_serves_the_worker() {
    let (site, _stub) = site_with_stub().await;
    let page = site.get("/ru/").await;
    page.assert_ok();
    let html = page.html();
    let signup = crate::common::html::select(&html, "[data-testid=push-signup]");
    let signup = signup.first().expect("a signup in the footer");
    use crate::common::html::attr;
    assert_eq!(attr(*signup, "data-push-edition"), "ru");
    assert_eq!(
        attr(*signup, "data-push-key"),
        site.content().push_public_key().unwrap()
    );
    assert!(
        signup.value().attr("hidden").is_some(),
        "shown by the script only"
    );
    let sw = site.get("/sw.js").await;
    sw.assert_ok();
    assert!(
        sw.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(sw.header("cache-control"), Some("no-cache"));
    assert!(sw.body.contains("showNotification") && sw.body.contains("notificationclick"));

    // With Web Push off there is neither key nor signup.
    let off = TestSite::demo_with(ContentOptions {
        push: PushOptions {
            enabled: false,
            ..PushOptions::default()
        },
        ..ContentOptions::default()
    })
    .await;
    assert!(off.content().push_public_key().is_none());
    assert!(off.get("/en/").await.testid("push-signup").is_none());
}

/// The stub decrypts as RFC 8291 says: its Appendix A example message opens with the
/// example's keys (so the round trips above are checked against the standard, not only
/// against the crate that encrypts).
#[test]
fn the_stub_decrypts_the_rfc_8291_example() {
    use base64::Engine as _;
    let b64 = |s: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .unwrap()
    };
    let body = b64(
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
    let secret = web_push_native::p256::SecretKey::from_slice(&b64(
        "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
    ))
    .unwrap();
    let auth = web_push_native::Auth::clone_from_slice(&b64("BTBZMqHH6r4Tts7J_aSIgg"));
    let plain = web_push_native::decrypt(body, &secret, &auth).unwrap();
    assert_eq!(plain, b"When I grow up, I want to be a watermelon");
}
