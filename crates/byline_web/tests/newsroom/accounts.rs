//! Logging in and out, the session cookie, passwords, accounts and the audit log.

use crate::client::{PASSWORD, add_user, audit_rows, login, login_as, set_cookie, try_login};
use crate::common::TestSite;
use crate::common::html::{attr, lang, select_one, testid, text, within_one};
use byline_core::Role;

#[tokio::test]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    let site = TestSite::demo().await;
    add_user(&site, "Ann@Example.org", Role::Author).await;
    let r = try_login(&site, "ann@example.org", PASSWORD, None).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/newsroom"));
    let cookie = set_cookie(&r, "byline_session").unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/newsroom"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    assert_eq!(r.header("cache-control"), Some("no-store"));

    let me = login(&site, "ann@example.org").await;
    let page = me.get(&site, "/newsroom").await;
    page.assert_ok();
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page.testid("me").unwrap().contains("Author"));

    let out = me.post(&site, "/newsroom/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert!(
        set_cookie(&out, "byline_session")
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = me.get(&site, "/newsroom").await;
    assert_eq!(after.status, 303, "the session is gone");
    assert_eq!(after.location(), Some("/newsroom/login"));
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_site_is_https() {
    let site = TestSite::demo_with_web(|w| w.site_url = "https://news.example".into()).await;
    add_user(&site, "ann@example.org", Role::Author).await;
    let r = try_login(&site, "ann@example.org", PASSWORD, None).await;
    assert!(
        set_cookie(&r, "byline_session")
            .unwrap()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_get_the_same_message() {
    let site = TestSite::demo().await;
    add_user(&site, "ann@example.org", Role::Author).await;
    let wrong = try_login(&site, "ann@example.org", "not the password", None).await;
    let unknown = try_login(&site, "nobody@example.org", PASSWORD, None).await;
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, 401);
        assert!(
            r.testid("login-error")
                .unwrap()
                .contains("Wrong e-mail or password")
        );
        assert!(set_cookie(r, "byline_session").is_none());
    }
    assert_eq!(
        attr(select_one(&wrong.html(), "input[name=email]"), "value"),
        "ann@example.org",
        "the e-mail stays typed"
    );
}

#[tokio::test]
async fn pages_without_a_session_lead_to_the_login_form() {
    let site = TestSite::demo().await;
    for path in [
        "/newsroom",
        "/newsroom/users",
        "/newsroom/articles/new",
        "/newsroom/audit",
    ] {
        let r = site.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.location(), Some("/newsroom/login"), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
    let bogus = site
        .get_with(
            "/newsroom",
            "cookie",
            &format!("byline_session={}", "ab".repeat(32)),
        )
        .await;
    assert_eq!(bogus.location(), Some("/newsroom/login"));
}

#[tokio::test]
async fn the_newsroom_speaks_russian() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Editor).await;
    let page = me.get_lang(&site, "/newsroom", "ru").await;
    page.assert_ok();
    assert_eq!(lang(&page.html()).as_deref(), Some("ru"));
    assert!(page.body.contains("Редакция"), "{}", &page.body[..600]);
    assert!(page.body.contains("Статьи"));
}

