//! Compression of the answers that are not compressed already. Cached pages and theme
//! files carry their encodings from when they were made; everything else that is text
//! (search and error pages, JSON, the service worker and the manifest) is compressed on
//! the way out for clients that accept brotli or gzip. Pages rendered with the page
//! cache off go as they are (`site::respond`), and so does the newsroom.
//!
//! Not tower-http's `CompressionLayer`: its brotli encoder always takes brotli's default
//! 4 MB window, for which it allocates and zeroes about 10 MB per response; under a
//! soak that churn was most of the memory the server touched. These answers are whole
//! bodies, so they are compressed in one pass with a window fitted to the body
//! ([`compress::brotli_params`]).

use crate::cache::compress::{self, Encoding};
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderValue, Response, StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

/// Marks a response to go out as it is (see `site::respond::cached`).
#[derive(Debug, Clone, Copy)]
pub struct Uncompressed;

/// Bodies longer than this (and bodies of unknown length: streams) go as they are.
const MAX_BODY: usize = 8 << 20;
/// Bodies longer than this are compressed on the blocking pool, not an async worker.
const INLINE_MAX: usize = 256 << 10;
/// Brotli's quality and gzip's level on the way out: cheap (about half a millisecond
/// for a 30 KB page), as these answers are made per request.
const BROTLI_QUALITY: i32 = 4;
const GZIP_LEVEL: u32 = 6;

/// tower-http's default rules (not event streams, pictures, gRPC or bodies under 32
/// bytes), not formats that are compressed already, and not a response marked
/// [`Uncompressed`].
#[derive(Clone, Default)]
pub struct Worthwhile(DefaultPredicate);

/// Formats whose bytes are compressed already (a second pass costs CPU for nothing).
const PACKED: [NotForContentType; 8] = [
    NotForContentType::const_new("font/"),
    NotForContentType::const_new("audio/"),
    NotForContentType::const_new("video/"),
    NotForContentType::const_new("application/octet-stream"),
    NotForContentType::const_new("application/zip"),
    NotForContentType::const_new("application/gzip"),
    NotForContentType::const_new("application/pdf"),
    NotForContentType::const_new("application/wasm"),
];

impl Predicate for Worthwhile {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<Uncompressed>().is_none()
            && self.0.should_compress(response)
            && PACKED.iter().all(|p| p.should_compress(response))
    }
}

/// The middleware. Every answer under `/newsroom` goes out as it is: its pages carry the
/// session's CSRF token beside text a request can choose (a search box echoed back),
/// and the session cookie goes with cross-site navigations: compressed, their sizes
/// would leak the token a character at a time (BREACH). The newsroom is a few staff;
/// its pages are small.
pub async fn compress(request: Request, next: Next) -> axum::response::Response {
    let encoding = Encoding::negotiate(request.headers());
    let newsroom = request.uri().path().starts_with("/newsroom");
    let mut response = next.run(request).await;
    if newsroom {
        response.extensions_mut().insert(Uncompressed);
    }
    let headers = response.headers();
    if headers.contains_key(header::CONTENT_ENCODING)
        || headers.contains_key(header::CONTENT_RANGE)
        || !Worthwhile::default().should_compress(&response)
    {
        return response;
    }
    // The answer depends on Accept-Encoding whether or not this client accepts one
    // (once: handlers that vary by it say so themselves).
    let varies = response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let Some(content_encoding) = encoding.header_value() else {
        return response;
    };
    // Whole bodies only: their length is known (from the body, or the header a file
    // answer sets). Streams pass as they are. A HEAD answer is compressed like its GET
    // (axum drops the body outside this layer, after taking its length from it), so
    // both carry the same Content-Encoding and Content-Length.
    let length = response.body().size_hint().exact().or_else(|| {
        response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse().ok())
    });
    if length.is_none_or(|n| n > MAX_BODY as u64) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // A file that could not be read to its end: nothing sensible to send.
            tracing::error!(error = %e, "could not read a response body to compress it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let encoded = if identity.len() > INLINE_MAX {
        let body = identity.clone();
        compress::on_a_core(move || encode(encoding, &body))
            .await
            .ok()
            .flatten()
    } else {
        encode(encoding, &identity)
    };
    match encoded {
        Some(smaller) if smaller.len() < identity.len() => {
            parts.headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(content_encoding),
            );
            // The length is the new body's (hyper sets it from the body).
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(smaller))
        }
        _ => Response::from_parts(parts, Body::from(identity)),
    }
}

fn encode(encoding: Encoding, body: &[u8]) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Brotli => compress::brotli(body, BROTLI_QUALITY),
        Encoding::Gzip => compress::gzip(body, GZIP_LEVEL),
        Encoding::Identity => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt as _;

    async fn answer(accept: &str) -> axum::response::Response {
        let app = Router::new()
            .route(
                "/",
                get(|| async {
                    (
                        [(header::VARY, "Authorization, Accept-Encoding")],
                        "a body worth compressing ".repeat(100),
                    )
                }),
            )
            .layer(axum::middleware::from_fn(compress));
        let request = Request::get("/")
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap();
        app.oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn vary_names_accept_encoding_once_when_the_handler_did() {
        for accept in ["br", "gzip", ""] {
            let response = answer(accept).await;
            let vary: Vec<_> = response.headers().get_all(header::VARY).iter().collect();
            assert_eq!(vary, ["Authorization, Accept-Encoding"], "{accept:?}");
        }
        assert_eq!(answer("br").await.headers()[header::CONTENT_ENCODING], "br");
    }
}
