//! The media library (`/newsroom/media`): a grid of every picture, searched by file
//! name, alt text, caption and credit (`?q=&page=`, a bookmark that works without
//! JavaScript); one picture's page to change its words and focal point, see where it
//! is used and delete it (refused while anything shows it); and the JSON the editor's
//! pictures dialog reads (`/newsroom/media/pick`). Uploading is `media::upload`.

use super::page::{self, FieldErrors};
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{ContentError, MediaMeta};
use byline_core::{
    Action, ArticleStatus, Focal, MediaId, MediaItem, MediaUse, Ownership, PageNumber, PageRequest,
    User, allowed,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Pictures per page of the grid.
const GRID_PAGE: u32 = 48;
/// Pictures per page of the editor's dialog.
const PICK_PAGE: u32 = 24;
/// Thumbnails are drawn at most about this wide (CSS pixels × 2 for sharp screens).
const THUMB_WIDTH: u32 = 320;

/// The grid's query parameters as typed (text, so a bad value is kept and shown).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LibraryParams {
    q: String,
    page: String,
    /// `1` after a deletion: the page says so.
    deleted: String,
}

impl LibraryParams {
    fn page(&self) -> Result<u32, &'static str> {
        match self.page.trim() {
            "" => Ok(1),
            raw => match raw.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err("newsroom-list-error-page"),
            },
        }
    }

    fn href(&self, page: u32) -> String {
        let mut pairs = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", self.q.trim().to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        match serde_urlencoded::to_string(pairs) {
            Ok(qs) if !qs.is_empty() => format!("/newsroom/media?{qs}"),
            _ => "/newsroom/media".to_owned(),
        }
    }
}

/// One picture as the grid and the dialog show it.
#[derive(Debug, Serialize)]
pub struct Thumb {
    id: i64,
    href: String,
    /// A file about [`THUMB_WIDTH`] wide, and the full `srcset`.
    thumb: String,
    src: String,
    srcset: String,
    width: u32,
    height: u32,
    alt: String,
    caption: String,
    credit: String,
    file_name: String,
    /// How an article's body refers to it.
    markdown: String,
}

impl Thumb {
    fn of(item: &MediaItem) -> Self {
        Self {
            id: item.id.0,
            href: format!("/newsroom/media/{}", item.id),
            thumb: item.url_at_least(THUMB_WIDTH),
            src: item.src(),
            srcset: item.srcset(),
            width: item.width,
            height: item.height,
            alt: item.alt.clone(),
            caption: item.caption.clone(),
            credit: item.credit.clone(),
            file_name: item.file_name.clone(),
            markdown: crate::media::Uploaded::of(item).markdown,
        }
    }
}

#[derive(Serialize)]
struct LibraryView {
    q: String,
    items: Vec<Thumb>,
    total: u64,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    errors: FieldErrors,
    deleted: bool,
    /// A refused upload from the form without a script: its message.
    upload_error: Option<String>,
    upload_action: String,
}

/// `GET /newsroom/media`: the grid.
pub async fn library(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(params): Query<LibraryParams>,
) -> Result<Response, WebError> {
    render_library(&state, &headers, &editor, &params, None).await
}

