//! The change feed's follower contract (ADR 0002, issue 14 item 4), on a real SQLite
//! store: one batch at a time, in feed order, the position advancing only after a batch
//! was applied, failures retried on the same batch and reported until they stop.

use byline_content::{Change, Content, ContentError, ContentOptions, Follower};
use byline_core::Localized;
use byline_store::SqliteStore;
use sqlx::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn outlet(dir: &Path) -> Content {
    let store = SqliteStore::open(&dir.join("byline.db")).await.unwrap();
    store.migrate().await.unwrap();
    Content::start(Arc::new(store), ContentOptions::default())
        .await
        .unwrap()
}

/// Runs `statement` on the outlet's database from a connection of its own.
async fn sql(dir: &Path, statement: &str) {
    let url = format!("sqlite://{}", dir.join("byline.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(statement).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

/// Polls `check` until it holds; the bound is for a stuck follower, not a timing claim.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what}: never happened");
}

/// Fails its first two attempts, then records every batch it applies. It takes its
/// time, so writes pile up behind it, and notes if it is ever entered twice at once.
#[derive(Clone, Default)]
struct Flaky {
    attempts: Arc<AtomicU32>,
    applied: Arc<Mutex<Vec<i64>>>,
    inside: Arc<AtomicBool>,
    overlapped: Arc<AtomicBool>,
}

impl Follower for Flaky {
    async fn apply(&self, batch: &[Change]) -> Result<(), ContentError> {
        if self.inside.swap(true, Ordering::SeqCst) {
            self.overlapped.store(true, Ordering::SeqCst);
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        let outcome = if attempt <= 2 {
            Err(ContentError::Unavailable(format!(
                "attempt {attempt} fails"
            )))
        } else {
            self.applied
                .lock()
                .unwrap()
                .extend(batch.iter().map(|c| c.seq));
            Ok(())
        };
        self.inside.store(false, Ordering::SeqCst);
        outcome
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_that_fails_twice_takes_in_every_change_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    let flaky = Flaky::default();
    let start = content.store().last_change().await.unwrap();
    content
        .feed()
        .follow(content.store().clone(), start, "flaky", flaky.clone());
    for n in 0..12 {
        let slug = format!("topic-{n}");
        content
            .put_tag(&slug, &Localized::from_pairs([("en", slug.as_str())]))
            .await
            .unwrap();
    }
    assert!(content.settled(Duration::from_secs(30)).await);

    let written: Vec<i64> = content
        .store()
        .changes_since(start, 1000)
        .await
        .unwrap()
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(written.len(), 12);
    assert_eq!(
        *flaky.applied.lock().unwrap(),
        written,
        "every change once, in feed order"
    );
    assert!(flaky.attempts.load(Ordering::SeqCst) >= 3);
    assert!(
        !flaky.overlapped.load(Ordering::SeqCst),
        "a follower gets one batch at a time"
    );
    let state = content
        .feed()
        .followers()
        .into_iter()
        .find(|f| f.name == "flaky")
        .unwrap();
    assert_eq!(state.position, *written.last().unwrap());
    assert_eq!(state.failures, 2, "both failures are reported");
    assert_eq!(state.failing, 0, "and it has recovered");
    assert_eq!(state.last_error, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_catalog_reload_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    // The catalog reads the tags with the sections: while that table is away, every
    // reload fails.
    sql(dir.path(), "alter table tags rename to tags_away").await;
    content
        .put_section(
            "weather",
            &Localized::from_pairs([("en", "Weather")]),
            &Localized::default(),
            1,
        )
        .await
        .unwrap();
    let failing = || {
        content
            .feed()
            .followers()
            .iter()
            .any(|f| f.name == "content" && f.failing >= 2)
    };
    eventually("the catalog follower failing, and retrying", failing).await;
    assert!(content.catalog().section_by_slug("weather").is_none());
    assert!(!content.readiness().await.is_ready());

    sql(dir.path(), "alter table tags_away rename to tags").await;
    assert!(content.settled(Duration::from_secs(30)).await);
    assert!(
        content.catalog().section_by_slug("weather").is_some(),
        "the retried reload has the new section"
    );
    let readiness = content.readiness().await;
    assert!(readiness.is_ready(), "{readiness:?}");
}

/// A writer's own catalog reload and the change feed's reload of an earlier write run at
/// once; the one that read first must not install its older catalog last, or a tag just
/// created is unknown to the very next save (seen in CI as "no author").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taxonomy_write_is_never_undone_by_an_older_reload() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    for i in 0..300 {
        let slug = format!("tag-{i}");
        content
            .put_tag(&slug, &Localized::from_pairs([("en", slug.as_str())]))
            .await
            .unwrap();
        assert!(
            content.catalog().tag_by_slug(&slug).is_some(),
            "tag {slug} is in the catalog right after its write"
        );
    }
}

/// Records the feed's newest known position as each batch is applied.
#[derive(Clone)]
struct Witness {
    content: Content,
    known_when_applied: Arc<Mutex<Vec<(i64, i64)>>>,
}

impl Witness {
    fn new(content: &Content) -> Self {
        Self {
            content: content.clone(),
            known_when_applied: Arc::default(),
        }
    }

    /// Whether change `seq` has been applied.
    fn applied(&self, seq: i64) -> bool {
        self.known_when_applied
            .lock()
            .unwrap()
            .iter()
            .any(|(s, _)| *s == seq)
    }
}

impl Follower for Witness {
    async fn apply(&self, batch: &[Change]) -> Result<(), ContentError> {
        let known = self.content.newest_known_change();
        self.known_when_applied
            .lock()
            .unwrap()
            .extend(batch.iter().map(|c| (c.seq, known)));
        Ok(())
    }
}

/// A change written by another process reaches this one only by the followers' poll.
/// The feed must know of it before any follower acts on it: what is kept "until the
/// feed moves" (the cards under an article) would otherwise outlive the page cache's
/// drop of the pages that showed it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_from_another_process_is_known_before_followers_apply_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    let witness = Witness::new(&content);
    let start = content.store().last_change().await.unwrap();
    content
        .feed()
        .follow(content.store().clone(), start, "witness", witness.clone());
    sql(
        dir.path(),
        "insert into changes (kind, entity_id, action, at) values ('tag', 1, 'updated', 0)",
    )
    .await;
    let applied = || !witness.known_when_applied.lock().unwrap().is_empty();
    eventually("the other process's change applied", applied).await;
    let (seq, known) = witness.known_when_applied.lock().unwrap()[0];
    assert_eq!(seq, start + 1);
    assert!(known >= seq, "known {known} when change {seq} was applied");
    assert!(content.newest_known_change() >= seq);
}

/// Holds every batch until it is let go.
#[derive(Clone, Default)]
struct Gate {
    entered: Arc<AtomicBool>,
    open: Arc<AtomicBool>,
}

impl Follower for Gate {
    async fn apply(&self, _batch: &[Change]) -> Result<(), ContentError> {
        self.entered.store(true, Ordering::SeqCst);
        while !self.open.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(())
    }
}

/// A follower started while another holds a change it read (so the feed already knows
/// of it) still gets that change: it starts where the content service started, not at
/// the newest known change (the page cache, started after the content service, would
/// otherwise never purge it from the CDN).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_started_late_gets_a_change_another_follower_is_still_applying() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    let start = content.store().last_change().await.unwrap();
    let gate = Gate::default();
    content
        .feed()
        .follow(content.store().clone(), start, "gate", gate.clone());
    sql(
        dir.path(),
        "insert into changes (kind, entity_id, action, at) values ('tag', 1, 'updated', 0)",
    )
    .await;
    let entered = || gate.entered.load(Ordering::SeqCst);
    eventually("the gate holding the change", entered).await;
    assert!(
        content.newest_known_change() > start,
        "the feed knows of it"
    );

    let late = Witness::new(&content);
    content.follow("late", late.clone());
    gate.open.store(true, Ordering::SeqCst);
    let got_it = || late.applied(start + 1);
    eventually("the late follower taking in the change", got_it).await;
}

/// A change this process wrote after the content service started, and every follower
/// already took in, still reaches a follower started afterwards (the page cache is
/// started after the demo outlet and the configuration's settings are written).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_started_late_gets_what_was_written_since_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path()).await;
    let start = content.followers_start();
    content
        .put_tag("weather", &Localized::from_pairs([("en", "Weather")]))
        .await
        .unwrap();
    assert!(content.settled(Duration::from_secs(30)).await);
    let late = Witness::new(&content);
    content.follow("late", late.clone());
    let got_it = || late.applied(start + 1);
    eventually("the late follower taking in the tag", got_it).await;
}
