//! The media library over HTTP: its files at `/media/lib/<key>/<file>`, and the upload
//! handler the newsroom mounts behind its login.

use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::multipart::{Field, Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use byline_content::{ContentError, MediaMeta};
use byline_core::MediaItem;
use serde::Serialize;

/// Library files never change under their URL (the key is a hash of the upload).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Longest alt text, caption or credit field read from a form, in bytes.
const MAX_TEXT_FIELD: usize = 8 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/media/lib/{key}/{name}", get(library_file))
}

async fn library_file(
    State(state): State<AppState>,
    Path((key, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !byline_media::is_valid_key(&key) || !byline_media::is_valid_file_name(&name) {
        return WebError::NotFound.into_response();
    }
    let etag = format!("\"{key}-{name}\"");
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let file = match state.content.media_file(&key, &name).await {
        Ok(Some(file)) => file,
        Ok(None) => return WebError::NotFound.into_response(),
        Err(e) => return WebError::from(e).into_response(),
    };
    let mut response = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(file.mime))],
            file.data,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex and digits only"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// What an upload answers.
#[derive(Debug, Serialize)]
pub struct Uploaded {
    pub id: i64,
    /// The `src` for an `<img>` (the widest variant).
    pub url: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    /// How to refer to it in an article body.
    pub markdown: String,
}

impl Uploaded {
    pub(crate) fn of(item: &MediaItem) -> Self {
        Self {
            id: item.id.0,
            url: item.src(),
            srcset: item.srcset(),
            width: item.width,
            height: item.height,
            markdown: format!("![{}](media:{})", item.alt.replace(['[', ']'], ""), item.id),
        }
    }
}

/// A refused upload as an RFC 9457 problem: `{type, title, status, detail, field}`.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub detail: String,
    pub field: Option<&'static str>,
}

impl Problem {
    pub(crate) fn new(
        status: StatusCode,
        field: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            detail: detail.into(),
            field,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
            "field": self.field,
        });
        let mut response = (
            self.status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/problem+json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body.to_string(),
        )
            .into_response();
        response.extensions_mut().insert(Finished);
        response
    }
}

impl From<ContentError> for Problem {
    fn from(e: ContentError) -> Self {
        match e {
            ContentError::Invalid { field, message } => {
                Problem::new(StatusCode::BAD_REQUEST, Some(field), message)
            }
            ContentError::NotFound => Problem::new(StatusCode::NOT_FOUND, None, "not found"),
            ContentError::Conflict(m) => Problem::new(StatusCode::CONFLICT, None, m),
            ContentError::Deleted => Problem::new(
                StatusCode::GONE,
                None,
                "the article was deleted; an admin can restore it",
            ),
            ContentError::TakenDown => {
                Problem::new(StatusCode::GONE, None, "this article was removed")
            }
            ContentError::Forbidden => {
                Problem::new(StatusCode::FORBIDDEN, None, "your role may not do this")
            }
            ContentError::WrongCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                None,
                "sign in to the newsroom first",
            ),
            ContentError::Unavailable(_) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                "media storage is unavailable; try again in a moment",
            ),
            ContentError::Throttled { .. } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                None,
                "too many uploads at once; try again in a moment",
            ),
            ContentError::Internal(e) => {
                tracing::error!(error = %e, "upload failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    None,
                    "the upload failed on our side",
                )
            }
        }
    }
}

/// `POST` of a `multipart/form-data` body with a `file` part and optional `alt`,
/// `caption` and `credit` parts. The caller authorizes (the newsroom mounts it behind
/// its login and CSRF check): this route does neither.
///
/// The request body limit is lifted for this route: the size limit is
/// `media_max_bytes`, checked against the declared length and again while the file
/// streams in, so an oversized upload is refused with a clear 413 without being
/// buffered. A `RequestBodyLimitLayer` wrapping the whole app (`max_body_bytes`) still
/// applies if the route is merged inside it: the newsroom mounts it outside.
pub fn upload_route() -> MethodRouter<AppState> {
    post(upload).layer(DefaultBodyLimit::disable())
}

