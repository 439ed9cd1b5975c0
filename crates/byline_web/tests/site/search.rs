//! The search page, its JSON twin and the suggestions endpoint, on the demo outlet.

use crate::common::TestSite;
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
    assert!(r.body.contains("<mark>river</mark>") || r.body.contains("<mark>River</mark>"));
    let facets = r.testid("search-facets").expect("section counts");
    assert!(
        facets.contains("/en/search?q=river&amp;section="),
        "{facets}"
    );
    assert!(r.body.contains("data-testid=\"sort-newest\""));
    assert!(r.body.contains("/en/search?q=river&amp;sort=newest"));
    assert!(r.body.contains("/en/search?q=river&amp;in=all"));

    // Filtering by a section keeps the other sections' counts, marks the current one.
    let society = site.get("/en/search?q=river&section=society").await;
    society.assert_ok();
    let cards = society.count("data-testid=\"card\"");
    assert!(cards >= 1);
    assert!(
        !society.body.contains("/en/analytics/"),
        "only the society section"
    );
    assert!(
        society
            .testid("search-facets")
            .unwrap()
            .contains("aria-current")
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
    let first = r.testid("card").unwrap();
    assert!(
        first.contains("The lighthouse that the sea left behind"),
        "{first}"
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
    let dym = r.testid("did-you-mean").expect("did you mean");
    assert!(dym.contains("dumpling"), "{dym}");
    assert!(dym.contains("href=\"/en/search?q=dumpling\""), "{dym}");
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
    let snippet = r.testid("snippet").expect("a snippet");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
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
    let long = "water%20".repeat(1500);
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
        (format!("/api/v1/search?q={long}"), 200),
        (format!("/api/v1/suggest?q={long}"), 200),
        ("/api/v1/suggest?q=%00".to_owned(), 200),
        ("/api/v1/suggest?q=gr&edition=zz".to_owned(), 400),
    ] {
        let r = site.get(&url).await;
        assert_eq!(r.status, status, "{}", &url[..url.len().min(80)]);
    }
    let empty = site.get("/en/search?q=").await;
    assert!(empty.testid("search-hint").is_some(), "a hint, not results");
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
    assert!(
        v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["count"].as_u64().unwrap() > 0)
    );
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
    assert!(
        page.body
            .contains("data-suggest-url=\"/api/v1/suggest?edition=en\"")
    );
    assert!(page.body.contains("action=\"/en/search\""));
}

#[tokio::test]
async fn load_more_pages_through_search_results() {
    let site = TestSite::demo().await;
    let first = site.get("/en/search?q=year").await;
    first.assert_ok();
    assert!(
        first
            .body
            .contains("/en/more/search/results?q=year&amp;page=2")
    );
    let more = site.get("/en/more/search/results?q=year&page=2").await;
    more.assert_ok();
    assert!(more.count("data-testid=\"card\"") >= 1);
    assert!(!more.body.contains("<html"), "a fragment");
}
