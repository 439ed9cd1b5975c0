//! Static pages in the newsroom: editors write, publish, place in the footer and delete
//! them; the reader site follows; refused input comes back with its message and the
//! typed text; lower roles are refused.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{field, select, select_one, testid, text, texts, within};
use byline_core::Role;

fn footer_titles(page: &crate::common::TestResponse) -> Vec<String> {
    let html = page.html();
    select(&html, "[data-testid=footer-pages] a")
        .into_iter()
        .map(text)
        .collect()
}

#[tokio::test]
async fn an_editor_writes_publishes_orders_and_deletes_a_page() {
    let site = TestSite::empty().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let list = editor.get(&site, "/newsroom/pages").await;
    list.assert_ok();
    testid(&list.html(), "no-pages");

    // A draft is not on the site.
    let r = editor
        .post(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", "Terms of use"),
                ("slug", ""),
                ("body", "Be kind.\n\n<script>alert(1)</script>"),
                ("status", "draft"),
                ("footer_position", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let terms_url = r.location().unwrap().to_owned();
    assert!(terms_url.starts_with("/newsroom/pages/"), "{terms_url}");
    let form = editor.get(&site, &terms_url).await;
    form.assert_ok();
    assert_eq!(
        field(&form.html(), "slug"),
        "terms-of-use",
        "slug made from the title"
    );
    testid(&form.html(), "saved");
    site.settle().await;
    assert_eq!(site.get("/en/page/terms-of-use").await.status, 404);
    assert!(footer_titles(&site.get("/en/").await).is_empty());

    // Published, it is served with its body sanitized and joins the footer.
    let id = terms_url
        .trim_start_matches("/newsroom/pages/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let r = editor
        .post(
            &site,
            &format!("/newsroom/pages/{id}"),
            &[
                ("edition", "en"),
                ("title", "Terms of use"),
                ("slug", "terms"),
                ("body", "Be kind.\n\n<script>alert(1)</script>"),
                ("status", "published"),
                ("footer_position", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = editor
        .post(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", "About us"),
                ("slug", "about"),
                ("body", "We write."),
                ("status", "published"),
                ("footer_position", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Published but outside the footer.
    editor
        .post(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", "Imprint"),
                ("slug", "imprint"),
                ("body", "Registered here."),
                ("status", "published"),
                ("footer_position", ""),
            ],
        )
        .await;
    site.settle().await;
    let page = site.get("/en/page/terms").await;
    page.assert_ok();
    let html = page.html();
    assert_eq!(text(select_one(&html, "h1")), "Terms of use");
    let body = select_one(&html, "[data-testid=body]");
    assert!(
        within(body, "script").is_empty(),
        "sanitized: {}",
        body.html()
    );
    assert_eq!(
        footer_titles(&page),
        ["About us", "Terms of use"],
        "footer order is the editor's, pages outside the footer are not in it"
    );
    assert_eq!(site.get("/en/page/imprint").await.status, 200);
    assert_eq!(site.get("/en/page/terms-of-use").await.status, 404);
    // One edition: the English page is not in the Russian footer or edition.
    assert!(footer_titles(&site.get("/ru/").await).is_empty());
    assert_eq!(site.get("/ru/page/terms").await.status, 404);

    // The newsroom list shows all three with their places.
    let list = editor.get(&site, "/newsroom/pages").await;
    let html = list.html();
    let rows = select(&html, "[data-testid=pages] tbody tr");
    assert_eq!(rows.len(), 3);
    assert_eq!(
        texts(&select(
            &html,
            "[data-testid=pages] tbody tr td:first-child a"
        )),
        ["About us", "Terms of use", "Imprint"]
    );

    // Reordered: the cached front page follows.
    let about_id = select(&html, "[data-testid=pages] tbody tr")
        .into_iter()
        .find(|r| text(*r).contains("About us"))
        .map(|r| r.value().attr("data-page").unwrap().to_owned())
        .unwrap();
    editor
        .post(
            &site,
            &format!("/newsroom/pages/{about_id}"),
            &[
                ("edition", "en"),
                ("title", "About us"),
                ("slug", "about"),
                ("body", "We write."),
                ("status", "published"),
                ("footer_position", "9"),
            ],
        )
        .await;
    site.settle().await;
    assert_eq!(
        footer_titles(&site.get("/en/").await),
        ["Terms of use", "About us"]
    );

    // Deleted: gone from the site and the footer.
    let r = editor
        .post(&site, &format!("/newsroom/pages/{about_id}/delete"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/newsroom/pages?deleted=1"));
    site.settle().await;
    assert_eq!(site.get("/en/page/about").await.status, 404);
    assert_eq!(footer_titles(&site.get("/en/").await), ["Terms of use"]);
    assert_eq!(
        editor
            .get(&site, &format!("/newsroom/pages/{about_id}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn refused_page_input_keeps_the_typed_text_and_names_the_field() {
    let site = TestSite::empty().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let ok = [
        ("edition", "en"),
        ("title", "Contacts"),
        ("slug", "contacts"),
        ("body", "Write to us."),
        ("status", "published"),
        ("footer_position", "1"),
    ];
    assert_eq!(
        editor.post(&site, "/newsroom/pages/new", &ok).await.status,
        303
    );
    let typed = "A long text the editor must not lose.";
    let cases: [(&str, &str, &str); 8] = [
        ("footer_position", "first", "footer_position"),
        ("footer_position", "100000", "footer_position"),
        ("footer_position", "-1", "footer_position"),
        ("status", "scheduled", "status"),
        ("edition", "de", "edition"),
        ("title", "   ", "title"),
        ("slug", "Not A Slug!", "slug"),
        // Another page of the edition has this address.
        ("slug", "contacts", "slug"),
    ];
    for (name, value, error) in cases {
        let mut fields: Vec<(&str, &str)> = ok
            .iter()
            .map(|&(k, v)| (k, if k == "body" { typed } else { v }))
            .collect();
        for f in fields.iter_mut() {
            if f.0 == name {
                f.1 = value;
            }
        }
        let r = editor.post(&site, "/newsroom/pages/new", &fields).await;
        assert_eq!(r.status, 400, "{name}={value}: {}", r.body);
        let html = r.html();
        let message = text(testid(&html, &format!("error-{error}")));
        assert!(!message.is_empty(), "{name}={value}");
        assert_eq!(
            text(select_one(&html, "textarea#body")),
            typed,
            "{name}={value}: the body comes back"
        );
    }
    // A body nested too deep is refused the same way.
    let deep = format!("{}x", ">".repeat(5_000));
    let mut fields = ok.to_vec();
    fields[2] = ("slug", "other");
    fields[3] = ("body", deep.as_str());
    let r = editor.post(&site, "/newsroom/pages/new", &fields).await;
    assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(300)]);
    testid(&r.html(), "error-body");
    // A form larger than the server takes is a 413 before any handler runs.
    let big = "a".repeat(byline_core::limits::MAX_BODY_BYTES + 1);
    fields[3] = ("body", big.as_str());
    let r = editor.post(&site, "/newsroom/pages/new", &fields).await;
    assert_eq!(r.status, 413);
    assert_eq!(site.content().published_pages(None).await.unwrap().len(), 1);
    // Not a page at all.
    assert_eq!(editor.get(&site, "/newsroom/pages/99999").await.status, 404);
    assert_eq!(editor.get(&site, "/newsroom/pages/x").await.status, 404);
    assert_eq!(
        editor
            .post(&site, "/newsroom/pages/99999", &ok)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn authors_and_contributors_cannot_touch_pages() {
    let site = TestSite::empty().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let r = admin
        .post(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", "About"),
                ("slug", "about"),
                ("body", "We write."),
                ("status", "published"),
                ("footer_position", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = r.location().unwrap().split('?').next().unwrap().to_owned();
    for role in [Role::Author, Role::Contributor] {
        let (_, user) = login_as(&site, &format!("{role}@example.org"), role).await;
        let home = user.get(&site, "/newsroom").await;
        assert!(
            select(&home.html(), "a[href='/newsroom/pages']").is_empty(),
            "{role} has no Pages link"
        );
        assert_eq!(
            user.get(&site, "/newsroom/pages").await.status,
            403,
            "{role}"
        );
        assert_eq!(
            user.get(&site, "/newsroom/pages/new").await.status,
            403,
            "{role}"
        );
        assert_eq!(user.get(&site, &page).await.status, 403, "{role}");
        let r = user
            .post(
                &site,
                &page,
                &[
                    ("edition", "en"),
                    ("title", "Defaced"),
                    ("slug", "about"),
                    ("body", "x"),
                    ("status", "published"),
                    ("footer_position", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 403, "{role}");
        assert_eq!(
            user.post(&site, &format!("{page}/delete"), &[])
                .await
                .status,
            403,
            "{role}"
        );
    }
    site.settle().await;
    let about = site.get("/en/page/about").await;
    about.assert_ok();
    assert_eq!(text(select_one(&about.html(), "h1")), "About");
}

/// The static page editor and the settings answer in the newsroom's language too.
#[tokio::test]
async fn page_and_settings_messages_speak_the_editors_language() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let r = admin
        .post_lang(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", ""),
                ("slug", "imprint"),
                ("body", "Kept as typed."),
                ("status", "draft"),
                ("footer_position", ""),
            ],
            "ru",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-title")).trim(),
        crate::common::fluent("ru", "newsroom-error-title")
    );
    assert!(r.body.contains("Kept as typed."));
    let r = admin
        .post_lang(
            &site,
            "/newsroom/settings",
            &[("name", "Meridian"), ("timezone", "Mars/Olympus")],
            "hy",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains(&crate::common::fluent("hy", "newsroom-error-timezone")),
        "{}",
        &r.body[..r.body.len().min(300)]
    );
}
