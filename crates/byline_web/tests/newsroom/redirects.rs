//! Redirects in the newsroom: admins list them a page at a time, filter, add their own
//! (replacing an import's) and remove them; readers follow them; others are refused.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{select, testid, text, texts};
use byline_content::RedirectOrigin;
use byline_core::Role;

#[tokio::test]
async fn admins_add_filter_page_and_remove_redirects_that_readers_follow() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    // An import's 150 old addresses: more than a page.
    for n in 0..150 {
        site.store()
            .save_redirect(
                &format!("/archive/{n:03}"),
                "/en/analytics",
                RedirectOrigin::Import,
            )
            .await
            .unwrap();
    }
    site.store()
        .save_redirect("/about-us", "/en/", RedirectOrigin::Import)
        .await
        .unwrap();
    let first = admin.get(&site, "/newsroom/redirects").await;
    first.assert_ok();
    let html = first.html();
    assert_eq!(select(&html, "[data-testid=redirects] tbody tr").len(), 100);
    let next = select(&html, "[data-testid=next]");
    let next = next[0].value().attr("href").unwrap().replace("&amp;", "&");
    let second = admin.get(&site, &next).await;
    let html = second.html();
    let rows = select(&html, "[data-testid=redirects] tbody tr td:first-child");
    assert_eq!(rows.len(), 51, "the rest, with none repeated");
    assert!(select(&html, "[data-testid=next]").is_empty());

    // An admin's redirect from a whole old URL replaces the import's.
    let r = admin
        .post(
            &site,
            "/newsroom/redirects",
            &[
                ("from", "https://old.example/About-Us/?utm_source=x"),
                ("to", "/en/page/about"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let listed = admin.get(&site, r.location().unwrap()).await;
    let html = listed.html();
    testid(&html, "done");
    assert_eq!(
        texts(&select(
            &html,
            "[data-testid=redirects] tbody tr td:first-child"
        )),
        ["/about-us"]
    );
    assert_eq!(
        text(select(&html, "[data-testid=redirects] tbody tr td:nth-child(3)")[0]),
        "an admin"
    );
    let moved = site.get("/About-Us/").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/en/page/about"));

    // Refused: addresses off the site, loops, garbage; the typed text comes back.
    for (from, to, field) in [
        ("/x", "https://evil.example/", "to"),
        ("/x", "//evil.example/", "to"),
        ("/x", "/\\evil.example/", "to"),
        ("/loop/", "/loop", "to"),
        ("no-slash", "/en/", "from"),
        ("/a\r\nb", "/en/", "from"),
    ] {
        let r = admin
            .post(&site, "/newsroom/redirects", &[("from", from), ("to", to)])
            .await;
        assert_eq!(r.status, 400, "{from} → {to}");
        let html = r.html();
        assert!(!text(testid(&html, &format!("error-{field}"))).is_empty());
        let typed_to = select(&html, "input#to")[0]
            .value()
            .attr("value")
            .unwrap_or("")
            .to_owned();
        assert_eq!(typed_to, to.trim(), "the typed address comes back");
    }

    // Removed: the old address is a 404 again.
    let r = admin
        .post(
            &site,
            "/newsroom/redirects/remove",
            &[("path", "/about-us")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(site.get("/about-us").await.status, 404);
    assert_eq!(
        admin
            .post(
                &site,
                "/newsroom/redirects/remove",
                &[("path", "/about-us")]
            )
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn only_admins_see_or_change_redirects() {
    let site = TestSite::demo().await;
    site.store()
        .save_redirect("/kept", "/en/", RedirectOrigin::Import)
        .await
        .unwrap();
    for role in [Role::Editor, Role::Author, Role::Contributor] {
        let (_, user) = login_as(&site, &format!("{role}@example.org"), role).await;
        assert_eq!(
            user.get(&site, "/newsroom/redirects").await.status,
            403,
            "{role}"
        );
        let r = user
            .post(
                &site,
                "/newsroom/redirects",
                &[("from", "/x"), ("to", "/en/")],
            )
            .await;
        assert_eq!(r.status, 403, "{role}");
        let r = user
            .post(&site, "/newsroom/redirects/remove", &[("path", "/kept")])
            .await;
        assert_eq!(r.status, 403, "{role}");
    }
    assert_eq!(site.get("/kept").await.status, 301);
    assert_eq!(site.get("/x").await.status, 404);
}
