//! `GET /api/v1/alerts`: the breaking-news alerts up now, for the apps' banners. Read
//! from memory on every node (no database); `no-cache` with an ETag, so an app polling
//! every few seconds gets `304` until an alert is raised or ends.

use super::edition;
use crate::api::auth::AppKey;
use crate::api::params::{cached_json, read};
use crate::api::problem::{KeyRefusals, Problem};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertParams {
    /// Only this edition's alerts (all editions without it)
    edition: Option<String>,
}

/// A breaking-news alert up now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertOut {
    pub id: i64,
    pub edition: String,
    pub text: String,
    /// Where it leads (absolute); null when it leads nowhere.
    pub url: Option<String>,
    /// The story it is about, when it is one of the outlet's (fetch it by id).
    pub article_id: Option<i64>,
    /// RFC 3339 (UTC).
    pub starts_at: String,
    /// RFC 3339 (UTC): it stops showing then unless ended earlier.
    pub ends_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    /// Newest first.
    pub items: Vec<AlertOut>,
}

/// The breaking-news alerts up now, newest first.
#[utoipa::path(
    get, path = "/api/v1/alerts", tag = "content",
    params(AlertParams),
    responses(
        (status = 200, description = "The alerts up now (often none)", body = AlertList),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or edition", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn alerts(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params: AlertParams = read(query.as_deref())?;
    let catalog = state.content.catalog();
    let edition = edition(params.edition.as_deref(), &catalog)?;
    let items = state
        .content
        .live_alerts(edition.as_deref())
        .into_iter()
        .map(|a| AlertOut {
            id: a.id,
            edition: a.edition,
            text: a.text,
            url: (!a.url.is_empty()).then(|| {
                if a.url.starts_with('/') {
                    state.absolute(&a.url)
                } else {
                    a.url
                }
            }),
            article_id: a.article.map(|x| x.0),
            starts_at: a.starts_at.to_string(),
            ends_at: a.ends_at.to_string(),
        })
        .collect();
    // Alerts come and go within seconds: every use revalidates (a 304 is cheap).
    static NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
    Ok(cached_json(&headers, &AlertList { items }, &NO_CACHE))
}
