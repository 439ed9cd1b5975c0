//! Internal notes on articles: staff who may open an article read and add its notes;
//! a refused note keeps its text; readers never see a note (page, feed, API).

use crate::client::{add_user, login};
use crate::common::html::{select, testid, text};
use crate::common::{TestSite, fluent};
use byline_content::{ArticleForm, Transition};
use byline_core::Role;

fn form() -> ArticleForm {
    ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: "A story with a conversation".into(),
        slug: "a-story-with-a-conversation".into(),
        body: "What readers read.".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn staff_talk_about_a_story_in_notes_readers_never_see() {
    let site = TestSite::demo().await;
    let writer = add_user(&site, "writer@example.org", Role::Contributor).await;
    let editor = add_user(&site, "editor@example.org", Role::Editor).await;
    add_user(&site, "other@example.org", Role::Contributor).await;
    let (id, _) = site.content().create_draft(&writer, &form()).await.unwrap();
    let uri = format!("/newsroom/articles/{}", id.0);

    // The editor leaves a note; the writer reads it on their article and answers.
    let e = login(&site, "editor@example.org").await;
    let posted = e
        .post(
            &site,
            &format!("{uri}/notes"),
            &[(
                "note",
                "Source for the second figure? <script>alert(1)</script>",
            )],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    assert_eq!(posted.location(), Some(format!("{uri}#notes").as_str()));
    let w = login(&site, "writer@example.org").await;
    w.post(
        &site,
        &format!("{uri}/notes"),
        &[("note", "  The ministry's report, p. 4  ")],
    )
    .await;
    let page = w.get(&site, &uri).await;
    page.assert_ok();
    let html = page.html();
    let notes: Vec<String> = select(&html, "[data-testid=note] .nr-note-body")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        notes,
        [
            "Source for the second figure? <script>alert(1)</script>",
            "The ministry's report, p. 4"
        ]
    );
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    let authors: Vec<String> = select(&html, "[data-testid=note] .nr-note-meta strong")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        authors,
        [editor.display_name.clone(), writer.display_name.clone()]
    );

    // Someone who may not open the article may neither read nor add notes.
    let o = login(&site, "other@example.org").await;
    let refused = o
        .post(
            &site,
            &format!("{uri}/notes"),
            &[("note", "Not mine to say")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("Source for the second figure"));
    assert_eq!(site.store().notes(id).await.unwrap().len(), 2);

    // Published: the page, the feed and the Content API show no note.
    site.content()
        .transition(&editor, id, Transition::Publish)
        .await
        .unwrap();
    site.settle().await;
    for path in [
        "/en/analytics/a-story-with-a-conversation".to_owned(),
        "/en/feed.atom".to_owned(),
    ] {
        let public = site.get(&path).await;
        public.assert_ok();
        assert!(
            public.body.contains("A story with a conversation"),
            "{path}"
        );
        assert!(
            !public.body.contains("Source for the second figure"),
            "{path}"
        );
        assert!(!public.body.contains("ministry's report"), "{path}");
    }
    let key = byline_content::api_access::create_api_key(site.store().as_ref(), None, "app")
        .await
        .unwrap()
        .text;
    let api = site
        .get_with(
            &format!("/api/v1/articles/{}", id.0),
            "authorization",
            &format!("Bearer {key}"),
        )
        .await;
    api.assert_ok();
    assert!(api.body.contains("A story with a conversation"));
    assert!(!api.body.contains("Source for the second figure"));
    assert!(!api.body.contains("ministry"));
}

#[tokio::test]
async fn a_refused_note_keeps_its_text_and_says_why() {
    let site = TestSite::demo().await;
    let writer = add_user(&site, "writer@example.org", Role::Contributor).await;
    let (id, _) = site.content().create_draft(&writer, &form()).await.unwrap();
    let uri = format!("/newsroom/articles/{}", id.0);
    let w = login(&site, "writer@example.org").await;

    let long = "слово ".repeat(700);
    for typed in ["   ", long.as_str()] {
        let refused = w
            .post_lang(&site, &format!("{uri}/notes"), &[("note", typed)], "ru")
            .await;
        assert_eq!(refused.status, 400);
        let html = refused.html();
        assert_eq!(
            text(testid(&html, "error-note")),
            fluent("ru", "newsroom-note-invalid")
        );
        assert_eq!(
            text(select(&html, "textarea#note")[0]),
            typed.split_whitespace().collect::<Vec<_>>().join(" "),
            "the note as typed"
        );
    }
    assert!(site.store().notes(id).await.unwrap().is_empty());

    // No such article, an id that is not one, no CSRF token: a clear refusal, no note.
    let missing = w
        .post(
            &site,
            "/newsroom/articles/99999999/notes",
            &[("note", "Hello")],
        )
        .await;
    assert_eq!(missing.status, 404);
    let garbage = w
        .post(&site, "/newsroom/articles/abc/notes", &[("note", "Hello")])
        .await;
    assert!(
        garbage.status == 400 || garbage.status == 404,
        "{}",
        garbage.status
    );
    let forged = w
        .post_raw(&site, &format!("{uri}/notes"), "note=Forged")
        .await;
    assert_eq!(forged.status, 403);
    assert!(site.store().notes(id).await.unwrap().is_empty());
}
