//! One error type for the web fronts and the one place errors become pages.
//!
//! Handlers return `WebError`; its `IntoResponse` sets the status and attaches an
//! [`ErrorPage`] marker. The `render_error_pages` middleware (which has the state the
//! theme needs) turns every error response — including the router's own 404/405 and
//! the body limit's 413 — into a localized page in the site's look.

use crate::site::view;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use byline_content::ContentError;
use byline_render::RenderError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    /// A malformed `page` parameter (its message is localized on the page).
    #[error("bad page number: {0}")]
    BadPage(String),
    /// Input that breaks a rule the reader can fix; `key` names the Fluent message.
    #[error("{detail}")]
    BadInput { key: &'static str, detail: String },
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The same failure seen by every request that waited on one shared render.
    #[error(transparent)]
    Shared(std::sync::Arc<WebError>),
    #[error(transparent)]
    Syndication(crate::syndication::SyndicationError),
    /// The signed-in account may not do this (newsroom). No detail: a refused user
    /// learns nothing about what they asked for.
    #[error("forbidden")]
    Forbidden,
    /// No valid session (newsroom): pages redirect to the login form.
    #[error("not signed in")]
    Unauthorized,
    /// A state-changing request without the right CSRF token.
    #[error("the form's security token is missing or stale")]
    Csrf,
}

/// Marker on an error response: the status and, for 4xx, a message for the reader.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub detail: Option<String>,
    /// A Fluent key for the message, preferred over `detail` (which is English).
    pub message_key: Option<&'static str>,
}

/// Marks responses that already are finished pages (error pages, JSON answers).
#[derive(Debug, Clone, Copy)]
pub struct Finished;

impl WebError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status_and_detail().0
    }

    fn status_and_detail(&self) -> (StatusCode, Option<String>, Option<&'static str>) {
        let message_key = match self {
            WebError::BadPage(_) => Some("error-bad-page"),
            WebError::BadInput { key, .. } => Some(*key),
            WebError::Csrf => Some("error-csrf"),
            WebError::Content(ContentError::Deleted) => Some("error-deleted"),
            WebError::Content(ContentError::TakenDown) => Some("error-taken-down"),
            _ => None,
        };
        let (status, detail) = match self {
            WebError::Shared(inner) => return inner.status_and_detail(),
            WebError::NotFound | WebError::Content(ContentError::NotFound) => {
                (StatusCode::NOT_FOUND, None)
            }
            WebError::BadRequest(m)
            | WebError::BadPage(m)
            | WebError::BadInput { detail: m, .. } => (StatusCode::BAD_REQUEST, Some(m.clone())),
            WebError::Content(ContentError::Invalid { .. }) => {
                (StatusCode::BAD_REQUEST, Some(self.to_string()))
            }
            WebError::Content(ContentError::Conflict(m)) => (StatusCode::CONFLICT, Some(m.clone())),
            WebError::Content(ContentError::Deleted | ContentError::TakenDown) => {
                (StatusCode::GONE, Some(self.to_string()))
            }
            WebError::Forbidden | WebError::Content(ContentError::Forbidden) => {
                (StatusCode::FORBIDDEN, None)
            }
            WebError::Csrf => (StatusCode::FORBIDDEN, Some(self.to_string())),
            WebError::Unauthorized | WebError::Content(ContentError::WrongCredentials) => {
                (StatusCode::UNAUTHORIZED, None)
            }
            WebError::Content(ContentError::Unavailable(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, None)
            }
            WebError::Content(ContentError::Throttled { .. }) => {
                (StatusCode::TOO_MANY_REQUESTS, Some(self.to_string()))
            }
            WebError::Content(ContentError::Internal(_))
            | WebError::Render(_)
            | WebError::Syndication(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        (status, detail, message_key)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if matches!(self, WebError::Unauthorized) {
            // Pages answer a missing or ended session with the login form.
            return crate::newsroom::to_login();
        }
        let (status, detail, message_key) = self.status_and_detail();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if let WebError::Content(ContentError::Throttled { retry_after }) = &self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
        }
        response.extensions_mut().insert(ErrorPage {
            detail,
            message_key,
        });
        response
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// Replaces the body of every error response by the localized error page.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let first_segment = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned();
    let old_address = (matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ))
    .then(|| {
        (
            request.uri().path().to_owned(),
            request.uri().query().map(str::to_owned),
        )
    });
    // The newsroom speaks its editor's language (the browser's choice among the
    // editions), the reader site the language of the edition in its address.
    let newsroom_lang = (first_segment == "newsroom")
        .then(|| crate::newsroom::page::lang(&state, request.headers()));
    let response = next.run(request).await;
    let status = response.status();
    if status == StatusCode::NOT_FOUND
        && !matches!(
            first_segment.as_str(),
            "api" | "ghost" | "newsroom" | "media"
        )
        && let Some((path, query)) = old_address
        && let Some(moved) = crate::site::redirects::moved(&state, &path, query.as_deref()).await
    {
        return moved;
    }
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Finished>().is_some()
    {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    if is_json {
        return response;
    }
    if first_segment == "ghost" {
        return crate::ghost::GhostError::for_status(status).into_response();
    }
    if first_segment == "api" {
        // The API answers every error as problem+json (the router's 404 and 405, the
        // body limit's 413, the view beacon's 404 included).
        let detail = response
            .extensions()
            .get::<ErrorPage>()
            .and_then(|e| e.detail.clone());
        let kind = crate::api::problem::Kind::from_status(status);
        let mut problem = crate::api::problem::Problem::new(kind, detail);
        if let Some(seconds) = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.parse().ok())
        {
            problem = problem.retry_after(seconds);
        }
        return problem.into_response();
    }
    let catalog = state.content.catalog();
    let lang = if let Some(lang) = newsroom_lang.filter(|l| catalog.settings.has_edition(l)) {
        lang
    } else if catalog.settings.has_edition(&first_segment) {
        first_segment
    } else {
        catalog.settings.default_edition().to_owned()
    };
    let marker = response.extensions().get::<ErrorPage>();
    let detail = marker.and_then(|e| match e.message_key {
        Some(key) if state.theme.strings().has(&lang, key) => Some(state.theme.t(&lang, key)),
        _ => e.detail.clone(),
    });
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let mut page = match view::error_page(&state, &lang, status, detail) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page failed");
            (
                status,
                Body::from(status.canonical_reason().unwrap_or("Error")),
            )
                .into_response()
        }
    };
    page.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(v) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, v);
    }
    page.extensions_mut().insert(Finished);
    page
}

