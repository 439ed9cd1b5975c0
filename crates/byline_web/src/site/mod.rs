//! The reader site: every page server-rendered, every edition under its own prefix.

mod article;

pub(crate) use article::render as render_article;
pub(crate) use urls::article as article_url;
pub(crate) mod beacon;
pub(crate) mod chrome;
pub(crate) mod head;
mod json_ld;
mod lists;
pub(crate) mod redirects;
pub(crate) mod respond;
mod search;
pub(crate) mod search_params;
mod static_pages;
pub(crate) mod urls;
pub mod view;

use crate::error::WebError;
use crate::locale;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Redirect;
use axum::routing::{get, post};
use byline_core::PageNumber;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(choose_edition))
        .route("/{ed}", get(edition_without_slash))
        .route("/{ed}/", get(lists::front))
        .route("/{ed}/search", get(search::search_page))
        .route("/{ed}/tag/{slug}", get(lists::tag))
        .route("/{ed}/author/{slug}", get(lists::author))
        .route("/{ed}/page/{slug}", get(static_pages::show))
        .route("/{ed}/more/{kind}/{key}", get(lists::more))
        .route("/{ed}/{section}", get(lists::section))
        .route("/{ed}/{section}/{slug}", get(article::show))
        .route("/api/v1/views/{id}", post(beacon::count_view))
}

/// `/` sends readers to the edition their browser asks for.
async fn choose_edition(
    State(state): State<AppState>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    // `/?p=42`, `/?page_id=7`: an imported site's old address, not the front door.
    if let Some(query) = query.as_deref()
        && let Some(moved) = redirects::moved(&state, "/", Some(query)).await
    {
        return moved;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let edition = locale::negotiate(accept, &state.content.catalog().settings);
    Redirect::to(&urls::front(&edition)).into_response()
}

async fn edition_without_slash(
    State(state): State<AppState>,
    axum::extract::Path(ed): axum::extract::Path<String>,
) -> Result<Redirect, WebError> {
    if state.content.catalog().settings.has_edition(&ed) {
        Ok(Redirect::permanent(&urls::front(&ed)))
    } else {
        Err(WebError::NotFound)
    }
}

/// The `page` query parameter: absent → 1, garbage → 400 with a message, huge → clamped.
pub(crate) fn page_param(query: &HashMap<String, String>) -> Result<PageNumber, WebError> {
    PageNumber::parse(query.get("page").map(String::as_str))
        .map_err(|e| WebError::BadPage(e.to_string()))
}
