//! Writing in the newsroom: the form, slugs, field messages, statuses, conflicts,
//! revisions, soft delete and the audit log.

use crate::client::{Client, audit_rows, login_as};
use crate::common::html::{attr, field, hrefs, select_one, testid, text, within};
use crate::common::{TestResponse, TestSite};
use byline_core::{ArticleId, ArticleStatus, Role};

/// The revision the edit form was loaded at (its hidden `revision` field).
fn revision_field(form: &TestResponse) -> String {
    attr(select_one(&form.html(), "input[name=revision]"), "value")
}

pub(crate) async fn create(site: &TestSite, client: &Client, fields: &[(&str, &str)]) -> ArticleId {
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

pub(crate) async fn revision(site: &TestSite, id: ArticleId) -> String {
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
    // Unique per edition: another edition may use the same slug as it is.
    let en = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Grain prices rise"),
            ("slug", "tseny-na-zerno-rastut"),
            ("body", "Text."),
        ],
    )
    .await;
    assert_eq!(
        site.store().article(en).await.unwrap().slug.as_str(),
        "tseny-na-zerno-rastut",
        "a slug taken in another edition is free in this one"
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
        assert_eq!(
            field(&r.html(), "body"),
            "Kept <b>body</b>",
            "typed text kept, as text"
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
    assert_eq!(revision_field(&form), loaded);

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
    let doc = refused.html();
    assert!(text(testid(&doc, "conflict")).contains("Someone else saved this article"));
    assert!(
        text(testid(&doc, "current-body")).contains("Ann's text."),
        "the saved text is shown"
    );
    assert_eq!(
        text(select_one(&doc, "textarea[name=body]")),
        "Bob's text.",
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
    assert!(text(testid(&page.html(), "revisions")).contains("Bob's text."));

    // The form now carries the newest revision: saving again is a deliberate overwrite.
    let newest = revision(&site, id).await;
    assert_eq!(revision_field(&refused), newest);
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
    let before_edit = revision(&site, id).await;
    let edited = writer
        .post(
            &site,
            &uri,
            &[
                ("revision", &before_edit),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Lifecycle story"),
                ("body", "Draft text, edited."),
            ],
        )
        .await;
    assert_eq!(edited.status, 303);
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
    let corrected = site.get("/en/analytics/lifecycle-story").await.html();
    assert_eq!(text(testid(&corrected, "body")), "Corrected text.");
    assert!(site.store().article(id).await.unwrap().updated_at.is_some());
    assert!(
        text(testid(&corrected, "updated")).starts_with("Updated"),
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

    let rows = audit_rows(&admin.get(&site, "/newsroom/audit").await);
    for (who, verb) in [
        ("writer@example.org", "created"),
        ("writer@example.org", "edited"),
        ("writer@example.org", "submitted"),
        ("desk@example.org", "published"),
        ("desk@example.org", "corrected"),
        ("desk@example.org", "unpublished"),
        ("desk@example.org", "deleted"),
        ("chief@example.org", "restored"),
    ] {
        let row = rows
            .iter()
            .find(|row| row.action == verb && row.who.contains(who))
            .unwrap_or_else(|| panic!("{who} {verb} in the audit log: {rows:#?}"));
        assert!(
            row.what.contains(&format!("#{} ", id.0)) && row.what.contains("Lifecycle story"),
            "{row:?}"
        );
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
    assert!(
        hrefs(testid(&list.html(), "revisions")).contains(&format!("{uri}/revisions/{newest}"))
    );
    let diff = me.get(&site, &format!("{uri}/revisions/{newest}")).await;
    diff.assert_ok();
    let doc = diff.html();
    let lines: Vec<(String, String)> = within(testid(&doc, "diff"), "[class^=nr-diff-]")
        .into_iter()
        .map(|l| (attr(l, "class"), l.text().collect()))
        .collect();
    let line = |class: &str, text: &str| (format!("nr-diff-{class}"), text.to_owned());
    assert_eq!(
        lines,
        [
            line("same", "  # Diffed"),
            line("same", "  "),
            line("same", "  "),
            line("same", "  Line one."),
            line("removed", "- Line <two>."),
            line("added", "+ Line 2."),
            line("same", "  Line three."),
        ],
        "the lines in order, each marked"
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

#[tokio::test]
async fn a_changed_slug_keeps_the_old_address_redirecting() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let fields = |slug: &'static str| {
        [
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Grain prices climb"),
            ("slug", slug),
            ("body", "Text."),
        ]
    };
    let id = create(&site, &me, &fields("grain-prices")).await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let r = me
        .post(&site, &format!("{uri}/status"), &[("action", "publish")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.get("/en/analytics/grain-prices").await.assert_ok();
    for new in ["grain-prices-climb", "grain-prices-2026"] {
        let mut f = fields(new).to_vec();
        let rev = revision(&site, id).await;
        f.push(("revision", &rev));
        let r = me.post(&site, &uri, &f).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    site.settle().await;
    site.get("/en/analytics/grain-prices-2026")
        .await
        .assert_ok();
    for old in ["grain-prices", "grain-prices-climb"] {
        let r = site.get(&format!("/en/analytics/{old}")).await;
        assert_eq!(r.status, 301, "{old}");
        assert_eq!(r.location(), Some("/en/analytics/grain-prices-2026"));
    }
    assert_eq!(
        site.get("/ru/analytics/grain-prices").await.status,
        404,
        "old slugs are per edition"
    );
    // A slug another article of the edition uses is refused on its field.
    let other = create(&site, &me, &fields("taken-elsewhere")).await;
    let rev = revision(&site, other).await;
    let mut f = fields("grain-prices-2026").to_vec();
    f.push(("revision", &rev));
    let r = me
        .post(&site, &format!("/newsroom/articles/{}", other.0), &f)
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-slug").is_some(), "{}", r.body);
}

#[tokio::test]
async fn an_old_revision_is_restored_as_a_new_one() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let id = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "First title"),
            ("body", "First text."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let first = revision(&site, id).await;
    let r = me
        .post(
            &site,
            &uri,
            &[
                ("revision", &first),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Second title"),
                ("body", "Second text."),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let second = revision(&site, id).await;
    let diff = me.get(&site, &format!("{uri}/revisions/{first}")).await;
    assert!(
        diff.testid("restore").is_some(),
        "an older revision offers a restore"
    );
    let newest = me.get(&site, &format!("{uri}/revisions/{second}")).await;
    assert!(
        newest.testid("restore").is_none(),
        "the current one does not"
    );

    // Based on a stale revision: refused like any save, nothing changes.
    let r = me
        .post(
            &site,
            &format!("{uri}/revisions/{first}/restore"),
            &[("revision", &first)],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.testid("conflict").is_some());
    assert_eq!(
        site.store().article(id).await.unwrap().title,
        "Second title"
    );

    let current = revision(&site, id).await;
    let r = me
        .post(
            &site,
            &format!("{uri}/revisions/{first}/restore"),
            &[("revision", &current)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let a = site.store().article(id).await.unwrap();
    assert_eq!(
        (a.title.as_str(), a.body_markdown.as_str()),
        ("First title", "First text.")
    );
    let restored = revision(&site, id).await;
    assert_ne!(restored, current, "the restore is a new revision");
    // Unknown revisions, and other people's articles, are not restorable.
    let r = me
        .post(
            &site,
            &format!("{uri}/revisions/999999/restore"),
            &[("revision", &restored)],
        )
        .await;
    assert_eq!(r.status, 404);
    let (_, other) = login_as(&site, "bob@example.org", Role::Contributor).await;
    let r = other
        .post(
            &site,
            &format!("{uri}/revisions/{first}/restore"),
            &[("revision", &restored)],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn create_translation_starts_a_linked_draft_in_another_edition() {
    let site = TestSite::demo().await;
    let (me_user, me) = login_as(&site, "ann@example.org", Role::Contributor).await;
    let source = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Harvest report"),
            ("subtitle", "Wheat up"),
            ("body", "The harvest was good."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", source.0);
    let edit = me.get(&site, &uri).await;
    assert!(edit.testid("translate").is_some());
    for (edition, message) in [
        ("en", "choose another edition than the article"),
        ("xx", "there is no edition &quot;xx&quot;"),
    ] {
        let r = me
            .post(&site, &format!("{uri}/translate"), &[("edition", edition)])
            .await;
        assert_eq!(r.status, 400, "{edition}");
        assert_eq!(
            r.testid("error-translation")
                .as_deref()
                .map(|e| e.contains(message)),
            Some(true),
            "{edition}: {}",
            r.body
        );
    }
    let r = me
        .post(&site, &format!("{uri}/translate"), &[("edition", "ru")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r
        .location()
        .unwrap()
        .trim_start_matches("/newsroom/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (a, b) = (
        site.store().article(source).await.unwrap(),
        site.store().article(ArticleId(id)).await.unwrap(),
    );
    assert_eq!(b.edition, "ru");
    assert_eq!(b.status, ArticleStatus::Draft);
    assert_eq!(
        (b.title.as_str(), b.body_markdown.as_str()),
        ("Harvest report", "The harvest was good.")
    );
    assert_eq!(a.translation_group, b.translation_group, "linked");
    assert_eq!(
        site.store()
            .article_meta(ArticleId(id))
            .await
            .unwrap()
            .owner,
        Some(me_user.id)
    );
    // Someone else's article cannot be translated by a contributor.
    let (_, other) = login_as(&site, "bob@example.org", Role::Contributor).await;
    let r = other
        .post(&site, &format!("{uri}/translate"), &[("edition", "hy")])
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn autosave_answers_json_and_refuses_stale_saves_keeping_the_text() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let id = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Autosaved"),
            ("body", "Draft one."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let edit = me.get(&site, &uri).await;
    assert_eq!(
        attr(
            select_one(&edit.html(), "form#article-form"),
            "data-autosave"
        ),
        format!("{uri}/autosave")
    );
    let first = revision(&site, id).await;
    let fields = |rev: &str, body: &str| {
        vec![
            ("revision".to_owned(), rev.to_owned()),
            ("edition".to_owned(), "en".to_owned()),
            ("section".to_owned(), "analytics".to_owned()),
            ("title".to_owned(), "Autosaved".to_owned()),
            ("body".to_owned(), body.to_owned()),
        ]
    };
    let auto = format!("{uri}/autosave");
    let post = async |f: Vec<(String, String)>| {
        let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = me.post(&site, &auto, &borrowed).await;
        let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        (r.status, json)
    };
    let (status, json) = post(fields(&first, "Draft two.")).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["saved"], true);
    let second = json["revision"].as_i64().unwrap();
    assert_eq!(second.to_string(), revision(&site, id).await);
    assert_eq!(
        site.store().article(id).await.unwrap().body_markdown,
        "Draft two."
    );
    // A second tab still based on the first revision: refused, its text kept.
    let (status, json) = post(fields(&first, "Other tab's text.")).await;
    assert_eq!(status, 409, "{json}");
    assert_eq!(json["conflict"], true);
    assert_eq!(json["current_revision"].as_i64(), Some(second));
    let kept = site
        .store()
        .revision(json["kept"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(kept.body_markdown, "Other tab's text.");
    assert!(!kept.accepted);
    assert_eq!(
        site.store().article(id).await.unwrap().body_markdown,
        "Draft two."
    );
    // Bad input: field messages, nothing saved.
    let mut bad = fields(&second.to_string(), "x");
    bad[3].1 = " ".into();
    let (status, json) = post(bad).await;
    assert_eq!(status, 400);
    assert!(json["errors"]["title"].is_string(), "{json}");
}

#[tokio::test]
async fn pasted_rich_text_becomes_markdown_and_the_preview_is_the_site_renderer() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Contributor).await;
    let html = "<html><head><style>p{color:red}</style></head><body>\
        <h2>Harvest</h2><p>Wheat is <b>up</b> and <i>rye</i> <a href=\"https://example.org/x\">too</a>.</p>\
        <ul><li>one</li><li>two</li></ul><script>alert(1)</script></body></html>";
    let r = me.post(&site, "/newsroom/paste", &[("html", html)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let md = json["markdown"].as_str().unwrap();
    assert!(md.contains("## Harvest"), "{md}");
    assert!(
        md.contains("**up**") && (md.contains("_rye_") || md.contains("*rye*")),
        "{md}"
    );
    assert!(md.contains("[too](https://example.org/x)"), "{md}");
    assert!(md.contains("one") && md.contains("two"), "{md}");
    assert!(!md.contains("alert") && !md.contains("color:red"), "{md}");
    // Signed-out: no.
    let r = site
        .request(
            axum::http::Request::post("/newsroom/paste")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("html=%3Cb%3Ex%3C%2Fb%3E"))
                .unwrap(),
        )
        .await;
    assert_ne!(r.status, 200);

    // The live preview: the site's renderer, sanitized, with a word count.
    let r = me
        .post(
            &site,
            "/newsroom/render",
            &[("body", "## Title\n\nOne two three <script>alert(1)</script>\n\nhttps://youtu.be/dQw4w9WgXcQ\n")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let html = json["html"].as_str().unwrap();
    assert!(html.contains("<h2>Title</h2>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("data-embed=\"youtube\""), "{html}");
    assert!(json["words"].as_u64().unwrap() >= 4, "{json}");
    assert_eq!(json["minutes"], 1);
    let r = me
        .post(&site, "/newsroom/render", &[("body", "![x](media:424242)")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("media:424242"), "{}", r.body);
}

/// Tags are chosen from the outlet's list (by slug or by name, any case); editors add a
/// new one from the editor by naming it (`+Name`), a contributor is told they may not.
#[tokio::test]
async fn editors_add_tags_inline_and_contributors_choose() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let fields = |tags: &'static str| {
        [
            ("edition", "ru"),
            ("section", "analytics"),
            ("title", "Порт и город"),
            ("body", "Текст."),
            ("tags", tags),
        ]
    };
    let id = create(&site, &editor, &fields("+Портовое управление")).await;
    let catalog = site.content().catalog();
    let tag = catalog
        .tag_by_slug("portovoe-upravlenie")
        .expect("the tag was made, its slug from its name");
    assert_eq!(tag.name.get("ru"), "Портовое управление");
    assert_eq!(site.store().article(id).await.unwrap().tags, [tag.id]);

    // A contributor chooses it by name, in any case; may not add one.
    let theirs = create(&site, &writer, &fields("портовое УПРАВЛЕНИЕ")).await;
    assert_eq!(site.store().article(theirs).await.unwrap().tags, [tag.id]);
    let before = site.content().catalog().tags.len();
    for tags in ["+Новый тег", "no-such-tag"] {
        let r = writer
            .post(&site, "/newsroom/articles/new", &fields(tags))
            .await;
        assert_eq!(r.status, 400, "{tags}");
        assert!(r.testid("error-tags").is_some(), "{tags}");
        assert!(
            r.body.contains("Порт и город"),
            "the form comes back as typed"
        );
    }
    assert_eq!(site.content().catalog().tags.len(), before, "no tag made");
    // A new name whose address is a tag's already: that tag, never renamed; a name
    // without letters or digits: refused.
    let existing = site.content().catalog().tags[0].clone();
    let clash = format!("+{}!!", existing.slug.as_str().to_uppercase());
    let clash: &'static str = Box::leak(clash.into_boxed_str());
    let id = create(&site, &editor, &fields(clash)).await;
    assert_eq!(site.store().article(id).await.unwrap().tags, [existing.id]);
    let after = site
        .content()
        .catalog()
        .tag_by_slug(existing.slug.as_str())
        .unwrap()
        .clone();
    assert_eq!(after.name, existing.name, "not renamed");
    let r = editor
        .post(&site, "/newsroom/articles/new", &fields("+!!!"))
        .await;
    assert_eq!(r.status, 400);
    // The editor's form offers the way; the contributor's does not.
    let r = editor.get(&site, "/newsroom/articles/new").await;
    assert!(r.body.contains("data-may-create"));
    let r = writer.get(&site, "/newsroom/articles/new").await;
    assert!(!r.body.contains("data-may-create"));
}

/// The editor's field messages are in the writer's language: exact in English, the
/// field's rule in Russian and Armenian; the form comes back as typed.
#[tokio::test]
async fn field_messages_speak_the_writers_language() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let fields = [
        ("edition", "en"),
        ("section", "analytics"),
        ("title", "   "),
        ("body", "Текст, который нельзя потерять."),
    ];
    let mut unknown_tag = fields.to_vec();
    unknown_tag[2] = ("title", "A title");
    unknown_tag.push(("tags", "no-such-tag"));
    let r = me
        .post_lang(&site, "/newsroom/articles/new", &unknown_tag, "hy")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-tags")).trim(),
        crate::common::fluent("hy", "newsroom-error-tags")
    );
    for lang in ["ru", "hy"] {
        let r = me
            .post_lang(&site, "/newsroom/articles/new", &fields, lang)
            .await;
        assert_eq!(r.status, 400);
        let html = r.html();
        let shown = text(testid(&html, "error-title")).trim().to_owned();
        assert_eq!(shown, crate::common::fluent(lang, "newsroom-error-title"));
        assert!(r.body.contains("Текст, который нельзя потерять."));
    }
    let r = me
        .post_lang(&site, "/newsroom/articles/new", &fields, "en")
        .await;
    assert_eq!(r.status, 400);
    assert!(
        !text(testid(&r.html(), "error-title")).starts_with("A title is needed"),
        "English keeps the service's exact words"
    );
}

/// An article deleted by someone else while its writer has it open: the save says so
/// (410), and what was typed comes back to be copied; the autosave says so too.
#[tokio::test]
async fn a_save_after_someone_deleted_the_article_gives_the_text_back() {
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Author).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let (_, other) = login_as(&site, "other@example.org", Role::Contributor).await;
    let id = create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Soon gone"),
            ("body", "First words."),
        ],
    )
    .await;
    let page = format!("/newsroom/articles/{}", id.0);
    let revision = revision(&site, id).await;
    let r = editor
        .post(&site, &format!("{page}/status"), &[("action", "delete")])
        .await;
    assert_eq!(r.status, 303);
    let typed = [
        ("revision", revision.as_str()),
        ("edition", "en"),
        ("section", "analytics"),
        ("title", "Soon gone"),
        ("body", "Words typed after the delete, not to be lost."),
    ];
    let r = writer.post_lang(&site, &page, &typed, "ru").await;
    assert_eq!(r.status, 410, "{}", r.body);
    assert_eq!(
        text(testid(&r.html(), "deleted-while-open")),
        crate::common::fluent("ru", "newsroom-deleted-text")
    );
    assert_eq!(
        text(testid(&r.html(), "kept-body")),
        "Words typed after the delete, not to be lost."
    );
    let r = writer
        .post(&site, &format!("{page}/autosave"), &typed)
        .await;
    assert_eq!(r.status, 410);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["deleted"], true);
    // Someone who could not edit it is told nothing about it.
    assert_eq!(other.post(&site, &page, &typed).await.status, 403);
}

/// In review, the editor's buttons say what they decide ("Approve and schedule",
/// "Approve and publish now", in the newsroom's three languages); the contributor who
/// submitted the same article is offered neither.
#[tokio::test]
async fn in_review_the_editor_approves_and_the_contributor_cannot() {
    use crate::common::fluent;
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let id = create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Waiting for the desk"),
            ("body", "Draft text."),
        ],
    )
    .await;
    let uri = format!("/newsroom/articles/{}", id.0);
    let r = writer
        .post(&site, &format!("{uri}/status"), &[("action", "submit")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::InReview
    );
    let buttons = |r: &TestResponse| {
        let html = r.html();
        within(select_one(&html, "section.nr-moves"), "button[type=submit]")
            .into_iter()
            .map(|b| text(b).trim().to_owned())
            .collect::<Vec<_>>()
    };
    for lang in ["en", "ru", "hy"] {
        let approve = [
            fluent(lang, "newsroom-move-approve-schedule"),
            fluent(lang, "newsroom-move-approve-publish"),
        ];
        let r = editor.get_lang(&site, &uri, lang).await;
        r.assert_ok();
        let shown = buttons(&r);
        for a in &approve {
            assert!(
                shown.contains(a),
                "{lang}: the editor sees {a:?} in {shown:?}"
            );
        }
        for plain in ["newsroom-move-schedule", "newsroom-move-publish"] {
            let plain = fluent(lang, plain);
            assert!(!shown.contains(&plain), "{lang}: not plain {plain:?}");
        }
        let r = writer.get_lang(&site, &uri, lang).await;
        r.assert_ok();
        for a in &approve {
            assert!(
                !r.body.contains(a.as_str()),
                "{lang}: the contributor has no {a:?}"
            );
        }
        assert!(!r.body.contains("nr-move-schedule") && !r.body.contains("nr-move-publish"));
    }
}

/// The editor names sections in the article's edition (a Russian draft's select reads
/// in Russian without any script), and each option carries its name in every edition
/// (`data-name-<edition>`) for the script to follow the edition select.
#[tokio::test]
async fn the_section_select_speaks_the_articles_edition() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let id = create(
        &site,
        &me,
        &[
            ("edition", "ru"),
            ("section", "analytics"),
            ("title", "Разделы по изданиям"),
            ("body", "Текст."),
        ],
    )
    .await;
    let r = me.get(&site, &format!("/newsroom/articles/{}", id.0)).await;
    r.assert_ok();
    let html = r.html();
    let options = crate::common::html::select(&html, "select#section option");
    let catalog = site.content().catalog();
    assert_eq!(options.len(), catalog.sections.len());
    for (option, section) in options.iter().zip(&catalog.sections) {
        assert_eq!(attr(*option, "value"), section.slug.as_str());
        assert_eq!(text(*option).trim(), section.name.get("ru"));
        for edition in ["en", "ru", "hy"] {
            assert_eq!(
                attr(*option, &format!("data-name-{edition}")),
                section.name.get(edition)
            );
        }
    }
    let chosen = select_one(&html, "select#section option[selected]");
    assert_eq!(text(chosen).trim(), "Аналитика");
}
