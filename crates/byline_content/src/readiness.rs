//! Whether this node keeps up with the store: what `/readyz` and `/metrics` report, and
//! the waits that tests and the CLI use after a write.

use crate::Content;
use crate::feed::FollowerState;
use std::time::Duration;

/// How often the waits below look again.
const RECHECK: Duration = Duration::from_millis(20);

impl Content {
    /// Whether this node can take readers (the load balancer's `/readyz`).
    pub async fn readiness(&self) -> Readiness {
        let newest = self.store.last_change().await;
        let indexed = self.search_index().position();
        Readiness {
            store: newest.as_ref().err().map(|e| e.to_string()),
            search_behind: match (&newest, indexed) {
                (Ok(newest), Some(indexed)) => Some((newest - indexed).max(0)),
                _ => None,
            },
            newest: newest.ok(),
            followers: self.feed().followers(),
        }
    }

    /// Waits until the search indexes (readers' and newsroom's) reflect every change
    /// committed so far. Gives up after `timeout`.
    pub async fn search_settled(&self, timeout: Duration) -> bool {
        self.wait_for(timeout, |_| true).await
    }

    /// Waits until every follower of this node's change feed (catalog, page cache, …)
    /// and the search index have taken in every change committed so far, so what a
    /// request shows next reflects it. Gives up after `timeout`.
    pub async fn settled(&self, timeout: Duration) -> bool {
        let feed = self.feed().clone();
        self.wait_for(timeout, move |newest| {
            feed.followers().iter().all(|f| f.position >= newest)
        })
        .await
    }

    /// Waits until both search indexes (committed) and `followers_at(newest)` are at the
    /// store's newest change.
    async fn wait_for(&self, timeout: Duration, followers_at: impl Fn(i64) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let newest = self.store.last_change().await.unwrap_or(i64::MAX);
            let committed =
                |index: &byline_search::SearchIndex| index.position().is_some_and(|p| p >= newest);
            if committed(self.search_index())
                && committed(self.newsroom_search_index())
                && followers_at(newest)
            {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(RECHECK).await;
        }
    }
}

/// What `/readyz` reports.
#[derive(Debug, Clone)]
pub struct Readiness {
    /// Why the store cannot be reached, if it cannot.
    pub store: Option<String>,
    /// Changes the search index has yet to take in; `None` while it is being rebuilt
    /// (or the store cannot say).
    pub search_behind: Option<i64>,
    /// The store's newest change, when it answered.
    pub newest: Option<i64>,
    /// The change feed's followers (catalog, page cache, …) and how they are doing.
    pub followers: Vec<FollowerState>,
}

impl Readiness {
    /// A search index further behind than this is catching up after a rebuild or a long
    /// stop, not following: the node should not take readers yet.
    pub const MAX_SEARCH_BEHIND: i64 = 1000;

    /// The store answers, search follows closely, and no follower is stuck on a batch
    /// it cannot apply (its pages or catalog would be stale).
    pub fn is_ready(&self) -> bool {
        self.store.is_none()
            && self
                .search_behind
                .is_some_and(|behind| behind <= Self::MAX_SEARCH_BEHIND)
            && self.followers.iter().all(|f| f.failing == 0)
    }

    /// Changes `follower` has yet to take in, when the store said how many there are.
    pub fn behind(&self, follower: &FollowerState) -> Option<i64> {
        self.newest
            .map(|newest| (newest - follower.position).max(0))
    }
}
