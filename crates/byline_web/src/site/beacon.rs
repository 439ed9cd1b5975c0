//! The view beacon: counted in memory, never touching the store on the request path.

use crate::client::ClientAddr;
use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use byline_content::Reader;
use byline_core::ArticleId;
use serde_json::json;

/// Counts a reader's view of a published article (the article page calls it); bots get
/// the count without adding to it. No key: the reader site's own script sends it.
#[utoipa::path(
    post, path = "/api/v1/views/{id}", tag = "site",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article's view count", body = serde_json::Value,
         example = json!({"views": 1234})),
        (status = 404, description = "No such published article", body = crate::api::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn count_view(
    State(state): State<AppState>,
    Path(id): Path<String>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let reader = Reader {
        address: client.0,
        user_agent,
    };
    let views = state.content.record_view(ArticleId(id), reader)?;
    Ok(views_answer(views))
}

/// The beacon's answer: the count readers see (`null` while a big outlet's counts load).
pub(crate) fn views_answer(views: Option<u64>) -> Response {
    let mut response = (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(json!({ "views": views })),
    )
        .into_response();
    response.extensions_mut().insert(Finished);
    response
}

/// The article id of a beacon path (`/api/v1/views/{id}`, digits only).
pub(crate) fn beacon_id(path: &str) -> Option<i64> {
    let id = path.strip_prefix("/api/v1/views/")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}
