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
//! goes to the router unchanged. The lookup is exact: a target with a query the handler
//! would normalise (`?page=1`, `?utm_source=…`) simply takes the router's way.

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
use std::task::{Context, Poll};
use std::time::Instant;
use tower::Service;

/// The whole HTTP application as a service: cached pages answered at the door, every
/// other request handed to the router (see the module's comment).
#[derive(Clone)]
pub struct FrontDoor {
    state: AppState,
    router: Router,
    /// The connection's peer, given to the router's handlers as `ConnectInfo` (rate
    /// limits, trusted proxies); `None` in tests that call the service directly.
    peer: Option<SocketAddr>,
}

impl FrontDoor {
    pub(crate) fn new(state: AppState, router: Router) -> Self {
        Self {
            state,
            router,
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
        &self.router
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
        let state = self.state.clone();
        let mut router = self.router.clone();
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        // Tests that name a peer set it on the request themselves.
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| *peer);
        Box::pin(async move {
            let answered = match cache_key(&request) {
                Some(key) => state.cache.hit(&key).await.map(|page| {
                    let mut response = respond(&state, request.headers(), &page);
                    with_length(&mut response, request.method() == Method::HEAD);
                    response
                }),
                None => view_counted(&state, &request, peer),
            };
            match answered {
                Some(mut response) => {
                    state
                        .security_headers
                        .apply_to(response.headers_mut(), false);
                    state.requests.record(response.status().as_u16(), started);
                    Ok(response)
                }
                None => router.call(request).await,
            }
        })
    }
}

/// The page-cache key a request names, if it may be answered from the cache: a GET or
/// HEAD of a reader path (not the newsroom's or the API's, whose answers depend on who
/// asks), percent-decoded as the router would decode its segments.
fn cache_key<B>(request: &Request<B>) -> Option<Cow<'_, str>> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let uri = request.uri();
    let path = uri.path();
    if path.starts_with("/newsroom") || path.starts_with("/api/") {
        return None;
    }
    let path = decoded(path)?;
    Some(match uri.query() {
        None => path,
        Some(query) if query.contains('%') => return None,
        Some(query) => Cow::Owned(format!("{path}?{query}")),
    })
}

/// `path` with its escapes decoded, if none of them stands for a character that would
/// route differently decoded (`/`, `?`, `#`, `%`) and the result is UTF-8.
fn decoded(path: &str) -> Option<Cow<'_, str>> {
    if !path.contains('%') {
        return Some(Cow::Borrowed(path));
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let separators = |s: &str| s.matches(['/', '?', '#', '%']).count();
    // Decoding only ever removes `%`s; any other separator it adds was an escape.
    (separators(&decoded) + path.matches('%').count() == separators(path))
        .then(|| Cow::Owned(decoded.into_owned()))
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
    let headers = request.headers();
    let bodiless = !headers.contains_key(header::TRANSFER_ENCODING)
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|length| length.as_bytes() == b"0");
    if request.method() != Method::POST || !bodiless {
        return None;
    }
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
    fn reader_paths_are_keys_as_the_router_decodes_them() {
        assert_eq!(key(Method::GET, "/en/").as_deref(), Some("/en/"));
        assert_eq!(
            key(Method::HEAD, "/en/analytics?page=2").as_deref(),
            Some("/en/analytics?page=2")
        );
        assert_eq!(
            key(Method::GET, "/ru/%D0%B8%D1%82%D0%BE%D0%B3%D0%B8").as_deref(),
            Some("/ru/итоги")
        );
    }

    #[test]
    fn others_take_the_routers_way() {
        assert_eq!(key(Method::POST, "/en/"), None);
        assert_eq!(key(Method::GET, "/newsroom"), None);
        assert_eq!(key(Method::GET, "/newsroom/articles"), None);
        assert_eq!(key(Method::GET, "/api/v1/alerts"), None);
        // An escaped slash is one segment to the router, two in the decoded key.
        assert_eq!(key(Method::GET, "/en/analytics%2Fsome-story"), None);
        assert_eq!(key(Method::GET, "/en/analytics%3fpage=2"), None);
        assert_eq!(key(Method::GET, "/en/a%25b"), None);
        assert_eq!(key(Method::GET, "/en/%FF"), None);
        assert_eq!(key(Method::GET, "/en/search?q=%D0%B0"), None);
    }
}
