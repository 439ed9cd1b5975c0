//! Old addresses (an imported site's permalinks, an admin's redirects): consulted only
//! where the reader site would otherwise answer 404, or for the addressing queries of
//! `/` (`/?p=42`), so they cost nothing on the hot paths.

use crate::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A `301` to the new home of `path` (with its query), when it has one.
pub(crate) async fn moved(state: &AppState, path: &str, query: Option<&str>) -> Option<Response> {
    let target = match state.content.redirect_for(path, query).await {
        Ok(t) => t?,
        Err(e) => {
            tracing::warn!(error = %e, path, "looking up a redirect failed");
            return None;
        }
    };
    let location = HeaderValue::from_str(&target).ok()?;
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Some(response)
}
