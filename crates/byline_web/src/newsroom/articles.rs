//! Articles in the newsroom: the list, the editor form, saving (with conflict
//! detection) and the status moves. Rights are checked by the content service against
//! the permission matrix; these handlers only parse, call and render.

use super::page::{self, FieldErrors, field_errors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{ArticleForm, Catalog, ContentError, DiffLine, SaveOutcome, Transition};
use byline_core::{Action, Article, ArticleId, ArticleMeta, ArticleStatus, Ownership, allowed};
use byline_render::PasteError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

pub use super::article_list::list;

/// A section, tag or author the editor offers: its slug and its name in the article's
/// edition.
#[derive(Serialize)]
struct Choice {
    slug: String,
    name: String,
}

/// A section in the editor's select: its name in the article's edition, and in every
/// edition (`data-name-<edition>` on its option, for the script to follow the edition
/// select).
#[derive(Serialize)]
struct SectionChoice {
    slug: String,
    name: String,
    names: Vec<EditionName>,
}

/// A name in one edition.
#[derive(Serialize)]
struct EditionName {
    edition: String,
    name: String,
}

/// A signed preview link and when it stops working.
#[derive(Serialize)]
struct PreviewLink {
    url: String,
    until: String,
}

/// The stored article the form edits.
#[derive(Serialize)]
struct ArticleState {
    id: i64,
    status: &'static str,
    revision: i64,
    public_url: Option<String>,
    preview: Option<PreviewLink>,
    publish_at: Option<String>,
    updated_at: Option<String>,
    /// Why it was taken down, while it is.
    takedown_reason: Option<String>,
    /// Its public correction notes, oldest first (shown on the site too).
    corrections: Vec<CorrectionRow>,
    /// Whether the user may append a correction note now (published, `add_correction`).
    may_correct: bool,
    /// Whether the user may raise a breaking-news alert for it (published,
    /// `manage_alerts`).
    may_alert: bool,
}

/// A public correction note as the editor lists it.
#[derive(Serialize)]
struct CorrectionRow {
    kind: &'static str,
    text: String,
    at: String,
}

/// Someone else's save that came first: what they saved, and where the typed text went.
#[derive(Serialize)]
pub(super) struct Conflict {
    kept: i64,
    current_revision: i64,
    title: String,
    subtitle: String,
    body: String,
}

/// `edit.html`'s own members: the form and what surrounds it.
#[derive(Serialize)]
struct EditorView<'a> {
    sections: Vec<SectionChoice>,
    /// The pickers' choices (`<datalist>`s the script turns into chips).
    tags: Vec<Choice>,
    authors: Vec<Choice>,
    editions: Vec<String>,
    /// The status moves the user may make now.
    moves: Vec<&'static str>,
    /// The site's time zone, in which the schedule time is typed.
    timezone: String,
    /// None for a new article.
    article: Option<ArticleState>,
    form: &'a ArticleForm,
    errors: FieldErrors,
    saved: bool,
    conflict: Option<Conflict>,
    /// The article's internal notes, oldest first (staff only).
    notes: Vec<NoteRow>,
    note_draft: &'a str,
    /// The assignment form, for those who may assign.
    desk: Option<DeskView>,
    /// Who the article is assigned to (names, empty for nobody), for those who may not
    /// assign.
    assigned: Option<Assigned>,
    /// Others who have the article open now, by name.
    present: Vec<String>,
    /// The live-blog desk, for those who may publish the article.
    live: Option<super::live::LiveDesk>,
}

/// The assignment form: the people to choose from and the current choice.
#[derive(Serialize)]
struct DeskView {
    writers: Vec<Person>,
    editors: Vec<Person>,
    writer: Option<i64>,
    editor: Option<i64>,
}

#[derive(Serialize)]
struct Assigned {
    writer: String,
    editor: String,
}

#[derive(Serialize)]
struct Person {
    id: i64,
    name: String,
}

/// An internal note as the editor lists it.
#[derive(Serialize)]
struct NoteRow {
    author: String,
    at: String,
    body: String,
}

