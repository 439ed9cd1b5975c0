//! `Store`: each method delegates to the query module that owns it.

use super::Backend;
use crate::{
    ApiKey, ApiToken, ArticleFilter, ArticleWindow, Change, IdempotentRecord, NewsroomFilter,
    ReadCount, RevisionSave, SitemapEntry, SitemapFilter, SitemapMonth, Store, StoreResult,
    Translation, ViewDelta,
};
use async_trait::async_trait;
use byline_core::{
    Article, ArticleId, ArticleMeta, ArticleStatus, ArticleSummary, AuditEntry, Author, AuthorId,
    Credentials, Localized, MediaId, MediaItem, NewArticle, NewAuditEntry, NewMedia, NewUser,
    NewsroomArticle, PageRequest, Revision, Role, Section, SectionId, Session, SiteSettings, Slug,
    Tag, TagId, User, UserId,
};

#[async_trait]
impl Store for Backend {
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
        let (article, _) = self.published_by_slug(edition, slug, false).await?;
        Ok(article)
    }

    async fn notify_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool> {
        self.listen_for_changes(wake).await
    }

    async fn published_article_with_translations(
        &self,
        edition: &str,
        slug: &str,
    ) -> StoreResult<(Article, Vec<Translation>)> {
        self.published_by_slug(edition, slug, true).await
    }

    async fn published_slice(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArticleSummary>> {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        self.slice_published(filter, offset, i64::from(limit)).await
    }

    async fn published_by_old_slug(&self, edition: &str, slug: &str) -> StoreResult<Article> {
        self.published_by_former_slug(edition, slug).await
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

    async fn published_view_counts(
        &self,
        before: Option<ArticleId>,
        limit: u32,
    ) -> StoreResult<Vec<(ArticleId, u64)>> {
        self.view_counts(before, limit).await
    }

    async fn add_views(&self, deltas: &[ViewDelta]) -> StoreResult<()> {
        self.apply_views(deltas).await
    }

    async fn most_viewed_since(&self, since_day: &str, limit: i64) -> StoreResult<Vec<ReadCount>> {
        self.top_viewed(since_day, limit).await
    }

    async fn views_per_day(&self, since_day: &str) -> StoreResult<Vec<(String, u64)>> {
        self.daily_views(since_day).await
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

    // ---- The newsroom (issue 3): implemented in accounts.rs ----

    async fn create_user(&self, user: &NewUser) -> StoreResult<UserId> {
        self.insert_user(user).await
    }

    async fn user(&self, id: UserId) -> StoreResult<User> {
        self.user_by_id(id).await
    }

    async fn credentials(&self, email: &str) -> StoreResult<Credentials> {
        self.user_credentials(email).await
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        self.all_users().await
    }

    async fn record_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from login_failures where at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("insert into login_failures (key, at) values ($1, $2)")
                .bind(key)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn login_failures_since(
        &self,
        keys: &[String],
        since: i64,
    ) -> StoreResult<Vec<(String, u64, i64)>> {
        let mut out = Vec::new();
        for key in keys {
            if let Some(row) = sqlx::query("select key, count(*) as n, min(at) as oldest from login_failures where key = $1 and at >= $2 group by key")
                .bind(key)
                .bind(since)
                .fetch_optional(&self.read)
                .await?
            {
                use sqlx::Row;
                let n: i64 = row.try_get("n")?;
                out.push((row.try_get("key")?, n.max(0) as u64, row.try_get("oldest")?));
            }
        }
        Ok(out)
    }

    async fn forget_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("delete from login_failures where key = $1")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn active_admins(&self) -> StoreResult<u64> {
        self.count_active_admins().await
    }

    async fn set_user_role(&self, id: UserId, role: Role) -> StoreResult<()> {
        self.update_user_role(id, role).await
    }

    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        self.update_user_disabled(id, disabled).await
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()> {
        self.update_password_hash(id, hash, keep).await
    }

    async fn create_session(&self, session: &Session) -> StoreResult<()> {
        self.insert_session(session).await
    }

    async fn session(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> StoreResult<(Session, User)> {
        self.live_session(token_hash, now).await
    }

    async fn touch_session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<()> {
        self.update_session_seen(token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.remove_session(token_hash).await
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()> {
        self.insert_audit(entry).await
    }

    async fn audit_log(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_page(before, limit).await
    }

    async fn article_meta(&self, id: ArticleId) -> StoreResult<ArticleMeta> {
        self.meta_of(id).await
    }

    async fn create_owned_article(
        &self,
        article: &NewArticle,
        owner: UserId,
    ) -> StoreResult<(ArticleId, i64)> {
        self.insert_owned_article(article, owner).await
    }

    async fn save_article_revision(
        &self,
        id: ArticleId,
        based_on: i64,
        article: &NewArticle,
        author: UserId,
    ) -> StoreResult<RevisionSave> {
        self.save_revision(id, based_on, article, author).await
    }

    async fn revisions(&self, article: ArticleId) -> StoreResult<Vec<Revision>> {
        self.revisions_of(article).await
    }

    async fn revision(&self, id: i64) -> StoreResult<Revision> {
        self.revision_by_id(id).await
    }

    async fn schedule_article(&self, id: ArticleId, at: jiff::Timestamp) -> StoreResult<()> {
        self.set_scheduled(id, at).await
    }

    async fn soft_delete_article(&self, id: ArticleId) -> StoreResult<()> {
        self.set_deleted(id).await
    }

    async fn restore_article(&self, id: ArticleId) -> StoreResult<ArticleStatus> {
        self.undelete(id).await
    }

    async fn newsroom_articles(
        &self,
        filter: &NewsroomFilter,
    ) -> StoreResult<Vec<NewsroomArticle>> {
        self.newsroom_list(filter).await
    }

    async fn publish_due(&self, now: jiff::Timestamp) -> StoreResult<Vec<ArticleId>> {
        self.publish_due_now(now).await
    }

    async fn article_window(
        &self,
        window: &ArticleWindow,
        limit: u32,
    ) -> StoreResult<Vec<Article>> {
        self.window_whole(window, limit).await
    }

    async fn create_api_key(&self, name: &str, key_hash: &str) -> StoreResult<i64> {
        self.insert_api_key(name, key_hash).await
    }

    async fn api_key(&self, key_hash: &str) -> StoreResult<ApiKey> {
        self.live_api_key(key_hash).await
    }

    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        self.all_api_keys().await
    }

    async fn revoke_api_key(&self, id: i64) -> StoreResult<()> {
        self.revoke_key(id).await
    }

    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64> {
        self.insert_api_token(user, name, token_hash).await
    }

    async fn api_token(&self, token_hash: &str) -> StoreResult<(ApiToken, User)> {
        self.live_api_token(token_hash).await
    }

    async fn api_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<ApiToken>> {
        self.list_api_tokens(user).await
    }

    async fn revoke_api_token(&self, id: i64) -> StoreResult<()> {
        self.revoke_token(id).await
    }

    async fn claim_idempotency_key(
        &self,
        user: UserId,
        key: &str,
        request_hash: &str,
    ) -> StoreResult<Option<IdempotentRecord>> {
        self.claim_idempotency(user, key, request_hash).await
    }

    async fn finish_idempotency_key(
        &self,
        user: UserId,
        key: &str,
        status: u16,
        body: &str,
    ) -> StoreResult<()> {
        self.finish_idempotency(user, key, status, body).await
    }

    async fn release_idempotency_key(&self, user: UserId, key: &str) -> StoreResult<()> {
        self.release_idempotency(user, key).await
    }
}
