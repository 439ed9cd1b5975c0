//! Snapshots (insta) of what the demo outlet serves at a fixed clock: the OpenAPI
//! document, a feed of every scope (both formats), the sitemap index, a monthly sitemap,
//! and the front, section and article pages. They pin the output byte for byte, so a
//! change anywhere behind them (store, content service, templates) that alters what
//! readers or clients get shows as a snapshot diff to review (`cargo insta review`).
//!
//! The clock is fixed a day after the demo's newest story, so the news sitemap is in the
//! index and nothing depends on the day the test runs. Both backends must serve the
//! same bytes: the snapshots are shared by the SQLite and the PostgreSQL run.

use crate::common::TestSite;
use byline_content::{Clock, ContentOptions};

const NOW: &str = "2026-11-26T12:00:00Z";

async fn demo_at_fixed_clock() -> TestSite {
    TestSite::demo_with(ContentOptions {
        clock: Clock::manual(NOW.parse().unwrap()),
        ..ContentOptions::default()
    })
    .await
}

async fn body(site: &TestSite, path: &str) -> String {
    let r = site.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    without_push_key(&without_creation_dates(&r.body))
}

/// The outlet's VAPID public key is made at random when the demo is first loaded: it is
/// written as `[push key]` here (its presence is what the snapshot pins).
fn without_push_key(body: &str) -> String {
    const ATTR: &str = "data-push-key=\"";
    match body.find(ATTR) {
        Some(at) => {
            let start = at + ATTR.len();
            let end = start + body[start..].find('"').unwrap_or(0);
            format!("{}[push key]{}", &body[..start], &body[end..])
        }
        None => body.to_owned(),
    }
}

/// The feeds' entry ids (`tag:host,2026-12-02:article:4`) carry the day an article was
/// created: the store's wall clock when the test loads the demo, not the fixed clock.
/// That date is stable for an article (which is what an id needs) but not between test
/// runs, so it is written as `[created]` here.
fn without_creation_dates(body: &str) -> String {
    const PREFIX: &str = "tag:127.0.0.1,";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        out.push_str(&rest[..at + PREFIX.len()]);
        let date = after.get(..10).filter(|d| {
            d.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
        });
        match date {
            Some(_) => {
                out.push_str("[created]");
                rest = &after[10..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn the_openapi_document() {
    let site = demo_at_fixed_clock().await;
    let doc: serde_json::Value =
        serde_json::from_str(&body(&site, "/api/v1/openapi.json").await).unwrap();
    insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&doc).unwrap());
}

#[tokio::test]
async fn feeds_of_every_scope_and_the_sitemaps() {
    let site = demo_at_fixed_clock().await;
    for (name, path) in [
        ("feed_site_rss", "/feed.rss"),
        ("feed_edition_atom", "/en/feed.atom"),
        ("feed_section_rss", "/en/analytics/feed.rss"),
        ("feed_tag_atom", "/en/tag/energy/feed.atom"),
        ("feed_author_rss", "/en/author/lena-arakelova/feed.rss"),
        ("sitemap_index", "/sitemap.xml"),
        ("sitemap_month", "/sitemap/en/2026-11.xml"),
    ] {
        insta::assert_snapshot!(name, body(&site, path).await);
    }
}

#[tokio::test]
async fn the_front_section_and_article_pages() {
    let site = demo_at_fixed_clock().await;
    for (name, path) in [
        ("page_front", "/en/"),
        ("page_section", "/en/news"),
        (
            "page_article",
            "/en/news/school-robotics-team-wins-regional-cup",
        ),
    ] {
        insta::assert_snapshot!(name, body(&site, path).await);
    }
}
