//! Sitemaps: the index, monthly and pages sitemaps against the sitemaps.org XSD, the
//! Google News sitemap and hreflang field by field, and robots.txt.

use super::{assert_valid_sitemap, assert_well_formed, path_of, read_sitemap};
use crate::common::TestSite;
use crate::common::html::{attr, select_one, within};
use byline_content::{ArticleFilter, ArticleInput};
use byline_core::{ArticleStatus, Seo};
use std::collections::{BTreeMap, BTreeSet};

const SITE: &str = "http://127.0.0.1:8080";

fn lastmod_secs(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("lastmod {text:?} is no W3C datetime: {e}"))
        .as_second()
}

#[tokio::test]
async fn index_lists_every_sub_sitemap_and_each_is_valid_and_true() {
    let site = TestSite::demo().await;
    // The demo's stories are weeks old: with nothing from the last 48 hours the news
    // sitemap is left out of the index (an empty one would not be a valid sitemap)...
    let index = site.get("/sitemap.xml").await;
    let (_, sitemaps) = read_sitemap(&index.body);
    assert!(
        !sitemaps
            .iter()
            .any(|s| s.loc.ends_with("/sitemap/news.xml")),
        "{}",
        index.body
    );
    assert_eq!(site.get("/sitemap/news.xml").await.status, 200);
    // ... and listed once a story is fresh.
    publish_now(&site, "a-fresh-story").await;
    let index = site.get("/sitemap.xml").await;
    index.assert_ok();
    assert_eq!(
        index.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert_well_formed("/sitemap.xml", &index.body);
    let (root, sitemaps) = read_sitemap(&index.body);
    assert_eq!(root, "sitemapindex");
    let locs: Vec<&str> = sitemaps.iter().map(|s| path_of(&s.loc)).collect();
    assert!(locs.contains(&"/sitemap/news.xml"));
    for ed in ["en", "ru", "hy"] {
        assert!(
            locs.contains(&format!("/sitemap/{ed}/pages.xml").as_str()),
            "{locs:?}"
        );
        assert!(
            locs.contains(&format!("/sitemap/{ed}/2026-06.xml").as_str()),
            "{locs:?}"
        );
    }

    // Every article of the store is in exactly one monthly sitemap.
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for entry in &sitemaps {
        let path = path_of(&entry.loc);
        let r = site.get(path).await;
        r.assert_ok();
        assert_valid_sitemap(path, &r.body);
        let (root, urls) = read_sitemap(&r.body);
        assert_eq!(root, "urlset", "{path}");
        if path == "/sitemap/news.xml" {
            continue;
        }
        assert!(!urls.is_empty() && urls.len() <= 50_000, "{path}");
        let newest = urls
            .iter()
            .filter_map(|u| u.lastmod.as_deref())
            .map(lastmod_secs)
            .max();
        assert_eq!(
            entry.lastmod.as_deref().map(lastmod_secs),
            newest,
            "{path}: the index's lastmod is the newest lastmod inside"
        );
        if path.ends_with("/pages.xml") {
            continue;
        }
        let (ed, month) = path
            .trim_start_matches("/sitemap/")
            .trim_end_matches(".xml")
            .split_once('/')
            .unwrap();
        for u in &urls {
            let path = path_of(&u.loc);
            assert!(
                path.starts_with(&format!("/{ed}/")),
                "{path} in {ed}'s sitemap"
            );
            let slug = path.rsplit('/').next().unwrap();
            let article = site.store().published_article(ed, slug).await.unwrap();
            let published = article.published_at.unwrap();
            assert!(
                published.to_string().starts_with(month),
                "{path} published {published} listed under {month}"
            );
            // The demo corrected one story after publication (a public note).
            let modified = article
                .updated_at
                .filter(|u| *u > published)
                .unwrap_or(published);
            assert_eq!(
                lastmod_secs(u.lastmod.as_deref().unwrap()),
                modified.as_second(),
                "{path}: lastmod is the last correction, else the publish time"
            );
            assert!(listed.insert(path.to_owned()), "{path} listed twice");
        }
    }
    let (_, total) = site
        .store()
        .published_articles(
            &ArticleFilter::default(),
            byline_core::PageRequest::new(byline_core::PageNumber::FIRST, 1),
        )
        .await
        .unwrap();
    assert_eq!(listed.len() as u64, total, "every published article, once");
}

#[tokio::test]
async fn a_correction_moves_lastmod_and_the_last_modified_header() {
    let site = TestSite::demo().await;
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let later = jiff::Timestamp::now().as_second();
    site.sql(&format!(
        "update articles set updated_at = {later} where id = {id}"
    ))
    .await;
    let r = site.get("/sitemap/en/2026-06.xml").await;
    let (_, urls) = read_sitemap(&r.body);
    let entry = urls
        .iter()
        .find(|u| u.loc.ends_with("/grid-interconnectors-learning-to-share"))
        .unwrap();
    assert_eq!(lastmod_secs(entry.lastmod.as_deref().unwrap()), later);
    let header = r.header("last-modified").unwrap();
    assert_eq!(
        httpdate::parse_http_date(header).unwrap(),
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(later as u64)
    );
    let index = read_sitemap(&site.get("/sitemap.xml").await.body).1;
    let listed = index
        .iter()
        .find(|s| s.loc.ends_with("/sitemap/en/2026-06.xml"))
        .unwrap();
    assert_eq!(lastmod_secs(listed.lastmod.as_deref().unwrap()), later);
}

#[tokio::test]
async fn sitemaps_answer_conditional_requests_with_304() {
    let site = TestSite::demo().await;
    for path in [
        "/sitemap.xml",
        "/sitemap/en/2026-06.xml",
        "/sitemap/ru/pages.xml",
        "/sitemap/news.xml",
        "/robots.txt",
    ] {
        let first = site.get(path).await;
        first.assert_ok();
        let etag = first.header("etag").expect("ETag").to_owned();
        assert_eq!(
            site.get_with(path, "if-none-match", &etag).await.status,
            304,
            "{path}"
        );
        if let Some(modified) = first.header("last-modified") {
            let r = site.get_with(path, "if-modified-since", modified).await;
            assert_eq!(r.status, 304, "{path}");
        }
    }
}

#[tokio::test]
async fn unknown_sitemaps_are_404() {
    let site = TestSite::demo().await;
    for path in [
        "/sitemap/xx/pages.xml",
        "/sitemap/en/pages.txt",
        "/sitemap/en/pages",
        "/sitemap/en/2026-13.xml",
        "/sitemap/en/2026-6.xml",
        "/sitemap/en/1999-01.xml",
        "/sitemap/en/2026-06-1.xml",
        "/sitemap/en/2026-06-2.xml",
        "/sitemap/en/..%2F..%2Fetc.xml",
        "/sitemap/news.rss",
        "/sitemap/en",
        "/sitemap.xml.gz",
        "/sitemaps.xml",
    ] {
        assert_eq!(site.get(path).await.status, 404, "{path}");
    }
}

/// Every translation lists every other and itself, with the same x-default: in the
/// sitemaps and in the page heads alike.
#[tokio::test]
async fn hreflang_alternates_are_reciprocal_in_sitemaps_and_heads() {
    let site = TestSite::demo().await;
    let mut sets: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let (_, index) = read_sitemap(&site.get("/sitemap.xml").await.body);
    for sitemap in index.iter().filter(|s| !s.loc.ends_with("/news.xml")) {
        let (_, urls) = read_sitemap(&site.get(path_of(&sitemap.loc)).await.body);
        for u in urls {
            sets.insert(u.loc.clone(), u.alternates.clone());
        }
    }
    let mut checked = 0;
    for (loc, alternates) in &sets {
        if alternates.is_empty() {
            continue;
        }
        let own = alternates
            .iter()
            .find(|(lang, href)| href == loc && lang != "x-default")
            .unwrap_or_else(|| panic!("{loc} does not list itself: {alternates:?}"));
        assert_eq!(&own.0, &path_of(loc)[1..3], "{loc}: its own language");
        let defaults: Vec<_> = alternates
            .iter()
            .filter(|(l, _)| l == "x-default")
            .collect();
        assert_eq!(defaults.len(), 1, "{loc}: one x-default");
        for (lang, href) in alternates.iter().filter(|(l, _)| l != "x-default") {
            assert_eq!(
                sets.get(href),
                Some(alternates),
                "{loc} → {lang} {href}: the same set comes back"
            );
        }
        // The page head says the same as the sitemap.
        let page = site.get(path_of(loc)).await;
        assert_eq!(
            &head_alternates(&page.body),
            alternates,
            "{loc}: head = sitemap"
        );
        checked += 1;
    }
    assert!(
        checked >= 30,
        "the demo has many translated stories ({checked})"
    );
    // A story in one edition only has no alternates.
    let single = site
        .get("/en/news/relay-error-blamed-for-evening-blackout")
        .await;
    single.assert_ok();
    assert!(head_alternates(&single.body).is_empty());
    assert!(sets[&format!("{SITE}/en/news/relay-error-blamed-for-evening-blackout")].is_empty());
}

/// `(hreflang, href)` of the head's `<link rel="alternate" hreflang>` tags.
pub fn head_alternates(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    within(select_one(&doc, "head"), "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|l| (attr(l, "hreflang"), attr(l, "href")))
        .collect()
}

#[tokio::test]
async fn pages_sitemap_lists_fronts_sections_tags_and_authors_with_alternates() {
    let site = TestSite::demo().await;
    let r = site.get("/sitemap/en/pages.xml").await;
    assert_valid_sitemap("/sitemap/en/pages.xml", &r.body);
    let (_, urls) = read_sitemap(&r.body);
    let front = urls
        .iter()
        .find(|u| u.loc == format!("{SITE}/en/"))
        .unwrap();
    assert_eq!(
        front.alternates,
        vec![
            ("en".to_owned(), format!("{SITE}/en/")),
            ("ru".to_owned(), format!("{SITE}/ru/")),
            ("hy".to_owned(), format!("{SITE}/hy/")),
            ("x-default".to_owned(), format!("{SITE}/")),
        ]
    );
    for path in [
        "/en/analytics",
        "/en/tag/energy",
        "/en/author/lena-arakelova",
    ] {
        let u = urls
            .iter()
            .find(|u| path_of(&u.loc) == path)
            .unwrap_or_else(|| panic!("{path}"));
        assert!(u.lastmod.is_some(), "{path}");
        assert_eq!(u.alternates.len(), 4, "{path}");
        let head = head_alternates(&site.get(path).await.body);
        assert_eq!(head, u.alternates, "{path}: head = sitemap");
    }
}

/// Publishes a story in the English news section right now.
async fn publish_now(site: &TestSite, slug: &str) {
    site.content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: slug.into(),
            title: format!("Title of {slug}"),
            subtitle: String::new(),
            body_markdown: "Text.".into(),
            cover: None,
            authors: vec![],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: Some(jiff::Timestamp::now()),
            translation_of: None,
            seo: Seo::default(),
        })
        .await
        .unwrap();
    site.settle().await;
}

