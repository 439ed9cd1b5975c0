//! Serving a rendered page: from the page cache when possible, with an ETag (and a
//! Last-Modified where the page knows one) and 304s.

use crate::cache::CachedPage;
use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::time::SystemTime;

pub const HTML: &str = "text/html; charset=utf-8";

/// What a render produces. A plain `String` is an HTML page without Last-Modified, so
/// page handlers return their HTML as before.
pub struct Rendered {
    pub body: String,
    pub content_type: &'static str,
    /// When the content shown last changed; sent as Last-Modified (whole seconds).
    pub last_modified: Option<jiff::Timestamp>,
}

impl From<String> for Rendered {
    fn from(body: String) -> Self {
        Self {
            body,
            content_type: HTML,
            last_modified: None,
        }
    }
}

/// Answers with the cached page for `key`, or renders it with `render` and caches it.
pub async fn cached<F, Fut, R>(
    state: &AppState,
    headers: &HeaderMap,
    key: String,
    render: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<R, WebError>>,
    R: Into<Rendered>,
{
    let page = match state.cache.get(&key) {
        Some(page) => page,
        None => {
            let generation = state.cache.generation();
            let rendered: Rendered = render().await?.into();
            let page = CachedPage {
                etag: etag(rendered.body.as_bytes()),
                body: Bytes::from(rendered.body),
                content_type: rendered.content_type,
                last_modified: rendered.last_modified,
            };
            state.cache.put(key, page.clone(), generation);
            page
        }
    };
    Ok(respond(headers, &page))
}

fn respond(headers: &HeaderMap, page: &CachedPage) -> Response {
    let etag = HeaderValue::from_str(&page.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let last_modified = page.last_modified.map(SystemTime::from);
    let cache_control = HeaderValue::from_static("public, max-age=0, must-revalidate");
    let mut validators = vec![(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)];
    if let Some(v) =
        last_modified.and_then(|t| HeaderValue::from_str(&httpdate::fmt_http_date(t)).ok())
    {
        validators.push((header::LAST_MODIFIED, v));
    }
    if not_modified(headers, &page.etag, last_modified) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().extend(validators);
        return response;
    }
    let mut response = page.body.clone().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(page.content_type),
    );
    response.headers_mut().extend(validators);
    response
}

/// RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison); only
/// without it does If-Modified-Since count.
fn not_modified(headers: &HeaderMap, etag: &str, last_modified: Option<SystemTime>) -> bool {
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

fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}