/// What the editor shows around a form: the choices, the stored article and its moves.
pub(super) struct EditorPage<'a> {
    pub(super) article: Option<(&'a Article, &'a ArticleMeta)>,
    pub(super) form: &'a ArticleForm,
    pub(super) errors: FieldErrors,
    pub(super) saved: bool,
    pub(super) conflict: Option<Conflict>,
    /// A note that was refused, as typed (shown again in the notes form).
    pub(super) note_draft: Option<&'a str>,
}

/// Renders the editor: sections, editions, the moves the user may make now.
pub(super) async fn editor_page(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    status: StatusCode,
    page: EditorPage<'_>,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    // Names in the article's edition (a section is one across editions, named in each).
    let edition = Some(page.form.edition.as_str())
        .filter(|e| catalog.settings.editions.iter().any(|x| x.code == *e))
        .unwrap_or(catalog.settings.default_edition());
    let choice = |slug: &byline_core::Slug, name: &byline_core::Localized| Choice {
        slug: slug.to_string(),
        name: name.get(edition).to_owned(),
    };
    let sections = catalog
        .sections
        .iter()
        .map(|s| SectionChoice {
            slug: s.slug.to_string(),
            name: s.name.get(edition).to_owned(),
            names: catalog
                .settings
                .editions
                .iter()
                .map(|e| EditionName {
                    edition: e.code.clone(),
                    name: s.name.get(&e.code).to_owned(),
                })
                .collect(),
        })
        .collect();
    let tags = catalog
        .tags
        .iter()
        .map(|t| choice(&t.slug, &t.name))
        .collect();
    let authors = catalog
        .authors
        .iter()
        .map(|a| choice(&a.slug, &a.name))
        .collect();
    let editions = catalog
        .settings
        .editions
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let notes = match page.article {
        None => Vec::new(),
        Some((a, _)) => state
            .content
            .article_notes(&editor.user, a.id)
            .await?
            .into_iter()
            .map(|n| NoteRow {
                author: n.author_name,
                at: state.content.site_time(n.created_at).replace('T', " "),
                body: n.body,
            })
            .collect(),
    };
    let errors = page::in_language(state, lang, page.errors);
    let (desk, assigned, present) = match page.article {
        None => (None, None, Vec::new()),
        Some((a, _)) => desk_view(state, editor, a.id).await?,
    };
    let live = match page.article {
        None => None,
        Some((a, meta)) => super::live::live_desk(state, editor, a, meta).await?,
    };
    let (moves, article) = match page.article {
        None => (Vec::new(), None),
        Some((a, meta)) => (
            moves(editor, a, meta),
            Some(article_state(state, editor, &catalog, a, meta)),
        ),
    };
    page::render(
        state,
        lang,
        Some(editor),
        status,
        "newsroom/edit.html",
        EditorView {
            sections,
            tags,
            authors,
            editions,
            moves,
            timezone: catalog.settings.timezone.clone(),
            article,
            form: page.form,
            errors,
            saved: page.saved,
            conflict: page.conflict,
            notes,
            note_draft: page.note_draft.unwrap_or(""),
            desk,
            assigned,
            present,
            live,
        },
    )
}

/// The editor's desk: the assignment (a form for those who may assign, words for the
/// others) and who else has the article open (opening it counts as being there).
async fn desk_view(
    state: &AppState,
    editor: &Editor,
    id: ArticleId,
) -> Result<(Option<DeskView>, Option<Assigned>, Vec<String>), WebError> {
    let content = &state.content;
    let (assignment, present) = content.desk_state(&editor.user, id).await?;
    let present = present.into_iter().map(|p| p.name).collect();
    match content.desk_people(&editor.user).await {
        Ok(people) => {
            let person = |(id, name, _): &(byline_core::UserId, String, bool)| Person {
                id: id.0,
                name: name.clone(),
            };
            let desk = DeskView {
                writers: people.iter().map(person).collect(),
                editors: people.iter().filter(|p| p.2).map(person).collect(),
                writer: assignment.writer.map(|u| u.0),
                editor: assignment.editor.map(|u| u.0),
            };
            Ok((Some(desk), None, present))
        }
        Err(ContentError::Forbidden) => {
            let name = |u: Option<byline_core::UserId>| async move {
                match u {
                    Some(u) => content.user_name(u).await,
                    None => Ok(String::new()),
                }
            };
            let (writer, desk) = (
                name(assignment.writer).await?,
                name(assignment.editor).await?,
            );
            let words = (!writer.is_empty() || !desk.is_empty()).then_some(Assigned {
                writer,
                editor: desk,
            });
            Ok((None, words, present))
        }
        Err(e) => Err(e.into()),
    }
}

