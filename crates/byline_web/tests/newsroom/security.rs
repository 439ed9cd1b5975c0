//! Issue 13's findings against the newsroom, each tried as the attacker would: a
//! contributor's account against other people's work, stolen passwords and tokens.

use crate::api_access::secret;
use crate::articles::revision;
use crate::client::{Client, login_as};
use crate::common::TestSite;
use byline_core::{ArticleId, ArticleStatus, Role};

async fn create(site: &TestSite, client: &Client, title: &str, body: &str) -> ArticleId {
    let fields = [
        ("edition", "en"),
        ("section", "analytics"),
        ("title", title),
        ("body", body),
    ];
    crate::articles::create(site, client, &fields).await
}

/// Saves `title` and `body` over article `id` as based on `revision`.
async fn save(
    site: &TestSite,
    client: &Client,
    id: ArticleId,
    revision: &str,
    (title, body): (&str, &str),
) -> crate::common::TestResponse {
    let fields = [
        ("revision", revision),
        ("edition", "en"),
        ("section", "analytics"),
        ("title", title),
        ("body", body),
    ];
    client
        .post(site, &format!("/newsroom/articles/{}", id.0), &fields)
        .await
}

/// Finding 1: raw HTML kept `data-embed`/`data-embed-id` with any value, and the reader
/// script turned `constructor` + `javascript:…` into a frame that ran script in the
/// site's origin. The values are now allowed only when they name a known player and
/// an id of its shape.
#[tokio::test]
async fn a_body_cannot_smuggle_a_script_through_embed_attributes() {
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "freelance@example.org", Role::Contributor).await;
    let body = "Intro.\n\n<figure data-embed=\"constructor\" data-embed-id=\"javascript:fetch('/newsroom/users')\"><a href=\"https://x.com/a/status/1\">x</a></figure>\n\n<figure data-embed=\"youtube\" data-embed-id=\"javascript:alert(1)\">y</figure>\n";
    let id = create(&site, &writer, "Harmless looking", body).await;
    let stored = site.store().article(id).await.unwrap();
    assert!(
        !stored.body_html.contains("constructor"),
        "{}",
        stored.body_html
    );
    assert!(
        !stored.body_html.contains("javascript"),
        "{}",
        stored.body_html
    );
    assert!(
        !stored.body_html.contains("data-embed-id"),
        "{}",
        stored.body_html
    );
    // The preview an editor would open shows none of it either.
    let editor_page = writer
        .get(&site, &format!("/newsroom/articles/{}", id.0))
        .await;
    let html = editor_page.html();
    let link = crate::common::html::select(&html, "[data-testid='preview-link']")
        .first()
        .and_then(|input| input.value().attr("value"))
        .expect("a draft has a preview link")
        .to_owned();
    let path = link.trim_start_matches("http://127.0.0.1:8080");
    let preview = site.get(path).await;
    preview.assert_ok();
    assert!(preview.body.contains("Harmless looking"));
    assert!(!preview.body.contains("javascript:"), "{}", preview.body);
}

/// Finding 2: a save of one's own article naming another article's revision was kept
/// pointing at it, and its diff printed the other article's text.
#[tokio::test]
async fn a_save_naming_another_articles_revision_shows_none_of_it() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let secret = create(
        &site,
        &editor,
        "Embargoed merger of the two banks",
        "Nobody outside the desk knows this yet.",
    )
    .await;
    let foreign = revision(&site, secret).await;

    let (_, writer) = login_as(&site, "freelance@example.org", Role::Contributor).await;
    let mine = create(&site, &writer, "My own story", "My text.").await;
    let edited = ("My own story, edited", "My text, edited.");
    let r = save(&site, &writer, mine, &foreign, edited).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.testid("error-revision").is_some(), "{}", r.body);
    assert!(
        r.body.contains("My text, edited."),
        "what was typed is kept"
    );
    for leaked in ["Embargoed", "Nobody outside"] {
        assert!(!r.body.contains(leaked), "{leaked} in the answer");
    }
    // Nothing was kept pointing at the foreign revision: every revision of the article
    // and its diff show only the writer's own text.
    for r in site.store().revisions(mine).await.unwrap() {
        assert_eq!(r.article, mine);
        let diff = writer
            .get(
                &site,
                &format!("/newsroom/articles/{}/revisions/{}", mine.0, r.id),
            )
            .await;
        diff.assert_ok();
        for leaked in ["Embargoed", "Nobody outside"] {
            assert!(!diff.body.contains(leaked), "{leaked} in revision {}", r.id);
        }
    }
    // The form now carries the article's own newest revision: saving again works.
    let current = revision(&site, mine).await;
    let again = save(&site, &writer, mine, &current, edited).await;
    assert_eq!(again.status, 303, "{}", again.body);
}

