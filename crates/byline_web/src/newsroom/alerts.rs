//! Breaking news in the newsroom: `/newsroom/alerts` lists the alerts (up now, and the
//! recent ones), raises one (a line with an optional link, or from an article's page)
//! and ends one early. Rights (`manage_alerts`) are checked by the content service.

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{AlertInput, ContentError};
use byline_core::{Alert, ArticleId, DEFAULT_ALERT_MINUTES};
use serde::Serialize;
use std::collections::HashMap;

/// An alert as the list shows it.
#[derive(Serialize)]
struct AlertRow {
    id: i64,
    edition: String,
    text: String,
    url: String,
    from: String,
    until: String,
    /// `live`, `ended` (early) or `expired`.
    state: &'static str,
    /// How its Web Push notification stands (none when Web Push is off).
    push: Option<PushRow>,
}

#[derive(Serialize)]
struct PushRow {
    delivered: u64,
    pending: u64,
    failed: u64,
}

/// The form as typed (shown again when refused).
#[derive(Serialize, Default)]
struct AlertForm {
    edition: String,
    text: String,
    url: String,
    minutes: String,
}

#[derive(Serialize)]
struct AlertsView {
    live: Vec<AlertRow>,
    past: Vec<AlertRow>,
    editions: Vec<String>,
    form: AlertForm,
    errors: FieldErrors,
    /// Browsers subscribed to push alerts, per edition (empty when Web Push is off).
    subscribers: Vec<(String, u64)>,
}

async fn row(state: &AppState, a: Alert, now: jiff::Timestamp) -> Result<AlertRow, WebError> {
    let push = match state.content.push_public_key() {
        Some(_) => {
            let t = state.content.push_tally_of_alert(&a).await?;
            Some(PushRow {
                delivered: t.delivered,
                pending: t.pending,
                failed: t.failed,
            })
        }
        None => None,
    };
    let time = |t| state.content.site_time(t).replace('T', " ");
    let status = if a.is_live(now) {
        "live"
    } else if a.ended_at.is_some_and(|e| e < a.ends_at) {
        "ended"
    } else {
        "expired"
    };
    Ok(AlertRow {
        id: a.id,
        edition: a.edition,
        text: a.text,
        url: a.url,
        from: time(a.starts_at),
        until: time(a.ended_at.unwrap_or(a.ends_at).min(a.ends_at)),
        state: status,
        push,
    })
}

async fn render(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    form: AlertForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let now = state.content.clock().now();
    // Every alert up now (however many were raised since), then the recent others.
    let past: Vec<_> = state
        .content
        .recent_alerts(&editor.user)
        .await?
        .into_iter()
        .filter(|a| !a.is_live(now))
        .collect();
    let catalog = state.content.catalog();
    let mut live = Vec::new();
    for a in state.content.live_alerts(None) {
        live.push(row(state, a, now).await?);
    }
    let mut past_rows = Vec::new();
    for a in past {
        past_rows.push(row(state, a, now).await?);
    }
    let mut subscribers = Vec::new();
    if state.content.push_public_key().is_some() {
        for e in &catalog.settings.editions {
            let n = state.content.push_subscription_count(Some(&e.code)).await?;
            subscribers.push((e.code.clone(), n));
        }
    }
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/alerts.html",
        AlertsView {
            live,
            past: past_rows,
            subscribers,
            editions: catalog
                .settings
                .editions
                .iter()
                .map(|e| e.code.clone())
                .collect(),
            form,
            errors: page::in_language(state, lang, errors),
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let form = AlertForm {
        edition: state
            .content
            .catalog()
            .settings
            .default_edition()
            .to_owned(),
        minutes: DEFAULT_ALERT_MINUTES.to_string(),
        ..Default::default()
    };
    render(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        form,
        FieldErrors::new(),
    )
    .await
}

/// `POST /newsroom/alerts`: from the alerts page (edition, text, link, minutes) or an
/// article's page (`article`, with an optional text; back to the article after).
pub async fn raise(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let form = AlertForm {
        edition: get("edition"),
        text: get("text"),
        url: get("url"),
        minutes: get("minutes"),
    };
    let article = match get("article") {
        a if a.is_empty() => None,
        a => Some(
            a.parse::<i64>()
                .map(ArticleId)
                .map_err(|_| WebError::BadRequest("the article must be a number".into()))?,
        ),
    };
    let minutes = match form.minutes.as_str() {
        "" => Ok(None),
        m => m
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ContentError::invalid("minutes", "give the minutes as a whole number")),
    };
    let result = match minutes {
        Ok(minutes) => {
            state
                .content
                .raise_alert(
                    &editor.user,
                    AlertInput {
                        edition: form.edition.clone(),
                        text: form.text.clone(),
                        url: form.url.clone(),
                        article,
                        minutes,
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let back = match article {
                Some(id) => format!("/newsroom/articles/{}#breaking", id.0),
                None => "/newsroom/alerts".to_owned(),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(e @ ContentError::Invalid { .. }) => {
            if let Some(id) = article {
                return super::articles::refused_beside_the_article(
                    &state,
                    &lang,
                    &editor,
                    id,
                    field_errors(e)?,
                    Some(&form.text),
                )
                .await;
            }
            let errors = field_errors(e)?;
            render(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                form,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/alerts/{id}/end`: ends it now.
pub async fn end(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    match state.content.end_alert(&editor.user, id).await {
        Ok(()) => Ok(Redirect::to("/newsroom/alerts").into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            let errors = field_errors(e)?;
            render(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                AlertForm::default(),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