/// The stored article's editor, answered 400 with the messages of a refused side form
/// (a status move, a translation, a note) and, for a note, its text as typed.
pub(super) async fn refused_beside_the_article(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    id: ArticleId,
    errors: FieldErrors,
    note_draft: Option<&str>,
) -> Result<Response, WebError> {
    let (article, meta) = match state.content.newsroom_article(&editor.user, id).await {
        Ok(found) => found,
        // A deleted article is out of a non-admin's sight: say only "not allowed".
        Err(ContentError::Forbidden) => return Err(WebError::Forbidden),
        Err(other) => return Err(other.into()),
    };
    let form = ArticleForm::from_article(&state.content, &article);
    editor_page(
        state,
        lang,
        editor,
        StatusCode::BAD_REQUEST,
        EditorPage {
            article: Some((&article, &meta)),
            form: &form,
            errors,
            saved: false,
            conflict: None,
            note_draft,
        },
    )
    .await
}

/// What a writer typed into an article that was deleted meanwhile.
#[derive(Serialize)]
struct DeletedView<'a> {
    form: &'a ArticleForm,
}

/// Whether the article is the user's own: they created it or are its assigned writer.
pub(super) fn ownership_of(editor: &Editor, meta: &ArticleMeta) -> Ownership {
    let me = Some(editor.user.id);
    if meta.owner == me || meta.writer == me {
        Ownership::Own
    } else {
        Ownership::Others
    }
}

/// The status moves `editor` may make on `a` now.
fn moves(editor: &Editor, a: &Article, meta: &ArticleMeta) -> Vec<&'static str> {
    let ownership = ownership_of(editor, meta);
    use ArticleStatus::*;
    let candidates: [(&str, Action, &[ArticleStatus]); 9] = [
        ("submit", Action::SubmitForReview, &[Draft, Unpublished]),
        // Who may approve a piece in review may send it back with a note.
        ("return", Action::Publish, &[InReview]),
        (
            "publish",
            Action::Publish,
            &[Draft, InReview, Scheduled, Unpublished],
        ),
        (
            "schedule",
            Action::Schedule,
            &[Draft, InReview, Scheduled, Unpublished],
        ),
        ("unpublish", Action::Unpublish, &[Published, Scheduled]),
        (
            "delete",
            Action::Delete,
            &[Draft, InReview, Scheduled, Published, Unpublished],
        ),
        ("restore", Action::UndoDelete, &[Deleted]),
        ("takedown", Action::TakeDown, &[Published]),
        ("reinstate", Action::Reinstate, &[TakenDown]),
    ];
    candidates
        .iter()
        .filter(|(_, action, from)| {
            from.contains(&a.status) && allowed(editor.user.role, *action, ownership)
        })
        .map(|(name, _, _)| *name)
        .collect()
}

