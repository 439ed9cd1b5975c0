//! RFC 9457 problem details: every error under `/api/` is `application/problem+json`
//! with a stable `type` per kind of error (a page at that path explains it).

use crate::error::{Finished, WebError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::ContentError;
use serde::Serialize;
use utoipa::ToSchema;

/// The kinds of error the API reports; each has a stable `type` URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    UnknownParameter,
    UnknownField,
    BadCursor,
    InvalidJson,
    UnsupportedMediaType,
    Unauthorized,
    Forbidden,
    NotFound,
    /// Was here and was removed (a taken-down article): clients drop their copy.
    Gone,
    MethodNotAllowed,
    Conflict,
    IdempotencyKeyReused,
    PayloadTooLarge,
    RateLimited,
    Unavailable,
    Internal,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::BadRequest,
        Kind::UnknownParameter,
        Kind::UnknownField,
        Kind::BadCursor,
        Kind::InvalidJson,
        Kind::UnsupportedMediaType,
        Kind::Unauthorized,
        Kind::Forbidden,
        Kind::NotFound,
        Kind::Gone,
        Kind::MethodNotAllowed,
        Kind::Conflict,
        Kind::IdempotencyKeyReused,
        Kind::PayloadTooLarge,
        Kind::RateLimited,
        Kind::Unavailable,
        Kind::Internal,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad-request",
            Kind::UnknownParameter => "unknown-parameter",
            Kind::UnknownField => "unknown-field",
            Kind::BadCursor => "bad-cursor",
            Kind::InvalidJson => "invalid-json",
            Kind::UnsupportedMediaType => "unsupported-media-type",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::NotFound => "not-found",
            Kind::Gone => "gone",
            Kind::MethodNotAllowed => "method-not-allowed",
            Kind::Conflict => "conflict",
            Kind::IdempotencyKeyReused => "idempotency-key-reused",
            Kind::PayloadTooLarge => "payload-too-large",
            Kind::RateLimited => "rate-limited",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest
            | Kind::UnknownParameter
            | Kind::UnknownField
            | Kind::BadCursor
            | Kind::InvalidJson => StatusCode::BAD_REQUEST,
            Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::Gone => StatusCode::GONE,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::Conflict => StatusCode::CONFLICT,
            Kind::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::BadRequest => "The request breaks a rule",
            Kind::UnknownParameter => "Unknown query parameter",
            Kind::UnknownField => "Unknown field",
            Kind::BadCursor => "Malformed cursor",
            Kind::InvalidJson => "The body is not valid JSON for this operation",
            Kind::UnsupportedMediaType => "The body must be application/json",
            Kind::Unauthorized => "Missing, unknown or revoked key or token",
            Kind::Forbidden => "The account's role does not allow this",
            Kind::NotFound => "Not found",
            Kind::Gone => "Removed for good",
            Kind::MethodNotAllowed => "Method not allowed",
            Kind::Conflict => "Conflict with the current state",
            Kind::IdempotencyKeyReused => "Idempotency key used with another request",
            Kind::PayloadTooLarge => "The body is too large",
            Kind::RateLimited => "Too many requests for this key",
            Kind::Unavailable => "Temporarily unavailable",
            Kind::Internal => "Internal error",
        }
    }

    pub fn type_uri(self) -> String {
        format!("/api/v1/problems/{}", self.slug())
    }

    pub fn from_status(status: StatusCode) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.status() == status)
            .unwrap_or(if status.is_server_error() {
                Kind::Internal
            } else {
                Kind::BadRequest
            })
    }
}

/// An RFC 9457 problem: the kind and what the client should know. Small, so that
/// `Result<_, Problem>` stays cheap; serialized as [`ProblemBody`].
#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: Kind,
    pub detail: Option<String>,
    /// The query parameters or fields the error is about.
    pub names: Vec<String>,
    /// Seconds to wait before retrying (429 and 503).
    pub retry_after: Option<u64>,
}

