//! Live blogs on the reader side (issue 17): each node's [`LiveHub`] follows the change
//! feed and sends new, edited and deleted entries to the readers connected to it over
//! Server-Sent Events (`GET /api/v1/live/{id}/events`, [`events`]); the page itself
//! stays cached and is purged by key on every entry like any article change.
//!
//! Why the change feed: an entry posted on one node reaches readers connected to any
//! node, within that node's feed poll (at once on this node and, with PostgreSQL's
//! notifications, on the others).

mod events;
mod hub;
mod view;

pub use events::events;
pub use hub::LiveHub;
pub(crate) use hub::start;
pub(crate) use view::{LiveView, events_path, feed_entries, live_view};
