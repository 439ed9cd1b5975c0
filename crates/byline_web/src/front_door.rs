//! The front door: a reader page that is in the page cache is answered here, before the
//! router and its layers, as a static file server would answer it.
//!
//! A cached page is the same for everyone and was made for exactly one address (its
//! cache key is the site path its handler was asked for, see `site::urls`). So a GET or
//! HEAD whose target *is* a cached key has one possible answer — the one the handler
//! would give from the cache — and nothing the layers behind this door do applies to
//! it: no body to limit or time, no handler to time out or to catch panicking, no error
//! page, nothing left to compress (the page holds its brotli and gzip bodies). What
//! they add to every answer is added here too: the security headers and the request's
//! place in `/metrics`. Overload shedding is skipped on purpose: a hit costs less than
//! the 503 would.
//!
//! The view beacon is counted here as well (see [`view_counted`]).
//!
//! Everything else — a miss, another method, a target that is not a key as written —
//! goes to the router unchanged. The lookup is exact and on the target as sent: a query
//! the handler would normalise (`?page=1`, `?utm_source=…`) or any percent-escape takes
//! the router's way (the router matches routes on the escaped path, so `/robots%2Etxt`
//! is not `/robots.txt` to it; no page's address needs an escape, slugs are
//! `[a-z0-9-]`). A request with a body is the router's too (its limit answers 413).

use crate::site::respond::respond;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Method, Request, header};
use axum::response::Response;
use futures::future::BoxFuture;
use std::borrow::Cow;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::Service;

/// The whole HTTP application as a service: cached pages answered at the door, every
/// other request handed to the router (see the module's comment).
#[derive(Clone)]
pub struct FrontDoor {
    /// Behind one pointer: the service is cloned for every request (hyper's adapter does,
    /// and the response future owns a copy), and one reference count is all that costs.
    inner: Arc<Inner>,
    /// The connection's peer, given to the router's handlers as `ConnectInfo` (rate
    /// limits, trusted proxies); `None` in tests that call the service directly.
    peer: Option<SocketAddr>,
}

struct Inner {
    state: AppState,
    router: Router,
}

impl FrontDoor {
    pub(crate) fn new(state: AppState, router: Router) -> Self {
        Self {
            inner: Arc::new(Inner { state, router }),
            peer: None,
        }
    }

    /// The service for one accepted connection from `peer`.
    pub(crate) fn for_peer(&self, peer: SocketAddr) -> Self {
        Self {
            peer: Some(peer),
            ..self.clone()
        }
    }

    /// The router behind the door, for tests of the router's own layers.
    pub fn router(&self) -> &Router {
        &self.inner.router
    }
}

impl<B> Service<Request<B>> for FrontDoor
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The router is always ready, and so is the cache.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let started = Instant::now();
        let inner = self.inner.clone();
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        // Tests that name a peer set it on the request themselves.
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| *peer);
        Box::pin(async move {
            let state = &inner.state;
            let answered = match cache_key(&request) {
                Some(key) => state.cache.hit(&key).await.map(|page| {
                    let mut response = respond(state, request.headers(), &page);
                    with_length(&mut response, request.method() == Method::HEAD);
                    response
                }),
                None => view_counted(state, &request, peer),
            };
            match answered {
                Some(mut response) => {
                    state
                        .security_headers
                        .apply_to(response.headers_mut(), false);
                    state.requests.record(response.status().as_u16(), started);
                    Ok(response)
                }
                None => inner.router.clone().call(request).await,
            }
        })
    }
}

/// The page-cache key a request names, if it may be answered from the cache: a bodiless
/// GET or HEAD of a reader path (not the newsroom's, the API's or a file's), written
/// without escapes.
fn cache_key<B>(request: &Request<B>) -> Option<Cow<'_, str>> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) || !bodiless(request) {
        return None;
    }
    let uri = request.uri();
    let path = uri.path();
    const NOT_PAGES: [&str; 5] = ["/newsroom", "/api/", "/static/", "/media/", "/ghost/"];
    if path.contains('%') || NOT_PAGES.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    Some(match uri.query() {
        None => Cow::Borrowed(path),
        Some(query) if query.contains('%') => return None,
        Some(query) => Cow::Owned(format!("{path}?{query}")),
    })
}

/// Whether the request says it has no body (no length or length 0, not chunked).
fn bodiless<B>(request: &Request<B>) -> bool {
    let headers = request.headers();
    !headers.contains_key(header::TRANSFER_ENCODING)
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|length| length.as_bytes() == b"0")
}

/// The view beacon (`POST /api/v1/views/{id}`) is counted here too: it is the other
/// request every article view makes, and counting is an in-memory step. An id the
/// counter does not know takes the router's way, to its 404.
fn view_counted<B>(
    state: &AppState,
    request: &Request<B>,
    peer: Option<SocketAddr>,
) -> Option<Response> {
    // Only a bodiless beacon, as the page's script sends it: a body is the router's to
    // limit (413) and to read.
    if request.method() != Method::POST || !bodiless(request) {
        return None;
    }
    let headers = request.headers();
    let id = crate::site::beacon::beacon_id(request.uri().path())?;
    let reader = byline_content::Reader {
        address: peer
            .map(|p| crate::client::client_ip(p.ip(), headers, &state.config.trusted_proxies)),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    };
    let views = state
        .content
        .record_view(byline_core::ArticleId(id), reader)
        .ok()?;
    let mut response = crate::site::beacon::views_answer(views);
    with_length(&mut response, false);
    Some(response)
}

/// Names the body's length, as the router's answers do; a HEAD answer keeps the length
/// and drops the body.
fn with_length(response: &mut Response, head: bool) {
    use axum::body::HttpBody as _;
    if let Some(length) = response.body().size_hint().exact() {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    if head {
        *response.body_mut() = Body::empty();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(method: Method, target: &str) -> Option<String> {
        let request = Request::builder()
            .method(method)
            .uri(target)
            .body(())
            .unwrap();
        cache_key(&request).map(Cow::into_owned)
    }

    #[test]
    fn reader_paths_are_keys_as_written() {
        assert_eq!(key(Method::GET, "/en/").as_deref(), Some("/en/"));
        assert_eq!(
            key(Method::HEAD, "/en/analytics?page=2").as_deref(),
            Some("/en/analytics?page=2")
        );
    }

    #[test]
    fn others_take_the_routers_way() {
        assert_eq!(key(Method::POST, "/en/"), None);
        assert_eq!(key(Method::GET, "/newsroom"), None);
        assert_eq!(key(Method::GET, "/newsroom/articles"), None);
        assert_eq!(key(Method::GET, "/api/v1/alerts"), None);
        // An escaped slash is one segment to the router.
        assert_eq!(key(Method::GET, "/en/analytics%2Fsome-story"), None);
        assert_eq!(key(Method::GET, "/en/analytics%3fpage=2"), None);
        assert_eq!(key(Method::GET, "/en/a%25b"), None);
        assert_eq!(key(Method::GET, "/en/%FF"), None);
        assert_eq!(key(Method::GET, "/en/search?q=%D0%B0"), None);
        // The router matches the escaped path: `%2E` is not a dot to it.
        assert_eq!(key(Method::GET, "/robots%2Etxt"), None);
        assert_eq!(key(Method::GET, "/%6Eewsroom/articles"), None);
        assert_eq!(key(Method::GET, "/static/byline.css?v=1"), None);
        assert_eq!(key(Method::GET, "/media/a.jpg"), None);
    }
}
