//! Imports from the newsroom (issue 15): an admin uploads a WordPress export, follows
//! the run and reads its report; the archive is on the site with its old addresses
//! redirected. Hostile uploads are refused with a clear problem, never a 500.

use crate::client::{Client, login_as};
use crate::common::html::{select, testid, text};
use crate::common::{TestResponse, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_core::Role;
use std::path::{Path, PathBuf};
use std::time::Duration;

const BOUNDARY: &str = "----byline-import-boundary";
/// The import limit of these tests.
const IMPORT_MAX: u64 = 256 * 1024;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../byline_import/tests/fixtures")
        .join(name);
    std::fs::read(path).unwrap()
}

/// The demo outlet whose imports live in `dir`, with one media folder (`harbour`)
/// holding the fixture's crane picture.
async fn site(dir: &Path) -> TestSite {
    let uploads = dir.join("media/harbour/2024/03");
    std::fs::create_dir_all(&uploads).unwrap();
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    img.save(uploads.join("crane.jpg")).unwrap();
    let dir = dir.to_owned();
    TestSite::demo_with_web(move |c| {
        c.import_dir = dir;
        c.import_max_bytes = IMPORT_MAX;
    })
    .await
}

fn multipart(file: Option<(&str, &[u8])>, texts: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/xml\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(
    site: &TestSite,
    client: &Client,
    csrf: Option<&str>,
    body: Vec<u8>,
) -> (TestResponse, serde_json::Value) {
    let mut request = Request::post("/newsroom/import")
        .header("cookie", format!("byline_session={}", client.session))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("content-length", body.len());
    if let Some(token) = csrf {
        request = request.header("x-csrf-token", token);
    }
    let r = site.request(request.body(Body::from(body)).unwrap()).await;
    let json = serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null);
    (r, json)
}

