//! Static pages on the reader site (the demo outlet's About, Contacts, Privacy): served
//! in their edition, linked from its footer in order, in its sitemap, and kept out of
//! feeds, lists and search.

use crate::common::TestSite;
use crate::common::html::{attr, select, select_one, text};
use crate::syndication::read_sitemap;

#[tokio::test]
async fn the_demo_pages_are_served_in_their_edition_and_linked_from_its_footer() {
    let site = TestSite::demo().await;
    for (ed, first, footer) in [
        (
            "en",
            "/en/page/about",
            ["About Meridian Review", "Contacts", "Privacy"],
        ),
        (
            "ru",
            "/ru/page/o-redakcii",
            [
                "О редакции Meridian Review",
                "Контакты",
                "Конфиденциальность",
            ],
        ),
    ] {
        let front = site.get(&format!("/{ed}/")).await;
        front.assert_ok();
        let html = front.html();
        let links = select(&html, "footer [data-testid=footer-pages] a");
        assert_eq!(
            links.iter().map(|a| text(*a)).collect::<Vec<_>>(),
            footer,
            "{ed}: footer order"
        );
        assert_eq!(attr(links[0], "href"), first);
        let page = site.get(first).await;
        page.assert_ok();
        let html = page.html();
        assert_eq!(text(select_one(&html, "h1")), footer[0]);
        assert_eq!(attr(select_one(&html, "html"), "lang"), ed);
        let current = select(
            &html,
            "footer [data-testid=footer-pages] a[aria-current=page]",
        );
        assert_eq!(current.len(), 1, "the page marks itself in the footer");
        assert_eq!(attr(current[0], "href"), first);
        let canonical = attr(select_one(&html, "link[rel=canonical]"), "href");
        assert!(canonical.ends_with(first), "{canonical}");
        assert!(
            !attr(select_one(&html, "meta[name=description]"), "content").is_empty(),
            "{first} has a description"
        );
    }
    // One edition each: the English address does not exist in Russian.
    assert_eq!(site.get("/ru/page/about").await.status, 404);
    assert_eq!(site.get("/en/page/no-such-page").await.status, 404);
    assert_eq!(site.get("/xx/page/about").await.status, 404);
}

#[tokio::test]
async fn pages_are_in_the_sitemap_and_nowhere_near_the_news() {
    let site = TestSite::demo().await;
    let (_, urls) = read_sitemap(&site.get("/sitemap/en/pages.xml").await.body);
    let locs: Vec<&str> = urls.iter().map(|u| u.loc.as_str()).collect();
    for path in ["/en/page/about", "/en/page/contacts", "/en/page/privacy"] {
        assert!(
            locs.iter().any(|l| l.ends_with(path)),
            "{path} in the sitemap: {locs:?}"
        );
    }
    assert!(
        !locs.iter().any(|l| l.contains("/ru/page/")),
        "another edition's pages stay in its own sitemap"
    );
    for feed in ["/en/feed.rss", "/en/feed.atom", "/feed.rss"] {
        let body = site.get(feed).await.body;
        assert!(body.contains("<item") || body.contains("<entry"), "{feed}");
        assert!(
            !body.contains("/page/"),
            "{feed} lists no static page: {}",
            body.find("/page/")
                .map(|at| &body[at.saturating_sub(300)..(at + 100).min(body.len())])
                .unwrap_or("")
        );
    }
    // "trackers" is in the About page's text; a search finds articles only.
    let results = site.get("/en/search?q=trackers").await;
    results.assert_ok();
    let html = results.html();
    assert!(
        select(&html, "main a")
            .iter()
            .all(|a| !attr(*a, "href").contains("/page/")),
        "search lists no static page"
    );
    let front = site.get("/en/").await;
    let html = front.html();
    assert!(
        select(&html, "main a")
            .iter()
            .all(|a| !attr(*a, "href").contains("/page/")),
        "the front page's lists hold no static page"
    );
}