fn article_state(
    state: &AppState,
    editor: &Editor,
    catalog: &Catalog,
    a: &Article,
    meta: &ArticleMeta,
) -> ArticleState {
    use ArticleStatus::*;
    let section_slug = catalog
        .sections
        .iter()
        .find(|s| s.id == a.section)
        .map(|s| s.slug.to_string())
        .unwrap_or_default();
    let public_url =
        (a.status == Published).then(|| format!("/{}/{}/{}", a.edition, section_slug, a.slug));
    let preview = (!matches!(a.status, Published | Deleted | TakenDown)).then(|| {
        let (path, until) = super::preview::fresh_link(state, a.id);
        PreviewLink {
            url: state.absolute(&path),
            until: state.content.site_time(until).replace('T', " "),
        }
    });
    ArticleState {
        id: a.id.0,
        status: a.status.as_str(),
        revision: meta.revision,
        public_url,
        preview,
        publish_at: a.published_at.map(|t| state.content.site_time(t)),
        updated_at: a
            .updated_at
            .map(|t| state.content.site_time(t).replace('T', " ")),
        // The reason is the desk's (an editorial and legal record), not the writer's.
        takedown_reason: a
            .takedown_reason
            .clone()
            .filter(|_| editor.user.role >= byline_core::Role::Editor),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionRow {
                kind: c.kind.as_str(),
                text: c.text.clone(),
                at: state.content.site_time(c.at).replace('T', " "),
            })
            .collect(),
        may_correct: a.status == Published
            && allowed(
                editor.user.role,
                Action::AddCorrection,
                ownership_of(editor, meta),
            ),
        may_alert: a.status == Published
            && allowed(editor.user.role, Action::ManageAlerts, Ownership::Own),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    if !allowed(editor.user.role, Action::CreateDraft, Ownership::Own) {
        return Err(WebError::Forbidden);
    }
    let catalog = state.content.catalog();
    let form = ArticleForm {
        edition: catalog.settings.default_edition().to_owned(),
        ..Default::default()
    };
    editor_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        EditorPage {
            article: None,
            form: &form,
            errors: FieldErrors::new(),
            saved: false,
            conflict: None,
            note_draft: None,
        },
    )
    .await
}

