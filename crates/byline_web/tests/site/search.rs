//! The search page, its JSON twin and the suggestions endpoint, on the demo outlet.

use crate::common::TestSite;
use crate::common::html::{
    attr, attrs, hrefs, select, select_one, testid, text, texts, within, within_one,
};
use byline_content::ArticleInput;
use byline_core::ArticleStatus;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn results_have_highlighted_snippets_section_counts_and_toggles() {
    let site = TestSite::demo().await;
    let r = site.get("/en/search?q=river").await;
    r.assert_ok();
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let doc = r.html();
    // The match is highlighted inside a result's snippet, not merely somewhere.
    let marks = texts(&select(
        &doc,
        "[data-testid=card] [data-testid=snippet] mark",
    ));
    assert!(
        marks.iter().any(|m| m.eq_ignore_ascii_case("river")),
        "{marks:?}"
    );
    // Section counts: each facet links the query filtered by its section, with a count.
    let facets = testid(&doc, "search-facets");
    let facet_links = hrefs(facets);
    assert!(
        facet_links
            .iter()
            .any(|h| h.starts_with("/en/search?q=river&section=")),
        "{facet_links:?}"
    );
    assert!(!within(facets, ".facet-count").is_empty());
    // The sort and scope toggles, as plain links.
    let tools = testid(&doc, "search-tools");
    assert_eq!(
        attr(within_one(tools, "[data-testid=sort-newest]"), "href"),
        "/en/search?q=river&sort=newest"
    );
    assert_eq!(
        attr(within_one(tools, "[data-testid=scope-all]"), "href"),
        "/en/search?q=river&in=all"
    );

    // Filtering by a section keeps the other sections' counts, marks the current one.
    let society = site.get("/en/search?q=river&section=society").await;
    society.assert_ok();
    let doc = society.html();
    let kickers = attrs(select_one(&doc, "[data-feed-list]"), ".kicker", "href");
    assert!(!kickers.is_empty(), "society has a river story");
    assert!(
        kickers.iter().all(|k| k == "/en/society"),
        "only the society section: {kickers:?}"
    );
    let facets = testid(&doc, "search-facets");
    assert_eq!(
        text(within_one(facets, "[aria-current]")),
        "Society",
        "the current section is marked"
    );
    assert!(
        hrefs(facets).len() > 1,
        "the other sections stay linked with their counts"
    );

    // Newest first works without JavaScript: a plain link, then plain results.
    site.get("/en/search?q=river&sort=newest").await.assert_ok();
}

#[tokio::test]
async fn an_exact_title_ranks_first_and_stemming_works_on_the_page() {
    let site = TestSite::demo().await;
    let r = site
        .get("/en/search?q=The%20lighthouse%20that%20the%20sea%20left%20behind")
        .await;
    r.assert_ok();
    let titles = texts(&select(&r.html(), "[data-testid=card] .card-title"));
    assert_eq!(
        titles.first().map(String::as_str),
        Some("The lighthouse that the sea left behind"),
        "{titles:?}"
    );
    // "insuring" finds "insure" (English stemming).
    let r = site.get("/en/search?q=insuring").await;
    assert!(r.body.contains("Caspian"), "stemmed match");
}

#[tokio::test]
async fn a_misspelt_word_gets_did_you_mean() {
    let site = TestSite::demo().await;
    let r = site.get("/en/search?q=dumplnig").await;
    r.assert_ok();
    let doc = r.html();
    let link = within_one(testid(&doc, "did-you-mean"), "a");
    assert_eq!(
        (text(link).as_str(), attr(link, "href").as_str()),
        ("dumpling", "/en/search?q=dumpling")
    );
}

#[tokio::test]
async fn script_in_a_body_is_text_in_the_snippet() {
    let site = TestSite::demo().await;
    site.content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "markup-story".into(),
            title: "A story about markup".into(),
            subtitle: String::new(),
            body_markdown: "The okapi wrote `<script>alert('x')</script>` in the comments.".into(),
            cover: None,
            authors: vec!["newsdesk".into()],
            tags: vec![],
            status: ArticleStatus::Published,
            featured: false,
            published_at: None,
            translation_of: None,
            seo: Default::default(),
        })
        .await
        .unwrap();
    site.settle().await;
    let r = site.get("/en/search?q=okapi").await;
    r.assert_ok();
    let doc = r.html();
    let snippet = select_one(&doc, "[data-testid=snippet]");
    assert!(
        text(snippet).contains("<script>"),
        "shown as text: {}",
        snippet.html()
    );
    assert!(within(snippet, "script").is_empty());
    assert!(!r.body.contains("<script>alert"), "never markup");
    let api = json(&site.get("/api/v1/search?q=okapi&edition=en").await.body);
    let html = api["results"][0]["snippet_html"].as_str().unwrap();
    assert!(
        html.contains("&lt;script&gt;") && html.contains("<mark>okapi</mark>"),
        "{html}"
    );
}

