//! Rendering newsroom pages: the language, the common context, the response headers.

use super::session::Editor;
use crate::error::{Finished, WebError};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use byline_content::ContentError;
use byline_core::{Action, Ownership, allowed};
use serde_json::{Map, Value, json};
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

/// Renders `template` with the common context (language, account, CSRF token, menu)
/// and `extra`. A status other than 200 is marked finished so the error-page layer
/// keeps the form (with its field messages) instead of replacing it.
pub fn render(
    state: &AppState,
    lang: &str,
    editor: Option<&Editor>,
    status: StatusCode,
    template: &str,
    extra: Value,
) -> Result<Response, WebError> {
    let mut ctx = Map::new();
    ctx.insert("lang".into(), json!(lang));
    ctx.insert(
        "site_name".into(),
        json!(state.content.catalog().settings.name),
    );
    if let Some(e) = editor {
        let role = e.user.role;
        ctx.insert(
            "me".into(),
            json!({
                "id": e.user.id.0,
                "email": e.user.email,
                "name": e.user.display_name,
                "role": role.as_str(),
                "manages_users": allowed(role, Action::ManageUsers, Ownership::Own),
                "manages_taxonomy": allowed(role, Action::ManageSectionsAndTags, Ownership::Own),
                "manages_settings": allowed(role, Action::ManageSettings, Ownership::Own),
                "reads_audit": allowed(role, Action::ReadAuditLog, Ownership::Own),
            }),
        );
        ctx.insert("csrf".into(), json!(e.csrf));
    }
    if let Value::Object(extra) = extra {
        ctx.extend(extra);
    }
    let html = state
        .theme
        .render(template, &minijinja::Value::from_serialize(&ctx))?;
    let mut response = (status, Html(html)).into_response();
    if status != StatusCode::OK {
        response.extensions_mut().insert(Finished);
    }
    Ok(response)
}

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
