//! Live blogs (issue 17): making an article live and ending it, and its entries. Every
//! write is one change-feed row (kind `article`, action `live` or `entry`) in the same
//! transaction, and an entry remembers that row's position (`seq`): the event stream
//! and the Content API resume from it.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{ArticleId, EntryRevision, EntryText, LiveEntry, PushNotice, UserId};
use jiff::Timestamp;

/// What `Conflict` names when an entry is posted to an article that is not live.
pub const NOT_LIVE: &str = "the article is not a live blog (or the live blog has ended)";

#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Makes article `id` a live blog from `at` (or resumes an ended one: its start
    /// stays). `NotFound`; `Conflict(TAKEN_DOWN)`.
    async fn start_live(&self, id: ArticleId, at: Timestamp) -> StoreResult<()>;
    /// Ends the live blog at `at`: it stays an article with its entries.
    /// `NotFound`; `Conflict(NOT_LIVE)` when it is not live.
    async fn end_live(&self, id: ArticleId, at: Timestamp) -> StoreResult<()>;
    /// Adds an entry at `at` (unpinning the others when it is pinned); when the article
    /// is published, `at` becomes its `updated_at`, and `push` (a key event's
    /// notification) is queued for its subscribers in the same transaction. Returns the
    /// entry's id and `seq`.
    /// `NotFound`; `Conflict(NOT_LIVE)`; `Conflict(TAKEN_DOWN)`.
    async fn add_entry(
        &self,
        article: ArticleId,
        entry: &EntryText,
        at: Timestamp,
        by: Option<UserId>,
        push: Option<&PushNotice>,
    ) -> StoreResult<LiveEntry>;
    /// Replaces an entry's text (its old version kept as a revision). `NotFound` for an
    /// entry not of `article` or deleted; `Conflict(TAKEN_DOWN)`.
    async fn edit_entry(
        &self,
        article: ArticleId,
        entry: i64,
        text: &EntryText,
        at: Timestamp,
        by: Option<UserId>,
    ) -> StoreResult<LiveEntry>;
    /// Deletes an entry (its last version kept as a revision; the row stays, marked,
    /// so readers resuming learn it went). `NotFound` as for edits.
    async fn delete_entry(
        &self,
        article: ArticleId,
        entry: i64,
        at: Timestamp,
        by: Option<UserId>,
    ) -> StoreResult<LiveEntry>;
    /// One entry of `article` (deleted ones too). `NotFound`.
    async fn live_entry(&self, article: ArticleId, entry: i64) -> StoreResult<LiveEntry>;
    /// The newest `limit` entries not deleted, newest first.
    async fn live_entries(&self, article: ArticleId, limit: u32) -> StoreResult<Vec<LiveEntry>>;
    /// Entries written (added, edited or deleted) after change-feed position `after`,
    /// in `seq` order, at most `limit`.
    async fn live_entries_since(
        &self,
        article: ArticleId,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<LiveEntry>>;
    /// An entry's earlier versions, newest first.
    async fn entry_revisions(&self, entry: i64) -> StoreResult<Vec<EntryRevision>>;
}
