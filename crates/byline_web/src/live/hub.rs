//! One node's fan-out of live-blog entries to its connected readers.
//!
//! Each live blog with readers on this node has a broadcast channel. The hub follows
//! the change feed; for every entry write to such a blog it reads the entries written
//! since it last sent (each entry carries its change-feed position, `seq`), renders
//! each once into a finished SSE frame and broadcasts it: 10,000 readers cost one
//! render and 10,000 reference-count increments, not 10,000 serializations.
//!
//! A reader that falls behind the channel's capacity is not buffered for: its stream
//! ends, and the browser reconnects with `Last-Event-ID` and is caught up from the
//! store. Channels without receivers are dropped by the heartbeat.

use super::view::{end_frame, entry_frame};
use crate::state::AppState;
use axum::body::Bytes;
use byline_content::{Change, ChangeKind, ContentError, Follower};
use byline_core::{ArticleId, ArticleStatus};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Mutex, Weak};
use std::time::Duration;
use tokio::sync::broadcast;

/// Frames a reader may be behind before its stream is ended (it resumes from the store).
/// Above [`CATCH_UP`]: one turn of the hub's reads never outruns every reader at once.
const CAPACITY: usize = 256;
/// How often an idle stream gets a comment line, so proxies and browsers keep it open.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(20);
/// The most entries one catch-up sends; past that the reader is told to reload.
pub(crate) const CATCH_UP: u32 = 200;

/// A finished SSE frame and the change-feed position it carries (0: not an entry).
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub seq: i64,
    pub bytes: Bytes,
}

struct Channel {
    tx: broadcast::Sender<Frame>,
    /// Entries up to this position were sent (or were there before the channel).
    sent_up_to: i64,
}

/// See the module documentation.
#[derive(Default)]
pub struct LiveHub {
    channels: Mutex<HashMap<i64, Channel>>,
    /// The change-feed position this hub has taken in.
    position: AtomicI64,
    closed: AtomicBool,
    /// The most readers at once: a stream holds a connection for as long as the reader
    /// stays, and the connections are shared with every other page.
    max_readers: usize,
}

/// Why a reader was not subscribed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The server is stopping.
    Closed,
    /// As many readers as allowed are connected.
    Full,
}

impl LiveHub {
    /// A hub whose readers may take up to seven eighths of `max_connections` (the rest
    /// stays for pages, the newsroom and the API).
    pub(crate) fn new(position: i64, max_connections: usize) -> Self {
        Self {
            position: AtomicI64::new(position),
            max_readers: (max_connections / 8 * 7).max(1),
            ..Default::default()
        }
    }

    /// Subscribes to article `id`'s entries from now on.
    pub(crate) fn subscribe(&self, id: ArticleId) -> Result<broadcast::Receiver<Frame>, Refused> {
        if self.closed.load(Ordering::Acquire) {
            return Err(Refused::Closed);
        }
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if count_readers(&channels) >= self.max_readers {
            return Err(Refused::Full);
        }
        let position = self.position.load(Ordering::Acquire);
        let channel = channels.entry(id.0).or_insert_with(|| Channel {
            tx: broadcast::channel(CAPACITY).0,
            sent_up_to: position,
        });
        Ok(channel.tx.subscribe())
    }

    /// Readers connected to this node, over all live blogs.
    pub fn readers(&self) -> usize {
        count_readers(&self.channels.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Ends every stream (the server is stopping: a graceful stop should not wait for
    /// readers who would stay forever; their browsers reconnect to another node).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn send(&self, id: i64, frame: Frame) {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = channels.get_mut(&id) {
            if frame.seq > 0 {
                c.sent_up_to = c.sent_up_to.max(frame.seq);
            }
            // No receivers left: dropped by the next heartbeat.
            let _ = c.tx.send(frame);
        }
    }

    /// Moves a blog's position past an entry that could not be sent.
    fn skip_past(&self, id: i64, seq: i64) {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = channels.get_mut(&id) {
            c.sent_up_to = c.sent_up_to.max(seq);
        }
    }

    fn sent_up_to(&self, id: i64) -> Option<i64> {
        self.channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .map(|c| c.sent_up_to)
    }

    /// A comment to every stream, and channels nobody listens to dropped.
    fn heartbeat(&self) {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        channels.retain(|_, c| c.tx.receiver_count() > 0);
        for c in channels.values() {
            let _ = c.tx.send(Frame {
                seq: 0,
                bytes: Bytes::from_static(b": keep-alive\n\n"),
            });
        }
    }
}

fn count_readers(channels: &HashMap<i64, Channel>) -> usize {
    channels.values().map(|c| c.tx.receiver_count()).sum()
}

/// The hub as a change-feed follower. Holds the state weakly: the state owns the hub.
struct Fanout {
    state: Weak<crate::state::SharedState>,
}

impl Follower for Fanout {
    async fn apply(&self, batch: &[Change]) -> Result<(), ContentError> {
        let Some(shared) = self.state.upgrade() else {
            return Ok(());
        };
        let state = AppState::from_shared(shared);
        let hub = &state.live;
        // Each article the batch changed that has readers here. Any change counts:
        // an unpublished, deleted or taken-down blog ends its streams at once.
        let mut touched: Vec<i64> = Vec::new();
        for c in batch.iter().filter(|c| c.kind == ChangeKind::Article) {
            if !touched.contains(&c.entity_id) && hub.sent_up_to(c.entity_id).is_some() {
                touched.push(c.entity_id);
            }
        }
        for id in touched {
            let article = ArticleId(id);
            let a = match state.content.changed_article(article).await {
                Ok(a) => a,
                Err(ContentError::NotFound) => {
                    hub.send(id, end_frame());
                    continue;
                }
                Err(e) => return Err(e),
            };
            if a.status != ArticleStatus::Published || !a.live.is_some_and(|l| l.is_on()) {
                hub.send(id, end_frame());
                continue;
            }
            // Everything written since the last send, however many (a batch of posts
            // larger than one read is read in turns).
            while let Some(after) = hub.sent_up_to(id) {
                let entries = state
                    .content
                    .live_entries_since(article, after, CATCH_UP)
                    .await?;
                for e in &entries {
                    match entry_frame(&state, &a.edition, e) {
                        Ok(frame) => hub.send(id, frame),
                        // A theme that cannot render an entry would fail every retry
                        // alike: readers get it with the page, the log says why.
                        Err(err) => {
                            tracing::error!(article = id, entry = e.id, error = %err, "rendering a live entry failed");
                            hub.skip_past(id, e.seq);
                        }
                    }
                }
                if entries.len() < CATCH_UP as usize {
                    break;
                }
            }
        }
        if let Some(last) = batch.last() {
            hub.position.fetch_max(last.seq, Ordering::AcqRel);
        }
        Ok(())
    }
}

/// Starts the hub's change-feed follower and its heartbeat.
pub(crate) fn start(state: &AppState) {
    state.content.follow(
        "live-blogs",
        Fanout {
            state: state.downgrade(),
        },
    );
    let weak = state.downgrade();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(HEARTBEAT);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(shared) = weak.upgrade() else { return };
            if shared.live.closed.load(Ordering::Acquire) {
                return;
            }
            shared.live.heartbeat();
        }
    });
}
