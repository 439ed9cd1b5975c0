//! The session cookie and the signed-in account.
//!
//! The cookie holds a random 256-bit token; the store keeps only its SHA-256. The
//! cookie is HttpOnly (scripts cannot read it), SameSite=Lax (not sent with cross-site
//! form posts) and Secure when the site is served over https.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use byline_content::ContentError;
use byline_core::User;

pub const SESSION_COOKIE: &str = "byline_session";
pub const CLEAR_SESSION_COOKIE: &str =
    "byline_session=; Path=/newsroom; HttpOnly; SameSite=Lax; Max-Age=0";

/// The signed-in account of a newsroom request. As an extractor it answers
/// `WebError::Unauthorized` (a redirect to the login form) without a live session.
#[derive(Debug, Clone)]
pub struct Editor {
    pub user: User,
    /// The session token from the cookie (to log out, or to keep this session alive
    /// when the password changes).
    pub token: String,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// Unread notifications, for the menu's count; not looked up (0) for the script's
    /// JSON requests (presence every few seconds, autosave, the pictures dialog), which
    /// never show the menu.
    pub unread: u64,
}

/// The value of cookie `name` from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A well-formed token: 64 hex digits (anything else is not worth a database query).
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let max_age = byline_content::accounts::SESSION_LIFETIME.as_secs();
    format!(
        "{SESSION_COOKIE}={token}; Path=/newsroom; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        secure(state)
    )
}

/// `; Secure` when the public site is https (a plain-http dev server must still work).
pub fn secure(state: &AppState) -> &'static str {
    if state.config.site_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(editor) = parts.extensions.get::<Editor>() {
            return Ok(editor.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| well_formed(t))
            .ok_or(WebError::Unauthorized)?;
        let user = match state.content.session_user(&token).await {
            Ok(user) => user,
            Err(ContentError::NotFound) => return Err(WebError::Unauthorized),
            Err(e) => return Err(e.into()),
        };
        let wants_json = parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        let unread = if wants_json {
            0
        } else {
            state.content.unread_notifications(&user).await?
        };
        let editor = Editor {
            csrf: super::csrf::for_session(&token),
            user,
            token,
            unread,
        };
        parts.extensions.insert(editor.clone());
        Ok(editor)
    }
}
