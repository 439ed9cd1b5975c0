//! Web Push in Chromium (issue 17): the footer's signup turns alerts on — permission,
//! the service worker, the subscription sent for the edition — and a breaking alert
//! travels through the outlet's sender to the local push service, which decrypts it,
//! and on to the service worker, which shows it as a notification.
//!
//! What stands in for the browser's push service: Chromium subscribes through Google's
//! (FCM), which no test can reach, so the page's `PushManager.subscribe` is replaced
//! before load by one that returns a subscription of the local stub (its endpoint and
//! the browser keys the stub holds). The stub decrypts each push with those keys, as
//! the browser would, and the test hands the plaintext to the service worker through
//! the DevTools protocol (`ServiceWorker.deliverPushMessage`), as the browser does with
//! what its push service delivers.

use crate::common::fluent;
use crate::common::push_stub::{Answer, site_with_push_stub};
use crate::driver::{Browser, Reader};
use byline_content::AlertInput;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn the_signup_subscribes_and_the_worker_shows_the_alert() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (site, stub) = site_with_push_stub().await;
    let served = site.serve().await;
    let reader = Reader {
        browser,
        site,
        served,
    };
    let browser = &reader.browser;
    let subscription = stub.subscribe(Answer::Accept);
    let fake = json!({
        "endpoint": subscription.endpoint,
        "expirationTime": null,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    });
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": format!(
                "(function () {{
                   var made = null, json = {fake};
                   var sub = {{ endpoint: json.endpoint, options: {{}},
                     toJSON: function () {{ return json; }},
                     unsubscribe: function () {{ made = null; return Promise.resolve(true); }} }};
                   PushManager.prototype.getSubscription = function () {{ return Promise.resolve(made); }};
                   PushManager.prototype.subscribe = function (options) {{
                     window.__subscribedWith = options;
                     made = sub; return Promise.resolve(sub);
                   }};
                 }})();"
            )}),
        )
        .await;
    browser
        .cdp(
            "Browser.grantPermissions",
            json!({ "origin": reader.base(), "permissions": ["notifications"] }),
        )
        .await;

    reader.open("/ru/").await;
    browser
        .wait_js(
            "the signup shows where push works",
            "var s = document.querySelector('[data-testid=push-signup]'); \
             return s && !s.hidden && s.getBoundingClientRect().height > 0",
        )
        .await;
    let off_label = fluent("ru", "push-start");
    assert_eq!(
        browser
            .js_string("return document.querySelector('[data-testid=push-toggle]').textContent")
            .await,
        off_label
    );
    browser
        .js("document.querySelector('input[name=push_key_events]').click(); return true")
        .await;
    browser.click("push-toggle").await;
    let on = fluent("ru", "push-on");
    browser
        .wait_js(
            "the status says alerts are on",
            &format!(
                "return document.querySelector('.push-status').textContent === {}",
                json!(on)
            ),
        )
        .await;
    assert_eq!(
        browser
            .js_string("return document.querySelector('[data-testid=push-toggle]').textContent")
            .await,
        fluent("ru", "push-stop")
    );
    // The page subscribed with the outlet's key, and the worker is active.
    let key_len = browser
        .js_count("return window.__subscribedWith.applicationServerKey.length")
        .await;
    assert_eq!(key_len, 65, "the VAPID public key as 65 bytes");
    browser
        .wait_js(
            "the service worker is active",
            "return navigator.serviceWorker.getRegistration('/').then(function (r) { \
               return !!(r && r.active && r.active.scriptURL.endsWith('/sw.js')); })",
        )
        .await;
    let content = reader.site.content();
    assert_eq!(
        content.push_subscription_count(Some("ru")).await.unwrap(),
        1
    );

    // An alert: the sender encrypts and signs it; the stub checks and decrypts it.
    let editor = crate::newsroom::desk_editor(&reader.site).await;
    content
        .raise_alert(
            &editor,
            AlertInput {
                edition: "ru".into(),
                text: "Срочно: заседание парламента перенесено".into(),
                url: "/ru/".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut received = Vec::new();
    for _ in 0..200 {
        received = stub.received_by(subscription.id);
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(received.len(), 1, "refused: {:?}", stub.refused());
    let payload = received[0].payload.to_string();

    // What the push service delivers, the browser hands to the worker.
    // The registration's id is not readable through chromedriver (CDP reports it in an
    // event); a fresh profile numbers registrations from 0, so the first few are given
    // the message (an id with no registration is ignored; the tag keeps it to one).
    // On a busy machine the DevTools side may not know the registration yet when asked,
    // so the delivery is repeated until the worker has shown something (or 20 rounds).
    browser.cdp("ServiceWorker.enable", json!({})).await;
    let origin = format!("{}/", reader.base());
    let notifications = "return navigator.serviceWorker.ready.then(function (r) { return r.getNotifications(); }) \
         .then(function (ns) { return ns.length ? ns.map(function (n) { \
           return { title: n.title, body: n.body, tag: n.tag, lang: n.lang, url: n.data && n.data.url }; }) : null; })";
    let mut shown = serde_json::Value::Null;
    for _round in 0..20 {
        for registration in 0..4 {
            let _ = browser
                .try_cdp(
                    "ServiceWorker.deliverPushMessage",
                    json!({ "origin": origin, "registrationId": registration.to_string(), "data": payload }),
                )
                .await;
        }
        for _ in 0..10 {
            shown = browser.js(notifications).await;
            if !shown.is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if !shown.is_null() {
            break;
        }
    }
    let shown = shown.as_array().cloned().unwrap_or_default();
    assert_eq!(shown.len(), 1, "one notification: {shown:?}");
    let n = &shown[0];
    assert_eq!(n["title"], content.catalog().settings.name.as_str());
    assert_eq!(n["body"], "Срочно: заседание парламента перенесено");
    assert_eq!(n["lang"], "ru");
    assert_eq!(n["url"], "/ru/");
    assert_eq!(n["tag"], format!("byline-{}", received[0].payload["id"]));

    // Turning alerts off removes the subscription.
    browser.click("push-toggle").await;
    browser
        .wait_js(
            "the status says alerts are off",
            &format!(
                "return document.querySelector('.push-status').textContent === {}",
                json!(fluent("ru", "push-off"))
            ),
        )
        .await;
    assert_eq!(content.push_subscription_count(None).await.unwrap(), 0);
    reader.finish().await;
}