/// Finding 8: a contributor could still edit an article after an editor scheduled it,
/// and the change went live unreviewed.
#[tokio::test]
async fn a_scheduled_article_is_changed_only_by_who_may_schedule_it() {
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "freelance@example.org", Role::Contributor).await;
    let id = create(&site, &writer, "Reviewed text", "The reviewed body.").await;
    let r = writer
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "submit")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let later = site
        .content()
        .site_time(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48));
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "schedule"), ("publish_at", &later)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::Scheduled
    );

    let current = revision(&site, id).await;
    let fields = [
        ("revision", current.as_str()),
        ("edition", "en"),
        ("section", "analytics"),
        ("title", "Reviewed text"),
        ("body", "Something the editor never saw."),
    ];
    let r = writer
        .post(&site, &format!("/newsroom/articles/{}", id.0), &fields)
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.testid("error-status").is_some(), "{}", r.body);
    assert!(
        r.body.contains("Something the editor never saw."),
        "the typed text is kept on the page"
    );
    let autosave = writer
        .post(
            &site,
            &format!("/newsroom/articles/{}/autosave", id.0),
            &fields,
        )
        .await;
    assert_eq!(autosave.status, 400, "{}", autosave.body);
    assert_eq!(
        site.store().article(id).await.unwrap().body_markdown,
        "The reviewed body.",
        "nothing unreviewed reaches the scheduled article"
    );
    // The editor still can.
    let r = editor
        .post(&site, &format!("/newsroom/articles/{}", id.0), &fields)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// A new Admin API token of the signed-in `client`, made in the newsroom.
async fn new_token(site: &TestSite, client: &Client) -> String {
    let made = client
        .post(site, "/newsroom/api/tokens", &[("name", "laptop")])
        .await;
    secret(&made.body)
}

async fn token_status(site: &TestSite, token: &str) -> u16 {
    site.get_with(
        "/api/v1/admin/sections",
        "authorization",
        &format!("Bearer {token}"),
    )
    .await
    .status
    .as_u16()
}

/// Finding 8: Admin API tokens survived a password change (and a disabled account's
/// came back when it was enabled again).
#[tokio::test]
async fn a_password_change_or_a_disabled_account_ends_api_tokens() {
    let site = TestSite::demo().await;
    let (_, ann) = login_as(&site, "ann@example.org", Role::Author).await;
    let token = new_token(&site, &ann).await;
    assert_eq!(token_status(&site, &token).await, 200);
    let other_session = crate::client::login(&site, "ann@example.org").await;
    let r = ann
        .post(
            &site,
            "/newsroom/password",
            &[
                ("current", crate::client::PASSWORD),
                ("new", "a much longer new password"),
                ("repeat", "a much longer new password"),
            ],
        )
        .await;
    r.assert_ok();
    assert_eq!(token_status(&site, &token).await, 401, "the token ended");
    assert_eq!(
        other_session.get(&site, "/newsroom").await.status,
        303,
        "the other session ended"
    );
    ann.get(&site, "/newsroom").await.assert_ok();

    let (bob_user, bob) = login_as(&site, "bob@example.org", Role::Author).await;
    let token = new_token(&site, &bob).await;
    assert_eq!(token_status(&site, &token).await, 200);
    let (_, admin) = login_as(&site, "boss@example.org", Role::Admin).await;
    let id = bob_user.id.0.to_string();
    for disabled in ["true", "false"] {
        let r = admin
            .post(
                &site,
                &format!("/newsroom/users/{id}/disabled"),
                &[("disabled", disabled)],
            )
            .await;
        assert!(
            r.status.is_redirection() || r.status.is_success(),
            "{}",
            r.body
        );
        assert_eq!(
            token_status(&site, &token).await,
            401,
            "disabled={disabled}: the token stays ended"
        );
    }
}

