//! The outlet's published static pages (About, Contacts, …): the list of an edition
//! (or all) in footer order, and one page with its body.

use super::edition;
use crate::api::auth::AppKey;
use crate::api::params::{NoParams, cached_json, read};
use crate::api::problem::{KeyRefusals, Problem};
use crate::site::urls;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_content::ContentError;
use byline_core::{PageId, StaticPage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query parameters of the page list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageListParams {
    /// Only this edition's pages (all editions without it)
    edition: Option<String>,
}

/// A published page, as lists show it (no body).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageSummary {
    pub id: i64,
    pub edition: String,
    pub slug: String,
    pub title: String,
    /// What search engines show; none when the page has no description of its own.
    pub description: Option<String>,
    /// Place in the edition's footer (smallest first); none when not in the footer.
    pub footer_position: Option<i64>,
    /// RFC 3339.
    pub updated_at: String,
    /// The page on the reader site.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageList {
    pub items: Vec<PageSummary>,
}

/// A published page with its body.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOne {
    #[serde(flatten)]
    pub page: PageSummary,
    /// Sanitized HTML.
    pub body_html: String,
}

fn summary(state: &AppState, p: &StaticPage) -> PageSummary {
    PageSummary {
        id: p.id.0,
        edition: p.edition.clone(),
        slug: p.slug.to_string(),
        title: p.title.clone(),
        description: p.description.clone(),
        footer_position: p.footer_position,
        updated_at: p.updated_at.to_string(),
        url: state.absolute(&urls::static_page(&p.edition, p.slug.as_str())),
    }
}

/// The published static pages, by edition then footer order.
#[utoipa::path(
    get, path = "/api/v1/pages", tag = "content",
    params(PageListParams),
    responses(
        (status = 200, description = "The pages", body = PageList),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or edition", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn pages(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params: PageListParams = read(query.as_deref())?;
    let only = edition(params.edition.as_deref(), &state.content.catalog())?;
    let items = state
        .content
        .published_pages(only.as_deref())
        .await?
        .iter()
        .map(|p| summary(&state, p))
        .collect();
    Ok(cached_json(
        &headers,
        &PageList { items },
        &state.cdn_cache_control,
    ))
}

/// One published static page by id, with its body.
#[utoipa::path(
    get, path = "/api/v1/pages/{id}", tag = "content",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The page", body = PageOne),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published page", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn page_by_id(
    State(state): State<AppState>,
    _key: AppKey,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = id.parse::<i64>().map_err(|_| ContentError::NotFound)?;
    let page = state.content.published_page_by_id(PageId(id)).await?;
    Ok(cached_json(
        &headers,
        &PageOne {
            page: summary(&state, &page),
            body_html: page.body_html.clone(),
        },
        &state.cdn_cache_control,
    ))
}
