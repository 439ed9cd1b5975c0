//! Static files of the theme (fingerprinted, cached for a year) and media.

use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(state: &AppState) -> Router<AppState> {
    let media = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=604800"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(ServeDir::new(&state.config.media_dir));
    Router::new()
        .route("/static/{name}", get(static_file))
        .nest_service("/media", media)
}

async fn static_file(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some(asset) = state.theme.asset(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            // URLs carry the content hash (`?v=`), so the file never changes under a URL.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.bytes.clone(),
    )
        .into_response()
}
