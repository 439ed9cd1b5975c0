//! Byline's web fronts. `app(state)` is the one thing `main` and the tests call.
//!
//! Areas: [`site`] (the reader site) today; the newsroom and the API join it as
//! sibling modules with their own `router()`.

pub mod alerts_webhook;
mod api;
mod assets;
mod cache;
pub mod client;
mod compression;
mod error;
mod front_door;
mod ghost;
mod health;
mod live;
mod locale;
pub mod media;
mod metrics;
mod newsroom;
mod overload;
pub mod push_sender;
mod request_stats;
mod security_headers;
mod serve;
pub mod sharded;
mod site;
mod state;
mod syndication;

pub use alerts_webhook::AlertsWebhookConfig;
pub use api::{ApiConfig, openapi};
pub use cache::{CacheStats, DEFAULT_BUDGET, PageCache};
pub use error::{ErrorPage, WebError};
pub use front_door::FrontDoor;
pub use overload::OverloadLimits;
pub use serve::{serve, serve_metrics};
pub use state::{AppState, CdnPolicy, PurgeWebhookConfig, Timeouts, WebConfig};

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The whole HTTP application: cached reader pages answered at the [`FrontDoor`], every
/// other request by the router and its layers.
pub fn app(state: AppState) -> FrontDoor {
    FrontDoor::new(state.clone(), app_with(state, Router::new()))
}

/// The application with `extra` routes mounted beside the real ones, under every layer
/// (for tests of the layers themselves, e.g. what a panicking handler answers).
fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    let max_body = state.config.max_body_bytes;
    let timeouts = state.config.timeouts;
    Router::new()
        .merge(extra)
        .merge(site::router())
        .merge(syndication::router())
        .merge(api::router(&state))
        .merge(match api::cors(&state.config.api.cors_origins) {
            Some(cors) => ghost::router().layer(cors),
            None => ghost::router(),
        })
        .merge(media::router())
        .merge(newsroom::router(&state))
        .merge(assets::router(&state))
        .route("/metrics", axum::routing::get(metrics::public_metrics))
        .route(
            security_headers::REPORT_PATH,
            axum::routing::post(security_headers::report).layer(
                tower_http::limit::RequestBodyLimitLayer::new(security_headers::MAX_REPORT_BYTES),
            ),
        )
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/readyz", axum::routing::get(health::readyz))
        .fallback(error::not_found)
        // Refuses oversized bodies by their Content-Length before any handler runs (also
        // for handlers that never read the body). Added before the error-page layer, so
        // it sits inside it and its 413 becomes a localized page.
        .layer(RequestBodyLimitLayer::new(max_body))
        // A whole request, body included, has a deadline (408 past it, and the
        // connection is closed): a client trickling its body holds nothing for long.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeouts.request,
        ))
        // Picture uploads have their own, larger limit (`media_max_bytes`) and deadline.
        .merge(
            newsroom::upload_router(&state)
                .merge(api::upload_router(&state))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    timeouts.upload,
                )),
        )
        // A body that stops arriving for this long ends the request.
        .layer(RequestBodyTimeoutLayer::new(timeouts.body_idle))
        // A bug that panics in a handler answers a bare 500 (logged) instead of dropping
        // the connection; the error-page layer around it makes that the localized page
        // (or problem+json under /api).
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panicked,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        // Every text answer not compressed already (cached pages and theme files are, once)
        // goes out compressed to clients that accept it: search and error pages, JSON.
        // Event streams, pictures, tiny bodies and the newsroom pass as they are.
        .layer(axum::middleware::from_fn(compression::compress))
        // A saturated server answers 503 before doing any other work.
        .layer(axum::middleware::from_fn_with_state(
            state.overload.clone(),
            overload::guard,
        ))
        // Counts and times every answer, the 503s above included.
        .layer(axum::middleware::from_fn_with_state(
            state.requests.clone(),
            request_stats::measure,
        ))
        // A request cut off by its deadline ends its connection too (its body may still
        // be trickling in).
        .layer(SetResponseHeaderLayer::overriding(
            header::CONNECTION,
            |response: &axum::response::Response| {
                (response.status() == StatusCode::REQUEST_TIMEOUT)
                    .then(|| HeaderValue::from_static("close"))
            },
        ))
        // Outermost: every answer carries the security headers, whoever made it.
        .layer(state.security_headers.clone())
        .with_state(state)
}
