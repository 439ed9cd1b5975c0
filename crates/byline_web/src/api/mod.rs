//! The API under `/api/v1`: the Content API for apps (read, API keys), the Admin API
//! for integrations (write, user tokens), search and suggestions for the site's own
//! script, the OpenAPI document and its docs page. Every error is RFC 9457
//! `application/problem+json` ([`problem`]).

mod admin;
mod auth;
mod content;
mod docs;
pub(crate) mod params;
pub(crate) mod problem;
mod push;
mod search;

pub use auth::{ApiConfig, ApiState, auth_key};
pub use docs::openapi;
pub(crate) use params::cached_json;

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{get, post, put};
use problem::Problem;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

pub fn router(state: &AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/suggest", get(search::suggest))
        .route("/api/v1/articles", get(content::articles::articles))
        .route(
            "/api/v1/articles/{id}",
            get(content::articles::article_by_id),
        )
        .route(
            "/api/v1/articles/{edition}/{slug}",
            get(content::articles::article_by_slug),
        )
        .route("/api/v1/sections", get(content::terms::sections))
        .route("/api/v1/tags", get(content::terms::tags))
        .route("/api/v1/authors", get(content::terms::authors))
        .route("/api/v1/latest", get(content::articles::latest))
        .route("/api/v1/most-read", get(content::articles::most_read))
        .route("/api/v1/settings", get(content::settings::settings))
        .route("/api/v1/alerts", get(content::alerts::alerts))
        .route("/api/v1/live/{id}/events", get(crate::live::events))
        .route("/api/v1/live/{id}/entries", get(content::live::entries))
        .route(
            "/api/v1/push/subscriptions",
            post(push::subscribe).delete(push::unsubscribe),
        )
        .route("/api/v1/admin/alerts", post(admin::alerts::raise))
        .route("/api/v1/admin/alerts/{id}/end", post(admin::alerts::end))
        .route(
            "/api/v1/admin/alerts/{id}",
            axum::routing::delete(admin::alerts::delete),
        )
        .route(
            "/api/v1/admin/articles/{id}/entries",
            post(admin::live::post_entry),
        )
        .route(
            "/api/v1/admin/articles/{id}/entries/{entry_id}",
            axum::routing::patch(admin::live::edit_entry).delete(admin::live::delete_entry),
        )
        .route("/api/v1/pages", get(content::pages::pages))
        .route("/api/v1/pages/{id}", get(content::pages::page_by_id))
        .route(
            "/api/v1/admin/articles",
            post(admin::articles::create_article),
        )
        .route(
            "/api/v1/admin/articles/{id}",
            get(admin::articles::article).patch(admin::articles::update_article),
        )
        .route(
            "/api/v1/admin/articles/{id}/publish",
            post(admin::articles::publish),
        )
        .route(
            "/api/v1/admin/articles/{id}/unpublish",
            post(admin::articles::unpublish),
        )
        .route(
            "/api/v1/admin/articles/{id}/schedule",
            post(admin::articles::schedule),
        )
        .route(
            "/api/v1/admin/articles/{id}/corrections",
            post(admin::news_desk::add_correction),
        )
        .route(
            "/api/v1/admin/articles/{id}/takedown",
            post(admin::news_desk::take_down),
        )
        .route(
            "/api/v1/admin/articles/{id}/reinstate",
            post(admin::news_desk::reinstate),
        )
        .route("/api/v1/admin/sections", get(admin::terms::sections))
        .route("/api/v1/admin/tags", get(admin::terms::tags))
        .route("/api/v1/admin/tags/{slug}", put(admin::terms::put_tag))
        .route(
            "/api/v1/admin/pages",
            get(admin::pages::pages).post(admin::pages::create_page),
        )
        .route(
            "/api/v1/admin/pages/{id}",
            get(admin::pages::page)
                .put(admin::pages::replace_page)
                .delete(admin::pages::delete_page),
        )
        .route("/api/v1/openapi.json", get(docs::openapi_json))
        .route("/api/v1/docs", get(docs::page))
        .route("/api/v1/problems/{slug}", get(problem::explain));
    match cors(&state.config.api.cors_origins) {
        Some(layer) => api.layer(layer),
        None => api,
    }
}

/// Picture uploads through the Admin API: mounted outside the app-wide body limit
/// (`max_body_bytes`, 1 MiB), bounded by the media library's own `media_max_bytes`
/// while the file streams in.
pub fn upload_router(state: &AppState) -> Router<AppState> {
    let upload = Router::new().route(
        "/api/v1/admin/media",
        post(admin::media::upload_media).layer(axum::extract::DefaultBodyLimit::disable()),
    );
    match cors(&state.config.api.cors_origins) {
        Some(layer) => upload.layer(layer),
        None => upload,
    }
}

/// The CORS policy from `api_cors_origins` (`None`: no CORS headers at all).
pub fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_NONE_MATCH,
                header::HeaderName::from_static("idempotency-key"),
            ])
            .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION])
            .max_age(std::time::Duration::from_secs(600))
            .vary([header::ORIGIN])
            .allow_credentials(false),
    )
    .map(|layer| {
        if origins.iter().any(|o| o == "*") {
            layer.allow_headers(Any)
        } else {
            layer
        }
    })
}

/// Errors of the first API operations (search, suggest) are problems too.
pub(crate) type ApiError = Problem;

/// A JSON answer, marked finished so the error-page layer leaves it alone.
pub(crate) fn json(
    status: axum::http::StatusCode,
    body: serde_json::Value,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        axum::Json(body),
    )
        .into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}