fn article_form(fields: &HashMap<String, String>) -> ArticleForm {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    ArticleForm {
        edition: get("edition"),
        section: get("section"),
        title: get("title"),
        subtitle: get("subtitle"),
        slug: get("slug"),
        body: get("body"),
        tags: get("tags"),
        authors: get("authors"),
        seo_title: get("seo_title"),
        seo_description: get("seo_description"),
        cover: get("cover"),
        social_image: get("social_image"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let form = article_form(&fields);
    match state.content.create_draft(&editor.user, &form).await {
        Ok((id, _)) => {
            Ok(Redirect::to(&format!("/newsroom/articles/{}?saved=1", id.0)).into_response())
        }
        Err(e) => {
            let errors = field_errors(e)?;
            editor_page(
                &state,
                &lang,
                &editor,
                StatusCode::BAD_REQUEST,
                EditorPage {
                    article: None,
                    form: &form,
                    errors,
                    saved: false,
                    conflict: None,
                    note_draft: None,
                },
            )
            .await
        }
    }
}

pub(super) fn article_id(raw: &str) -> Result<ArticleId, WebError> {
    raw.parse::<i64>()
        .map(ArticleId)
        .map_err(|_| WebError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let (article, meta) = state
        .content
        .newsroom_article(&editor.user, article_id(&id)?)
        .await?;
    let form = ArticleForm::from_article(&state.content, &article);
    editor_page(
        &state,
        &lang,
        &editor,
        StatusCode::OK,
        EditorPage {
            article: Some((&article, &meta)),
            form: &form,
            errors: FieldErrors::new(),
            saved: q.saved.is_some(),
            conflict: None,
            note_draft: None,
        },
    )
    .await
}

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let form = article_form(&fields);
    let based_on = based_on(&fields)?;
    let outcome = state
        .content
        .save_article(&editor.user, id, based_on, &form)
        .await;
    saved_or_form(&state, &lang, &editor, id, based_on, form, outcome).await
}

/// `POST /newsroom/articles/{id}/autosave`: the editor's form, sent by its script every
/// few seconds while the text changes. Answers JSON: `{saved, revision}`, or 409
/// `{conflict, kept, current_revision, message}` (the typed text is kept as revision
/// `kept`, as with a refused save), or 400 `{errors}`. Published articles are not
/// autosaved (every save of one is a correction readers see).
pub async fn autosave(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let form = article_form(&fields);
    let based_on = based_on(&fields)?;
    let article = match state.content.newsroom_article(&editor.user, id).await {
        Ok((article, _)) => Some(article),
        // Out of sight (deleted meanwhile?): the save below says 410 to its writer, 403
        // to anyone else.
        Err(ContentError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    if article.is_some_and(|a| a.status == ArticleStatus::Published) {
        let message = state.theme.t(&lang, "newsroom-keep-published");
        let body = json!({"saved": false, "message": message});
        return Ok((StatusCode::CONFLICT, axum::Json(body)).into_response());
    }
    let answer = match state
        .content
        .save_article(&editor.user, id, based_on, &form)
        .await
    {
        Ok(SaveOutcome::Saved { revision }) => {
            (StatusCode::OK, json!({"saved": true, "revision": revision}))
        }
        Ok(SaveOutcome::Stale {
            kept,
            current_revision,
            ..
        }) => (
            StatusCode::CONFLICT,
            json!({
                "saved": false, "conflict": true, "kept": kept.id,
                "current_revision": current_revision,
                "message": state.theme.t_args(
                    &lang,
                    "newsroom-keep-conflict",
                    &[("revision", kept.id.into())],
                ),
            }),
        ),
        Err(e @ ContentError::Invalid { .. }) => (
            StatusCode::BAD_REQUEST,
            json!({"saved": false, "errors": page::in_language(&state, &lang, field_errors(e)?)}),
        ),
        Err(ContentError::Deleted) => (
            StatusCode::GONE,
            json!({"saved": false, "deleted": true, "message": state.theme.t(&lang, "newsroom-keep-deleted")}),
        ),
        Err(e) => return Err(e.into()),
    };
    let mut response = (answer.0, axum::Json(answer.1)).into_response();
    response.extensions_mut().insert(crate::error::Finished);
    Ok(response)
}

/// Reading speed for the "min read" estimate, in words per minute.
const WORDS_PER_MINUTE: usize = 200;

/// `POST /newsroom/render` with `body`: the live preview. Answers JSON `{html, words,
/// minutes}` rendered by the site's own renderer (so sanitized exactly as on the site),
/// or 400 `{error}` (an unknown picture, say).
pub async fn render_preview(
    State(state): State<AppState>,
    _editor: Editor,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let body = fields.get("body").map(String::as_str).unwrap_or("");
    let (status, answer) = match state.content.preview_body(body).await {
        Ok((html, words)) => (
            StatusCode::OK,
            json!({"html": html, "words": words, "minutes": words.div_ceil(WORDS_PER_MINUTE).max(1)}),
        ),
        Err(ContentError::Invalid { message, .. }) => {
            (StatusCode::BAD_REQUEST, json!({"error": message}))
        }
        Err(e) => return Err(e.into()),
    };
    let mut response = (status, axum::Json(answer)).into_response();
    response.extensions_mut().insert(crate::error::Finished);
    Ok(response)
}

/// `POST /newsroom/paste` with `html`: rich text pasted from a word processor or a web
/// page, as Markdown (`{markdown}`), or 400/413 `{error}` saying why not (too large,
/// nested too deeply: `byline_core::limits`). Converted on the server by
/// [`byline_render::html_to_markdown`].
pub async fn paste(
    _editor: Editor,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let html = fields.get("html").map(String::as_str).unwrap_or("");
    let (status, answer) = match byline_render::html_to_markdown(html) {
        Ok(markdown) => (StatusCode::OK, json!({"markdown": markdown})),
        Err(e) => {
            let status = match e {
                PasteError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                PasteError::TooDeep => StatusCode::BAD_REQUEST,
            };
            (status, json!({"error": e.to_string()}))
        }
    };
    let mut response = (status, axum::Json(answer)).into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}

/// After a save: back to the editor when it worked, else the form again with the field
/// messages or the conflict (what was typed is always shown).
async fn saved_or_form(
    state: &AppState,
    lang: &str,
    editor: &Editor,
    id: ArticleId,
    based_on: i64,
    form: ArticleForm,
    outcome: Result<SaveOutcome, ContentError>,
) -> Result<Response, WebError> {
    let (status, errors, conflict) = match outcome {
        Ok(SaveOutcome::Saved { .. }) => {
            return Ok(
                Redirect::to(&format!("/newsroom/articles/{}?saved=1", id.0)).into_response(),
            );
        }
        Ok(SaveOutcome::Stale {
            kept,
            current,
            current_revision,
        }) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(Conflict {
                kept: kept.id,
                current_revision,
                title: current.title,
                subtitle: current.subtitle,
                body: current.body_markdown,
            }),
        ),
        Err(e @ ContentError::Invalid { .. }) => (StatusCode::BAD_REQUEST, field_errors(e)?, None),
        // Deleted by someone else meanwhile: the text comes back to be copied.
        Err(ContentError::Deleted) => {
            return page::render(
                state,
                lang,
                Some(editor),
                StatusCode::GONE,
                "newsroom/deleted_while_open.html",
                DeletedView { form: &form },
            );
        }
        Err(e) => return Err(e.into()),
    };
    // Show what was typed (never lose it) over the stored article's other details.
    let (article, mut meta) = state.content.newsroom_article(&editor.user, id).await?;
    if conflict.is_none() && !errors.contains_key("revision") {
        // A refused-by-validation save keeps the revision it was based on (unless that
        // revision was what was wrong: then the form is based on the newest again).
        meta.revision = based_on;
    }
    editor_page(
        state,
        lang,
        editor,
        status,
        EditorPage {
            article: Some((&article, &meta)),
            form: &form,
            errors,
            saved: false,
            conflict,
            note_draft: None,
        },
    )
    .await
}

/// `POST /newsroom/articles/{id}/translate` with `edition`: a linked draft in that
/// edition, opened in the editor.
pub async fn translate(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let edition = fields.get("edition").map(String::as_str).unwrap_or("");
    match state
        .content
        .create_translation(&editor.user, id, edition)
        .await
    {
        Ok((new, _)) => {
            Ok(Redirect::to(&format!("/newsroom/articles/{}?saved=1", new.0)).into_response())
        }
        Err(e @ ContentError::Invalid { .. }) => {
            refused_beside_the_article(&state, &lang, &editor, id, field_errors(e)?, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/articles/{id}/revisions/{revision}/restore` with the revision the
/// restorer saw as newest (`revision` field).
pub async fn restore_revision(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path((id, revision)): Path<(String, String)>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let revision = revision.parse::<i64>().map_err(|_| WebError::NotFound)?;
    let based_on = based_on(&fields)?;
    let restored = state.content.revision(&editor.user, id, revision).await?;
    let outcome = state
        .content
        .restore_revision(&editor.user, id, revision, based_on)
        .await;
    let (article, _) = state.content.newsroom_article(&editor.user, id).await?;
    let form = ArticleForm {
        title: restored.title,
        subtitle: restored.subtitle,
        body: restored.body_markdown,
        ..ArticleForm::from_article(&state.content, &article)
    };
    saved_or_form(&state, &lang, &editor, id, based_on, form, outcome).await
}

fn based_on(fields: &HashMap<String, String>) -> Result<i64, WebError> {
    fields
        .get("revision")
        .and_then(|r| r.trim().parse::<i64>().ok())
        .ok_or_else(|| WebError::BadInput {
            key: "newsroom-bad-form-revision",
            detail: "the form lacks the revision it was based on".into(),
        })
}

pub async fn transition(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let raw = fields.get("action").map(String::as_str).unwrap_or("");
    if raw == "return" {
        let note = fields.get("return_note").map(String::as_str).unwrap_or("");
        return match state.content.return_with_note(&editor.user, id, note).await {
            Ok(()) => Ok(Redirect::to(&format!("/newsroom/articles/{}", id.0)).into_response()),
            Err(ContentError::Invalid { field, message }) => {
                let errors = if field == "return_note" {
                    FieldErrors::from([(field.into(), "newsroom-return-error-note".into())])
                } else {
                    FieldErrors::from([(field.into(), message)])
                };
                refused_beside_the_article(&state, &lang, &editor, id, errors, Some(note)).await
            }
            Err(e) => Err(e.into()),
        };
    }
    if raw == "takedown" || raw == "reinstate" {
        let reason = fields
            .get("takedown_reason")
            .map(String::as_str)
            .unwrap_or("");
        let done = if raw == "takedown" {
            state.content.take_down(&editor.user, id, reason).await
        } else {
            state.content.reinstate(&editor.user, id).await
        };
        return match done {
            Ok(()) => Ok(Redirect::to(&format!("/newsroom/articles/{}", id.0)).into_response()),
            Err(e @ ContentError::Invalid { .. }) => {
                refused_beside_the_article(
                    &state,
                    &lang,
                    &editor,
                    id,
                    field_errors(e)?,
                    Some(reason),
                )
                .await
            }
            Err(e) => Err(e.into()),
        };
    }
    let transition = match raw {
        "submit" => Ok(Transition::Submit),
        "publish" => Ok(Transition::Publish),
        "unpublish" => Ok(Transition::Unpublish),
        "delete" => Ok(Transition::Delete),
        "restore" => Ok(Transition::Restore),
        "schedule" => state
            .content
            .parse_site_time(
                "publish_at",
                fields.get("publish_at").map(String::as_str).unwrap_or(""),
            )
            .map(Transition::Schedule),
        other => {
            return Err(WebError::BadInput {
                key: "newsroom-bad-action",
                detail: format!("unknown action {other:?}"),
            });
        }
    };
    let result = match transition {
        Ok(t) => state
            .content
            .transition(&editor.user, id, t)
            .await
            .map(|_| ()),
        Err(e) => {
            // A bad time says so only to someone who may schedule this article.
            state.content.newsroom_article(&editor.user, id).await?;
            let meta_check = state
                .content
                .transition_allowed(&editor.user, id, Action::Schedule)
                .await;
            meta_check.and(Err(e))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/newsroom/articles/{}", id.0)).into_response()),
        Err(e @ ContentError::Invalid { .. }) => {
            refused_beside_the_article(&state, &lang, &editor, id, field_errors(e)?, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A revision in the article's history.
#[derive(Serialize)]
struct RevisionRow<'a> {
    id: i64,
    title: &'a str,
    accepted: bool,
    based_on: i64,
    at: String,
    body: &'a str,
}

/// `revisions.html`'s own members.
#[derive(Serialize)]
struct RevisionsView<'a> {
    article_id: i64,
    revisions: Vec<RevisionRow<'a>>,
}

/// `diff.html`'s own members: one revision against the one it was based on.
#[derive(Serialize)]
struct DiffView {
    article_id: i64,
    revision: i64,
    based_on: i64,
    accepted: bool,
    lines: Vec<DiffLine>,
    /// The article's newest revision.
    current: i64,
    at: String,
}

pub async fn revisions(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let list = state.content.article_revisions(&editor.user, id).await?;
    let rows = list
        .iter()
        .map(|r| RevisionRow {
            id: r.id,
            title: &r.title,
            accepted: r.accepted,
            based_on: r.based_on,
            at: state.content.site_time(r.created_at).replace('T', " "),
            body: &r.body_markdown,
        })
        .collect();
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/revisions.html",
        RevisionsView {
            article_id: id.0,
            revisions: rows,
        },
    )
}

pub async fn revision_diff(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path((id, revision)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let id = article_id(&id)?;
    let revision = revision.parse::<i64>().map_err(|_| WebError::NotFound)?;
    let (r, lines) = state
        .content
        .revision_diff(&editor.user, id, revision)
        .await?;
    let (_, meta) = state.content.newsroom_article(&editor.user, id).await?;
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/diff.html",
        DiffView {
            article_id: id.0,
            revision: r.id,
            based_on: r.based_on,
            accepted: r.accepted,
            lines,
            current: meta.revision,
            at: state.content.site_time(r.created_at).replace('T', " "),
        },
    )
}