/// What a panicking handler answers: a plain 500, which `render_error_pages` turns into
/// the page; the panic's message goes to the log, never to the reader.
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_content::{Content, ContentOptions};
    use std::sync::Arc;

    /// An empty outlet's web state on a temporary SQLite file (kept alive by the dir).
    async fn empty_outlet() -> (AppState, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = byline_store::SqliteStore::open(&dir.path().join("b.db"))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let content = Content::start(Arc::new(store), ContentOptions::default())
            .await
            .unwrap();
        let theme = Arc::new(byline_render::Theme::load(None).unwrap());
        let state = AppState::new(
            content,
            theme,
            crate::WebConfig::for_tests(dir.path().into()),
        );
        (state, dir)
    }

    /// A handler that panics (a bug) still answers: the localized 500 page on the site,
    /// problem+json on the API; the panic's message reaches the log only.
    #[tokio::test]
    async fn a_panicking_handler_answers_the_500_page_not_a_dropped_connection() {
        use axum::routing::get;
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let (state, _dir) = empty_outlet().await;
        let boom = || async {
            panic!("secret internal detail");
            #[allow(unreachable_code)]
            ()
        };
        let app = crate::app_with(
            state.clone(),
            axum::Router::new()
                .route("/ru/boom", get(boom))
                .route("/api/v1/boom", get(boom)),
        );
        let get_body = |path: &'static str| {
            let app = app.clone();
            async move {
                let r = app
                    .oneshot(Request::get(path).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                let status = r.status();
                let ct = r.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let body = r.into_body().collect().await.unwrap().to_bytes();
                (status, ct, String::from_utf8_lossy(&body).into_owned())
            }
        };
        let (status, ct, page) = get_body("/ru/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(ct.starts_with("text/html"), "{ct}");
        assert!(page.contains("<html lang=\"ru\""), "{page}");
        assert!(page.contains(&state.theme.t("ru", "error-500-heading")));
        assert!(!page.contains("secret internal detail"));
        let (status, ct, problem) = get_body("/api/v1/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(ct, "application/problem+json");
        assert!(!problem.contains("secret internal detail"), "{problem}");
    }

    #[tokio::test]
    async fn the_500_page_is_localized_and_in_the_sites_look() {
        let (state, _dir) = empty_outlet().await;
        let ru = view::error_page(&state, "ru", StatusCode::INTERNAL_SERVER_ERROR, None).unwrap();
        assert!(ru.contains("<html lang=\"ru\""));
        assert!(ru.contains("500"));
        assert!(ru.contains(&state.theme.t("ru", "error-500-heading")));
        assert_ne!(
            state.theme.t("ru", "error-500-heading"),
            state.theme.t("en", "error-500-heading")
        );
        let hy = view::error_page(&state, "hy", StatusCode::INTERNAL_SERVER_ERROR, None).unwrap();
        assert!(hy.contains(&state.theme.t("hy", "error-500-message")));
    }
}
