//! Accounts (admins only): list, add, change role, disable or enable.

use super::page::{self, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::UserInput;
use byline_core::{Role, UserId};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn roles() -> Value {
    json!(Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>())
}

async fn users_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    form: Value,
    errors: BTreeMap<String, String>,
    created: Option<Value>,
) -> Result<Response, WebError> {
    let users = state.content.users(&editor.user).await?;
    let users: Vec<Value> = users
        .iter()
        .map(|u| {
            json!({
                "id": u.id.0, "email": u.email, "name": u.display_name,
                "role": u.role.as_str(), "disabled": u.disabled,
                "me": u.id == editor.user.id,
            })
        })
        .collect();
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/users.html",
        json!({ "users": users, "roles": roles(), "form": form, "errors": errors, "created": created }),
    )
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    users_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        json!({"email": "", "name": "", "role": "contributor"}),
        BTreeMap::new(),
        None,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let typed = json!({"email": form.email, "name": form.name, "role": form.role});
    let role = match form.role.parse::<Role>() {
        Ok(r) => r,
        Err(e) => {
            // Check the right first: a refused user learns nothing from the form.
            state.content.users(&editor.user).await?;
            let errors = BTreeMap::from([("role".to_owned(), e.to_string())]);
            return users_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                typed,
                errors,
                None,
            )
            .await;
        }
    };
    let password = Some(form.password.clone()).filter(|p| !p.is_empty());
    let input = UserInput {
        email: form.email.clone(),
        display_name: form.name.clone(),
        role,
        password,
    };
    match state.content.add_user(&editor.user, input).await {
        Ok(created) => {
            let created =
                json!({"email": form.email.trim(), "password": created.generated_password});
            users_page(
                &state,
                &lang,
                &editor,
                StatusCode::OK,
                json!({"email": "", "name": "", "role": "contributor"}),
                BTreeMap::new(),
                Some(created),
            )
            .await
        }
        Err(e) => {
            let errors = field_errors(e)?;
            users_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                typed,
                errors,
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let result = match form.role.parse::<Role>() {
        Ok(role) => state.content.set_role(&editor.user, UserId(id), role).await,
        Err(e) => {
            state.content.users(&editor.user).await?;
            Err(byline_content::ContentError::invalid("role", e.to_string()))
        }
    };
    after_change(&state, &lang, &editor, result).await
}

#[derive(Debug, Deserialize)]
pub struct DisabledForm {
    #[serde(default)]
    disabled: String,
}

pub async fn set_disabled(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<i64>,
    Form(form): Form<DisabledForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let disabled = matches!(form.disabled.as_str(), "1" | "true" | "on" | "yes");
    let result = state
        .content
        .set_disabled(&editor.user, UserId(id), disabled)
        .await;
    after_change(&state, &lang, &editor, result).await
}

async fn after_change(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    result: Result<(), byline_content::ContentError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to("/newsroom/users").into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            users_page(
                state,
                lang,
                editor,
                StatusCode::BAD_REQUEST,
                json!({"email": "", "name": "", "role": "contributor"}),
                errors,
                None,
            )
            .await
        }
    }
}
