//! Working together: "Return with a note", assignment of a writer and an editor, the
//! notification list (returned, assigned, scheduled, published) and presence.

use crate::articles::create;
use crate::client::login_as;
use crate::common::html::{testid, text};
use crate::common::{TestSite, fluent};
use axum::body::Body;
use axum::http::Request;
use byline_content::{Clock, ContentOptions};
use byline_core::{ArticleId, ArticleStatus, Role};
use jiff::{SignedDuration, Timestamp};

fn notice_kinds(body: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    crate::common::html::select(&html, "[data-kind]")
        .iter()
        .map(|e| crate::common::html::attr(*e, "data-kind"))
        .collect()
}

#[tokio::test]
async fn an_editor_returns_a_piece_with_a_note_and_its_writer_is_told() {
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let id = create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Harbour dues rise"),
            ("body", "First draft."),
        ],
    )
    .await;
    let status = format!("/newsroom/articles/{}/status", id.0);
    let page = format!("/newsroom/articles/{}", id.0);
    // Not in review yet: nothing to return.
    let r = editor
        .post(
            &site,
            &status,
            &[("action", "return"), ("return_note", "x")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        writer
            .post(&site, &status, &[("action", "submit")])
            .await
            .status,
        303
    );
    // The editor's page offers the move; the writer's does not.
    assert!(
        editor
            .get(&site, &page)
            .await
            .body
            .contains("id=\"return_note\"")
    );
    assert!(
        !writer
            .get(&site, &page)
            .await
            .body
            .contains("id=\"return_note\"")
    );
    // A contributor may not return (not even their own piece).
    let r = writer
        .post(
            &site,
            &status,
            &[("action", "return"), ("return_note", "Mine")],
        )
        .await;
    assert_eq!(r.status, 403);
    // No note: 400, a message in the editor's language, still in review.
    let r = editor
        .post_lang(
            &site,
            &status,
            &[("action", "return"), ("return_note", "  ")],
            "ru",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-return_note")),
        fluent("ru", "newsroom-return-error-note")
    );
    let long = "x".repeat(4001);
    let r = editor
        .post(
            &site,
            &status,
            &[("action", "return"), ("return_note", &long)],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains(&long), "the note is kept as typed");
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::InReview
    );

    let r = editor
        .post(
            &site,
            &status,
            &[
                ("action", "return"),
                ("return_note", "The second paragraph needs a source."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::Draft
    );
    // The writer: a count in the menu, the notice in the list, the note on the article.
    let r = writer.get(&site, "/newsroom").await;
    assert_eq!(text(testid(&r.html(), "unread")), "1");
    let r = writer.get(&site, "/newsroom/notifications").await;
    r.assert_ok();
    assert_eq!(notice_kinds(&r.body), ["returned"]);
    assert!(r.body.contains("Harbour dues rise"));
    assert!(r.body.contains(&format!("href=\"{page}\"")));
    let r = writer.get(&site, "/newsroom").await;
    assert!(
        r.testid("unread").is_none(),
        "read once the list was opened"
    );
    let r = writer.get(&site, &page).await;
    assert!(text(testid(&r.html(), "notes")).contains("The second paragraph needs a source."));
    // The editor who returned it is not told about their own move.
    let r = editor.get(&site, "/newsroom/notifications").await;
    assert!(notice_kinds(&r.body).is_empty());
}

#[tokio::test]
async fn an_assigned_writer_works_on_the_piece_and_everyone_hears_of_its_schedule() {
    let start = Timestamp::from_second(1_907_000_000).unwrap();
    let clock = Clock::manual(start);
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        // The test stands in for the scheduler's tick and counts what its own call
        // did: a tick of the real scheduler after the clock moves would take it first.
        schedule_poll: std::time::Duration::from_secs(3600),
        ..ContentOptions::default()
    })
    .await;
    let (owner, owner_c) = login_as(&site, "owner@example.org", Role::Author).await;
    let (helper, helper_c) = login_as(&site, "helper@example.org", Role::Contributor).await;
    let (desk, desk_c) = login_as(&site, "desk@example.org", Role::Editor).await;
    let (_, chief) = login_as(&site, "chief@example.org", Role::Editor).await;
    let id = create(
        &site,
        &owner_c,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Grain exports in numbers"),
            ("body", "Draft."),
        ],
    )
    .await;
    let page = format!("/newsroom/articles/{}", id.0);
    let assign = format!("{page}/assign");
    // Before: the helper may not open it.
    assert_eq!(helper_c.get(&site, &page).await.status, 403);
    // Only editors assign.
    let helper_id = helper.id.0.to_string();
    let desk_id = desk.id.0.to_string();
    let fields = [("writer", helper_id.as_str()), ("editor", desk_id.as_str())];
    assert_eq!(owner_c.post(&site, &assign, &fields).await.status, 403);
    assert_eq!(helper_c.post(&site, &assign, &fields).await.status, 403);
    // Bad choices: an unknown account, a contributor as the editor, not a number.
    let owner_id = owner.id.0.to_string();
    for (field, bad) in [
        ("writer", "999999"),
        ("editor", helper_id.as_str()),
        ("writer", "abc"),
    ] {
        let mut f = vec![("writer", ""), ("editor", "")];
        f.retain(|(k, _)| *k != field);
        f.push((field, bad));
        let r = chief.post_lang(&site, &assign, &f, "hy").await;
        assert_eq!(r.status, 400, "{field}={bad}");
        assert_eq!(
            text(testid(&r.html(), &format!("error-{field}"))),
            fluent("hy", "newsroom-desk-error-person")
        );
    }
    assert_eq!(
        chief
            .post(&site, "/newsroom/articles/999999/assign", &fields)
            .await
            .status,
        404
    );
    let r = chief.post(&site, &assign, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The helper and the desk editor are told; the owner is not (nothing changed for them).
    for (client, want) in [(&helper_c, vec!["assigned"]), (&desk_c, vec!["assigned"])] {
        let r = client.get(&site, "/newsroom/notifications").await;
        assert_eq!(notice_kinds(&r.body), want);
    }
    assert!(notice_kinds(&owner_c.get(&site, "/newsroom/notifications").await.body).is_empty());
    // The helper sees it in their list, opens it and saves it as if it were theirs.
    let r = helper_c.get(&site, "/newsroom").await;
    assert!(r.body.contains("Grain exports in numbers"));
    let r = helper_c.get(&site, &page).await;
    r.assert_ok();
    assert!(
        text(testid(&r.html(), "assigned")).contains("helper"),
        "the assignment in words for those who may not change it"
    );
    let revision = crate::articles::revision(&site, id).await;
    let r = helper_c
        .post(
            &site,
            &page,
            &[
                ("revision", revision.as_str()),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Grain exports in numbers"),
                ("body", "The helper's text."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let _ = owner_id;

    // Scheduled by the chief: owner, writer and editor told; then published by the clock.
    let at = start + SignedDuration::from_hours(3);
    let r = chief
        .post(
            &site,
            &format!("{page}/status"),
            &[
                ("action", "schedule"),
                ("publish_at", &site.content().site_time(at)),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    clock.set(at + SignedDuration::from_secs(1));
    assert_eq!(site.content().publish_due().await.unwrap(), 1);
    for client in [&owner_c, &helper_c, &desk_c] {
        let kinds = notice_kinds(&client.get(&site, "/newsroom/notifications").await.body);
        assert_eq!(&kinds[..2], ["published", "scheduled"], "{kinds:?}");
    }
    let r = owner_c.get(&site, "/newsroom/notifications").await;
    assert!(
        r.body.contains(&fluent("en", "newsroom-notice-scheduler")),
        "by the schedule"
    );

    // Unassigned: the helper loses it again.
    let r = chief
        .post(&site, &assign, &[("writer", ""), ("editor", "")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(helper_c.get(&site, &page).await.status, 403);
    // Their notifications no longer name it.
    let r = helper_c.get(&site, "/newsroom/notifications").await;
    assert!(!r.body.contains("Grain exports in numbers"));
}

#[tokio::test]
async fn two_people_on_one_article_see_each_other() {
    let site = TestSite::demo().await;
    let (_, ana) = login_as(&site, "ana@example.org", Role::Editor).await;
    let (_, ben) = login_as(&site, "ben@example.org", Role::Editor).await;
    let (_, stranger) = login_as(&site, "stranger@example.org", Role::Contributor).await;
    let id = create(
        &site,
        &ana,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Shared story"),
            ("body", "x"),
        ],
    )
    .await;
    let page = format!("/newsroom/articles/{}", id.0);
    let r = ana.get(&site, &page).await;
    assert_eq!(text(testid(&r.html(), "presence")), "", "alone");
    let r = ben.get(&site, &page).await;
    assert!(
        text(testid(&r.html(), "presence")).contains("ana"),
        "{}",
        text(testid(&r.html(), "presence"))
    );
    let beat = |client: &crate::client::Client, csrf: Option<String>, id: ArticleId| {
        let mut req = Request::post(format!("/newsroom/articles/{}/presence", id.0))
            .header("cookie", format!("byline_session={}", client.session));
        if let Some(token) = csrf {
            req = req.header("x-csrf-token", token);
        }
        req.body(Body::empty()).unwrap()
    };
    let r = site.request(beat(&ana, Some(ana.csrf.clone()), id)).await;
    r.assert_ok();
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["others"].as_array().unwrap().len(), 1);
    assert!(json["others"][0].as_str().unwrap().contains("ben"));
    // Without the token, for an article one may not open, for no article.
    assert_eq!(site.request(beat(&ana, None, id)).await.status, 403);
    let r = site
        .request(beat(&stranger, Some(stranger.csrf.clone()), id))
        .await;
    assert_eq!(r.status, 403);
    let r = site
        .request(beat(&ana, Some(ana.csrf.clone()), ArticleId(999_999)))
        .await;
    assert_eq!(r.status, 404);
}
