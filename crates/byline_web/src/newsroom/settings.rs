//! Sections and tags (editors) and site settings (admins).

use super::page::{self, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::ContentError;
use byline_core::{Action, Ownership, allowed};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn taxonomy_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    errors: BTreeMap<String, String>,
    typed: Value,
) -> Result<Response, WebError> {
    if !allowed(
        editor.user.role,
        Action::ManageSectionsAndTags,
        Ownership::Others,
    ) {
        return Err(WebError::Forbidden);
    }
    let catalog = state.content.catalog();
    let ed = catalog.settings.default_edition().to_owned();
    let sections: Vec<Value> = catalog
        .sections
        .iter()
        .map(|s| json!({"slug": s.slug.as_str(), "name": s.name.get(&ed)}))
        .collect();
    let tags: Vec<Value> = catalog
        .tags
        .iter()
        .map(|t| json!({"slug": t.slug.as_str(), "name": t.name.get(&ed)}))
        .collect();
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/taxonomy.html",
        json!({"sections": sections, "tags": tags, "errors": errors, "typed": typed, "edition": ed}),
    )
}

pub async fn taxonomy(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    taxonomy_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        BTreeMap::new(),
        json!({}),
    )
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
}

async fn after(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    kind: &str,
    form: &NameForm,
    result: Result<(), ContentError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to("/newsroom/taxonomy").into_response()),
        Err(e) => {
            let errors = field_errors(e)?
                .into_iter()
                .map(|(k, v)| (format!("{kind}.{k}"), v))
                .collect();
            let mut typed = serde_json::Map::new();
            typed.insert(
                kind.to_owned(),
                json!({"slug": form.slug, "name": form.name}),
            );
            let typed = Value::Object(typed);
            taxonomy_page(state, lang, editor, StatusCode::BAD_REQUEST, errors, typed)
        }
    }
}

pub async fn put_tag(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let ed = state
        .content
        .catalog()
        .settings
        .default_edition()
        .to_owned();
    let result = state
        .content
        .newsroom_put_tag(&editor.user, &form.slug, &ed, &form.name)
        .await;
    after(&state, &lang, &editor, "tag", &form, result).await
}

pub async fn put_section(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let ed = state
        .content
        .catalog()
        .settings
        .default_edition()
        .to_owned();
    let result = state
        .content
        .newsroom_put_section(&editor.user, &form.slug, &ed, &form.name)
        .await;
    after(&state, &lang, &editor, "section", &form, result).await
}

fn settings_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    errors: BTreeMap<String, String>,
    form: Value,
) -> Result<Response, WebError> {
    if !allowed(editor.user.role, Action::ManageSettings, Ownership::Others) {
        return Err(WebError::Forbidden);
    }
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/settings.html",
        json!({"errors": errors, "form": form}),
    )
}

pub async fn settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let s = &state.content.catalog().settings;
    let form = json!({"name": s.name, "timezone": s.timezone, "copyright": s.copyright});
    settings_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        BTreeMap::new(),
        form,
    )
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    copyright: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let result = state
        .content
        .newsroom_save_settings(&editor.user, &form.name, &form.timezone, &form.copyright)
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/newsroom/settings").into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            let typed =
                json!({"name": form.name, "timezone": form.timezone, "copyright": form.copyright});
            settings_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                errors,
                typed,
            )
        }
    }
}
