use byline_core::{ArticleId, AuthorId, SectionId, TagId, UserId};

/// Which published articles a list shows. `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub edition: Option<String>,
    pub section: Option<SectionId>,
    pub tag: Option<TagId>,
    pub author: Option<AuthorId>,
    /// Leave this article out (the article page's "more from the section").
    pub exclude: Option<ArticleId>,
    /// Plain substring search over title, subtitle and body (case-insensitive).
    pub text: Option<String>,
}

/// One published edition of a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub id: ArticleId,
    pub edition: String,
    pub slug: String,
    pub section: SectionId,
}

/// An article's views over some days (the newsroom dashboard's most read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCount {
    pub article: ArticleId,
    pub edition: String,
    pub title: String,
    pub views: u64,
}

/// Views to add to one article on one UTC day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewDelta {
    pub article: ArticleId,
    pub day: String,
    pub count: u64,
}

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Article,
    Section,
    Author,
    Tag,
    Settings,
    /// A static page (About, Contacts, …): shown in every page's footer.
    Page,
    /// A breaking-news alert raised, ended or expired: shown over every page of its
    /// edition.
    Alert,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Section => "section",
            Self::Author => "author",
            Self::Tag => "tag",
            Self::Settings => "settings",
            Self::Page => "page",
            Self::Alert => "alert",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "article" => Self::Article,
            "section" => Self::Section,
            "author" => Self::Author,
            "tag" => Self::Tag,
            "settings" => Self::Settings,
            "page" => Self::Page,
            "alert" => Self::Alert,
            _ => return None,
        })
    }
}

/// One committed change: the spine every follower reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: ChangeKind,
    pub entity_id: i64,
    /// What happened: `created`, `updated`, `published`, `unpublished`, `deleted`.
    pub action: String,
    pub at: jiff::Timestamp,
}

/// Published articles of one edition in one calendar month (UTC), for the sitemap index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapMonth {
    pub edition: String,
    pub year: i16,
    /// 1–12.
    pub month: i8,
    pub count: u64,
    /// The newest publish or update time among them (the sub-sitemap's true `lastmod`).
    pub lastmod: jiff::Timestamp,
}

/// Which published articles a sitemap lists: published in `[from, until)`.
#[derive(Debug, Clone)]
pub struct SitemapFilter {
    pub edition: Option<String>,
    pub from: jiff::Timestamp,
    pub until: jiff::Timestamp,
}

/// One published article as a sitemap names it, with every published edition of its
/// story (itself included) for the hreflang alternates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: String,
    pub title: String,
    pub published_at: jiff::Timestamp,
    pub updated_at: Option<jiff::Timestamp>,
    pub translations: Vec<Translation>,
}

/// Which articles the newsroom lists (all statuses, deleted ones only on request).
#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    /// Only articles owned by this user or assigned to them as the writer (contributors
    /// and authors see their own; "My work").
    pub owner: Option<byline_core::UserId>,
    pub status: Option<byline_core::ArticleStatus>,
    /// Include soft-deleted articles (admins); ignored when `status` is given.
    pub include_deleted: bool,
    pub edition: Option<String>,
    pub section: Option<SectionId>,
    pub author: Option<AuthorId>,
    pub tag: Option<TagId>,
    /// Only these articles (the search engine's matches for the words typed).
    pub ids: Option<Vec<ArticleId>>,
    pub sort: NewsroomSort,
    /// The sort's time (edited or published) at or after this.
    pub from: Option<jiff::Timestamp>,
    /// The sort's time before this.
    pub until: Option<jiff::Timestamp>,
    pub offset: u64,
    pub limit: u32,
}

/// The newsroom list's order, newest first; the date range applies to the same time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NewsroomSort {
    /// By the last change (save, status move, schedule).
    #[default]
    Edited,
    /// By publish time (scheduled ones by their time); never-published ones last.
    Published,
}

/// The outcome of a revisioned save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionSave {
    /// Applied; the article's newest revision is now this one.
    Saved { revision: i64 },
    /// Refused: the article moved on since the form was loaded. The refused text is kept
    /// as revision `kept` (not applied); `current` is the article's newest revision.
    Stale { kept: i64, current: i64 },
}

/// A page of published articles for the API: newest first, after a keyset position, so
/// a walk through all pages neither skips nor repeats an article while new ones are
/// published (they land before the first page, never between pages).
#[derive(Debug, Clone, Default)]
pub struct ArticleWindow {
    pub filter: ArticleFilter,
    /// Published at or after this time.
    pub since: Option<jiff::Timestamp>,
    /// Published before this time.
    pub until: Option<jiff::Timestamp>,
    /// Only these articles (empty: no such filter).
    pub ids: Vec<ArticleId>,
    /// Only articles after this `(published_at, id)` position in newest-first order.
    pub after: Option<(jiff::Timestamp, ArticleId)>,
}

/// An app's read-only key for the Content API. Only the key's SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub revoked_at: Option<jiff::Timestamp>,
}

/// A user's token for the Admin API: it acts with that user's role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub revoked_at: Option<jiff::Timestamp>,
}

/// An Admin API `Idempotency-Key`, claimed in the transaction of the create it guards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    pub key: String,
    /// SHA-256 of the request, telling a retry from another request under the same key.
    pub request_hash: String,
    /// The claim's time (the content service's clock): keys older than
    /// [`IDEMPOTENCY_KEY_LIFETIME_SECS`](crate::IDEMPOTENCY_KEY_LIFETIME_SECS) are forgotten.
    pub now: jiff::Timestamp,
}

/// What an `Idempotency-Key` already stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentRecord {
    /// SHA-256 of the request the key was first used with.
    pub request_hash: String,
    /// The article that request made (`None` for a key that names none).
    pub article: Option<ArticleId>,
}

/// What [`ArticleStore::create_owned_article`](crate::ArticleStore::create_owned_article) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedCreate {
    /// The article, its first revision and its one change-feed row.
    Created { id: ArticleId, revision: i64 },
    /// The idempotency key was used before: nothing was written.
    Seen(IdempotentRecord),
}
