//! Live blogs (issue 17): entries posted in the newsroom reach readers over a real
//! Server-Sent Events connection (and after a reconnect with `Last-Event-ID`), the
//! cached page follows, the structured data is a LiveBlogPosting, the feed item carries
//! the entries; refusals are clear.

use crate::client::login_as;
use crate::common::TestSite;
use byline_core::Role;
use std::time::Duration;

const SLUG: &str = "grid-interconnectors-learning-to-share";
const PAGE: &str = "/en/analytics/grid-interconnectors-learning-to-share";

/// One reader's open event stream.
struct Reader {
    response: reqwest::Response,
    text: String,
}

impl Reader {
    async fn connect(url: &str, last_event_id: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().get(url);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        request.send().await.unwrap()
    }

    async fn open(url: &str, last_event_id: Option<&str>) -> Reader {
        let response = Self::connect(url, last_event_id).await;
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream; charset=utf-8"
        );
        Reader {
            response,
            text: String::new(),
        }
    }

    /// Reads until the stream holds `n` events named `event`; returns their (id, data).
    async fn events(&mut self, event: &str, n: usize) -> Vec<(String, serde_json::Value)> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let found = parse(&self.text, event);
            if found.len() >= n {
                return found;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no {n} {event} events within 10 s: {}", self.text))
                .unwrap()
                .unwrap_or_else(|| panic!("the stream ended: {}", self.text));
            self.text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

/// The events named `event` in SSE text, as (id, parsed data).
fn parse(text: &str, event: &str) -> Vec<(String, serde_json::Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let mut id = String::new();
            let (mut name, mut data) = ("", "");
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = v.to_owned();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    name = v;
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = v;
                }
            }
            (name == event).then(|| (id, serde_json::from_str(data).unwrap()))
        })
        .collect()
}

