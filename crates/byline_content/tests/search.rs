//! Search as a projection of the store, end to end: real SQLite, real index files, the
//! real change feed. Publishes and unpublishes reach search once the index has taken in
//! the feed (how long that takes is measured by `bench/stores/run`, not asserted here); a
//! rebuild equals incremental updates; a killed process, a rewound, damaged or foreign index
//! are all noticed on start and repaired.

use byline_content::{ArticleInput, Content, ContentOptions, SearchQuery, SearchScope, reindex};
use byline_core::{ArticleId, ArticleStatus, Localized};
use byline_search::{SearchIndex, WriterOptions};
use byline_store::{ArticleStore, ChangeFeedStore, SqliteStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn open(dir: &Path, search: PathBuf) -> (SqliteStore, Content) {
    let sqlite = SqliteStore::open(&dir.join("byline.db")).await.unwrap();
    sqlite.migrate().await.unwrap();
    let content = Content::start(
        Arc::new(sqlite.clone()),
        ContentOptions {
            search_dir: Some(search),
            ..ContentOptions::default()
        },
    )
    .await
    .unwrap();
    (sqlite, content)
}

async fn seed_taxonomy(content: &Content) {
    for (i, slug) in ["news", "economy"].iter().enumerate() {
        content
            .put_section(
                slug,
                &Localized::from_pairs([("en", *slug)]),
                &Localized::default(),
                i as i64,
            )
            .await
            .unwrap();
    }
    content
        .put_author(
            "ann",
            &Localized::from_pairs([("en", "Ann Lee")]),
            &Localized::default(),
        )
        .await
        .unwrap();
    content
        .put_tag("water", &Localized::from_pairs([("en", "water")]))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while content.catalog().sections.len() < 2
        || content.catalog().tags.is_empty()
        || content.catalog().authors.is_empty()
    {
        assert!(Instant::now() < deadline, "catalog never loaded");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn input(slug: &str, title: &str, body: &str, status: ArticleStatus) -> ArticleInput {
    ArticleInput {
        edition: "en".into(),
        section: if slug.len().is_multiple_of(2) {
            "news"
        } else {
            "economy"
        }
        .into(),
        slug: slug.into(),
        title: title.into(),
        subtitle: String::new(),
        body_markdown: body.into(),
        cover: None,
        authors: vec!["ann".into()],
        tags: vec!["water".into()],
        status,
        featured: false,
        published_at: None,
        translation_of: None,
        seo: Default::default(),
    }
}

async fn found(content: &Content, text: &str) -> Vec<ArticleId> {
    let page = content
        .search(SearchQuery {
            text: text.into(),
            edition: Some("en".into()),
            per_page: Some(50),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut ids: Vec<ArticleId> = page.hits.iter().map(|h| h.article.id).collect();
    ids.sort();
    ids
}

/// Polls until `want(found)` holds (for what follows a change indirectly, like a renamed
/// tag re-indexing its articles).
async fn until(content: &Content, text: &str, want: impl Fn(&[ArticleId]) -> bool) {
    let started = Instant::now();
    loop {
        if want(&found(content, text).await) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "search never agreed with the store for {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_and_unpublishes_reach_search() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, content) = open(dir.path(), dir.path().join("search")).await;
    seed_taxonomy(&content).await;
    assert!(content.search_settled(Duration::from_secs(5)).await);

    let id = content
        .import_article(input(
            "zebra",
            "Zebra crossing",
            "Stripes.",
            ArticleStatus::Published,
        ))
        .await
        .unwrap();
    assert!(content.search_settled(Duration::from_secs(5)).await);
    assert_eq!(found(&content, "zebra").await, [id], "published → findable");

    content
        .set_status(id, ArticleStatus::Unpublished)
        .await
        .unwrap();
    assert!(content.search_settled(Duration::from_secs(5)).await);
    assert!(
        found(&content, "zebra").await.is_empty(),
        "unpublished → gone"
    );

    let draft = content
        .import_article(input(
            "quagga",
            "Quagga draft",
            "Extinct.",
            ArticleStatus::Draft,
        ))
        .await
        .unwrap();
    assert!(content.search_settled(Duration::from_secs(5)).await);
    assert!(
        found(&content, "quagga").await.is_empty(),
        "drafts are never found"
    );
    content
        .set_status(draft, ArticleStatus::Published)
        .await
        .unwrap();
    assert!(content.search_settled(Duration::from_secs(5)).await);
    assert_eq!(
        found(&content, "quagga").await,
        [draft],
        "draft published → findable"
    );

    // A renamed tag re-indexes its articles: the new name finds them.
    content
        .put_tag("water", &Localized::from_pairs([("en", "hydrology")]))
        .await
        .unwrap();
    until(&content, "hydrology", |f| f == [draft]).await;
}

/// The indexes hold their changes until they commit and take turns to write and
/// commit, so at most one tantivy segment (a 4 MB term table and more) is open at a
/// time, for the length of a commit (docs/PERFORMANCE.md, "Memory"): while the turn
/// is held, a publish reaches neither index's writer, and neither commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_indexes_write_their_changes_only_in_their_turn() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, content) = open(dir.path(), dir.path().join("search")).await;
    seed_taxonomy(&content).await;
    assert!(content.search_settled(Duration::from_secs(5)).await);
    let [readers, newsroom] = content.search_indexes().map(Arc::clone);

    let turn = content.hold_indexing_turn().await;
    // Positions move only in a turn, so these hold while it is held.
    let committed = (readers.position(), newsroom.position());
    let id = content
        .import_article(input(
            "okapi",
            "Okapi sighted",
            "Stripes.",
            ArticleStatus::Published,
        ))
        .await
        .unwrap();
    // Both tasks have read the change (their followers' positions move once it is
    // read), and each would have written it by now.
    let newest = content.store().last_change().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let followers = content.feed().followers();
        let read = |name: &str| {
            followers
                .iter()
                .any(|f| f.name == name && f.position >= newest)
        };
        if read("search") && read("newsroom-search") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the indexers never read the change"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // And a commit interval more, after which each would have committed.
    tokio::time::sleep(byline_content::COMMIT_EVERY * 2).await;
    assert_eq!(
        (readers.uncommitted(), newsroom.uncommitted()),
        (0, 0),
        "a change is held by its task, not written to an open segment, until its commit"
    );
    assert_eq!(
        (readers.position(), newsroom.position()),
        committed,
        "no index commits out of its turn"
    );
    assert!(found(&content, "okapi").await.is_empty());

    drop(turn);
    assert!(content.search_settled(Duration::from_secs(5)).await);
    assert_eq!(
        found(&content, "okapi").await,
        [id],
        "written and committed in turn"
    );
    assert_eq!((readers.uncommitted(), newsroom.uncommitted()), (0, 0));
    assert!(readers.position() > committed.0 && newsroom.position() > committed.1);
}

/// An idle index holds no writer: once a task has committed what it read, it closes its
/// index's writer (six threads and a 2.3 MB queue, docs/PERFORMANCE.md "Memory"), and the
/// next change opens one again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caught_up_indexes_close_their_writers_until_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, content) = open(dir.path(), dir.path().join("search")).await;
    seed_taxonomy(&content).await;
    let indexes = content.search_indexes().map(Arc::clone);
    let all_closed = || async {
        let deadline = Instant::now() + Duration::from_secs(5);
        while indexes.iter().any(|i| i.writer_is_open()) {
            assert!(
                Instant::now() < deadline,
                "a caught-up index kept its writer open"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    assert!(content.search_settled(Duration::from_secs(5)).await);
    all_closed().await;

    for (slug, title) in [("ibex", "Ibex on the ridge"), ("lynx", "Lynx at dusk")] {
        let id = content
            .import_article(input(slug, title, "Tracks.", ArticleStatus::Published))
            .await
            .unwrap();
        assert!(content.search_settled(Duration::from_secs(5)).await);
        assert_eq!(found(&content, slug).await, [id], "committed and found");
        all_closed().await;
        assert_eq!(
            found(&content, slug).await,
            [id],
            "still found after the close"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_gives_the_same_results_as_incremental_updates() {
    let dir = tempfile::tempdir().unwrap();
    let (store, content) = open(dir.path(), dir.path().join("search")).await;
    seed_taxonomy(&content).await;
    let words = ["grid", "river", "budget", "harvest", "election", "tariff"];
    let mut ids = Vec::new();
    for i in 0..40 {
        let a = words[i % words.len()];
        let b = words[(i * 7 + 3) % words.len()];
        let id = content
            .import_article(input(
                &format!("story-{i}"),
                &format!("The {a} report number {i}"),
                &format!("A story about the {b} and the {a}, with <notes> & more."),
                ArticleStatus::Published,
            ))
            .await
            .unwrap();
        ids.push(id);
    }
    for id in ids.iter().step_by(5) {
        content
            .set_status(*id, ArticleStatus::Unpublished)
            .await
            .unwrap();
    }
    assert!(content.search_settled(Duration::from_secs(10)).await);

    let rebuilt = dir.path().join("rebuilt");
    let report = reindex(
        Arc::new(store.clone()),
        &rebuilt,
        SearchScope::Reader,
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(report.articles, 32);
    let (_, other) = open(dir.path(), rebuilt).await;
    assert!(other.search_settled(Duration::from_secs(5)).await);

    for q in [
        "grid",
        "river budget",
        "\"budget report\"",
        "tariff -grid",
        "notes",
        "ann",
        "report",
    ] {
        for edition in [Some("en".to_owned()), None] {
            let query = SearchQuery {
                text: q.into(),
                edition: edition.clone(),
                per_page: Some(100),
                ..Default::default()
            };
            let a = content.search(query.clone()).await.unwrap();
            let b = other.search(query).await.unwrap();
            // The same articles with the same snippets; the order of equally relevant
            // ones may differ (BM25 statistics count deleted documents until a merge).
            let ids = |p: &byline_content::SearchPage| {
                let mut v: Vec<_> = p
                    .hits
                    .iter()
                    .map(|h| (h.article.id, h.snippet_html.clone()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(a.total, b.total, "{q}");
            assert_eq!(ids(&a), ids(&b), "{q}");
            let sections = |p: &byline_content::SearchPage| {
                p.sections
                    .iter()
                    .map(|(s, n)| (s.id, *n))
                    .collect::<Vec<_>>()
            };
            assert_eq!(sections(&a), sections(&b), "{q}");
        }
    }
}

/// Runs `phase` in its own runtime, like a process that is then killed: its tasks are
/// dropped mid-flight, nothing is shut down cleanly.
fn process<F, Fut>(phase: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(phase());
        rt.shutdown_timeout(Duration::from_millis(100));
    })
    .join()
    .unwrap();
}

#[test]
fn on_start_the_index_catches_up_or_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    let search = root.join("search");

    // A Byline runs, indexes two articles, and is killed.
    let (r, s) = (root.clone(), search.clone());
    process(move || async move {
        let (_store, content) = open(&r, s).await;
        seed_taxonomy(&content).await;
        for (slug, title) in [("first", "Apricot harvest"), ("second", "Walnut harvest")] {
            content
                .import_article(input(slug, title, "Orchards.", ArticleStatus::Published))
                .await
                .unwrap();
        }
        assert!(content.search_settled(Duration::from_secs(5)).await);
    });

    // While it is down, another process writes to the store: a gap in the feed.
    let (r, s) = (root.clone(), search.clone());
    process(move || async move {
        let store = SqliteStore::open(&r.join("byline.db")).await.unwrap();
        let first = store.published_article("en", "first").await.unwrap().id;
        store
            .set_article_status(first, ArticleStatus::Unpublished)
            .await
            .unwrap();
        let mut extra = store.article(first).await.unwrap();
        extra.title = "Cherry harvest".into();
        let section = extra.section;
        store
            .create_article(&byline_core::NewArticle {
                edition: "en".into(),
                section,
                slug: byline_core::Slug::parse("third").unwrap(),
                title: "Cherry harvest".into(),
                subtitle: String::new(),
                body_markdown: "Orchards.".into(),
                body_html: "<p>Orchards.</p>".into(),
                search_text: String::new(),
                cover: None,
                media: vec![],
                authors: vec![],
                tags: vec![],
                status: ArticleStatus::Published,
                featured: false,
                published_at: Some(jiff::Timestamp::now()),
                translation_group: None,
                seo: Default::default(),
            })
            .await
            .unwrap();
        store.close().await;
        // The index was left as of before: still at its old position.
        let (index, _) = SearchIndex::open(&s, WriterOptions::SERVING).unwrap();
        assert!(index.position().unwrap() < store_last(&r).await);
    });

    let titles = |root: PathBuf, search: PathBuf| async move {
        let (_store, content) = open(&root, search).await;
        assert!(content.search_settled(Duration::from_secs(10)).await);
        let page = content
            .search(SearchQuery {
                text: "harvest".into(),
                per_page: Some(50),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut t: Vec<String> = page.hits.iter().map(|h| h.article.title.clone()).collect();
        t.sort();
        t
    };
    let expected = vec!["Cherry harvest".to_owned(), "Walnut harvest".to_owned()];

    // Restart: it catches up from its position.
    let (r, s, e) = (root.clone(), search.clone(), expected.clone());
    process(move || async move { assert_eq!(titles(r, s).await, e) });

    // The stored position rewound (and a document lost with it): replayed from there.
    let s = search.clone();
    process(move || async move {
        let (index, _) = SearchIndex::open(&s, WriterOptions::SERVING).unwrap();
        index.clear().unwrap();
        index.commit(0).unwrap();
    });
    let (r, s, e) = (root.clone(), search.clone(), expected.clone());
    process(move || async move { assert_eq!(titles(r, s).await, e) });

    // An index ahead of the store (a backup of the store restored): rebuilt, so a
    // document the store does not have disappears.
    let s = search.clone();
    process(move || async move {
        let (index, _) = SearchIndex::open(&s, WriterOptions::SERVING).unwrap();
        index
            .upsert(&byline_search::IndexedArticle {
                id: ArticleId(999_999),
                edition: "en".into(),
                section: byline_core::SectionId(1),
                slug: "ghost".into(),
                title: "Ghost harvest".into(),
                subtitle: String::new(),
                body: String::new(),
                authors: vec![],
                tags: vec![],
                published: 0,
            })
            .unwrap();
        index.commit(1_000_000).unwrap();
        assert_eq!(index.num_docs(), 3);
    });
    let (r, s, e) = (root.clone(), search.clone(), expected.clone());
    process(move || async move {
        assert_eq!(titles(r, s.clone()).await, e);
    });
    let s = search.clone();
    process(move || async move {
        let (index, _) = SearchIndex::open(&s, WriterOptions::SERVING).unwrap();
        assert_eq!(index.num_docs(), 2, "the ghost is gone from the index too");
    });

    // Damaged files: the index is replaced and rebuilt.
    for entry in std::fs::read_dir(&search).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".idx") || name.ends_with(".store") || name == "meta.json" {
            std::fs::write(entry.path(), b"\x00garbage").unwrap();
        }
    }
    let (r, s, e) = (root.clone(), search.clone(), expected.clone());
    process(move || async move { assert_eq!(titles(r, s).await, e) });

    // Deleted altogether: created and rebuilt.
    std::fs::remove_dir_all(&search).unwrap();
    let (r, s, e) = (root.clone(), search.clone(), expected);
    process(move || async move { assert_eq!(titles(r, s).await, e) });
}

async fn store_last(root: &Path) -> i64 {
    let store = SqliteStore::open(&root.join("byline.db")).await.unwrap();
    let last = store.last_change().await.unwrap();
    store.close().await;
    last
}