/// Role changes take effect on the very next request, for sessions and tokens alike
/// (both are looked up with the account's current role).
#[tokio::test]
async fn a_role_change_takes_effect_at_once() {
    let site = TestSite::demo().await;
    let (user, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let token = new_token(&site, &editor).await;
    let put_tag = || async {
        site.request(
            axum::http::Request::put("/api/v1/admin/tags/weather")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"names":{"en":"Weather"}}"#))
                .unwrap(),
        )
        .await
        .status
        .as_u16()
    };
    assert_eq!(put_tag().await, 200, "an editor manages tags");
    let tag_form = || async {
        editor
            .post(
                &site,
                "/newsroom/tags",
                &[("slug", "climate"), ("name", "Climate")],
            )
            .await
            .status
            .as_u16()
    };
    assert_eq!(tag_form().await, 303, "in the newsroom too");
    let (_, admin) = login_as(&site, "boss@example.org", Role::Admin).await;
    let r = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/role", user.id.0),
            &[("role", "contributor")],
        )
        .await;
    assert!(
        r.status.is_redirection() || r.status.is_success(),
        "{}",
        r.body
    );
    assert_eq!(
        tag_form().await,
        403,
        "the session has the new role at once"
    );
    assert_eq!(put_tag().await, 403, "and so has the token");
}

/// Finding 3: a paste of 100,000 nested `<div>` (500 KB, under the paste and form
/// limits) overflowed a worker thread's stack and aborted the process. Now it is
/// refused before any parser sees it, with a message saying why, and the server goes
/// on serving. (Before the fix this test aborts the whole test binary.)
#[tokio::test]
async fn a_deeply_nested_paste_is_refused_and_the_server_keeps_serving() {
    // The production form limit (1 MiB), so the paste reaches its handler.
    let site = TestSite::demo_with_web(|web| web.max_body_bytes = 1024 * 1024).await;
    let (_, writer) = login_as(&site, "freelance@example.org", Role::Contributor).await;
    // Sent as the attacker would: `<` and `>` need no escaping in a form body.
    let token = crate::client::encode(&[("csrf", &writer.csrf)]);
    let body = format!("{token}&html={}", "<div>".repeat(100_000));
    assert!(body.len() < 512 * 1024);
    let r = writer.post_raw(&site, "/newsroom/paste", &body).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let error = json["error"].as_str().unwrap();
    assert!(error.contains("nests more than 128 levels"), "{error}");
    // Still serving: the next paste and a reader page.
    let r = writer
        .post(
            &site,
            "/newsroom/paste",
            &[("html", "<p>Still <b>here</b></p>")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Still **here**"), "{}", r.body);
    site.get("/en/").await.assert_ok();
}

/// The same class through the other HTML parser, the sanitizer: a body nesting too
/// deeply (quotes in Markdown, or raw HTML) is refused on save and in the live preview
/// with a field message; what was typed is shown again and what was saved stays.
#[tokio::test]
async fn a_body_nesting_too_deeply_is_refused_and_the_saved_text_stays() {
    let site = TestSite::demo_with_web(|web| web.max_body_bytes = 1024 * 1024).await;
    let (_, writer) = login_as(&site, "freelance@example.org", Role::Contributor).await;
    let id = create(&site, &writer, "Nested", "The saved text.").await;
    let deep_quotes = format!("{}too deep", "> ".repeat(200));
    let deep_html = "<div>".repeat(50_000);
    for deep in [deep_quotes.as_str(), deep_html.as_str()] {
        let current = revision(&site, id).await;
        let r = save(&site, &writer, id, &current, ("Nested", deep)).await;
        assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(2000)]);
        let message = r.testid("error-body").expect("a message on the body field");
        assert!(message.contains("levels deep"), "{message}");
        assert!(r.body.contains("&gt; &gt; &gt;") || r.body.contains("&lt;div&gt;"));
        let preview = writer
            .post(&site, "/newsroom/render", &[("body", deep)])
            .await;
        assert_eq!(preview.status, 400);
        assert!(preview.body.contains("levels deep"), "{}", preview.body);
    }
    let stored = site.store().article(id).await.unwrap();
    assert_eq!(stored.body_markdown, "The saved text.");
}
