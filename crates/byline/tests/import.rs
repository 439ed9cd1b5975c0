//! `byline import` through the real binary (issue 15): the import core's fixtures
//! imported into a data folder, then served.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn byline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_byline"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BYLINE_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../byline_import/tests/fixtures/{name}"))
}

fn import(data: &Path, args: &[&str]) -> Output {
    byline()
        .arg("--data-dir")
        .arg(data)
        .arg("import")
        .args(args)
        .output()
        .unwrap()
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A media directory holding the fixture's crane picture (a real JPEG).
fn media_dir(root: &Path) -> PathBuf {
    let dir = root.join("uploads");
    std::fs::create_dir_all(dir.join("2024/03")).unwrap();
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    img.save(dir.join("2024/03/crane.jpg")).unwrap();
    dir
}

async fn db(data: &Path) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    sqlx::SqliteConnection::connect(&format!("sqlite://{}", data.join("byline.db").display()))
        .await
        .unwrap()
}

async fn scalar(c: &mut sqlx::SqliteConnection, query: &str) -> i64 {
    sqlx::query_scalar(query).fetch_one(c).await.unwrap()
}

/// Row counts of everything an import writes, and the change feed's length.
async fn counts(data: &Path) -> Vec<i64> {
    let mut c = db(data).await;
    let mut out = Vec::new();
    for table in [
        "articles",
        "sections",
        "tags",
        "authors",
        "media",
        "redirects",
        "pages",
        "import_sources",
        "changes",
    ] {
        out.push(scalar(&mut c, &format!("select count(*) from {table}")).await);
    }
    out
}

struct Running {
    child: std::process::Child,
    base: String,
}

