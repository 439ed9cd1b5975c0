//! Web Push (issue 17): the outlet's VAPID key pair, readers' subscriptions and the
//! notifications' outbox. Notifications are queued by the writes they announce
//! (`raise_alert`, `add_entry`), in the same transaction; this area claims and settles
//! their deliveries, like the app relay's outbox in [`NewsDeskStore`](crate::NewsDeskStore).

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{NewPushSubscription, PushDelivery, PushKeys, PushTally};
use jiff::Timestamp;

/// What `Conflict` names when an endpoint already subscribed to an edition is sent
/// again with another secret.
pub const OTHER_SECRET: &str = "this endpoint is subscribed with another secret";

#[async_trait]
pub trait PushStore: Send + Sync {
    /// The stored key pair; when there is none yet, `candidate` is stored and returned.
    /// Nodes starting at once all get the one that was stored first.
    async fn push_keys(&self, candidate: &PushKeys) -> StoreResult<PushKeys>;
    /// Adds (or renews: same endpoint, edition and secret) a subscription; returns its
    /// id. `Conflict(OTHER_SECRET)` when the endpoint and edition have another secret.
    async fn subscribe_push(&self, subscription: &NewPushSubscription) -> StoreResult<i64>;
    /// Removes the subscription of `endpoint` to `edition` (every edition when `None`),
    /// only when `auth` is its secret; returns how many were removed.
    async fn unsubscribe_push(
        &self,
        endpoint: &str,
        auth: &str,
        edition: Option<&str>,
    ) -> StoreResult<u64>;
    /// The push service said the subscription is gone (404/410): removes every
    /// subscription of its endpoint, and so what was still queued for them.
    async fn push_endpoint_gone(&self, subscription: i64) -> StoreResult<()>;
    /// Subscriptions of one edition, or of all.
    async fn push_subscription_count(&self, edition: Option<&str>) -> StoreResult<u64>;
    /// Claims up to `limit` deliveries due at `now` until `lease_until` (counting the
    /// attempt): one sender at a time across nodes; a sender that never reports back
    /// loses them when the lease runs out.
    async fn claim_push_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<PushDelivery>>;
    /// Marks a claimed delivery delivered.
    async fn push_delivery_done(&self, id: i64, at: Timestamp) -> StoreResult<()>;
    /// Releases a failed attempt: due again at `retry_at`, or given up (`None`).
    /// `NotFound` when it was settled meanwhile.
    async fn push_delivery_failed(
        &self,
        id: i64,
        at: Timestamp,
        retry_at: Option<Timestamp>,
        error: &str,
    ) -> StoreResult<()>;
    /// Deletes the messages made before `before` that have nothing left to send, with
    /// their deliveries; returns how many.
    async fn prune_push_messages(&self, before: Timestamp) -> StoreResult<u64>;
    /// How the notification of alert `alert` stands across its subscribers.
    async fn push_tally_of_alert(&self, alert: i64) -> StoreResult<PushTally>;
    /// How the notification of live-blog entry `entry` stands.
    async fn push_tally_of_entry(&self, entry: i64) -> StoreResult<PushTally>;
}
