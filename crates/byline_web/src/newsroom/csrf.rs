//! CSRF protection for every state-changing newsroom request.
//!
//! Signed-in forms carry a token bound to the session: the SHA-256 of a fixed label and
//! the session token. Only someone who can read the HttpOnly cookie could compute it,
//! and a page on another site can neither read the cookie nor our pages. The login
//! form has no session yet; it uses a double-submit token (a random value in a cookie
//! and in the form, which must match). A mismatch is a 403 with a clear message,
//! checked here once, before any handler, so no form can forget it.

use super::session::{self, SESSION_COOKIE};
use crate::error::WebError;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const LOGIN_COOKIE: &str = "byline_login_csrf";
pub const FIELD: &str = "csrf";
/// The header scripts send the token in (uploads and autosave post bodies the guard
/// should not buffer or parse). A page on another site cannot set a custom header on a
/// cross-origin request without a CORS preflight, which we never allow.
pub const HEADER: &str = "x-csrf-token";

pub fn for_session(token: &str) -> String {
    let digest = Sha256::digest(format!("byline-csrf\0{token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// How long the upload form's token in its address holds (an address may end up in a
/// log or the history).
const UPLOAD_TOKEN_SECS: i64 = 3600;

/// The token of the media library's upload form without a script, which can carry it
/// only in the form's address: bound to the session like the form token, good for
/// uploads only, and for an hour: `{expiry}.{sha256(label, expiry, session)}`.
pub fn for_upload(session_token: &str, now: i64) -> String {
    let expiry = now + UPLOAD_TOKEN_SECS;
    format!("{expiry}.{}", upload_mac(session_token, expiry))
}

fn upload_mac(session_token: &str, expiry: i64) -> String {
    let digest = Sha256::digest(format!("byline-upload\0{expiry}\0{session_token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn upload_token_holds(sent: &str, session_token: &str, now: i64) -> bool {
    let Some((expiry, mac)) = sent.split_once('.') else {
        return false;
    };
    let Ok(expiry) = expiry.parse::<i64>() else {
        return false;
    };
    expiry >= now
        && expiry <= now + UPLOAD_TOKEN_SECS
        && same(mac, &upload_mac(session_token, expiry))
}

/// Compares without an early exit, so timing does not reveal a matching prefix.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token a request must carry, from its cookies.
fn expected(request: &Request) -> Option<String> {
    let headers = request.headers();
    if request.uri().path() == "/newsroom/login" {
        return session::cookie(headers, LOGIN_COOKIE).filter(|t| session::well_formed(t));
    }
    session::cookie(headers, SESSION_COOKIE)
        .filter(|t| session::well_formed(t))
        .map(|t| for_session(&t))
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let Some(expected) = expected(&request) else {
        // No session at all: a signed-out POST goes to the login form (after it, the
        // user comes back with a fresh form), the login form itself needs its cookie.
        if request.uri().path() == "/newsroom/login" {
            return WebError::Csrf.into_response();
        }
        return super::to_login();
    };
    if let Some(sent) = request.headers().get(HEADER) {
        return match sent.to_str() {
            Ok(sent) if same(sent, &expected) => next.run(request).await,
            _ => refuse(request.uri().path()),
        };
    }
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if multipart {
        // Uploads carry the token in the header (scripts) or, the library's form without
        // a script, an upload token in the query; their bodies are never buffered here.
        let sent = request.uri().query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v)
        });
        let session = session::cookie(request.headers(), SESSION_COOKIE).unwrap_or_default();
        let now = jiff::Timestamp::now().as_second();
        let holds = request.uri().path() == super::media::UPLOAD_PATH
            && sent.is_some_and(|sent| upload_token_holds(&sent, &session, now));
        return if holds {
            next.run(request).await
        } else {
            refuse(request.uri().path())
        };
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, state.config.max_body_bytes).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v));
    match sent {
        Some(sent) if same(&sent, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(parts.uri.path()),
    }
}

fn refuse(path: &str) -> Response {
    tracing::info!(path, "refused a newsroom form without a valid CSRF token");
    WebError::Csrf.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_tokens_hold_for_their_session_and_an_hour() {
        let token = for_upload("session-a", 1_000);
        assert!(upload_token_holds(&token, "session-a", 1_000));
        assert!(upload_token_holds(
            &token,
            "session-a",
            1_000 + UPLOAD_TOKEN_SECS
        ));
        assert!(
            !upload_token_holds(&token, "session-a", 1_001 + UPLOAD_TOKEN_SECS),
            "expired"
        );
        assert!(
            !upload_token_holds(&token, "session-b", 1_000),
            "another session's"
        );
        let (_, mac) = token.split_once('.').unwrap();
        let later = format!("{}.{mac}", 1_000 + 2 * UPLOAD_TOKEN_SECS);
        assert!(
            !upload_token_holds(&later, "session-a", 1_500),
            "expiry changed"
        );
        assert!(!upload_token_holds(
            &for_session("session-a"),
            "session-a",
            1_000
        ));
    }
}
