//! The Admin API: creating articles (idempotently), moving them, tags, and the
//! newsroom's permission matrix through tokens.

use crate::client::{assert_problem, get, json, send, token};
use crate::common::TestSite;
use byline_content::ChangeKind;
use byline_core::{Action, ArticleId, ArticleStatus, Ownership, Role, allowed};
use serde_json::json;

fn new_article(title: &str, status: &str) -> String {
    json!({
        "edition": "en", "section": "analytics", "title": title,
        "subtitle": "A subtitle", "body": "First paragraph.\n\nSecond *one*.",
        "tags": [], "status": status,
    })
    .to_string()
}

#[tokio::test]
async fn create_publish_schedule_unpublish_and_update() {
    let site = TestSite::demo().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &editor,
        &new_article("Wire story", "published"),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = json(&r);
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["status"], "published");
    let url = made["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:8080/en/analytics/wire-story"),
        "{url}"
    );
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/admin/articles/{id}").as_str())
    );
    site.get(url.trim_start_matches("http://127.0.0.1:8080"))
        .await
        .assert_ok();

    let draft = json(
        &send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &editor,
            &new_article("Later story", "draft"),
            &[],
        )
        .await,
    );
    let draft_id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "draft");
    let when = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(30)).to_string();
    let r = send(
        &site,
        "POST",
        &format!("/api/v1/admin/articles/{draft_id}/schedule"),
        &editor,
        &json!({"publish_at": when}).to_string(),
        &[],
    )
    .await;
    assert_eq!(json(&r)["status"], "scheduled", "{}", r.body);
    let past = send(
        &site,
        "POST",
        &format!("/api/v1/admin/articles/{draft_id}/schedule"),
        &editor,
        r#"{"publish_at": "2001-01-01T00:00:00Z"}"#,
        &[],
    )
    .await;
    assert_problem(&past, 400, "bad-request");
    let r = send(
        &site,
        "POST",
        &format!("/api/v1/admin/articles/{draft_id}/publish"),
        &editor,
        "",
        &[],
    )
    .await;
    assert_eq!(json(&r)["status"], "published", "{}", r.body);
    let r = send(
        &site,
        "POST",
        &format!("/api/v1/admin/articles/{id}/unpublish"),
        &editor,
        "",
        &[],
    )
    .await;
    assert_eq!(json(&r)["status"], "unpublished", "{}", r.body);
    site.settle().await;
    assert_eq!(
        site.get(url.trim_start_matches("http://127.0.0.1:8080"))
            .await
            .status,
        404
    );

    let r = send(
        &site,
        "PATCH",
        &format!("/api/v1/admin/articles/{draft_id}"),
        &editor,
        r#"{"title": "Later story, corrected", "tags": []}"#,
        &[],
    )
    .await;
    assert_eq!(json(&r)["title"], "Later story, corrected", "{}", r.body);
    assert_eq!(
        json(
            &get(
                &site,
                &format!("/api/v1/admin/articles/{draft_id}"),
                &editor
            )
            .await
        )["title"],
        "Later story, corrected"
    );

    let scheduled = send(&site, "POST", "/api/v1/admin/articles", &editor, &json!({
        "edition": "en", "section": "analytics", "title": "Embargoed", "status": "scheduled", "publish_at": when,
    }).to_string(), &[]).await;
    assert_eq!(scheduled.status, 201, "{}", scheduled.body);
    assert_eq!(json(&scheduled)["status"], "scheduled");

    let sections = json(&get(&site, "/api/v1/admin/sections", &editor).await);
    assert!(
        sections["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "analytics")
    );
    let r = send(
        &site,
        "PUT",
        "/api/v1/admin/tags/wire",
        &editor,
        r#"{"names": {"en": "Wire", "ru": "Лента"}}"#,
        &[],
    )
    .await;
    assert_eq!(json(&r)["names"]["ru"], "Лента", "{}", r.body);
    site.settle().await;
    let tags = json(&get(&site, "/api/v1/admin/tags", &editor).await);
    assert!(
        tags["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["slug"] == "wire")
    );
}

/// A create that publishes is one transaction: one change-feed row (not a draft's and
/// then a publish's), and an idempotent retry writes nothing at all.
#[tokio::test]
async fn a_published_create_is_one_change_and_its_retry_none() {
    let site = TestSite::demo().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let before = site.store().last_change().await.unwrap();
    let body = new_article("One change", "published");
    let key = [("idempotency-key", "one-change")];
    let first = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &editor,
        &body,
        &key,
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let id = json(&first)["id"].as_i64().unwrap();
    let changes: Vec<_> = site
        .store()
        .changes_since(before, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.kind, c.entity_id, c.action))
        .collect();
    assert_eq!(
        changes,
        vec![(ChangeKind::Article, id, "published".to_owned())]
    );
    let head = site.store().last_change().await.unwrap();
    let retry = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &editor,
        &body,
        &key,
    )
    .await;
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(json(&retry), json(&first));
    // Every article write is in the change feed: none means nothing was made.
    assert_eq!(site.store().last_change().await.unwrap(), head);
    assert!(site.store().article(ArticleId(id + 1)).await.is_err());
}