/// The upload handler (see [`upload_route`]).
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    receive_upload(&state, None, &headers, multipart).await
}

/// Reads an upload and answers it: 201 with [`Uploaded`], or a [`Problem`]. A body
/// whose declared length is already over the limit is refused before it is read.
pub(crate) async fn receive_upload(
    state: &AppState,
    uploaded_by: Option<i64>,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let max_file = state.content.options().media_limits.max_bytes;
    let multipart = match open_upload(headers, multipart, max_file) {
        Ok(m) => m,
        Err(problem) => return problem.into_response(),
    };
    match receive(state, uploaded_by, multipart).await {
        Ok(item) => (
            StatusCode::CREATED,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Json(Uploaded::of(&item)),
        )
            .into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// The first step of every multipart upload (pictures, exports): a body whose declared
/// length is already over `max_file` is refused before it is read, and a body that is
/// not multipart at all is a problem like any other, not axum's plain text.
pub(crate) fn open_upload(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    max_file: u64,
) -> Result<Multipart, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_file + MULTIPART_SLACK) {
        return Err(too_large(max_file, "file"));
    }
    multipart.map_err(|e| {
        Problem::new(
            e.status(),
            None,
            format!("the upload could not be read: {}", e.body_text()),
        )
    })
}

/// Room for the multipart framing and the text fields around the file.
const MULTIPART_SLACK: u64 = 64 * 1024;

pub(crate) fn too_large(max: u64, name: &'static str) -> Problem {
    let detail = if name == "file" {
        let size = if max >= 1024 * 1024 {
            format!("{} MB", max / (1024 * 1024))
        } else {
            format!("{} KB", max.div_ceil(1024))
        };
        format!("the file is larger than {size}, the largest accepted")
    } else {
        format!("{name} is longer than {max} bytes")
    };
    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, Some(name), detail)
}

pub(crate) async fn receive(
    state: &AppState,
    uploaded_by: Option<i64>,
    mut multipart: Multipart,
) -> Result<MediaItem, Problem> {
    let max_file = state.content.options().media_limits.max_bytes;
    let mut file: Option<(Vec<u8>, String)> = None;
    let mut meta = MediaMeta {
        uploaded_by,
        ..MediaMeta::default()
    };
    while let Some(field) = multipart.next_field().await.map_err(multipart_problem)? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = read_limited(field, max_file, "file").await?;
                file = Some((bytes, name));
            }
            "alt" => meta.alt = read_text(field, "alt").await?,
            "caption" => meta.caption = read_text(field, "caption").await?,
            "credit" => meta.credit = read_text(field, "credit").await?,
            // Other parts (a CSRF token the newsroom checked) are skipped, unread.
            _ => {}
        }
    }
    let Some((bytes, name)) = file else {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            Some("file"),
            "choose a picture to upload (the form has no file)",
        ));
    };
    Ok(state.content.upload_media(bytes, &name, meta).await?)
}

/// Reads a part, refusing it as soon as it passes `max` bytes.
async fn read_limited(
    mut field: Field<'_>,
    max: u64,
    name: &'static str,
) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_problem)? {
        if (out.len() + chunk.len()) as u64 > max {
            return Err(too_large(max, name));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

pub(crate) async fn read_text(field: Field<'_>, name: &'static str) -> Result<String, Problem> {
    let bytes = read_limited(field, MAX_TEXT_FIELD as u64, name).await?;
    String::from_utf8(bytes)
        .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, Some(name), "is not UTF-8 text"))
}

pub(crate) fn multipart_problem(e: MultipartError) -> Problem {
    Problem::new(
        e.status(),
        None,
        format!("the upload could not be read: {}", e.body_text()),
    )
}
