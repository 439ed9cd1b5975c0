//! Front page, list pages, pagination and load-more fragments, drafts.

use crate::common::html::{attr, attrs, select, testid, text, texts, within};
use crate::common::{TestResponse, TestSite, fluent};
use byline_content::{ArticleInput, Clock, ContentOptions};
use byline_core::ArticleStatus;

fn small_pages() -> ContentOptions {
    ContentOptions {
        per_page: 2,
        more_per_page: 2,
        ..ContentOptions::default()
    }
}

/// The demo outlet's stories carry fixed dates; "most read" takes the last year's only.
/// Tests of that block read the outlet at a fixed clock, a day after its newest story,
/// so that it does not empty as the demo ages.
fn at_demo_date(options: ContentOptions) -> ContentOptions {
    ContentOptions {
        clock: Clock::manual("2026-11-26T12:00:00Z".parse().unwrap()),
        ..options
    }
}

/// The articles the cards of a page (or fragment) link, in order.
fn card_urls(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    select(&doc, "[data-testid=card] .card-title a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect()
}

/// The pagination's previous and next links (`None` where there is none).
fn prev_next(page: &TestResponse) -> (Option<String>, Option<String>) {
    let doc = page.html();
    let nav = testid(&doc, "pagination");
    let link = |rel: &str| {
        within(nav, &format!("a[rel={rel}]"))
            .first()
            .map(|a| attr(*a, "href"))
    };
    (link("prev"), link("next"))
}

/// The `data-more-url`s of a page or fragment: where "load more" and infinite scroll
/// fetch the next batch.
fn more_urls(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    select(&doc, "[data-more-url]")
        .into_iter()
        .map(|e| attr(e, "data-more-url"))
        .collect()
}

/// The front page's four parts, each holding what it should: the lead is the newest
/// featured story (not merely the newest), "latest" the newest others in order, one block
/// per section with only that section's stories, and "most read" ordered by views.
#[tokio::test]
async fn front_page_has_lead_latest_blocks_and_most_read() {
    let site = TestSite::demo_with(at_demo_date(ContentOptions::default())).await;
    let (newest, _) = site
        .store()
        .published_articles(
            &byline_store::ArticleFilter {
                edition: Some("en".into()),
                ..Default::default()
            },
            byline_core::PageRequest::new(byline_core::PageNumber::FIRST, 40),
        )
        .await
        .unwrap();
    let catalog = site.content().catalog();
    let url = |a: &byline_core::ArticleSummary| {
        let section = catalog.section(a.section).unwrap();
        format!("/en/{}/{}", section.slug, a.slug)
    };
    // Only the fifth newest is featured; three older ones get the most views.
    let featured = &newest[4];
    site.sql(&format!(
        "update articles set featured = (id = {})",
        featured.id
    ))
    .await;
    let top_read = [&newest[12], &newest[7], &newest[15]];
    for (rank, a) in top_read.iter().enumerate() {
        site.sql(&format!(
            "update articles set views = {} where id = {}",
            900_000 - rank * 100_000,
            a.id
        ))
        .await;
    }

    let front = site.get("/en/").await;
    front.assert_ok();
    let html = front.html();
    let part = |id: &str| {
        let found = select(&html, &format!("[data-testid=\"{id}\"]"));
        assert_eq!(found.len(), 1, "one {id}");
        found[0]
    };
    assert_eq!(
        attrs(part("front-lead"), ".card-title a", "href"),
        [url(featured)],
        "the lead is the newest featured story"
    );
    let expected_latest: Vec<String> = newest
        .iter()
        .filter(|a| a.id != featured.id)
        .take(10)
        .map(url)
        .collect();
    assert_eq!(
        attrs(part("latest"), ".card-title a", "href"),
        expected_latest,
        "latest: the ten newest others, newest first"
    );
    assert_eq!(
        attrs(part("most-read"), ".card-title a", "href")[..3],
        top_read.map(url),
        "most read, by views"
    );

    let blocks = select(&html, "[data-testid=\"front-block\"]");
    let mut block_sections = Vec::new();
    for block in &blocks {
        let section = attrs(*block, ".block-title a", "href").remove(0);
        let kickers = attrs(*block, ".kicker", "href");
        assert!(!kickers.is_empty(), "{section}: a block has stories");
        assert!(
            kickers.iter().all(|k| *k == section),
            "{section}'s block holds only its own stories: {kickers:?}"
        );
        block_sections.push(section);
    }
    assert_eq!(
        block_sections,
        [
            "/en/news",
            "/en/analytics",
            "/en/economy",
            "/en/society",
            "/en/world",
            "/en/culture"
        ],
        "one block per section, in the sections' order"
    );
}

#[tokio::test]
async fn section_pages_paginate_with_plain_links() {
    let site = TestSite::demo_with(small_pages()).await;
    let first = site.get("/en/analytics").await;
    first.assert_ok();
    assert!(
        first.body.contains("Long reads from our analysts"),
        "section description"
    );
    let page1 = card_urls(&first.body);
    assert_eq!(page1.len(), 2, "{page1:?}");
    assert_eq!(
        prev_next(&first),
        (None, Some("/en/analytics?page=2".to_owned()))
    );

    let second = site.get("/en/analytics?page=2").await;
    second.assert_ok();
    let page2 = card_urls(&second.body);
    assert_eq!(page2.len(), 2);
    assert!(
        page1.iter().all(|u| !page2.contains(u)),
        "pages do not repeat articles"
    );
    assert_eq!(
        prev_next(&second),
        (
            Some("/en/analytics".to_owned()),
            Some("/en/analytics?page=3".to_owned())
        ),
        "previous and next page links"
    );

    // Six English analytics pieces: page 3 is the last, page 4 is empty but not an error.
    let third = site.get("/en/analytics?page=3").await;
    assert_eq!(card_urls(&third.body).len(), 2);
    assert_eq!(
        prev_next(&third),
        (Some("/en/analytics?page=2".to_owned()), None)
    );
    let beyond = site.get("/en/analytics?page=1000000000000").await;
    beyond.assert_ok();
    assert_eq!(card_urls(&beyond.body).len(), 0);
}

#[tokio::test]
async fn load_more_fragments_append_the_next_page() {
    let site = TestSite::demo_with(small_pages()).await;
    let first = site.get("/en/analytics").await;
    assert_eq!(
        attr(testid(&first.html(), "load-more"), "data-more-url"),
        "/en/more/section/analytics?page=2"
    );

    let fragment = site.get("/en/more/section/analytics?page=2").await;
    fragment.assert_ok();
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    assert_eq!(
        card_urls(&fragment.body),
        card_urls(&site.get("/en/analytics?page=2").await.body)
    );
    assert_eq!(
        more_urls(&fragment.body),
        ["/en/more/section/analytics?page=3"]
    );
    let last = site.get("/en/more/section/analytics?page=3").await;
    assert_eq!(card_urls(&last.body).len(), 2);
    assert!(
        more_urls(&last.body).is_empty(),
        "no more after the last page"
    );

    // Tag, author and article "more" fragments.
    site.get("/en/more/tag/energy?page=1").await.assert_ok();
    site.get("/en/more/author/lena-arakelova?page=1")
        .await
        .assert_ok();
    let id = site
        .article_id("en", "grid-interconnectors-learning-to-share")
        .await;
    let article = site
        .get("/en/analytics/grid-interconnectors-learning-to-share")
        .await;
    let doc = article.html();
    assert_eq!(
        attrs(testid(&doc, "more"), "[data-more-url]", "data-more-url"),
        [format!("/en/more/article/{id}?page=2")]
    );
    let more = site.get(&format!("/en/more/article/{id}?page=2")).await;
    more.assert_ok();
    let cards = card_urls(&more.body);
    assert!(!cards.is_empty());
    assert!(
        !cards
            .iter()
            .any(|u| u.ends_with("/grid-interconnectors-learning-to-share")),
        "the article itself never shows up: {cards:?}"
    );
    assert_eq!(site.get("/en/more/bogus/x").await.status, 404);
}

#[tokio::test]
async fn tag_author_and_search_pages_list_the_right_articles() {
    let site = TestSite::demo().await;
    let tag = site.get("/en/tag/water").await;
    tag.assert_ok();
    assert!(
        card_urls(&tag.body)
            .iter()
            .any(|u| u.contains("mountain-river")),
        "{:?}",
        card_urls(&tag.body)
    );
    let author = site.get("/en/author/lena-arakelova").await;
    author.assert_ok();
    assert!(author.body.contains("Senior analyst covering energy"));
    assert!(
        card_urls(&author.body)
            .iter()
            .any(|u| u.ends_with("grid-interconnectors-learning-to-share"))
    );

    let search = site.get("/en/search?q=Interconnectors").await;
    search.assert_ok();
    assert!(
        card_urls(&search.body)
            .iter()
            .any(|u| u.ends_with("grid-interconnectors-learning-to-share"))
    );
    // Case-insensitive in Cyrillic too, and another form of the word finds it.
    let ru = site.get("/ru/search?q=%D0%AD%D0%9D%D0%95%D0%A0%D0%93%D0%9E%D0%A1%D0%98%D0%A1%D0%A2%D0%95%D0%9C%D0%90%D0%9C%D0%98").await; // "ЭНЕРГОСИСТЕМАМИ"
    ru.assert_ok();
    assert!(
        card_urls(&ru.body)
            .iter()
            .any(|u| u.ends_with("grid-interconnectors-learning-to-share")),
        "Cyrillic search is case-insensitive and stemmed"
    );
    // Empty query: the page with a hint, no results.
    let empty = site.get("/en/search?q=").await;
    empty.assert_ok();
    assert_eq!(card_urls(&empty.body).len(), 0);
}

#[tokio::test]
async fn drafts_are_never_visible_to_readers() {
    let site = TestSite::demo().await;
    let id = site
        .content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "secret-draft".into(),
            title: "Unfinished zebra story".into(),
            subtitle: String::new(),
            body_markdown: "Zebra text".into(),
            cover: None,
            authors: vec!["newsdesk".into()],
            tags: vec!["water".into()],
            status: ArticleStatus::Draft,
            featured: true,
            published_at: None,
            translation_of: None,
            seo: Default::default(),
        })
        .await
        .unwrap();
    site.settle().await;
    assert_eq!(site.get("/en/news/secret-draft").await.status, 404);
    for list in [
        "/en/",
        "/en/news",
        "/en/tag/water",
        "/en/author/newsdesk",
        "/en/search?q=zebra",
        "/en/more/section/news?page=1",
    ] {
        let page = site.get(list).await;
        assert!(
            !page.body.contains("Unfinished zebra story"),
            "draft leaked on {list}"
        );
    }
    assert_eq!(site.beacon(id.0).await.status, 404);
}