impl Running {
    fn serve(data: &Path) -> Running {
        use std::io::{BufRead, BufReader};
        let mut child = byline()
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--empty", "--listen", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address printed: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Running { child, base }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// Every old address the import recorded answers 301 to a page with the article's
/// title; drafts, private and password-protected posts stay 404; the picture in
/// --media-dir is in the library; a second run adds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wordpress_export_is_served_at_its_old_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let media = media_dir(dir.path());
    let file = fixture("wxr-1.2-https.xml");
    let out = succeeded(&import(
        &data,
        &[
            "wordpress",
            file.to_str().unwrap(),
            "--media-dir",
            media.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("full report: "), "{out}");
    let report = out
        .lines()
        .find_map(|l| l.strip_prefix("full report: "))
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    assert!(
        json["written"]["articles"]["created"].as_u64().unwrap() >= 3,
        "{json}"
    );
    assert_eq!(
        json["written"]["pages"]["created"].as_u64(),
        Some(2),
        "both WordPress pages become static pages: {json}"
    );
    let first = counts(&data).await;
    let mut c = db(&data).await;
    assert_eq!(
        scalar(&mut c, "select count(*) from media").await,
        1,
        "{out}"
    );
    assert!(
        json["pictures_missing"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.contains("quay.jpg")),
        "a missing picture is reported: {json}"
    );

    // The import checked the picture and kept it for the server to make its files.
    let (key, variants): (String, String) =
        sqlx::query_as("select storage_key, variants from media")
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!(
        scalar(&mut c, "select count(*) from media_unprocessed").await,
        1
    );
    let files = data.join("media").join("lib").join(&key);
    assert!(files.join("unprocessed").is_file());
    let widest: Vec<serde_json::Value> = serde_json::from_str(&variants).unwrap();
    let widest = widest.last().unwrap()["name"].as_str().unwrap().to_owned();

    let node = Running::serve(&data);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Its media processor makes them (bounded for a stuck processor, not a timing claim).
    for _ in 0..300 {
        if scalar(&mut c, "select count(*) from media_unprocessed").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        scalar(&mut c, "select count(*) from media_unprocessed").await,
        0,
        "the server made the imported picture's files"
    );
    assert!(files.join("original.jpg").is_file());
    assert!(!files.join("unprocessed").exists());
    let variant = http
        .get(format!("{}/media/lib/{key}/{widest}", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(variant.status(), 200);
    assert_eq!(variant.headers()["content-type"], "image/webp");
    let unprocessed = http
        .get(format!("{}/media/lib/{key}/unprocessed", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        unprocessed.status(),
        404,
        "an upload as it came is never served"
    );
    let redirects: Vec<(String, String)> =
        sqlx::query_as("select path, target from redirects where target not like '/media/%'")
            .fetch_all(&mut c)
            .await
            .unwrap();
    for must in ["/?p=200", "/2024/03/02/ferry-timetable"] {
        assert!(
            redirects.iter().any(|(p, _)| p == must),
            "{must} is redirected: {redirects:?}"
        );
    }
    for (old, target) in &redirects {
        let answer = http
            .get(format!("{}{old}", node.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 301, "{old}");
        assert_eq!(answer.headers()["location"], target.as_str(), "{old}");
        let parts: Vec<&str> = target.trim_matches('/').split('/').collect();
        if parts.len() == 3 && !["tag", "author"].contains(&parts[1]) && !parts[2].contains('.') {
            // A scheduled post's addresses lead to it once it publishes.
            let title: String = sqlx::query_scalar(
                "select title from articles where edition = $1 and slug = $2 and status = 'published'",
            )
                    .bind(parts[0])
                    .bind(parts[2])
                    .fetch_optional(&mut c)
                    .await
                    .unwrap()
                    .unwrap_or_default();
            if title.is_empty() {
                continue;
            }
            let page = http
                .get(format!("{}{target}", node.base))
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 200, "{old} → {target}");
            let html = page.text().await.unwrap();
            assert!(html.contains(&escaped(&title)), "{target} shows {title:?}");
        }
    }
    // WordPress pages are static pages now, at their old addresses too (a child page
    // under its parent's path).
    for (old, title) in [
        ("/about/", "About us"),
        ("/?page_id=300", "About us"),
        ("/about/team/", "Our team"),
        ("/?page_id=301", "Our team"),
    ] {
        let answer = http
            .get(format!("{}{old}", node.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 301, "{old}");
        let to = answer.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.starts_with("/en/page/"), "{old} → {to}");
        let page = http.get(format!("{}{to}", node.base)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{old} → {to}");
        let html = page.text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let h1 = doc
            .select(&scraper::Selector::parse("h1").unwrap())
            .next()
            .map(|h| h.text().collect::<String>());
        assert_eq!(h1.as_deref(), Some(title), "{to}");
    }
    // Not public in WordPress, not public here: no redirect gives them away either.
    for private in ["/?p=203", "/?p=204", "/?p=205", "/?p=206", "/staff-only/"] {
        let answer = http
            .get(format!("{}{private}", node.base))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status() == 404 || answer.status() == 302 || answer.status() == 303,
            "{private}: {}",
            answer.status()
        );
        assert_ne!(answer.status(), 301, "{private}");
    }
    let drafts: Vec<(String, String)> =
        sqlx::query_as("select edition, slug from articles where status <> 'published'")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert!(drafts.len() >= 3, "{drafts:?}");
    for (edition, slug) in &drafts {
        let section: String = sqlx::query_scalar(
            "select s.slug from articles a join sections s on s.id = a.section_id
             where a.edition = $1 and a.slug = $2",
        )
        .bind(edition)
        .bind(slug)
        .fetch_one(&mut c)
        .await
        .unwrap();
        let answer = http
            .get(format!("{}/{edition}/{section}/{slug}", node.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 404, "{slug} stays private");
    }

    // Again, while the outlet serves: nothing is added, nothing rewritten.
    succeeded(&import(
        &data,
        &[
            "wordpress",
            file.to_str().unwrap(),
            "--media-dir",
            media.to_str().unwrap(),
        ],
    ));
    assert_eq!(counts(&data).await, first, "a second run adds nothing");

    let csv = succeeded(
        byline()
            .arg("--data-dir")
            .arg(&data)
            .args(["redirects", "export"])
            .output()
            .as_ref()
            .unwrap(),
    );
    assert!(csv.starts_with("old_path,new_path,origin\n"), "{csv}");
    assert!(csv.contains("/?p=200,/en/"), "{csv}");
}

/// A Ghost export: articles in the outlet's first section, old slugs redirected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ghost_export_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let file = fixture("ghost-5.json");
    let out = succeeded(&import(&data, &["ghost", file.to_str().unwrap()]));
    let first = counts(&data).await;
    assert!(first[0] >= 3, "articles: {first:?} {out}");
    assert!(first[5] >= 3, "redirects: {first:?}");
    // The Ghost page is a static page, published as it was, its old address led there.
    let mut c = db(&data).await;
    let page: (String, String, String) =
        sqlx::query_as("select edition, title, status from pages where slug = 'contact'")
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!(page, ("en".into(), "Contact".into(), "published".into()));
    assert_eq!(first[6], 1, "one page: {first:?}");
    let target: String = sqlx::query_scalar("select target from redirects where path = '/contact'")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(target, "/en/page/contact");
    // The planner has statistics of what was imported (`ImportStore::analyze`).
    assert!(
        scalar(
            &mut c,
            "select count(*) from sqlite_stat1 where tbl = 'articles'"
        )
        .await
            > 0,
        "the import left no statistics"
    );
    succeeded(&import(&data, &["ghost", file.to_str().unwrap()]));
    assert_eq!(counts(&data).await, first, "a second run adds nothing");
}

/// `--dry-run` reads the whole export and writes nothing (not even a database).
#[test]
fn a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let file = fixture("wxr-1.2-https.xml");
    let out = succeeded(&import(
        &data,
        &["wordpress", file.to_str().unwrap(), "--dry-run"],
    ));
    assert!(out.contains("articles: "), "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    assert!(!data.join("byline.db").exists(), "no store was made");
    assert!(!data.join("imports").exists(), "no report file was written");
}

/// A truncated export and the wrong format: a clear message, a failing exit code, and
/// nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_export_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let whole = std::fs::read(fixture("wxr-1.2-https.xml")).unwrap();
    let cut = dir.path().join("cut.xml");
    std::fs::write(&cut, &whole[..whole.len() * 2 / 3]).unwrap();
    let out = import(&data, &["wordpress", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ends early") || err.contains("malformed"),
        "{err}"
    );
    let wrong = import(
        &data,
        &["ghost", fixture("wxr-1.2-https.xml").to_str().unwrap()],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("not a Ghost (JSON) export"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let c = counts(&data).await;
    assert_eq!(c[..7], [0, 0, 0, 0, 0, 0, 0], "nothing written: {c:?}");
}

/// A WordPress export of `posts` published posts and three pages, all in one category.
fn generated_wxr(posts: usize) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>https://gen.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gen.example</wp:base_site_url><wp:base_blog_url>https://gen.example</wp:base_blog_url>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename><![CDATA[news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
"#,
    );
    for n in 0..posts {
        x.push_str(&format!(
            "<item><title><![CDATA[Story number {n}]]></title><link>https://gen.example/?p={id}</link>\
             <content:encoded><![CDATA[First paragraph of story {n}.\n\nSecond paragraph.]]></content:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt>\
             <wp:post_name><![CDATA[story-{n}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
             <wp:post_type><![CDATA[post]]></wp:post_type>\
             <category domain=\"category\" nicename=\"news\"><![CDATA[News]]></category></item>\n",
            id = 1000 + n
        ));
    }
    for (n, slug) in ["about", "contacts", "privacy"].iter().enumerate() {
        x.push_str(&format!(
            "<item><title><![CDATA[Page {slug}]]></title><content:encoded><![CDATA[Text of {slug}.]]></content:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_name><![CDATA[{slug}]]></wp:post_name>\
             <wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[page]]></wp:post_type></item>\n",
            id = 90 + n
        ));
    }
    x.push_str("</channel></rss>\n");
    x
}

/// An import killed with SIGKILL half-way is run again and finishes the job: every
/// post once, every page once, no half-written item, and the second run reports what
/// the first had already written as unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_finishes_when_run_again() {
    const POSTS: usize = 3_000;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let file = dir.path().join("big.xml");
    std::fs::write(&file, generated_wxr(POSTS)).unwrap();
    let mut child = byline()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "wordpress", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some articles are in, then kill it without warning.
    let mut written = 0;
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if data.join("byline.db").exists() {
            use sqlx::Connection;
            if let Ok(mut c) = sqlx::SqliteConnection::connect(&format!(
                "sqlite://{}",
                data.join("byline.db").display()
            ))
            .await
            {
                written = sqlx::query_scalar::<_, i64>("select count(*) from articles")
                    .fetch_one(&mut c)
                    .await
                    .unwrap_or(0);
            }
        }
        if written >= 50 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut c = db(&data).await;
    let at_kill = scalar(&mut c, "select count(*) from articles").await;
    assert!(
        at_kill >= 50 && (at_kill as usize) < POSTS,
        "the import was stopped half-way ({at_kill} of {POSTS})"
    );
    // Nothing half-written: every stored article has its import record and its feed row.
    assert_eq!(
        scalar(
            &mut c,
            "select count(*) from articles a where not exists
               (select 1 from import_sources s where s.kind = 'article' and s.target_id = a.id)"
        )
        .await,
        0
    );

    let out = succeeded(&import(&data, &["wordpress", file.to_str().unwrap()]));
    let report = out
        .lines()
        .find_map(|l| l.strip_prefix("full report: "))
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let articles = &json["written"]["articles"];
    assert_eq!(
        articles["created"].as_u64().unwrap() + articles["unchanged"].as_u64().unwrap(),
        POSTS as u64,
        "{articles}"
    );
    assert!(
        articles["unchanged"].as_u64().unwrap() >= at_kill as u64,
        "what the first run wrote is not written again: {articles}"
    );
    assert_eq!(
        scalar(&mut c, "select count(*) from articles").await,
        POSTS as i64
    );
    assert_eq!(scalar(&mut c, "select count(*) from pages").await, 3);
    assert_eq!(
        scalar(
            &mut c,
            "select count(*) from (select slug from articles group by slug having count(*) > 1)"
        )
        .await,
        0,
        "no post twice"
    );
    assert_eq!(
        scalar(
            &mut c,
            "select count(*) from redirects where path like '/?p=%'"
        )
        .await,
        POSTS as i64,
        "every old address redirects"
    );
}
