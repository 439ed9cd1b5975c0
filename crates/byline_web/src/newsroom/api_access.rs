//! `/newsroom/api`: Content API keys (admins make and revoke them) and Admin API tokens
//! (everyone makes and revokes their own; admins see and revoke everyone's). A made key
//! or token is shown once, on the page that answers the form.

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::ContentError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A Content API key or an Admin API token, as listed (never its secret).
#[derive(Serialize)]
struct Credential {
    id: i64,
    name: String,
    created: String,
    revoked: bool,
    /// Whose token (tokens only).
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
}

/// `api.html`'s own members.
#[derive(Serialize)]
struct ApiAccessView {
    /// None for someone who may not see keys.
    keys: Option<Vec<Credential>>,
    tokens: Vec<Credential>,
    /// A key or token just made, shown this once.
    secret: Option<String>,
    errors: FieldErrors,
}

async fn api_page(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    status: StatusCode,
    secret: Option<String>,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let lang = page::lang(state, headers);
    let keys = match state.content.api_keys(&editor.user).await {
        Ok(keys) => Some(keys),
        Err(ContentError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let owners: HashMap<i64, String> = if keys.is_some() {
        state
            .content
            .users(&editor.user)
            .await?
            .into_iter()
            .map(|u| (u.id.0, u.email))
            .collect()
    } else {
        HashMap::new()
    };
    let day = |at: jiff::Timestamp| state.content.site_time(at);
    let keys = keys.map(|keys| {
        keys.into_iter()
            .map(|k| Credential {
                id: k.id,
                name: k.name,
                created: day(k.created_at),
                revoked: k.revoked_at.is_some(),
                owner: None,
            })
            .collect()
    });
    let tokens = state
        .content
        .api_tokens(&editor.user)
        .await?
        .into_iter()
        .map(|t| Credential {
            id: t.id,
            name: t.name,
            created: day(t.created_at),
            revoked: t.revoked_at.is_some(),
            owner: Some(owners.get(&t.user.0).cloned().unwrap_or_default()),
        })
        .collect();
    page::render(
        state,
        &lang,
        Some(editor),
        status,
        "newsroom/api.html",
        ApiAccessView {
            keys,
            tokens,
            secret,
            errors: page::in_form_language(state, &lang, "api", errors),
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    api_page(
        &state,
        &headers,
        &editor,
        StatusCode::OK,
        None,
        FieldErrors::new(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

async fn after_create(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    made: Result<byline_content::api_access::Secret, ContentError>,
) -> Result<Response, WebError> {
    match made {
        Ok(secret) => {
            api_page(
                state,
                headers,
                editor,
                StatusCode::OK,
                Some(secret.text),
                FieldErrors::new(),
            )
            .await
        }
        Err(e) => {
            let errors = field_errors(e)?;
            api_page(
                state,
                headers,
                editor,
                StatusCode::BAD_REQUEST,
                None,
                errors,
            )
            .await
        }
    }
}

pub async fn create_key(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    let made = state.content.create_api_key(&editor.user, &form.name).await;
    after_create(&state, &headers, &editor, made).await
}

pub async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    let made = state
        .content
        .create_own_api_token(&editor.user, &form.name)
        .await;
    after_create(&state, &headers, &editor, made).await
}

pub async fn revoke_key(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    state.content.revoke_api_key(&editor.user, id).await?;
    Ok(Redirect::to("/newsroom/api").into_response())
}

pub async fn revoke_token(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    state.content.revoke_api_token(&editor.user, id).await?;
    Ok(Redirect::to("/newsroom/api").into_response())
}
