//! Page heads: canonical, hreflang, feed autodiscovery, Open Graph, Twitter, JSON-LD.

use super::sitemaps::head_alternates;
use crate::common::TestSite;
use crate::common::html::{attr, attrs, select_one, text as html_text, within};
use byline_content::ArticleInput;
use byline_core::{ArticleStatus, Seo};
use serde_json::Value;

const SITE: &str = "http://127.0.0.1:8080";
const EN: &str = "/en/analytics/grid-interconnectors-learning-to-share";

/// The raw markup before `</head>`, for claims about bytes (how a script is escaped).
fn head(html: &str) -> &str {
    &html[..html.find("</head>").expect("a head")]
}

/// The `attr` of every element of the page's head matching `css`, in order.
fn head_attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    attrs(select_one(&doc, "head"), css, attr)
}

/// Every `content` of `<meta {attr}="{key}" content="…">` in the head, in order.
fn metas(html: &str, attr: &str, key: &str) -> Vec<String> {
    head_attrs(html, &format!("meta[{attr}=\"{key}\"]"), "content")
}

fn og(html: &str, key: &str) -> Option<String> {
    metas(html, "property", key).into_iter().next()
}

/// The page's `<title>`.
fn title(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    html_text(select_one(&doc, "head > title"))
}

/// Every JSON-LD block of the page's head, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let doc = scraper::Html::parse_document(html);
    within(
        select_one(&doc, "head"),
        "script[type=\"application/ld+json\"]",
    )
    .into_iter()
    .map(|script| {
        let text: String = script.text().collect();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON-LD {text}: {e}"))
    })
    .collect()
}

fn of_type<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {blocks:#?}"))
}

fn text<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{what} missing or empty: {v}"))
}

