//! Web Push (`PushStore`) and the fan-out of a notification to its subscribers, which
//! the alert and live-blog writes call inside their own transactions.

use super::Backend;
use super::outbox;
use super::rows::{self, Row, Transaction};
use crate::{PushStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{NewPushSubscription, PushDelivery, PushKeys, PushKind, PushNotice, PushTally};
use jiff::Timestamp;
use sqlx::Row as _;

/// Where a notice comes from (the row its message points to).
pub(crate) enum Source {
    Alert(i64),
    Entry(i64),
}

/// Stores `notice` and one delivery per subscription of its edition (for a key event,
/// of those that asked for key events), due at once. Returns the message's id.
pub(crate) async fn enqueue(
    tx: &mut Transaction,
    notice: &PushNotice,
    source: Source,
) -> StoreResult<i64> {
    let (alert, entry) = match source {
        Source::Alert(id) => (Some(id), None),
        Source::Entry(id) => (None, Some(id)),
    };
    let message: i64 = sqlx::query_scalar(
        "insert into push_messages (kind, edition, title, body, url, alert_id, entry_id, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(notice.kind.as_str())
    .bind(&notice.edition)
    .bind(&notice.title)
    .bind(&notice.body)
    .bind(&notice.url)
    .bind(alert)
    .bind(entry)
    .bind(notice.created_at.as_second())
    .bind(notice.expires_at.as_second())
    .fetch_one(&mut **tx)
    .await?;
    // One statement, whatever the number of subscribers: the rows never cross the wire.
    sqlx::query(
        "insert into push_deliveries (message_id, subscription_id, next_at)
         select $1, id, $2 from push_subscriptions
         where edition = $3 and (key_events = $4 or $5)",
    )
    .bind(message)
    .bind(notice.created_at.as_second())
    .bind(&notice.edition)
    .bind(true)
    .bind(notice.kind == PushKind::Alert)
    .execute(&mut **tx)
    .await?;
    Ok(message)
}

/// Gives up the undelivered pushes of `source` (its alert ended, its entry was deleted):
/// a late notification would announce what is no longer there.
pub(crate) async fn give_up(
    tx: &mut Transaction,
    source: Source,
    at: Timestamp,
    why: &str,
) -> StoreResult<()> {
    let (column, id) = match source {
        Source::Alert(id) => ("alert_id", id),
        Source::Entry(id) => ("entry_id", id),
    };
    sqlx::query(&format!(
        "update push_deliveries set failed_at = $1, lease_until = null, last_error = $2
         where delivered_at is null and failed_at is null
           and message_id in (select id from push_messages where {column} = $3)"
    ))
    .bind(at.as_second())
    .bind(why)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives up the undelivered key-event pushes of article `article`'s entries (it was
/// taken down).
pub(crate) async fn give_up_article(
    tx: &mut Transaction,
    article: i64,
    at: Timestamp,
    why: &str,
) -> StoreResult<()> {
    sqlx::query(
        "update push_deliveries set failed_at = $1, lease_until = null, last_error = $2
         where delivered_at is null and failed_at is null
           and message_id in (select m.id from push_messages m
                              join live_entries e on e.id = m.entry_id
                              where e.article_id = $3)",
    )
    .bind(at.as_second())
    .bind(why)
    .bind(article)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const CLAIMED_COLUMNS: &str =
    "d.id, d.attempts, s.id as subscription_id, s.endpoint, s.p256dh, s.auth,
     m.id as message_id, m.kind, m.edition, m.title, m.body, m.url, m.expires_at";

fn delivery(row: &Row) -> StoreResult<PushDelivery> {
    let kind: String = row.try_get("kind")?;
    Ok(PushDelivery {
        id: row.try_get("id")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
        subscription: row.try_get("subscription_id")?,
        endpoint: row.try_get("endpoint")?,
        p256dh: row.try_get("p256dh")?,
        auth: row.try_get("auth")?,
        message: row.try_get("message_id")?,
        kind: PushKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(anyhow::anyhow!("stored push kind {kind:?}")))?,
        edition: row.try_get("edition")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        url: row.try_get("url")?,
        expires_at: rows::timestamp(row.try_get("expires_at")?)?,
    })
}

async fn tally(backend: &Backend, column: &str, id: i64) -> StoreResult<PushTally> {
    let row = sqlx::query(&format!(
        "select
           coalesce(sum(case when d.delivered_at is null and d.failed_at is null then 1 else 0 end), 0) as pending,
           coalesce(sum(case when d.delivered_at is not null then 1 else 0 end), 0) as delivered,
           coalesce(sum(case when d.failed_at is not null then 1 else 0 end), 0) as failed
         from push_deliveries d join push_messages m on m.id = d.message_id
         where m.{column} = $1"
    ))
    .bind(id)
    .fetch_one(&backend.read)
    .await?;
    let count =
        |c: &str| -> StoreResult<u64> { Ok(u64::try_from(row.try_get::<i64, _>(c)?).unwrap_or(0)) };
    Ok(PushTally {
        pending: count("pending")?,
        delivered: count("delivered")?,
        failed: count("failed")?,
    })
}

#[async_trait]
impl PushStore for Backend {
    async fn push_keys(&self, candidate: &PushKeys) -> StoreResult<PushKeys> {
        let mut tx = self.begin_write().await?;
        // The first node to start stores its pair; the others keep what they find.
        sqlx::query(
            "insert into push_keys (id, public_key, private_key) values (1, $1, $2)
             on conflict (id) do nothing",
        )
        .bind(&candidate.public_key)
        .bind(&candidate.private_key)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("select public_key, private_key from push_keys where id = 1")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(PushKeys {
            public_key: row.try_get("public_key")?,
            private_key: row.try_get("private_key")?,
        })
    }

    async fn subscribe_push(&self, s: &NewPushSubscription) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        // A browser that subscribes again (key events switched) renews its row rather
        // than adding a second one — only with the row's own secret: knowing an endpoint
        // must not let anyone swap its keys (and then remove it).
        let id: Option<i64> = sqlx::query_scalar(
            "insert into push_subscriptions (edition, endpoint, p256dh, auth, key_events, created_at)
             values ($1, $2, $3, $4, $5, $6)
             on conflict (endpoint, edition) do update
               set p256dh = excluded.p256dh, key_events = excluded.key_events
               where push_subscriptions.auth = excluded.auth
             returning id",
        )
        .bind(&s.edition)
        .bind(&s.endpoint)
        .bind(&s.p256dh)
        .bind(&s.auth)
        .bind(s.key_events)
        .bind(s.created_at.as_second())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(StoreError::Conflict(crate::push::OTHER_SECRET))?;
        tx.commit().await?;
        Ok(id)
    }

    async fn unsubscribe_push(
        &self,
        endpoint: &str,
        auth: &str,
        edition: Option<&str>,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "delete from push_subscriptions
             where endpoint = $1 and auth = $2 and ($3 is null or edition = $3)",
        )
        .bind(endpoint)
        .bind(auth)
        .bind(edition)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected())
    }

    async fn push_endpoint_gone(&self, subscription: i64) -> StoreResult<()> {
        sqlx::query(
            "delete from push_subscriptions
             where endpoint = (select endpoint from push_subscriptions where id = $1)",
        )
        .bind(subscription)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn push_subscription_count(&self, edition: Option<&str>) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from push_subscriptions where ($1 is null or edition = $1)",
        )
        .bind(edition)
        .fetch_one(&self.read)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn claim_push_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<PushDelivery>> {
        let mut tx = self.begin_write().await?;
        let ids = outbox::claim(&mut tx, "push_deliveries", "id", (now, lease_until), limit)
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        // One read for the batch: the write lock (SQLite) is held for two statements.
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "select {CLAIMED_COLUMNS} from push_deliveries d
             join push_subscriptions s on s.id = d.subscription_id
             join push_messages m on m.id = d.message_id
             where d.id in ({}) order by d.id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter().map(delivery).collect()
    }

    async fn push_delivery_done(&self, id: i64, at: Timestamp) -> StoreResult<()> {
        outbox::done(self, "push_deliveries", id, at).await
    }

    async fn push_delivery_failed(
        &self,
        id: i64,
        at: Timestamp,
        retry_at: Option<Timestamp>,
        error: &str,
    ) -> StoreResult<()> {
        outbox::failed(self, "push_deliveries", id, at, retry_at, error).await
    }

    async fn prune_push_messages(&self, before: Timestamp) -> StoreResult<u64> {
        // A message goes with its deliveries (cascade) once none is left to send; a few
        // at a time, so the writer (SQLite's only one) is never held for long.
        let mut pruned = 0;
        loop {
            let done = sqlx::query(
                "delete from push_messages where id in (
                   select m.id from push_messages m
                   where m.created_at < $1
                     and not exists (select 1 from push_deliveries d
                                     where d.message_id = m.id
                                       and d.delivered_at is null and d.failed_at is null)
                   limit 20)",
            )
            .bind(before.as_second())
            .execute(&self.write)
            .await?;
            pruned += done.rows_affected();
            if done.rows_affected() == 0 {
                return Ok(pruned);
            }
        }
    }

    async fn push_tally_of_alert(&self, alert: i64) -> StoreResult<PushTally> {
        tally(self, "alert_id", alert).await
    }

    async fn push_tally_of_entry(&self, entry: i64) -> StoreResult<PushTally> {
        tally(self, "entry_id", entry).await
    }
}
