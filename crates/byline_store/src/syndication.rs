//! Reads for feeds, sitemaps and the API's article lists: whole published articles and
//! the sitemap's months and entries. Each is a fixed number of queries, never one per
//! article.

use crate::{ArticleFilter, ArticleWindow, SitemapEntry, SitemapFilter, SitemapMonth, StoreResult};
use async_trait::async_trait;
use byline_core::Article;

#[async_trait]
pub trait SyndicationStore: Send + Sync {
    /// The newest `limit` published articles matching `filter`, whole (for feeds).
    async fn recent_articles(
        &self,
        filter: &ArticleFilter,
        limit: u32,
    ) -> StoreResult<Vec<Article>>;
    /// Published articles counted per edition and calendar month (UTC) of publishing.
    async fn sitemap_months(&self) -> StoreResult<Vec<SitemapMonth>>;
    /// Published articles matching `filter`, newest first, `offset`/`limit` applied, each
    /// with its story's published editions.
    async fn sitemap_entries(
        &self,
        filter: &SitemapFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<SitemapEntry>>;
    /// Published articles in `window`, newest first (`published_at`, then id), whole:
    /// the API's article lists.
    async fn article_window(&self, window: &ArticleWindow, limit: u32)
    -> StoreResult<Vec<Article>>;
}
