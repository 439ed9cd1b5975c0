//! Pictures through the Admin API: an upload to the media library.

use super::json_response;
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Kind, Problem, TokenRefusals};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use byline_content::ContentError;
use byline_core::{Action, Ownership, allowed};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A picture upload (`multipart/form-data`). Only describes the form for the OpenAPI
/// document; the handler reads the parts as they stream in.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct MediaUpload {
    /// JPEG, PNG, WebP or GIF, up to `max_body_bytes`.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// An uploaded picture.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MediaOut {
    pub id: i64,
    /// The `src` for an `<img>` (the widest variant).
    pub url: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    /// How an article body refers to it (Markdown).
    pub markdown: String,
}

/// Uploads a picture to the media library (metadata stripped, sizes made).
#[utoipa::path(
    post, path = "/api/v1/admin/media", tag = "admin",
    request_body(content = MediaUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = MediaOut),
        (status = 400, description = "Not a picture we take, or a bad form", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn upload_media(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    RawQuery(query): RawQuery,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    if !allowed(user.role, Action::CreateDraft, Ownership::Own) {
        return Err(ContentError::Forbidden.into());
    }
    let multipart = multipart.map_err(|e| {
        let kind = if e.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE
            || e.status() == StatusCode::BAD_REQUEST
        {
            Kind::UnsupportedMediaType
        } else {
            Kind::from_status(e.status())
        };
        Problem::new(kind, format!("send multipart/form-data: {}", e.body_text()))
    })?;
    let item = crate::media::receive(&state, Some(user.id.0), multipart)
        .await
        .map_err(|p| {
            let problem = Problem::new(Kind::from_status(p.status), p.detail);
            match p.field {
                Some(field) => problem.naming(vec![field.to_owned()]),
                None => problem,
            }
        })?;
    let up = crate::media::Uploaded::of(&item);
    Ok(json_response(
        StatusCode::CREATED,
        &MediaOut {
            id: up.id,
            url: state.absolute(&up.url),
            srcset: up.srcset,
            width: up.width,
            height: up.height,
            markdown: up.markdown,
        },
    ))
}
