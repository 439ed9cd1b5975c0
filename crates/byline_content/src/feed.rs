//! Following the change feed.
//!
//! Every committed change has a row in the store's `changes` table. A follower keeps its
//! own position and reads the rows after it. Writers in this process poke the feed so
//! followers wake at once; a short poll catches changes written by another process, and
//! a follower that reads one pokes the feed too, before it applies it, so the feed's
//! newest known position never lags what any follower acts on (ADR 2).
//!
//! The contract (ADR 0002): each follower gets one batch at a time, in feed order; its
//! position advances only once [`Follower::apply`] succeeded; a failure (reading the
//! feed or applying the batch) is retried with back-off, on the same batch, and shows in
//! [`ChangeFeed::followers`] (`/metrics`, `/readyz`) until a later attempt succeeds.

use crate::ContentError;
use byline_store::{Change, Store};
use std::future::Future;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How often followers look for changes nobody poked them about (another process).
const POLL: Duration = Duration::from_millis(500);
const BATCH: i64 = 500;
/// The first wait after a failure; it doubles with every further failure up to
/// [`MAX_BACKOFF`], so a store that is down is not hammered and one that is back is
/// noticed within seconds.
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_millis(100);
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Something kept in step with the store by the change feed (a cache, the catalog, …).
pub trait Follower: Send + Sync + 'static {
    /// Takes in one batch of changes, in feed order. Must be idempotent: after an error
    /// the same batch (or a longer one starting at the same change) comes again.
    fn apply(&self, batch: &[Change]) -> impl Future<Output = Result<(), ContentError>> + Send;
}

/// How one follower is doing, shared between its task and the probes.
#[derive(Debug)]
pub(crate) struct Status {
    name: &'static str,
    /// The last change taken in.
    position: AtomicI64,
    /// Failed attempts since the last success (0: healthy).
    failing: AtomicU64,
    /// Failed attempts in all.
    failures: AtomicU64,
    last_error: Mutex<Option<String>>,
}

impl Status {
    /// An attempt succeeded, having taken in the changes up to `seq` (if any).
    pub(crate) fn succeeded(&self, seq: Option<i64>) {
        if let Some(seq) = seq {
            self.position.store(seq, Ordering::Release);
        }
        if self.failing.swap(0, Ordering::AcqRel) > 0 {
            tracing::info!(follower = self.name, "change feed follower recovered");
            *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    /// Took in the changes up to `seq` (or went back to it, to take them in again) as
    /// part of an attempt not yet known to have succeeded: failures in a row are kept.
    pub(crate) fn moved_to(&self, seq: i64) {
        self.position.store(seq, Ordering::Release);
    }

    /// An attempt failed; returns how many in a row have now.
    pub(crate) fn failed(&self, error: &ContentError) -> u64 {
        self.failures.fetch_add(1, Ordering::Relaxed);
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error.to_string());
        self.failing.fetch_add(1, Ordering::AcqRel) + 1
    }

    pub(crate) fn position(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }
}

/// A snapshot of one follower, for `/metrics` and `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowerState {
    pub name: &'static str,
    /// The last change it has taken in.
    pub position: i64,
    /// Failed attempts since its last success; above 0 it is stuck on a batch.
    pub failing: u64,
    /// Failed attempts since the process started.
    pub failures: u64,
    /// Why the last attempt failed, while it is failing.
    pub last_error: Option<String>,
}

/// The in-process side of the change feed.
#[derive(Clone)]
pub struct ChangeFeed {
    newest: Arc<watch::Sender<i64>>,
    followers: Arc<Mutex<Vec<Arc<Status>>>>,
}

impl ChangeFeed {
    pub fn new(start: i64) -> Self {
        Self {
            newest: Arc::new(watch::channel(start).0),
            followers: Arc::default(),
        }
    }

    /// Called after a committed write, on a database's notification, and by a follower
    /// that read changes nobody poked about: raises the newest known position and wakes
    /// every follower.
    pub fn poke(&self, seq: i64) {
        self.newest.send_if_modified(|v| {
            if seq > *v {
                *v = seq;
                true
            } else {
                false
            }
        });
    }

    /// Feeds `follower` every change after `position`, one batch at a time, until the
    /// process ends (see the module's contract).
    pub fn follow(
        &self,
        store: Arc<dyn Store>,
        position: i64,
        name: &'static str,
        follower: impl Follower,
    ) {
        let status = self.register(name, position);
        let rx = self.newest.subscribe();
        tokio::spawn(run(store, rx, status, follower, self.clone()));
    }

    /// Lists a follower that runs a loop of its own (the search indexer, whose position
    /// is committed with its index) with the others; it reports through the handle.
    pub(crate) fn register(&self, name: &'static str, position: i64) -> Arc<Status> {
        let status = Arc::new(Status {
            name,
            position: AtomicI64::new(position),
            failing: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            last_error: Mutex::new(None),
        });
        self.followers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(status.clone());
        status
    }

    /// Every follower started with [`follow`](Self::follow), in start order.
    pub fn followers(&self) -> Vec<FollowerState> {
        self.followers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|s| FollowerState {
                name: s.name,
                position: s.position.load(Ordering::Acquire),
                failing: s.failing.load(Ordering::Acquire),
                failures: s.failures.load(Ordering::Acquire),
                last_error: s
                    .last_error
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone(),
            })
            .collect()
    }

    /// Wakes on every poke (for followers with their own loop, like the search indexer).
    pub(crate) fn watch(&self) -> watch::Receiver<i64> {
        self.newest.subscribe()
    }

    /// The newest sequence number this process knows of: its own writes, other nodes'
    /// notifications, and whatever a follower has read from the feed (before it applies
    /// it).
    pub fn position(&self) -> i64 {
        *self.newest.borrow()
    }
}

/// One follower's loop: read after its position, apply, advance; on failure wait and
/// try the same position again.
async fn run(
    store: Arc<dyn Store>,
    mut rx: watch::Receiver<i64>,
    status: Arc<Status>,
    follower: impl Follower,
    feed: ChangeFeed,
) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        let position = status.position();
        let attempt = async {
            let batch = store.changes_since(position, BATCH).await?;
            if let Some(last) = batch.last() {
                // A change nobody poked about (another process wrote it, or a node's
                // notification was lost) becomes known here before any follower acts on
                // it, so `position()` never lags what a follower has taken in: what is
                // kept "until the feed moves" (the section lists) is retired before the
                // page cache drops the pages that showed it.
                // (The poke wakes this follower once more, for an empty read.)
                feed.poke(last.seq);
                follower.apply(&batch).await?;
            }
            Ok::<_, ContentError>(batch)
        };
        match attempt.await {
            Ok(batch) => {
                status.succeeded(batch.last().map(|c| c.seq));
                backoff = FIRST_BACKOFF;
                if batch.len() as i64 == BATCH {
                    continue;
                }
            }
            Err(e) => {
                let failing = status.failed(&e);
                tracing::warn!(
                    follower = status.name,
                    after = position,
                    attempt = failing,
                    retry_in_ms = backoff.as_millis() as u64,
                    error = %e,
                    "change feed follower failed; retrying the same batch"
                );
                // Not cut short by pokes: new changes do not make the store healthier.
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        }
        tokio::select! {
            changed = rx.changed() => if changed.is_err() { return },
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}
