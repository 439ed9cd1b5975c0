//! Breaking-news alerts through the Admin API: raise one, end one (`manage_alerts`:
//! editors and admins), through the same content-service calls as the newsroom.

use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Problem, TokenRefusals};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use byline_content::AlertInput;
use byline_core::{Alert, ArticleId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new alert. With `article_id`, `edition`, `text` and `url` default to the
/// article's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertIn {
    #[serde(default)]
    pub edition: String,
    /// One line, at most 200 characters.
    #[serde(default)]
    pub text: String,
    /// A path on the site (`/en/…`) or an `https://` address.
    #[serde(default)]
    pub url: String,
    pub article_id: Option<i64>,
    /// How long it shows: 1 to 4,320 minutes (default 120).
    pub minutes: Option<i64>,
}

/// An alert as raised.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminAlert {
    pub id: i64,
    pub edition: String,
    pub text: String,
    pub url: String,
    pub article_id: Option<i64>,
    /// RFC 3339 (UTC).
    pub starts_at: String,
    pub ends_at: String,
}

fn out(a: Alert) -> AdminAlert {
    AdminAlert {
        id: a.id,
        edition: a.edition,
        text: a.text,
        url: a.url,
        article_id: a.article.map(|x| x.0),
        starts_at: a.starts_at.to_string(),
        ends_at: a.ends_at.to_string(),
    }
}

/// Raises a breaking-news alert over every reader page of its edition.
#[utoipa::path(
    post, path = "/api/v1/admin/alerts", tag = "admin",
    request_body = AlertIn,
    responses(
        (status = 201, description = "Up", body = AdminAlert),
        (status = 400, description = "Invalid JSON, unknown member, bad edition, text, link or minutes", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn raise(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    RawQuery(query): RawQuery,
    body: JsonBody<AlertIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let a = body.value;
    let alert = state
        .content
        .raise_alert(
            &user,
            AlertInput {
                edition: a.edition,
                text: a.text,
                url: a.url,
                article: a.article_id.map(ArticleId),
                minutes: a.minutes,
            },
        )
        .await?;
    Ok(json_response(StatusCode::CREATED, &out(alert)))
}

/// Ends an alert now.
#[utoipa::path(
    post, path = "/api/v1/admin/alerts/{id}/end", tag = "admin",
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 400, description = "It had ended already", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn end(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = id
        .parse::<i64>()
        .map_err(|_| Problem::new(crate::api::problem::Kind::NotFound, None))?;
    state.content.end_alert(&user, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Ends an alert now (the same as `POST /api/v1/admin/alerts/{id}/end`).
#[utoipa::path(
    delete, path = "/api/v1/admin/alerts/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 400, description = "It had ended already", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn delete(
    state: State<AppState>,
    user: AdminUser,
    id: Path<String>,
    query: RawQuery,
) -> Result<Response, Problem> {
    end(state, user, id, query).await
}