/// The grid, with the message of a refused upload when there is one (the form without
/// a script lands here; its status is the refusal's).
pub(crate) async fn render_library(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    params: &LibraryParams,
    upload_error: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let lang = page::lang(state, headers);
    let mut errors = FieldErrors::new();
    let mut view = LibraryView {
        q: params.q.clone(),
        items: Vec::new(),
        total: 0,
        page: 1,
        pages: 1,
        prev: None,
        next: None,
        errors: FieldErrors::new(),
        deleted: params.deleted == "1",
        upload_error: None,
        upload_action: format!(
            "{}?form=1&csrf={}",
            super::media::UPLOAD_PATH,
            super::csrf::for_upload(&editor.token, jiff::Timestamp::now().as_second())
        ),
    };
    let mut status = StatusCode::OK;
    match params.page() {
        Err(message) => {
            errors.insert("page".into(), message.into());
        }
        Ok(page) => {
            let request = PageRequest::new(PageNumber::new(page), GRID_PAGE);
            match state.content.media_library(&params.q, request).await {
                Ok((items, total)) => {
                    let pages = total.div_ceil(u64::from(GRID_PAGE)).max(1) as u32;
                    view.items = items.iter().map(Thumb::of).collect();
                    view.total = total;
                    view.page = page;
                    view.pages = pages;
                    view.prev = (page > 1).then(|| params.href(page - 1));
                    view.next = (page < pages).then(|| params.href(page + 1));
                }
                Err(ContentError::Invalid { field, .. }) => {
                    errors.insert(field.into(), "newsroom-media-error-q".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    if !errors.is_empty() {
        status = StatusCode::BAD_REQUEST;
    }
    if let Some((refused, message)) = upload_error {
        status = refused;
        view.upload_error = Some(message);
    }
    view.errors = errors;
    page::render(
        state,
        &lang,
        Some(editor),
        status,
        "newsroom/media.html",
        view,
    )
}

/// What the editor's pictures dialog reads: a page of matching pictures.
#[derive(Serialize)]
struct Picked {
    items: Vec<Thumb>,
    total: u64,
    page: u32,
    pages: u32,
}

/// `GET /newsroom/media/pick?q=&page=`: JSON for the pictures dialog.
pub async fn pick(
    State(state): State<AppState>,
    headers: HeaderMap,
    _editor: Editor,
    Query(params): Query<LibraryParams>,
) -> Response {
    let page = match params.page() {
        Ok(page) => page,
        Err(key) => {
            let lang = page::lang(&state, &headers);
            return crate::media::Problem::new(
                StatusCode::BAD_REQUEST,
                Some("page"),
                state.theme.t(&lang, key),
            )
            .into_response();
        }
    };
    let request = PageRequest::new(PageNumber::new(page), PICK_PAGE);
    match state.content.media_library(&params.q, request).await {
        Ok((items, total)) => {
            let body = Picked {
                items: items.iter().map(Thumb::of).collect(),
                total,
                page,
                pages: total.div_ceil(u64::from(PICK_PAGE)).max(1) as u32,
            };
            let mut r = Json(body).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => crate::media::Problem::from(e).into_response(),
    }
}

/// One use of the picture, as the picture's page lists it.
#[derive(Serialize)]
struct UseView {
    kind: &'static str,
    title: String,
    edition: String,
    status: Option<&'static str>,
    /// Where the viewer may open it; `None` for one they may not (listed as a count).
    href: Option<String>,
}

#[derive(Serialize)]
struct ItemView {
    item: Thumb,
    original: String,
    bytes_kb: u64,
    uploaded: String,
    form: ItemForm,
    errors: FieldErrors,
    uses: Vec<UseView>,
    /// Uses in articles the viewer may not open: counted, not named.
    hidden_uses: usize,
    may_manage: bool,
    saved: bool,
    /// The deletion was refused: the picture is in use.
    in_use: bool,
}

/// The picture's form as typed (text, so a bad value is kept and shown).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    alt: String,
    caption: String,
    credit: String,
    focal_x: String,
    focal_y: String,
}

impl ItemForm {
    fn of(item: &MediaItem) -> Self {
        Self {
            alt: item.alt.clone(),
            caption: item.caption.clone(),
            credit: item.credit.clone(),
            focal_x: item.focal.x.to_string(),
            focal_y: item.focal.y.to_string(),
        }
    }

    fn focal(&self, errors: &mut FieldErrors) -> Focal {
        let mut percent = |field: &str, raw: &str| match raw.trim().parse::<u8>() {
            Ok(n) if n <= 100 => n,
            _ => {
                errors.insert(field.into(), "newsroom-media-error-focal".into());
                50
            }
        };
        let x = percent("focal_x", &self.focal_x);
        let y = percent("focal_y", &self.focal_y);
        Focal::new(x, y).unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ItemQuery {
    saved: String,
}

fn media_id(raw: &str) -> Result<MediaId, WebError> {
    raw.parse::<i64>()
        .map(MediaId)
        .map_err(|_| WebError::NotFound)
}

/// `GET /newsroom/media/{id}`: the picture's page.
pub async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    Query(query): Query<ItemQuery>,
) -> Result<Response, WebError> {
    let item = state.content.media(media_id(&id)?).await?;
    let form = ItemForm::of(&item);
    let shown = Shown {
        saved: query.saved == "1",
        ..Shown::default()
    };
    render_item(&state, &headers, &editor, &item, form, shown).await
}

/// What the picture's page says beside the picture.
#[derive(Default)]
struct Shown {
    errors: FieldErrors,
    saved: bool,
    in_use: bool,
}

async fn render_item(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    item: &MediaItem,
    form: ItemForm,
    shown: Shown,
) -> Result<Response, WebError> {
    let lang = page::lang(state, headers);
    let (uses, hidden_uses) = uses_for(state, &editor.user, item.id).await?;
    let status = if shown.in_use {
        StatusCode::CONFLICT
    } else if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let view = ItemView {
        item: Thumb::of(item),
        original: item.original_url(),
        bytes_kb: item.bytes.div_ceil(1024),
        uploaded: state.content.site_time(item.created_at).replace('T', " "),
        form,
        errors: shown.errors,
        uses,
        hidden_uses,
        may_manage: item.managed_by(&editor.user),
        saved: shown.saved,
        in_use: shown.in_use,
    };
    page::render(
        state,
        &lang,
        Some(editor),
        status,
        "newsroom/media_item.html",
        view,
    )
}

/// The uses the viewer may open, named; the others counted. Deleted articles are
/// named to those who may restore them, pages to those who manage them.
async fn uses_for(
    state: &AppState,
    user: &User,
    id: MediaId,
) -> Result<(Vec<UseView>, usize), WebError> {
    let mut named = Vec::new();
    let mut hidden = 0;
    for used in state.content.media_usage(id).await? {
        match used {
            MediaUse::Article {
                id,
                title,
                edition,
                status,
            } => {
                let opens = state.content.newsroom_article(user, id).await.is_ok()
                    && (status != ArticleStatus::Deleted
                        || allowed(user.role, Action::UndoDelete, Ownership::Own));
                if opens {
                    named.push(UseView {
                        kind: "article",
                        title,
                        edition,
                        status: Some(status.as_str()),
                        href: Some(format!("/newsroom/articles/{}", id.0)),
                    });
                } else {
                    hidden += 1;
                }
            }
            // Pages (drafts among them) are named to those who manage them.
            MediaUse::Page { id, title, edition } => {
                if allowed(user.role, Action::ManagePages, Ownership::Own) {
                    named.push(UseView {
                        kind: "page",
                        title,
                        edition,
                        status: None,
                        href: Some(format!("/newsroom/pages/{id}")),
                    });
                } else {
                    hidden += 1;
                }
            }
        }
    }
    Ok((named, hidden))
}

/// `POST /newsroom/media/{id}`: new words and focal point. A refused form is shown
/// again as typed, with its messages.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<ItemForm>,
) -> Result<Response, WebError> {
    let id = media_id(&id)?;
    let item = state.content.media(id).await?;
    let mut errors = FieldErrors::new();
    let focal = form.focal(&mut errors);
    if errors.is_empty() {
        let meta = MediaMeta {
            alt: form.alt.clone(),
            caption: form.caption.clone(),
            credit: form.credit.clone(),
            uploaded_by: None,
        };
        match state
            .content
            .update_media(&editor.user, id, &meta, focal)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/newsroom/media/{}?saved=1", id.0)).into_response()
                );
            }
            // Alt text, caption and credit are refused only for their length.
            Err(ContentError::Invalid { field, .. }) => {
                errors.insert(field.into(), "newsroom-media-error-long".into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let shown = Shown {
        errors,
        ..Shown::default()
    };
    render_item(&state, &headers, &editor, &item, form, shown).await
}

/// `POST /newsroom/media/{id}/delete`: refused (409, the page with the uses listed)
/// while anything shows the picture.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
    axum::extract::Form(_fields): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = media_id(&id)?;
    match state.content.delete_media(&editor.user, id).await {
        Ok(()) => Ok(Redirect::to("/newsroom/media?deleted=1").into_response()),
        Err(ContentError::Conflict(_)) => {
            let item = state.content.media(id).await?;
            let form = ItemForm::of(&item);
            let shown = Shown {
                in_use: true,
                ..Shown::default()
            };
            render_item(&state, &headers, &editor, &item, form, shown).await
        }
        Err(e) => Err(e.into()),
    }
}