/// An editor signed in who made the demo story a live blog: their client, its id.
async fn make_live(site: &TestSite) -> (crate::client::Client, i64) {
    let (_, editor) = login_as(site, "live@example.org", Role::Editor).await;
    let id = site.article_id("en", SLUG).await;
    let r = editor
        .post(
            site,
            &format!("/newsroom/articles/{id}/live"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    (editor, id)
}

fn events_url_of(page: &str) -> String {
    let at = page
        .find("data-live-events=\"")
        .expect("the page names its stream")
        + 18;
    page[at..at + page[at..].find('"').unwrap()].replace("&amp;", "&")
}

#[tokio::test]
async fn entries_reach_readers_at_once_and_after_a_reconnect() {
    let site = TestSite::demo().await;
    let served = site.serve().await;
    let (_, editor) = login_as(&site, "live@example.org", Role::Editor).await;
    let id = site.article_id("en", SLUG).await;
    assert!(!site.get(PAGE).await.body.contains("data-live-events"));

    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/live"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    let page = site.get(PAGE).await;
    page.assert_ok();
    let stream = events_url_of(&page.body);
    assert_eq!(stream, format!("/api/v1/live/{id}/events?after=0"));
    assert!(
        page.body.contains("\"@type\":\"LiveBlogPosting\""),
        "structured data"
    );
    assert!(page.body.contains("\"coverageStartTime\""));

    let mut reader = Reader::open(&format!("{}{stream}", served.base_url), None).await;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[
                ("entry_title", "Polls open"),
                (
                    "entry_body",
                    "Turnout is **high** <script>alert(1)</script>",
                ),
                ("entry_author", "lena-arakelova"),
                ("entry_key_event", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let first = reader.events("entry", 1).await.remove(0);
    let element = first.1["element"].as_str().unwrap();
    assert!(element.contains("<strong>high</strong>"), "{element}");
    assert!(
        !element.contains("<script"),
        "sanitized like articles: {element}"
    );
    assert!(element.contains("Polls open"));
    assert_eq!(first.1["key_event"], true);
    let first_id = first.1["id"].as_i64().unwrap();
    assert_eq!(first.0, first.1["seq"].as_i64().unwrap().to_string());

    // The cached page follows: the entry, in the key events too.
    site.settle().await;
    let page = site.get(PAGE).await;
    assert!(page.body.contains("Turnout is <strong>high</strong>"));
    assert!(page.body.contains(&format!("href=\"#entry-{first_id}\"")));
    assert!(page.body.contains("\"liveBlogUpdate\""));

    // The reader drops; meanwhile a second entry and the first one's deletion.
    drop(reader);
    editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[("entry_body", "Counting has begun")],
        )
        .await;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries/{first_id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let url = format!("{}/api/v1/live/{id}/events?after=0", served.base_url);
    let mut back = Reader::open(&url, Some(&first.0)).await;
    let missed = back.events("entry", 1).await;
    assert!(
        missed[0].1["element"]
            .as_str()
            .unwrap()
            .contains("Counting has begun")
    );
    let gone = back.events("delete", 1).await;
    assert_eq!(gone[0].1["id"].as_i64(), Some(first_id));
    site.settle().await;
    let page = site.get(PAGE).await;
    assert!(page.body.contains("Counting has begun") && !page.body.contains("Turnout is"));

    // The feed item carries the entries after the lead (full-text feeds).
    let mut settings = site.content().catalog().settings.clone();
    settings.feeds.content = byline_core::FeedContent::FullText;
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await;
    let feed = site.get("/en/analytics/feed.atom").await;
    assert!(
        feed.body.contains("Counting has begun"),
        "entries in the feed item"
    );

    // Ended: the open stream is told, new ones get 204 (EventSource stops), and no
    // entry is taken.
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/live"),
            &[("on", "0")],
        )
        .await;
    assert_eq!(r.status, 303);
    back.events("end", 1).await;
    let r = Reader::connect(&url, None).await;
    assert_eq!(r.status(), 204);
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[("entry_body", "Too late")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("data-testid=\"error-entry_body\""));
    assert!(r.body.contains("Too late"), "the typed entry is kept");
    site.settle().await;
    let page = site.get(PAGE).await;
    assert!(
        !page.body.contains("data-live-events"),
        "an ended blog opens no stream"
    );
    assert!(page.body.contains("\"coverageEndTime\""));
    served.stop().await;
}

#[tokio::test]
async fn entries_are_edited_with_their_history_and_refusals_say_why() {
    let site = TestSite::demo().await;
    let (editor, id) = make_live(&site).await;
    let (_, contributor) = login_as(&site, "writer@example.org", Role::Contributor).await;
    editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[("entry_body", "First words")],
        )
        .await;
    let entry = site
        .content()
        .live_entries(byline_core::ArticleId(id))
        .await
        .unwrap()[0]
        .id;
    let form = editor
        .get(&site, &format!("/newsroom/articles/{id}/entries/{entry}"))
        .await;
    form.assert_ok();
    assert!(form.body.contains("First words"));
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries/{entry}"),
            &[("entry_body", "Better words"), ("entry_pinned", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    site.settle().await;
    let form = editor
        .get(&site, &format!("/newsroom/articles/{id}/entries/{entry}"))
        .await;
    assert!(form.body.contains("data-testid=\"entry-revisions\""));
    assert!(
        form.body.contains("First words"),
        "the earlier version is kept"
    );
    let page = site.get(PAGE).await;
    assert!(page.body.contains("live-entry-pinned"));
    let audit = site.store().audit_log(None, 20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "entry_edited"));

    // Too long, empty, an unknown author: field messages, the text kept.
    let long = "x".repeat(20_001);
    for (fields, error) in [
        (vec![("entry_body", long.as_str())], "error-entry_body"),
        (vec![("entry_body", "   ")], "error-entry_body"),
        (
            vec![("entry_body", "ok"), ("entry_author", "nobody")],
            "error-entry_author",
        ),
        (
            vec![("entry_body", "ok"), ("entry_title", &long[..201])],
            "error-entry_title",
        ),
    ] {
        let r = editor
            .post(&site, &format!("/newsroom/articles/{id}/entries"), &fields)
            .await;
        assert_eq!(r.status, 400, "{fields:?}");
        assert!(r.body.contains(error), "{fields:?}: {error}");
    }
    // A lower role may not post, edit or delete; someone else's entry id is unknown here.
    for uri in [
        format!("/newsroom/articles/{id}/entries"),
        format!("/newsroom/articles/{id}/entries/{entry}"),
        format!("/newsroom/articles/{id}/entries/{entry}/delete"),
        format!("/newsroom/articles/{id}/live"),
    ] {
        let r = contributor
            .post(&site, &uri, &[("entry_body", "mine"), ("on", "0")])
            .await;
        assert_eq!(r.status, 403, "{uri}");
    }
    let other = site
        .article_id("en", "third-quarter-inflation-report-2026")
        .await;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{other}/entries/{entry}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 404, "an entry through another article");

    // The stream: unknown, not live, a bad Last-Event-ID.
    assert_eq!(site.get("/api/v1/live/999999/events").await.status, 404);
    assert_eq!(site.get("/api/v1/live/abc/events").await.status, 404);
    assert_eq!(
        site.get(&format!("/api/v1/live/{other}/events"))
            .await
            .status,
        204
    );
    let r = site
        .get_with(&format!("/api/v1/live/{id}/events"), "last-event-id", "-3")
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn readers_are_told_when_the_blog_leaves_the_site() {
    let site = TestSite::demo().await;
    let served = site.serve().await;
    let (editor, id) = make_live(&site).await;
    site.settle().await;
    let url = format!("{}/api/v1/live/{id}/events?after=0", served.base_url);
    let mut reader = Reader::open(&url, None).await;
    // Unpublished while live: the open stream ends its readers' wait at once, and an
    // entry posted meanwhile (say, to fix the problem) reaches nobody.
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/status"),
            &[("action", "unpublish")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    reader.events("end", 1).await;
    editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[("entry_body", "Not for readers")],
        )
        .await;
    site.settle().await;
    assert!(!reader.text.contains("Not for readers"));
    assert_eq!(
        Reader::connect(&url, None).await.status(),
        404,
        "not published"
    );
    served.stop().await;
}

#[tokio::test]
async fn live_readers_leave_room_for_everything_else() {
    use tower::ServiceExt;
    // 16 connections: readers may hold 14 of them.
    let site = TestSite::demo_with_web(|c| c.timeouts.max_connections = 16).await;
    let (_, id) = make_live(&site).await;
    let app = byline_web::app(site.state.clone());
    let open = || {
        let app = app.clone();
        async move {
            app.oneshot(
                axum::http::Request::get(format!("/api/v1/live/{id}/events"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
        }
    };
    let mut held = Vec::new();
    for _ in 0..14 {
        let r = open().await;
        assert_eq!(r.status(), 200);
        held.push(r);
    }
    assert_eq!(site.state.live.readers(), 14);
    let refused = open().await;
    assert_eq!(refused.status(), 503, "the fifteenth reader waits");
    assert!(refused.headers().contains_key("retry-after"));
    // Pages are not readers: they still answer.
    site.get(PAGE).await.assert_ok();
    held.pop();
    assert_eq!(open().await.status(), 200, "a reader who left makes room");
}

#[tokio::test]
async fn a_reader_on_another_node_gets_the_entry_from_the_change_feed() {
    let site = TestSite::demo().await;
    let other = site.another_node().await;
    let served = other.serve().await;
    let (editor, id) = make_live(&site).await;
    other.settle().await;
    let page = other.get(PAGE).await;
    assert!(
        page.body.contains("class=\"live-refresh\""),
        "without script: a refresh link"
    );
    let stream = events_url_of(&page.body);
    let mut reader = Reader::open(&format!("{}{stream}", served.base_url), None).await;
    editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/entries"),
            &[("entry_body", "Posted on the first node")],
        )
        .await;
    let got = reader.events("entry", 1).await;
    assert!(
        got[0].1["element"]
            .as_str()
            .unwrap()
            .contains("Posted on the first node")
    );
    served.stop().await;
}

#[tokio::test]
async fn probes_stops_and_long_absences_are_answered_without_holding_a_stream() {
    use tower::ServiceExt;
    let site = TestSite::demo().await;
    let (editor_user, _) = login_as(&site, "live@example.org", Role::Editor).await;
    let id = byline_core::ArticleId(site.article_id("en", SLUG).await);
    site.content()
        .set_live(&editor_user, id, true)
        .await
        .unwrap();
    let app = byline_web::app(site.state.clone());
    let call = |method: &str, uri: String| {
        let app = app.clone();
        let request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        async move { app.oneshot(request).await.unwrap() }
    };
    // A HEAD probe says "live" and holds nothing.
    let probe = call("HEAD", format!("/api/v1/live/{}/events", id.0)).await;
    assert_eq!(probe.status(), 200);
    assert_eq!(site.state.live.readers(), 0, "a probe is not a reader");
    // Far behind by bytes (14 long entries): told to reload instead of a huge replay.
    let long = "A long entry. ".repeat(1_400);
    for _ in 0..14 {
        site.content()
            .post_entry(
                &editor_user,
                id,
                &byline_content::EntryInput {
                    body: long.clone(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let r = call("GET", format!("/api/v1/live/{}/events?after=0", id.0)).await;
    assert_eq!(r.status(), 200);
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("event: reload"), "{text}");
    assert!(!text.contains("event: entry"));
    // A stopping node: 503 with Retry-After (come back), not 204 (which would stop
    // the browser for good).
    site.state.live.close();
    let r = call("GET", format!("/api/v1/live/{}/events", id.0)).await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
}