/// Starts an import and waits until its report is ready; answers the run's page.
async fn import(site: &TestSite, admin: &Client, file: &[u8], fields: &[(&str, &str)]) -> String {
    let (r, json) = upload(
        site,
        admin,
        Some(&admin.csrf),
        multipart(Some(("export.xml", file)), fields),
    )
    .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let url = json["url"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location"), Some(url.as_str()));
    for _ in 0..600 {
        let p = admin.get(site, &format!("{url}/progress")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        let progress: serde_json::Value = serde_json::from_str(&p.body).unwrap();
        if progress["done"] == true {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import at {url} did not finish in a minute");
}

fn files_in(dir: PathBuf) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_an_export_follows_the_run_and_reads_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path()).await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;

    let form = admin.get(&site, "/newsroom/import").await;
    form.assert_ok();
    let html = form.html();
    testid(&html, "import-form");
    testid(&html, "no-reports");
    let folders: Vec<String> = select(&html, "#import-folder option")
        .iter()
        .filter_map(|o| o.value().attr("value").map(str::to_owned))
        .collect();
    assert_eq!(folders, ["", "harbour"], "the server's media folders only");

    // A dry run first: a report, nothing written.
    let url = import(
        &site,
        &admin,
        &fixture("wxr-1.2-https.xml"),
        &[("source", "wordpress"), ("edition", "en"), ("dry_run", "1")],
    )
    .await;
    let page = admin.get(&site, &url).await;
    page.assert_ok();
    let html = page.html();
    testid(&html, "import-dry-run");
    testid(&html, "import-finished");
    let old = "/2024/03/02/ferry-timetable/";
    assert_eq!(site.get(old).await.status, 404, "a dry run writes nothing");

    // The real run, with the pictures folder.
    let url = import(
        &site,
        &admin,
        &fixture("wxr-1.2-https.xml"),
        &[
            ("source", "wordpress"),
            ("edition", "en"),
            ("folder", "harbour"),
            ("section_map", "council=analytics"),
        ],
    )
    .await;
    let page = admin.get(&site, &url).await;
    page.assert_ok();
    let html = page.html();
    testid(&html, "import-finished");
    let new = |kind: &str| -> u64 {
        text(select(&html, &format!("[data-testid=new-{kind}]"))[0])
            .parse()
            .unwrap()
    };
    assert!(new("articles") >= 3, "{}", page.body);
    assert_eq!(new("pages"), 2, "{}", page.body);
    assert_eq!(new("pictures"), 1, "the crane, from the folder");
    assert!(new("redirects") > 5);
    // The skips are listed (menu items, a product, comments …).
    testid(&html, "import-skipped");

    // The full report downloads as JSON, with the editor's file name in it.
    let file = admin.get(&site, &format!("{url}/report.json")).await;
    file.assert_ok();
    assert!(
        file.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    let report: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    assert_eq!(report["file"], "export.xml");
    assert_eq!(report["written"]["articles"]["created"], new("articles"));

    // The archive is on the site: an old address leads to its article.
    let moved = site.get(old).await;
    assert_eq!(moved.status, 301);
    let article = site.get(moved.header("location").unwrap()).await;
    article.assert_ok();
    assert!(
        article
            .body
            .contains("Council approves the new ferry timetable")
    );
    // The export's About page met the demo's own: imported beside it, not over it.
    let about = site.get("/about/").await;
    assert_eq!(about.status, 301);
    assert_eq!(about.header("location"), Some("/en/page/about-2"));
    site.get("/en/page/about-2").await.assert_ok();
    assert!(
        page.body.contains("imported as about-2"),
        "the report says so"
    );
    // Drafts stay private.
    assert_ne!(site.get("/?p=203").await.status, 301);

    // The export is not kept on the server; the reports are listed, newest first.
    assert!(files_in(dir.path().join("uploads")).is_empty());
    let form = admin.get(&site, "/newsroom/import").await;
    let html = form.html();
    let listed = select(&html, "[data-testid=import-reports] a");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].value().attr("href"), Some(url.as_str()));

    // A second run of the same export adds nothing.
    let again = import(
        &site,
        &admin,
        &fixture("wxr-1.2-https.xml"),
        &[
            ("source", "wordpress"),
            ("edition", "en"),
            ("folder", "harbour"),
            ("section_map", "council=analytics"),
        ],
    )
    .await;
    let page = admin.get(&site, &again).await;
    let html = page.html();
    for kind in ["articles", "pages", "pictures", "redirects"] {
        assert_eq!(
            text(select(&html, &format!("[data-kind={kind}] td:nth-of-type(3)"))[0]),
            "0",
            "{kind} updated"
        );
        assert_eq!(
            text(select(&html, &format!("[data-testid=new-{kind}]"))[0]),
            "0",
            "{kind}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_export_ends_in_a_report_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path()).await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let whole = fixture("wxr-1.2-https.xml");
    for (name, bytes) in [
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("not xml", b"{\"db\": []}".to_vec()),
        (
            "not utf-8",
            b"<?xml version=\"1.0\"?><rss><channel>\xff\xfe</channel></rss>".to_vec(),
        ),
    ] {
        let url = import(
            &site,
            &admin,
            &bytes,
            &[("source", "wordpress"), ("edition", "en")],
        )
        .await;
        let page = admin.get(&site, &url).await;
        assert_eq!(page.status, 200, "{name}: {}", page.body);
        let html = page.html();
        let failed = text(testid(&html, "import-failed"));
        assert!(
            failed.len() > 30,
            "{name}: a message that says why: {failed}"
        );
    }
    // A Ghost export given as WordPress, and the other way round.
    let url = import(
        &site,
        &admin,
        &fixture("ghost-5.json"),
        &[("source", "wordpress"), ("edition", "en")],
    )
    .await;
    let html = admin.get(&site, &url).await.html();
    let failed = text(testid(&html, "import-failed"));
    assert!(failed.contains("WordPress"), "{failed}");
    let url = import(
        &site,
        &admin,
        &whole,
        &[("source", "ghost"), ("edition", "en")],
    )
    .await;
    let html = admin.get(&site, &url).await.html();
    let failed = text(testid(&html, "import-failed"));
    assert!(failed.contains("Ghost"), "{failed}");
    assert!(files_in(dir.path().join("uploads")).is_empty());
}

#[tokio::test]
async fn hostile_uploads_and_lower_roles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path()).await;
    let (_, admin) = login_as(&site, "chief@example.org", Role::Admin).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let export = fixture("wxr-1.2-https.xml");
    let good = [("source", "wordpress"), ("edition", "en")];

    // A lower role sees neither the page nor the upload, nor a report.
    assert_eq!(editor.get(&site, "/newsroom/import").await.status, 403);
    let (r, _) = upload(
        &site,
        &editor,
        Some(&editor.csrf),
        multipart(Some(("e.xml", &export)), &good),
    )
    .await;
    assert_eq!(r.status, 403);
    assert!(!admin.get(&site, "/newsroom/import").await.body.is_empty());

    // No CSRF token, or another session's.
    for csrf in [None, Some(editor.csrf.as_str())] {
        let (r, _) = upload(
            &site,
            &admin,
            csrf,
            multipart(Some(("e.xml", &export)), &good),
        )
        .await;
        assert_eq!(r.status, 403, "{csrf:?}");
    }

    // Bad fields: each a 400 naming the field.
    let too_long = "x".repeat(9000);
    for (fields, file, field) in [
        (
            vec![("source", "drupal"), ("edition", "en")],
            true,
            "source",
        ),
        (vec![("edition", "en")], true, "source"),
        (
            vec![("source", "wordpress"), ("edition", "xx")],
            true,
            "edition",
        ),
        (
            vec![
                ("source", "wordpress"),
                ("edition", "en"),
                ("folder", "../.."),
            ],
            true,
            "folder",
        ),
        (
            vec![
                ("source", "wordpress"),
                ("edition", "en"),
                ("folder", "harbour/../../etc"),
            ],
            true,
            "folder",
        ),
        (
            vec![
                ("source", "wordpress"),
                ("edition", "en"),
                ("section_map", "news"),
            ],
            true,
            "section_map",
        ),
        (
            vec![("source", "wordpress"), ("edition", "en")],
            false,
            "file",
        ),
    ] {
        let body = multipart(file.then_some(("e.xml", export.as_slice())), &fields);
        let (r, json) = upload(&site, &admin, Some(&admin.csrf), body).await;
        assert_eq!(r.status, 400, "{fields:?}: {}", r.body);
        assert_eq!(json["field"], field, "{fields:?}");
        assert!(json["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let long_map = [
        ("source", "wordpress"),
        ("edition", "en"),
        ("section_map", too_long.as_str()),
    ];
    let (r, json) = upload(
        &site,
        &admin,
        Some(&admin.csrf),
        multipart(Some(("e.xml", &export)), &long_map),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(json["field"], "section_map");
    let (r, json) = upload(
        &site,
        &admin,
        Some(&admin.csrf),
        multipart(Some(("e.xml", b"")), &good),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(json["field"], "file");

    // Too big: refused by its declared length, and while it streams in.
    let big = vec![b'x'; IMPORT_MAX as usize + 1];
    let (r, json) = upload(
        &site,
        &admin,
        Some(&admin.csrf),
        multipart(Some(("big.xml", &big)), &good),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(json["field"], "file");
    // Not multipart at all.
    let r = site
        .request(
            Request::post("/newsroom/import")
                .header("cookie", format!("byline_session={}", admin.session))
                .header("x-csrf-token", &admin.csrf)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    // Nothing was left behind.
    assert!(
        files_in(dir.path().join("uploads")).is_empty(),
        "{:?}",
        files_in(dir.path().join("uploads"))
    );

    // Report addresses name report files only.
    for path in [
        "/newsroom/import/wordpress-20261203T101500Z",
        "/newsroom/import/..%2F..%2Fetc%2Fpasswd",
        "/newsroom/import/wordpress-20261203T101500Z.json",
        "/newsroom/import/wordpress-x/report.json",
        "/newsroom/import/wordpress-20261203T101500Z/progress",
    ] {
        assert_eq!(admin.get(&site, path).await.status, 404, "{path}");
    }
    // A signed-out visitor goes to the login form.
    let r = site.get("/newsroom/import").await;
    assert_eq!(r.status, 303);
}
