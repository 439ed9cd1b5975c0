//! Serving a rendered page: from the page cache when possible, in the best encoding the
//! client accepts, with an ETag and a Last-Modified (the content's time, else the render's) and 304s.

use crate::cache::{CachedPage, Encoding, Keeping, deps};
use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::time::SystemTime;

pub const HTML: &str = "text/html; charset=utf-8";

/// Fastly's and Varnish's tag header (space-separated).
static SURROGATE_KEY: HeaderName = HeaderName::from_static("surrogate-key");
/// Cloudflare's and Akamai's tag header (comma-separated).
static CACHE_TAG: HeaderName = HeaderName::from_static("cache-tag");

/// A freshly rendered page and what it depends on (see `cache::deps`).
pub struct Rendered {
    /// The response body (UTF-8 text: HTML, a feed, a sitemap …).
    pub body: Bytes,
    pub content_type: &'static str,
    /// When the content shown last changed; sent as Last-Modified (whole seconds).
    pub last_modified: Option<jiff::Timestamp>,
    /// What the page shows: a change to any of these drops it from the cache.
    pub deps: Vec<String>,
}

impl Rendered {
    pub fn html(body: impl Into<Bytes>, deps: Vec<String>) -> Self {
        Self {
            body: body.into(),
            content_type: HTML,
            last_modified: None,
            deps,
        }
    }
}

/// Answers with the cached page for `key`, or renders it once with `render` (however many
/// requests wait for it) and caches it.
pub async fn cached<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: String,
    render: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, WebError>>,
{
    cached_kept(state, headers, key, Keeping::ByDependencies, render).await
}

/// Like [`cached`], for a page kept as `keeping` says: search results are kept
/// [`ByStamp`](Keeping::ByStamp) and marked `no-cache` for shared caches, which no
/// purge reaches for them.
pub async fn cached_kept<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: String,
    keeping: Keeping,
    render: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, WebError>>,
{
    let key_for_deps = key.clone();
    let render = || async {
        let mut r = render().await?;
        // Pages that know no content time (HTML pages) are as new as their rendering:
        // every change that could alter them drops them from the cache first.
        r.last_modified
            .get_or_insert_with(|| state.content.clock().now());
        // Every HTML page of an edition shows its breaking-news banner: raising or
        // ending one drops them all by this one key (and the CDN by the same tag).
        // (A stamped page needs no key: the alert moves the stamp's epoch.)
        if keeping == Keeping::ByDependencies
            && r.content_type.starts_with("text/html")
            && let Some(ed) = edition_of(&key_for_deps)
            && state.content.catalog().settings.has_edition(ed)
        {
            r.deps.push(deps::pages(ed));
        }
        let finish = move |mut page: CachedPage| {
            if keeping == Keeping::ByStamp {
                page.cache_control = Some(HeaderValue::from_static("no-cache"));
                page.surrogate_key = None;
                page.cache_tag = None;
            }
            page
        };
        if !state.cache.enabled() {
            return Ok(finish(CachedPage::uncompressed(
                r.body,
                r.content_type,
                r.last_modified,
                r.deps,
            )));
        }
        // Compressing is CPU work: off the async worker threads, one page per core.
        crate::cache::compress::on_a_core(move || {
            finish(CachedPage::new(
                r.body,
                r.content_type,
                r.last_modified,
                r.deps,
            ))
        })
        .await
        .map_err(|e| WebError::Content(byline_content::ContentError::Internal(e.into())))
    };
    let page = state
        .cache
        .get_or_render(key, keeping, render)
        .await
        .map_err(WebError::Shared)?;
    let mut response = respond(state, headers, &page);
    if !state.cache.enabled() {
        // With the cache off (a mode for measuring renders) a page is rendered for one
        // request: compressing it too would double its cost.
        response
            .extensions_mut()
            .insert(crate::compression::Uncompressed);
    }
    Ok(response)
}

/// The edition a site path belongs to (its first segment), if it has one.
fn edition_of(path: &str) -> Option<&str> {
    path.strip_prefix('/')?
        .split(['/', '?'])
        .next()
        .filter(|s| !s.is_empty())
}

pub fn respond(state: &AppState, headers: &HeaderMap, page: &CachedPage) -> Response {
    let last_modified = page.last_modified.map(SystemTime::from);
    let mut response = if not_modified(headers, &page.etag, last_modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let encoding = if page.compressed {
            Encoding::negotiate(headers)
        } else {
            Encoding::Identity
        };
        let mut response = page.body(encoding).clone().into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(page.content_type),
        );
        if let Some(coding) = encoding.header_value() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    // The validators and the CDN's tags, on 304s too; the purge webhook names the same
    // keys on changes. All made once per render (`CachedPage`).
    let h = response.headers_mut();
    h.insert(header::ETAG, page.etag_header.clone());
    h.insert(
        header::CACHE_CONTROL,
        page.cache_control
            .clone()
            .unwrap_or_else(|| state.cdn_cache_control.clone()),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(v) = &page.surrogate_key {
        h.insert(SURROGATE_KEY.clone(), v.clone());
    }
    if let Some(v) = &page.cache_tag {
        h.insert(CACHE_TAG.clone(), v.clone());
    }
    if let Some(v) = &page.last_modified_header {
        h.insert(header::LAST_MODIFIED, v.clone());
    }
    response
}

/// RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison); only
/// without it does If-Modified-Since count.
pub(crate) fn not_modified(
    headers: &HeaderMap,
    etag: &str,
    last_modified: Option<SystemTime>,
) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let Ok(tags) = tags.to_str() else {
            return false;
        };
        return tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, last_modified) {
        // HTTP dates have whole seconds; the content's time may have a fraction.
        (Some(since), Some(modified)) => whole_seconds(modified) <= since,
        _ => false,
    }
}

fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs)
}
