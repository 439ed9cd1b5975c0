//! The Content API: pagination, filters, fields, single articles, caching, keys, limits.

use crate::client::{assert_problem, get, json, key};
use crate::common::TestSite;
use byline_content::api_access;
use byline_core::ArticleStatus;
use std::collections::HashSet;

/// Every id of a walk through `/api/v1/articles` in pages of `limit`, calling `between`
/// after each page.
async fn walk(
    site: &TestSite,
    key: &str,
    query: &str,
    mut between: impl AsyncFnMut(usize),
) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 0.. {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/articles?{query}&cursor={c}"),
            None => format!("/api/v1/articles?{query}"),
        };
        let r = get(site, &uri, key).await;
        r.assert_ok();
        let body = json(&r);
        ids.extend(
            body["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_i64().unwrap()),
        );
        between(page).await;
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    ids
}

/// Publishes a copy of a demo article now (the newest article of its edition).
async fn publish_one(site: &TestSite, n: usize) {
    let template = site
        .store()
        .article(byline_core::ArticleId(1))
        .await
        .unwrap();
    let mut input = site.input_from(&template);
    input.slug = format!("breaking-{n}");
    input.title = format!("Breaking {n}");
    input.status = ArticleStatus::Published;
    input.published_at = Some(jiff::Timestamp::now());
    site.content().import_article(input).await.unwrap();
}

#[tokio::test]
async fn walking_all_pages_while_articles_are_published_skips_and_repeats_nothing() {
    let site = TestSite::demo().await;
    let key = key(&site).await;
    let before = walk(&site, &key, "limit=100", async |_| {}).await;
    assert!(
        before.len() > 12,
        "the demo outlet has articles: {}",
        before.len()
    );
    assert_eq!(before.len(), before.iter().collect::<HashSet<_>>().len());
    // Small pages, and after every page two more articles are published (one of them
    // while the next page is being read, from another task).
    let site = std::sync::Arc::new(site);
    let mut n = 0;
    let walked = walk(&site, &key, "limit=5", async |_| {
        n += 1;
        publish_one(&site, n * 2).await;
        let other = site.clone();
        let m = n * 2 + 1;
        tokio::spawn(async move { publish_one(&other, m).await });
    })
    .await;
    assert_eq!(
        walked, before,
        "the same articles, each once, in the same order"
    );
    // The new ones come first on a fresh walk.
    let after = walk(&site, &key, "limit=100", async |_| {}).await;
    assert!(after.len() > before.len());
    assert_eq!(&after[after.len() - before.len()..], &before[..]);
}

