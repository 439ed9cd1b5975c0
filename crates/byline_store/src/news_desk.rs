//! The news desk (issue 17): public correction notes on published articles, and
//! takedowns. Each write is an article change in the change feed, so every node's
//! pages, search and feeds follow it.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{Alert, ArticleId, Correction, NewAlert};
use jiff::Timestamp;

/// What `Conflict` names when a desk move finds the article in the wrong status (it
/// changed between the content service's check and the write).
pub const NOT_PUBLISHED: &str = "the article is not published";
pub const NOT_TAKEN_DOWN: &str = "the article is not taken down";
/// What `Conflict` names when a write would change a taken-down article (only
/// `reinstate_article` may).
pub const TAKEN_DOWN: &str = "the article was taken down";
/// What `Conflict` names when an alert that already stopped is ended.
pub const ALERT_ENDED: &str = "the alert has already ended";

#[async_trait]
pub trait NewsDeskStore: Send + Sync {
    /// Appends `note` to a published article's public notes and makes the note's time
    /// the article's `updated_at`, with one change-feed row (`corrected`: only the
    /// article's own page and the feeds change). `NotFound` for an unknown id,
    /// `Conflict(NOT_PUBLISHED)` when it is not published.
    async fn add_correction(&self, id: ArticleId, note: &Correction) -> StoreResult<()>;
    /// Takes a published article off the site with `reason` (change feed:
    /// `unpublished`). `NotFound` for an unknown id, `Conflict(NOT_PUBLISHED)`.
    /// In the same transaction, the article's open alerts end at `at` and their
    /// undelivered deliveries are given up (a removed story is not pushed).
    async fn take_down_article(
        &self,
        id: ArticleId,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Puts a taken-down article back on the site as published, its reason cleared
    /// (change feed: `published`). `NotFound`, `Conflict(NOT_TAKEN_DOWN)`.
    async fn reinstate_article(&self, id: ArticleId) -> StoreResult<()>;
    /// Whether the article that has (or had) the address `edition`/`slug` is taken down.
    async fn taken_down_at(&self, edition: &str, slug: &str) -> StoreResult<bool>;

    // ---- Breaking-news alerts: every write is one change-feed row (kind `alert`). ----

    /// Stores a new alert and, in the same transaction, one pending delivery per
    /// channel in `deliver_to` (e.g. `webhook`), due at once; returns its id.
    async fn raise_alert(&self, alert: &NewAlert, deliver_to: &[&str]) -> StoreResult<i64>;
    /// Ends alert `id` at `at` (an editor's "end now"). `NotFound`, or
    /// `Conflict(ALERT_ENDED)` when it had stopped already.
    async fn end_alert(&self, id: i64, at: Timestamp) -> StoreResult<()>;
    async fn alert(&self, id: i64) -> StoreResult<Alert>;
    /// Alerts not yet stopped (some may start later), oldest first.
    async fn open_alerts(&self) -> StoreResult<Vec<Alert>>;
    /// The newest `limit` alerts, stopped ones included, newest first.
    async fn recent_alerts(&self, limit: u32) -> StoreResult<Vec<Alert>>;
    /// Stops every alert whose time is up at `now`, each exactly once even with several
    /// nodes calling this; returns their ids.
    async fn expire_alerts(&self, now: Timestamp) -> StoreResult<Vec<i64>>;

    // ---- The alerts' outbox (deliveries to the app relay) ----

    /// Claims up to `limit` deliveries due at `now` for this sender until `lease_until`
    /// (counting the attempt): a delivery is claimed by one sender at a time, across
    /// nodes, and comes due again if its sender never reports back.
    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<AlertDelivery>>;
    /// Marks a claimed delivery delivered.
    async fn delivery_done(&self, id: i64, at: Timestamp) -> StoreResult<()>;
    /// Releases a failed attempt: due again at `retry_at`, or given up for good when
    /// `retry_at` is `None`. `error` says what went wrong (for the operator).
    async fn delivery_failed(
        &self,
        id: i64,
        at: Timestamp,
        retry_at: Option<Timestamp>,
        error: &str,
    ) -> StoreResult<()>;
    /// An alert's deliveries, by id.
    async fn deliveries_of(&self, alert: i64) -> StoreResult<Vec<AlertDelivery>>;
}

/// One delivery of an alert on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDelivery {
    pub id: i64,
    pub alert: i64,
    pub channel: String,
    /// Attempts so far, the claimed one included.
    pub attempts: u32,
    pub delivered_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    pub last_error: String,
}
