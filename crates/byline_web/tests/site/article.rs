//! The article page: every element of the seed page, in all three editions.

use crate::common::html::{
    attr, attrs, hrefs, select, select_one, testid, text, within, within_one,
};
use crate::common::{TestSite, fluent};

const EN: &str = "/en/analytics/grid-interconnectors-learning-to-share";
const RU: &str = "/ru/analytics/grid-interconnectors-learning-to-share";
const HY: &str = "/hy/analytics/grid-interconnectors-learning-to-share";

#[tokio::test]
async fn article_page_has_every_element_of_the_seed_page() {
    let site = TestSite::demo().await;
    let page = site.get(EN).await;
    page.assert_ok();
    let doc = page.html();
    let url = format!("http://127.0.0.1:8080{EN}");

    // Section label linking to the section.
    let label = testid(&doc, "section-label");
    assert_eq!(
        (attr(label, "href").as_str(), text(label).as_str()),
        ("/en/analytics", "Analytics")
    );
    // Title, subtitle.
    assert!(text(testid(&doc, "title")).starts_with("Wires across borders"));
    assert!(text(testid(&doc, "subtitle")).starts_with("New interconnectors promise"));
    // Publish date in the site timezone (Asia/Baku), house format.
    let published = testid(&doc, "published");
    assert_eq!(text(published), "09 June 2026 08:30");
    assert_eq!(attr(published, "datetime"), "2026-06-09T08:30:00+04:00");
    // Cover with caption and credit.
    let cover = testid(&doc, "cover");
    let img = within_one(cover, "img");
    assert_eq!(
        attr(img, "src"),
        "/media/demo/covers/01-grid-interconnectors.jpg"
    );
    assert_eq!(attr(img, "width"), "1200");
    // Narrower and lighter copies for phones and lists: WebP at 480, 800 and 1200 px,
    // each served as WebP and a fraction of the JPEG's bytes.
    let jpeg = site
        .request_raw(
            axum::http::Request::get("/media/demo/covers/01-grid-interconnectors.jpg")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .2;
    let srcset = attr(img, "srcset");
    let candidates: Vec<&str> = srcset.split(", ").collect();
    assert_eq!(candidates.len(), 3, "{srcset}");
    for (candidate, width) in candidates.iter().zip(["480w", "800w", "1200w"]) {
        let (url, w) = candidate.split_once(' ').unwrap();
        assert_eq!(w, width, "{srcset}");
        assert!(url.ends_with(".webp"), "{srcset}");
        let (status, headers, body) = site
            .request_raw(
                axum::http::Request::get(url)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(headers["content-type"], "image/webp", "{url}");
        assert_eq!(&body[..4], b"RIFF", "{url}");
        assert!(
            body.len() < jpeg.len() * 2 / 3,
            "{url}: {} vs {}",
            body.len(),
            jpeg.len()
        );
    }
    assert_eq!(
        text(within_one(cover, "figcaption .credit")),
        "Illustration: Meridian Review"
    );
    assert!(!text(within_one(cover, "figcaption .caption")).is_empty());
    // Body with subheadings, quotes, lists, images with captions.
    let body = testid(&doc, "body");
    for (css, what) in [
        ("h2", "subheadings"),
        ("blockquote", "quotes"),
        ("li", "lists"),
        ("figure > img", "figures"),
        ("figure > figcaption", "figure captions"),
    ] {
        assert!(!within(body, css).is_empty(), "{what}");
    }
    // Byline with the author linked.
    let authors = within(testid(&doc, "byline"), "a.author");
    assert_eq!(
        authors
            .iter()
            .map(|a| (attr(*a, "href"), text(*a)))
            .collect::<Vec<_>>(),
        [(
            "/en/author/lena-arakelova".to_owned(),
            "Lena Arakelova".to_owned()
        )]
    );
    // Views counter the script updates.
    let views = testid(&doc, "views");
    let count = within_one(views, "[data-views]");
    assert_eq!(text(views), format!("Views: {}", attr(count, "data-views")));
    // Share links as plain links carrying the article URL, print, copy link with the
    // localized toast.
    let share = hrefs(testid(&doc, "share"));
    let encoded = "http%3A%2F%2F127%2E0%2E0%2E1%3A8080%2Fen%2Fanalytics%2Fgrid";
    for host in [
        "https://x.com/intent/post?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://t.me/share/url?url=",
        "https://wa.me/?text=",
        "mailto:?subject=",
    ] {
        let link = share
            .iter()
            .find(|h| h.starts_with(host))
            .unwrap_or_else(|| panic!("share link {host} missing: {share:?}"));
        assert!(link.contains(encoded), "{link} carries the article URL");
    }
    assert_eq!(share.len(), 5, "{share:?}");
    testid(&doc, "print");
    assert_eq!(attr(testid(&doc, "copy-link"), "data-copy-url"), url);
    assert_eq!(attr(testid(&doc, "toast"), "data-message"), "Link copied");
    // A+ / A−, night theme, language switcher, search overlay.
    testid(&doc, "font-up");
    testid(&doc, "font-down");
    testid(&doc, "theme-toggle");
    testid(&doc, "lang-switcher");
    let overlay = testid(&doc, "search-overlay");
    assert_eq!(
        text(within_one(overlay, "label[for=search-overlay-q]")),
        "What are you looking for?"
    );
    assert_eq!(
        attr(within_one(overlay, "form[role=search]"), "action"),
        "/en/search"
    );
    // Header social and app links, footer attribution, from the settings.
    let header_links = hrefs(select_one(&doc, "header.site-header"));
    for url in [
        "https://x.com/meridianreview",
        "https://www.youtube.com/@meridianreview",
        "https://www.instagram.com/meridianreview",
        "https://www.facebook.com/meridianreview",
        "https://t.me/meridianreview",
        "https://apps.apple.com/app/meridian-review/id0000000000",
        "https://play.google.com/store/apps/details?id=example.meridian.review",
    ] {
        assert!(
            header_links.contains(&url.to_owned()),
            "header link {url} missing"
        );
    }
    assert!(
        text(select_one(&doc, ".site-footer .attribution"))
            .contains("Any use of Meridian Review materials requires a hyperlink")
    );
    // More from the section, with the next batch's URL for infinite scroll.
    let more = testid(&doc, "more");
    let cards = attrs(more, "[data-testid=card] .card-title a", "href");
    assert!(!cards.is_empty(), "'more' has cards");
    assert!(
        cards.iter().all(|c| c.starts_with("/en/analytics/")),
        "from the section: {cards:?}"
    );
    assert!(
        !cards.contains(&EN.to_owned()),
        "the article itself is not in 'more'"
    );
    // The beacon URL for the script, on the story itself.
    let beacon = attr(select_one(&doc, "article.story"), "data-beacon-url");
    assert!(beacon.starts_with("/api/v1/views/"), "{beacon}");
}

/// Nothing on a reader page makes the browser ask another host for anything: every
/// address the page loads by itself (scripts, styles, icons, pictures in every size,
/// frames, CSS `url()`) is on the site. Links readers may follow (share, social) are not
/// requests and may point anywhere.
#[tokio::test]
async fn reader_pages_load_nothing_from_other_hosts() {
    let site = TestSite::demo().await;
    let own = |url: &str| {
        url.starts_with('/') && !url.starts_with("//")
            || url.starts_with(&format!("{}/", site.state.config.site_url))
            || url.starts_with("data:")
            || url.starts_with('#')
    };
    for path in [
        "/en/",
        "/ru/analytics",
        "/en/analytics/grid-interconnectors-learning-to-share",
        "/hy/tag/water",
        "/en/author/lena-arakelova",
        "/en/search?q=water",
        "/en/no-such-section",
    ] {
        let page = site.get(path).await;
        let doc = page.html();
        let mut loaded: Vec<String> = Vec::new();
        for element in select(
            &doc,
            "[src], [srcset], [data-src], link[href], [poster], object[data]",
        ) {
            let v = element.value();
            for name in ["src", "data-src", "poster", "data"] {
                loaded.extend(v.attr(name).map(str::to_owned));
            }
            if let Some(set) = v.attr("srcset") {
                loaded.extend(
                    set.split(',')
                        .filter_map(|c| c.split_whitespace().next().map(str::to_owned)),
                );
            }
            if v.name() == "link" {
                loaded.extend(v.attr("href").map(str::to_owned));
            }
        }
        assert!(
            !loaded.is_empty(),
            "{path}: the check saw the page's own files"
        );
        for url in &loaded {
            assert!(own(url), "{path} loads {url} from another host");
        }
        for style in select(&doc, "style, [style]") {
            let css = style
                .value()
                .attr("style")
                .map(str::to_owned)
                .unwrap_or_else(|| text(style));
            assert!(
                !css.contains("url(http") && !css.contains("@import"),
                "{path}: {css}"
            );
        }
    }
    // The stylesheet: no web fonts, imports or pictures from elsewhere.
    let front = site.get("/en/").await;
    let stylesheet = attrs(
        select(&front.html(), "head")[0],
        "link[rel=stylesheet]",
        "href",
    );
    assert_eq!(stylesheet.len(), 1, "{stylesheet:?}");
    let css = site.get(&stylesheet[0]).await;
    css.assert_ok();
    for needle in [
        "@import",
        "@font-face",
        "url(http",
        "url(\"http",
        "url('http",
        "url(//",
    ] {
        assert!(!css.body.contains(needle), "byline.css has {needle}");
    }
}

#[tokio::test]
async fn dates_are_localized_in_all_three_languages() {
    let site = TestSite::demo().await;
    for (path, date) in [
        (RU, "09 июня 2026 11:45"),
        (HY, "09 հունիսի 2026 14:20"),
        (EN, "09 June 2026 08:30"),
    ] {
        let page = site.get(path).await;
        page.assert_ok();
        assert_eq!(text(testid(&page.html(), "published")), date, "{path}");
    }
}

#[tokio::test]
async fn ui_strings_follow_the_edition() {
    let site = TestSite::demo().await;
    // The views counter's label is the edition's, and nothing else is in it: its text is
    // exactly "label count" (the English "Views:" left anywhere in it would show).
    let views_label = |page: &crate::common::TestResponse, lang: &str| {
        let html = page.html();
        let views = testid(&html, "views");
        let count = text(within_one(views, "[data-views]"));
        assert_eq!(
            text(views),
            format!("{} {count}", fluent(lang, "views-label")),
            "{lang}"
        );
    };
    let ru = site.get(RU).await;
    assert_eq!(attr(select_one(&ru.html(), "html"), "lang"), "ru");
    assert!(ru.body.contains("Ссылка скопирована"));
    views_label(&ru, "ru");
    let hy = site.get(HY).await;
    assert_eq!(attr(select_one(&hy.html(), "html"), "lang"), "hy");
    views_label(&hy, "hy");
    assert!(
        !text(select_one(&hy.html(), "main")).contains("Views"),
        "no English left on the Armenian page"
    );
}

#[tokio::test]
async fn switcher_leads_to_translations_or_edition_fronts() {
    let site = TestSite::demo().await;
    // The switcher's links, one per edition in the editions' order.
    async fn switcher(site: &TestSite, path: &str) -> Vec<String> {
        hrefs(testid(&site.get(path).await.html(), "lang-switcher"))
    }
    assert_eq!(switcher(&site, EN).await, [EN, RU, HY]);
    assert_eq!(
        switcher(&site, RU).await,
        [EN, RU, HY],
        "translations link back"
    );

    // Story 08 exists in English only: the other editions lead to their front pages.
    const ONLY_EN: &str = "/en/economy/third-quarter-inflation-report-2026";
    site.get(ONLY_EN).await.assert_ok();
    assert_eq!(switcher(&site, ONLY_EN).await, [ONLY_EN, "/ru/", "/hy/"]);

    // A Russian translation in draft is not offered to readers; once published, it is.
    let id = site
        .article_id("en", "third-quarter-inflation-report-2026")
        .await;
    let en = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap();
    let mut ru = site.input_from(&en);
    ru.edition = "ru".into();
    ru.slug = "inflyatsiya-tretiy-kvartal-2026".into();
    ru.title = "Инфляция в третьем квартале 2026 года".into();
    ru.status = byline_core::ArticleStatus::Draft;
    ru.translation_of = Some(en.id);
    let ru_id = site.content().import_article(ru).await.unwrap();
    assert_eq!(
        switcher(&site, ONLY_EN).await,
        [ONLY_EN, "/ru/", "/hy/"],
        "draft"
    );
    site.content()
        .set_status(ru_id, byline_core::ArticleStatus::Published)
        .await
        .unwrap();
    site.settle().await; // the cached English page is dropped through the change feed
    assert_eq!(
        switcher(&site, ONLY_EN).await,
        [
            ONLY_EN,
            "/ru/economy/inflyatsiya-tretiy-kvartal-2026",
            "/hy/"
        ],
        "published"
    );
}

#[tokio::test]
async fn wrong_section_in_the_url_redirects_to_the_canonical_one() {
    let site = TestSite::demo().await;
    let r = site
        .get("/en/culture/grid-interconnectors-learning-to-share")
        .await;
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some(EN));
}

#[tokio::test]
async fn pages_answer_304_to_a_matching_etag() {
    let site = TestSite::demo().await;
    let first = site.get(EN).await;
    let etag = first.header("etag").expect("etag").to_owned();
    let again = site.get_with(EN, "if-none-match", &etag).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = site.get_with(EN, "if-none-match", "\"nope\"").await;
    assert_eq!(other.status, 200);
}

#[tokio::test]
async fn stored_markup_is_escaped_or_sanitized() {
    let site = TestSite::demo().await;
    site.content()
        .import_article(byline_content::ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "escaping-check".into(),
            title: "<script>alert('t')</script> & more".into(),
            subtitle: "\"quoted\" <b>sub</b>".into(),
            body_markdown: "Hello <script>alert(1)</script><img src=x onerror=alert(2)>\n\n[link](javascript:alert(3))".into(),
            cover: None,
            authors: vec![],
            tags: vec![],
            status: byline_core::ArticleStatus::Published,
            featured: false,
            published_at: None,
            translation_of: None,
            seo: Default::default(),
        })
        .await
        .unwrap();
    site.settle().await;
    let page = site.get("/en/news/escaping-check").await;
    page.assert_ok();
    let doc = page.html();
    // The title and subtitle are text, shown as typed; the body keeps no script, no
    // handler and no javascript: link.
    assert_eq!(
        text(testid(&doc, "title")),
        "<script>alert('t')</script> & more"
    );
    assert_eq!(text(testid(&doc, "subtitle")), "\"quoted\" <b>sub</b>");
    let body = testid(&doc, "body");
    assert!(text(body).starts_with("Hello"), "{}", body.html());
    assert!(
        within(body, "script, img[onerror]").is_empty(),
        "{}",
        body.html()
    );
    assert!(
        !page.body.contains("<script>alert"),
        "no script tag anywhere"
    );
    assert!(!page.body.contains("onerror"));
    assert!(!page.body.contains("javascript:alert"));
}
