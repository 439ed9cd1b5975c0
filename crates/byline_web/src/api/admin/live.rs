//! Live-blog entries through the Admin API: the same content-service calls as the
//! newsroom's entry form, so who may post (whoever may publish the article) is the
//! permission matrix's `publish`, unchanged.

use super::articles::article_id;
use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Kind, Problem, TokenRefusals};
use crate::site::view;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use byline_content::EntryInput;
use byline_core::LiveEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new entry. `body` is Markdown (pictures `![alt](media:N)` and embeds as in
/// articles).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntryIn {
    pub body: String,
    #[serde(default)]
    pub title: String,
    /// An author's slug.
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub key_event: bool,
    /// Shown above the others (unpins the one pinned before).
    #[serde(default)]
    pub pinned: bool,
}

/// Changes to an entry; absent members stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryPatch {
    pub body: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub key_event: Option<bool>,
    pub pinned: Option<bool>,
}

/// An entry as written.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminEntry {
    pub id: i64,
    /// Its position in the Content API's entries and the event stream.
    pub cursor: String,
    pub title: String,
    pub body: String,
    pub author: Option<String>,
    pub key_event: bool,
    pub pinned: bool,
    /// RFC 3339 (site time zone).
    pub created_at: String,
    pub updated_at: String,
}

fn admin_entry(state: &AppState, e: &LiveEntry) -> AdminEntry {
    let catalog = state.content.catalog();
    AdminEntry {
        id: e.id,
        cursor: e.seq.to_string(),
        title: e.title.clone(),
        body: e.body_markdown.clone(),
        author: e
            .author
            .and_then(|a| catalog.author(a))
            .map(|a| a.slug.to_string()),
        key_event: e.key_event,
        pinned: e.pinned,
        created_at: view::iso(e.created_at, &catalog),
        updated_at: view::iso(e.updated_at, &catalog),
    }
}

fn entry_id(raw: &str) -> Result<i64, Problem> {
    raw.parse::<i64>()
        .map_err(|_| Problem::new(Kind::NotFound, None))
}

/// Posts an entry to a live blog; readers get it at once.
#[utoipa::path(
    post, path = "/api/v1/admin/articles/{id}/entries", tag = "admin",
    params(("id" = i64, Path, description = "The live blog's article id")),
    request_body = NewEntryIn,
    responses(
        (status = 201, description = "Posted", body = AdminEntry),
        (status = 400, description = "Invalid JSON, empty or too long text, unknown author, or the article is not live (ended)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not publish this article", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn post_entry(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<NewEntryIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = article_id(&id)?;
    let e = body.value;
    let input = EntryInput {
        title: e.title,
        body: e.body,
        author: e.author,
        key_event: e.key_event,
        pinned: e.pinned,
    };
    let entry = state.content.post_entry(&user, id, &input).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &admin_entry(&state, &entry),
    ))
}

/// Changes an entry (its earlier version is kept).
#[utoipa::path(
    patch, path = "/api/v1/admin/articles/{id}/entries/{entry_id}", tag = "admin",
    params(
        ("id" = i64, Path, description = "The live blog's article id"),
        ("entry_id" = i64, Path, description = "The entry's id"),
    ),
    request_body = EntryPatch,
    responses(
        (status = 200, description = "Saved", body = AdminEntry),
        (status = 400, description = "Invalid JSON or value", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not publish this article", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry of this article (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn edit_entry(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path((id, entry)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    body: JsonBody<EntryPatch>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let (id, entry) = (article_id(&id)?, entry_id(&entry)?);
    let (old, _) = state.content.live_entry(&user, id, entry).await?;
    if old.deleted_at.is_some() {
        return Err(Problem::new(Kind::NotFound, None));
    }
    let p = body.value;
    let catalog = state.content.catalog();
    let input = EntryInput {
        title: p.title.unwrap_or(old.title),
        body: p.body.unwrap_or(old.body_markdown),
        author: p.author.unwrap_or_else(|| {
            old.author
                .and_then(|a| catalog.author(a))
                .map(|a| a.slug.to_string())
                .unwrap_or_default()
        }),
        key_event: p.key_event.unwrap_or(old.key_event),
        pinned: p.pinned.unwrap_or(old.pinned),
    };
    let saved = state.content.edit_entry(&user, id, entry, &input).await?;
    Ok(json_response(StatusCode::OK, &admin_entry(&state, &saved)))
}

/// Deletes an entry (readers connected see it go; its last version is kept).
#[utoipa::path(
    delete, path = "/api/v1/admin/articles/{id}/entries/{entry_id}", tag = "admin",
    params(
        ("id" = i64, Path, description = "The live blog's article id"),
        ("entry_id" = i64, Path, description = "The entry's id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The token's role may not publish this article", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry of this article (or deleted)", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn delete_entry(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path((id, entry)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let (id, entry) = (article_id(&id)?, entry_id(&entry)?);
    state.content.delete_entry(&user, id, entry).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
