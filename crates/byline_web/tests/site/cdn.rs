//! Caching for CDNs: Cache-Control from settings, surrogate keys on every cacheable
//! response, and the purge webhook naming exactly the keys a change made stale.

use crate::common::TestSite;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use byline_core::{ArticleStatus, Localized};
use byline_web::{CdnPolicy, PurgeWebhookConfig};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const A: &str = "/en/analytics/grid-interconnectors-learning-to-share";
// In another section, so A never appears on B's page.
const B: &str = "/en/economy/third-quarter-inflation-report-2026";

fn keys_of(header: Option<&str>) -> BTreeSet<String> {
    header
        .unwrap_or_default()
        .split(' ')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn pages_feeds_and_sitemaps_carry_cache_control_and_surrogate_keys() {
    let site = TestSite::demo_with_web(|c| {
        c.cdn = CdnPolicy {
            s_maxage: 3600,
            stale_while_revalidate: 120,
        }
    })
    .await;
    for path in [
        "/en/",
        "/en/analytics",
        A,
        "/en/analytics/feed.rss",
        "/en/feed.atom",
        "/sitemap.xml",
    ] {
        let r = site.get(path).await;
        r.assert_ok();
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=0, s-maxage=3600, stale-while-revalidate=120"),
            "{path}"
        );
        let keys = keys_of(r.header("surrogate-key"));
        assert!(keys.contains("all"), "{path}: {keys:?}");
        let tags: BTreeSet<String> = r
            .header("cache-tag")
            .unwrap()
            .split(',')
            .map(str::to_owned)
            .collect();
        assert_eq!(keys, tags, "{path}: Cache-Tag names the same keys");
        assert!(r.header("etag").is_some(), "{path}");
        let modified = r.header("last-modified").expect("Last-Modified").to_owned();
        let again = site.get_with(path, "if-modified-since", &modified).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
    }

    // The article page names its article, section, tags, authors and edition.
    let article = site
        .store()
        .published_article("en", "grid-interconnectors-learning-to-share")
        .await
        .unwrap();
    let keys = keys_of(site.get(A).await.header("surrogate-key"));
    assert!(
        keys.contains(&format!("article:{}", article.id.0)),
        "{keys:?}"
    );
    assert!(keys.contains(&format!("section:{}", article.section.0)));
    assert!(!article.tags.is_empty() && !article.authors.is_empty());
    for t in &article.tags {
        assert!(keys.contains(&format!("tag:{}", t.0)), "{keys:?}");
    }
    for w in &article.authors {
        assert!(keys.contains(&format!("author:{}", w.0)), "{keys:?}");
    }
    assert!(keys.contains("ed:en"), "{keys:?}");

    // A section page names its section and edition, and each article it shows.
    let section = keys_of(site.get("/en/analytics").await.header("surrogate-key"));
    assert!(section.contains(&format!("section:{}", article.section.0)));
    assert!(section.contains(&format!("list:section:{}:en", article.section.0)));
    assert!(section.contains("ed:en"));

    // Error pages and search results are not for shared caches.
    let missing = site.get("/en/analytics/no-such-story").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert!(missing.header("surrogate-key").is_none());
}

/// One purge call as received: its keys and its request headers.
type Call = (BTreeSet<String>, HeaderMap);

/// A local purge receiver: records each call's keys, headers, and can fail on demand.
#[derive(Clone, Default)]
struct Receiver {
    calls: Arc<Mutex<Vec<Call>>>,
    fail_next: Arc<Mutex<u32>>,
}