/// The refusals every Content API endpoint may answer, for `utoipa::path`'s `responses`
/// (one list instead of the same two lines on each endpoint).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // a description of responses, never built
pub enum KeyRefusals {
    #[response(
        status = 401,
        description = "Missing or revoked key",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemBody),
    #[response(
        status = 429,
        description = "Rate limit",
        content_type = "application/problem+json"
    )]
    RateLimited(ProblemBody),
}

/// The refusals every Admin API endpoint may answer (as [`KeyRefusals`], for tokens).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // a description of responses, never built
pub enum TokenRefusals {
    #[response(
        status = 401,
        description = "Missing or revoked token",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemBody),
    #[response(
        status = 429,
        description = "Rate limit",
        content_type = "application/problem+json"
    )]
    RateLimited(ProblemBody),
}

/// An RFC 9457 problem details object, as sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// A stable URI (relative to the API's host) naming the kind of error.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The query parameters or fields the error is about.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Seconds to wait before retrying (429 and 503).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The detail again, for clients of the first API version (`{"error": …}`).
    pub error: String,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ProblemBody {
            type_uri: self.kind.type_uri(),
            title: self.kind.title().to_owned(),
            status: self.kind.status().as_u16(),
            detail: self.detail.clone(),
            names: self.names.clone(),
            retry_after: self.retry_after,
            error: self
                .detail
                .clone()
                .unwrap_or_else(|| self.kind.title().to_lowercase()),
        }
        .serialize(serializer)
    }
}

impl utoipa::PartialSchema for Problem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        ProblemBody::schema()
    }
}

impl ToSchema for Problem {
    fn name() -> std::borrow::Cow<'static, str> {
        "Problem".into()
    }
}

impl Problem {
    pub fn new(kind: Kind, detail: impl Into<Option<String>>) -> Self {
        Self {
            kind,
            detail: detail.into(),
            names: Vec::new(),
            retry_after: None,
        }
    }

    pub fn naming(mut self, names: Vec<String>) -> Self {
        self.names = names;
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/problem+json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(Finished);
        response
    }
}

impl From<WebError> for Problem {
    fn from(e: WebError) -> Self {
        let status = e.status();
        let kind = Kind::from_status(status);
        let detail = match kind {
            Kind::Internal => {
                tracing::error!(error = %e, "API request failed");
                None
            }
            Kind::NotFound | Kind::Forbidden | Kind::Unauthorized | Kind::Unavailable => None,
            _ => Some(e.to_string()),
        };
        let problem = Problem::new(kind, detail);
        if kind == Kind::Unavailable {
            problem.retry_after(5)
        } else {
            problem
        }
    }
}

impl From<ContentError> for Problem {
    fn from(e: ContentError) -> Self {
        let field = match &e {
            ContentError::Invalid { field, .. } => Some((*field).to_owned()),
            _ => None,
        };
        let problem = Problem::from(WebError::from(e));
        match field {
            Some(field) => problem.naming(vec![field]),
            None => problem,
        }
    }
}

/// A 400 naming the unknown query parameters.
pub fn unknown_parameters(names: Vec<String>, known: &[&str]) -> Problem {
    Problem::new(
        Kind::UnknownParameter,
        format!(
            "unknown query parameter{} {}; this operation takes {}",
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ),
    )
    .naming(names)
}

/// `GET /api/v1/problems/{slug}`: what a problem type means.
pub async fn explain(
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> Result<Response, Problem> {
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.slug() == slug)
        .ok_or_else(|| Problem::new(Kind::NotFound, None))?;
    let html = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title>\
         <h1>{title}</h1><p>HTTP status {status}. Problem type <code>{uri}</code>.</p>\
         <p><a href=\"/api/v1/docs\">API documentation</a></p></html>",
        title = kind.title(),
        status = kind.status().as_u16(),
        uri = kind.type_uri(),
    );
    let mut response = axum::response::Html(html).into_response();
    response.extensions_mut().insert(Finished);
    Ok(response)
}