#[tokio::test]
async fn a_publish_is_visible_at_once_on_cached_pages() {
    let site = TestSite::demo().await;
    let before = site.get("/en/news").await;
    assert!(!before.body.contains("Fresh hedgehog report"));
    site.content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "fresh-hedgehog-report".into(),
            title: "Fresh hedgehog report".into(),
            subtitle: String::new(),
            body_markdown: "Text".into(),
            cover: None,
            authors: vec![],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: None,
            translation_of: None,
            seo: Default::default(),
        })
        .await
        .unwrap();
    // The section page was cached before the publish; the change feed drops it.
    site.settle().await;
    let after = site.get("/en/news").await;
    let titles = texts(&select(&after.html(), "[data-testid=card] .card-title a"));
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Fresh hedgehog report"),
        "the new story leads the cached section page: {titles:?}"
    );
}

/// Every list page speaks its edition's language, not only the article page: the
/// interface strings come from that edition's Fluent file (none of the English ones
/// is left), and section, tag and author names are the edition's own.
#[tokio::test]
async fn list_pages_speak_the_editions_language() {
    let site = TestSite::demo_with(at_demo_date(small_pages())).await;
    let catalog = site.content().catalog();
    let section = catalog
        .sections
        .iter()
        .find(|s| s.slug.as_str() == "analytics")
        .unwrap();
    let tag = catalog
        .tags
        .iter()
        .find(|t| t.slug.as_str() == "water")
        .unwrap();
    let author = catalog
        .authors
        .iter()
        .find(|a| a.slug.as_str() == "lena-arakelova")
        .unwrap();
    for lang in ["ru", "hy"] {
        let pages = [
            (
                format!("/{lang}/"),
                vec![
                    "latest",
                    "most-read",
                    "read-more",
                    "skip-to-content",
                    "search-open",
                ],
                None,
            ),
            (
                format!("/{lang}/analytics"),
                vec!["load-more", "next-page", "skip-to-content"],
                Some(section.name.get(lang).to_owned()),
            ),
            (
                format!("/{lang}/tag/water"),
                vec!["tag-kicker", "skip-to-content"],
                Some(tag.name.get(lang).to_owned()),
            ),
            (
                format!("/{lang}/author/lena-arakelova"),
                vec!["author-kicker", "skip-to-content"],
                Some(author.name.get(lang).to_owned()),
            ),
        ];
        for (path, keys, heading) in pages {
            let page = site.get(&path).await;
            page.assert_ok();
            let html = page.html();
            assert_eq!(
                select(&html, "html")[0].value().attr("lang"),
                Some(lang),
                "{path}"
            );
            let all = text(select(&html, "body")[0]);
            for key in keys {
                let (local, english) = (fluent(lang, key), fluent("en", key));
                assert_ne!(local, english, "{lang} has its own {key}");
                assert!(all.contains(&local), "{path}: {key} = {local:?}");
                assert!(!all.contains(&english), "{path}: English {english:?} left");
            }
            if let Some(heading) = heading {
                assert_ne!(heading, "", "{path}");
                let h1 = text(select(&html, "h1")[0]);
                assert!(h1.contains(&heading), "{path}: h1 {h1:?} names {heading:?}");
            }
        }
    }
}
