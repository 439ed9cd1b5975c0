//! The newsroom speaks its editor's language everywhere, not only in its templates: the
//! autosave's answers, the pictures dialog, refused requests and the forms' field
//! messages come in Russian or Armenian to an editor whose browser asks for them.

use crate::articles::{create, revision};
use crate::client::login_as;
use crate::common::html::{attr, select_one, testid, text};
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

/// The accounts, password, redirect and API forms give their field messages in the
/// editor's language, as the article editor does; English keeps the service's words.
#[tokio::test]
async fn account_password_redirect_and_api_forms_speak_the_editors_language() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let field = |r: &crate::common::TestResponse, id: &str| text(testid(&r.html(), id));

    let account = |email: &'static str, password: &'static str| {
        vec![
            ("email", email),
            ("name", "New Colleague"),
            ("role", "author"),
            ("password", password),
        ]
    };
    let r = admin
        .post_lang(&site, "/newsroom/users", &account("no address", ""), "ru")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        field(&r, "error-email"),
        fluent("ru", "newsroom-error-email")
    );
    let r = admin
        .post_lang(
            &site,
            "/newsroom/users",
            &account("new@example.org", "short"),
            "hy",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        field(&r, "error-password"),
        fluent("hy", "newsroom-error-password")
    );
    let r = admin
        .post(&site, "/newsroom/users", &account("no address", ""))
        .await;
    assert_eq!(
        field(&r, "error-email"),
        "enter an e-mail address like name@example.org",
        "English keeps the service's words"
    );

    let r = admin
        .post_lang(
            &site,
            "/newsroom/password",
            &[
                ("current", "not the password at all"),
                ("new", "a brand new password"),
                ("repeat", "a brand new password"),
            ],
            "hy",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        field(&r, "error-current"),
        fluent("hy", "newsroom-error-current")
    );

    let r = admin
        .post_lang(
            &site,
            "/newsroom/redirects",
            &[("from", "no slash"), ("to", "/en/")],
            "ru",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(field(&r, "error-from"), fluent("ru", "newsroom-error-from"));

    let r = admin
        .post_lang(&site, "/newsroom/api/keys", &[("name", "")], "ru")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        field(&r, "error-name"),
        fluent("ru", "newsroom-error-api-name")
    );
    let r = admin
        .post_lang(&site, "/newsroom/api/tokens", &[("name", "")], "hy")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        field(&r, "error-name"),
        fluent("hy", "newsroom-error-api-name")
    );
}
