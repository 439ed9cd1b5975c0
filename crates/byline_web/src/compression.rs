//! Compression of the answers that are not compressed already. Cached pages and theme
//! files carry their encodings from when they were made; everything else that is text
//! (search and error pages, the newsroom, JSON, feeds with the cache off) is compressed
//! on the way out for clients that accept brotli or gzip.

use axum::extract::Request;
use axum::http::Response;
use axum::middleware::Next;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Marks a response to go out as it is (see `site::respond::cached`).
#[derive(Debug, Clone, Copy)]
pub struct Uncompressed;

/// tower-http's default rules (not event streams, pictures, gRPC or bodies under 32
/// bytes; never twice), not formats that are compressed already, and not a response
/// marked [`Uncompressed`].
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

/// Marks every answer under `/newsroom` [`Uncompressed`]. Its pages carry the session's
/// CSRF token beside text a request can choose (a search box echoed back), and the
/// session cookie goes with cross-site navigations: compressed, their sizes would leak
/// the token a character at a time (BREACH). The newsroom is a few staff; its pages
/// are small.
pub async fn keep_newsroom_uncompressed(request: Request, next: Next) -> axum::response::Response {
    let newsroom = request.uri().path().starts_with("/newsroom");
    let mut response = next.run(request).await;
    if newsroom {
        response.extensions_mut().insert(Uncompressed);
    }
    response
}

/// The layer: brotli or gzip at their default levels (a few hundred microseconds for a
/// page; these answers are rendered per request anyway).
pub fn layer() -> CompressionLayer<Worthwhile> {
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(Worthwhile::default())
}
