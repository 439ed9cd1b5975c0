//! Reads for feeds and sitemaps. Thin on purpose: what a feed or a sitemap may show is
//! exactly what readers may see (published articles), which the store's queries
//! already guarantee.

use crate::{Content, ContentError};
use byline_core::Article;
use byline_store::{ArticleFilter, SitemapEntry, SitemapFilter, SitemapMonth};

impl Content {
    /// The newest `limit` (1..=100) published articles matching `filter`, whole.
    pub async fn recent_articles(
        &self,
        filter: &ArticleFilter,
        limit: u32,
    ) -> Result<Vec<Article>, ContentError> {
        Ok(self
            .store
            .recent_articles(filter, limit.clamp(1, 100))
            .await?)
    }

    /// Published articles per edition and month, for the sitemap index.
    pub async fn sitemap_months(&self) -> Result<Vec<SitemapMonth>, ContentError> {
        Ok(self.store.sitemap_months().await?)
    }

    /// One chunk of a sitemap: published articles in the filter's window, newest first.
    pub async fn sitemap_entries(
        &self,
        filter: &SitemapFilter,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<SitemapEntry>, ContentError> {
        Ok(self.store.sitemap_entries(filter, offset, limit).await?)
    }
}
