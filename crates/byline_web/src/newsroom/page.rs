//! Rendering newsroom pages: the language, the common context, the response headers.

use super::session::Editor;
use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use byline_content::ContentError;
use byline_core::{Action, Ownership, allowed};
use serde::Serialize;
use std::collections::BTreeMap;

/// The newsroom's language: the browser's choice among the site's editions when the
/// newsroom is translated into it, else English.
pub fn lang(state: &AppState, headers: &HeaderMap) -> String {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let wanted = crate::locale::negotiate(accept, &state.content.catalog().settings);
    if state.theme.strings().has(&wanted, "newsroom-title") {
        wanted
    } else {
        "en".to_owned()
    }
}

/// The signed-in account as the menu shows it (`me`).
#[derive(Serialize)]
pub struct Me<'a> {
    id: i64,
    email: &'a str,
    name: &'a str,
    role: &'static str,
    manages_users: bool,
    manages_taxonomy: bool,
    manages_pages: bool,
    manages_alerts: bool,
    manages_settings: bool,
    reads_audit: bool,
    /// Unread notifications.
    unread: u64,
}

/// What every newsroom template receives; the template's own members (`body`) are
/// beside them (`byline_render::layered`). `me` and `csrf` are left out, not null, when
/// no one is signed in (`base.html` asks `me is defined`).
#[derive(Serialize)]
struct NewsroomPage<'a> {
    lang: &'a str,
    site_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    me: Option<Me<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf: Option<&'a str>,
}

/// Renders `template` with the common context (language, account, CSRF token, menu)
/// and `body`, the template's own view. A status other than 200 is marked finished so
/// the error-page layer keeps the form (with its field messages) instead of replacing it.
pub fn render<T: Serialize>(
    state: &AppState,
    lang: &str,
    editor: Option<&Editor>,
    status: StatusCode,
    template: &str,
    body: T,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let me = editor.map(|e| {
        let role = e.user.role;
        Me {
            id: e.user.id.0,
            email: &e.user.email,
            name: &e.user.display_name,
            role: role.as_str(),
            manages_users: allowed(role, Action::ManageUsers, Ownership::Own),
            manages_taxonomy: allowed(role, Action::ManageSectionsAndTags, Ownership::Own),
            manages_pages: allowed(role, Action::ManagePages, Ownership::Own),
            manages_alerts: allowed(role, Action::ManageAlerts, Ownership::Own),
            manages_settings: allowed(role, Action::ManageSettings, Ownership::Own),
            reads_audit: allowed(role, Action::ReadAuditLog, Ownership::Own),
            unread: e.unread,
        }
    });
    let page = NewsroomPage {
        lang,
        site_name: &catalog.settings.name,
        me,
        csrf: editor.map(|e| e.csrf.as_str()),
    };
    let context = byline_render::layered(
        minijinja::Value::from_serialize(&body),
        minijinja::Value::from_serialize(&page),
    );
    let html = state.theme.render(template, &context)?;
    let mut response = (status, Html(html)).into_response();
    if status != StatusCode::OK {
        response.extensions_mut().insert(Finished);
    }
    Ok(response)
}

/// The body of a page that shows nothing of its own.
#[derive(Serialize)]
pub struct Nothing {}

/// Field name → message, for a form's errors (`errors`).
pub type FieldErrors = BTreeMap<String, String>;

/// Field-level messages from a content error, or the error itself when it is not
/// about a field (403, 404, 500 …).
pub fn field_errors(e: ContentError) -> Result<BTreeMap<String, String>, WebError> {
    match e {
        ContentError::Invalid { field, message } => {
            Ok(BTreeMap::from([(field.to_owned(), message)]))
        }
        other => Err(other.into()),
    }
}

/// A form's field messages in the newsroom's language. The content service words them
/// in English, exactly; other languages get the field's rule (`newsroom-error-{field}`,
/// dots as hyphens; the service's words where there is none). Messages that are already message ids (the notes, the
/// desk) are left for the template to translate.
pub fn in_language(state: &AppState, lang: &str, errors: FieldErrors) -> FieldErrors {
    in_form_language(state, lang, "", errors)
}

/// [`in_language`] for a form whose field names mean something else elsewhere (an API
/// key's `name` is not the site's): its own rule `newsroom-error-{form}-{field}` comes
/// first, then the common one.
pub fn in_form_language(
    state: &AppState,
    lang: &str,
    form: &str,
    errors: FieldErrors,
) -> FieldErrors {
    if lang == "en" {
        return errors;
    }
    let strings = state.theme.strings();
    errors
        .into_iter()
        .map(|(field, message)| {
            let field_key = field.replace('.', "-");
            let own = (!form.is_empty()).then(|| format!("newsroom-error-{form}-{field_key}"));
            let key = own
                .filter(|key| strings.has(lang, key))
                .unwrap_or_else(|| format!("newsroom-error-{field_key}"));
            if message.starts_with("newsroom-") || !strings.has(lang, &key) {
                (field, message)
            } else {
                let text = strings.get(lang, &key, None);
                (field, text)
            }
        })
        .collect()
}
