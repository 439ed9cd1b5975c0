//! Serving a rendered page: from the page cache when possible, in the best encoding the
//! client accepts, with an ETag and 304s.

use crate::cache::{CachedPage, Encoding};
use crate::error::WebError;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::future::Future;

pub const HTML: &str = "text/html; charset=utf-8";

/// A freshly rendered page and what it depends on (see `cache::deps`).
pub struct Rendered {
    pub body: String,
    pub content_type: &'static str,
    pub deps: Vec<String>,
}

impl Rendered {
    pub fn html(body: String, deps: Vec<String>) -> Self {
        Self {
            body,
            content_type: HTML,
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
    let page = state
        .cache
        .get_or_render(key, || async {
            let r = render().await?;
            // Compressing is CPU work: keep it off the async worker threads' fast path.
            tokio::task::spawn_blocking(move || CachedPage::new(r.body, r.content_type, r.deps))
                .await
                .map_err(|e| WebError::Content(byline_content::ContentError::Internal(e.into())))
        })
        .await
        .map_err(WebError::Shared)?;
    Ok(respond(headers, &page))
}

pub fn respond(headers: &HeaderMap, page: &CachedPage) -> Response {
    let etag = HeaderValue::from_str(&page.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == page.etag
            })
        });
    let cache_control = HeaderValue::from_static("public, max-age=0, must-revalidate");
    let vary = HeaderValue::from_static("accept-encoding");
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control),
                (header::VARY, vary),
            ],
        )
            .into_response();
    }
    let encoding = Encoding::negotiate(headers);
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(page.content_type),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache_control),
            (header::VARY, vary),
        ],
        page.body(encoding).clone(),
    )
        .into_response();
    if let Some(coding) = encoding.header_value() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}
