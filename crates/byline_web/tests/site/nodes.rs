//! Several nodes of one outlet on one database (issue 8): what one node writes, the
//! others serve; views counted on every node add up; a scheduled article is published
//! once however many nodes' schedulers race for it. Runs on SQLite (nodes sharing the
//! file) and, in CI's second pass, on PostgreSQL.

use crate::common::{BROWSER_UA, TestSite};
use byline_core::{ArticleId, ArticleStatus};
use byline_store::testdb::outage::Outage;
use std::time::Duration;

const SLUG: &str = "grid-interconnectors-learning-to-share";

/// Polls `check` until it holds (at most 15 s: a bound for a stuck feed, not a timing
/// claim — the feed's own latency is measured in the benchmark).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..300 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: never happened");
}

/// The story these tests work on: its id, its article, its section's slug and its
/// page's path.
struct Story {
    id: i64,
    article: byline_core::Article,
    section: String,
    path: String,
}

async fn story(site: &TestSite) -> Story {
    let id = site.article_id("en", SLUG).await;
    let article = site.store().article(ArticleId(id)).await.unwrap();
    let section = site
        .content()
        .catalog()
        .section(article.section)
        .unwrap()
        .slug
        .to_string();
    let path = format!("/en/{section}/{SLUG}");
    Story {
        id,
        article,
        section,
        path,
    }
}

