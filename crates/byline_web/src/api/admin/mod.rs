//! The Admin API (write, for integrations): articles (create with an idempotency key,
//! update, schedule, publish, unpublish; correction notes, takedown, reinstatement), sections and tags, static pages, pictures. A token acts as
//! its user: every call goes through the same content-service methods as the newsroom,
//! so the permission matrix (`byline_core::roles`) applies unchanged. No operation takes
//! query parameters ([`NoParams`](crate::api::params::NoParams)); what they write comes
//! as a JSON body ([`JsonBody`]) or a multipart form (pictures).

pub mod alerts;
pub mod articles;
pub mod live;
pub mod media;
pub mod news_desk;
pub mod pages;
pub mod terms;

use crate::api::problem::{Kind, Problem};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A JSON body, refused as problem+json: 415 without `Content-Type: application/json`,
/// 400 with line and column for invalid JSON, 400 naming unknown members.
pub struct JsonBody<T> {
    pub value: T,
    pub bytes: Bytes,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(Problem::new(
                Kind::UnsupportedMediaType,
                "send the body as Content-Type: application/json".to_owned(),
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    Kind::PayloadTooLarge,
                    "the body is over the size limit".to_owned(),
                )
            } else {
                Problem::new(Kind::BadRequest, e.body_text())
            }
        })?;
        let value = serde_json::from_slice(&bytes).map_err(|e| json_problem(&e))?;
        Ok(Self { value, bytes })
    }
}

/// What serde_json says, as a problem with the position.
fn json_problem(e: &serde_json::Error) -> Problem {
    let message = e.to_string();
    let at = format!("line {} column {}", e.line(), e.column());
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        return Problem::new(Kind::UnknownField, message.clone()).naming(vec![name.to_owned()]);
    }
    let detail = if message.contains(" at line ") {
        message
    } else {
        format!("{message} at {at}")
    };
    Problem::new(Kind::InvalidJson, detail)
}

/// A JSON answer that no cache keeps.
pub(super) fn json_response(status: StatusCode, value: &impl Serialize) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        axum::Json(value),
    )
        .into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}
