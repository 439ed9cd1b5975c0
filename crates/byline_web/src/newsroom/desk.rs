//! Working together: `POST /newsroom/articles/{id}/assign` (editors assign a writer and
//! an editor), `POST /newsroom/articles/{id}/presence` (the editor page's script says
//! "I am here" every few seconds and learns who else is), and the notification list
//! `/newsroom/notifications` (opening it marks what it shows read).

use super::articles::{article_id, refused_beside_the_article};
use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::ContentError;
use byline_core::UserId;
use serde::Serialize;
use std::collections::HashMap;

/// An account chosen in the assignment form: empty is nobody; anything but a number
/// names no one (a field message, like an unknown account).
fn chosen_user(
    fields: &HashMap<String, String>,
    name: &'static str,
) -> Result<Option<UserId>, ContentError> {
    match fields.get(name).map(|v| v.trim()).unwrap_or("") {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(|id| Some(UserId(id)))
            .map_err(|_| ContentError::invalid(name, "choose an active account from the list")),
    }
}

pub async fn assign(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = article_id(&id)?;
    let result = match (
        chosen_user(&fields, "writer"),
        chosen_user(&fields, "editor"),
    ) {
        (Ok(writer), Ok(desk)) => state.content.assign(&editor.user, id, writer, desk).await,
        (Err(e), _) | (_, Err(e)) => {
            // A malformed choice says so only to someone who may assign.
            state.content.assign_allowed(&editor.user, id).await?;
            Err(e)
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/newsroom/articles/{}#desk", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            let errors = page::field_errors(e)?
                .into_keys()
                .map(|field| (field, "newsroom-desk-error-person".to_owned()))
                .collect();
            refused_beside_the_article(&state, &lang, &editor, id, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Here {
    /// The others who have the article open, by name.
    others: Vec<String>,
}

/// `POST /newsroom/articles/{id}/presence` (CSRF token in the `X-CSRF-Token` header).
pub async fn presence(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = article_id(&id)?;
    let others = state.content.presence(&editor.user, id).await?;
    let mut r = Json(Here {
        others: others.into_iter().map(|p| p.name).collect(),
    })
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

#[derive(Serialize)]
struct NoticeRow {
    kind: &'static str,
    href: String,
    title: String,
    actor: String,
    at: String,
    unread: bool,
}

#[derive(Serialize)]
struct NotificationsView {
    notices: Vec<NoticeRow>,
}

/// `GET /newsroom/notifications`: newest first; what it shows is then marked read (the
/// count in the menu goes).
pub async fn notifications(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let notices = state.content.notifications(&editor.user).await?;
    if let Some(newest) = notices.newest {
        state
            .content
            .mark_notifications_read(&editor.user, newest)
            .await?;
    }
    editor.unread = 0;
    let notices = notices
        .shown
        .into_iter()
        .map(|n| NoticeRow {
            kind: n.kind.as_str(),
            href: format!("/newsroom/articles/{}", n.article.0),
            title: n.article_title,
            actor: n.actor_name,
            at: state.content.site_time(n.at).replace('T', " "),
            unread: !n.read,
        })
        .collect();
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/notifications.html",
        NotificationsView { notices },
    )
}
