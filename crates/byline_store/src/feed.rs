//! The change feed (ADR 2): every content write appends a `changes` row in its own
//! transaction; followers read the rows after their position.

use crate::{Change, StoreResult};
use async_trait::async_trait;

#[async_trait]
pub trait ChangeFeedStore: Send + Sync {
    /// Calls `wake` with the sequence number of every change another process commits,
    /// where the database can say so (PostgreSQL: LISTEN/NOTIFY). `false` when it cannot:
    /// followers then find such changes by polling the table, as they also do after a
    /// missed notification.
    async fn notify_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool>;
    /// Change-feed entries after `after`, oldest first.
    async fn changes_since(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>>;
    /// The newest change sequence number (0 when there is none).
    async fn last_change(&self) -> StoreResult<i64>;
}
