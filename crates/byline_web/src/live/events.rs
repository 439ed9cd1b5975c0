//! `GET /api/v1/live/{id}/events`: a live blog's entries as Server-Sent Events, public
//! and without a key (the page's script opens it; so may an app).
//!
//! A reader resumes where it left: the browser's `Last-Event-ID` on reconnects, or
//! `?after=` (the page's newest entry) on the first connection. What was written since
//! comes from the store first, then the hub's broadcast, with anything already sent
//! skipped by its position. A blog that is not (or no longer) live answers 204, which
//! tells `EventSource` to stop reconnecting.

use super::hub::{CATCH_UP, Frame, Refused};
use super::view::entry_frame;
use crate::error::WebError;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::ContentError;
use byline_core::ArticleId;
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use tokio::sync::broadcast::{self, error::RecvError};

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

/// The most bytes one reader's catch-up may hold before it is sent: past that, the
/// reader is told to reload the page (which the page cache serves cheaply).
const CATCH_UP_BYTES: usize = 256 * 1024;

/// How long the browser waits before reconnecting after a drop (ms).
const RETRY: &[u8] = b"retry: 3000\n\n";

pub async fn events(
    method: Method,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(ArticleId)
        .ok_or(WebError::NotFound)?;
    // The header first: on a reconnect the browser sends it with the first URL's `after`.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(q.after);
    let after = match resume.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            WebError::BadRequest("Last-Event-ID (or after) must be a whole number from 0".into())
        })?),
    };
    let article = match state.content.published_article_by_id(id).await {
        Ok((a, _)) => a,
        Err(ContentError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    if !article.live.is_some_and(|l| l.is_on()) {
        return Ok(no_more());
    }
    if method == Method::HEAD {
        // A probe (the page's script, before it reconnects): live, and nothing held.
        return Ok(stream_response(stream::empty()));
    }
    let rx = match state.live.subscribe(id) {
        Ok(rx) => rx,
        // Stopping, or as many readers as allowed: come back (to this node or another).
        Err(Refused::Closed | Refused::Full) => return Ok(busy()),
    };
    // Subscribed first, read second: nothing written in between is missed (it is in
    // the read or comes over the channel, and what the read covered is skipped by
    // position).
    let mut first: VecDeque<Bytes> = VecDeque::from([Bytes::from_static(RETRY)]);
    let mut sent = after.unwrap_or(0);
    if let Some(after) = after {
        let missed = state
            .content
            .live_entries_since(id, after, CATCH_UP + 1)
            .await?;
        let frames = missed
            .iter()
            .map(|e| entry_frame(&state, &article.edition, e))
            .collect::<Result<Vec<_>, _>>()?;
        let bytes: usize = frames.iter().map(|f| f.bytes.len()).sum();
        if missed.len() > CATCH_UP as usize || bytes > CATCH_UP_BYTES {
            // Too far behind to replay: the page is the faster catch-up.
            first.push_back(Bytes::from_static(b"event: reload\ndata: {}\n\n"));
            return Ok(stream_response(stream::iter(
                first.into_iter().map(Ok::<_, Infallible>),
            )));
        }
        for Frame { seq, bytes } in frames {
            sent = sent.max(seq);
            first.push_back(bytes);
        }
    }
    Ok(stream_response(reader_stream(first, rx, sent)))
}

/// The frames of one reader: the catch-up, then the broadcast (skipping what the
/// catch-up covered). Ends when the reader falls behind the channel (it reconnects and
/// resumes) or the hub closes.
fn reader_stream(
    first: VecDeque<Bytes>,
    rx: broadcast::Receiver<Frame>,
    sent: i64,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    stream::unfold(
        (first, rx, sent),
        |(mut first, mut rx, mut sent)| async move {
            if let Some(bytes) = first.pop_front() {
                return Some((Ok(bytes), (first, rx, sent)));
            }
            loop {
                match rx.recv().await {
                    Ok(frame) if frame.seq > 0 && frame.seq <= sent => continue,
                    Ok(frame) => {
                        sent = sent.max(frame.seq);
                        return Some((Ok(frame.bytes), (first, rx, sent)));
                    }
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
                }
            }
        },
    )
}

fn stream_response(
    body: impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static,
) -> Response {
    let mut r = Response::new(Body::from_stream(body.boxed()));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Proxies (nginx) must pass events on as they come, not buffer them.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

/// 503 with Retry-After: this node holds as many readers as it may, or is stopping.
fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, HeaderValue::from_static("30")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        "Too many live readers on this server; try again shortly.\n",
    )
        .into_response()
}

/// 204: nothing to stream (not live, or no longer); `EventSource` stops.
fn no_more() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response()
}