async fn receive(
    State(r): State<Receiver>,
    headers: HeaderMap,
    body: axum::Json<serde_json::Value>,
) -> StatusCode {
    {
        let mut fail = r.fail_next.lock().unwrap();
        if *fail > 0 {
            *fail -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    let keys = body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    r.calls.lock().unwrap().push((keys, headers));
    StatusCode::NO_CONTENT
}

impl Receiver {
    async fn start() -> (Self, String) {
        let receiver = Receiver::default();
        let app = Router::new()
            .route("/purge", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/purge", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    /// Waits for the next purge call and returns its keys and headers.
    async fn next(&self, seen: &mut usize) -> Call {
        for _ in 0..500 {
            if let Some(call) = self.calls.lock().unwrap().get(*seen).cloned() {
                *seen += 1;
                return call;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no purge call arrived");
    }
}

/// The ids behind the purge keys of the demo's grid article (A): looked up by slug, so
/// the expected key sets below are written out by hand from what the demo says A is
/// (section analytics, tags energy, diplomacy and technology, author Lena Arakelova).
struct Ids {
    analytics: i64,
    energy: i64,
    diplomacy: i64,
    technology: i64,
    lena: i64,
}

fn ids(site: &TestSite) -> Ids {
    let catalog = site.content().catalog();
    let section = |slug: &str| {
        catalog
            .sections
            .iter()
            .find(|s| s.slug.as_str() == slug)
            .unwrap()
            .id
            .0
    };
    let tag = |slug: &str| {
        catalog
            .tags
            .iter()
            .find(|t| t.slug.as_str() == slug)
            .unwrap()
            .id
            .0
    };
    let author = |slug: &str| {
        catalog
            .authors
            .iter()
            .find(|a| a.slug.as_str() == slug)
            .unwrap()
            .id
            .0
    };
    Ids {
        analytics: section("analytics"),
        energy: tag("energy"),
        diplomacy: tag("diplomacy"),
        technology: tag("technology"),
        lena: author("lena-arakelova"),
    }
}

fn set<const N: usize>(keys: [String; N]) -> BTreeSet<String> {
    keys.into()
}

#[tokio::test]
async fn the_purge_webhook_names_exactly_the_keys_of_each_change() {
    let (receiver, url) = Receiver::start().await;
    let site = TestSite::demo_with_web(|c| {
        c.purge_webhook = Some(PurgeWebhookConfig {
            url,
            token: Some("purge-secret".into()),
        })
    })
    .await;
    let mut seen = 0;
    let a = site
        .store()
        .published_article("en", "grid-interconnectors-learning-to-share")
        .await
        .unwrap();
    let page_a = keys_of(site.get(A).await.header("surrogate-key"));
    let page_b = keys_of(site.get(B).await.header("surrogate-key"));
    let front = keys_of(site.get("/en/").await.header("surrogate-key"));

    let ids = ids(&site);
    let (id_a, group_a) = (a.id.0, a.translation_group);
    // A's page, the pages showing it, its story's editions, the edition's and the site's
    // newest lists, and the section, tag and author lists it is in.
    let keys_of_a = set([
        "site".to_owned(),
        format!("article:{id_a}"),
        format!("shows:{id_a}"),
        format!("group:{group_a}"),
        "edition:en".to_owned(),
        format!("list:section:{}:en", ids.analytics),
        format!("list:tag:{}:en", ids.energy),
        format!("list:tag:{}:en", ids.diplomacy),
        format!("list:tag:{}:en", ids.technology),
        format!("list:author:{}:en", ids.lena),
    ]);

    // A correction.
    let mut corrected = site.input_from(&a);
    corrected.title = "Interconnectors, corrected".into();
    site.content()
        .update_article(a.id, corrected)
        .await
        .unwrap();
    let (keys, headers) = receiver.next(&mut seen).await;
    assert_eq!(keys, keys_of_a, "exactly the changed keys");
    assert_eq!(
        headers.get("authorization").unwrap(),
        "Bearer purge-secret",
        "the configured token"
    );
    let header_keys = keys_of(headers.get("surrogate-key").map(|v| v.to_str().unwrap()));
    assert_eq!(header_keys, keys, "Surrogate-Key names the same keys");
    // What the purge means for pages that were served before it.
    assert!(
        page_a.contains(&format!("article:{id_a}")),
        "the article's page is purged: {page_a:?}"
    );
    assert!(front.contains("edition:en"), "the front page is: {front:?}");
    assert!(
        keys.is_disjoint(&page_b),
        "an unrelated article's page is kept: {:?}",
        keys.intersection(&page_b).collect::<Vec<_>>()
    );

    // Unpublishing: the same pages.
    site.content()
        .set_status(a.id, ArticleStatus::Unpublished)
        .await
        .unwrap();
    let (keys, _) = receiver.next(&mut seen).await;
    assert_eq!(keys, keys_of_a);

    // Publishing a new article (A's section, tags and author; a story of its own): its
    // own keys, its new translation group, and the same lists as A.
    let mut fresh = site.input_from(&a);
    fresh.slug = "a-fresh-story".into();
    fresh.title = "A fresh story".into();
    fresh.status = ArticleStatus::Published;
    fresh.published_at = None;
    let id = site.content().import_article(fresh).await.unwrap();
    let (keys, _) = receiver.next(&mut seen).await;
    let group = site.store().article(id).await.unwrap().translation_group;
    assert_ne!(group, group_a, "a story of its own");
    let id = id.0;
    assert_eq!(
        keys,
        set([
            "site".to_owned(),
            format!("article:{id}"),
            format!("shows:{id}"),
            format!("group:{group}"),
            "edition:en".to_owned(),
            format!("list:section:{}:en", ids.analytics),
            format!("list:tag:{}:en", ids.energy),
            format!("list:tag:{}:en", ids.diplomacy),
            format!("list:tag:{}:en", ids.technology),
            format!("list:author:{}:en", ids.lena),
        ])
    );

    // A tag's name shows on every page that carries it, and in navigation: all.
    receiver.fail_next.lock().unwrap().clone_from(&1);
    site.content()
        .put_tag(
            "energy",
            &Localized::from_pairs([("en", "Energy and power")]),
        )
        .await
        .unwrap();
    let (keys, _) = receiver.next(&mut seen).await;
    assert_eq!(
        keys,
        BTreeSet::from(["all".to_owned()]),
        "and a refused call is retried"
    );
}
