//! Redirects in the newsroom (admins, `manage_settings`): the old addresses an import
//! left and those admins add, a page at a time with a filter (an import can leave
//! hundreds of thousands), an add form and a remove button per row.

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::RedirectOrigin;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows per page of the list.
const PER_PAGE: i64 = 100;

#[derive(Serialize)]
struct RedirectRow {
    path: String,
    target: String,
    origin: &'static str,
}

/// `redirects.html`'s own members.
#[derive(Serialize)]
struct RedirectsView {
    rows: Vec<RedirectRow>,
    /// The filter in force (`q`).
    q: String,
    /// The next page's link, when there is one.
    next_url: Option<String>,
    /// The add form's values after a refusal.
    from: String,
    to: String,
    errors: FieldErrors,
    /// `added` / `removed`, after a change.
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    path: String,
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    let done = if query.contains_key("added") {
        Some("added")
    } else if query.contains_key("removed") {
        Some("removed")
    } else {
        None
    };
    page_of(
        &state,
        &headers,
        &editor,
        StatusCode::OK,
        &get("q"),
        &get("after"),
        (String::new(), String::new()),
        FieldErrors::new(),
        done,
    )
    .await
}

pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    match state
        .content
        .add_redirect(&editor.user, &form.from, &form.to)
        .await
    {
        Ok(path) => Ok(Redirect::to(&format!(
            "/newsroom/redirects?added=1&q={}",
            crate::site::urls::q(&path)
        ))
        .into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            page_of(
                &state,
                &headers,
                &editor,
                StatusCode::BAD_REQUEST,
                "",
                "",
                (form.from, form.to),
                errors,
                None,
            )
            .await
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    editor: Editor,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    state
        .content
        .remove_redirect(&editor.user, &form.path)
        .await?;
    Ok(Redirect::to("/newsroom/redirects?removed=1").into_response())
}

#[allow(clippy::too_many_arguments)] // one page, told apart by its parts
async fn page_of(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    status: StatusCode,
    q: &str,
    after: &str,
    typed: (String, String),
    errors: FieldErrors,
    done: Option<&'static str>,
) -> Result<Response, WebError> {
    let lang = page::lang(state, headers);
    // One more than a page tells whether there is a next one.
    let mut found = state
        .content
        .newsroom_redirects(&editor.user, q, after, PER_PAGE + 1)
        .await?;
    let more = found.len() as i64 > PER_PAGE;
    found.truncate(PER_PAGE as usize);
    let next_url = match found.last() {
        Some(last) if more => Some(format!(
            "/newsroom/redirects?q={}&after={}",
            crate::site::urls::q(q),
            crate::site::urls::q(&last.path)
        )),
        _ => None,
    };
    let rows = found
        .into_iter()
        .map(|r| RedirectRow {
            path: r.path,
            target: r.target,
            origin: match r.origin {
                RedirectOrigin::Admin => "admin",
                RedirectOrigin::Import => "import",
            },
        })
        .collect();
    page::render(
        state,
        &lang,
        Some(editor),
        status,
        "newsroom/redirects.html",
        RedirectsView {
            rows,
            q: q.to_owned(),
            next_url,
            from: typed.0,
            to: typed.1,
            errors: page::in_language(state, &lang, errors),
            done,
        },
    )
}
