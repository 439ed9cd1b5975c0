//! Static pages in the newsroom (`manage_pages`): the list with each page's footer
//! place, and the editor (the article editor's Markdown field, toolbar, live preview
//! and picture upload).

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::site::urls;
use crate::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{MAX_FOOTER_POSITION, PageInput};
use byline_core::{Action, Ownership, PageId, PageStatus, StaticPage, allowed};
use serde::Serialize;
use std::collections::HashMap;

/// A page in the list.
#[derive(Serialize)]
struct PageRow<'a> {
    id: i64,
    title: &'a str,
    edition: &'a str,
    url: String,
    status: &'static str,
    footer_position: Option<i64>,
    updated: String,
}

/// `pages.html`'s own members.
#[derive(Serialize)]
struct PagesView<'a> {
    pages: Vec<PageRow<'a>>,
    deleted: bool,
}

/// The page form's values: what is stored, or what was typed.
#[derive(Serialize, Default)]
struct PageForm {
    edition: String,
    title: String,
    slug: String,
    body: String,
    description: String,
    status: String,
    footer_position: String,
}

/// The stored page beside its form (`page`).
#[derive(Serialize)]
struct PageState {
    id: i64,
    status: &'static str,
    public_url: Option<String>,
    updated: String,
}

/// `page_edit.html`'s own members.
#[derive(Serialize)]
struct PageEditView {
    editions: Vec<String>,
    statuses: [&'static str; 2],
    max_footer_position: i64,
    page: Option<PageState>,
    form: PageForm,
    errors: FieldErrors,
    saved: bool,
}

fn may_manage(editor: &Editor) -> Result<(), WebError> {
    if allowed(editor.user.role, Action::ManagePages, Ownership::Others) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

fn page_id(raw: &str) -> Result<PageId, WebError> {
    raw.parse::<i64>()
        .map(PageId)
        .map_err(|_| WebError::NotFound)
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let pages = state.content.newsroom_pages(&editor.user).await?;
    let rows = pages
        .iter()
        .map(|p| PageRow {
            id: p.id.0,
            title: &p.title,
            edition: &p.edition,
            url: urls::static_page(&p.edition, p.slug.as_str()),
            status: p.status.as_str(),
            footer_position: p.footer_position,
            updated: stamp(&state, p),
        })
        .collect();
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/pages.html",
        PagesView {
            pages: rows,
            deleted: query.contains_key("deleted"),
        },
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    may_manage(&editor)?;
    let lang = page::lang(&state, &headers);
    let form = PageForm {
        edition: state
            .content
            .catalog()
            .settings
            .default_edition()
            .to_owned(),
        status: PageStatus::Draft.as_str().to_owned(),
        ..Default::default()
    };
    editor_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        None,
        form,
        FieldErrors::new(),
        false,
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let stored = state
        .content
        .newsroom_page(&editor.user, page_id(&id)?)
        .await?;
    let form = PageForm {
        edition: stored.edition.clone(),
        title: stored.title.clone(),
        slug: stored.slug.to_string(),
        body: stored.body_markdown.clone(),
        description: stored.description.clone().unwrap_or_default(),
        status: stored.status.as_str().to_owned(),
        footer_position: stored
            .footer_position
            .map(|p| p.to_string())
            .unwrap_or_default(),
    };
    editor_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        Some(&stored),
        form,
        FieldErrors::new(),
        query.contains_key("saved"),
    )
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    save_form(&state, &headers, &editor, None, &fields).await
}

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = page_id(&id)?;
    save_form(&state, &headers, &editor, Some(id), &fields).await
}

pub async fn delete(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state
        .content
        .delete_page(&editor.user, page_id(&id)?)
        .await?;
    Ok(Redirect::to("/newsroom/pages?deleted=1").into_response())
}

async fn save_form(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    id: Option<PageId>,
    fields: &HashMap<String, String>,
) -> Result<Response, WebError> {
    may_manage(editor)?;
    let lang = page::lang(state, headers);
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let form = PageForm {
        edition: get("edition"),
        title: get("title"),
        slug: get("slug"),
        body: get("body"),
        description: get("description"),
        status: get("status"),
        footer_position: get("footer_position"),
    };
    let refused = |errors: FieldErrors, stored: Option<StaticPage>, form: PageForm| {
        editor_page(
            state,
            &lang,
            editor,
            StatusCode::BAD_REQUEST,
            stored.as_ref(),
            form,
            page::in_language(state, &lang, errors),
            false,
        )
    };
    // Whatever is refused, the typed text comes back in the form.
    let stored = match id {
        Some(id) => Some(state.content.newsroom_page(&editor.user, id).await?),
        None => None,
    };
    let input = match page_input(&form) {
        Ok(input) => input,
        Err(errors) => return refused(errors, stored, form),
    };
    match state.content.save_page(&editor.user, id, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/newsroom/pages/{}?saved=1", id.0)).into_response()),
        Err(e) => refused(field_errors(e)?, stored, form),
    }
}

/// The form as the content service takes it; the status and footer place are read here
/// (their messages name the field).
fn page_input(form: &PageForm) -> Result<PageInput, FieldErrors> {
    let status = form
        .status
        .parse::<PageStatus>()
        .map_err(|e| FieldErrors::from([("status".to_owned(), e.to_string())]))?;
    let footer_position = match form.footer_position.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| {
            FieldErrors::from([(
                "footer_position".to_owned(),
                format!(
                    "the footer place is a number from 0 to {MAX_FOOTER_POSITION}, or empty to leave the page out of the footer"
                ),
            )])
        })?),
    };
    Ok(PageInput {
        edition: form.edition.clone(),
        slug: form.slug.clone(),
        title: form.title.clone(),
        body_markdown: form.body.clone(),
        description: Some(form.description.clone()),
        status,
        footer_position,
    })
}

#[allow(clippy::too_many_arguments)] // one page, told apart by its parts
fn editor_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    stored: Option<&StaticPage>,
    form: PageForm,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let editions = catalog
        .settings
        .editions
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let page = stored.map(|p| PageState {
        id: p.id.0,
        status: p.status.as_str(),
        public_url: (p.status == PageStatus::Published)
            .then(|| urls::static_page(&p.edition, p.slug.as_str())),
        updated: stamp(state, p),
    });
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/page_edit.html",
        PageEditView {
            editions,
            statuses: [PageStatus::Draft.as_str(), PageStatus::Published.as_str()],
            max_footer_position: MAX_FOOTER_POSITION,
            page,
            form,
            errors,
            saved,
        },
    )
}

/// When a page was last saved, in the site's time zone (as the article list shows times).
fn stamp(state: &AppState, p: &StaticPage) -> String {
    state.content.site_time(p.updated_at).replace('T', " ")
}
