//! Uploading pictures from the editor (button, drag-and-drop, paste): the media
//! library's upload handler behind the newsroom's login and CSRF check.
//!
//! Mounted outside the app-wide request body limit (`max_body_bytes`, small, for
//! forms): a picture may be up to `media_max_bytes`, which the handler enforces on the
//! declared length and while the file streams in, answering 413 with a clear message.

use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use byline_core::{Action, Ownership, allowed};

pub const UPLOAD_PATH: &str = "/newsroom/media";

/// `POST /newsroom/media`: a `multipart/form-data` body with `file` and optional
/// `alt`, `caption`, `credit`; the CSRF token in the `X-CSRF-Token` header. Anyone who
/// may write a draft may upload.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !allowed(editor.user.role, Action::CreateDraft, Ownership::Own) {
        return WebError::Forbidden.into_response();
    }
    crate::media::receive_upload(&state, Some(editor.user.id.0), &headers, multipart).await
}
