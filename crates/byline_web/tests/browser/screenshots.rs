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

    // The newsroom (it follows the system's colour scheme).
    use byline_content::accounts::{UserInput, create_user};
    const PASSWORD: &str = "correct horse battery";
    create_user(
        reader.site.store().as_ref(),
        UserInput {
            email: "desk@example.org".into(),
            display_name: "Ana Petrosyan".into(),
            role: byline_core::Role::Editor,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    browser.set_width(1440).await;
    browser
        .newsroom_login(reader.base(), "desk@example.org", PASSWORD)
        .await;
    let story = reader
        .site
        .content()
        .front_page("en")
        .await
        .unwrap()
        .lead
        .expect("a lead story")
        .id
        .0;
    for (scheme, list, editor) in [
        (
            "light",
            "newsroom-list-light.png",
            "newsroom-editor-light.png",
        ),
        ("dark", "newsroom-list-dark.png", "newsroom-editor-dark.png"),
    ] {
        browser.prefer_scheme(scheme).await;
        reader.open("/newsroom").await;
        browser.screenshot(dir, list).await;
        reader.open(&format!("/newsroom/articles/{story}")).await;
        browser
            .wait_js(
                "the preview",
                "return document.querySelector('[data-testid=live-preview]').children.length > 0",
            )
            .await;
        browser.screenshot(dir, editor).await;
    }
    // The media library, with a few of the demo's pictures in it.
    let editor = reader
        .site
        .store()
        .credentials("desk@example.org")
        .await
        .unwrap()
        .user;
    for (seed, alt) in [
        (3, "Evening light over the river port"),
        (5, "Cranes at the container terminal"),
        (8, "Rooftops after the rain"),
        (13, "A market street in the morning"),
        (21, "Power lines across the valley"),
        (34, "The old bridge at night"),
    ] {
        let mut jpeg = Vec::new();
        byline_demo::art::cover(seed)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        reader
            .site
            .content()
            .upload_media(
                jpeg,
                &format!("cover-{seed}.jpg"),
                byline_content::MediaMeta {
                    alt: alt.into(),
                    credit: "Meridian".into(),
                    uploaded_by: Some(editor.id.0),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    browser.set_width(1440).await;
    browser.prefer_scheme("light").await;
    reader.open("/newsroom/media").await;
    // The thumbnails (320 px WebPs) are served by the debug build: give them time.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    browser.screenshot(dir, "newsroom-media-light.png").await;

    browser.client.set_window_size(360, 780).await.unwrap();
    reader.open("/newsroom?status=published").await;
    browser.screenshot(dir, "newsroom-list-mobile.png").await;

    reader.finish().await;
}
