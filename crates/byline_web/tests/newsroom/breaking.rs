//! Breaking-news alerts (issue 17): raised in the newsroom, a banner over every page of
//! one edition on every node (cached pages purged by one key), ended early or expiring
//! by itself, read by the apps from `/api/v1/alerts`; with hostile input and lower roles.

use crate::client::{add_user, audit_rows, login, login_as};
use crate::common::html::{attr, testid, text};
use crate::common::{TestSite, eventually, fluent};
use byline_content::{Clock, ContentOptions};
use byline_core::Role;
use jiff::SignedDuration;

/// The banner's text and link on `url`, if it shows one.
async fn banner(site: &TestSite, url: &str) -> Option<(String, String)> {
    let r = site.get(url).await;
    r.assert_ok();
    let html = r.html();
    r.testid("breaking")?;
    let link = crate::common::html::select(&html, "[data-testid=breaking] a.breaking-text")
        .first()
        .map(|a| attr(*a, "href"))
        .unwrap_or_default();
    Some((text(testid(&html, "breaking")), link))
}

#[tokio::test]
async fn an_alert_shows_over_every_page_of_its_edition_until_ended() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let pages = [
        "/en/",
        "/en/analytics",
        "/en/analytics/grid-interconnectors-learning-to-share",
        "/en/page/about",
    ];
    for url in pages.iter().chain(&["/ru/"]) {
        assert!(banner(&site, url).await.is_none(), "{url}: no banner yet");
    }
    assert!(site.state.cache.contains("/en/") && site.state.cache.contains("/ru/"));
    let keys = site.get("/en/analytics").await;
    assert!(
        keys.header("surrogate-key")
            .is_some_and(|k| k.split(' ').any(|k| k == "pages:en")),
        "every page of the edition carries the banner's key"
    );

    let r = editor
        .post(
            &site,
            "/newsroom/alerts",
            &[
                ("edition", "en"),
                (
                    "text",
                    "  Polls have closed <script>alert(1)</script>\n  results soon ",
                ),
                ("url", "/en/analytics"),
                ("minutes", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    assert!(
        site.state.cache.contains("/ru/"),
        "the other edition's pages stay cached"
    );
    for url in pages {
        let (words, link) = banner(&site, url).await.expect(url);
        assert!(
            words.contains("Polls have closed <script>alert(1)</script> results soon"),
            "{url}: {words}"
        );
        assert!(words.contains(&fluent("en", "breaking-label")));
        assert_eq!(link, "/en/analytics");
    }
    let page = site.get("/en/").await;
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    assert!(banner(&site, "/ru/").await.is_none(), "only its edition");

    // The newsroom lists it; an editor ends it; every page drops it.
    let list = editor.get(&site, "/newsroom/alerts").await;
    list.assert_ok();
    let id = attr(testid(&list.html(), "alert"), "data-alert");
    let r = editor
        .post(&site, &format!("/newsroom/alerts/{id}/end"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    for url in pages {
        assert!(banner(&site, url).await.is_none(), "{url}: ended");
    }
    // Ending it twice says so; an unknown or malformed id is not found.
    let r = editor
        .post(&site, &format!("/newsroom/alerts/{id}/end"), &[])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-alert").is_some());
    for bad in ["/newsroom/alerts/999999/end", "/newsroom/alerts/x/end"] {
        assert_eq!(editor.post(&site, bad, &[]).await.status, 404, "{bad}");
    }
    let admin = add_user(&site, "auditor@example.org", Role::Admin).await;
    let log = login(&site, &admin.email)
        .await
        .get(&site, "/newsroom/audit")
        .await;
    let actions: Vec<String> = audit_rows(&log).into_iter().map(|r| r.action).collect();
    assert!(actions.contains(&"alert_raised".to_owned()), "{actions:?}");
    assert!(actions.contains(&"alert_ended".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn an_alert_from_an_article_leads_to_it_and_expires_by_itself() {
    let clock = Clock::manual(jiff::Timestamp::now());
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        // The test stands in for the scheduler's tick and counts what its own call
        // did: a tick of the real scheduler after the clock moves would take it first.
        schedule_poll: std::time::Duration::from_secs(3600),
        ..ContentOptions::default()
    })
    .await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let page = editor.get(&site, &format!("/newsroom/articles/{id}")).await;
    assert!(
        page.testid("breaking-form").is_some(),
        "offered on a published article"
    );
    let r = editor
        .post(
            &site,
            "/newsroom/alerts",
            &[
                ("article", &id.to_string()),
                ("text", ""),
                ("minutes", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some(format!("/newsroom/articles/{id}#breaking").as_str())
    );
    site.settle().await;
    let (words, link) = banner(&site, "/en/culture").await.expect("a banner");
    let title = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap()
        .title;
    assert!(words.contains(&title), "the headline: {words}");
    assert_eq!(link, "/en/analytics/grid-interconnectors-learning-to-share");

    // Half an hour later it is gone by itself (the scheduler's tick stops it).
    clock.advance(SignedDuration::from_mins(31));
    assert_eq!(site.content().expire_alerts().await.unwrap(), 1);
    site.settle().await;
    assert!(banner(&site, "/en/culture").await.is_none(), "expired");
    assert_eq!(site.content().expire_alerts().await.unwrap(), 0, "once");
}

#[tokio::test]
async fn a_refused_alert_says_why_and_lower_roles_may_not_raise_one() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let long = "x".repeat(201);
    for (fields, field) in [
        (vec![("edition", "en"), ("text", "   ")], "text"),
        (vec![("edition", "en"), ("text", long.as_str())], "text"),
        (vec![("edition", "xx"), ("text", "Hello")], "edition"),
        (
            vec![
                ("edition", "en"),
                ("text", "Hi"),
                ("url", "javascript:alert(1)"),
            ],
            "url",
        ),
        (
            vec![
                ("edition", "en"),
                ("text", "Hi"),
                ("url", "//evil.example/"),
            ],
            "url",
        ),
        (
            vec![("edition", "en"), ("text", "Hi"), ("minutes", "0")],
            "minutes",
        ),
        (
            vec![("edition", "en"), ("text", "Hi"), ("minutes", "99999")],
            "minutes",
        ),
        (
            vec![("edition", "en"), ("text", "Hi"), ("minutes", "soon")],
            "minutes",
        ),
    ] {
        let r = editor.post(&site, "/newsroom/alerts", &fields).await;
        assert_eq!(r.status, 400, "{fields:?}");
        assert!(
            r.testid(&format!("error-{field}")).is_some(),
            "{fields:?} names {field}"
        );
    }
    // An article that is not published (or not there) cannot be the alert's story.
    let writer = add_user(&site, "w@example.org", Role::Author).await;
    let (draft, _) = site
        .content()
        .create_draft(
            &writer,
            &byline_content::ArticleForm {
                edition: "en".into(),
                section: "analytics".into(),
                title: "Draft".into(),
                body: "x".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = editor
        .post(
            &site,
            "/newsroom/alerts",
            &[("article", &draft.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-article").is_some(), "{}", r.body);
    assert_eq!(
        editor
            .post(&site, "/newsroom/alerts", &[("article", "nine")])
            .await
            .status,
        400
    );
    // Authors and contributors may not; nor a post without the form's token.
    for role in [Role::Author, Role::Contributor] {
        let (_, c) = login_as(&site, &format!("{role}@example.org"), role).await;
        let r = c
            .post(
                &site,
                "/newsroom/alerts",
                &[("edition", "en"), ("text", "Mine")],
            )
            .await;
        assert_eq!(r.status, 403, "{role}");
        assert_eq!(c.get(&site, "/newsroom/alerts").await.status, 403, "{role}");
    }
    let r = editor
        .post_raw(&site, "/newsroom/alerts", "edition=en&text=No+token")
        .await;
    assert_eq!(r.status, 403);
    assert!(
        site.content().live_alerts(None).is_empty(),
        "nothing raised"
    );
    // The Russian newsroom words its messages.
    let r = editor
        .post_lang(
            &site,
            "/newsroom/alerts",
            &[("edition", "ru"), ("text", "")],
            "ru",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains(&fluent("ru", "newsroom-error-text")));
}

#[tokio::test]
async fn another_node_shows_the_banner_from_the_change_feed() {
    let site = TestSite::demo().await;
    let other = site.another_node().await;
    other.get("/en/").await.assert_ok();
    let editor = add_user(&site, "desk@example.org", Role::Editor).await;
    site.content()
        .raise_alert(
            &editor,
            byline_content::AlertInput {
                edition: "en".into(),
                text: "Seen everywhere".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    other.settle().await;
    let (words, link) = banner(&other, "/en/").await.expect("the other node's page");
    assert!(words.contains("Seen everywhere"));
    assert_eq!(link, "", "no link given");
}

/// What a relay received: headers of interest and the body.
#[derive(Clone, Debug)]
struct Received {
    delivery: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

/// A local app relay on a loopback port: answers each call with the next status of
/// `answers` (then 200) and records what it received.
async fn relay(answers: Vec<u16>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<Received>>>) {
    use axum::http::{HeaderMap, StatusCode};
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let log = received.clone();
    let app = axum::Router::new().route(
        "/relay",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            let answers = answers.clone();
            async move {
                let h = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                log.lock().unwrap().push(Received {
                    delivery: h("x-byline-delivery"),
                    timestamp: h("x-byline-timestamp"),
                    signature: h("x-byline-signature"),
                    body: body.to_vec(),
                });
                let status = answers.lock().unwrap().next().unwrap_or(200);
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/relay", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn webhook_site(url: &str, clock: &Clock) -> TestSite {
    let url = url.to_owned();
    TestSite::demo_full(
        ContentOptions {
            clock: clock.clone(),
            alerts_webhook: true,
            ..ContentOptions::default()
        },
        move |web| {
            web.alerts_webhook = Some(byline_web::AlertsWebhookConfig {
                url,
                secret: Some("relay secret".into()),
            })
        },
    )
    .await
}

#[tokio::test]
async fn each_alert_reaches_the_app_relay_signed_and_retried_until_it_answers() {
    let clock = Clock::manual(jiff::Timestamp::now());
    let (url, received) = relay(vec![503]).await;
    let site = webhook_site(&url, &clock).await;
    let editor = add_user(&site, "desk@example.org", Role::Editor).await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let alert = site
        .content()
        .raise_alert(
            &editor,
            byline_content::AlertInput {
                article: Some(byline_core::ArticleId(id)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // The first call is answered 503: the delivery waits for its retry time.
    eventually("the first attempt", async || {
        received.lock().unwrap().len() == 1
    })
    .await;
    eventually("the failure is recorded", async || {
        let d = site.content().alert_deliveries(alert.id).await.unwrap();
        d[0].attempts == 1 && d[0].last_error.contains("503")
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "not before its retry time"
    );
    clock.advance(SignedDuration::from_secs(6));
    eventually("delivered on the second attempt", async || {
        let d = site.content().alert_deliveries(alert.id).await.unwrap();
        d[0].delivered_at.is_some()
    })
    .await;
    let calls = received.lock().unwrap().clone();
    assert_eq!(calls.len(), 2, "once more, then never again");
    let call = &calls[1];
    let delivery = site.content().alert_deliveries(alert.id).await.unwrap()[0].clone();
    assert_eq!(delivery.attempts, 2);
    assert_eq!(call.delivery, delivery.id.to_string());
    let timestamp: i64 = call.timestamp.parse().unwrap();
    assert_eq!(
        call.signature,
        byline_web::alerts_webhook::signature("relay secret", timestamp, &call.body),
        "signed over the timestamp and the body"
    );
    let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(body["type"], "breaking_alert");
    assert_eq!(body["alert"]["id"], alert.id);
    assert_eq!(body["alert"]["article_id"], id);
    assert_eq!(body["alert"]["edition"], "en");
    assert_eq!(
        body["alert"]["url"],
        "http://127.0.0.1:8080/en/analytics/grid-interconnectors-learning-to-share"
    );
    assert_eq!(body["alert"]["text"], alert.text);
}

#[tokio::test]
async fn a_relay_that_refuses_an_alert_is_not_asked_again() {
    let clock = Clock::manual(jiff::Timestamp::now());
    let (url, received) = relay(vec![400]).await;
    let site = webhook_site(&url, &clock).await;
    let editor = add_user(&site, "desk@example.org", Role::Editor).await;
    let alert = site
        .content()
        .raise_alert(
            &editor,
            byline_content::AlertInput {
                edition: "ru".into(),
                text: "Срочно".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("given up", async || {
        let d = site.content().alert_deliveries(alert.id).await.unwrap();
        d[0].failed_at.is_some()
    })
    .await;
    clock.advance(SignedDuration::from_mins(30));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(received.lock().unwrap().len(), 1, "a refusal is final");
    let d = site.content().alert_deliveries(alert.id).await.unwrap();
    assert!(d[0].last_error.contains("400"), "{d:?}");
    assert_eq!(d[0].delivered_at, None);
}
