//! The audit log page (admins only): newest first, fifty a page.

use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

const PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

/// An entry of the log.
#[derive(Serialize)]
struct AuditRow<'a> {
    id: i64,
    at: String,
    /// Empty for the system.
    actor: &'a str,
    action: &'a str,
    kind: &'a str,
    entity: i64,
    summary: &'a str,
}

/// `audit.html`'s own members.
#[derive(Serialize)]
struct AuditView<'a> {
    entries: Vec<AuditRow<'a>>,
    /// The `before` of the next page, when there is one.
    older: Option<i64>,
}

pub async fn log(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let before = match query.before.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| WebError::BadRequest("`before` must be an entry number".into()))?,
        ),
    };
    let entries = state
        .content
        .audit_log(&editor.user, before, PER_PAGE)
        .await?;
    let more = (entries.len() as i64 == PER_PAGE).then(|| entries.last().map(|e| e.id));
    let rows: Vec<_> = entries
        .iter()
        .map(|e| AuditRow {
            id: e.id,
            at: state.content.site_time(e.at).replace('T', " "),
            actor: if e.actor.is_some() {
                &e.actor_email
            } else {
                ""
            },
            action: &e.action,
            kind: &e.entity_kind,
            entity: e.entity_id,
            summary: &e.summary,
        })
        .collect();
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/audit.html",
        AuditView {
            entries: rows,
            older: more.flatten(),
        },
    )
}
