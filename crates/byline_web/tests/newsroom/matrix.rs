//! The whole permission matrix through HTTP: every role × every action (own and others'
//! articles), as direct form posts that bypass the UI (no button needs to be shown for
//! a request to be tried). Allowed actions take effect; refused ones answer 403, say
//! nothing about the article, and change nothing.

use crate::client::{Client, add_user, login};
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
        Action::Correct | Action::Unpublish => ArticleStatus::Published,
        Action::UndoDelete => ArticleStatus::Deleted,
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
                let id = if action.concerns_an_article() || action == Action::UndoDelete {
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
        4 * 20,
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
    assert!(list.body.contains("Matrix story 1"));
    assert!(
        !list.body.contains("Matrix story 2"),
        "others' drafts are not listed"
    );
    assert!(
        !list.body.contains("Matrix story 3"),
        "deleted ones are not listed"
    );
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
    let all = e.get(&site, "/newsroom").await;
    assert!(all.body.contains("Matrix story 1") && all.body.contains("Matrix story 2"));
    let mine = e.get(&site, "/newsroom?mine=1").await;
    assert!(!mine.body.contains("Matrix story 1") && mine.body.contains("Matrix story 2"));

    let a = login(&site, "a@example.org").await;
    let deleted = a.get(&site, "/newsroom?status=deleted").await;
    deleted.assert_ok();
    assert!(deleted.body.contains("Matrix story 3"));
    assert_eq!(a.get(&site, "/newsroom?status=nonsense").await.status, 400);
}
