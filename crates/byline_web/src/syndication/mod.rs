//! Syndication: RSS 2.0 and Atom 1.0 feeds, the sitemaps (index, monthly, pages, Google
//! News) and `robots.txt`. URL scheme in `docs/adr/0005-feeds-and-sitemaps.md`.
//!
//! Everything here is served through the page cache like reader pages (cleared on every
//! change, so a publish is in the feeds at once), with an ETag and, where the content
//! has one, a Last-Modified, and answers 304 to matching conditional requests.

mod feeds;
mod robots;
mod sitemaps;
mod xml;

use crate::error::WebError;
use crate::state::AppState;
use axum::Router;
use axum::routing::get;
use std::path::{Component, Path};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feed.rss", get(feeds::site))
        .route("/feed.atom", get(feeds::site))
        .route("/{ed}/feed.rss", get(feeds::edition))
        .route("/{ed}/feed.atom", get(feeds::edition))
        .route("/{ed}/{section}/feed.rss", get(feeds::section))
        .route("/{ed}/{section}/feed.atom", get(feeds::section))
        .route("/{ed}/tag/{slug}/feed.rss", get(feeds::tag))
        .route("/{ed}/tag/{slug}/feed.atom", get(feeds::tag))
        .route("/{ed}/author/{slug}/feed.rss", get(feeds::author))
        .route("/{ed}/author/{slug}/feed.atom", get(feeds::author))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemap/news.xml", get(sitemaps::news))
        .route("/sitemap/{ed}/{file}", get(sitemaps::edition_file))
        .route("/robots.txt", get(robots::robots_txt))
}

#[derive(Debug, thiserror::Error)]
pub enum SyndicationError {
    /// A feed or sitemap path we do not serve (unknown format, malformed month, a month
    /// or chunk with nothing in it).
    #[error("no feed or sitemap at this path")]
    UnknownPath,
    #[error("writing XML: {0}")]
    Xml(#[from] std::io::Error),
}

pub const XML: &str = "application/xml; charset=utf-8";
pub const RSS: &str = "application/rss+xml; charset=utf-8";
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// The MIME type of an image by its file extension (for enclosures and media:content).
fn image_type(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or("");
    match path
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("avif") => "image/avif",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The size in bytes of a file served under `/media/` (RSS enclosures must say it);
/// 0 — what the RSS Advisory Board advises when unknown — for anything else.
async fn media_length(state: &AppState, url: &str) -> u64 {
    let Some(rel) = url.strip_prefix("/media/") else {
        return 0;
    };
    let rel = Path::new(rel);
    // Only plain names: a stored URL must never make us stat outside the media folder.
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return 0;
    }
    tokio::fs::metadata(state.config.media_dir.join(rel))
        .await
        .map(|m| m.len())
        .unwrap_or(0)
}

/// An absolute URL: stored root-relative URLs get the site's base, others stay.
fn absolute(state: &AppState, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        state.absolute(url)
    } else {
        url.to_owned()
    }
}

impl From<SyndicationError> for WebError {
    fn from(e: SyndicationError) -> Self {
        match e {
            SyndicationError::UnknownPath => WebError::NotFound,
            other => WebError::Syndication(other),
        }
    }
}
