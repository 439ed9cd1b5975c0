//! Working together in the newsroom: assignments, notifications and presence. None of it
//! is in the change feed (readers see nothing of it).

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{ArticleId, Assignment, NewNotice, Notice, Presence, UserId};
use jiff::Timestamp;

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// Who the article is assigned to (nobody: both `None`).
    async fn assignment(&self, article: ArticleId) -> StoreResult<Assignment>;
    /// Replaces the article's assignment. `NotFound` when there is no such article.
    async fn set_assignment(&self, article: ArticleId, assignment: Assignment) -> StoreResult<()>;
    /// Records notifications, all or none.
    async fn notify(&self, notices: &[NewNotice], at: Timestamp) -> StoreResult<()>;
    /// `user`'s newest notifications (at most `limit`), newest first, with the
    /// article's title and the actor's name.
    async fn notifications(&self, user: UserId, limit: u32) -> StoreResult<Vec<Notice>>;
    /// How many of `user`'s notifications are unread.
    async fn unread_notifications(&self, user: UserId) -> StoreResult<u64>;
    /// Marks `user`'s notifications up to `through` (an id) read.
    async fn mark_notifications_read(
        &self,
        user: UserId,
        through: i64,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Records that `user` has the article open at `at`, and answers who else had it
    /// open since `since` (in account order). `NotFound` for no article.
    async fn touch_presence(
        &self,
        article: ArticleId,
        user: UserId,
        at: Timestamp,
        since: Timestamp,
    ) -> StoreResult<Vec<Presence>>;
}
