//! The store: one trait, one implementation per database.
//!
//! Every method is sized to a use case and runs in one transaction; every content
//! write also appends to the change feed (`changes` table) in that same transaction,
//! so followers (page cache, search, purge hooks) can never miss a committed change.
//! SQLite-specific SQL lives only in [`sqlite`].

pub mod conformance;
mod dialect;
mod error;
pub mod postgres;
pub mod sqlite;
pub mod testdb;
pub mod transfer;
mod types;

pub use error::StoreError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use types::{
    ApiKey, ApiToken, ArticleFilter, ArticleWindow, Change, ChangeKind, IdempotentRecord,
    NewsroomFilter, ReadCount, RevisionSave, SitemapEntry, SitemapFilter, SitemapMonth,
    Translation, ViewDelta,
};

use async_trait::async_trait;
use byline_core::{
    Article, ArticleId, ArticleMeta, ArticleStatus, ArticleSummary, AuditEntry, Author, AuthorId,
    Credentials, Localized, MediaId, MediaItem, NewArticle, NewAuditEntry, NewMedia, NewUser,
    NewsroomArticle, PageRequest, Revision, Role, Section, SectionId, Session, SiteSettings, Slug,
    Tag, TagId, User, UserId,
};

pub type StoreResult<T> = Result<T, StoreError>;

