//! Byline's web fronts. `app(state)` is the one thing `main` and the tests call.
//!
//! Areas: [`site`] (the reader site) today; the newsroom and the API join it as
//! sibling modules with their own `router()`.

mod assets;
mod cache;
mod error;
mod locale;
mod serve;
mod site;
mod state;

pub use cache::PageCache;
pub use error::{ErrorPage, WebError};
pub use serve::serve;
pub use state::{AppState, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(site::router())
        .merge(assets::router(&state))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}
