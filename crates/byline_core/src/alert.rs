//! Breaking-news alerts: a line over every reader page of one edition, for a while.

use crate::ids::{ArticleId, UserId};
use jiff::Timestamp;

/// Longest alert text, in characters (one line in the banner, one push notification).
pub const MAX_ALERT_TEXT: usize = 200;
/// Longest alert link.
pub const MAX_ALERT_URL: usize = 2000;
/// How long an alert shows when nobody says (two hours).
pub const DEFAULT_ALERT_MINUTES: i64 = 120;
/// The longest an alert may show (three days): a banner is for news, not a notice board.
pub const MAX_ALERT_MINUTES: i64 = 3 * 24 * 60;

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub id: i64,
    pub edition: String,
    pub text: String,
    /// Where the banner leads: a path on the site (`/en/news/…`) or an `https://` URL;
    /// empty for none.
    pub url: String,
    /// The story the alert is about, when it is one of ours.
    pub article: Option<ArticleId>,
    pub starts_at: Timestamp,
    /// When it stops showing by itself.
    pub ends_at: Timestamp,
    /// Set when it stopped: expired (`ends_at`) or ended early by an editor.
    pub ended_at: Option<Timestamp>,
    pub created_by: Option<UserId>,
}

impl Alert {
    /// Whether readers see it at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.ended_at.is_none() && self.starts_at <= now && now < self.ends_at
    }
}

/// A new alert, validated by the content service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub edition: String,
    pub text: String,
    pub url: String,
    pub article: Option<ArticleId>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: Option<UserId>,
    /// The Web Push notification to queue with it (`None`: none), fanned out to every
    /// subscriber of the edition in the same transaction.
    pub push: Option<crate::PushNotice>,
}