#[tokio::test]
async fn article_head_has_open_graph_twitter_and_news_article() {
    let site = TestSite::demo().await;
    let page = site.get(EN).await;
    page.assert_ok();
    let html = &page.body;
    let canonical = format!("{SITE}{EN}");
    assert_eq!(
        head_attrs(html, "link[rel=canonical]", "href"),
        std::slice::from_ref(&canonical)
    );
    let seo = "Why new power interconnectors across the region depend on shared grid rules more than on new lines.";
    assert_eq!(
        metas(html, "name", "description"),
        vec![seo],
        "the SEO description wins"
    );

    assert_eq!(og(html, "og:type").as_deref(), Some("article"));
    assert_eq!(og(html, "og:url").as_deref(), Some(canonical.as_str()));
    assert_eq!(og(html, "og:locale").as_deref(), Some("en_US"));
    assert_eq!(
        metas(html, "property", "og:locale:alternate"),
        vec!["ru_RU", "hy_AM"]
    );
    assert_eq!(
        og(html, "article:published_time").as_deref(),
        Some("2026-06-09T08:30:00+04:00")
    );
    assert_eq!(
        og(html, "article:modified_time").as_deref(),
        Some("2026-06-09T08:30:00+04:00"),
        "never corrected: modified = published"
    );
    assert_eq!(og(html, "article:section").as_deref(), Some("Analytics"));
    assert_eq!(metas(html, "property", "article:tag").len(), 3);
    assert_eq!(
        og(html, "article:author").as_deref(),
        Some(format!("{SITE}/en/author/lena-arakelova").as_str())
    );
    let image = format!("{SITE}/media/demo/covers/01-grid-interconnectors.jpg");
    assert_eq!(og(html, "og:image").as_deref(), Some(image.as_str()));
    assert_eq!(og(html, "og:image:width").as_deref(), Some("1200"));
    assert!(og(html, "og:image:height").unwrap().parse::<u32>().unwrap() > 0);
    assert!(
        og(html, "og:image:alt")
            .unwrap()
            .starts_with("Abstract illustration")
    );
    assert_eq!(
        metas(html, "name", "twitter:card"),
        vec!["summary_large_image"]
    );
    assert_eq!(metas(html, "name", "twitter:site"), vec!["@meridianreview"]);
    assert_eq!(metas(html, "name", "twitter:image"), vec![image.clone()]);

    let blocks = json_ld(html);
    let news = of_type(&blocks, "NewsArticle");
    assert_eq!(news["@context"], "https://schema.org");
    assert!(text(&news["headline"], "headline").starts_with("Wires across borders"));
    assert!(news["headline"].as_str().unwrap().chars().count() <= 110);
    assert_eq!(text(&news["description"], "description"), seo);
    assert_eq!(
        text(&news["datePublished"], "datePublished"),
        "2026-06-09T08:30:00+04:00"
    );
    assert_eq!(
        text(&news["dateModified"], "dateModified"),
        "2026-06-09T08:30:00+04:00"
    );
    let author = &news["author"][0];
    assert_eq!(author["@type"], "Person");
    assert_eq!(text(&author["name"], "author.name"), "Lena Arakelova");
    assert_eq!(
        text(&author["url"], "author.url"),
        format!("{SITE}/en/author/lena-arakelova")
    );
    let publisher = &news["publisher"];
    assert_eq!(publisher["@type"], "Organization");
    assert_eq!(
        text(&publisher["name"], "publisher.name"),
        "Meridian Review"
    );
    let logo = text(&publisher["logo"]["url"], "publisher.logo.url");
    assert!(
        logo.starts_with(&format!("{SITE}/static/logo.svg?v=")),
        "{logo}"
    );
    let logo_path = &logo[SITE.len()..];
    let logo_file = site.get(logo_path).await;
    logo_file.assert_ok();
    assert_eq!(logo_file.header("content-type"), Some("image/svg+xml"));
    assert_eq!(text(&news["image"][0]["url"], "image.url"), image);
    assert_eq!(news["image"][0]["width"], 1200);
    assert_eq!(
        text(&news["mainEntityOfPage"]["@id"], "mainEntityOfPage"),
        canonical
    );
    assert_eq!(text(&news["inLanguage"], "inLanguage"), "en");
    assert_eq!(text(&news["articleSection"], "articleSection"), "Analytics");

    let crumbs = of_type(&blocks, "BreadcrumbList");
    let items = crumbs["itemListElement"].as_array().unwrap();
    let trail: Vec<(i64, &str)> = items
        .iter()
        .map(|i| (i["position"].as_i64().unwrap(), i["item"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trail,
        vec![
            (1, format!("{SITE}/en/").as_str()),
            (2, format!("{SITE}/en/analytics").as_str()),
            (3, canonical.as_str()),
        ]
    );
    assert!(
        items
            .iter()
            .all(|i| i["@type"] == "ListItem" && i["name"].is_string())
    );
}

#[tokio::test]
async fn meta_description_falls_back_to_the_subtitle_and_seo_title_to_the_title() {
    let site = TestSite::demo().await;
    let ru = site
        .get("/ru/analytics/grid-interconnectors-learning-to-share")
        .await;
    let article = site
        .store()
        .published_article("ru", "grid-interconnectors-learning-to-share")
        .await
        .unwrap();
    assert!(article.seo.description.is_none());
    assert_eq!(
        metas(&ru.body, "name", "description"),
        vec![article.subtitle.clone()]
    );
    let blocks = json_ld(&ru.body);
    assert_eq!(
        of_type(&blocks, "NewsArticle")["description"],
        article.subtitle.as_str()
    );
    assert_eq!(
        title(&ru.body),
        format!("{} — Meridian Review", article.title)
    );

    create(
        &site,
        "seo-titled",
        "Plain headline",
        Seo {
            title: Some("Search headline".into()),
            description: Some("   ".into()),
            image: None,
        },
    )
    .await;
    let page = site.get("/en/news/seo-titled").await;
    assert_eq!(title(&page.body), "Search headline — Meridian Review");
    assert_eq!(
        metas(&page.body, "name", "description"),
        vec!["A subtitle"],
        "blank is unset"
    );
    assert_eq!(
        metas(&page.body, "name", "twitter:card"),
        vec!["summary"],
        "no picture"
    );
    assert!(og(&page.body, "og:image").is_none());
    // No authors: the publisher stands in, with its URL.
    let news = json_ld(&page.body)
        .into_iter()
        .find(|b| b["@type"] == "NewsArticle")
        .unwrap();
    assert_eq!(news["author"][0]["@type"], "Organization");
    assert_eq!(news["author"][0]["url"], format!("{SITE}/"));
}

async fn create(site: &TestSite, slug: &str, title: &str, seo: Seo) {
    site.content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: slug.into(),
            title: title.into(),
            subtitle: "A subtitle".into(),
            body_markdown: "Text.".into(),
            cover: None,
            authors: vec![],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: Some(jiff::Timestamp::now()),
            translation_of: None,
            seo,
        })
        .await
        .unwrap();
    site.settle().await;
}

