//! The content service: the one place that knows the outlet's rules.
//!
//! The web fronts are thin: they parse a request, call a method here and render the
//! answer. Nothing outside this crate and the store writes content.

pub mod accounts;
pub mod api_access;
mod catalog;
mod clock;
mod error;
mod feed;
mod import;
mod indexer;
mod lifecycle;
mod media;
mod newsroom_admin;
mod readers;
mod reindex;
mod scheduler;
mod search;
mod service;
mod syndication;
pub mod throttle;
mod views;
mod write;

pub use accounts::{CreatedUser, Login, UserInput};
pub use byline_search::{SortOrder, Suggestion};
pub use catalog::Catalog;
pub use clock::Clock;
pub use error::ContentError;
pub use feed::ChangeFeed;
pub use import::{TermInput, TermKind, normalize_old_path};
pub use indexer::COMMIT_EVERY;
pub use media::{MAX_ALT, MAX_CAPTION, MAX_CREDIT, MediaMeta};
pub use newsroom_admin::{APP_KEYS, SOCIAL_KEYS, SettingsInput};
pub use readers::{Reader, ViewLimits};
pub use reindex::{ReindexReport, reindex};
pub use search::Readiness;
pub use search::{SearchHit, SearchPage, SearchQuery};
pub use service::{Content, ContentOptions, FrontPage, Listing};
pub use throttle::LoginClient;
pub use views::{Counted, ViewCounter};
pub use write::{ArticleInput, MAX_SUBTITLE};

pub use byline_store::{
    ApiKey, ApiToken, ArticleFilter, ArticleWindow, Change, ChangeKind, IdempotentRecord,
    ImportKind, Imported, NewsroomFilter, ReadCount, Redirect, RedirectOrigin, SitemapEntry,
    SitemapFilter, SitemapMonth, Store, Translation,
};
pub use lifecycle::{
    ArticleForm, DiffLine, NewsroomList, SaveOutcome, Transition, diff_lines, slugify,
};
