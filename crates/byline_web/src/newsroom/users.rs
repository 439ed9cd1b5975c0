//! Accounts (admins only): list, add, change role, disable or enable.

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::UserInput;
use byline_core::{Role, UserId};
use serde::{Deserialize, Serialize};

fn roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

/// The add-an-account form's values: empty, or what was typed.
#[derive(Serialize)]
struct AccountForm {
    email: String,
    name: String,
    role: String,
}

impl AccountForm {
    fn empty() -> Self {
        AccountForm {
            email: String::new(),
            name: String::new(),
            role: Role::Contributor.as_str().to_owned(),
        }
    }
}

/// An account just added, with the password made for it (shown this once).
#[derive(Serialize)]
struct CreatedAccount {
    email: String,
    password: Option<String>,
}

/// An account in the list.
#[derive(Serialize)]
struct AccountRow<'a> {
    id: i64,
    email: &'a str,
    name: &'a str,
    role: &'static str,
    disabled: bool,
    /// The signed-in admin's own account.
    me: bool,
}

/// `users.html`'s own members.
#[derive(Serialize)]
struct UsersView<'a> {
    users: Vec<AccountRow<'a>>,
    roles: Vec<&'static str>,
    form: AccountForm,
    errors: FieldErrors,
    created: Option<CreatedAccount>,
}

async fn users_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    form: AccountForm,
    errors: FieldErrors,
    created: Option<CreatedAccount>,
) -> Result<Response, WebError> {
    let users = state.content.users(&editor.user).await?;
    let rows = users
        .iter()
        .map(|u| AccountRow {
            id: u.id.0,
            email: &u.email,
            name: &u.display_name,
            role: u.role.as_str(),
            disabled: u.disabled,
            me: u.id == editor.user.id,
        })
        .collect();
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/users.html",
        UsersView {
            users: rows,
            roles: roles(),
            form,
            errors: page::in_language(state, lang, errors),
            created,
        },
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
        AccountForm::empty(),
        FieldErrors::new(),
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
    let typed = || AccountForm {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
    };
    let role = match form.role.parse::<Role>() {
        Ok(r) => r,
        Err(e) => {
            // Check the right first: a refused user learns nothing from the form.
            state.content.users(&editor.user).await?;
            let errors = FieldErrors::from([("role".to_owned(), e.to_string())]);
            return users_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                typed(),
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
            let created = CreatedAccount {
                email: form.email.trim().to_owned(),
                password: created.generated_password,
            };
            users_page(
                &state,
                &lang,
                &editor,
                StatusCode::OK,
                AccountForm::empty(),
                FieldErrors::new(),
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
                typed(),
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
                AccountForm::empty(),
                errors,
                None,
            )
            .await
        }
    }
}
