//! Static pages through the APIs: the Content API reads published ones; the Admin API
//! writes them for editors and admins, refusing bad bodies, lower roles and unknown ids.

use crate::client::{assert_problem, get, json, key, send, token};
use crate::common::TestSite;
use byline_core::Role;
use serde_json::json;

fn page(title: &str, slug: &str, status: &str, footer: Option<i64>) -> String {
    json!({
        "edition": "en", "slug": slug, "title": title,
        "body_markdown": "We *write*.\n\n<img src=x onerror=alert(1)>",
        "description": "Who we are", "status": status, "footer_position": footer,
    })
    .to_string()
}

#[tokio::test]
async fn editors_write_pages_and_apps_read_the_published_ones() {
    let site = TestSite::empty().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let app = key(&site).await;

    let r = send(
        &site,
        "POST",
        "/api/v1/admin/pages",
        &editor,
        &page("About", "about", "published", Some(1)),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = json(&r);
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/admin/pages/{id}").as_str())
    );
    assert_eq!(made["status"], "published");
    assert_eq!(made["footer_position"], 1);
    let html = made["body_html"].as_str().unwrap();
    assert!(
        html.contains("<em>write</em>") && !html.contains("onerror"),
        "{html}"
    );
    let draft = json(
        &send(
            &site,
            "POST",
            "/api/v1/admin/pages",
            &editor,
            &page("Imprint", "", "draft", None),
            &[],
        )
        .await,
    );
    assert_eq!(draft["slug"], "imprint", "made from the title");
    let draft_id = draft["id"].as_i64().unwrap();

    // Apps see the published page only.
    site.settle().await;
    let list = json(&get(&site, "/api/v1/pages?edition=en", &app).await);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["title"], "About");
    assert!(
        items[0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/en/page/about")
    );
    assert_eq!(
        json(&get(&site, "/api/v1/pages?edition=ru", &app).await)["items"],
        json!([])
    );
    let one = json(&get(&site, &format!("/api/v1/pages/{id}"), &app).await);
    assert_eq!(one["title"], "About");
    assert!(
        one["body_html"]
            .as_str()
            .unwrap()
            .contains("<em>write</em>")
    );
    assert_problem(
        &get(&site, &format!("/api/v1/pages/{draft_id}"), &app).await,
        404,
        "not-found",
    );
    assert_problem(
        &get(&site, "/api/v1/pages/abc", &app).await,
        404,
        "not-found",
    );
    assert_problem(
        &get(&site, "/api/v1/pages?edition=xx", &app).await,
        400,
        "bad-request",
    );
    assert_problem(
        &get(&site, "/api/v1/pages?sort=title", &app).await,
        400,
        "unknown-parameter",
    );
    // Without a key: refused like every Content API operation.
    assert_eq!(site.get("/api/v1/pages").await.status, 401);

    // The Admin API lists drafts too, replaces and deletes.
    let all = json(&get(&site, "/api/v1/admin/pages", &editor).await);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let r = send(
        &site,
        "PUT",
        &format!("/api/v1/admin/pages/{draft_id}"),
        &editor,
        &page("Imprint", "imprint", "published", Some(2)),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    site.settle().await;
    site.get("/en/page/imprint").await.assert_ok();
    let r = send(
        &site,
        "DELETE",
        &format!("/api/v1/admin/pages/{draft_id}"),
        &editor,
        "",
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    site.settle().await;
    assert_eq!(site.get("/en/page/imprint").await.status, 404);
    assert_problem(
        &get(&site, &format!("/api/v1/admin/pages/{draft_id}"), &editor).await,
        404,
        "not-found",
    );
}

#[tokio::test]
async fn hostile_page_bodies_and_lower_roles_are_refused() {
    let site = TestSite::empty().await;
    let (_, editor) = token(&site, Role::Editor, 1).await;
    let ok = send(
        &site,
        "POST",
        "/api/v1/admin/pages",
        &editor,
        &page("About", "about", "published", Some(1)),
        &[],
    )
    .await;
    assert_eq!(ok.status, 201);
    let id = json(&ok)["id"].as_i64().unwrap();
    let huge = "x".repeat(byline_core::limits::MAX_BODY_BYTES + 1);
    let deep = ">".repeat(5_000);
    let cases: Vec<(String, u16, &str, Option<&str>)> = vec![
        ("{".into(), 400, "invalid-json", None),
        (
            json!({"edition": "en", "title": "T", "status": "published", "owner": 1}).to_string(),
            400,
            "unknown-field",
            Some("owner"),
        ),
        (
            json!({"edition": "en", "title": 7, "status": "published"}).to_string(),
            400,
            "invalid-json",
            None,
        ),
        (
            json!({"edition": "en", "title": "T", "status": "scheduled"}).to_string(),
            400,
            "invalid-json",
            None,
        ),
        (
            json!({"edition": "en", "title": "T", "status": "draft", "footer_position": 1000})
                .to_string(),
            400,
            "bad-request",
            Some("footer_position"),
        ),
        (
            json!({"edition": "de", "title": "T", "status": "draft"}).to_string(),
            400,
            "bad-request",
            Some("edition"),
        ),
        (
            json!({"edition": "en", "title": "", "status": "draft"}).to_string(),
            400,
            "bad-request",
            Some("title"),
        ),
        (
            json!({"edition": "en", "title": "T", "slug": "about", "status": "draft"}).to_string(),
            400,
            "bad-request",
            Some("slug"),
        ),
        (
            json!({"edition": "en", "title": "T", "status": "draft", "body_markdown": deep})
                .to_string(),
            400,
            "bad-request",
            Some("body"),
        ),
    ];
    for (body, status, kind, field) in cases {
        let r = send(&site, "POST", "/api/v1/admin/pages", &editor, &body, &[]).await;
        let p = assert_problem(&r, status, kind);
        if let Some(field) = field {
            assert_eq!(p["names"], json!([field]), "{body:.80}");
        }
    }
    // Over the app-wide body limit: refused before it is parsed.
    let r = send(
        &site,
        "POST",
        "/api/v1/admin/pages",
        &editor,
        &json!({"edition": "en", "title": "T", "status": "draft", "body_markdown": huge})
            .to_string(),
        &[],
    )
    .await;
    assert!(r.status == 413 || r.status == 400, "{}", r.status);
    let r = site
        .request(
            axum::http::Request::post("/api/v1/admin/pages")
                .header("authorization", format!("Bearer {editor}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from(page("X", "x", "draft", None)))
                .unwrap(),
        )
        .await;
    assert_problem(&r, 415, "unsupported-media-type");
    assert_problem(
        &send(
            &site,
            "PUT",
            "/api/v1/admin/pages/999999",
            &editor,
            &page("X", "x", "draft", None),
            &[],
        )
        .await,
        404,
        "not-found",
    );

    for (n, role) in [(2, Role::Author), (3, Role::Contributor)] {
        let (_, lower) = token(&site, role, n).await;
        assert_problem(
            &get(&site, "/api/v1/admin/pages", &lower).await,
            403,
            "forbidden",
        );
        assert_problem(
            &send(
                &site,
                "POST",
                "/api/v1/admin/pages",
                &lower,
                &page("Mine", "mine", "published", Some(1)),
                &[],
            )
            .await,
            403,
            "forbidden",
        );
        assert_problem(
            &send(
                &site,
                "PUT",
                &format!("/api/v1/admin/pages/{id}"),
                &lower,
                &page("Defaced", "about", "published", Some(1)),
                &[],
            )
            .await,
            403,
            "forbidden",
        );
        assert_problem(
            &send(
                &site,
                "DELETE",
                &format!("/api/v1/admin/pages/{id}"),
                &lower,
                "",
                &[],
            )
            .await,
            403,
            "forbidden",
        );
    }
    site.settle().await;
    let about = site.get("/en/page/about").await;
    about.assert_ok();
    assert!(about.body.contains(">About<"), "untouched");
}
