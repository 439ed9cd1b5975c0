//! The content service: the one place that knows the outlet's rules.
//!
//! The web fronts are thin: they parse a request, call a method here and render the
//! answer. Nothing outside this crate and the store writes content, and the fronts never
//! see the store: [`Content::store`] exists only with the `test-support` feature, which
//! only the other crates' dev-dependencies turn on.

pub mod accounts;
mod alerts;
pub mod api_access;
mod catalog;
mod clock;
mod core_slots;
mod create;
mod dashboard;
mod desk;
mod error;
mod feed;
mod import;
pub mod importer;
mod indexer;
mod lifecycle;
mod live;
mod media;
mod media_processing;
mod news_desk;
mod newsroom_admin;
mod newsroom_list;
mod notes;
mod pages;
mod push;
mod readers;
mod readiness;
mod reindex;
mod scheduler;
mod search;
mod section_heads;
mod service;
mod syndication;
pub mod throttle;
mod views;
mod write;

pub use accounts::{CreatedUser, Login, UserInput};
pub use alerts::{AlertInput, WEBHOOK};
pub use byline_search::{SortOrder, Suggestion};
pub use byline_store::NewsroomSort;
pub use catalog::{Catalog, PageLink};
pub use clock::Clock;
pub use core_slots::CoreSlots;
pub use create::{Created, IdempotencyKey, StartAs};
pub use dashboard::DashboardFigures;
pub use desk::Notices;
pub use error::ContentError;
pub use feed::{ChangeFeed, Follower, FollowerState};
pub use import::{TermInput, TermKind, normalize_old_path};
pub use indexer::{COMMIT_EVERY, Scope as SearchScope};
pub use live::{EntryInput, MAX_ENTRIES_PER_REQUEST};
pub use media::{MAX_ALT, MAX_CAPTION, MAX_CREDIT, MediaMeta};
pub use news_desk::{MAX_CORRECTION, MAX_TAKEDOWN_REASON};
pub use newsroom_admin::{APP_KEYS, SOCIAL_KEYS, SettingsInput};
pub use newsroom_list::{LIST_PAGE, NewsroomList, NewsroomQuery, WORD_MATCHES};
pub use notes::MAX_NOTE;
pub use pages::{MAX_FOOTER_POSITION, PageInput};
pub use push::{DEFAULT_PUSH_SERVICES, PushOptions, PushOutcome, PushPayload, SubscriptionInput};
pub use readers::{Reader, ViewLimits};
pub use readiness::Readiness;
pub use reindex::{ReindexReport, reindex};
pub use search::{SearchHit, SearchPage, SearchQuery};
pub use service::{Content, ContentOptions, FrontPage, Listing};
pub use throttle::LoginClient;
pub use views::{Counted, ViewCounter};
pub use write::{ArticleInput, MAX_SUBTITLE};

/// The store itself only for tests (the `test-support` feature): the fronts reach it
/// through `Content`'s methods alone.
#[cfg(feature = "test-support")]
pub use byline_store::Store;
pub use byline_store::{
    AlertDelivery, ApiKey, ApiToken, ArticleFilter, ArticleWindow, Change, ChangeKind, ImportKind,
    Imported, NewsroomFilter, ReadCount, Redirect, RedirectOrigin, SitemapEntry, SitemapFilter,
    SitemapMonth, Translation,
};
pub use lifecycle::{ArticleForm, DiffLine, SaveOutcome, Transition, diff_lines, slugify};
