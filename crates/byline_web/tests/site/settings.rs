//! Site settings as readers meet them: what an admin changes in the newsroom's settings
//! reaches the header and footer of every page at once.

use crate::common::TestSite;
use crate::common::html::{attrs, hrefs, lang, select, testid, text};
use byline_core::Localized;

#[tokio::test]
async fn changed_settings_reach_the_header_and_footer() {
    let site = TestSite::demo().await;
    let path = "/ru/analytics/grid-interconnectors-learning-to-share";
    site.get(path).await.assert_ok(); // rendered and cached with the old settings

    let mut settings = site.content().catalog().settings.clone();
    settings.name = "Northern Ledger".into();
    settings
        .social
        .insert("x".into(), "https://x.com/northernledger".into());
    settings.social.remove("youtube");
    settings.apps.insert(
        "ios".into(),
        "https://apps.apple.com/app/northern-ledger".into(),
    );
    settings.attribution = Localized::from_pairs([
        ("en", "Quote us with a link to Northern Ledger."),
        ("ru", "Цитируя нас, ставьте ссылку на Northern Ledger."),
    ]);
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await; // cached pages are dropped through the change feed

    let page = site.get(path).await;
    page.assert_ok();
    let doc = page.html();
    let header = select(&doc, "header.site-header")[0];
    let links = attrs(header, "a", "href");
    assert!(
        links.contains(&"https://x.com/northernledger".to_owned()),
        "{links:?}"
    );
    assert!(links.contains(&"https://apps.apple.com/app/northern-ledger".to_owned()));
    assert!(
        !page.body.contains("youtube.com"),
        "a removed link is gone from header and footer"
    );
    assert!(text(header).contains("Northern Ledger"), "the new name");
    assert_eq!(
        text(select(&doc, ".site-footer .attribution")[0]),
        "Цитируя нас, ставьте ссылку на Northern Ledger.",
        "the attribution in the page's edition"
    );
    let hy = site.get("/hy/").await;
    assert_eq!(
        text(select(&hy.html(), ".site-footer .attribution")[0]),
        "Quote us with a link to Northern Ledger.",
        "an edition without its own text falls back to English"
    );
}

/// Which editions exist is the outlet's setting: one added in the newsroom is served at
/// once, with its own `lang`, offered by the switcher, and (lacking strings of its own)
/// speaks the default edition's language until a theme brings its Fluent file.
#[tokio::test]
async fn an_added_edition_is_served_at_once() {
    let site = TestSite::demo().await;
    assert_eq!(site.get("/de/").await.status, 404, "not an edition yet");
    let mut settings = site.content().catalog().settings.clone();
    settings.editions.push(byline_core::Edition {
        code: "de".into(),
        name: "Deutsch".into(),
    });
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await; // cached pages are dropped through the change feed

    let front = site.get("/de/").await;
    front.assert_ok();
    let doc = front.html();
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("de"));
    assert!(
        text(select(&doc, "main")[0]).contains(&crate::common::fluent("en", "front-empty")),
        "no German stories yet: the empty front page, in English strings"
    );
    let switcher = hrefs(testid(&site.get("/en/").await.html(), "lang-switcher"));
    assert_eq!(switcher, ["/en/", "/ru/", "/hy/", "/de/"], "offered last");
    let missing = site.get("/de/analytics/nothing-here").await;
    assert_eq!(missing.status, 404);
    assert_eq!(lang(&missing.html()).as_deref(), Some("de"));
    assert_eq!(
        site.get("/fr/").await.status,
        404,
        "other codes stay unknown"
    );
}

/// The footer's copyright year is the site's current year: the footer, rendered once per
/// edition (`site::chrome`), is made again when the year turns.
#[tokio::test]
async fn the_copyright_year_turns_with_the_clock() {
    let clock = byline_content::Clock::manual("2030-06-01T12:00:00Z".parse().unwrap());
    let site = TestSite::demo_with(byline_content::ContentOptions {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let copyright = |page: &crate::common::TestResponse| {
        text(select(&page.html(), ".site-footer .copyright")[0])
    };
    let front = site.get("/en/").await;
    assert!(
        copyright(&front).starts_with("© 2030 "),
        "{}",
        copyright(&front)
    );

    clock.advance(jiff::SignedDuration::from_hours(24 * 365));
    // Another page of the same edition: the front page itself is still in the cache.
    let section = site.get("/en/analytics").await;
    section.assert_ok();
    assert!(
        copyright(&section).starts_with("© 2031 "),
        "{}",
        copyright(&section)
    );
}
