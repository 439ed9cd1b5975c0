//! `POST /newsroom/articles/{id}/corrections`: a public correction, update or
//! clarification note on a published article, from the editor's corrections form. The
//! content service checks the right (`add_correction`) and the status; a refused note
//! is shown again as typed with its message.

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
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let text = field("correction_text");
    match state
        .content
        .add_correction(&editor.user, id, field("correction_kind"), text)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/newsroom/articles/{}#corrections", id.0)).into_response())
        }
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            refused_beside_the_article(&state, &lang, &editor, id, field_errors(e)?, Some(text))
                .await
        }
        Err(e) => Err(e.into()),
    }
}
