//! Following the change feed.
//!
//! Every committed change has a row in the store's `changes` table. A follower keeps its
//! own position and reads the rows after it. Writers in this process poke the feed so
//! followers wake at once; a short poll catches changes written by another process.

use byline_store::{Change, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often followers look for changes nobody poked them about (another process).
const POLL: Duration = Duration::from_millis(500);
const BATCH: i64 = 500;

/// The in-process side of the change feed.
#[derive(Clone)]
pub struct ChangeFeed {
    newest: Arc<watch::Sender<i64>>,
}

impl ChangeFeed {
    pub fn new(start: i64) -> Self {
        Self {
            newest: Arc::new(watch::channel(start).0),
        }
    }

    /// Called after a committed write: wakes every follower.
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

    /// Runs `handle` on every batch of changes after `position`, until the process ends.
    /// `handle` must be idempotent: after an error the same batch is read again.
    pub fn follow<F>(&self, store: Arc<dyn Store>, mut position: i64, name: &'static str, handle: F)
    where
        F: Fn(&[Change]) + Send + Sync + 'static,
    {
        let mut rx = self.newest.subscribe();
        tokio::spawn(async move {
            loop {
                match store.changes_since(position, BATCH).await {
                    Ok(changes) if !changes.is_empty() => {
                        handle(&changes);
                        position = changes.last().map_or(position, |c| c.seq);
                        if changes.len() as i64 == BATCH {
                            continue;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(follower = name, error = %e, "reading the change feed failed; retrying")
                    }
                }
                tokio::select! {
                    changed = rx.changed() => if changed.is_err() { return },
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        });
    }
}

impl ChangeFeed {
    /// Wakes on every poke (for followers with their own loop, like the search indexer).
    pub(crate) fn watch(&self) -> watch::Receiver<i64> {
        self.newest.subscribe()
    }

    /// The newest sequence number this process knows of.
    pub fn position(&self) -> i64 {
        *self.newest.borrow()
    }
}
