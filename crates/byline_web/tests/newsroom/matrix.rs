//! The whole permission matrix through HTTP: every role × every action (own and others'
//! articles), as direct form posts that bypass the UI (no button needs to be shown for
//! a request to be tried). Allowed actions take effect; refused ones answer 403, say
//! nothing about the article, and change nothing.

use crate::client::{Client, add_user, login};
use crate::common::html::{attr, select};
use crate::common::{TestResponse, TestSite};
use byline_content::{ArticleForm, Transition};
use byline_core::{Action, ArticleId, ArticleStatus, Ownership, Role, User, allowed};

fn form(title: &str) -> ArticleForm {
    ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: title.into(),
        body: "Text of the story.".into(),
        ..Default::default()
    }
}

/// An article owned by `owner` in `status`, made through the content service.
async fn article(
    site: &TestSite,
    owner: &User,
    admin: &User,
    status: ArticleStatus,
    n: usize,
) -> ArticleId {
    let content = site.content();
    let (id, _) = content
        .create_draft(owner, &form(&format!("Matrix story {n}")))
        .await
        .unwrap();
    match status {
        ArticleStatus::Draft => {}
        ArticleStatus::Published => {
            content
                .transition(admin, id, Transition::Publish)
                .await
                .unwrap();
        }
        ArticleStatus::Deleted => {
            content
                .transition(admin, id, Transition::Delete)
                .await
                .unwrap();
        }
        ArticleStatus::TakenDown => {
            content
                .transition(admin, id, Transition::Publish)
                .await
                .unwrap();
            content
                .take_down(admin, id, "A court order names it.")
                .await
                .unwrap();
        }
        other => panic!("no setup for {other}"),
    }
    id
}

fn future_site_time(site: &TestSite) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48);
    site.content().site_time(at)
}

