//! The outlet's public settings: name, links and editions.

use crate::api::auth::AppKey;
use crate::api::params::{NoParams, cached_json, read};
use crate::api::problem::{KeyRefusals, Problem};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct EditionOut {
    pub code: String,
    pub name: String,
    /// The edition's front page.
    pub url: String,
    pub tagline: String,
}

/// The outlet's public settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteOut {
    pub name: String,
    pub url: String,
    pub logo_url: Option<String>,
    pub timezone: String,
    pub copyright: String,
    /// Social profiles by network.
    pub social: BTreeMap<String, String>,
    /// App store links by platform.
    pub apps: BTreeMap<String, String>,
    pub editions: Vec<EditionOut>,
    pub default_edition: String,
}

/// Site name, links and editions.
#[utoipa::path(
    get, path = "/api/v1/settings", tag = "content",
    responses(
        (status = 200, description = "The outlet", body = SiteOut),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn settings(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let catalog = state.content.catalog();
    let s = &catalog.settings;
    let out = SiteOut {
        name: s.name.clone(),
        url: state.absolute("/"),
        logo_url: s.logo_url.clone(),
        timezone: s.timezone.clone(),
        copyright: s.copyright.clone(),
        social: s.social.clone(),
        apps: s.apps.clone(),
        editions: s
            .editions
            .iter()
            .map(|e| EditionOut {
                code: e.code.clone(),
                name: e.name.clone(),
                url: state.absolute(&format!("/{}/", e.code)),
                tagline: s.tagline.get(&e.code).to_owned(),
            })
            .collect(),
        default_edition: s.default_edition().to_owned(),
    };
    Ok(cached_json(&headers, &out, &state.cdn_cache_control))
}
