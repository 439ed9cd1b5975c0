//! Signed, expiring preview links for unpublished articles.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{select, testid, text};
use byline_content::{Clock, ContentOptions};
use byline_core::Role;
use jiff::{SignedDuration, Timestamp};

#[tokio::test]
async fn a_preview_link_shows_a_draft_to_anyone_until_it_expires() {
    let clock = Clock::manual(Timestamp::from_second(1_907_000_000).unwrap());
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        ..ContentOptions::default()
    })
    .await;
    let (_, me) = login_as(&site, "ann@example.org", Role::Author).await;
    let r = me
        .post(
            &site,
            "/newsroom/articles/new",
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Embargoed story"),
                ("body", "Not out yet."),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let edit = me.get(&site, r.location().unwrap()).await;
    let field = edit
        .testid("preview-link")
        .expect("a draft offers a preview link");
    let url = field
        .split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap()
        .to_owned();
    let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();
    assert!(path.starts_with("/newsroom/preview/"), "{path}");
    // Not on the site, but the link shows it to someone without an account.
    assert_eq!(site.get("/en/analytics/embargoed-story").await.status, 404);
    let page = site.get(&path).await;
    page.assert_ok();
    // The story itself, rendered as the site would, without the view beacon.
    let doc = page.html();
    assert_eq!(text(testid(&doc, "title")), "Embargoed story");
    assert_eq!(text(testid(&doc, "body")), "Not out yet.");
    assert!(
        select(&doc, "[data-beacon-url]").is_empty(),
        "a preview is not a view"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-robots-tag"), Some("noindex, nofollow"));

    // Tampering with any part: not found.
    let parts: Vec<&str> = path.rsplitn(4, '/').collect(); // signature, expires, id, prefix
    let (signature, expires, id) = (parts[0], parts[1], parts[2]);
    let later: i64 = expires.parse::<i64>().unwrap() + 86_400;
    let flipped = format!(
        "{}{}",
        &signature[..signature.len() - 1],
        if signature.ends_with('0') { '1' } else { '0' }
    );
    for bad in [
        format!(
            "/newsroom/preview/{}/{expires}/{signature}",
            id.parse::<i64>().unwrap() - 1
        ),
        format!("/newsroom/preview/{id}/{later}/{signature}"),
        format!("/newsroom/preview/{id}/{expires}/{flipped}"),
        format!("/newsroom/preview/{id}/{expires}/nothex"),
        format!("/newsroom/preview/x/{expires}/{signature}"),
    ] {
        assert_eq!(site.get(&bad).await.status, 404, "{bad}");
    }

    // After a week the link says it has expired.
    clock.advance(SignedDuration::from_hours(7 * 24 + 1));
    let gone = site.get(&path).await;
    assert_eq!(gone.status, 403);
    assert_eq!(
        text(testid(&gone.html(), "expired")),
        "This preview link has expired."
    );
    assert!(!gone.body.contains("Not out yet."));
}
