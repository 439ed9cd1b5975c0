//! Web Push (issue 17): readers who asked for notifications, per edition, and the
//! notifications queued for them. A subscription is what the reader's browser handed
//! out (RFC 8030 endpoint, RFC 8291 keys); a notice is one notification, fanned out to
//! one delivery per subscription of its edition.

use jiff::Timestamp;

/// Longest push endpoint URL accepted (real push services' are 150–500 bytes).
pub const MAX_PUSH_ENDPOINT: usize = 1024;
/// Largest notification a push service must accept: one RFC 8291 `aes128gcm` record of
/// 4,096 bytes less its header (86 bytes with a P-256 key id), the AEAD tag (16) and the
/// padding delimiter (1).
pub const MAX_PUSH_PAYLOAD: usize = 4096 - 86 - 16 - 1;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKind {
    /// A breaking-news alert: every subscriber of the edition.
    Alert,
    /// A key event in a live blog: the subscribers who asked for those too.
    KeyEvent,
}

impl PushKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alert => "alert",
            Self::KeyEvent => "key_event",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "alert" => Some(Self::Alert),
            "key_event" => Some(Self::KeyEvent),
            _ => None,
        }
    }

    /// RFC 8030 `Urgency`: an alert may wake a phone, a key event may wait.
    pub fn urgency(self) -> &'static str {
        match self {
            Self::Alert => "high",
            Self::KeyEvent => "normal",
        }
    }
}

/// One notification to queue (validated by the content service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushNotice {
    pub kind: PushKind,
    pub edition: String,
    /// The notification's heading (the outlet's name, or the live blog's title).
    pub title: String,
    pub body: String,
    /// What the notification opens: a path on the site (`/en/…`) or an `https://` address.
    pub url: String,
    pub created_at: Timestamp,
    /// Not shown after this (the push service is told to drop it then: `TTL`).
    pub expires_at: Timestamp,
}

/// A browser's subscription for one edition's notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPushSubscription {
    pub edition: String,
    /// The push service's URL for this browser (a capability: whoever knows it can push).
    pub endpoint: String,
    /// The browser's P-256 public key, base64url (65 bytes uncompressed).
    pub p256dh: String,
    /// The browser's authentication secret, base64url (16 bytes).
    pub auth: String,
    /// Also live blogs' key events, not only breaking news.
    pub key_events: bool,
    pub created_at: Timestamp,
}

/// A claimed delivery of one notification to one subscription, with what it takes to
/// send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDelivery {
    pub id: i64,
    /// Attempts so far, this one included.
    pub attempts: u32,
    pub subscription: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    /// The notification's id (its `Topic` and tag, so a repeat replaces, not adds).
    pub message: i64,
    pub kind: PushKind,
    pub edition: String,
    pub title: String,
    pub body: String,
    pub url: String,
    pub expires_at: Timestamp,
}

/// How an alert's (or any notice's) deliveries stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushTally {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

/// The outlet's VAPID key pair (RFC 8292), base64url without padding: made once, kept
/// with the data, the same on every node (browsers' subscriptions are bound to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushKeys {
    /// The uncompressed P-256 point (65 bytes): the `applicationServerKey`.
    pub public_key: String,
    /// The private scalar (32 bytes).
    pub private_key: String,
}
