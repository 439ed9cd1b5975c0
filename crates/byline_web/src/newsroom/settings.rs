//! Sections and tags (editors) and site settings (admins).

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{APP_KEYS, ContentError, SOCIAL_KEYS, SettingsInput};
use byline_core::{Action, Ownership, allowed};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A section or tag in the list.
#[derive(Serialize)]
struct TermRow<'a> {
    slug: &'a str,
    name: &'a str,
}

/// What was typed into a refused section or tag form.
#[derive(Serialize)]
struct TypedTerm {
    slug: String,
    name: String,
}

/// `taxonomy.html`'s own members.
#[derive(Serialize)]
struct TaxonomyView<'a> {
    sections: Vec<TermRow<'a>>,
    tags: Vec<TermRow<'a>>,
    /// By `section.slug`, `tag.name` …
    errors: FieldErrors,
    /// By kind (`section`, `tag`): the refused form's values, shown again.
    typed: BTreeMap<String, TypedTerm>,
    /// The edition whose names are shown and edited.
    edition: &'a str,
}

/// A social or app link field of the settings form.
#[derive(Serialize)]
struct LinkField {
    key: &'static str,
    field: &'static str,
    value: String,
}

/// An edition's attribution line in the settings form.
#[derive(Serialize)]
struct AttributionField {
    edition: String,
    value: String,
}

/// The settings form's values: what is stored, or what was typed.
#[derive(Serialize)]
struct SettingsForm {
    name: String,
    timezone: String,
    copyright: String,
    /// One edition a line: `code name`.
    editions: String,
    social: Vec<LinkField>,
    apps: Vec<LinkField>,
    attribution: Vec<AttributionField>,
}

/// `settings.html`'s own members.
#[derive(Serialize)]
struct SettingsView {
    errors: FieldErrors,
    form: SettingsForm,
    saved: bool,
}

fn taxonomy_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    errors: FieldErrors,
    typed: BTreeMap<String, TypedTerm>,
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
    let sections = catalog
        .sections
        .iter()
        .map(|s| TermRow {
            slug: s.slug.as_str(),
            name: s.name.get(&ed),
        })
        .collect();
    let tags = catalog
        .tags
        .iter()
        .map(|t| TermRow {
            slug: t.slug.as_str(),
            name: t.name.get(&ed),
        })
        .collect();
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/taxonomy.html",
        TaxonomyView {
            sections,
            tags,
            errors,
            typed,
            edition: &ed,
        },
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
        FieldErrors::new(),
        BTreeMap::new(),
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
            let errors = page::in_language(state, lang, field_errors(e)?)
                .into_iter()
                .map(|(k, v)| (format!("{kind}.{k}"), v))
                .collect();
            let typed = BTreeMap::from([(
                kind.to_owned(),
                TypedTerm {
                    slug: form.slug.clone(),
                    name: form.name.clone(),
                },
            )]);
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
    errors: FieldErrors,
    form: SettingsForm,
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
        SettingsView {
            errors,
            form,
            saved,
        },
    )
}

/// The form's values: what is stored, or what was typed.
fn settings_form(input: &SettingsInput, editions: &[String]) -> SettingsForm {
    let links = |keys: &[(&'static str, &'static str)], map: &BTreeMap<String, String>| {
        keys.iter()
            .map(|(key, field)| LinkField {
                key,
                field,
                value: map.get(*key).cloned().unwrap_or_default(),
            })
            .collect()
    };
    SettingsForm {
        name: input.name.clone(),
        timezone: input.timezone.clone(),
        copyright: input.copyright.clone(),
        editions: input.editions.clone().unwrap_or_default(),
        social: links(&SOCIAL_KEYS, &input.social),
        apps: links(&APP_KEYS, &input.apps),
        attribution: editions
            .iter()
            .map(|e| AttributionField {
                edition: e.clone(),
                value: input.attribution.get(e).cloned().unwrap_or_default(),
            })
            .collect(),
    }
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
        FieldErrors::new(),
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
            let errors = page::in_language(&state, &lang, field_errors(e)?);
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