#[tokio::test]
async fn bad_input_is_a_clear_answer_never_a_500() {
    let site = TestSite::demo().await;
    // 12 kB of query string: past the API's 8 kB limit (400, naming it); the site's
    // search page reads only the query's first 200 characters.
    let long = "water%20".repeat(1500);
    // 4 kB: within the limit; searched for its first 200 characters.
    let longish = "water%20".repeat(500);
    for (url, status) in [
        ("/en/search?q=".to_owned(), 200),
        (format!("/en/search?q={long}"), 200),
        ("/en/search?q=%00%01%1b".to_owned(), 200),
        ("/en/search?q=%22%22%22%20-%20%2B%20*%20(".to_owned(), 200),
        ("/en/search?q=%22power%20grids".to_owned(), 200),
        ("/en/search?q=...%3F%3F!!".to_owned(), 200),
        ("/en/search?q=water&page=1000000000".to_owned(), 200),
        ("/en/search?q=water&page=abc".to_owned(), 400),
        ("/en/search?q=water&section=nope".to_owned(), 400),
        ("/en/search?q=water&author=nobody".to_owned(), 400),
        ("/en/search?q=water&from=yesterday".to_owned(), 400),
        (
            "/en/search?q=water&from=2025-02-01&to=2025-01-01".to_owned(),
            400,
        ),
        ("/en/search?q=water&sort=sideways".to_owned(), 400),
        ("/api/v1/search?q=water&edition=xx".to_owned(), 400),
        ("/api/v1/search?q=water&from=2025-13-40".to_owned(), 400),
        ("/api/v1/search?q=water&page=0".to_owned(), 400),
        (format!("/api/v1/search?q={long}"), 400),
        (format!("/api/v1/suggest?q={long}"), 400),
        (format!("/api/v1/search?q={longish}"), 200),
        (format!("/api/v1/suggest?q={longish}"), 200),
        ("/api/v1/suggest?q=%00".to_owned(), 200),
        ("/api/v1/suggest?q=gr&edition=zz".to_owned(), 400),
    ] {
        let r = site.get(&url).await;
        assert_eq!(r.status, status, "{}", &url[..url.len().min(80)]);
    }
    let empty = site.get("/en/search?q=").await;
    let doc = empty.html();
    testid(&doc, "search-hint");
    assert!(
        select(&doc, "[data-testid=card]").is_empty(),
        "a hint, not results"
    );
    let deep = site.get("/en/search?q=water&page=1000000000").await;
    assert!(deep.testid("beyond-limit").is_some());
    let bad = site.get("/ru/search?q=water&from=yesterday").await;
    assert!(bad.body.contains("2024-03-01") && bad.body.contains("<html lang=\"ru\""));
    let api = site.get("/api/v1/search?q=water&edition=xx").await;
    assert!(api.header("content-type").unwrap().contains("json"));
    assert!(
        json(&api.body)["error"]
            .as_str()
            .unwrap()
            .contains("edition")
    );
    let punct = json(&site.get("/api/v1/search?q=...%3F%3F").await.body);
    assert_eq!(punct["hint"], "empty_query");
}

#[tokio::test]
async fn the_json_twin_has_results_facets_and_pages() {
    let site = TestSite::demo().await;
    let r = site.get("/api/v1/search?q=water&edition=en").await;
    r.assert_ok();
    let v = json(&r.body);
    assert!(v["total"].as_u64().unwrap() >= 2);
    let first = &v["results"][0];
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/en/")
    );
    assert!(first["title"].is_string() && first["published_at"].is_string());
    let sections = v["sections"].as_array().unwrap();
    assert!(!sections.is_empty(), "counts per section");
    assert!(sections.iter().all(|s| s["count"].as_u64().unwrap() > 0));
    // Every edition at once: Russian and Armenian stories join in.
    let all = json(
        &site
            .get("/api/v1/search?q=%D0%B2%D0%BE%D0%B4%D0%B0&edition=all")
            .await
            .body,
    ); // "вода"
    assert!(
        all["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["edition"] == "ru"),
        "{all}"
    );
    let paged = json(
        &site
            .get("/api/v1/search?q=year&edition=en&page=2")
            .await
            .body,
    );
    assert_eq!(paged["page"], 2);
}

#[tokio::test]
async fn suggestions_complete_titles_as_you_type() {
    let site = TestSite::demo().await;
    let v = json(&site.get("/api/v1/suggest?q=lightho&edition=en").await.body);
    let s = &v["suggestions"][0];
    assert_eq!(s["title"], "The lighthouse that the sea left behind");
    assert!(s["url"].as_str().unwrap().starts_with("/en/culture/"));
    let v = json(&site.get("/api/v1/suggest?q=&edition=en").await.body);
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 0);
    // The overlay carries the endpoint for the script; the form works without it.
    let page = site.get("/en/").await;
    let doc = page.html();
    let overlay = testid(&doc, "search-overlay");
    assert_eq!(
        attr(within_one(overlay, "input[name=q]"), "data-suggest-url"),
        "/api/v1/suggest?edition=en"
    );
    assert_eq!(
        attr(within_one(overlay, "form[role=search]"), "action"),
        "/en/search"
    );
}

#[tokio::test]
async fn load_more_pages_through_search_results() {
    let site = TestSite::demo().await;
    let first = site.get("/en/search?q=year").await;
    first.assert_ok();
    assert_eq!(
        attr(testid(&first.html(), "load-more"), "data-more-url"),
        "/en/more/search/results?q=year&page=2"
    );
    let more = site.get("/en/more/search/results?q=year&page=2").await;
    more.assert_ok();
    assert!(!select(&more.html(), "[data-testid=card]").is_empty());
    assert!(!more.body.contains("<html"), "a fragment");
}
