//! The README screenshots, written only on request.

use crate::driver::Reader;
use serde_json::json;
use std::path::Path;

/// The README screenshots (only with `BYLINE_SCREENSHOTS=1`, so ordinary runs leave the
/// tree clean).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_screenshots() {
    if std::env::var("BYLINE_SCREENSHOTS").as_deref() != Ok("1") {
        println!(
            "screenshots not written (set BYLINE_SCREENSHOTS=1 to write docs/screenshots/*.png)"
        );
        return;
    }
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    // Headless chromium draws classic scrollbars; a reader's phone or laptop mostly does not.
    browser
        .cdp("Emulation.setScrollbarsHidden", json!({ "hidden": true }))
        .await;
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/screenshots"
    ));
    std::fs::create_dir_all(dir).unwrap();

    let article = reader.an_article().await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "front-light.png").await;
    browser.with_theme("dark").await;
    browser.screenshot(dir, "front-dark.png").await;

    reader.open("/en/analytics").await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "section-light.png").await;
    browser.with_theme("dark").await;
    browser.screenshot(dir, "section-dark.png").await;

    browser.goto(&article).await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "article-light.png").await;
    browser.with_theme("dark").await;
    browser.screenshot(dir, "article-dark.png").await;

    browser.client.set_window_size(360, 780).await.unwrap();
    browser.reload().await;
    let width = browser.js_count("return window.innerWidth").await;
    assert_eq!(width, 360, "the mobile viewport");
    browser.with_theme("dark").await;
    browser.screenshot(dir, "article-mobile-dark.png").await;

    reader.finish().await;
}
