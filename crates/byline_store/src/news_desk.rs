//! The news desk (issue 17): public correction notes on published articles, and
//! takedowns. Each write is an article change in the change feed, so every node's
//! pages, search and feeds follow it.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{ArticleId, Correction};

/// What `Conflict` names when a desk move finds the article in the wrong status (it
/// changed between the content service's check and the write).
pub const NOT_PUBLISHED: &str = "the article is not published";
pub const NOT_TAKEN_DOWN: &str = "the article is not taken down";

#[async_trait]
pub trait NewsDeskStore: Send + Sync {
    /// Appends `note` to a published article's public notes and makes the note's time
    /// the article's `updated_at`, with one change-feed row (`corrected`: only the
    /// article's own page and the feeds change). `NotFound` for an unknown id,
    /// `Conflict(NOT_PUBLISHED)` when it is not published.
    async fn add_correction(&self, id: ArticleId, note: &Correction) -> StoreResult<()>;
    /// Takes a published article off the site with `reason` (change feed:
    /// `unpublished`). `NotFound` for an unknown id, `Conflict(NOT_PUBLISHED)`.
    async fn take_down_article(&self, id: ArticleId, reason: &str) -> StoreResult<()>;
    /// Puts a taken-down article back on the site as published, its reason cleared
    /// (change feed: `published`). `NotFound`, `Conflict(NOT_TAKEN_DOWN)`.
    async fn reinstate_article(&self, id: ArticleId) -> StoreResult<()>;
    /// Whether the article that has (or had) the address `edition`/`slug` is taken down.
    async fn taken_down_at(&self, edition: &str, slug: &str) -> StoreResult<bool>;
}