/// Tries `action` as `client` and returns the response and whether it took effect.
async fn attempt(
    site: &TestSite,
    client: &Client,
    action: Action,
    id: Option<ArticleId>,
    n: usize,
) -> (TestResponse, bool) {
    let store = site.store();
    let status_of = |id: ArticleId| async move { store.article(id).await.unwrap().status };
    let status_post = |id: ArticleId, move_: &'static str| {
        let uri = format!("/newsroom/articles/{}/status", id.0);
        let when = future_site_time(site);
        async move {
            let mut fields = vec![("action", move_)];
            if move_ == "schedule" {
                fields.push(("publish_at", when.as_str()));
            }
            if move_ == "takedown" {
                fields.push(("takedown_reason", "Legal advice received."));
            }
            client.post(site, &uri, &fields).await
        }
    };
    match action {
        Action::CreateDraft => {
            let title = format!("Created by matrix {n}");
            let r = client
                .post(
                    site,
                    "/newsroom/articles/new",
                    &[
                        ("edition", "en"),
                        ("section", "analytics"),
                        ("title", &title),
                        ("body", "x"),
                    ],
                )
                .await;
            let made = r
                .location()
                .is_some_and(|l| l.starts_with("/newsroom/articles/"));
            (r, made)
        }
        Action::SubmitForReview => {
            let id = id.unwrap();
            let r = status_post(id, "submit").await;
            (r, status_of(id).await == ArticleStatus::InReview)
        }
        Action::Publish => {
            let id = id.unwrap();
            let r = status_post(id, "publish").await;
            (r, status_of(id).await == ArticleStatus::Published)
        }
        Action::Schedule => {
            let id = id.unwrap();
            let r = status_post(id, "schedule").await;
            (r, status_of(id).await == ArticleStatus::Scheduled)
        }
        Action::Unpublish => {
            let id = id.unwrap();
            let r = status_post(id, "unpublish").await;
            (r, status_of(id).await == ArticleStatus::Unpublished)
        }
        Action::Delete => {
            let id = id.unwrap();
            let r = status_post(id, "delete").await;
            (r, status_of(id).await == ArticleStatus::Deleted)
        }
        Action::UndoDelete => {
            let id = id.unwrap();
            let r = status_post(id, "restore").await;
            (r, status_of(id).await != ArticleStatus::Deleted)
        }
        Action::AddCorrection => {
            let id = id.unwrap();
            let r = client
                .post(
                    site,
                    &format!("/newsroom/articles/{}/corrections", id.0),
                    &[
                        ("correction_kind", "correction"),
                        ("correction_text", "An earlier version misspelt a name."),
                    ],
                )
                .await;
            (r, !store.article(id).await.unwrap().corrections.is_empty())
        }
        Action::TakeDown => {
            let id = id.unwrap();
            let r = status_post(id, "takedown").await;
            (r, status_of(id).await == ArticleStatus::TakenDown)
        }
        Action::Reinstate => {
            let id = id.unwrap();
            let r = status_post(id, "reinstate").await;
            (r, status_of(id).await == ArticleStatus::Published)
        }
        Action::Edit | Action::Correct => {
            let id = id.unwrap();
            let revision = store.article_meta(id).await.unwrap().revision.to_string();
            let title = format!("Changed by matrix {n}");
            let r = client
                .post(
                    site,
                    &format!("/newsroom/articles/{}", id.0),
                    &[
                        ("revision", &revision),
                        ("edition", "en"),
                        ("section", "analytics"),
                        ("title", &title),
                        ("body", "Changed text."),
                    ],
                )
                .await;
            (r, store.article(id).await.unwrap().title == title)
        }
        Action::ManageAlerts => {
            let text = format!("Matrix alert {n}");
            let r = client
                .post(
                    site,
                    "/newsroom/alerts",
                    &[("edition", "en"), ("text", &text), ("minutes", "5")],
                )
                .await;
            let raised = store
                .recent_alerts(50)
                .await
                .unwrap()
                .iter()
                .any(|a| a.text == text);
            (r, raised)
        }
        Action::ManageSectionsAndTags => {
            let slug = format!("matrix-tag-{n}");
            let r = client
                .post(
                    site,
                    "/newsroom/tags",
                    &[("slug", &slug), ("name", "Matrix tag")],
                )
                .await;
            let made = store
                .tags()
                .await
                .unwrap()
                .iter()
                .any(|t| t.slug.as_str() == slug);
            (r, made)
        }
        Action::ManagePages => {
            let slug = format!("matrix-page-{n}");
            let r = client
                .post(
                    site,
                    "/newsroom/pages/new",
                    &[
                        ("edition", "en"),
                        ("title", "Matrix page"),
                        ("slug", &slug),
                        ("body", "Page text."),
                        ("status", "published"),
                        ("footer_position", ""),
                    ],
                )
                .await;
            let made = store
                .pages()
                .await
                .unwrap()
                .iter()
                .any(|p| p.slug.as_str() == slug);
            (r, made)
        }
        Action::ManageMedia => {
            // "Own" is a picture the user uploaded: one uploaded by the owner of the
            // article made for this case.
            let owner = store.article_meta(id.unwrap()).await.unwrap().owner;
            let picture = site
                .content()
                .upload_media(
                    crate::media::noisy_jpeg(8, 8),
                    "matrix.jpg",
                    byline_content::MediaMeta {
                        alt: "Before".into(),
                        uploaded_by: owner.map(|u| u.0),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let alt = format!("Changed by matrix {n}");
            let r = client
                .post(
                    site,
                    &format!("/newsroom/media/{}", picture.id),
                    &[("alt", &alt), ("focal_x", "50"), ("focal_y", "50")],
                )
                .await;
            let changed = site.content().media(picture.id).await.unwrap().alt == alt;
            (r, changed)
        }
        Action::ManageUsers => {
            let email = format!("made-{n}@example.org");
            let r = client
                .post(
                    site,
                    "/newsroom/users",
                    &[("email", &email), ("role", "contributor")],
                )
                .await;
            (r, store.credentials(&email).await.is_ok())
        }
        Action::ManageSettings => {
            let name = format!("Renamed {n}");
            let r = client
                .post(
                    site,
                    "/newsroom/settings",
                    &[("name", &name), ("timezone", "UTC")],
                )
                .await;
            (r, store.settings().await.unwrap().name == name)
        }
        Action::ReadAuditLog => {
            let r = client.get(site, "/newsroom/audit").await;
            let read = r.status == 200 && r.testid("audit").is_some();
            (r, read)
        }
    }
}

/// The status an article must be in for `action` to make sense.
fn starting_status(action: Action) -> ArticleStatus {
    match action {
        Action::Correct | Action::Unpublish | Action::AddCorrection | Action::TakeDown => {
            ArticleStatus::Published
        }
        Action::UndoDelete => ArticleStatus::Deleted,
        Action::Reinstate => ArticleStatus::TakenDown,
        _ => ArticleStatus::Draft,
    }
}

#[tokio::test]
async fn every_role_times_every_action() {
    let site = TestSite::demo().await;
    let admin = add_user(&site, "matrix-admin@example.org", Role::Admin).await;
    let someone = add_user(&site, "someone@example.org", Role::Editor).await;
    let mut n = 0;
    let mut checked = 0;
    for role in Role::ALL {
        let me = add_user(&site, &format!("{role}@example.org"), role).await;
        let client = login(&site, &me.email).await;
        for action in Action::ALL {
            let ownerships: &[Ownership] = if action.concerns_an_article() {
                &[Ownership::Own, Ownership::Others]
            } else {
                &[Ownership::Own]
            };
            for &ownership in ownerships {
                n += 1;
                let id = if action.concerns_an_article()
                    || matches!(
                        action,
                        Action::UndoDelete | Action::TakeDown | Action::Reinstate
                    ) {
                    let owner = if ownership == Ownership::Own {
                        &me
                    } else {
                        &someone
                    };
                    Some(article(&site, owner, &admin, starting_status(action), n).await)
                } else {
                    None
                };
                let expected = allowed(role, action, ownership);
                let (r, took_effect) = attempt(&site, &client, action, id, n).await;
                let case = format!(
                    "{role} × {action} ({ownership:?}): {} {}",
                    r.status,
                    r.location().unwrap_or("")
                );
                if expected {
                    assert!(
                        r.status == 200 || r.status == 303,
                        "{case} should be allowed; body: {}",
                        &r.body[..r.body.len().min(800)]
                    );
                    assert!(took_effect, "{case} should take effect");
                } else {
                    assert_eq!(r.status, 403, "{case} should be refused");
                    assert!(!took_effect, "{case} must change nothing");
                    assert!(
                        !r.body.contains("Matrix story"),
                        "{case}: no hint of the article"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        4 * 28,
        "every row of docs/PERMISSIONS.md for every role"
    );
}

#[tokio::test]
async fn people_see_only_the_articles_they_may_edit() {
    let site = TestSite::demo().await;
    let admin = add_user(&site, "a@example.org", Role::Admin).await;
    let writer = add_user(&site, "w@example.org", Role::Contributor).await;
    let editor = add_user(&site, "e@example.org", Role::Editor).await;
    let own = article(&site, &writer, &admin, ArticleStatus::Draft, 1).await;
    let theirs = article(&site, &editor, &admin, ArticleStatus::Draft, 2).await;
    let gone = article(&site, &writer, &admin, ArticleStatus::Deleted, 3).await;

    let w = login(&site, "w@example.org").await;
    let list = w.get(&site, "/newsroom").await;
    list.assert_ok();
    let shown = listed(&list);
    assert!(shown.contains(&own.0), "one's own draft is listed");
    assert!(!shown.contains(&theirs.0), "others' drafts are not listed");
    assert!(!shown.contains(&gone.0), "deleted ones are not listed");
    w.get(&site, &format!("/newsroom/articles/{}", own.0))
        .await
        .assert_ok();
    for id in [theirs, gone] {
        let r = w.get(&site, &format!("/newsroom/articles/{}", id.0)).await;
        assert_eq!(r.status, 403);
        assert!(!r.body.contains("Matrix story"));
    }
    assert_eq!(w.get(&site, "/newsroom?status=deleted").await.status, 403);

    let e = login(&site, "e@example.org").await;
    let all = listed(&e.get(&site, "/newsroom").await);
    assert!(all.contains(&own.0) && all.contains(&theirs.0), "{all:?}");
    let mine = listed(&e.get(&site, "/newsroom?mine=1").await);
    assert!(
        !mine.contains(&own.0) && mine.contains(&theirs.0),
        "{mine:?}"
    );

    let a = login(&site, "a@example.org").await;
    let deleted = a.get(&site, "/newsroom?status=deleted").await;
    deleted.assert_ok();
    assert_eq!(listed(&deleted), [gone.0], "the deleted article, alone");
    assert_eq!(a.get(&site, "/newsroom?status=nonsense").await.status, 400);
}

/// The newsroom's other routes — the ones that are not an [`Action`] of their own but
/// follow one (docs/PERMISSIONS.md, "Notes") — for every role, on own and others'
/// articles where an article is concerned, as direct requests.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Route {
    Dashboard,
    Render,
    Paste,
    Upload,
    NewForm,
    EditForm,
    Revisions,
    RevisionDiff,
    Autosave,
    Note,
    Translate,
    RestoreDraft,
    RestorePublished,
    Taxonomy,
    PutSection,
    Pages,
    Settings,
    Import,
    Users,
    SetRole,
    SetDisabled,
}

impl Route {
    const ALL: [Route; 21] = [
        Route::Dashboard,
        Route::Render,
        Route::Paste,
        Route::Upload,
        Route::NewForm,
        Route::EditForm,
        Route::Revisions,
        Route::RevisionDiff,
        Route::Autosave,
        Route::Note,
        Route::Translate,
        Route::RestoreDraft,
        Route::RestorePublished,
        Route::Taxonomy,
        Route::PutSection,
        Route::Pages,
        Route::Settings,
        Route::Import,
        Route::Users,
        Route::SetRole,
        Route::SetDisabled,
    ];

    fn concerns_an_article(self) -> bool {
        matches!(
            self,
            Route::EditForm
                | Route::Revisions
                | Route::RevisionDiff
                | Route::Autosave
                | Route::Note
                | Route::Translate
                | Route::RestoreDraft
                | Route::RestorePublished
        )
    }

    /// Who may, as docs/PERMISSIONS.md says.
    fn allowed(self, role: Role, ownership: Ownership) -> bool {
        let may = |action| allowed(role, action, ownership);
        match self {
            // Every account.
            Route::Dashboard | Route::Render | Route::Paste => true,
            Route::Upload | Route::NewForm => allowed(role, Action::CreateDraft, Ownership::Own),
            // Seeing an article follows `edit`; so does restoring a draft's revision.
            // So do the article's internal notes.
            Route::EditForm
            | Route::Revisions
            | Route::RevisionDiff
            | Route::Autosave
            | Route::Note => may(Action::Edit),
            Route::RestoreDraft => may(Action::Edit),
            Route::RestorePublished => may(Action::Correct),
            Route::Translate => {
                allowed(role, Action::CreateDraft, Ownership::Own) && may(Action::Edit)
            }
            Route::Taxonomy | Route::PutSection => may(Action::ManageSectionsAndTags),
            Route::Pages => may(Action::ManagePages),
            Route::Settings | Route::Import => may(Action::ManageSettings),
            Route::Users | Route::SetRole | Route::SetDisabled => may(Action::ManageUsers),
        }
    }
}

/// An article for `route`: a draft (published for [`Route::RestorePublished`]) with two
/// revisions, the first titled `Matrix story {n}`, the newest `Matrix story {n} v2`.
async fn article_with_revisions(
    site: &TestSite,
    owner: &User,
    admin: &User,
    published: bool,
    n: usize,
) -> ArticleId {
    let content = site.content();
    let id = article(site, owner, admin, ArticleStatus::Draft, n).await;
    let based_on = site.store().article_meta(id).await.unwrap().revision;
    let saved = content
        .save_article(admin, id, based_on, &form(&format!("Matrix story {n} v2")))
        .await
        .unwrap();
    assert!(matches!(saved, byline_content::SaveOutcome::Saved { .. }));
    if published {
        content
            .transition(admin, id, Transition::Publish)
            .await
            .unwrap();
    }
    id
}

/// Tries `route` as `client` and returns the response and whether it did what it is for.
async fn attempt_route(
    site: &TestSite,
    client: &Client,
    route: Route,
    id: Option<ArticleId>,
    n: usize,
) -> (TestResponse, bool) {
    let store = site.store();
    let uri = id.map(|id| format!("/newsroom/articles/{}", id.0));
    let uri = uri.as_deref().unwrap_or("");
    let title = |id: ArticleId| async move { store.article(id).await.unwrap().title };
    let first_revision = |id: ArticleId| async move {
        let list = store.revisions(id).await.unwrap();
        list.iter().map(|r| r.id).min().unwrap().to_string()
    };
    let current =
        |id: ArticleId| async move { store.article_meta(id).await.unwrap().revision.to_string() };
    let json = |r: &TestResponse| -> serde_json::Value {
        serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null)
    };
    match route {
        Route::Dashboard => {
            let r = client.get(site, "/newsroom/dashboard").await;
            let shown = r.status == 200;
            (r, shown)
        }
        Route::Render => {
            let r = client
                .post(site, "/newsroom/render", &[("body", "Some **bold** words")])
                .await;
            let done = json(&r)["html"]
                .as_str()
                .is_some_and(|h| h.contains("<strong>bold</strong>"));
            (r, done)
        }
        Route::Paste => {
            let r = client
                .post(
                    site,
                    "/newsroom/paste",
                    &[("html", "<p>Some <b>bold</b></p>")],
                )
                .await;
            let done = json(&r)["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("**bold**"));
            (r, done)
        }
        Route::Upload => {
            let body = crate::media::multipart(
                "matrix.jpg",
                &crate::media::noisy_jpeg(24, 24),
                &[("alt", "Matrix picture")],
            );
            let (r, answer) =
                crate::media::upload(site, client, Some(&client.csrf), body, true).await;
            let stored = match answer["id"].as_i64() {
                Some(m) => site.content().media(byline_core::MediaId(m)).await.is_ok(),
                None => false,
            };
            (r, stored)
        }
        Route::NewForm => {
            let r = client.get(site, "/newsroom/articles/new").await;
            let shown = r.status == 200;
            (r, shown)
        }
        Route::EditForm => {
            let r = client.get(site, uri).await;
            // Anyone who may edit an unpublished article sees its preview link.
            let shown = r.body.contains(&format!("Matrix story {n} v2"))
                && r.testid("preview-link").is_some();
            (r, shown)
        }
        Route::Revisions => {
            let r = client.get(site, &format!("{uri}/revisions")).await;
            let shown = r.status == 200 && r.body.contains(&format!("Matrix story {n} v2"));
            (r, shown)
        }
        Route::RevisionDiff => {
            let first = first_revision(id.unwrap()).await;
            let r = client.get(site, &format!("{uri}/revisions/{first}")).await;
            let shown = r.status == 200 && r.body.contains(&format!("Matrix story {n}"));
            (r, shown)
        }
        Route::Autosave => {
            let id = id.unwrap();
            let revision = current(id).await;
            let new_title = format!("Autosaved by matrix {n}");
            let r = client
                .post(
                    site,
                    &format!("{uri}/autosave"),
                    &[
                        ("revision", &revision),
                        ("edition", "en"),
                        ("section", "analytics"),
                        ("title", &new_title),
                        ("body", "Autosaved text."),
                    ],
                )
                .await;
            (r, title(id).await == new_title)
        }
        Route::Note => {
            let id = id.unwrap();
            let text = format!("Matrix note {n}");
            let r = client
                .post(site, &format!("{uri}/notes"), &[("note", &text)])
                .await;
            let noted = store
                .notes(id)
                .await
                .unwrap()
                .iter()
                .any(|note| note.body == text);
            (r, noted)
        }
        Route::Translate => {
            let r = client
                .post(site, &format!("{uri}/translate"), &[("edition", "ru")])
                .await;
            let made = match r
                .location()
                .and_then(|l| l.strip_prefix("/newsroom/articles/"))
                .and_then(|l| l.split('?').next())
                .and_then(|l| l.parse::<i64>().ok())
            {
                Some(new) => store.article(ArticleId(new)).await.unwrap().edition == "ru",
                None => false,
            };
            (r, made)
        }
        Route::RestoreDraft | Route::RestorePublished => {
            let id = id.unwrap();
            let first = first_revision(id).await;
            let revision = current(id).await;
            let r = client
                .post(
                    site,
                    &format!("{uri}/revisions/{first}/restore"),
                    &[("revision", &revision)],
                )
                .await;
            (r, title(id).await == format!("Matrix story {n}"))
        }
        Route::Taxonomy => {
            let r = client.get(site, "/newsroom/taxonomy").await;
            let shown = r.status == 200;
            (r, shown)
        }
        Route::PutSection => {
            let slug = format!("matrix-section-{n}");
            let r = client
                .post(
                    site,
                    "/newsroom/sections",
                    &[("slug", &slug), ("name", "Matrix section")],
                )
                .await;
            let made = store
                .sections()
                .await
                .unwrap()
                .iter()
                .any(|s| s.slug.as_str() == slug);
            (r, made)
        }
        Route::Pages => {
            let r = client.get(site, "/newsroom/pages").await;
            let shown = r.status == 200 && r.testid("pages").is_some();
            (r, shown)
        }
        Route::Settings => {
            let r = client.get(site, "/newsroom/settings").await;
            let shown = r.status == 200;
            (r, shown)
        }
        Route::Import => {
            let r = client.get(site, "/newsroom/import").await;
            let shown = r.status == 200 && r.testid("import-form").is_some();
            (r, shown)
        }
        Route::Users => {
            let r = client.get(site, "/newsroom/users").await;
            let shown = r.status == 200 && r.body.contains("someone@example.org");
            (r, shown)
        }
        Route::SetRole | Route::SetDisabled => {
            let target =
                add_user(site, &format!("target-{n}@example.org"), Role::Contributor).await;
            let uri = format!("/newsroom/users/{}", target.id.0);
            let r = if route == Route::SetRole {
                client
                    .post(site, &format!("{uri}/role"), &[("role", "author")])
                    .await
            } else {
                client
                    .post(site, &format!("{uri}/disabled"), &[("disabled", "1")])
                    .await
            };
            let after = store.user(target.id).await.unwrap();
            let changed = after.role != Role::Contributor || after.disabled;
            (r, changed)
        }
    }
}

#[tokio::test]
async fn every_role_on_every_other_route() {
    let site = TestSite::demo().await;
    let admin = add_user(&site, "matrix-admin@example.org", Role::Admin).await;
    let someone = add_user(&site, "someone@example.org", Role::Editor).await;
    let mut n = 0;
    let mut checked = 0;
    for role in Role::ALL {
        let me = add_user(&site, &format!("{role}@example.org"), role).await;
        let client = login(&site, &me.email).await;
        for route in Route::ALL {
            let ownerships: &[Ownership] = if route.concerns_an_article() {
                &[Ownership::Own, Ownership::Others]
            } else {
                &[Ownership::Own]
            };
            for &ownership in ownerships {
                n += 1;
                let id = if route.concerns_an_article() {
                    let owner = if ownership == Ownership::Own {
                        &me
                    } else {
                        &someone
                    };
                    let published = route == Route::RestorePublished;
                    Some(article_with_revisions(&site, owner, &admin, published, n).await)
                } else {
                    None
                };
                let expected = route.allowed(role, ownership);
                let (r, took_effect) = attempt_route(&site, &client, route, id, n).await;
                let case = format!(
                    "{role} × {route:?} ({ownership:?}): {} {}",
                    r.status,
                    r.location().unwrap_or("")
                );
                if expected {
                    assert!(
                        [200, 201, 303].contains(&r.status.as_u16()),
                        "{case} should be allowed; body: {}",
                        &r.body[..r.body.len().min(800)]
                    );
                    assert!(took_effect, "{case} should take effect");
                } else {
                    assert_eq!(r.status, 403, "{case} should be refused");
                    assert!(!took_effect, "{case} must change nothing");
                    assert!(
                        !r.body.contains("Matrix story"),
                        "{case}: no hint of the article"
                    );
                    assert!(
                        !r.body.contains("someone@example.org"),
                        "{case}: no hint of other accounts"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * (13 + 2 * 8), "every route for every role");
}

/// The articles the newsroom's list page shows, in order.
fn listed(page: &TestResponse) -> Vec<i64> {
    select(&page.html(), "[data-testid=articles] [data-article]")
        .into_iter()
        .map(|li| attr(li, "data-article").parse().unwrap())
        .collect()
}