#[tokio::test]
async fn news_sitemap_lists_the_last_48_hours_field_by_field() {
    let site = TestSite::demo().await;
    let now = jiff::Timestamp::now();
    for (slug, ed, hours_ago) in [
        ("fresh-story", "ru", 1),
        ("day-old-story", "en", 30),
        ("stale-story", "en", 49),
    ] {
        site.content()
            .import_article(ArticleInput {
                edition: ed.into(),
                section: "news".into(),
                slug: slug.into(),
                title: format!("Title of {slug} & <co>"),
                subtitle: String::new(),
                body_markdown: "Text.".into(),
                cover: None,
                authors: vec![],
                tags: vec![],
                status: ArticleStatus::Published,
                featured: false,
                published_at: Some(now - jiff::SignedDuration::from_hours(hours_ago)),
                translation_of: None,
                seo: Seo::default(),
            })
            .await
            .unwrap();
    }
    site.settle().await;
    let r = site.get("/sitemap/news.xml").await;
    assert_valid_sitemap("/sitemap/news.xml", &r.body);
    let (_, urls) = read_sitemap(&r.body);
    let slugs: Vec<_> = urls
        .iter()
        .map(|u| u.loc.rsplit('/').next().unwrap())
        .collect();
    assert!(slugs.contains(&"day-old-story"), "{slugs:?}");
    assert!(
        !slugs.contains(&"stale-story"),
        "older than 48 hours: {slugs:?}"
    );
    let dates: Vec<jiff::Timestamp> = urls
        .iter()
        .map(|u| u.news.as_ref().unwrap().publication_date.parse().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let window = now - jiff::SignedDuration::from_hours(48);
    assert!(dates.iter().all(|d| *d >= window && *d <= now), "{dates:?}");
    assert_eq!(slugs[0], "fresh-story");
    let fresh = &urls[0];
    assert_eq!(fresh.loc, format!("{SITE}/ru/news/fresh-story"));
    let news = fresh.news.as_ref().expect("news:news");
    assert_eq!(news.name, "Meridian Review");
    assert_eq!(news.language, "ru");
    assert_eq!(news.title, "Title of fresh-story & <co>");
    let published = news.publication_date.parse::<jiff::Timestamp>().unwrap();
    assert_eq!(
        published.as_second(),
        (now - jiff::SignedDuration::from_hours(1)).as_second()
    );
    assert!(
        news.publication_date.ends_with("+04:00"),
        "{}",
        news.publication_date
    );
    let day_old = urls
        .iter()
        .find(|u| u.loc.ends_with("/day-old-story"))
        .unwrap();
    assert_eq!(day_old.news.as_ref().unwrap().language, "en");
}

#[tokio::test]
async fn robots_txt_comes_from_settings_and_points_to_the_sitemap() {
    let site = TestSite::demo().await;
    let r = site.get("/robots.txt").await;
    r.assert_ok();
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert!(r.body.starts_with("User-agent: *\n"));
    assert!(r.body.contains(&format!("\nSitemap: {SITE}/sitemap.xml\n")));
    for line in [
        "Disallow: /api/",
        "Disallow: /en/search",
        "Disallow: /hy/more/",
    ] {
        assert!(r.body.lines().any(|l| l == line), "{line} in\n{}", r.body);
    }
    assert!(!r.body.lines().any(|l| l == "Disallow: /"));

    let mut settings = site.content().catalog().settings.clone();
    settings.robots.disallow = vec![
        "/drafts/".into(),
        "/x\nSitemap: https://evil.example/s.xml".into(),
        "no-slash".into(),
    ];
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await;
    let r = site.get("/robots.txt").await;
    assert!(r.body.lines().any(|l| l == "Disallow: /drafts/"));
    assert!(
        !r.body.contains("evil.example"),
        "no injected directive:\n{}",
        r.body
    );
    assert!(!r.body.contains("no-slash"));

    settings.robots.block_all = true;
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await;
    let r = site.get("/robots.txt").await;
    assert!(r.body.lines().any(|l| l == "Disallow: /"), "{}", r.body);
}

/// A month with more than 50,000 articles is split into sub-sitemaps of at most 50,000.
#[tokio::test]
async fn a_month_past_50000_urls_is_split() {
    let site = TestSite::demo().await;
    // 50,001 articles in January 2025, written straight into the store (the content
    // service would take minutes). Each is its own story.
    let jan = jiff::civil::date(2025, 1, 1)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second();
    site.sql(&format!(
        "insert into articles (edition, section_id, slug, title, subtitle, body_markdown,
           body_html, status, published_at, created_at, translation_group)
         with recursive n(i) as (select 1 union all select i + 1 from n where i < 50001)
         select 'en', (select id from sections where slug = 'news'), 'bulk-' || i,
           'Bulk ' || i, '', '', '', 'published', {jan} + i * 40, {jan}, 1000000 + i
         from n"
    ))
    .await;
    let (_, index) = read_sitemap(&site.get("/sitemap.xml").await.body);
    let locs: Vec<&str> = index.iter().map(|s| path_of(&s.loc)).collect();
    assert!(locs.contains(&"/sitemap/en/2025-01.xml"), "{locs:?}");
    assert!(locs.contains(&"/sitemap/en/2025-01-2.xml"), "{locs:?}");
    assert!(!locs.contains(&"/sitemap/en/2025-01-3.xml"));
    let first = site.get("/sitemap/en/2025-01.xml").await;
    let (_, urls) = read_sitemap(&first.body);
    assert_eq!(urls.len(), 50_000);
    let second = site.get("/sitemap/en/2025-01-2.xml").await;
    assert_valid_sitemap("/sitemap/en/2025-01-2.xml", &second.body);
    let (_, rest) = read_sitemap(&second.body);
    assert_eq!(rest.len(), 1);
    assert_eq!(
        path_of(&rest[0].loc),
        "/en/news/bulk-1",
        "the oldest comes last"
    );
    assert_eq!(site.get("/sitemap/en/2025-01-3.xml").await.status, 404);
}
