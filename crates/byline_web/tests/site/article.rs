//! The article page: every element of the seed page, in all three editions.

use crate::common::{TestSite, attrs, select, text};

const EN: &str = "/en/analytics/grid-interconnectors-learning-to-share";
const RU: &str = "/ru/analytics/grid-interconnectors-learning-to-share";
const HY: &str = "/hy/analytics/grid-interconnectors-learning-to-share";

#[tokio::test]
async fn article_page_has_every_element_of_the_seed_page() {
    let site = TestSite::demo().await;
    let page = site.get(EN).await;
    page.assert_ok();
    let html = &page.body;

    // Section label linking to the section.
    let label = page.testid("section-label").expect("section label");
    assert!(label.contains("href=\"/en/analytics\""), "{label}");
    assert!(label.contains("Analytics"));
    // Title, subtitle.
    assert!(
        page.testid("title")
            .unwrap()
            .contains("Wires across borders")
    );
    assert!(
        page.testid("subtitle")
            .unwrap()
            .contains("New interconnectors promise")
    );
    // Publish date in the site timezone (Asia/Baku), house format.
    let published = page.testid("published").unwrap();
    assert!(published.contains("09 June 2026 08:30"), "{published}");
    assert!(
        published.contains("datetime=\"2026-06-09T08:30:00+04:00\""),
        "{published}"
    );
    // Cover with caption and credit.
    let cover = page.testid("cover").unwrap();
    assert!(cover.contains("/media/demo/covers/01-grid-interconnectors.jpg"));
    assert!(cover.contains("Illustration: Meridian Review"));
    assert!(cover.contains("width=\"1200\""));
    // Body with subheadings, quotes, lists, images with captions.
    let body = page.testid("body").unwrap();
    assert!(body.contains("<h2>"), "subheadings");
    assert!(body.contains("<blockquote>"), "quotes");
    assert!(body.contains("<li>"), "lists");
    assert!(
        body.contains("<figure><img") && body.contains("<figcaption>"),
        "figures"
    );
    // Byline with the author linked.
    let byline = page.testid("byline").unwrap();
    assert!(
        byline.contains("href=\"/en/author/lena-arakelova\"") && byline.contains("Lena Arakelova")
    );
    // Views counter the script updates.
    let views = page.testid("views").unwrap();
    assert!(
        views.contains("Views:") && views.contains("data-views"),
        "{views}"
    );
    // Share links as plain links, print, copy link with the localized toast.
    let share = page.testid("share").unwrap();
    for host in [
        "https://x.com/intent/post?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://t.me/share/url?url=",
        "https://wa.me/?text=",
        "mailto:?subject=",
    ] {
        assert!(share.contains(host), "share link {host} missing");
    }
    assert!(
        share.contains("http%3A%2F%2F127%2E0%2E0%2E1%3A8080%2Fen%2Fanalytics%2Fgrid"),
        "share links carry the article URL"
    );
    assert!(page.testid("print").is_some());
    assert!(page.testid("copy-link").unwrap().contains("data-copy-url=\"http://127.0.0.1:8080/en/analytics/grid-interconnectors-learning-to-share\""));
    assert!(html.contains("Link copied"));
    // A+ / A−, night theme, language switcher, search overlay.
    assert!(page.testid("font-up").is_some() && page.testid("font-down").is_some());
    assert!(page.testid("theme-toggle").is_some());
    assert!(page.testid("lang-switcher").is_some());
    assert!(
        page.testid("search-overlay")
            .unwrap()
            .contains("What are you looking for?")
    );
    assert!(html.contains("action=\"/en/search\""));
    // Header social and app links, footer attribution, from the settings.
    let doc = page.html();
    let header_links = attrs(select(&doc, "header.site-header")[0], "a", "href");
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
        text(select(&doc, ".site-footer .attribution")[0])
            .contains("Any use of Meridian Review materials requires a hyperlink")
    );
    // More from the section, with the next batch's URL for infinite scroll.
    let more = page.testid("more").unwrap();
    assert!(more.contains("data-testid=\"card\""));
    assert!(
        !more.contains("grid-interconnectors-learning-to-share\""),
        "the article itself is not in 'more'"
    );
    // The beacon URL for the script.
    assert!(html.contains("data-beacon-url=\"/api/v1/views/"));
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
    let ru = site.get(RU).await;
    ru.assert_ok();
    assert!(
        ru.testid("published")
            .unwrap()
            .contains("09 июня 2026 11:45"),
        "{}",
        ru.testid("published").unwrap()
    );
    let hy = site.get(HY).await;
    hy.assert_ok();
    assert!(
        hy.testid("published")
            .unwrap()
            .contains("09 հունիսի 2026 14:20"),
        "{}",
        hy.testid("published").unwrap()
    );
    assert!(
        site.get(EN)
            .await
            .testid("published")
            .unwrap()
            .contains("09 June 2026 08:30")
    );
}

#[tokio::test]
async fn ui_strings_follow_the_edition() {
    let site = TestSite::demo().await;
    let ru = site.get(RU).await;
    assert!(ru.body.contains("<html lang=\"ru\""));
    assert!(ru.body.contains("Ссылка скопирована"));
    assert!(ru.testid("views").unwrap().contains("Просмотры"));
    let hy = site.get(HY).await;
    assert!(hy.body.contains("<html lang=\"hy\""));
    assert!(
        !hy.body.contains(">Views:"),
        "no English left on the Armenian page"
    );
}

#[tokio::test]
async fn switcher_leads_to_translations_or_edition_fronts() {
    let site = TestSite::demo().await;
    let en = site.get(EN).await;
    let switcher = en.testid("lang-switcher").unwrap();
    assert!(switcher.contains(&format!("href=\"{RU}\"")), "{switcher}");
    assert!(switcher.contains(&format!("href=\"{HY}\"")), "{switcher}");
    let ru = site.get(RU).await;
    assert!(
        ru.testid("lang-switcher")
            .unwrap()
            .contains(&format!("href=\"{EN}\"")),
        "translations link back"
    );

    // Story 08 exists in English only: the other editions lead to their front pages.
    let only_en = site
        .get("/en/economy/third-quarter-inflation-report-2026")
        .await;
    only_en.assert_ok();
    let switcher = only_en.testid("lang-switcher").unwrap();
    assert!(
        switcher.contains("href=\"/ru/\"") && switcher.contains("href=\"/hy/\""),
        "{switcher}"
    );

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
    let switcher = site
        .get("/en/economy/third-quarter-inflation-report-2026")
        .await
        .testid("lang-switcher")
        .unwrap();
    assert!(switcher.contains("href=\"/ru/\""), "draft: {switcher}");
    assert!(!switcher.contains("inflyatsiya"), "draft: {switcher}");
    site.content()
        .set_status(ru_id, byline_core::ArticleStatus::Published)
        .await
        .unwrap();
    site.settle().await; // the cached English page is dropped through the change feed
    let switcher = site
        .get("/en/economy/third-quarter-inflation-report-2026")
        .await
        .testid("lang-switcher")
        .unwrap();
    assert!(
        switcher.contains("href=\"/ru/economy/inflyatsiya-tretiy-kvartal-2026\""),
        "published: {switcher}"
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
    assert!(
        page.body
            .contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; more")
    );
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("onerror"));
    assert!(!page.body.contains("javascript:alert"));
}
