//! `POST /newsroom/articles/{id}/notes`: an internal note on an article, from the
//! editor's notes form. Rights are the article's (who may open it may note it); a
//! refused note is shown again as typed with its message.

use super::articles::{article_id, refused_beside_the_article};
use super::page::{self, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::ContentError;
use std::collections::HashMap;

pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = article_id(&id)?;
    let text = fields.get("note").map(String::as_str).unwrap_or("");
    match state.content.add_note(&editor.user, id, text).await {
        Ok(_) => Ok(Redirect::to(&format!("/newsroom/articles/{}#notes", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            refused_beside_the_article(&state, &lang, &editor, id, field_errors(e)?, Some(text))
                .await
        }
        Err(e) => Err(e.into()),
    }
}
