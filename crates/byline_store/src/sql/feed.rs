//! The change feed table (`ChangeFeedStore`), and recording a change inside a write.

use super::rows::{self, Transaction, now_secs};
use super::{Backend, Db};
use crate::dialect::Dialect;
use crate::{Change, ChangeFeedStore, ChangeKind, StoreError, StoreResult};
use async_trait::async_trait;
use sqlx::Row;

/// The LISTEN/NOTIFY channel carrying new change-feed sequence numbers.
pub(crate) const CHANNEL: &str = "byline_changes";

/// Appends a change row inside the caller's transaction; returns its sequence number.
pub(crate) async fn record(
    tx: &mut Transaction,
    kind: ChangeKind,
    entity_id: i64,
    action: &str,
) -> StoreResult<i64> {
    // Sequence numbers are taken at insert, but transactions may commit out of order; a
    // follower reading "seq > position" would then skip a late commit for good. Where
    // writers can overlap (PostgreSQL), a lock held from here to the commit makes commit
    // order equal sequence order; SQLite's single writer already does.
    if let Some(lock) = Db::CHANGE_ORDER_LOCK {
        sqlx::query(lock).execute(&mut **tx).await?;
    }
    let now = now_secs();
    let seq: i64 = sqlx::query_scalar(
        "insert into changes (kind, entity_id, action, at) values ($1, $2, $3, $4) returning seq",
    )
    .bind(kind.as_str())
    .bind(entity_id)
    .bind(action)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    // An article leaving the site takes its live blog's unsent key-event pushes with it
    // (they would lead to a page that is gone); a takedown says so itself.
    if kind == ChangeKind::Article && action == "unpublished" {
        super::push::give_up_article(
            tx,
            entity_id,
            jiff::Timestamp::from_second(now).unwrap_or_default(),
            "the article left the site",
        )
        .await?;
    }
    // Every write to an article records its change here, so this is the one place that
    // keeps `edited_at` (the newsroom's "updated") true for all of them.
    if kind == ChangeKind::Article {
        sqlx::query("update articles set edited_at = $1 where id = $2")
            .bind(now)
            .bind(entity_id)
            .execute(&mut **tx)
            .await?;
    }
    // Delivered at commit (and not at all on rollback) to every node listening, so the
    // others wake at once instead of at their next poll.
    if let Some(notify) = Db::CHANGE_NOTIFY {
        sqlx::query(notify)
            .bind(CHANNEL)
            .bind(seq.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(seq)
}

#[async_trait]
impl ChangeFeedStore for Backend {
    async fn notify_changes(
        &self,
        wake: std::sync::Arc<dyn Fn(i64) + Send + Sync>,
    ) -> StoreResult<bool> {
        self.listen_for_changes(wake).await
    }

    async fn changes_since(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>> {
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

    async fn last_change(&self) -> StoreResult<i64> {
        // Read on the writer: a reader connection may lag behind a just-committed write.
        let seq: Option<i64> = sqlx::query_scalar("select max(seq) from changes")
            .fetch_one(&self.write)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}
