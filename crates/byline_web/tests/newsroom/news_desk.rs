//! The news desk's public record (issue 17): correction notes and takedowns, through the
//! newsroom's forms and the reader site, with their hostile inputs and lower roles.

use crate::client::{add_user, audit_rows, login, login_as};
use crate::common::html::{select, testid, text};
use crate::common::{TestSite, fluent};
use byline_content::Transition;
use byline_core::{ArticleId, ArticleStatus, Role};

const STORY: &str = "/en/analytics/grid-interconnectors-learning-to-share";
const SLUG: &str = "grid-interconnectors-learning-to-share";
/// In another section: never shows the story (not even under "more").
const OTHER: &str = "/en/culture";

/// The NewsArticle JSON-LD of an article page.
fn news_article(body: &str) -> serde_json::Value {
    let html = scraper::Html::parse_document(body);
    select(&html, "script[type='application/ld+json']")
        .into_iter()
        .map(|s| serde_json::from_str::<serde_json::Value>(&s.inner_html()).unwrap())
        .find(|j| j["@type"] == "NewsArticle")
        .expect("the page has NewsArticle data")
}

#[tokio::test]
async fn a_correction_note_is_public_dated_and_in_the_articles_data() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let uri = format!("/newsroom/articles/{id}");
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    // Cached before the note: the story, a page that does not show it, the feeds.
    for url in [STORY, OTHER, "/en/feed.atom", "/en/analytics/feed.atom"] {
        site.get(url).await.assert_ok();
    }
    let before = site.get(STORY).await;
    assert!(before.testid("corrections").is_none());
    assert!(news_article(&before.body).get("correction").is_none());

    let posted = editor
        .post(
            &site,
            &format!("{uri}/corrections"),
            &[
                ("correction_kind", "correction"),
                (
                    "correction_text",
                    "  An earlier version gave the <b>wrong</b> year\r\nfor the first line.  ",
                ),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    assert_eq!(
        posted.location(),
        Some(format!("{uri}#corrections").as_str())
    );
    site.settle().await;
    assert!(
        site.state.cache.contains(OTHER),
        "a correction purges only the article's own pages"
    );
    assert!(!site.state.cache.contains(STORY));

    let page = site.get(STORY).await;
    page.assert_ok();
    let html = page.html();
    let notes: Vec<String> = select(&html, "[data-testid=correction]")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with(&fluent("en", "article-correction-kind-correction")),
        "{notes:?}"
    );
    assert!(
        notes[0].ends_with("An earlier version gave the <b>wrong</b> year for the first line."),
        "one trimmed paragraph, shown as text: {notes:?}"
    );
    assert!(!page.body.contains("<b>wrong</b>"), "escaped");
    assert!(
        text(testid(&html, "corrected-marker")).contains(&fluent("en", "article-corrected")),
        "a marker under the headline"
    );
    let data = news_article(&page.body);
    let correction = &data["correction"][0];
    assert_eq!(correction["@type"], "CorrectionComment");
    assert_eq!(
        correction["text"],
        "An earlier version gave the <b>wrong</b> year for the first line."
    );
    assert_eq!(
        data["dateModified"], correction["datePublished"],
        "the note's time is the article's modification time"
    );
    assert!(
        page.testid("updated").is_some(),
        "'Updated …' under the headline"
    );

    // The feed entry says it was updated then.
    let stored = site.store().article(ArticleId(id)).await.unwrap();
    let at = stored.corrections[0].at;
    assert_eq!(stored.updated_at, Some(at));
    for url in ["/en/feed.atom", "/en/analytics/feed.atom"] {
        let feed = site.get(url).await;
        let entry = feed
            .body
            .split("<entry>")
            .find(|e| e.contains(SLUG))
            .expect("the story is in the feed");
        let updated = entry
            .split("<updated>")
            .nth(1)
            .and_then(|r| r.split("</updated>").next())
            .unwrap();
        assert_eq!(
            updated.parse::<jiff::Timestamp>().unwrap(),
            at,
            "{url}: the entry's updated time"
        );
    }

    // The newsroom lists it, and the audit log says who added what.
    let newsroom = editor.get(&site, &uri).await;
    newsroom.assert_ok();
    assert_eq!(
        select(&newsroom.html(), "[data-testid=correction]").len(),
        1
    );
    let admin = add_user(&site, "auditor@example.org", Role::Admin).await;
    let log = login(&site, &admin.email)
        .await
        .get(&site, "/newsroom/audit")
        .await;
    let row = audit_rows(&log)
        .into_iter()
        .find(|r| r.action == "correction_added")
        .expect("the note is in the audit log");
    assert!(row.who.contains("desk@example.org"), "{row:?}");
    assert!(row.what.contains("wrong"), "{row:?}");
}

