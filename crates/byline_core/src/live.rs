//! Live blogs: an article that fills in with timestamped entries while something
//! happens (a summit, an election night), newest first, until an editor ends it.

use crate::ids::{ArticleId, AuthorId, UserId};
use jiff::Timestamp;

/// Longest entry title, in characters.
pub const MAX_ENTRY_TITLE: usize = 200;
/// Longest entry text (Markdown), in characters: a few paragraphs, not an article.
pub const MAX_ENTRY_BODY: usize = 20_000;
/// The most entries one live blog's page shows (newest first); older ones stay in the
/// store, the feed item and the Content API.
pub const PAGE_ENTRIES: u32 = 500;

/// When an article was (or is) live: `since` it was made a live blog, `until` it ended
/// (`None` while it is live).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCoverage {
    pub since: Timestamp,
    pub until: Option<Timestamp>,
}

impl LiveCoverage {
    /// Whether entries may still be posted.
    pub fn is_on(&self) -> bool {
        self.until.is_none()
    }
}

/// One entry of a live blog, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEntry {
    pub id: i64,
    pub article: ArticleId,
    /// Optional headline of the entry (empty for none).
    pub title: String,
    pub body_markdown: String,
    /// Rendered and sanitized like an article's body.
    pub body_html: String,
    /// Whose entry it is, from the outlet's authors (`None`: the outlet's).
    pub author: Option<AuthorId>,
    /// Listed among the key events at the top of the live page.
    pub key_event: bool,
    /// Shown above the others while pinned (one per live blog).
    pub pinned: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set when the entry was deleted (kept so readers connected or resuming learn it).
    pub deleted_at: Option<Timestamp>,
    /// The change-feed position of the entry's last write: the event id readers resume
    /// from, and the Content API's cursor.
    pub seq: i64,
    pub created_by: Option<UserId>,
}

/// What an editor writes into an entry (new, or an edit's new version), validated and
/// rendered by the content service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryText {
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub author: Option<AuthorId>,
    pub key_event: bool,
    pub pinned: bool,
}

/// A past version of an entry, kept when it is edited or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRevision {
    pub entry: i64,
    pub title: String,
    pub body_markdown: String,
    pub key_event: bool,
    pub pinned: bool,
    /// When this version was replaced (or deleted), and by whom.
    pub replaced_at: Timestamp,
    pub replaced_by: Option<UserId>,
}
