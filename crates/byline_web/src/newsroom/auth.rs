//! Signing in and out, and changing one's password.

use super::csrf::{FIELD, LOGIN_COOKIE};
use super::device;
use super::page::{self, FieldErrors, field_errors};
use super::session::{self, CLEAR_SESSION_COOKIE, Editor};
use crate::client::ClientAddr;
use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{ContentError, LoginClient};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `login.html`'s own members.
#[derive(Serialize)]
struct LoginView<'a> {
    /// The double-submit token, also set as a cookie.
    login_csrf: &'a str,
    /// The email typed, shown again.
    email: &'a str,
    error: Option<String>,
    /// The form field that carries `login_csrf`.
    field: &'static str,
}

/// `password.html`'s own members.
#[derive(Serialize)]
struct PasswordView {
    errors: FieldErrors,
    done: bool,
}

fn login_page(
    state: &AppState,
    lang: &str,
    status: StatusCode,
    email: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    // A fresh double-submit token with every form.
    let token = byline_content::accounts::random_token();
    let mut response = page::render(
        state,
        lang,
        None,
        status,
        "newsroom/login.html",
        LoginView {
            login_csrf: &token,
            email,
            error,
            field: FIELD,
        },
    )?;
    let cookie = format!(
        "{LOGIN_COOKIE}={token}; Path=/newsroom; HttpOnly; SameSite=Lax; Max-Age=3600{}",
        session::secure(state)
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    login_page(&state, &lang, StatusCode::OK, "", None)
}

pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let device = device::known_device(&state, &headers, &form.email);
    let login_client = LoginClient {
        address: client.0,
        known_device: device.as_deref(),
    };
    match state
        .content
        .login(&form.email, &form.password, login_client)
        .await
    {
        Ok(login) => {
            let mut response = Redirect::to("/newsroom").into_response();
            for cookie in [
                session::session_cookie(&state, &login.token),
                device::device_cookie(&state, device.as_deref(), &form.email),
            ] {
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            Ok(response)
        }
        Err(ContentError::WrongCredentials) => {
            tracing::info!(client = %client.label(), "failed newsroom login");
            let message = state.theme.t(&lang, "newsroom-login-wrong");
            login_page(
                &state,
                &lang,
                StatusCode::UNAUTHORIZED,
                &form.email,
                Some(message),
            )
        }
        Err(ContentError::Throttled { retry_after }) => {
            tracing::info!(client = %client.label(), "newsroom login refused by the throttle");
            let minutes = retry_after.as_secs().div_ceil(60).max(1);
            let message = state.theme.t_args(
                &lang,
                "newsroom-login-throttled",
                &[("minutes", (minutes as i64).into())],
            );
            let mut response = login_page(
                &state,
                &lang,
                StatusCode::TOO_MANY_REQUESTS,
                &form.email,
                Some(message),
            )?;
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, editor: Editor) -> Result<Response, WebError> {
    state.content.logout(&editor.token).await?;
    state
        .content
        .audit(
            Some(&editor.user),
            "logout",
            "user",
            editor.user.id.0,
            String::new(),
        )
        .await?;
    let mut response = Redirect::to("/newsroom/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static(CLEAR_SESSION_COOKIE),
    );
    Ok(response)
}

pub async fn password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/password.html",
        PasswordView {
            errors: FieldErrors::new(),
            done: false,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let result = if form.new != form.repeat {
        Err(ContentError::invalid(
            "repeat",
            state.theme.t(&lang, "newsroom-password-mismatch"),
        ))
    } else {
        state
            .content
            .change_password(&editor.user, &editor.token, &form.current, &form.new)
            .await
    };
    let (status, errors, done) = match result {
        Ok(()) => (StatusCode::OK, Default::default(), true),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            page::in_language(&state, &lang, field_errors(e)?),
            false,
        ),
    };
    let mut response = page::render(
        &state,
        &lang,
        Some(&editor),
        status,
        "newsroom/password.html",
        PasswordView { errors, done },
    )?;
    response.extensions_mut().insert(Finished);
    Ok(response)
}
