//! The change feed table.

use super::{PostgresStore, now_secs, rows};
use crate::{Change, ChangeKind, StoreError, StoreResult};
use sqlx::{Postgres, Row, Transaction};

/// Appends a change row inside the caller's transaction.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Postgres>,
    kind: ChangeKind,
    entity_id: i64,
    action: &str,
) -> StoreResult<()> {
    // bigserial numbers are taken at insert, but transactions may commit out of order; a
    // follower reading "seq > position" would then skip a late commit for good. Holding
    // this transaction-scoped lock from the insert to the commit makes commit order equal
    // sequence order.
    sqlx::query("select pg_advisory_xact_lock(7242001)")
        .execute(&mut **tx)
        .await?;
    let seq: i64 = sqlx::query_scalar(
        "insert into changes (kind, entity_id, action, at) values ($1, $2, $3, $4) returning seq",
    )
    .bind(kind.as_str())
    .bind(entity_id)
    .bind(action)
    .bind(now_secs())
    .fetch_one(&mut **tx)
    .await?;
    // Delivered at commit (and not at all on rollback) to every node listening, so the
    // others wake at once instead of at their next poll.
    sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(seq.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The LISTEN/NOTIFY channel carrying new change-feed sequence numbers.
const CHANNEL: &str = "byline_changes";

impl PostgresStore {
    /// Listens for other nodes' changes and calls `wake` with each one's sequence number.
    /// A dropped connection is re-established by the listener; what was notified in
    /// between is found by the followers' poll of the table, so nothing is missed.
    pub(crate) async fn listen_for_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<()> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.read).await?;
        listener.listen(CHANNEL).await?;
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(notification) => match notification.payload().parse::<i64>() {
                        Ok(seq) => wake(seq),
                        Err(_) => tracing::warn!(
                            payload = notification.payload(),
                            "unexpected change notification"
                        ),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for changes failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }
}

impl PostgresStore {
    pub(crate) async fn changes_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>> {
        let rows = sqlx::query(
            "select seq, kind, entity_id, action, at from changes where seq > $1 order by seq limit $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: &str = row.try_get("kind")?;
                Ok(Change {
                    seq: row.try_get("seq")?,
                    kind: ChangeKind::parse(kind).ok_or_else(|| {
                        StoreError::Other(anyhow::anyhow!("unknown change kind {kind:?}"))
                    })?,
                    entity_id: row.try_get("entity_id")?,
                    action: row.try_get("action")?,
                    at: rows::timestamp(row.try_get("at")?)?,
                })
            })
            .collect()
    }

    pub(crate) async fn newest_change(&self) -> StoreResult<i64> {
        // Read on the writer: a reader connection may lag behind a just-committed write.
        let seq: Option<i64> = sqlx::query_scalar("select max(seq) from changes")
            .fetch_one(&self.write)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}
