//! Writing in the newsroom: the form, slugs, field messages, statuses, conflicts,
//! revisions, soft delete and the audit log.

use crate::client::{Client, login_as};
use crate::common::TestSite;
use byline_core::{ArticleId, ArticleStatus, Role};

async fn create(site: &TestSite, client: &Client, fields: &[(&str, &str)]) -> ArticleId {
    let r = client.post(site, "/newsroom/articles/new", fields).await;
    assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(1500)]);
    let location = r.location().unwrap();
    let id = location
        .trim_start_matches("/newsroom/articles/")
        .split('?')
        .next()
        .unwrap();
    ArticleId(id.parse().unwrap())
}

async fn revision(site: &TestSite, id: ArticleId) -> String {
    site.store()
        .article_meta(id)
        .await
        .unwrap()
        .revision
        .to_string()
}

#[tokio::test]
async fn drafts_get_slugs_from_their_titles_in_any_script() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    me.get(&site, "/newsroom/articles/new").await.assert_ok();
    let ru = create(
        &site,
        &me,
        &[
            ("edition", "ru"),
            ("section", "analytics"),
            ("title", "Цены на зерно растут"),
            ("body", "Текст."),
        ],
    )
    .await;
    assert_eq!(
        site.store().article(ru).await.unwrap().slug.as_str(),
        "tseny-na-zerno-rastut"
    );
    let again = create(
        &site,
        &me,
        &[
            ("edition", "ru"),
            ("section", "analytics"),
            ("title", "Цены на зерно растут"),
            ("body", "Ещё."),
        ],
    )
    .await;
    assert_eq!(
        site.store().article(again).await.unwrap().slug.as_str(),
        "tseny-na-zerno-rastut-2",
        "a taken slug gets a number"
    );
    let hy = create(
        &site,
        &me,
        &[
            ("edition", "hy"),
            ("section", "analytics"),
            ("title", "Հացահատիկի գները"),
            ("body", "x"),
        ],
    )
    .await;
    let hy_slug = site.store().article(hy).await.unwrap().slug.to_string();
    assert!(hy_slug.starts_with("hats"), "{hy_slug}");
    let page = me
        .get(&site, &format!("/newsroom/articles/{}?saved=1", ru.0))
        .await;
    page.assert_ok();
    assert!(page.testid("saved").is_some());
    assert!(page.testid("status").unwrap().contains("Draft"));
}

#[tokio::test]
async fn bad_input_gets_field_messages_and_keeps_what_was_typed() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let long = "x".repeat(301);
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "  "),
                ("body", "Kept <b>body</b>"),
            ],
            "error-title",
        ),
        (
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", &long),
                ("body", "Kept <b>body</b>"),
            ],
            "error-title",
        ),
        (
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "T"),
                ("slug", "Bad Slug"),
                ("body", "Kept <b>body</b>"),
            ],
            "error-slug",
        ),
        (
            &[
                ("edition", "en"),
                ("section", "nowhere"),
                ("title", "T"),
                ("body", "Kept <b>body</b>"),
            ],
            "error-section",
        ),
        (
            &[
                ("edition", "xx"),
                ("section", "analytics"),
                ("title", "T"),
                ("body", "Kept <b>body</b>"),
            ],
            "error-edition",
        ),
    ];
    for (fields, testid) in cases {
        let r = me.post(&site, "/newsroom/articles/new", fields).await;
        assert_eq!(r.status, 400, "{testid}");
        assert!(r.testid(testid).is_some(), "{testid}: {}", r.body);
        assert!(
            r.body.contains("Kept &lt;b&gt;body&lt;/b&gt;"),
            "typed text kept, escaped"
        );
    }
    let id = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Fine"),
            ("body", "x"),
        ],
    )
    .await;
    let no_revision = me
        .post(
            &site,
            &format!("/newsroom/articles/{}", id.0),
            &[("title", "x")],
        )
        .await;
    assert_eq!(no_revision.status, 400);
    let past = me
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "schedule"), ("publish_at", "2001-01-01T10:00")],
        )
        .await;
    assert_eq!(past.status, 400);
    assert!(
        past.testid("error-publish_at")
            .unwrap()
            .contains("in the past")
    );
    let garbage = me
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "schedule"), ("publish_at", "next tuesday")],
        )
        .await;
    assert_eq!(garbage.status, 400);
    assert!(garbage.testid("error-publish_at").is_some());
    let unknown = me
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "explode")],
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(me.get(&site, "/newsroom/articles/nope").await.status, 404);
    assert_eq!(me.get(&site, "/newsroom/articles/999999").await.status, 404);
}