/// How long an Admin API idempotency key is remembered (a day, as the common payment
/// APIs do): long enough for any client's retries, short enough that the table stays small.
pub const IDEMPOTENCY_KEY_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// Everything Byline keeps. Implemented by [`SqliteStore`] (and PostgreSQL later);
/// the web fronts never see SQL, only this trait through the content service.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// True when the store holds no articles and no sections (a fresh outlet).
    async fn is_empty(&self) -> StoreResult<bool>;

    async fn settings(&self) -> StoreResult<SiteSettings>;
    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()>;

    /// Creates or updates the section with this slug.
    async fn upsert_section(
        &self,
        slug: &Slug,
        name: &Localized,
        description: &Localized,
        position: i64,
    ) -> StoreResult<SectionId>;
    async fn sections(&self) -> StoreResult<Vec<Section>>;

    async fn upsert_author(
        &self,
        slug: &Slug,
        name: &Localized,
        bio: &Localized,
    ) -> StoreResult<AuthorId>;
    async fn authors(&self) -> StoreResult<Vec<Author>>;

    async fn upsert_tag(&self, slug: &Slug, name: &Localized) -> StoreResult<TagId>;
    async fn tags(&self) -> StoreResult<Vec<Tag>>;

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

    /// Ids and view counts of published articles, newest (highest id) first, below
    /// `before` when given: the view counter loads them a page at a time.
    async fn published_view_counts(
        &self,
        before: Option<ArticleId>,
        limit: u32,
    ) -> StoreResult<Vec<(ArticleId, u64)>>;
    /// Adds counted views in one transaction (totals and the per-day counters).
    async fn add_views(&self, deltas: &[ViewDelta]) -> StoreResult<()>;
    /// The most viewed articles (any status) on UTC days from `since_day` (`YYYY-MM-DD`)
    /// on, most views first.
    async fn most_viewed_since(&self, since_day: &str, limit: i64) -> StoreResult<Vec<ReadCount>>;
    /// Views of all articles per UTC day from `since_day` on, oldest day first (days
    /// without views are left out).
    async fn views_per_day(&self, since_day: &str) -> StoreResult<Vec<(String, u64)>>;

    /// Calls `wake` with the sequence number of every change another process commits,
    /// where the database can say so (PostgreSQL: LISTEN/NOTIFY). `false` when it cannot:
    /// followers then find such changes by polling the table, as they also do after a
    /// missed notification.
    async fn notify_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool> {
        let _ = wake;
        Ok(false)
    }
    /// Change-feed entries after `after`, oldest first.
    async fn changes_since(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>>;
    /// The newest change sequence number (0 when there is none).
    async fn last_change(&self) -> StoreResult<i64>;

    // ---- Media library (issue 3; table `media`, migration 0004) ----
    // Not in the change feed: a picture shows on a page only through an article, whose
    // save is in the feed (its body HTML is rendered with the picture at that time).

    /// Records a picture whose files are already in media storage.
    async fn create_media(&self, media: &NewMedia) -> StoreResult<MediaId>;
    /// One picture; `NotFound` for an unknown id.
    async fn media(&self, id: MediaId) -> StoreResult<MediaItem>;
    /// The library, newest first, and how many pictures there are in all.
    async fn media_list(&self, page: PageRequest) -> StoreResult<(Vec<MediaItem>, u64)>;
    /// Replaces a picture's alt text, caption and credit; `NotFound` for an unknown id.
    async fn update_media_text(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
    ) -> StoreResult<()>;

    // ---- The newsroom (issue 3): accounts, sessions, audit log, article lifecycle ----
    // Kept together at the end of the trait so other work on the trait merges cleanly.

    /// Creates an account; `Conflict("user email")` when the e-mail is taken (ignoring case).
    async fn create_user(&self, user: &NewUser) -> StoreResult<UserId>;
    async fn user(&self, id: UserId) -> StoreResult<User>;
    /// The account with this e-mail (ignoring case and surrounding space) and its hash.
    async fn credentials(&self, email: &str) -> StoreResult<Credentials>;
    /// Every account, by id.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Records a failed login under each of `keys` at `at` (UTC seconds), dropping every
    /// failure recorded before `forget_before` on the way. Shared by every node.
    async fn record_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> StoreResult<()>;
    /// For each of `keys` with failures at or after `since`: the key, how many, and the
    /// time of the oldest of them.
    async fn login_failures_since(
        &self,
        keys: &[String],
        since: i64,
    ) -> StoreResult<Vec<(String, u64, i64)>>;
    /// Forgets the failures of `key` (a successful login forgets its account's).
    async fn forget_login_failures(&self, key: &str) -> StoreResult<()>;
    /// How many enabled admins there are.
    async fn active_admins(&self) -> StoreResult<u64>;
    async fn set_user_role(&self, id: UserId, role: Role) -> StoreResult<()>;
    /// Disabling also ends every session of the account, in the same transaction.
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()>;
    /// Replaces the password hash and ends the account's sessions except `keep` (the
    /// token hash of the session that made the change, if any).
    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()>;
    async fn create_session(&self, session: &Session) -> StoreResult<()>;
    /// The session with this token hash and its account; `NotFound` when unknown,
    /// expired at `now`, or the account is disabled.
    async fn session(&self, token_hash: &str, now: jiff::Timestamp)
    -> StoreResult<(Session, User)>;
    async fn touch_session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()>;
    /// Audit lines newest first, with ids below `before` when given.
    async fn audit_log(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditEntry>>;

    /// Owner, newest revision and soft-delete state of an article.
    async fn article_meta(&self, id: ArticleId) -> StoreResult<ArticleMeta>;
    /// Creates an article owned by `owner` and its first revision, in one transaction.
    /// Returns the id and the revision. `Conflict` when the slug is taken.
    async fn create_owned_article(
        &self,
        article: &NewArticle,
        owner: UserId,
    ) -> StoreResult<(ArticleId, i64)>;
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
    /// The newsroom's article list, newest first.
    async fn newsroom_articles(&self, filter: &NewsroomFilter)
    -> StoreResult<Vec<NewsroomArticle>>;
    /// Publishes every scheduled article due at `now`, each exactly once even with
    /// several nodes calling this; returns their ids.
    async fn publish_due(&self, now: jiff::Timestamp) -> StoreResult<Vec<ArticleId>>;

    // ---- The API (issue 7; migration 0007): keys, user tokens, idempotency keys ----

    /// Published articles in `window`, newest first (`published_at`, then id), whole.
    async fn article_window(&self, window: &ArticleWindow, limit: u32)
    -> StoreResult<Vec<Article>>;

    /// Records a Content API key by the SHA-256 of its text; returns its id.
    async fn create_api_key(&self, name: &str, key_hash: &str) -> StoreResult<i64>;
    /// The key with this hash, unless revoked (`NotFound`).
    async fn api_key(&self, key_hash: &str) -> StoreResult<ApiKey>;
    /// Every key, revoked ones included, by id.
    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// Revokes a key; `NotFound` when unknown or already revoked.
    async fn revoke_api_key(&self, id: i64) -> StoreResult<()>;

    /// Records an Admin API token of `user` by the SHA-256 of its text; returns its id.
    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64>;
    /// The token with this hash and its account, unless revoked or the account is
    /// disabled (`NotFound`).
    async fn api_token(&self, token_hash: &str) -> StoreResult<(ApiToken, User)>;
    /// Tokens of `user` (all users' when `None`), revoked ones included, by id.
    async fn api_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<ApiToken>>;
    /// Revokes a token; `NotFound` when unknown or already revoked.
    async fn revoke_api_token(&self, id: i64) -> StoreResult<()>;

    /// Claims `key` for `user`'s request with hash `request_hash`: `None` when the key
    /// is new (the caller does the work, then `finish_idempotency_key`), otherwise what
    /// the key already stands for. Safe against concurrent claims (one wins). Keys older
    /// than [`IDEMPOTENCY_KEY_LIFETIME_SECS`] are forgotten.
    async fn claim_idempotency_key(
        &self,
        user: UserId,
        key: &str,
        request_hash: &str,
    ) -> StoreResult<Option<IdempotentRecord>>;
    /// Stores the answer of a claimed key.
    async fn finish_idempotency_key(
        &self,
        user: UserId,
        key: &str,
        status: u16,
        body: &str,
    ) -> StoreResult<()>;
    /// Forgets a claimed key whose request failed before doing anything (a retry may
    /// then try again).
    async fn release_idempotency_key(&self, user: UserId, key: &str) -> StoreResult<()>;
}
