//! The store: what Byline keeps, behind one trait per area, implemented once for SQLite
//! and PostgreSQL.
//!
//! Every method is sized to a use case and runs in one transaction; every content
//! write also appends to the change feed (`changes` table) in that same transaction,
//! so followers (page cache, search, purge hooks) can never miss a committed change.
//!
//! The area traits are defined here, one file each; [`Store`] is their sum. Their one
//! implementation is the SQL in `src/sql/`, written once and compiled for each backend
//! ([`sqlite`], [`postgres`]), which add only what is their own: connections,
//! migrations, backup, notifications and the dialect's few differing fragments
//! (ADR 11).

mod accounts;
mod api;
mod articles;
pub mod conformance;
mod desk;
mod dialect;
mod error;
mod feed;
mod imports;
mod live;
mod media;
mod news_desk;
mod notes;
mod pages;
pub mod postgres;
mod push;
pub mod sqlite;
mod syndication;
mod taxonomy;
pub mod testdb;
pub mod transfer;
mod types;

pub use accounts::AccountStore;
pub use api::{ApiStore, IDEMPOTENCY_KEY_LIFETIME_SECS};
pub use articles::ArticleStore;
pub use desk::DeskStore;
pub use error::StoreError;
pub use feed::ChangeFeedStore;
pub use imports::{ImportKind, ImportStore, Imported, ImportedTerm, Redirect, RedirectOrigin};
pub use live::{LiveStore, NOT_LIVE};
pub use media::MediaStore;
pub use media::PICTURE_GONE;
pub use news_desk::{
    ALERT_ENDED, AlertDelivery, NOT_PUBLISHED, NOT_TAKEN_DOWN, NewsDeskStore, TAKEN_DOWN,
};
pub use notes::NoteStore;
pub use pages::PageStore;
pub use postgres::PostgresStore;
pub use push::{OTHER_SECRET, PushStore};
pub use sqlite::{Durability, SqliteStore};
pub use syndication::SyndicationStore;
pub use taxonomy::TaxonomyStore;
pub use types::{
    ApiKey, ApiToken, ArticleFilter, ArticleWindow, Change, ChangeKind, IdempotencyClaim,
    IdempotentRecord, NewsroomFilter, NewsroomSort, OwnedCreate, ReadCount, RevisionSave,
    SitemapEntry, SitemapFilter, SitemapMonth, Translation, ViewDelta,
};

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Byline keeps: the sum of the area traits, implemented by
/// [`SqliteStore`] and [`PostgresStore`]. Only the content service (and the command
/// line that starts it) holds one: the web fronts reach the store through `Content`'s
/// methods alone. Through `dyn Store` (or a `S: Store` bound) every area's
/// methods are callable without importing the area traits.
pub trait Store:
    TaxonomyStore
    + ArticleStore
    + SyndicationStore
    + ChangeFeedStore
    + MediaStore
    + AccountStore
    + ApiStore
    + ImportStore
    + PageStore
    + NoteStore
    + DeskStore
    + NewsDeskStore
    + LiveStore
    + PushStore
    + 'static
{
}

impl Store for SqliteStore {}
impl Store for PostgresStore {}
