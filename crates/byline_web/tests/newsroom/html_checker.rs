//! Every page kind, reader site and newsroom, through the Nu HTML Checker (the W3C's
//! `vnu.jar`, from npm `vnu-jar` in tests/a11y, which `.ci/run` installs): no errors.

use crate::client::login_as;
use crate::common::TestSite;
use byline_core::Role;
use std::path::{Path, PathBuf};

/// The checker, as `npm install` in tests/a11y puts it, and Java to run it. `None` (with
/// a printed note) when either is missing and this is not CI.
fn checker() -> Option<PathBuf> {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/a11y/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    match (jar.exists(), java) {
        (true, true) => Some(jar),
        _ if std::env::var_os("CI").is_some() => panic!(
            "{} or java is missing; CI is set, so the HTML check must run \
             (npm install in crates/byline_web/tests/a11y; a Java runtime)",
            jar.display()
        ),
        _ => {
            println!(
                "skipped: the Nu HTML Checker needs java and `npm install` in crates/byline_web/tests/a11y"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_kind_passes_the_nu_html_checker() {
    let Some(jar) = checker() else { return };
    let imports = tempfile::tempdir().unwrap();
    let import_dir = imports.path().to_owned();
    let site = TestSite::demo_with_web(move |c| c.import_dir = import_dir).await;
    let (admin_user, admin) = login_as(&site, "checker@example.org", Role::Admin).await;
    // Two reports for the import pages: a real import's, and a failed one's.
    let [finished_run, failed_run] = crate::common::import_reports(&site, imports.path()).await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let page_id = site.content().published_pages(Some("en")).await.unwrap()[0]
        .id
        .0;
    let reader = [
        "/en/".to_owned(),
        "/en/analytics".to_owned(),
        "/en/analytics/grid-interconnectors-learning-to-share".to_owned(),
        // The demo's story with a public clarification note.
        "/en/economy/third-quarter-inflation-report-2026".to_owned(),
        // The demo's ended live blog.
        crate::common::LIVE_BLOG.to_owned(),
        "/en/search?q=grid".to_owned(),
        "/en/tag/energy".to_owned(),
        "/en/author/lena-arakelova".to_owned(),
        "/en/page/about".to_owned(),
        "/hy/page/mer-masin".to_owned(),
        "/en/no-such-page".to_owned(),
    ];
    let media = crate::common::library_picture(&site).await;
    let mut newsroom =
        crate::common::newsroom_pages(id, page_id, media, [finished_run, failed_run]);
    // A live blog taking entries (its editor's live desk, its page) and an entry's page.
    newsroom.push(crate::common::live_blog(&site, &admin_user, id).await);
    let glacier = site
        .article_id("en", "glacier-conference-monitoring-pact-without-funding")
        .await;
    newsroom.push(format!("/newsroom/articles/{glacier}"));
    // A revision's changes (an older one: with the button that restores it).
    let revision = crate::common::revision_page(&site, &admin_user, id).await;
    let r = admin.get(&site, &revision).await;
    assert!(r.testid("restore").is_some(), "{revision}");
    assert!(
        r.body.contains("nr-diff-removed") && r.body.contains("nr-diff-added"),
        "{}",
        &r.body[r.body.find("<main").unwrap_or(0)..]
    );
    newsroom.push(revision);
    // The admin's notifications with one notice of each kind in them.
    crate::common::notices_for(&site, &admin_user).await;
    let r = admin.get(&site, "/newsroom/notifications").await;
    for kind in ["returned", "assigned", "scheduled", "published"] {
        assert!(r.body.contains(&format!("data-kind=\"{kind}\"")), "{kind}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut save = |path: &str, body: &str| {
        let name: String = path
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, body).unwrap();
        files.push(file);
    };
    for path in &reader {
        let r = site.get(path).await;
        assert!(r.status == 200 || r.status == 404, "{path}: {}", r.status);
        save(path, &r.body);
    }
    for path in &newsroom {
        let r = admin.get(&site, path).await;
        r.assert_ok();
        save(path, &r.body);
    }
    let login = site.get("/newsroom/login").await;
    login.assert_ok();
    save("/newsroom/login", &login.body);
    // A refused form too: its messages are part of the page.
    let refused = admin
        .post(
            &site,
            "/newsroom/pages/new",
            &[("edition", "en"), ("title", ""), ("status", "draft")],
        )
        .await;
    assert_eq!(refused.status, 400);
    save("/newsroom/pages/new refused", &refused.body);
    let refused_list = admin
        .get(&site, "/newsroom?from=yesterday&tag=nothing&page=0")
        .await;
    assert_eq!(refused_list.status, 400);
    save("/newsroom refused", &refused_list.body);
    // An article deleted while its writer had it open: the page that gives the text back.
    let (_, writer) = login_as(&site, "gone@example.org", Role::Author).await;
    let gone = crate::articles::create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Gone"),
            ("body", "x"),
        ],
    )
    .await;
    let path = format!("/newsroom/articles/{}", gone.0);
    admin
        .post(&site, &format!("{path}/status"), &[("action", "delete")])
        .await;
    let deleted = writer
        .post(
            &site,
            &path,
            &[
                ("revision", "0"),
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Gone"),
                ("body", "typed"),
            ],
        )
        .await;
    assert_eq!(deleted.status, 410);
    save("/newsroom deleted while open", &deleted.body);
    // Someone's notifications, with one of each kind of move in them.
    let returned = crate::articles::create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Returned"),
            ("body", "x"),
        ],
    )
    .await;
    let status = format!("/newsroom/articles/{}/status", returned.0);
    writer.post(&site, &status, &[("action", "submit")]).await;
    admin
        .post(
            &site,
            &status,
            &[("action", "return"), ("return_note", "Why")],
        )
        .await;
    admin.post(&site, &status, &[("action", "publish")]).await;
    let notices = writer.get(&site, "/newsroom/notifications").await;
    assert!(notices.body.contains("data-kind=\"returned\""));
    save("/newsroom/notifications with notices", &notices.body);
    // Breaking news: a refused alert, then one up (on a reader page and in the list).
    let refused_alert = admin
        .post(
            &site,
            "/newsroom/alerts",
            &[("edition", "en"), ("text", ""), ("url", "javascript:x")],
        )
        .await;
    assert_eq!(refused_alert.status, 400);
    save("/newsroom/alerts refused", &refused_alert.body);
    admin
        .post(
            &site,
            "/newsroom/alerts",
            &[("edition", "en"), ("text", "Polls closed"), ("url", "/en/")],
        )
        .await;
    site.settle().await;
    let with_banner = site.get("/en/analytics").await;
    assert!(with_banner.testid("breaking").is_some());
    save("/en/analytics with a banner", &with_banner.body);
    let alerts_up = admin.get(&site, "/newsroom/alerts").await;
    assert!(alerts_up.testid("alert").is_some());
    save("/newsroom/alerts with one up", &alerts_up.body);
    // The news desk: an article with public notes in the newsroom, a refused note, and
    // a taken-down article's 410 page and newsroom page.
    let corrected = site
        .article_id("en", "third-quarter-inflation-report-2026")
        .await;
    let corrected_path = format!("/newsroom/articles/{corrected}");
    let with_notes = admin.get(&site, &corrected_path).await;
    with_notes.assert_ok();
    assert!(with_notes.testid("correction").is_some());
    save("/newsroom article with notes", &with_notes.body);
    let refused_note = admin
        .post(
            &site,
            &format!("{corrected_path}/corrections"),
            &[("correction_kind", "update"), ("correction_text", "")],
        )
        .await;
    assert_eq!(refused_note.status, 400);
    save("/newsroom refused note", &refused_note.body);
    admin
        .post(
            &site,
            &format!("{corrected_path}/status"),
            &[("action", "takedown"), ("takedown_reason", "Legal")],
        )
        .await;
    site.settle().await;
    let taken_down = site
        .get("/en/economy/third-quarter-inflation-report-2026")
        .await;
    assert_eq!(taken_down.status, 410);
    save("/en taken down", &taken_down.body);
    let taken_down_newsroom = admin.get(&site, &corrected_path).await;
    assert!(taken_down_newsroom.testid("takedown").is_some());
    save("/newsroom taken down", &taken_down_newsroom.body);

    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(&files)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !report.contains("Error:"),
        "the Nu HTML Checker found errors in {} pages:\n{report}",
        files.len()
    );
    assert_eq!(files.len(), reader.len() + newsroom.len() + 12);
}
