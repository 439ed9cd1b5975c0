//! The news desk through the Admin API: public correction notes, takedowns and their
//! reinstatement. The same content-service calls as the newsroom's forms, so the
//! permission matrix (`add_correction`, `take_down`, `reinstate`) applies unchanged.

use super::articles::{AdminArticle, admin_article, article_id};
use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Problem, TokenRefusals};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use byline_core::{ArticleId, User};
use serde::Deserialize;
use utoipa::ToSchema;

/// A public note to append to a published article.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// correction, update or clarification.
    pub kind: String,
    /// One paragraph of plain text, at most 1,000 characters.
    pub text: String,
}

/// Why a published article is taken down.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakedownIn {
    /// Kept in the audit log; at most 2,000 characters.
    pub reason: String,
}

/// The article as the user now sees it.
async fn answer(
    state: &AppState,
    user: &User,
    id: ArticleId,
    status: StatusCode,
) -> Result<Response, Problem> {
    let (article, _) = state.content.newsroom_article(user, id).await?;
    Ok(json_response(status, &admin_article(state, &article)))
}

/// Appends a public correction, update or clarification note to a published article:
/// readers see it at the end of the article (and a marker under the headline), in its
/// NewsArticle data and as an update in the feeds. Notes are never edited or removed.
#[utoipa::path(
    post, path = "/api/v1/admin/articles/{id}/corrections", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    request_body = CorrectionIn,
    responses(
        (status = 201, description = "Added; the article with its notes", body = AdminArticle),
        (status = 400, description = "Invalid JSON, unknown kind, empty or too long text, or the article is not published", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn add_correction(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<CorrectionIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = article_id(&id)?;
    let note = body.value;
    state
        .content
        .add_correction(&user, id, &note.kind, &note.text)
        .await?;
    answer(&state, &user, id, StatusCode::CREATED).await
}

/// Takes a published article off the site for legal or safety reasons: its address
/// answers 410 Gone and it leaves lists, search, feeds, sitemaps and the Content API.
/// Only an admin can reinstate it.
#[utoipa::path(
    post, path = "/api/v1/admin/articles/{id}/takedown", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    request_body = TakedownIn,
    responses(
        (status = 200, description = "Taken down", body = AdminArticle),
        (status = 400, description = "Invalid JSON, no reason, or the article is not published", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn take_down(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<TakedownIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = article_id(&id)?;
    state
        .content
        .take_down(&user, id, &body.value.reason)
        .await?;
    answer(&state, &user, id, StatusCode::OK).await
}

/// Puts a taken-down article back on the site (admins only).
#[utoipa::path(
    post, path = "/api/v1/admin/articles/{id}/reinstate", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "Back on the site", body = AdminArticle),
        (status = 400, description = "The article is not taken down", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only admins reinstate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn reinstate(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = article_id(&id)?;
    state.content.reinstate(&user, id).await?;
    answer(&state, &user, id, StatusCode::OK).await
}
