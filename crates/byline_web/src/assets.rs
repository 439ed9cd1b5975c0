//! Static files of the theme (fingerprinted, cached for a year) and media; the icons
//! browsers ask for at the root (`/favicon.ico`, `/apple-touch-icon.png`), the web app
//! manifest and the service worker.
//!
//! Text files (CSS, JS, SVG) are compressed once per process at the best settings
//! (brotli 11, gzip 9) the first time they are asked for, and kept by their content
//! hash: every request after that is a copy of a reference-counted buffer, chosen by
//! `Accept-Encoding`, with an ETag and `304` for revalidations.

use crate::cache::Encoding;
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use byline_render::Asset;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Fingerprinted URLs (`?v=<hash>`): the file never changes under one.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Root files whose URL browsers fix (icons): a day, then revalidated by ETag.
const A_DAY: &str = "public, max-age=86400";

pub fn router(state: &AppState) -> Router<AppState> {
    let media = tower::ServiceBuilder::new()
        // Files under /media never change under their name: the library's are keyed by
        // a hash of the upload, the demo's are written once when the outlet is made.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(IMMUTABLE),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(ServeDir::new(&state.config.media_dir));
    Router::new()
        .route("/static/{name}", get(static_file))
        .route("/sw.js", get(service_worker))
        .route("/favicon.ico", get(root_icon))
        .route("/apple-touch-icon.png", get(root_icon))
        .route("/manifest.webmanifest", get(manifest))
        .nest_service("/media", media)
}

/// A theme file in every encoding worth sending.
struct Encoded {
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    etag: HeaderValue,
}

fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("image/svg")
        || content_type.contains("json")
}

impl Encoded {
    fn of(asset: &Asset) -> Encoded {
        let identity = Bytes::from(asset.bytes.clone());
        let (mut gzip, mut brotli) = (None, None);
        if is_text(asset.content_type) {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            if let Ok(bytes) = gz.write_all(&asset.bytes).and_then(|()| gz.finish()) {
                gzip = (bytes.len() < identity.len()).then(|| Bytes::from(bytes));
            }
            let mut br = Vec::new();
            let params = crate::cache::compress::brotli_params(11, asset.bytes.len());
            if brotli::BrotliCompress(&mut &asset.bytes[..], &mut br, &params).is_ok() {
                brotli = (br.len() < identity.len()).then(|| Bytes::from(br));
            }
        }
        Encoded {
            identity,
            gzip,
            brotli,
            etag: HeaderValue::from_str(&format!("\"{}\"", asset.hash))
                .unwrap_or(HeaderValue::from_static("\"\"")),
        }
    }

    /// Made once per content (by hash) for the process's life: themes are immutable and
    /// every test site of a process shares the same files. Requests that arrive while it
    /// is being made wait for that one compression, which runs on the blocking pool
    /// (brotli 11 takes tens of milliseconds: never on the async workers).
    async fn cached(asset: &Asset) -> Arc<Encoded> {
        type Cell = Arc<tokio::sync::OnceCell<Arc<Encoded>>>;
        static BY_HASH: OnceLock<Mutex<HashMap<String, Cell>>> = OnceLock::new();
        let cell: Cell = BY_HASH
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(asset.hash.clone())
            .or_default()
            .clone();
        cell.get_or_init(|| async {
            let (bytes, content_type, hash) =
                (asset.bytes.clone(), asset.content_type, asset.hash.clone());
            let made = crate::cache::compress::on_a_core(move || {
                Encoded::of(&Asset {
                    bytes,
                    content_type,
                    hash,
                })
            })
            .await;
            Arc::new(made.unwrap_or_else(|_| Encoded::identity(asset)))
        })
        .await
        .clone()
    }

    /// The file as it is (when compressing failed).
    fn identity(asset: &Asset) -> Encoded {
        Encoded {
            identity: Bytes::from(asset.bytes.clone()),
            gzip: None,
            brotli: None,
            etag: HeaderValue::from_str(&format!("\"{}\"", asset.hash))
                .unwrap_or(HeaderValue::from_static("\"\"")),
        }
    }
}

/// Answers `asset` for a request with `headers`: `304` when the client has it, else the
/// best encoding it accepts.
async fn serve(asset: &Asset, headers: &HeaderMap, cache_control: &'static str) -> Response {
    let encoded = Encoded::cached(asset).await;
    let etag = encoded.etag.to_str().unwrap_or_default();
    let mut response = if crate::site::respond::not_modified(headers, etag, None) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, coding) = match Encoding::negotiate(headers) {
            Encoding::Brotli if encoded.brotli.is_some() => (encoded.brotli.clone(), "br"),
            Encoding::Brotli | Encoding::Gzip if encoded.gzip.is_some() => {
                (encoded.gzip.clone(), "gzip")
            }
            _ => (None, ""),
        };
        let mut response = body
            .unwrap_or_else(|| encoded.identity.clone())
            .into_response();
        if !coding.is_empty() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        response
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    h.insert(header::ETAG, encoded.etag.clone());
    if encoded.gzip.is_some() || encoded.brotli.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

async fn static_file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    match state.theme.asset(&name) {
        Some(asset) => serve(asset, &headers, IMMUTABLE).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/favicon.ico` and `/apple-touch-icon.png`: browsers ask for them by these names.
async fn root_icon(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let name = uri.path().trim_start_matches('/');
    match state.theme.asset(name) {
        Some(asset) => serve(asset, &headers, A_DAY).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The service worker that shows push notifications. Its URL cannot carry a hash (a
/// registration names one script for good), so browsers revalidate it on every check
/// (`no-cache`, ETag) and pick up a new version by its changed bytes.
async fn service_worker(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.theme.asset("sw.js") {
        Some(asset) => serve(asset, &headers, "no-cache").await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The web app manifest: the outlet's name, colours and icons, so "Add to Home Screen"
/// and installed shortcuts look like the outlet.
async fn manifest(State(state): State<AppState>) -> Response {
    let catalog = state.content.catalog();
    let settings = &catalog.settings;
    let icon = |name: &str, size: &str, purpose: &str| {
        let src = state
            .theme
            .asset(name)
            .map(|a| format!("/static/{name}?v={}", a.hash));
        src.map(|src| serde_json::json!({"src": src, "sizes": size, "type": "image/png", "purpose": purpose}))
    };
    let icons: Vec<serde_json::Value> = [
        icon("icon-192.png", "192x192", "any"),
        icon("icon-512.png", "512x512", "any"),
        icon("icon-maskable-512.png", "512x512", "maskable"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let body = serde_json::json!({
        "name": settings.name,
        "short_name": settings.name,
        "start_url": format!("/{}/", settings.default_edition()),
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": "#ffffff",
        "icons": icons,
    });
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/manifest+json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(A_DAY)),
        ],
        body.to_string(),
    )
        .into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}
