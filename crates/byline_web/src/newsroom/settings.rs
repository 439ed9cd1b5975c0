//! Sections and tags (editors) and site settings (admins).

use super::page::{self, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{APP_KEYS, ContentError, SOCIAL_KEYS, SettingsInput};
use byline_core::{Action, Ownership, allowed};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

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
    saved: bool,
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
        json!({"errors": errors, "form": form, "saved": saved}),
    )
}

/// The form's values: what is stored, or what was typed.
fn settings_form(input: &SettingsInput, editions: &[String]) -> Value {
    let links = |keys: &[(&str, &str)], map: &BTreeMap<String, String>| -> Vec<Value> {
        keys.iter()
            .map(|(key, field)| json!({"key": key, "field": field, "value": map.get(*key).cloned().unwrap_or_default()}))
            .collect()
    };
    let attribution: Vec<Value> = editions
        .iter()
        .map(|e| json!({"edition": e, "value": input.attribution.get(e).cloned().unwrap_or_default()}))
        .collect();
    json!({
        "name": input.name, "timezone": input.timezone, "copyright": input.copyright,
        "editions": input.editions.clone().unwrap_or_default(),
        "social": links(&SOCIAL_KEYS, &input.social), "apps": links(&APP_KEYS, &input.apps),
        "attribution": attribution,
    })
}

fn edition_codes(state: &AppState) -> Vec<String> {
    state
        .content
        .catalog()
        .settings
        .editions
        .iter()
        .map(|e| e.code.clone())
        .collect()
}

pub async fn settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let s = &state.content.newsroom_settings(&editor.user).await?;
    let stored = SettingsInput {
        name: s.name.clone(),
        timezone: s.timezone.clone(),
        copyright: s.copyright.clone(),
        social: s.social.clone(),
        apps: s.apps.clone(),
        attribution: s.attribution.0.clone(),
        editions: Some(
            s.editions
                .iter()
                .map(|e| format!("{} {}", e.code, e.name))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };
    settings_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        BTreeMap::new(),
        settings_form(&stored, &edition_codes(&state)),
        q.contains_key("saved"),
    )
}

/// The typed form: `social.x`, `apps.ios`, `attribution.en` … beside name, time zone
/// and copyright. Keys the form did not send are left as they are.
fn settings_input(fields: &HashMap<String, String>) -> SettingsInput {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let group = |prefix: &str| -> BTreeMap<String, String> {
        fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_owned(), v.clone())))
            .collect()
    };
    SettingsInput {
        name: get("name"),
        timezone: get("timezone"),
        copyright: get("copyright"),
        social: group("social."),
        apps: group("apps."),
        attribution: group("attribution."),
        editions: fields.get("editions").cloned(),
    }
}

pub async fn save_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let input = settings_input(&fields);
    let result = state
        .content
        .newsroom_save_settings(&editor.user, &input)
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/newsroom/settings?saved=1").into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            let typed = settings_form(&input, &edition_codes(&state));
            settings_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                errors,
                typed,
                false,
            )
        }
    }
}
