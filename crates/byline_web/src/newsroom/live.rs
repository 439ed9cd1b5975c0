//! The live-blog desk in the editor (issue 17): make a published or draft article a
//! live blog, post entries to it (on the site within the change feed's poll), edit
//! and delete them (the earlier version kept, the audit log told), end it.
//!
//! `POST /newsroom/articles/{id}/live` (`on` = 1 or 0), `POST …/entries`,
//! `GET`/`POST …/entries/{entry}`, `POST …/entries/{entry}/delete`. Whoever may publish
//! the article may do all of it (the content service checks); refusals show the form
//! again as typed with a message beside the field.

use super::articles::{article_id, ownership_of, refused_beside_the_article};
use super::page::{self, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{ContentError, EntryInput};
use byline_core::{Action, Article, ArticleMeta, ArticleStatus, LiveEntry, allowed};
use serde::Serialize;
use std::collections::HashMap;

/// How many of the newest entries the editor lists.
const LISTED: usize = 30;

/// The live-blog section of the editor.
#[derive(Serialize)]
pub(super) struct LiveDesk {
    /// Made a live blog at some point.
    is_live_blog: bool,
    /// Taking entries now.
    on: bool,
    entries: Vec<EntryRow>,
    /// The authors to credit an entry to (slug, name in the article's edition).
    authors: Vec<(String, String)>,
}

#[derive(Serialize)]
struct EntryRow {
    id: i64,
    title: String,
    excerpt: String,
    at: String,
    key_event: bool,
    pinned: bool,
}

fn row(state: &AppState, e: &LiveEntry) -> EntryRow {
    let text = byline_render::plain_text(&e.body_markdown);
    EntryRow {
        id: e.id,
        title: e.title.clone(),
        excerpt: text.chars().take(140).collect(),
        at: state.content.site_time(e.created_at).replace('T', " "),
        key_event: e.key_event,
        pinned: e.pinned,
    }
}

/// The section for `a`, or `None` when the user may not publish it (or it is gone).
pub(super) async fn live_desk(
    state: &AppState,
    editor: &Editor,
    a: &Article,
    meta: &ArticleMeta,
) -> Result<Option<LiveDesk>, WebError> {
    if matches!(a.status, ArticleStatus::Deleted | ArticleStatus::TakenDown)
        || !allowed(
            editor.user.role,
            Action::Publish,
            ownership_of(editor, meta),
        )
    {
        return Ok(None);
    }
    let entries = if a.live.is_some() {
        state.content.live_entries(a.id).await?
    } else {
        Vec::new()
    };
    let catalog = state.content.catalog();
    Ok(Some(LiveDesk {
        is_live_blog: a.live.is_some(),
        on: a.live.is_some_and(|l| l.is_on()),
        entries: entries.iter().take(LISTED).map(|e| row(state, e)).collect(),
        authors: author_choices(&catalog, &a.edition),
    }))
}

/// The authors an entry may be credited to: slug and name in the blog's edition.
fn author_choices(catalog: &byline_content::Catalog, ed: &str) -> Vec<(String, String)> {
    catalog
        .authors
        .iter()
        .map(|w| (w.slug.to_string(), w.name.get(ed).to_owned()))
        .collect()
}

type Fields = axum::extract::Form<HashMap<String, String>>;

fn input(fields: &HashMap<String, String>) -> EntryInput {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    EntryInput {
        title: field("entry_title"),
        body: field("entry_body"),
        author: field("entry_author"),
        key_event: fields.contains_key("entry_key_event"),
        pinned: fields.contains_key("entry_pinned"),
    }
}

/// Makes the article a live blog (`on=1`) or ends it (`on=0`).
pub async fn set_live(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, WebError> {
    let id = article_id(&id)?;
    let on = fields.get("on").map(String::as_str) == Some("1");
    match state.content.set_live(&editor.user, id, on).await {
        Ok(()) => Ok(Redirect::to(&format!("/newsroom/articles/{}#live", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            refused_beside_the_article(&state, &lang, &editor, id, field_errors(e)?, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Posts an entry from the editor's entry form.
pub async fn post_entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, WebError> {
    let id = article_id(&id)?;
    let entry = input(&fields);
    match state.content.post_entry(&editor.user, id, &entry).await {
        Ok(_) => Ok(Redirect::to(&format!("/newsroom/articles/{}#live", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            // The typed entry comes back in the form (the note draft's slot).
            refused_beside_the_article(
                &state,
                &lang,
                &editor,
                id,
                field_errors(e)?,
                Some(&entry.body),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct EntryPage<'a> {
    article_id: i64,
    article_title: &'a str,
    entry_id: i64,
    title: &'a str,
    body: &'a str,
    author: &'a str,
    key_event: bool,
    pinned: bool,
    authors: Vec<(String, String)>,
    errors: page::FieldErrors,
    revisions: Vec<RevisionRow>,
}

#[derive(Serialize)]
struct RevisionRow {
    at: String,
    title: String,
    body: String,
}

fn entry_id(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// The entry's own form, with its earlier versions.
async fn entry_form(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    (id, entry): (byline_core::ArticleId, i64),
    typed: Option<&EntryInput>,
    errors: page::FieldErrors,
) -> Result<Response, WebError> {
    let (article, _) = state.content.newsroom_article(&editor.user, id).await?;
    let (stored, revisions) = state.content.live_entry(&editor.user, id, entry).await?;
    if stored.deleted_at.is_some() {
        return Err(WebError::NotFound);
    }
    let catalog = state.content.catalog();
    let stored_author = stored
        .author
        .and_then(|a| catalog.author(a))
        .map(|a| a.slug.to_string())
        .unwrap_or_default();
    let errors = page::in_language(state, lang, errors);
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/live_entry.html",
        EntryPage {
            article_id: id.0,
            article_title: &article.title,
            entry_id: entry,
            title: typed.map_or(&stored.title, |t| &t.title),
            body: typed.map_or(&stored.body_markdown, |t| &t.body),
            author: typed.map_or(&stored_author, |t| &t.author),
            key_event: typed.map_or(stored.key_event, |t| t.key_event),
            pinned: typed.map_or(stored.pinned, |t| t.pinned),
            authors: author_choices(&catalog, &article.edition),
            errors,
            revisions: revisions
                .iter()
                .map(|r| RevisionRow {
                    at: state.content.site_time(r.replaced_at).replace('T', " "),
                    title: r.title.clone(),
                    body: r.body_markdown.clone(),
                })
                .collect(),
        },
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path((id, entry)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let ids = (article_id(&id)?, entry_id(&entry)?);
    let lang = page::lang(&state, &headers);
    entry_form(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        ids,
        None,
        Default::default(),
    )
    .await
}

pub async fn save_entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path((id, entry)): Path<(String, String)>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, WebError> {
    let (id, entry) = (article_id(&id)?, entry_id(&entry)?);
    let typed = input(&fields);
    match state
        .content
        .edit_entry(&editor.user, id, entry, &typed)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/newsroom/articles/{}#live", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            let lang = page::lang(&state, &headers);
            entry_form(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                (id, entry),
                Some(&typed),
                field_errors(e)?,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_entry(
    State(state): State<AppState>,
    editor: Editor,
    Path((id, entry)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, entry) = (article_id(&id)?, entry_id(&entry)?);
    state.content.delete_entry(&editor.user, id, entry).await?;
    Ok(Redirect::to(&format!("/newsroom/articles/{}#live", id.0)).into_response())
}