#[tokio::test]
async fn the_newsroom_speaks_armenian() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Editor).await;
    let page = me.get_lang(&site, "/newsroom", "hy").await;
    page.assert_ok();
    assert_eq!(lang(&page.html()).as_deref(), Some("hy"));
    assert!(page.body.contains("Խմբագրություն"), "{}", &page.body[..600]);
    assert!(page.body.contains("Հոդվածներ"));
    let form = me.get_lang(&site, "/newsroom/articles/new", "hy").await;
    assert!(form.body.contains("Վերնագիր"));
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let site = TestSite::demo().await;
    let (_, phone) = login_as(&site, "ann@example.org", Role::Author).await;
    let laptop = login(&site, "ann@example.org").await;

    let mismatch = laptop
        .post(
            &site,
            "/newsroom/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new password"),
                ("repeat", "other"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, 400);
    assert!(mismatch.testid("error-repeat").is_some());
    let wrong = laptop
        .post(
            &site,
            "/newsroom/password",
            &[
                ("current", "nope"),
                ("new", "a brand new password"),
                ("repeat", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(
        wrong
            .testid("error-current")
            .unwrap()
            .contains("current password is wrong")
    );

    let ok = laptop
        .post(
            &site,
            "/newsroom/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new password"),
                ("repeat", "a brand new password"),
            ],
        )
        .await;
    ok.assert_ok();
    assert!(ok.testid("password-changed").is_some());
    laptop.get(&site, "/newsroom").await.assert_ok();
    assert_eq!(
        phone.get(&site, "/newsroom").await.status,
        303,
        "the other session ended"
    );
    assert_eq!(
        try_login(&site, "ann@example.org", PASSWORD, None)
            .await
            .status,
        401
    );
    assert_eq!(
        try_login(&site, "ann@example.org", "a brand new password", None)
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn admins_add_users_change_roles_and_disabling_ends_sessions_at_once() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let (bob, bob_client) = login_as(&site, "bob@example.org", Role::Contributor).await;

    let page = admin.get(&site, "/newsroom/users").await;
    page.assert_ok();
    // Bob's row: his e-mail, and his role selected in its form.
    let doc = page.html();
    let row = within_one(
        testid(&doc, "users"),
        &format!("tr[data-user=\"{}\"]", bob.id),
    );
    assert_eq!(text(within_one(row, ".nr-muted")), "bob@example.org");
    assert_eq!(
        attr(
            within_one(row, "select[name=role] option[selected]"),
            "value"
        ),
        "contributor"
    );

    // Adding: field messages keep what was typed; a generated password is shown once.
    let bad = admin
        .post(
            &site,
            "/newsroom/users",
            &[
                ("email", "not-an-email"),
                ("name", "Cara"),
                ("role", "author"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.testid("error-email").is_some());
    assert_eq!(
        attr(select_one(&bad.html(), "input[name=name]"), "value"),
        "Cara",
        "the name stays typed"
    );
    let dup = admin
        .post(
            &site,
            "/newsroom/users",
            &[("email", "BOB@example.org"), ("role", "author")],
        )
        .await;
    assert_eq!(dup.status, 400);
    assert!(
        dup.testid("error-email")
            .unwrap()
            .contains("already exists")
    );
    let added = admin
        .post(
            &site,
            "/newsroom/users",
            &[
                ("email", "cara@example.org"),
                ("name", "Cara"),
                ("role", "author"),
            ],
        )
        .await;
    added.assert_ok();
    let one_time = added
        .testid("one-time-password")
        .expect("a generated password is shown");
    let password = one_time
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert_eq!(
        try_login(&site, "cara@example.org", password, None)
            .await
            .status,
        303
    );

    // Roles.
    let r = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/role", bob.id),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(site.store().user(bob.id).await.unwrap().role, Role::Editor);
    let bad_role = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/role", bob.id),
            &[("role", "owner")],
        )
        .await;
    assert_eq!(bad_role.status, 400);
    assert!(bad_role.testid("error-role").is_some());

    // Disabling ends Bob's session on his very next request, and he cannot log in.
    bob_client.get(&site, "/newsroom").await.assert_ok();
    let r = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/disabled", bob.id),
            &[("disabled", "1")],
        )
        .await;
    assert_eq!(r.status, 303);
    let next = bob_client.get(&site, "/newsroom").await;
    assert_eq!(next.status, 303);
    assert_eq!(next.location(), Some("/newsroom/login"));
    let post = bob_client
        .post(&site, "/newsroom/articles/new", &[("title", "x")])
        .await;
    assert_eq!(
        post.status, 303,
        "a disabled account's posts are refused too"
    );
    assert_eq!(
        try_login(&site, "bob@example.org", PASSWORD, None)
            .await
            .status,
        401
    );

    // The audit log names who did what.
    let log = admin.get(&site, "/newsroom/audit").await;
    log.assert_ok();
    let rows = audit_rows(&log);
    for (action, what) in [
        ("user_created", "cara@example.org as author"),
        ("user_role_changed", ""),
        ("user_disabled", ""),
    ] {
        assert!(
            rows.iter().any(|r| r.who.contains("chief@example.org")
                && r.action == action
                && r.what.contains(what)),
            "chief@example.org {action} {what} in the audit log: {rows:#?}"
        );
    }
}

#[tokio::test]
async fn the_last_admin_stays_an_admin_and_nobody_disables_themselves() {
    let site = TestSite::demo().await;
    let (chief, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let demote = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/role", chief.id),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(demote.status, 400);
    assert!(demote.body.contains("last admin"));
    let off = admin
        .post(
            &site,
            &format!("/newsroom/users/{}/disabled", chief.id),
            &[("disabled", "1")],
        )
        .await;
    assert_eq!(off.status, 400);
    assert!(!site.store().user(chief.id).await.unwrap().disabled);
}
