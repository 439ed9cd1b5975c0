//! Static pages through the Admin API (`manage_pages`: editors and admins): the list with
//! drafts, one page, create, replace and delete. The same content-service methods as
//! the newsroom's page editor.

use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Problem, TokenRefusals};
use crate::site::urls;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::{ContentError, PageInput};
use byline_core::{PageId, PageStatus, StaticPage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether readers see the page.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdminPageStatus {
    Draft,
    Published,
}

impl From<AdminPageStatus> for PageStatus {
    fn from(s: AdminPageStatus) -> Self {
        match s {
            AdminPageStatus::Draft => PageStatus::Draft,
            AdminPageStatus::Published => PageStatus::Published,
        }
    }
}

impl From<PageStatus> for AdminPageStatus {
    fn from(s: PageStatus) -> Self {
        match s {
            PageStatus::Draft => AdminPageStatus::Draft,
            PageStatus::Published => AdminPageStatus::Published,
        }
    }
}

/// A page as an integration writes it (create and replace).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageIn {
    /// Edition code.
    pub edition: String,
    /// The address in its edition (`/{edition}/page/{slug}`); made from the title when
    /// absent or empty.
    #[serde(default)]
    pub slug: String,
    pub title: String,
    /// Markdown, as in the newsroom.
    #[serde(default)]
    pub body_markdown: String,
    #[serde(default)]
    pub description: Option<String>,
    pub status: AdminPageStatus,
    /// Place in the edition's footer, smallest first; absent or null: not in the footer.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 999)]
    pub footer_position: Option<i64>,
}

/// A page as stored, drafts included.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPage {
    pub id: i64,
    pub edition: String,
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
    /// Sanitized HTML, as the site shows it.
    pub body_html: String,
    pub description: Option<String>,
    pub status: AdminPageStatus,
    pub footer_position: Option<i64>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// The page on the reader site (also for drafts: where it will be).
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPages {
    pub items: Vec<AdminPage>,
}

fn admin_page(state: &AppState, p: &StaticPage) -> AdminPage {
    AdminPage {
        id: p.id.0,
        edition: p.edition.clone(),
        slug: p.slug.to_string(),
        title: p.title.clone(),
        body_markdown: p.body_markdown.clone(),
        body_html: p.body_html.clone(),
        description: p.description.clone(),
        status: p.status.into(),
        footer_position: p.footer_position,
        created_at: p.created_at.to_string(),
        updated_at: p.updated_at.to_string(),
        url: state.absolute(&urls::static_page(&p.edition, p.slug.as_str())),
    }
}

fn input(body: PageIn) -> PageInput {
    PageInput {
        edition: body.edition,
        slug: body.slug,
        title: body.title,
        body_markdown: body.body_markdown,
        description: body.description,
        status: body.status.into(),
        footer_position: body.footer_position,
    }
}

fn page_id(raw: &str) -> Result<PageId, Problem> {
    raw.parse::<i64>()
        .map(PageId)
        .map_err(|_| ContentError::NotFound.into())
}

/// Every page, drafts included, by edition then footer order.
#[utoipa::path(
    get, path = "/api/v1/admin/pages", tag = "admin",
    responses(
        (status = 200, description = "The pages", body = AdminPages),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn pages(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let items = state
        .content
        .newsroom_pages(&user)
        .await?
        .iter()
        .map(|p| admin_page(&state, p))
        .collect();
    Ok(json_response(StatusCode::OK, &AdminPages { items }))
}

/// Creates a page.
#[utoipa::path(
    post, path = "/api/v1/admin/pages", tag = "admin",
    request_body = PageIn,
    responses(
        (status = 201, description = "Created", body = AdminPage),
        (status = 400, description = "Invalid JSON, unknown member, or a field broke a rule (the problem names it)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn create_page(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    RawQuery(query): RawQuery,
    body: JsonBody<PageIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = state
        .content
        .save_page(&user, None, input(body.value))
        .await?;
    let page = state.content.newsroom_page(&user, id).await?;
    let mut response = json_response(StatusCode::CREATED, &admin_page(&state, &page));
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/admin/pages/{}", id.0)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One page, drafts included.
#[utoipa::path(
    get, path = "/api/v1/admin/pages/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The page", body = AdminPage),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn page(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let page = state.content.newsroom_page(&user, page_id(&id)?).await?;
    Ok(json_response(StatusCode::OK, &admin_page(&state, &page)))
}

/// Replaces a page (every member; absent optional ones are cleared).
#[utoipa::path(
    put, path = "/api/v1/admin/pages/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Page id")),
    request_body = PageIn,
    responses(
        (status = 200, description = "Saved", body = AdminPage),
        (status = 400, description = "Invalid JSON, unknown member, or a field broke a rule (the problem names it)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn replace_page(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<PageIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = page_id(&id)?;
    // Someone else's missing page is a 404 before the body is judged.
    state.content.newsroom_page(&user, id).await?;
    state
        .content
        .save_page(&user, Some(id), input(body.value))
        .await?;
    let page = state.content.newsroom_page(&user, id).await?;
    Ok(json_response(StatusCode::OK, &admin_page(&state, &page)))
}

/// Deletes a page for good (its address then answers 404).
#[utoipa::path(
    delete, path = "/api/v1/admin/pages/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn delete_page(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    state.content.delete_page(&user, page_id(&id)?).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.extensions_mut().insert(crate::error::Finished);
    Ok(response)
}
