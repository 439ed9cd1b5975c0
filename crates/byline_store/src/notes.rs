//! Internal notes on articles: the newsroom's conversation about a story, never shown to
//! readers and not in the change feed.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{ArticleId, ArticleNote, UserId};
use jiff::Timestamp;

#[async_trait]
pub trait NoteStore: Send + Sync {
    /// Adds a note by `author` to the article. `NotFound` when there is no such article.
    async fn add_note(
        &self,
        article: ArticleId,
        author: UserId,
        body: &str,
        at: Timestamp,
    ) -> StoreResult<i64>;
    /// The article's notes, oldest first, with their authors' names.
    async fn notes(&self, article: ArticleId) -> StoreResult<Vec<ArticleNote>>;
}
