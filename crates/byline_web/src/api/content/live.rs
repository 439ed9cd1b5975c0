//! `GET /api/v1/live/{id}/entries`: a live blog's entries for the apps, by cursor.
//!
//! The cursor is a position in the change feed: every entry carries the position of
//! its last write (`seq`), so "after this cursor" is exactly what changed since —
//! new entries, edits, and deletions (as `deleted: true`). An app pages through from
//! the start without `after`, then polls with the last `next_cursor` (or listens to
//! `/api/v1/live/{id}/events`, whose event ids are the same positions).

use crate::api::auth::AppKey;
use crate::api::params::{cached_json, read};
use crate::api::problem::{KeyRefusals, Kind, Problem};
use crate::site::view;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use byline_content::{ContentError, MAX_ENTRIES_PER_REQUEST};
use byline_core::ArticleId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryParams {
    /// A `next_cursor` from an earlier answer: only what was written after it
    after: Option<String>,
    /// How many entries at most (1–200, default 50)
    limit: Option<String>,
}

/// A live-blog entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub id: i64,
    /// Its position; the answer's `next_cursor` is the last one's.
    pub cursor: String,
    /// Deleted since it was posted (the other members are then empty).
    pub deleted: bool,
    pub title: String,
    /// Sanitized HTML, as on the site.
    pub body_html: String,
    pub author: Option<EntryAuthorOut>,
    pub key_event: bool,
    pub pinned: bool,
    /// RFC 3339, in the site's time zone.
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryAuthorOut {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryPage {
    /// In the order they were written (oldest change first).
    pub entries: Vec<EntryOut>,
    /// Pass as `after` for what comes next (also when `entries` is empty).
    pub next_cursor: String,
    /// Whether entries may still come.
    pub live: bool,
    /// Server-Sent Events of the same entries as they are written.
    pub events_url: String,
}

fn bad(param: &str, message: &str) -> Problem {
    Problem::new(Kind::BadRequest, message.to_owned()).naming(vec![param.into()])
}

/// A live blog's entries written after a cursor.
#[utoipa::path(
    get, path = "/api/v1/live/{id}/entries", tag = "content",
    params(("id" = i64, Path, description = "The live blog's article id"), EntryParams),
    responses(
        (status = 200, description = "Entries written after the cursor", body = EntryPage),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published live blog", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn entries(
    State(state): State<AppState>,
    _key: AppKey,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params: EntryParams = read(query.as_deref())?;
    let after = match params.after.as_deref() {
        None | Some("") => 0,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| bad("after", "after must be a next_cursor this API gave out"))?,
    };
    let limit = match params.limit.as_deref() {
        None | Some("") => 50,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_ENTRIES_PER_REQUEST).contains(n))
            .ok_or_else(|| {
                bad(
                    "limit",
                    &format!("limit must be a whole number from 1 to {MAX_ENTRIES_PER_REQUEST}"),
                )
            })?,
    };
    let id = id
        .parse::<i64>()
        .map(ArticleId)
        .map_err(|_| Problem::from(ContentError::NotFound))?;
    let (article, _) = state.content.published_article_by_id(id).await?;
    let Some(coverage) = article.live else {
        return Err(ContentError::NotFound.into());
    };
    let found = state.content.live_entries_since(id, after, limit).await?;
    let catalog = state.content.catalog();
    let ed = article.edition.as_str();
    let next_cursor = found.last().map_or(after, |e| e.seq).to_string();
    let entries = found
        .into_iter()
        .map(|e| {
            let deleted = e.deleted_at.is_some();
            EntryOut {
                id: e.id,
                cursor: e.seq.to_string(),
                deleted,
                title: if deleted { String::new() } else { e.title },
                body_html: if deleted { String::new() } else { e.body_html },
                author: e
                    .author
                    .filter(|_| !deleted)
                    .and_then(|a| catalog.author(a))
                    .map(|a| EntryAuthorOut {
                        slug: a.slug.to_string(),
                        name: a.name.get(ed).to_owned(),
                    }),
                key_event: e.key_event && !deleted,
                pinned: e.pinned && !deleted,
                created_at: view::iso(e.created_at, &catalog),
                updated_at: view::iso(e.updated_at, &catalog),
            }
        })
        .collect();
    let page = EntryPage {
        entries,
        next_cursor,
        live: coverage.is_on(),
        events_url: state.absolute(&crate::live::events_path(id.0)),
    };
    static NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
    Ok(cached_json(&headers, &page, &NO_CACHE))
}