async fn body(http: &reqwest::Client, url: &str) -> String {
    let r = http.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    r.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_serve_one_outlet() {
    let a = TestSite::demo_with_web(crate::common::behind_loopback_proxy).await;
    let b = a.another_node().await;
    let c = a.another_node().await;
    let servers = [a.serve().await, b.serve().await, c.serve().await];
    let base: Vec<String> = servers.iter().map(|s| s.base_url.clone()).collect();
    let http = reqwest::Client::builder()
        .user_agent(BROWSER_UA)
        .build()
        .unwrap();

    let Story {
        id,
        article,
        section,
        path,
    } = story(&a).await;

    // B and C have the page in their caches before the change.
    for node in &base[1..] {
        assert!(
            !body(&http, &format!("{node}{path}"))
                .await
                .contains("Corrected on node A")
        );
    }

    // A correction made through node A reaches B's and C's pages and search.
    let mut input = a.input_from(&article);
    input.title = "Interconnectors: Corrected on node A".into();
    a.content()
        .update_article(ArticleId(id), input)
        .await
        .unwrap();
    if std::env::var("BYLINE_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
        // PostgreSQL tells the other nodes (LISTEN/NOTIFY); they do not wait for a poll.
        // (Counted apart from what the followers' polls find, which also moves the
        // newest known change.)
        let written = a.store().last_change().await.unwrap();
        for node in [&b, &c] {
            eventually("a change notification on another node", || async {
                node.content().newest_notified_change() >= written
            })
            .await;
        }
    }
    for node in &base[1..] {
        eventually("the corrected page on another node", || async {
            body(&http, &format!("{node}{path}"))
                .await
                .contains("Corrected on node A")
        })
        .await;
        eventually("the correction in another node's search", || async {
            body(&http, &format!("{node}/en/search?q=corrected"))
                .await
                .contains("Corrected on node A")
        })
        .await;
    }

    // Views counted on every node add up exactly in the store.
    let before = a.store().article(ArticleId(id)).await.unwrap().views;
    let mut beacons = Vec::new();
    // 300 readers, as the proxy in front names them.
    for (n, node) in base.iter().enumerate() {
        for i in 0..100 {
            let (http, url) = (http.clone(), format!("{node}/api/v1/views/{id}"));
            let reader = crate::common::reader_address(n as u32 * 100 + i);
            beacons.push(tokio::spawn(async move {
                http.post(url)
                    .header("x-forwarded-for", reader)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
    }
    for beacon in beacons {
        assert_eq!(beacon.await.unwrap(), 200);
    }
    for node in [&a, &b, &c] {
        node.content().flush_views().await.unwrap();
    }
    assert_eq!(
        a.store().article(ArticleId(id)).await.unwrap().views,
        before + 300
    );

    // A scheduled article: all three schedulers (one poll a second each) race for it;
    // it is published once.
    let mut input = a.input_from(&article);
    input.slug = "three-nodes-one-schedule".into();
    input.title = "Three nodes, one schedule".into();
    input.status = ArticleStatus::Scheduled;
    input.published_at = Some(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2));
    input.translation_of = None;
    let scheduled = a.content().import_article(input).await.unwrap();
    eventually("the scheduled article published", || async {
        a.store().article(scheduled).await.unwrap().status == ArticleStatus::Published
    })
    .await;
    // Let every node's scheduler poll again after the publish.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let publishes = a
        .store()
        .audit_log(None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "published" && e.entity_id == scheduled.0)
        .count();
    assert_eq!(publishes, 1, "published exactly once");
    for node in &base {
        eventually("the scheduled article on every node", || async {
            http.get(format!(
                "{node}/en/{}/three-nodes-one-schedule",
                section.as_str()
            ))
            .send()
            .await
            .unwrap()
            .status()
                == 200
        })
        .await;
    }

    for server in servers {
        server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn while_postgresql_is_away_a_node_answers_503_then_recovers_missing_nothing() {
    if !std::env::var("BYLINE_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
        eprintln!("skipped: a PostgreSQL outage (runs with BYLINE_TEST_BACKEND=postgres)");
        return;
    }
    let a = TestSite::demo().await;
    let upstream = std::env::var("BYLINE_TEST_POSTGRES_URL")
        .ok()
        .and_then(|u| Some(u.split_once('@')?.1.split_once('/')?.0.to_owned()))
        .unwrap_or_else(|| "127.0.0.1:5432".to_owned());
    let outage = Outage::start(upstream).await;
    let b = a.another_node_via(Some(&outage.address)).await;
    let Story {
        id,
        article,
        section,
        path,
    } = story(&a).await;
    b.get(&path).await.assert_ok();

    outage.cut();
    // Pages B has not cached need the store: a clear 503 with Retry-After, no 500, no hang.
    for page in 2..5 {
        let r = tokio::time::timeout(
            Duration::from_secs(30),
            b.get(&format!("/en/{}?page={page}", section.as_str())),
        )
        .await
        .expect("a request hung while the database was away");
        assert_eq!(r.status, 503, "{}", r.body);
        assert!(r.header("retry-after").is_some());
    }
    assert_eq!(b.get("/readyz").await.status, 503);
    // A change made meanwhile on a node that still reaches the database; B misses the
    // notification and must find it in the feed when the database is back.
    let mut input = a.input_from(&article);
    input.title = "Written while node B was cut off".into();
    a.content()
        .update_article(ArticleId(id), input)
        .await
        .unwrap();

    outage.restore();
    eventually("node B serving again", || async {
        b.get(&format!("/en/{}?page=2", section.as_str()))
            .await
            .status
            == 200
    })
    .await;
    eventually("the change made during the outage on node B", || async {
        b.get(&path)
            .await
            .body
            .contains("Written while node B was cut off")
    })
    .await;
    eventually(
        "the change made during the outage in node B's search",
        || async {
            b.get("/en/search?q=%22node+B+was+cut+off%22")
                .await
                .body
                .contains("Written while node B was cut off")
        },
    )
    .await;
    // B's followers caught up with the feed.
    let newest = a.content().newest_known_change();
    eventually("node B's followers at the feed's head", || async {
        b.content()
            .feed()
            .followers()
            .iter()
            .all(|f| f.position >= newest && f.failing == 0)
    })
    .await;
    // (Whether B's followers failed during the cut depends on whether they read the feed
    // then; on PostgreSQL they may not have. The fault test in crates/byline/tests/faults.rs
    // restarts the database and checks that they did.)
    let ready = b.get("/readyz").await;
    ready.assert_ok();
    let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body["followers"]["page-cache"]["behind"], 0, "{body}");
    assert_eq!(body["followers"]["content"]["failing"], 0, "{body}");
}

/// The "more from the section" cards under an article are kept until the change feed
/// moves (`byline_content`'s section heads). A change that reaches this node only by
/// the followers' poll (on SQLite the nodes share a file and nothing notifies) must
/// retire them before the page cache drops the page: the page made again shows the
/// story as the other node left it, not as the kept list had it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_from_another_node_reaches_the_cards_under_an_article() {
    let a = TestSite::demo().await;
    let b = a.another_node().await;
    let path = story(&a).await.path;
    let page = a.get(&path).await;
    page.assert_ok();
    let card_link = scraper::Selector::parse("[data-testid=more] .card-title a").unwrap();
    let first_card = page
        .html()
        .select(&card_link)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("the article page shows cards from its section")
        .to_owned();
    let card_slug = first_card.rsplit('/').next().unwrap();
    let shown = a
        .store()
        .article(ArticleId(a.article_id("en", card_slug).await))
        .await
        .unwrap();

    // Node B renames the story shown in the first card.
    let mut input = b.input_from(&shown);
    input.title = "Renamed on node B".into();
    b.content().update_article(shown.id, input).await.unwrap();

    eventually(
        "the renamed story in the cards under the article on node A",
        || async {
            let page = a.get(&path).await;
            page.assert_ok();
            page.html()
                .select(&card_link)
                .any(|card| card.text().collect::<String>() == "Renamed on node B")
        },
    )
    .await;
}
