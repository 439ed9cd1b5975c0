//! Articles: writes, the reader site's reads, view counts, and the newsroom's article
//! lifecycle (owner, revisions, scheduling, soft delete).

use crate::{
    ArticleFilter, IdempotencyClaim, NewsroomFilter, OwnedCreate, ReadCount, RevisionSave,
    StoreResult, Translation, ViewDelta,
};
use async_trait::async_trait;
use byline_core::{
    Article, ArticleId, ArticleMeta, ArticleStatus, ArticleSummary, Cover, NewArticle,
    NewAuditEntry, NewsroomArticle, PageRequest, Revision, UserId,
};

#[async_trait]
pub trait ArticleStore: Send + Sync {
    /// Inserts an article; `Conflict` when the slug is taken in its edition.
    async fn create_article(&self, article: &NewArticle) -> StoreResult<ArticleId>;
    /// Replaces an article's content (a correction when it stays published: `updated_at`
    /// is set). `NotFound` for an unknown id, `Conflict` when the new slug is taken.
    async fn update_article(&self, id: ArticleId, article: &NewArticle) -> StoreResult<()>;
    /// Inserts many articles in one transaction (imports, benchmarks): all or none.
    async fn create_articles(&self, articles: &[NewArticle]) -> StoreResult<Vec<ArticleId>>;
    /// Moves an article to `status` (publishing sets its publish time if it has none);
    /// the change feed says `published` or `unpublished`/`updated` accordingly.
    async fn set_article_status(&self, id: ArticleId, status: ArticleStatus) -> StoreResult<()>;
    /// Replaces an article's cover and social image as stored (a library picture's
    /// crops followed its focal point), without a revision or an "updated" date; in the
    /// change feed like any article write, so its pages are made again.
    async fn set_article_pictures(
        &self,
        id: ArticleId,
        cover: Option<&Cover>,
        social: Option<&Cover>,
    ) -> StoreResult<()>;
    async fn article(&self, id: ArticleId) -> StoreResult<Article>;
    /// A published article by edition and slug.
    async fn published_article(&self, edition: &str, slug: &str) -> StoreResult<Article>;
    /// A published article by edition and slug with its published translations (itself
    /// included), in as few round trips as the database allows: the article page's read.
    async fn published_article_with_translations(
        &self,
        edition: &str,
        slug: &str,
    ) -> StoreResult<(Article, Vec<Translation>)>;
    /// The published article that had `slug` in `edition` before a change of address
    /// (`NotFound` when none did, or it is not published).
    async fn published_by_old_slug(&self, edition: &str, slug: &str) -> StoreResult<Article>;
    /// Published articles matching `filter`, newest first, and the total count.
    async fn published_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
    ) -> StoreResult<(Vec<ArticleSummary>, u64)>;
    /// Up to `limit` published articles matching `filter`, newest first, after skipping
    /// `offset`; no count (for lists that only need to know whether more follow).
    async fn published_slice(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArticleSummary>>;
    /// Most viewed published articles of an edition published since `since`.
    async fn most_read(
        &self,
        edition: &str,
        since: jiff::Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<ArticleSummary>>;
    /// The published ones among `ids`, in no particular order (search results).
    async fn published_summaries(&self, ids: &[ArticleId]) -> StoreResult<Vec<ArticleSummary>>;
    /// Up to `limit` published articles with ids above `after`, by id (a full scan in
    /// pages, for rebuilding the search index).
    async fn published_after(&self, after: ArticleId, limit: i64) -> StoreResult<Vec<Article>>;
    /// Published editions of the story in `group`.
    async fn translations(&self, group: i64) -> StoreResult<Vec<Translation>>;

    /// Ids and view counts of published articles, newest (highest id) first, below
    /// `before` when given: the view counter loads them a page at a time.
    async fn published_view_counts(
        &self,
        before: Option<ArticleId>,
        limit: u32,
    ) -> StoreResult<Vec<(ArticleId, u64)>>;
    /// Adds counted views in one transaction (totals and the per-day counters).
    async fn add_views(&self, deltas: &[ViewDelta]) -> StoreResult<()>;
    /// The most viewed published articles on UTC days from `since_day` (`YYYY-MM-DD`)
    /// on, most views first (an unpublished or deleted article is not listed, nor its
    /// current title shown).
    async fn most_viewed_since(&self, since_day: &str, limit: i64) -> StoreResult<Vec<ReadCount>>;
    /// Views of all articles per UTC day from `since_day` on, oldest day first (days
    /// without views are left out).
    async fn views_per_day(&self, since_day: &str) -> StoreResult<Vec<(String, u64)>>;

    // ---- The newsroom's lifecycle ----

    /// Owner, newest revision and soft-delete state of an article.
    async fn article_meta(&self, id: ArticleId) -> StoreResult<ArticleMeta>;
    /// Creates an article owned by `owner`, its first revision and the `audit` line (its
    /// `entity_id` is set to the new id) in one transaction, with one change-feed row
    /// (`published` when it is, else `created`). With `once`, the idempotency key is
    /// claimed in that transaction too: when `owner` used it before, nothing is written
    /// and what it stands for is returned; otherwise it is kept naming the new article.
    /// `Conflict` when the slug is taken (nothing is written then either).
    async fn create_owned_article(
        &self,
        article: &NewArticle,
        owner: UserId,
        audit: &NewAuditEntry,
        once: Option<&IdempotencyClaim>,
    ) -> StoreResult<OwnedCreate>;
    /// Saves `article` over `id` as a new revision if the newest revision is still
    /// `based_on`; otherwise keeps the text as a refused revision and changes nothing else.
    async fn save_article_revision(
        &self,
        id: ArticleId,
        based_on: i64,
        article: &NewArticle,
        author: UserId,
    ) -> StoreResult<RevisionSave>;
    /// Revisions of an article, newest first (refused ones included).
    async fn revisions(&self, article: ArticleId) -> StoreResult<Vec<Revision>>;
    async fn revision(&self, id: i64) -> StoreResult<Revision>;
    /// Sets `scheduled` with the publish time `at` (readers see it from then on).
    async fn schedule_article(&self, id: ArticleId, at: jiff::Timestamp) -> StoreResult<()>;
    /// Soft delete: status `deleted`, the previous status remembered for `restore_article`.
    async fn soft_delete_article(&self, id: ArticleId) -> StoreResult<()>;
    /// Undoes a soft delete; returns the status the article is back in.
    /// `NotFound` when the article is not deleted.
    async fn restore_article(&self, id: ArticleId) -> StoreResult<ArticleStatus>;
    /// The newsroom's article list, newest first by the filter's sort.
    async fn newsroom_articles(&self, filter: &NewsroomFilter)
    -> StoreResult<Vec<NewsroomArticle>>;
    /// How many articles match `filter` in each status, its own status filter, offset
    /// and limit left out (the list's counts per status), in `ArticleStatus::ALL` order;
    /// statuses without any are left out.
    async fn newsroom_counts(
        &self,
        filter: &NewsroomFilter,
    ) -> StoreResult<Vec<(ArticleStatus, u64)>>;
    /// Up to `limit` articles of any status but deleted with ids above `after`, by id
    /// (a full scan in pages, for rebuilding the newsroom's search index).
    async fn working_after(&self, after: ArticleId, limit: i64) -> StoreResult<Vec<Article>>;
    /// Publishes every scheduled article due at `now`, each exactly once even with
    /// several nodes calling this; returns their ids.
    async fn publish_due(&self, now: jiff::Timestamp) -> StoreResult<Vec<ArticleId>>;
}
