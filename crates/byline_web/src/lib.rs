//! Byline's web fronts. `app(state)` is the one thing `main` and the tests call.
//!
//! Areas: [`site`] (the reader site) today; the newsroom and the API join it as
//! sibling modules with their own `router()`.

mod api;
mod assets;
mod cache;
mod error;
mod ghost;
mod health;
mod locale;
pub mod media;
mod metrics;
mod newsroom;
mod overload;
mod request_stats;
mod serve;
mod site;
mod state;
mod syndication;

pub use api::{ApiConfig, openapi};
pub use cache::{CacheStats, DEFAULT_BUDGET, PageCache};
pub use error::{ErrorPage, WebError};
pub use overload::OverloadLimits;
pub use serve::serve;
pub use state::{AppState, CdnPolicy, PurgeWebhookConfig, WebConfig};

use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// The application with `extra` routes mounted beside the real ones, under every layer
/// (for tests of the layers themselves, e.g. what a panicking handler answers).
fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    let max_body = state.config.max_body_bytes;
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
        .route("/metrics", axum::routing::get(metrics::metrics))
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/readyz", axum::routing::get(health::readyz))
        .fallback(error::not_found)
        // Refuses oversized bodies by their Content-Length before any handler runs (also
        // for handlers that never read the body). Added before the error-page layer, so
        // it sits inside it and its 413 becomes a localized page.
        .layer(RequestBodyLimitLayer::new(max_body))
        // Picture uploads have their own, larger limit (`media_max_bytes`).
        .merge(newsroom::upload_router(&state))
        .merge(api::upload_router(&state))
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
        // A saturated server answers 503 before doing any other work.
        .layer(axum::middleware::from_fn_with_state(
            state.overload.clone(),
            overload::guard,
        ))
        // Outermost: counts and times every answer, the 503s above included.
        .layer(axum::middleware::from_fn_with_state(
            state.requests.clone(),
            request_stats::measure,
        ))
        .with_state(state)
}
