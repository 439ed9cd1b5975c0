//! The content service: the one place that knows the outlet's rules.
//!
//! The web fronts are thin: they parse a request, call a method here and render the
//! answer. Nothing outside this crate and the store writes content.

mod catalog;
mod error;
mod feed;
mod indexer;
mod media;
mod reindex;
mod search;
mod service;
mod syndication;
mod views;
mod write;

pub use byline_search::{SortOrder, Suggestion};
pub use catalog::Catalog;
pub use error::ContentError;
pub use feed::ChangeFeed;
pub use indexer::COMMIT_EVERY;
pub use media::{MAX_ALT, MAX_CAPTION, MAX_CREDIT, MediaMeta};
pub use reindex::{ReindexReport, reindex};
pub use search::{SearchHit, SearchPage, SearchQuery};
pub use service::{Content, ContentOptions, FrontPage, Listing};
pub use views::ViewCounter;
pub use write::ArticleInput;

pub use byline_store::{
    ArticleFilter, Change, ChangeKind, SitemapEntry, SitemapFilter, SitemapMonth, Store,
    Translation,
};