#[tokio::test]
async fn a_refused_correction_says_why_keeps_the_text_and_changes_nothing() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let uri = format!("/newsroom/articles/{id}/corrections");
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let long = "x".repeat(byline_content::MAX_CORRECTION + 1);
    for (kind, text_sent, field) in [
        ("correction", "   \n  ", "correction_text"),
        ("correction", long.as_str(), "correction_text"),
        ("retraction", "Some text", "correction_kind"),
        ("", "Some text", "correction_kind"),
    ] {
        let r = editor
            .post(
                &site,
                &uri,
                &[("correction_kind", kind), ("correction_text", text_sent)],
            )
            .await;
        assert_eq!(r.status, 400, "{kind:?}: {}", r.status);
        assert!(
            r.testid(&format!("error-{field}")).is_some(),
            "{kind:?} names {field}"
        );
        if field == "correction_text" && !text_sent.trim().is_empty() {
            assert!(r.body.contains(text_sent), "the typed text is given back");
        }
    }
    // Localized for a Russian newsroom.
    let r = editor
        .post_lang(
            &site,
            &uri,
            &[("correction_kind", "correction"), ("correction_text", "")],
            "ru",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains(&fluent("ru", "newsroom-error-correction_text"))
    );

    // Not on a draft; not someone else's for an author; not for a contributor; not on
    // an article that does not exist.
    let (writer, _) = login_as(&site, "author@example.org", Role::Author).await;
    let (draft, _) = site
        .content()
        .create_draft(
            &writer,
            &byline_content::ArticleForm {
                edition: "en".into(),
                section: "analytics".into(),
                title: "Not out yet".into(),
                body: "Draft.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{}/corrections", draft.0),
            &[("correction_kind", "update"), ("correction_text", "Early")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-status").is_some(), "{}", r.body);
    let author = login(&site, "author@example.org").await;
    let (_, contributor) = login_as(&site, "c@example.org", Role::Contributor).await;
    for client in [&author, &contributor] {
        let r = client
            .post(
                &site,
                &uri,
                &[("correction_kind", "update"), ("correction_text", "Mine")],
            )
            .await;
        assert_eq!(r.status, 403);
        assert!(
            !r.body.contains("interconnectors"),
            "no hint of the article"
        );
    }
    for missing in [
        "/newsroom/articles/999999/corrections",
        "/newsroom/articles/x/corrections",
    ] {
        let r = editor
            .post(
                &site,
                missing,
                &[("correction_kind", "update"), ("correction_text", "Where")],
            )
            .await;
        assert_eq!(r.status, 404, "{missing}");
    }
    // No token: refused before anything is read.
    let r = editor
        .post_raw(
            &site,
            &uri,
            "correction_kind=update&correction_text=No+token",
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(
        site.store()
            .article(ArticleId(id))
            .await
            .unwrap()
            .corrections
            .is_empty()
    );
}

#[tokio::test]
async fn a_takedown_answers_410_everywhere_and_only_an_admin_reinstates() {
    let site = TestSite::demo().await;
    let id = site.article_id("en", SLUG).await;
    let uri = format!("/newsroom/articles/{id}");
    let status_uri = format!("{uri}/status");
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let listed_in = |body: &str| body.contains(SLUG);
    for url in [
        STORY,
        "/en/analytics",
        "/en/feed.atom",
        "/sitemap/en/2026-06.xml",
    ] {
        let r = site.get(url).await;
        r.assert_ok();
        assert!(listed_in(&r.body), "{url} shows the story before");
    }
    let page = editor.get(&site, &uri).await;
    assert!(
        page.body.contains("name=\"action\" value=\"takedown\""),
        "an editor is offered the takedown"
    );

    // A reason is required; an author may not take down at all.
    let r = editor
        .post(
            &site,
            &status_uri,
            &[("action", "takedown"), ("takedown_reason", "  ")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-takedown_reason").is_some());
    let (_, author) = login_as(&site, "author@example.org", Role::Author).await;
    let r = author
        .post(
            &site,
            &status_uri,
            &[("action", "takedown"), ("takedown_reason", "Mine")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        site.store().article(ArticleId(id)).await.unwrap().status,
        ArticleStatus::Published
    );

    let r = editor
        .post(
            &site,
            &status_uri,
            &[
                ("action", "takedown"),
                ("takedown_reason", "Court order <case 12/26>"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;

    let gone = site.get(STORY).await;
    assert_eq!(gone.status, 410);
    assert!(
        gone.body.contains(&fluent("en", "error-taken-down")),
        "{}",
        gone.body
    );
    assert!(gone.body.contains("<html lang=\"en\""));
    assert!(
        !gone.body.contains("Court order"),
        "the reason stays inside"
    );
    for url in [
        "/en/analytics",
        "/en/",
        "/en/feed.atom",
        "/sitemap/en/2026-06.xml",
    ] {
        let r = site.get(url).await;
        r.assert_ok();
        assert!(!listed_in(&r.body), "{url} no longer shows the story");
    }
    let search = site.get("/en/search?q=interconnectors").await;
    assert!(!listed_in(&search.body), "out of search");

    // In the newsroom: the reason, no editing, no delete-and-restore around it.
    let page = editor.get(&site, &uri).await;
    page.assert_ok();
    assert!(text(testid(&page.html(), "takedown")).contains("Court order <case 12/26>"));
    assert!(!page.body.contains("value=\"delete\""));
    let r = editor
        .post(&site, &status_uri, &[("action", "delete")])
        .await;
    assert_eq!(r.status, 400);
    // Only an admin reinstates.
    let r = editor
        .post(&site, &status_uri, &[("action", "reinstate")])
        .await;
    assert_eq!(r.status, 403);
    let (_, admin) = login_as(&site, "admin@example.org", Role::Admin).await;
    let log = admin.get(&site, "/newsroom/audit").await;
    let row = audit_rows(&log)
        .into_iter()
        .find(|r| r.action == "taken_down")
        .expect("the takedown is in the audit log");
    assert!(row.who.contains("desk@example.org"), "{row:?}");
    assert!(
        row.what.contains("Court order <case 12/26>"),
        "why: {row:?}"
    );
    let r = admin
        .post(&site, &status_uri, &[("action", "reinstate")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    site.get(STORY).await.assert_ok();
    assert!(listed_in(&site.get("/en/analytics").await.body));
    assert!(
        audit_rows(&admin.get(&site, "/newsroom/audit").await)
            .iter()
            .any(|r| r.action == "reinstated")
    );
}

#[tokio::test]
async fn the_410_notice_speaks_the_editions_language_and_old_addresses_are_gone_too() {
    let site = TestSite::demo().await;
    let admin = add_user(&site, "admin@example.org", Role::Admin).await;
    // The Russian edition of the story, renamed once (its old address redirected).
    let story = site
        .content()
        .front_page("ru")
        .await
        .unwrap()
        .lead
        .expect("a lead story in Russian");
    let article = site.store().article(story.id).await.unwrap();
    let section = site
        .content()
        .catalog()
        .section(article.section)
        .unwrap()
        .slug
        .to_string();
    let old = format!("/ru/{section}/{}", article.slug);
    let mut input = site.input_from(&article);
    input.slug = "novyj-adres".into();
    input.status = ArticleStatus::Published;
    site.content()
        .update_article(story.id, input)
        .await
        .unwrap();
    site.settle().await;
    assert_eq!(site.get(&old).await.status, 301);
    site.content()
        .take_down(&admin, story.id, "Safety of a source")
        .await
        .unwrap();
    site.settle().await;
    for url in [format!("/ru/{section}/novyj-adres"), old] {
        let r = site.get(&url).await;
        assert_eq!(r.status, 410, "{url}");
        assert!(r.body.contains("<html lang=\"ru\""));
        assert!(r.body.contains(&fluent("ru", "error-taken-down")), "{url}");
    }
    // An ordinary unpublished story is still just not found.
    let other = site
        .content()
        .front_page("ru")
        .await
        .unwrap()
        .latest
        .first()
        .expect("another Russian story")
        .clone();
    site.content()
        .transition(&admin, other.id, Transition::Unpublish)
        .await
        .unwrap();
    site.settle().await;
    let section = site
        .content()
        .catalog()
        .section(other.section)
        .unwrap()
        .slug
        .to_string();
    assert_eq!(
        site.get(&format!("/ru/{section}/{}", other.slug))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn nothing_routes_around_a_takedown() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    // A preview link made while it was a draft stops working once it is taken down.
    let r = editor
        .post(
            &site,
            "/newsroom/articles/new",
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Soon removed"),
                ("body", "Text."),
            ],
        )
        .await;
    let uri = r.location().unwrap().split('?').next().unwrap().to_owned();
    let draft = editor.get(&site, &uri).await;
    let field = draft.testid("preview-link").expect("a preview link");
    let link = field
        .split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    site.get(&link).await.assert_ok();
    let status = format!("{uri}/status");
    editor.post(&site, &status, &[("action", "publish")]).await;
    // Its breaking-news alert comes down with it.
    let id: i64 = uri.rsplit('/').next().unwrap().parse().unwrap();
    let r = editor
        .post(&site, "/newsroom/alerts", &[("article", &id.to_string())])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    assert!(site.get("/en/culture").await.testid("breaking").is_some());
    let r = editor
        .post(
            &site,
            &status,
            &[("action", "takedown"), ("takedown_reason", "Legal")],
        )
        .await;
    assert_eq!(r.status, 303);
    site.settle().await;
    assert!(
        site.get("/en/culture").await.testid("breaking").is_none(),
        "the alert ended with the takedown"
    );
    assert!(site.content().live_alerts(None).is_empty());
    assert_eq!(
        site.get(&link).await.status,
        404,
        "the preview link is dead"
    );
    let page = editor.get(&site, &uri).await;
    assert!(page.testid("preview-link").is_none(), "no new preview link");
    // No translation to publish elsewhere.
    let r = editor
        .post(&site, &format!("{uri}/translate"), &[("edition", "ru")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.testid("error-translation").is_some(), "{}", r.body);
    // The reason is the desk's: the writer does not see it.
    let (writer, w) = login_as(&site, "writer@example.org", Role::Author).await;
    let (own, _) = site
        .content()
        .create_draft(
            &writer,
            &byline_content::ArticleForm {
                edition: "en".into(),
                section: "analytics".into(),
                title: "Mine, then removed".into(),
                body: "x".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let admin = add_user(&site, "admin@example.org", Role::Admin).await;
    site.content()
        .transition(&admin, own, Transition::Publish)
        .await
        .unwrap();
    site.content()
        .take_down(&admin, own, "Privacy of a named person")
        .await
        .unwrap();
    let mine = w.get(&site, &format!("/newsroom/articles/{}", own.0)).await;
    mine.assert_ok();
    assert!(!mine.body.contains("Privacy of a named person"));
    assert_eq!(
        site.store().article(own).await.unwrap().status,
        ArticleStatus::TakenDown
    );
}