#[tokio::test]
async fn a_retried_create_with_the_same_idempotency_key_makes_one_article() {
    let site = TestSite::demo().await;
    let (_, author) = token(&site, Role::Author, 1).await;
    let body = new_article("Only once", "published");
    let key = [("idempotency-key", "retry-1")];
    let first = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &body,
        &key,
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &body,
        &key,
    )
    .await;
    assert_eq!(second.status, 201);
    assert_eq!(json(&second), json(&first));
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    // Concurrent retries: still one article.
    let key2 = [("idempotency-key", "retry-2")];
    let body2 = new_article("Only once too", "draft");
    let (a, b) = tokio::join!(
        send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &author,
            &body2,
            &key2
        ),
        send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &author,
            &body2,
            &key2
        ),
    );
    for r in [&a, &b] {
        assert!(
            r.status == 201 || r.status == 409,
            "{} {}",
            r.status,
            r.body
        );
    }
    let listed = site
        .content()
        .newsroom_list(
            &site
                .store()
                .user(byline_core::UserId(json_user(&site, &author).await))
                .await
                .unwrap(),
            &byline_content::NewsroomQuery {
                mine: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let titles: Vec<&str> = listed.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles.iter().filter(|t| **t == "Only once").count(),
        1,
        "{titles:?}"
    );
    assert_eq!(
        titles.iter().filter(|t| **t == "Only once too").count(),
        1,
        "{titles:?}"
    );
    // The same key with another body is refused; another key makes another article.
    let other = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &new_article("Different", "draft"),
        &key,
    )
    .await;
    assert_problem(&other, 422, "idempotency-key-reused");
    let fresh = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &body,
        &[("idempotency-key", "retry-3")],
    )
    .await;
    assert_eq!(fresh.status, 201);
    assert_ne!(json(&fresh)["id"], json(&first)["id"]);
    // A refused create (nothing made) leaves the key free for a corrected retry.
    let key4 = [("idempotency-key", "retry-4")];
    let bad = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &json!({"edition": "en", "section": "nope", "title": "X"}).to_string(),
        &key4,
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let fixed = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &json!({"edition": "en", "section": "analytics", "title": "X"}).to_string(),
        &key4,
    )
    .await;
    assert_eq!(fixed.status, 201, "{}", fixed.body);

    // Keys are remembered for a day: once older, the same key makes a new article (and
    // the old entries are gone from the table, which would otherwise only grow).
    site.sql(&format!(
        "update idempotency_keys set created_at = created_at - {}",
        byline_store::IDEMPOTENCY_KEY_LIFETIME_SECS + 1
    ))
    .await;
    let later = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &new_article("A day later", "draft"),
        &key,
    )
    .await;
    assert_eq!(later.status, 201, "{}", later.body);
    assert_ne!(later.header("idempotent-replayed"), Some("true"));
    assert_ne!(json(&later)["id"], json(&first)["id"]);
    let again = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &author,
        &new_article("A day later", "draft"),
        &key,
    )
    .await;
    assert_eq!(
        again.header("idempotent-replayed"),
        Some("true"),
        "the new claim holds"
    );
}

