//! Uploading pictures (button, drag-and-drop, paste in the editor and the library; a
//! plain form in the library without a script): the media library's upload handler
//! behind the newsroom's login and CSRF check.
//!
//! Mounted outside the app-wide request body limit (`max_body_bytes`, small, for
//! forms): a picture may be up to `media_max_bytes`, which the handler enforces on the
//! declared length and while the file streams in, answering 413 with a clear message.

use super::media_library::{self, LibraryParams};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use byline_core::{Action, Ownership, allowed};
use serde::Deserialize;

pub const UPLOAD_PATH: &str = "/newsroom/media";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadQuery {
    /// `1`: the library's form without a script, which wants a page back (the
    /// picture's page, or the library with the refusal), not JSON.
    form: String,
}

/// `POST /newsroom/media`: a `multipart/form-data` body with `file` and optional
/// `alt`, `caption`, `credit`; the CSRF token in the `X-CSRF-Token` header (scripts) or
/// an hour's upload token in the `csrf` query parameter (the form without a script: a
/// browser cannot set the header, and the guard never buffers an upload to read a
/// field). Anyone who may write
/// a draft may upload.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(query): Query<UploadQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !allowed(editor.user.role, Action::CreateDraft, Ownership::Own) {
        return WebError::Forbidden.into_response();
    }
    if query.form != "1" {
        return crate::media::receive_upload(&state, Some(editor.user.id.0), &headers, multipart)
            .await;
    }
    let max_file = state.content.options().media_limits.max_bytes;
    let received = match crate::media::open_upload(&headers, multipart, max_file) {
        Ok(multipart) => crate::media::receive(&state, Some(editor.user.id.0), multipart).await,
        Err(problem) => Err(problem),
    };
    match received {
        Ok(item) => Redirect::to(&format!("/newsroom/media/{}", item.id)).into_response(),
        Err(problem) => {
            // In the newsroom's language for the refusals a person can act on.
            let lang = super::page::lang(&state, &headers);
            let key = match (problem.status.as_u16(), problem.field) {
                (413, _) => Some("newsroom-upload-too-big"),
                (400, Some("file")) => Some("newsroom-upload-not-picture"),
                _ => None,
            };
            let text = match key {
                Some(key) => state.theme.strings().get(&lang, key, None),
                None => problem.detail,
            };
            let refusal = Some((problem.status, text));
            media_library::render_library(
                &state,
                &headers,
                &editor,
                &LibraryParams::default(),
                refusal,
            )
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }
    }
}
