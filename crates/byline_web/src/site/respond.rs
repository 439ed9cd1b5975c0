//! Serving a rendered page: from the page cache when possible, with an ETag and 304s.

use crate::cache::CachedPage;
use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::future::Future;

pub const HTML: &str = "text/html; charset=utf-8";

/// Answers with the cached page for `key`, or renders it with `render` and caches it.
pub async fn cached<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: String,
    render: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<String, WebError>>,
{
    let page = match state.cache.get(&key) {
        Some(page) => page,
        None => {
            let generation = state.cache.generation();
            let body = render().await?;
            let page = CachedPage {
                etag: etag(body.as_bytes()),
                body: Bytes::from(body),
                content_type: HTML,
            };
            state.cache.put(key, page.clone(), generation);
            page
        }
    };
    Ok(respond(headers, &page))
}

fn respond(headers: &HeaderMap, page: &CachedPage) -> Response {
    let etag = HeaderValue::from_str(&page.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == page.etag || t.trim() == "*")
        });
    let cache_control = HeaderValue::from_static("public, max-age=0, must-revalidate");
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(page.content_type),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache_control),
        ],
        page.body.clone(),
    )
        .into_response()
}

fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}