/// The id of the account behind `token`.
async fn json_user(site: &TestSite, token: &str) -> i64 {
    site.content().api_token_user(token).await.unwrap().id.0
}

#[tokio::test]
async fn the_newsroom_permission_matrix_applies_to_tokens() {
    let site = TestSite::demo().await;
    let (_, owner_token) = token(&site, Role::Editor, 99).await;
    for (n, role) in Role::ALL.into_iter().enumerate() {
        let (_, t) = token(&site, role, n).await;
        // Create as draft and as published.
        let draft = send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &t,
            &new_article(&format!("{role} draft"), "draft"),
            &[],
        )
        .await;
        assert_eq!(draft.status, 201, "{role}: {}", draft.body);
        let own = json(&draft)["id"].as_i64().unwrap();
        let published = send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &t,
            &new_article(&format!("{role} live"), "published"),
            &[],
        )
        .await;
        let may_publish = allowed(role, Action::Publish, Ownership::Own);
        assert_eq!(
            published.status,
            if may_publish { 201 } else { 403 },
            "{role}: {}",
            published.body
        );
        if !may_publish {
            assert_problem(&published, 403, "forbidden");
        }
        // Publish own draft; then unpublish it.
        let r = send(
            &site,
            "POST",
            &format!("/api/v1/admin/articles/{own}/publish"),
            &t,
            "",
            &[],
        )
        .await;
        assert_eq!(
            r.status,
            if may_publish { 200 } else { 403 },
            "{role} publish own: {}",
            r.body
        );
        if may_publish {
            let r = send(
                &site,
                "POST",
                &format!("/api/v1/admin/articles/{own}/unpublish"),
                &t,
                "",
                &[],
            )
            .await;
            let may = allowed(role, Action::Unpublish, Ownership::Own);
            assert_eq!(
                r.status,
                if may { 200 } else { 403 },
                "{role} unpublish own: {}",
                r.body
            );
        }
        // Someone else's draft.
        let theirs = json(
            &send(
                &site,
                "POST",
                "/api/v1/admin/articles",
                &owner_token,
                &new_article(&format!("for {role}"), "draft"),
                &[],
            )
            .await,
        )["id"]
            .as_i64()
            .unwrap();
        let r = send(
            &site,
            "PATCH",
            &format!("/api/v1/admin/articles/{theirs}"),
            &t,
            r#"{"subtitle": "changed"}"#,
            &[],
        )
        .await;
        let may_edit = allowed(role, Action::Edit, Ownership::Others);
        assert_eq!(
            r.status,
            if may_edit { 200 } else { 403 },
            "{role} edit others': {}",
            r.body
        );
        let r = send(
            &site,
            "POST",
            &format!("/api/v1/admin/articles/{theirs}/publish"),
            &t,
            "",
            &[],
        )
        .await;
        let may = allowed(role, Action::Publish, Ownership::Others);
        assert_eq!(
            r.status,
            if may { 200 } else { 403 },
            "{role} publish others': {}",
            r.body
        );
        let stored = site
            .store()
            .article(ArticleId(theirs))
            .await
            .unwrap()
            .status;
        assert_eq!(
            stored == ArticleStatus::Published,
            may,
            "{role}: refused means unchanged"
        );
        // Tags.
        let r = send(
            &site,
            "PUT",
            &format!("/api/v1/admin/tags/t-{n}"),
            &t,
            r#"{"names": {"en": "T"}}"#,
            &[],
        )
        .await;
        let may = allowed(role, Action::ManageSectionsAndTags, Ownership::Others);
        assert_eq!(
            r.status,
            if may { 200 } else { 403 },
            "{role} tags: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn tokens_are_required_and_revocation_counts_at_once() {
    let site = TestSite::demo().await;
    assert_problem(
        &site.get("/api/v1/admin/sections").await,
        401,
        "unauthorized",
    );
    let (user, t) = token(&site, Role::Editor, 1).await;
    get(&site, "/api/v1/admin/sections", &t).await.assert_ok();
    // A Content API key is no Admin API token, and the other way round.
    let key = crate::client::key(&site).await;
    assert_problem(
        &get(&site, "/api/v1/admin/sections", &key).await,
        401,
        "unauthorized",
    );
    assert_problem(
        &get(&site, "/api/v1/settings", &t).await,
        401,
        "unauthorized",
    );
    let tokens = site.content().api_tokens(&user).await.unwrap();
    site.content()
        .revoke_api_token(&user, tokens[0].id)
        .await
        .unwrap();
    assert_problem(
        &get(&site, "/api/v1/admin/sections", &t).await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn pictures_upload_through_the_admin_api() {
    use image::{ImageEncoder, Rgb, RgbImage};
    let site = TestSite::with_local_media(20 * 1024 * 1024).await;
    let (_, t) = token(&site, Role::Author, 1).await;
    let img = RgbImage::from_fn(400, 200, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(&img, 400, 200, image::ExtendedColorType::Rgb8)
        .unwrap();
    let boundary = "----api-test";
    let multipart = |file: &[u8]| {
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nA test card\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"card.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let upload = |body: Vec<u8>, content_type: String| {
        site.request(
            axum::http::Request::post("/api/v1/admin/media")
                .header("authorization", format!("Bearer {t}"))
                .header("content-type", content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
    };
    let r = upload(
        multipart(&jpeg),
        format!("multipart/form-data; boundary={boundary}"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = json(&r);
    assert!(
        made["markdown"].as_str().unwrap().contains("media:"),
        "{made}"
    );
    assert!(made["srcset"].as_str().unwrap().contains("400w"), "{made}");
    // Bigger than the app-wide body limit (64 KiB in tests), within the media limit.
    let noisy = RgbImage::from_fn(800, 600, |x, y| {
        let n = x
            .wrapping_mul(2_654_435_761)
            .wrapping_add(y.wrapping_mul(40_503));
        Rgb([(n >> 3) as u8, (n >> 11) as u8, (n >> 19) as u8])
    });
    let mut big = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut big, 95)
        .write_image(&noisy, 800, 600, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert!(big.len() > 64 * 1024, "{} bytes", big.len());
    let r = upload(
        multipart(&big),
        format!("multipart/form-data; boundary={boundary}"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let not_a_picture = upload(
        multipart(b"<svg/>"),
        format!("multipart/form-data; boundary={boundary}"),
    )
    .await;
    let p = assert_problem(&not_a_picture, 400, "bad-request");
    assert_eq!(p["names"], json!(["file"]));
    assert_problem(
        &upload(b"{}".to_vec(), "application/json".into()).await,
        415,
        "unsupported-media-type",
    );
}

#[tokio::test]
async fn corrections_and_takedowns_through_the_admin_api() {
    let site = TestSite::demo().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let (_, admin) = token(&site, Role::Admin, 2).await;
    let (_, contributor) = token(&site, Role::Contributor, 3).await;
    let app_key = crate::client::key(&site).await;
    let slug = "grid-interconnectors-learning-to-share";
    let id = site.article_id("en", slug).await;
    let path = |what: &str| format!("/api/v1/admin/articles/{id}/{what}");

    let note = json!({"kind": "update", "text": "New figures from the operator."}).to_string();
    let r = send(&site, "POST", &path("corrections"), &editor, &note, &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let article = json(&r);
    assert_eq!(article["corrections"][0]["kind"], "update");
    assert_eq!(
        article["corrections"][0]["text"],
        "New figures from the operator."
    );
    site.settle().await;
    let read = json(&get(&site, &format!("/api/v1/articles/en/{slug}"), &app_key).await);
    assert_eq!(
        read["article"]["corrections"][0]["text"], "New figures from the operator.",
        "apps read the notes: {read}"
    );

    // Hostile and wrong bodies, a lower role, someone else's id that does not exist.
    for (body, status, slug) in [
        (
            json!({"kind": "retraction", "text": "x"}).to_string(),
            400,
            "bad-request",
        ),
        (
            json!({"kind": "update", "text": ""}).to_string(),
            400,
            "bad-request",
        ),
        (
            json!({"kind": "update", "text": "x".repeat(1001)}).to_string(),
            400,
            "bad-request",
        ),
        (
            json!({"kind": "update", "text": "x", "by": 1}).to_string(),
            400,
            "unknown-field",
        ),
        (
            json!({"kind": 7, "text": "x"}).to_string(),
            400,
            "invalid-json",
        ),
        ("[[[[[[[[[[".to_owned(), 400, "invalid-json"),
    ] {
        let r = send(&site, "POST", &path("corrections"), &editor, &body, &[]).await;
        assert_problem(&r, status, slug);
    }
    let r = send(
        &site,
        "POST",
        &path("corrections"),
        &contributor,
        &note,
        &[],
    )
    .await;
    assert_problem(&r, 403, "forbidden");
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/articles/987654/corrections",
        &editor,
        &note,
        &[],
    )
    .await;
    assert_problem(&r, 404, "not-found");
    let stored = site.store().article(ArticleId(id)).await.unwrap();
    assert_eq!(stored.corrections.len(), 1, "refusals change nothing");

    // Takedown: a reason is required; then the Content API answers 410 Gone.
    let r = send(
        &site,
        "POST",
        &path("takedown"),
        &editor,
        &json!({"reason": " "}).to_string(),
        &[],
    )
    .await;
    assert_problem(&r, 400, "bad-request");
    let r = send(
        &site,
        "POST",
        &path("takedown"),
        &editor,
        &json!({"reason": "Legal: court order"}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["status"], "taken_down");
    assert_eq!(json(&r)["takedown_reason"], "Legal: court order");
    site.settle().await;
    for uri in [
        format!("/api/v1/articles/en/{slug}"),
        format!("/api/v1/articles/{id}"),
    ] {
        let r = get(&site, &uri, &app_key).await;
        assert_problem(&r, 410, "gone");
    }
    let list = get(&site, "/api/v1/articles?edition=en&limit=100", &app_key).await;
    list.assert_ok();
    assert!(!list.body.contains(slug), "out of the API's lists");
    let r = send(&site, "POST", &path("reinstate"), &editor, "", &[]).await;
    assert_problem(&r, 403, "forbidden");
    let r = send(&site, "POST", &path("reinstate"), &admin, "", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["status"], "published");
    let r = send(&site, "POST", &path("reinstate"), &admin, "", &[]).await;
    assert_problem(&r, 400, "bad-request");
    site.settle().await;
    get(&site, &format!("/api/v1/articles/{id}"), &app_key)
        .await
        .assert_ok();
}

#[tokio::test]
async fn alerts_are_raised_through_the_admin_api_and_read_by_apps() {
    let site = TestSite::demo().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let (_, author) = token(&site, Role::Author, 2).await;
    let app_key = crate::client::key(&site).await;
    let none = get(&site, "/api/v1/alerts", &app_key).await;
    none.assert_ok();
    assert_eq!(json(&none)["items"], json!([]));
    assert_eq!(none.header("cache-control"), Some("no-cache"));
    let etag = none.header("etag").unwrap().to_owned();

    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/alerts",
        &editor,
        &json!({"article_id": id, "minutes": 45}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let raised = json(&r);
    assert_eq!(raised["edition"], "en");
    assert_eq!(
        raised["url"],
        "/en/analytics/grid-interconnectors-learning-to-share"
    );
    site.settle().await;
    // The apps' view: 200 with the alert (absolute link), then 304 for the same ETag.
    let r = site
        .get_with(
            "/api/v1/alerts?edition=en",
            "authorization",
            &format!("Bearer {app_key}"),
        )
        .await;
    r.assert_ok();
    assert_ne!(r.header("etag"), Some(etag.as_str()), "a new answer");
    let list = json(&r);
    assert_eq!(list["items"][0]["article_id"], id);
    assert!(
        list["items"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/en/analytics/grid-interconnectors-learning-to-share"),
        "{list}"
    );
    let again = site
        .request(
            axum::http::Request::get("/api/v1/alerts?edition=en")
                .header("authorization", format!("Bearer {app_key}"))
                .header("if-none-match", r.header("etag").unwrap())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, 304);
    let ru = json(&get(&site, "/api/v1/alerts?edition=ru", &app_key).await);
    assert_eq!(ru["items"], json!([]), "per edition");
    assert_problem(
        &get(&site, "/api/v1/alerts?edition=xx", &app_key).await,
        400,
        "bad-request",
    );
    assert_problem(
        &get(&site, "/api/v1/alerts?when=now", &app_key).await,
        400,
        "unknown-parameter",
    );
    assert_problem(&site.get("/api/v1/alerts").await, 401, "unauthorized");

    // Hostile bodies and a lower role.
    for (body, slug) in [
        (json!({"edition": "en", "text": ""}), "bad-request"),
        (
            json!({"edition": "en", "text": "x", "url": "javascript:alert(1)"}),
            "bad-request",
        ),
        (
            json!({"edition": "en", "text": "x", "minutes": -5}),
            "bad-request",
        ),
        (
            json!({"edition": "en", "text": "x", "minutes": "5"}),
            "invalid-json",
        ),
        (
            json!({"edition": "en", "text": "x", "colour": "red"}),
            "unknown-field",
        ),
        (json!({"article_id": 987654}), "bad-request"),
    ] {
        let r = send(
            &site,
            "POST",
            "/api/v1/admin/alerts",
            &editor,
            &body.to_string(),
            &[],
        )
        .await;
        assert_problem(&r, 400, slug);
    }
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/alerts",
        &author,
        &json!({"edition": "en", "text": "Mine"}).to_string(),
        &[],
    )
    .await;
    assert_problem(&r, 403, "forbidden");

    let alert = raised["id"].as_i64().unwrap();
    let end = format!("/api/v1/admin/alerts/{alert}/end");
    assert_problem(
        &send(&site, "POST", &end, &author, "", &[]).await,
        403,
        "forbidden",
    );
    assert_eq!(
        send(&site, "POST", &end, &editor, "", &[]).await.status,
        204
    );
    assert_problem(
        &send(&site, "POST", &end, &editor, "", &[]).await,
        400,
        "bad-request",
    );
    assert_problem(
        &send(
            &site,
            "POST",
            "/api/v1/admin/alerts/424242/end",
            &editor,
            "",
            &[],
        )
        .await,
        404,
        "not-found",
    );
    site.settle().await;
    assert_eq!(
        json(&get(&site, "/api/v1/alerts", &app_key).await)["items"],
        json!([])
    );
}

#[tokio::test]
async fn live_blogs_are_written_through_the_admin_api_and_read_by_cursor() {
    let site = TestSite::demo().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let (_, contributor) = token(&site, Role::Contributor, 2).await;
    let app_key = crate::client::key(&site).await;
    let mut article: serde_json::Value =
        serde_json::from_str(&new_article("Summit live", "published")).unwrap();
    article["live"] = json!(true);
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/articles",
        &editor,
        &article.to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = json(&r);
    assert_eq!(created["live"], true);
    assert!(created["live_since"].is_string());
    let id = created["id"].as_i64().unwrap();
    let entries = format!("/api/v1/admin/articles/{id}/entries");
    // Whoever may not publish may not make a live blog, and the refusal makes nothing.
    let mut theirs: serde_json::Value =
        serde_json::from_str(&new_article("Contributor live", "draft")).unwrap();
    theirs["live"] = json!(true);
    let before = site.store().last_change().await.unwrap();
    assert_problem(
        &send(
            &site,
            "POST",
            "/api/v1/admin/articles",
            &contributor,
            &theirs.to_string(),
            &[],
        )
        .await,
        403,
        "forbidden",
    );
    assert_eq!(
        site.store().last_change().await.unwrap(),
        before,
        "nothing created"
    );

    let r = send(
        &site,
        "POST",
        &entries,
        &editor,
        &json!({"body": "Leaders *arrive*", "key_event": true}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let first = json(&r);
    let first_id = first["id"].as_i64().unwrap();
    let r = send(
        &site,
        "POST",
        &entries,
        &editor,
        &json!({"body": "Talks begin", "title": "Day one"}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 201);
    let r = send(
        &site,
        "PATCH",
        &format!("{entries}/{first_id}"),
        &editor,
        &json!({"body": "Leaders *arrived*"}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["key_event"], true, "absent members stay");

    // Apps read by cursor: everything, then only what changed after it.
    site.settle().await;
    let all = json(&get(&site, &format!("/api/v1/live/{id}/entries"), &app_key).await);
    assert_eq!(all["live"], true);
    let listed: Vec<&str> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body_html"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2, "{all}");
    assert!(
        listed[1].contains("<em>arrived</em>"),
        "the edit moved it last: {all}"
    );
    let cursor = all["next_cursor"].as_str().unwrap().to_owned();
    let r = send(
        &site,
        "DELETE",
        &format!("{entries}/{first_id}"),
        &editor,
        "",
        &[],
    )
    .await;
    assert_eq!(r.status, 204);
    let after = json(
        &get(
            &site,
            &format!("/api/v1/live/{id}/entries?after={cursor}"),
            &app_key,
        )
        .await,
    );
    assert_eq!(after["entries"].as_array().unwrap().len(), 1, "{after}");
    assert_eq!(after["entries"][0]["id"], first_id);
    assert_eq!(after["entries"][0]["deleted"], true);
    let paged = json(
        &get(
            &site,
            &format!("/api/v1/live/{id}/entries?limit=1"),
            &app_key,
        )
        .await,
    );
    assert_eq!(paged["entries"].as_array().unwrap().len(), 1);
    let one = json(&get(&site, &format!("/api/v1/articles/{id}"), &app_key).await);
    assert!(
        one["article"]["live"]["events_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/live/{id}/events"))
    );

    // Refusals: a lower role, bad values, unknown members, someone else's entry, an
    // ended blog; a bad cursor.
    assert_problem(
        &send(
            &site,
            "POST",
            &entries,
            &contributor,
            &json!({"body": "x"}).to_string(),
            &[],
        )
        .await,
        403,
        "forbidden",
    );
    assert_problem(
        &send(
            &site,
            "POST",
            &entries,
            &editor,
            &json!({"body": ""}).to_string(),
            &[],
        )
        .await,
        400,
        "bad-request",
    );
    assert_problem(
        &send(
            &site,
            "POST",
            &entries,
            &editor,
            &json!({"body": "x", "colour": "red"}).to_string(),
            &[],
        )
        .await,
        400,
        "unknown-field",
    );
    assert_problem(
        &send(
            &site,
            "POST",
            &entries,
            &editor,
            &json!({"body": 7}).to_string(),
            &[],
        )
        .await,
        400,
        "invalid-json",
    );
    let other = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    assert_eq!(
        send(
            &site,
            "DELETE",
            &format!("/api/v1/admin/articles/{other}/entries/{first_id}"),
            &editor,
            "",
            &[]
        )
        .await
        .status,
        404
    );
    assert_problem(
        &get(
            &site,
            &format!("/api/v1/live/{id}/entries?after=-1"),
            &app_key,
        )
        .await,
        400,
        "bad-request",
    );
    assert_problem(
        &get(
            &site,
            &format!("/api/v1/live/{id}/entries?limit=1000"),
            &app_key,
        )
        .await,
        400,
        "bad-request",
    );
    assert_problem(
        &get(&site, &format!("/api/v1/live/{other}/entries"), &app_key).await,
        404,
        "not-found",
    );
    let r = send(
        &site,
        "PATCH",
        &format!("/api/v1/admin/articles/{id}"),
        &editor,
        &json!({"live": false}).to_string(),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["live"], false);
    assert!(json(&r)["live_until"].is_string());
    assert_problem(
        &send(
            &site,
            "POST",
            &entries,
            &editor,
            &json!({"body": "late"}).to_string(),
            &[],
        )
        .await,
        400,
        "bad-request",
    );
}