#[tokio::test]
async fn a_stale_save_is_refused_and_both_texts_are_kept() {
    let site = TestSite::demo().await;
    let (_, ann) = login_as(&site, "ann@example.org", Role::Editor).await;
    let (_, bob) = login_as(&site, "bob@example.org", Role::Editor).await;
    let id = create(
        &site,
        &ann,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Shared"),
            ("body", "First text."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let loaded = revision(&site, id).await;
    let form = ann.get(&site, &uri).await;
    assert!(
        form.body
            .contains(&format!("name=\"revision\" value=\"{loaded}\""))
    );

    let saved = ann
        .post(
            &site,
            &uri,
            &[
                ("revision", &loaded),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Shared"),
                ("body", "Ann's text."),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let refused = bob
        .post(
            &site,
            &uri,
            &[
                ("revision", &loaded),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Shared"),
                ("body", "Bob's text."),
            ],
        )
        .await;
    assert_eq!(refused.status, 409);
    let conflict = refused.testid("conflict").expect("a conflict message");
    assert!(conflict.contains("Someone else saved this article"));
    assert!(
        refused
            .testid("current-body")
            .unwrap()
            .contains("Ann&#39;s text."),
        "the saved text is shown"
    );
    assert!(
        refused.body.contains(">Bob&#39;s text.</textarea>"),
        "Bob's text stays in the form"
    );
    assert_eq!(
        site.store().article(id).await.unwrap().body_markdown,
        "Ann's text."
    );

    let revisions = site.store().revisions(id).await.unwrap();
    let kept = revisions
        .iter()
        .find(|r| !r.accepted)
        .expect("the refused text is a revision");
    assert_eq!(kept.body_markdown, "Bob's text.");
    let page = bob.get(&site, &format!("{uri}/revisions")).await;
    page.assert_ok();
    assert!(
        page.testid("revisions")
            .unwrap()
            .contains("Bob&#39;s text.")
    );

    // The form now carries the newest revision: saving again is a deliberate overwrite.
    let newest = revision(&site, id).await;
    assert!(
        refused
            .body
            .contains(&format!("name=\"revision\" value=\"{newest}\""))
    );
    let merged = bob
        .post(
            &site,
            &uri,
            &[
                ("revision", &newest),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Shared"),
                ("body", "Merged text."),
            ],
        )
        .await;
    assert_eq!(merged.status, 303);
    assert_eq!(
        site.store().article(id).await.unwrap().body_markdown,
        "Merged text."
    );
}

#[tokio::test]
async fn the_lifecycle_reaches_readers_and_the_audit_log() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let id = create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Lifecycle story"),
            ("body", "Draft text."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let status = |s: &'static str| [("action", s)];
    assert_eq!(
        writer
            .post(&site, &format!("{uri}/status"), &status("submit"))
            .await
            .status,
        303
    );
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::InReview
    );
    assert_eq!(
        editor
            .post(&site, &format!("{uri}/status"), &status("publish"))
            .await
            .status,
        303
    );
    site.settle().await;
    let live = site.get("/en/analytics/lifecycle-story").await;
    live.assert_ok();

    // A correction shows "Updated" on the reader's page (times are whole seconds, and
    // "updated" must come after "published").
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let rev = revision(&site, id).await;
    let fix = editor
        .post(
            &site,
            &uri,
            &[
                ("revision", &rev),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Lifecycle story"),
                ("body", "Corrected text."),
            ],
        )
        .await;
    assert_eq!(fix.status, 303);
    site.settle().await;
    let corrected = site.get("/en/analytics/lifecycle-story").await;
    assert!(corrected.body.contains("Corrected text."));
    assert!(site.store().article(id).await.unwrap().updated_at.is_some());
    assert!(
        corrected.body.contains("Updated"),
        "the page says it was updated"
    );

    assert_eq!(
        editor
            .post(&site, &format!("{uri}/status"), &status("unpublish"))
            .await
            .status,
        303
    );
    site.settle().await;
    assert_eq!(site.get("/en/analytics/lifecycle-story").await.status, 404);
    assert_eq!(
        editor
            .post(&site, &format!("{uri}/status"), &status("publish"))
            .await
            .status,
        303
    );
    assert_eq!(
        editor
            .post(&site, &format!("{uri}/status"), &status("delete"))
            .await
            .status,
        303
    );
    site.settle().await;
    assert_eq!(
        site.get("/en/analytics/lifecycle-story").await.status,
        404,
        "deleted is gone"
    );
    assert_eq!(
        editor.get(&site, &uri).await.status,
        403,
        "only admins see deleted articles"
    );
    assert_eq!(
        admin
            .post(&site, &format!("{uri}/status"), &status("restore"))
            .await
            .status,
        303
    );
    site.settle().await;
    site.get("/en/analytics/lifecycle-story").await.assert_ok();
    // A move that makes no sense from here is a clear 400.
    let again = admin
        .post(&site, &format!("{uri}/status"), &status("restore"))
        .await;
    assert_eq!(again.status, 400);
    assert!(again.testid("error-status").is_some());

    let log = admin.get(&site, "/newsroom/audit").await;
    let table = log.testid("audit").unwrap();
    for (who, verb) in [
        ("writer@example.org", "created"),
        ("writer@example.org", "submitted"),
        ("desk@example.org", "published"),
        ("desk@example.org", "corrected"),
        ("desk@example.org", "unpublished"),
        ("desk@example.org", "deleted"),
        ("chief@example.org", "restored"),
    ] {
        let row = table
            .split("<tr")
            .find(|row| row.contains(&format!("<code>{verb}</code>")) && row.contains(who))
            .unwrap_or_else(|| panic!("{who} {verb} in the audit log"));
        assert!(row.contains(&format!("#{}", id.0)) && row.contains("Lifecycle story"));
    }
}

#[tokio::test]
async fn a_revision_shows_a_readable_diff_of_what_it_changed() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let id = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Diffed"),
            ("body", "Line one.\nLine <two>.\nLine three."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let rev = revision(&site, id).await;
    let r = me
        .post(
            &site,
            &uri,
            &[
                ("revision", &rev),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Diffed"),
                ("body", "Line one.\nLine 2.\nLine three."),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let newest = revision(&site, id).await;
    let list = me.get(&site, &format!("{uri}/revisions")).await;
    assert!(list.body.contains(&format!("{uri}/revisions/{newest}")));
    let diff = me.get(&site, &format!("{uri}/revisions/{newest}")).await;
    diff.assert_ok();
    let d = diff.testid("diff").unwrap();
    assert!(
        d.contains("<span class=\"nr-diff-removed\">- Line &lt;two&gt;.</span>"),
        "{d}"
    );
    assert!(
        d.contains("<span class=\"nr-diff-added\">+ Line 2.</span>"),
        "{d}"
    );
    assert!(
        d.contains("<span class=\"nr-diff-same\">  Line one.</span>"),
        "{d}"
    );
    // A revision of another article, or an unknown one, is not found.
    assert_eq!(
        me.get(
            &site,
            &format!("/newsroom/articles/{}/revisions/999999", id.0)
        )
        .await
        .status,
        404
    );
}
