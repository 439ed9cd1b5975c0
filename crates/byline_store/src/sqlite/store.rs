//! `Store` for SQLite: each method delegates to the query module that owns it.

use super::SqliteStore;
use crate::{
    ArticleFilter, Change, SitemapEntry, SitemapFilter, SitemapMonth, Store, StoreResult,
    Translation, ViewDelta,
};
use async_trait::async_trait;
use byline_core::{
    Article, ArticleId, ArticleStatus, ArticleSummary, Author, AuthorId, Localized, MediaId,
    MediaItem, NewArticle, NewMedia, PageRequest, Section, SectionId, SiteSettings, Slug, Tag,
    TagId,
};

#[async_trait]
impl Store for SqliteStore {
    async fn is_empty(&self) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "select (select count(*) from articles) + (select count(*) from sections)",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(n == 0)
    }

    async fn settings(&self) -> StoreResult<SiteSettings> {
        self.load_settings().await
    }

    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
        self.store_settings(settings).await
    }

    async fn upsert_section(
        &self,
        slug: &Slug,
        name: &Localized,
        description: &Localized,
        position: i64,
    ) -> StoreResult<SectionId> {
        self.put_section(slug, name, description, position).await
    }

    async fn sections(&self) -> StoreResult<Vec<Section>> {
        self.all_sections().await
    }

    async fn upsert_author(
        &self,
        slug: &Slug,
        name: &Localized,
        bio: &Localized,
    ) -> StoreResult<AuthorId> {
        self.put_author(slug, name, bio).await
    }

    async fn authors(&self) -> StoreResult<Vec<Author>> {
        self.all_authors().await
    }

    async fn upsert_tag(&self, slug: &Slug, name: &Localized) -> StoreResult<TagId> {
        self.put_tag(slug, name).await
    }

    async fn tags(&self) -> StoreResult<Vec<Tag>> {
        self.all_tags().await
    }

    async fn create_article(&self, article: &NewArticle) -> StoreResult<ArticleId> {
        self.insert_article(article).await
    }

    async fn update_article(&self, id: ArticleId, article: &NewArticle) -> StoreResult<()> {
        self.replace_article(id, article).await
    }

    async fn create_articles(&self, articles: &[NewArticle]) -> StoreResult<Vec<ArticleId>> {
        self.insert_articles(articles).await
    }

    async fn set_article_status(&self, id: ArticleId, status: ArticleStatus) -> StoreResult<()> {
        self.update_status(id, status).await
    }

    async fn published_summaries(&self, ids: &[ArticleId]) -> StoreResult<Vec<ArticleSummary>> {
        self.summaries_by_id(ids).await
    }

    async fn published_after(&self, after: ArticleId, limit: i64) -> StoreResult<Vec<Article>> {
        self.published_page_after(after, limit).await
    }

    async fn article(&self, id: ArticleId) -> StoreResult<Article> {
        self.article_by_id(id).await
    }

    async fn published_article(&self, edition: &str, slug: &str) -> StoreResult<Article> {
        self.published_by_slug(edition, slug).await
    }

    async fn published_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
    ) -> StoreResult<(Vec<ArticleSummary>, u64)> {
        self.list_published(filter, page).await
    }

    async fn most_read(
        &self,
        edition: &str,
        since: jiff::Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<ArticleSummary>> {
        self.list_most_read(edition, since, limit).await
    }

    async fn translations(&self, group: i64) -> StoreResult<Vec<Translation>> {
        self.group_translations(group).await
    }

    async fn recent_articles(
        &self,
        filter: &ArticleFilter,
        limit: u32,
    ) -> StoreResult<Vec<Article>> {
        self.recent_whole(filter, limit).await
    }

    async fn sitemap_months(&self) -> StoreResult<Vec<SitemapMonth>> {
        self.months().await
    }

    async fn sitemap_entries(
        &self,
        filter: &SitemapFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<SitemapEntry>> {
        self.entries(filter, offset, limit).await
    }

    async fn published_view_counts(&self) -> StoreResult<Vec<(ArticleId, u64)>> {
        self.view_counts().await
    }

    async fn add_views(&self, deltas: &[ViewDelta]) -> StoreResult<()> {
        self.apply_views(deltas).await
    }

    async fn changes_since(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>> {
        self.changes_after(after, limit).await
    }

    async fn last_change(&self) -> StoreResult<i64> {
        self.newest_change().await
    }

    async fn create_media(&self, media: &NewMedia) -> StoreResult<MediaId> {
        self.insert_media(media).await
    }

    async fn media(&self, id: MediaId) -> StoreResult<MediaItem> {
        self.media_by_id(id).await
    }

    async fn media_list(&self, page: PageRequest) -> StoreResult<(Vec<MediaItem>, u64)> {
        self.list_media(page).await
    }

    async fn update_media_text(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
    ) -> StoreResult<()> {
        self.set_media_text(id, alt, caption, credit).await
    }
}