#[tokio::test]
async fn json_ld_is_safely_embedded_whatever_the_headline() {
    let site = TestSite::demo().await;
    let title = "</script><script>alert(1)</script> <!-- & \u{2028} \"q\" 🎉";
    create(&site, "script-headline", title, Seo::default()).await;
    let page = site.get("/en/news/script-headline").await;
    page.assert_ok();
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the headline cannot open a script"
    );
    assert_eq!(
        head(&page.body).matches("</script>").count(),
        head(&page.body).matches("<script").count()
    );
    let blocks = json_ld(&page.body);
    assert_eq!(of_type(&blocks, "NewsArticle")["headline"], title);
    let crumbs = of_type(&blocks, "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"][2]["name"], title);
}

#[tokio::test]
async fn front_page_has_organization_and_website_with_search_action() {
    let site = TestSite::demo().await;
    let page = site.get("/hy/").await;
    page.assert_ok();
    let blocks = json_ld(&page.body);
    let org = of_type(&blocks, "Organization");
    assert_eq!(org["@context"], "https://schema.org");
    assert_eq!(text(&org["name"], "name"), "Meridian Review");
    assert_eq!(text(&org["url"], "url"), format!("{SITE}/"));
    assert!(text(&org["logo"]["url"], "logo").starts_with(SITE));
    let same_as = org["sameAs"].as_array().unwrap();
    assert!(same_as.iter().any(|u| u == "https://t.me/meridianreview"));
    let website = of_type(&blocks, "WebSite");
    assert_eq!(text(&website["url"], "url"), format!("{SITE}/hy/"));
    assert_eq!(text(&website["inLanguage"], "inLanguage"), "hy");
    let action = &website["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    let template = text(&action["target"]["urlTemplate"], "urlTemplate");
    assert_eq!(
        template,
        format!("{SITE}/hy/search?q={{search_term_string}}")
    );
    assert_eq!(action["query-input"], "required name=search_term_string");
    let search = site
        .get(&template[SITE.len()..].replace("{search_term_string}", "grid"))
        .await;
    search.assert_ok();

    assert_eq!(og(&page.body, "og:type").as_deref(), Some("website"));
    assert_eq!(og(&page.body, "og:locale").as_deref(), Some("hy_AM"));
    assert_eq!(
        head_alternates(&page.body),
        vec![
            ("en".to_owned(), format!("{SITE}/en/")),
            ("ru".to_owned(), format!("{SITE}/ru/")),
            ("hy".to_owned(), format!("{SITE}/hy/")),
            ("x-default".to_owned(), format!("{SITE}/")),
        ]
    );
    assert!(
        of_type(
            &json_ld(&site.get("/en/analytics").await.body),
            "BreadcrumbList"
        )["itemListElement"]
            .is_array()
    );
}

/// `(type, href)` of the head's feed links.
fn feed_links(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    within(select_one(&doc, "head"), "link[rel=alternate][type]")
        .into_iter()
        .map(|l| (attr(l, "type"), attr(l, "href")))
        .collect()
}

#[tokio::test]
async fn every_page_head_links_its_feeds() {
    let site = TestSite::demo().await;
    for (page, own) in [
        ("/en/", None),
        ("/ru/analytics", Some("/ru/analytics")),
        ("/en/tag/energy", Some("/en/tag/energy")),
        (
            "/hy/author/lena-arakelova",
            Some("/hy/author/lena-arakelova"),
        ),
        (EN, Some("/en/analytics")),
        ("/en/search?q=grid", None),
        ("/en/no-such-page", None),
    ] {
        let r = site.get(page).await;
        let links = feed_links(&r.body);
        let ed = &page[1..3];
        let mut expected = Vec::new();
        for base in own.into_iter().chain([&*format!("/{ed}")]) {
            expected.push((
                "application/rss+xml".to_owned(),
                format!("{SITE}{base}/feed.rss"),
            ));
            expected.push((
                "application/atom+xml".to_owned(),
                format!("{SITE}{base}/feed.atom"),
            ));
        }
        assert_eq!(links, expected, "{page}");
        for (kind, href) in links {
            let feed = site.get(&href[SITE.len()..]).await;
            feed.assert_ok();
            assert!(
                feed.header("content-type").unwrap().starts_with(&kind),
                "{href}"
            );
        }
    }
}
