//! The JSON API for the apps and the site's own script. Errors are JSON too
//! (`{"error": "…"}` with a 4xx/5xx status), never an HTML page.

mod search;

use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/suggest", get(search::suggest))
}

/// A JSON answer, marked finished so the error-page layer leaves it alone.
pub(crate) fn json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        axum::Json(body),
    )
        .into_response();
    response.extensions_mut().insert(Finished);
    response
}

/// A `WebError` as the API reports it.
pub(crate) struct ApiError(WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        Self(e)
    }
}

impl From<byline_content::ContentError> for ApiError {
    fn from(e: byline_content::ContentError) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Reuse the one mapping from errors to statuses.
        let status = self.0.status();
        let message = if status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
            "internal error".to_owned()
        } else if status == StatusCode::NOT_FOUND {
            "not found".to_owned()
        } else {
            self.0.to_string()
        };
        json(status, serde_json::json!({ "error": message }))
    }
}
