//! Working together in the newsroom: who is assigned to an article, what each person is
//! told about (notifications), and who has an article open right now (presence).

use crate::ids::{ArticleId, UserId};
use jiff::Timestamp;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The writer and the editor an article is assigned to (either may be unset). The
/// assigned writer may work on the article as if it were theirs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assignment {
    pub writer: Option<UserId>,
    pub editor: Option<UserId>,
}

/// What a notification tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An editor sent the article back to its writer with a note.
    Returned,
    /// Someone assigned the article to the recipient (as writer or editor).
    Assigned,
    /// The article was scheduled.
    Scheduled,
    /// The article went live (by hand, or at its scheduled time).
    Published,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Returned => "returned",
            NoticeKind::Assigned => "assigned",
            NoticeKind::Scheduled => "scheduled",
            NoticeKind::Published => "published",
        }
    }
}

impl fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown notification kind {0:?}")]
pub struct UnknownNoticeKind(pub String);

impl FromStr for NoticeKind {
    type Err = UnknownNoticeKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "returned" => NoticeKind::Returned,
            "assigned" => NoticeKind::Assigned,
            "scheduled" => NoticeKind::Scheduled,
            "published" => NoticeKind::Published,
            other => return Err(UnknownNoticeKind(other.to_owned())),
        })
    }
}

/// A notification to be recorded for `recipient`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub recipient: UserId,
    pub article: ArticleId,
    pub kind: NoticeKind,
    /// Who did it; `None` for the scheduler.
    pub actor: Option<UserId>,
}

/// A notification as its recipient's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub article: ArticleId,
    pub article_title: String,
    pub kind: NoticeKind,
    /// The actor's name (their email when they gave none); empty for the scheduler or a
    /// removed account.
    pub actor_name: String,
    pub at: Timestamp,
    pub read: bool,
}

/// Someone with an article open in the newsroom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Presence {
    pub user: UserId,
    /// Their name, or their email when they gave none.
    pub name: String,
}
