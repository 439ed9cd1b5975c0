//! Live-blog entries as the page and the event stream show them: one template
//! (`partials/live_entry.html`) renders an entry for both, so an entry that arrives
//! over the stream looks exactly like one on a reloaded page.

use super::hub::Frame;
use crate::error::WebError;
use crate::site::{urls, view};
use crate::state::AppState;
use axum::body::Bytes;
use byline_core::{Article, LiveEntry};
use serde::Serialize;

/// How many key events the top of a live page lists.
const KEY_EVENTS: usize = 10;
/// Characters of an entry's text standing in for a missing title (key events list,
/// structured data).
const SUMMARY_CHARS: usize = 110;

#[derive(Serialize, Clone)]
pub(crate) struct EntryAuthor {
    pub name: String,
    pub url: String,
}

/// One entry as the page and the stream show it.
#[derive(Serialize, Clone)]
pub(crate) struct EntryView {
    pub id: i64,
    pub seq: i64,
    pub title: String,
    /// The title, or the start of the text.
    pub summary: String,
    pub html: String,
    pub time: String,
    pub time_iso: String,
    /// Unix seconds of its creation (the page keeps entries in this order).
    pub created: i64,
    pub author: Option<EntryAuthor>,
    pub key_event: bool,
    pub pinned: bool,
}

/// The live part of an article page.
#[derive(Serialize)]
pub(crate) struct LiveView {
    /// Still live (entries may come).
    pub on: bool,
    pub since_iso: String,
    /// When it ended, as the page says it.
    pub ended: Option<String>,
    /// The event stream, resuming after the newest entry this page shows.
    pub events_url: String,
    pub pinned: Option<EntryView>,
    /// Newest first, the pinned one left out (it is shown above).
    pub entries: Vec<EntryView>,
    pub key_events: Vec<EntryView>,
}

pub(crate) fn entry_view(state: &AppState, ed: &str, e: &LiveEntry) -> EntryView {
    let catalog = state.content.catalog();
    let dates = state.dates(ed);
    let summary = if e.title.is_empty() {
        let text = byline_render::plain_text(&e.body_markdown);
        let mut cut: String = text.chars().take(SUMMARY_CHARS).collect();
        if cut.len() < text.len() {
            cut = format!("{}…", cut.trim_end());
        }
        cut
    } else {
        e.title.clone()
    };
    EntryView {
        id: e.id,
        seq: e.seq,
        title: e.title.clone(),
        summary,
        html: e.body_html.clone(),
        time: dates.date_time(e.created_at, &catalog.timezone),
        time_iso: view::iso(e.created_at, &catalog),
        created: e.created_at.as_second(),
        author: e
            .author
            .and_then(|id| catalog.author(id))
            .map(|a| EntryAuthor {
                name: a.name.get(ed).to_owned(),
                url: urls::author(ed, a.slug.as_str()),
            }),
        key_event: e.key_event,
        pinned: e.pinned,
    }
}

/// The live part of `article`'s page from its newest entries (`None`: not a live blog).
pub(crate) fn live_view(
    state: &AppState,
    article: &Article,
    entries: &[LiveEntry],
) -> Option<LiveView> {
    let live = article.live?;
    let ed = article.edition.as_str();
    let catalog = state.content.catalog();
    let views: Vec<EntryView> = entries.iter().map(|e| entry_view(state, ed, e)).collect();
    let newest = entries.iter().map(|e| e.seq).max().unwrap_or(0);
    Some(LiveView {
        on: live.is_on(),
        since_iso: view::iso(live.since, &catalog),
        ended: live
            .until
            .map(|u| state.dates(ed).date_time(u, &catalog.timezone)),
        events_url: format!("{}?after={newest}", events_path(article.id.0)),
        pinned: views.iter().find(|e| e.pinned).cloned(),
        key_events: views
            .iter()
            .filter(|e| e.key_event)
            .take(KEY_EVENTS)
            .cloned()
            .collect(),
        entries: views.into_iter().filter(|e| !e.pinned).collect(),
    })
}

/// Where a live blog's readers get its entries as they come.
pub(crate) fn events_path(id: i64) -> String {
    format!("/api/v1/live/{id}/events")
}

/// An entry as the page shows it: the one template the page, the stream and the feed
/// share.
fn render_entry(
    state: &AppState,
    ed: &str,
    entry: &EntryView,
) -> Result<String, byline_render::RenderError> {
    state.theme.render(
        "partials/live_entry.html",
        &minijinja::context! { lang => ed, entry => entry },
    )
}

/// What the stream sends for an entry (its body only inside `element`, once).
#[derive(Serialize)]
struct EntryEvent<'a> {
    id: i64,
    seq: i64,
    title: &'a str,
    summary: &'a str,
    time: &'a str,
    key_event: bool,
    pinned: bool,
    /// The entry as the page shows it (rendered by the same template).
    element: String,
}

/// An entry written (`entry`) or deleted (`delete`), as one finished SSE frame whose id
/// is the entry's change-feed position.
pub(crate) fn entry_frame(state: &AppState, ed: &str, e: &LiveEntry) -> Result<Frame, WebError> {
    if e.deleted_at.is_some() {
        let data = serde_json::json!({ "id": e.id, "seq": e.seq });
        return Ok(frame(e.seq, "delete", &data.to_string()));
    }
    let entry = entry_view(state, ed, e);
    let element = render_entry(state, ed, &entry)?;
    let data = serde_json::to_string(&EntryEvent {
        id: entry.id,
        seq: entry.seq,
        title: &entry.title,
        summary: &entry.summary,
        time: &entry.time,
        key_event: entry.key_event,
        pinned: entry.pinned,
        element,
    })
    .map_err(|e| WebError::Content(byline_content::ContentError::Internal(e.into())))?;
    Ok(frame(e.seq, "entry", &data))
}

/// The live blog ended: readers stop listening.
pub(crate) fn end_frame() -> Frame {
    frame(0, "end", "{}")
}

/// `data` is one line of JSON (serde escapes line breaks inside strings).
fn frame(seq: i64, event: &str, data: &str) -> Frame {
    let text = if seq > 0 {
        format!("id: {seq}\nevent: {event}\ndata: {data}\n\n")
    } else {
        format!("event: {event}\ndata: {data}\n\n")
    };
    Frame {
        seq,
        bytes: Bytes::from(text),
    }
}

/// How many of a live blog's newest entries its feed item carries.
const FEED_ENTRIES: usize = 50;

/// A live blog's newest entries as its feed item's full text shows them after the
/// lead: the page's own rendering of each. Empty when they cannot be read (the item
/// keeps its lead; the page has them).
pub(crate) async fn feed_entries(state: &AppState, a: &Article) -> String {
    let entries = match state.content.live_entries(a.id).await {
        Ok(entries) => entries,
        Err(e) => {
            tracing::warn!(article = a.id.0, error = %e, "reading a live blog's entries for its feed item failed");
            return String::new();
        }
    };
    let mut html = String::new();
    for e in entries.iter().take(FEED_ENTRIES) {
        let entry = entry_view(state, &a.edition, e);
        match render_entry(state, &a.edition, &entry) {
            Ok(part) => html.push_str(&part),
            Err(err) => {
                tracing::error!(article = a.id.0, error = %err, "rendering a live entry failed")
            }
        }
    }
    html
}
