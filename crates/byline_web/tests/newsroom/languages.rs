//! The newsroom speaks its editor's language everywhere, not only in its templates: the
//! autosave's answers, the pictures dialog, refused requests and the forms' field
//! messages come in Russian or Armenian to an editor whose browser asks for them.

use crate::articles::{create, revision};
use crate::client::login_as;
use crate::common::html::{attr, select_one, text};
use crate::common::{TestSite, fluent};
use byline_core::Role;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn answers_outside_the_templates_speak_the_editors_language() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "desk@example.org", Role::Editor).await;
    let id = create(
        &site,
        &me,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Spoken"),
            ("body", "Draft one."),
        ],
    )
    .await;
    let page = format!("/newsroom/articles/{}", id.0);
    let first = revision(&site, id).await;
    let typed = |rev: &str, body: &str| {
        vec![
            ("revision".to_owned(), rev.to_owned()),
            ("edition".to_owned(), "en".to_owned()),
            ("section".to_owned(), "analytics".to_owned()),
            ("title".to_owned(), "Spoken".to_owned()),
            ("body".to_owned(), body.to_owned()),
        ]
    };
    let autosave = async |fields: Vec<(String, String)>, lang: &str| {
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = me
            .post_lang(&site, &format!("{page}/autosave"), &borrowed, lang)
            .await;
        (r.status, json(&r.body))
    };
    let (status, _) = autosave(typed(&first, "Draft two."), "ru").await;
    assert_eq!(status, 200);

    // A second tab, still on the first revision: the conflict is told in Russian.
    let (status, answer) = autosave(typed(&first, "The other tab."), "ru").await;
    assert_eq!(status, 409, "{answer}");
    let kept = answer["kept"].as_i64().unwrap().to_string();
    assert_eq!(
        answer["message"],
        fluent("ru", "newsroom-keep-conflict").replace("{ $revision }", &kept)
    );

    // A missing revision and an unknown action: refused in Armenian.
    let r = me
        .post_lang(
            &site,
            &page,
            &[("edition", "en"), ("title", "Spoken"), ("body", "x")],
            "hy",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(select_one(&r.html(), ".error-message")),
        fluent("hy", "newsroom-bad-form-revision")
    );
    let r = me
        .post_lang(&site, &format!("{page}/status"), &[("action", "fly")], "hy")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(select_one(&r.html(), ".error-message")),
        fluent("hy", "newsroom-bad-action")
    );

    // A published article is not autosaved, and says so in Armenian.
    let r = me
        .post(&site, &format!("{page}/status"), &[("action", "publish")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let now = revision(&site, id).await;
    let (status, answer) = autosave(typed(&now, "A correction."), "hy").await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["message"], fluent("hy", "newsroom-keep-published"));

    // The pictures dialog's refusal of a bad page number.
    let r = me
        .get_lang(&site, "/newsroom/media/pick?page=0", "ru")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        json(&r.body)["detail"],
        fluent("ru", "newsroom-list-error-page")
    );

    // The link button asks for its address in the editor's language.
    let edit = me.get_lang(&site, &page, "hy").await;
    edit.assert_ok();
    assert_eq!(
        attr(select_one(&edit.html(), "[data-md=link]"), "data-prompt"),
        fluent("hy", "newsroom-tool-link-prompt")
    );
}
