//! Site settings for admins: name, time zone, attribution line, social and app links.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{attrs, field, select, select_one, testid, text, texts, within};
use byline_core::Role;

#[tokio::test]
async fn admins_set_links_and_the_attribution_line_with_field_messages() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let page = admin.get(&site, "/newsroom/settings").await;
    page.assert_ok();
    for name in [
        "social.x",
        "social.telegram",
        "apps.ios",
        "attribution.en",
        "attribution.hy",
    ] {
        field(&page.html(), name);
    }
    let base = [("name", "Meridian"), ("timezone", "Europe/Berlin")];
    let mut bad = base.to_vec();
    bad.extend([
        ("social.x", "javascript:alert(1)"),
        ("attribution.en", "Kept line"),
    ]);
    let r = admin.post(&site, "/newsroom/settings", &bad).await;
    assert_eq!(r.status, 400);
    let doc = r.html();
    assert!(text(testid(&doc, "error-social.x")).contains("https://"));
    assert_eq!(
        field(&doc, "social.x"),
        "javascript:alert(1)",
        "what was typed is kept"
    );
    assert_eq!(field(&doc, "attribution.en"), "Kept line");
    assert!(
        !site
            .store()
            .settings()
            .await
            .unwrap()
            .social
            .get("x")
            .is_some_and(|v| v.starts_with("javascript"))
    );

    let long = "y".repeat(301);
    let mut too_long = base.to_vec();
    too_long.push(("attribution.ru", &long));
    let r = admin.post(&site, "/newsroom/settings", &too_long).await;
    assert_eq!(r.status, 400);
    assert!(
        r.testid("error-attribution")
            .unwrap()
            .contains("ru attribution")
    );

    let mut good = base.to_vec();
    good.extend([
        ("social.x", "https://x.com/meridian"),
        ("social.youtube", ""),
        (
            "apps.android",
            "https://play.google.com/store/apps/details?id=news.meridian",
        ),
        ("attribution.en", "Reporting by the Meridian desk"),
    ]);
    let r = admin.post(&site, "/newsroom/settings", &good).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let s = site.store().settings().await.unwrap();
    assert_eq!(
        s.social.get("x").map(String::as_str),
        Some("https://x.com/meridian")
    );
    assert!(
        !s.social.contains_key("youtube"),
        "an empty link is removed"
    );
    assert_eq!(
        s.apps.get("android").map(String::as_str),
        Some("https://play.google.com/store/apps/details?id=news.meridian")
    );
    assert_eq!(s.attribution.get("en"), "Reporting by the Meridian desk");
    assert_eq!(s.timezone, "Europe/Berlin");
    let page = admin.get(&site, "/newsroom/settings?saved=1").await;
    assert!(page.testid("saved").is_some());
    assert_eq!(field(&page.html(), "social.x"), "https://x.com/meridian");
    // Editors may not.
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    assert_eq!(editor.get(&site, "/newsroom/settings").await.status, 403);
    assert_eq!(
        editor.post(&site, "/newsroom/settings", &good).await.status,
        403
    );
}

#[tokio::test]
async fn admins_rename_reorder_and_add_editions_but_cannot_remove_one() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let page = admin.get(&site, "/newsroom/settings").await;
    field(&page.html(), "editions");
    let base = [("name", "Meridian"), ("timezone", "UTC")];
    for (typed, message) in [
        (
            "ru Русский\nen English",
            "the edition hy cannot be removed here",
        ),
        (
            "en English\nru Русский\nhy Հայերեն\nEN Again",
            "\"EN\" is not a language code",
        ),
        (
            "en English\nru Русский\nhy Հայերեն\nru Again",
            "the edition ru is listed twice",
        ),
        ("en English\nru\nhy Հայերեն", "write the ru edition"),
    ] {
        let mut f = base.to_vec();
        f.push(("editions", typed));
        let r = admin.post(&site, "/newsroom/settings", &f).await;
        assert_eq!(r.status, 400, "{typed}");
        let error = text(testid(&r.html(), "error-editions"));
        assert!(error.contains(message), "{typed}: {error}");
    }
    let mut f = base.to_vec();
    f.push((
        "editions",
        "hy Հայերեն\nen English edition\nru Русский\nde Deutsch",
    ));
    let r = admin.post(&site, "/newsroom/settings", &f).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let editions: Vec<(String, String)> = site
        .store()
        .settings()
        .await
        .unwrap()
        .editions
        .into_iter()
        .map(|e| (e.code, e.name))
        .collect();
    assert_eq!(
        editions,
        [
            ("hy", "Հայերեն"),
            ("en", "English edition"),
            ("ru", "Русский"),
            ("de", "Deutsch"),
        ]
        .map(|(c, n)| (c.to_owned(), n.to_owned()))
    );
}

#[tokio::test]
async fn editors_add_sections_and_tags_with_field_messages_keeping_what_was_typed() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let long = "n".repeat(201);
    for (path, slug, name, testid, kept) in [
        (
            "/newsroom/tags",
            "Bad Slug",
            "Kept tag name",
            "error-tag-slug",
            "Kept tag name",
        ),
        (
            "/newsroom/tags",
            "fine-tag",
            long.as_str(),
            "error-tag-name",
            "fine-tag",
        ),
        (
            "/newsroom/sections",
            "fine-section",
            "   ",
            "error-section-name",
            "fine-section",
        ),
        (
            "/newsroom/sections",
            "newsroom",
            "Kept section name",
            "error-section-slug",
            "Kept section name",
        ),
    ] {
        let r = editor
            .post(&site, path, &[("slug", slug), ("name", name)])
            .await;
        let case = format!("{path} {slug:?}");
        assert_eq!(r.status, 400, "{case}: {}", r.body);
        assert!(r.testid(testid).is_some(), "{case}: {}", r.body);
        let typed = attrs(
            select_one(&r.html(), "main"),
            "input[name=slug], input[name=name]",
            "value",
        );
        assert!(
            typed.contains(&kept.to_owned()),
            "{case}: what was typed is kept: {typed:?}"
        );
    }
    let tags = site.store().tags().await.unwrap();
    assert!(!tags.iter().any(|t| t.slug.as_str() == "fine-tag"));
    let sections = site.store().sections().await.unwrap();
    assert!(!sections.iter().any(|s| s.slug.as_str() == "fine-section"));

    let r = editor
        .post(
            &site,
            "/newsroom/sections",
            &[("slug", "fine-section"), ("name", "Fine section")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = editor.get(&site, "/newsroom/taxonomy").await;
    page.assert_ok();
    let sections = texts(&within(select(&page.html(), "ul.nr-list")[0], "li"));
    assert!(
        sections.contains(&"fine-section Fine section".to_owned()),
        "the editor sees the new section at once: {sections:?}"
    );
    let r = editor
        .post(
            &site,
            "/newsroom/articles/new",
            &[
                ("edition", "en"),
                ("section", "fine-section"),
                ("title", "In the new section"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "a new section is usable at once: {}", r.body);
}