#[tokio::test]
async fn filters_fields_and_bad_input() {
    let site = TestSite::demo().await;
    let key = key(&site).await;
    let ru = json(&get(&site, "/api/v1/articles?edition=ru&limit=100", &key).await);
    let ru = ru["articles"].as_array().unwrap();
    assert!(!ru.is_empty() && ru.iter().all(|a| a["edition"] == "ru"));
    assert!(
        ru.iter().all(|a| a.get("body_html").is_none()),
        "lists leave bodies out"
    );

    // Filters give exactly the unfiltered list's matching articles, in the same order
    // (and at least the one the filter was taken from, so "every one matches" cannot pass
    // on an empty list).
    let ids = |list: &[serde_json::Value], keep: &dyn Fn(&serde_json::Value) -> bool| {
        list.iter()
            .filter(|a| keep(a))
            .map(|a| a["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let section = ru[0]["section"]["slug"].as_str().unwrap().to_owned();
    let r = json(
        &get(
            &site,
            &format!("/api/v1/articles?edition=ru&section={section}&limit=100"),
            &key,
        )
        .await,
    );
    let in_section = ids(ru, &|a| a["section"]["slug"] == section.as_str());
    assert!(in_section.contains(&ru[0]["id"].as_i64().unwrap()));
    assert_eq!(
        ids(r["articles"].as_array().unwrap(), &|_| true),
        in_section,
        "section filter"
    );

    let picked = json(
        &get(
            &site,
            "/api/v1/articles?fields=title,body_html&limit=3",
            &key,
        )
        .await,
    );
    assert_eq!(picked["articles"].as_array().unwrap().len(), 3);
    for a in picked["articles"].as_array().unwrap() {
        let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["body_html", "id", "title"]);
    }
    let first = &ru[0];
    let id = first["id"].as_i64().unwrap();
    let by_ids = json(&get(&site, &format!("/api/v1/articles?ids={id},999999"), &key).await);
    assert_eq!(by_ids["articles"].as_array().unwrap().len(), 1);

    let at = first["published_at"].as_str().unwrap();
    let day = &at[..10];
    let since = json(
        &get(
            &site,
            &format!("/api/v1/articles?edition=ru&since={day}&limit=100"),
            &key,
        )
        .await,
    );
    let since_day = ids(ru, &|a| a["published_at"].as_str().unwrap()[..10] >= *day);
    assert!(since_day.contains(&id));
    assert_eq!(
        ids(since["articles"].as_array().unwrap(), &|_| true),
        since_day,
        "since filter"
    );

    let p = assert_problem(
        &get(&site, "/api/v1/articles?colour=red&size=2", &key).await,
        400,
        "unknown-parameter",
    );
    assert_eq!(p["names"], serde_json::json!(["colour", "size"]));
    let p = assert_problem(
        &get(&site, "/api/v1/articles?fields=title,nope", &key).await,
        400,
        "unknown-field",
    );
    assert_eq!(p["names"], serde_json::json!(["nope"]));
    for cursor in ["garbage!", "bm9wZQ", "", "MTIzNA"] {
        if cursor.is_empty() {
            continue;
        }
        assert_problem(
            &get(&site, &format!("/api/v1/articles?cursor={cursor}"), &key).await,
            400,
            "bad-cursor",
        );
    }
    for bad in [
        "limit=0",
        "limit=101",
        "limit=x",
        "edition=xx",
        "section=nope",
        "since=yesterday",
        "ids=1,x",
    ] {
        assert_problem(
            &get(&site, &format!("/api/v1/articles?{bad}"), &key).await,
            400,
            "bad-request",
        );
    }
}

#[tokio::test]
async fn one_article_with_body_translations_etag_and_cdn_caching() {
    let site = TestSite::demo().await;
    let key = key(&site).await;
    let list = json(&get(&site, "/api/v1/articles?limit=100", &key).await);
    let id = list["articles"][0]["id"].as_i64().unwrap();
    let r = get(&site, &format!("/api/v1/articles/{id}"), &key).await;
    r.assert_ok();
    let a = json(&r)["article"].clone();
    assert!(a["body_html"].as_str().unwrap().contains("<p>"));
    assert!(
        a["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/")
    );
    let by_slug = get(
        &site,
        &format!(
            "/api/v1/articles/{}/{}",
            a["edition"].as_str().unwrap(),
            a["slug"].as_str().unwrap()
        ),
        &key,
    )
    .await;
    assert_eq!(json(&by_slug)["article"], a);

    let etag = r.header("etag").unwrap().to_owned();
    assert!(r.header("cache-control").unwrap().contains("s-maxage="));
    // Every article change purges `site` at the CDN (see the purge webhook).
    assert_eq!(r.header("surrogate-key"), Some("all site"));
    let again = site
        .request(
            axum::http::Request::get(format!("/api/v1/articles/{id}?key={key}"))
                .header("if-none-match", &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // Translations: some demo story is in several editions.
    let mut found = false;
    for item in list["articles"].as_array().unwrap() {
        let one = json(&get(&site, &format!("/api/v1/articles/{}", item["id"]), &key).await);
        if let Some(first) = one["article"]["translations"].as_array().unwrap().first() {
            assert_ne!(first["edition"], one["article"]["edition"]);
            assert!(
                first["url"]
                    .as_str()
                    .unwrap()
                    .contains(first["slug"].as_str().unwrap())
            );
            found = true;
            break;
        }
    }
    assert!(found, "the demo outlet has translated stories");

    assert_problem(
        &get(&site, "/api/v1/articles/999999", &key).await,
        404,
        "not-found",
    );
    assert_problem(
        &get(&site, "/api/v1/articles/en/no-such-story", &key).await,
        404,
        "not-found",
    );
    assert_problem(
        &get(&site, "/api/v1/articles/abc", &key).await,
        404,
        "not-found",
    );
}

#[tokio::test]
async fn taxonomies_latest_most_read_and_settings() {
    let site = TestSite::demo().await;
    let key = key(&site).await;
    for path in ["sections", "tags", "authors"] {
        let r = json(&get(&site, &format!("/api/v1/{path}?edition=ru"), &key).await);
        let items = r["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{path}");
        assert!(items[0]["url"].as_str().unwrap().contains("/ru/"));
        assert!(items[0]["names"].is_object());
    }
    let latest = json(&get(&site, "/api/v1/latest?edition=en&limit=3", &key).await);
    assert_eq!(latest["articles"].as_array().unwrap().len(), 3);
    assert_problem(
        &get(&site, "/api/v1/latest?cursor=abc", &key).await,
        400,
        "unknown-parameter",
    );
    let most = get(&site, "/api/v1/most-read?edition=en", &key).await;
    most.assert_ok();
    let settings = json(&get(&site, "/api/v1/settings", &key).await);
    assert!(settings["name"].as_str().is_some());
    assert!(settings["editions"].as_array().unwrap().len() >= 3);
    assert!(settings["apps"].is_object());
}

#[tokio::test]
async fn keys_are_required_and_a_revoked_key_stops_working_at_once() {
    let site = TestSite::demo().await;
    let p = assert_problem(&site.get("/api/v1/articles").await, 401, "unauthorized");
    assert!(p["detail"].as_str().unwrap().contains("Bearer"));
    assert_problem(
        &get(&site, "/api/v1/articles", "0123456789abcdef0123456789").await,
        401,
        "unauthorized",
    );
    assert_problem(
        &site.get("/api/v1/settings?key=short").await,
        401,
        "unauthorized",
    );

    let made = api_access::create_api_key(site.store().as_ref(), None, "iOS")
        .await
        .unwrap();
    assert_eq!(made.text.len(), 26);
    assert!(
        made.text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    site.get(&format!("/api/v1/settings?key={}", made.text))
        .await
        .assert_ok();
    get(&site, "/api/v1/settings", &made.text).await.assert_ok();
    api_access::revoke_api_key(site.store().as_ref(), None, made.id)
        .await
        .unwrap();
    assert_problem(
        &get(&site, "/api/v1/settings", &made.text).await,
        401,
        "unauthorized",
    );
    assert_problem(
        &site
            .get(&format!("/api/v1/settings?key={}", made.text))
            .await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn each_key_has_its_own_rate_limit() {
    let site = TestSite::demo_with_web(|c| {
        c.api.rate_per_minute = 1;
        c.api.rate_burst = 3;
    })
    .await;
    let (first, second) = (key(&site).await, key(&site).await);
    for _ in 0..3 {
        get(&site, "/api/v1/settings", &first).await.assert_ok();
    }
    let limited = get(&site, "/api/v1/settings", &first).await;
    let p = assert_problem(&limited, 429, "rate-limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(p["retry_after"], retry);
    get(&site, "/api/v1/settings", &second).await.assert_ok();
}

#[tokio::test]
async fn cors_follows_the_configuration() {
    let site =
        TestSite::demo_with_web(|c| c.api.cors_origins = vec!["https://app.example".into()]).await;
    let key = key(&site).await;
    let r = site
        .request(
            axum::http::Request::get(format!("/api/v1/settings?key={key}"))
                .header("origin", "https://app.example")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let preflight = site
        .request(
            axum::http::Request::options("/api/v1/articles")
                .header("origin", "https://app.example")
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "authorization")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    let other = site
        .request(
            axum::http::Request::get(format!("/api/v1/settings?key={key}"))
                .header("origin", "https://evil.example")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(other.header("access-control-allow-origin"), None);

    let plain = TestSite::demo().await;
    let key = crate::client::key(&plain).await;
    let r = plain
        .request(
            axum::http::Request::get(format!("/api/v1/settings?key={key}"))
                .header("origin", "https://app.example")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "no CORS unless configured"
    );
}
