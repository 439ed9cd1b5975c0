//! Correction notes and takedowns (`NewsDeskStore`).

use super::Backend;
use super::feed;
use super::outbox;
use super::push::{self, Source};
use super::rows::Row;
use super::rows::{self, Transaction};
use crate::news_desk::{ALERT_ENDED, NOT_PUBLISHED, NOT_TAKEN_DOWN};
use crate::{AlertDelivery, ChangeKind, NewsDeskStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{Alert, ArticleId, ArticleStatus, Correction, NewAlert, UserId};
use jiff::Timestamp;
use sqlx::Row as _;

const ALERT_COLUMNS: &str =
    "id, edition, body, url, article_id, starts_at, ends_at, ended_at, created_by";

const DELIVERY_COLUMNS: &str =
    "id, alert_id, channel, attempts, delivered_at, failed_at, last_error";

fn delivery(row: &Row) -> StoreResult<AlertDelivery> {
    let time = |column: &str| -> StoreResult<Option<Timestamp>> {
        row.try_get::<Option<i64>, _>(column)?
            .map(rows::timestamp)
            .transpose()
    };
    Ok(AlertDelivery {
        id: row.try_get("id")?,
        alert: row.try_get("alert_id")?,
        channel: row.try_get("channel")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
        delivered_at: time("delivered_at")?,
        failed_at: time("failed_at")?,
        last_error: row.try_get("last_error")?,
    })
}

fn alert(row: &Row) -> StoreResult<Alert> {
    let time = |column: &str| -> StoreResult<Timestamp> { rows::timestamp(row.try_get(column)?) };
    Ok(Alert {
        id: row.try_get("id")?,
        edition: row.try_get("edition")?,
        text: row.try_get("body")?,
        url: row.try_get("url")?,
        article: row.try_get::<Option<i64>, _>("article_id")?.map(ArticleId),
        starts_at: time("starts_at")?,
        ends_at: time("ends_at")?,
        ended_at: row
            .try_get::<Option<i64>, _>("ended_at")?
            .map(rows::timestamp)
            .transpose()?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
    })
}

/// Moves article `id` from status `from` to `to` with `reason` as its takedown reason,
/// as one conditional update: `NotFound` when there is no such article, `Conflict(not)`
/// when it is not (or no longer) in `from`.
async fn move_status(
    tx: &mut Transaction,
    id: ArticleId,
    (from, to): (ArticleStatus, ArticleStatus),
    reason: Option<&str>,
    not: &'static str,
) -> StoreResult<()> {
    rows::article_exists(tx, id.0).await?;
    let done = sqlx::query(
        "update articles set status = $1, takedown_reason = $2 where id = $3 and status = $4",
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(id.0)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(not));
    }
    Ok(())
}

/// Gives up `alert`'s undelivered deliveries (it ended or its story was taken down: a
/// late push would announce what is no longer on the site).
async fn give_up_deliveries(
    tx: &mut Transaction,
    alert: i64,
    at: Timestamp,
    why: &str,
) -> StoreResult<()> {
    sqlx::query(
        "update alert_deliveries set failed_at = $1, lease_until = null, last_error = $2
         where alert_id = $3 and delivered_at is null and failed_at is null",
    )
    .bind(at.as_second())
    .bind(why)
    .bind(alert)
    .execute(&mut **tx)
    .await?;
    push::give_up(tx, Source::Alert(alert), at, why).await
}

#[async_trait]
impl NewsDeskStore for Backend {
    async fn add_correction(&self, id: ArticleId, note: &Correction) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        rows::article_exists(&mut tx, id.0).await?;
        // Taking the row first (an update that changes nothing but must match
        // `published`) makes the read-append-write below one step: a concurrent note on
        // PostgreSQL waits here instead of appending to the same old list.
        let live = sqlx::query(
            "update articles set updated_at = updated_at where id = $1 and status = $2",
        )
        .bind(id.0)
        .bind(ArticleStatus::Published.as_str())
        .execute(&mut *tx)
        .await?;
        if live.rows_affected() == 0 {
            return Err(StoreError::Conflict(NOT_PUBLISHED));
        }
        let stored: String = sqlx::query_scalar("select corrections from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let mut notes: Vec<Correction> = rows::json(&stored)?;
        notes.push(note.clone());
        sqlx::query("update articles set corrections = $1, updated_at = $2 where id = $3")
            .bind(rows::to_json(&notes)?)
            .bind(note.at.as_second())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "corrected").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_down_article(
        &self,
        id: ArticleId,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let moved = (ArticleStatus::Published, ArticleStatus::TakenDown);
        move_status(&mut tx, id, moved, Some(reason), NOT_PUBLISHED).await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "unpublished").await?;
        // Its breaking-news alerts come down with it, and nothing more is pushed.
        let ended: Vec<i64> = sqlx::query_scalar(
            "update breaking_alerts set ended_at = $1
             where article_id = $2 and ended_at is null returning id",
        )
        .bind(at.as_second())
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        for alert in ended {
            give_up_deliveries(&mut tx, alert, at, "the article was taken down").await?;
            feed::record(&mut tx, ChangeKind::Alert, alert, "ended").await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn reinstate_article(&self, id: ArticleId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let moved = (ArticleStatus::TakenDown, ArticleStatus::Published);
        move_status(&mut tx, id, moved, None, NOT_TAKEN_DOWN).await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "published").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn taken_down_at(&self, edition: &str, slug: &str) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "select a.id from articles a
             where a.status = $1 and a.edition = $2
               and (a.slug = $3 or a.id in (select o.article_id from article_old_slugs o
                                            where o.edition = $2 and o.slug = $3))
             limit 1",
        )
        .bind(ArticleStatus::TakenDown.as_str())
        .bind(edition)
        .bind(slug)
        .fetch_optional(&self.read)
        .await?;
        Ok(found.is_some())
    }

    async fn raise_alert(&self, a: &NewAlert, deliver_to: &[&str]) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into breaking_alerts (edition, body, url, article_id, starts_at, ends_at, created_by)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(&a.edition)
        .bind(&a.text)
        .bind(&a.url)
        .bind(a.article.map(|x| x.0))
        .bind(a.starts_at.as_second())
        .bind(a.ends_at.as_second())
        .bind(a.created_by.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        for channel in deliver_to {
            sqlx::query(
                "insert into alert_deliveries (alert_id, channel, next_at) values ($1, $2, $3)",
            )
            .bind(id)
            .bind(*channel)
            .bind(a.starts_at.as_second())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(notice) = &a.push {
            push::enqueue(&mut tx, notice, Source::Alert(id)).await?;
        }
        feed::record(&mut tx, ChangeKind::Alert, id, "created").await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn end_alert(&self, id: i64, at: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // Conditional, so an end racing the expiry (or another editor) stops it once.
        let done = sqlx::query(
            "update breaking_alerts set ended_at = $1 where id = $2 and ended_at is null",
        )
        .bind(at.as_second())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("select id from breaking_alerts where id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict(ALERT_ENDED),
                None => StoreError::NotFound,
            });
        }
        give_up_deliveries(
            &mut tx,
            id,
            at,
            "the alert was ended before it was delivered",
        )
        .await?;
        feed::record(&mut tx, ChangeKind::Alert, id, "ended").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn alert(&self, id: i64) -> StoreResult<Alert> {
        let row = sqlx::query(&format!(
            "select {ALERT_COLUMNS} from breaking_alerts where id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        alert(&row)
    }

    async fn open_alerts(&self) -> StoreResult<Vec<Alert>> {
        let rows = sqlx::query(&format!(
            "select {ALERT_COLUMNS} from breaking_alerts where ended_at is null order by id"
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(alert).collect()
    }

    async fn recent_alerts(&self, limit: u32) -> StoreResult<Vec<Alert>> {
        let rows = sqlx::query(&format!(
            "select {ALERT_COLUMNS} from breaking_alerts order by id desc limit $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(alert).collect()
    }

    async fn expire_alerts(&self, now: Timestamp) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        // One statement claims them: a second node's identical update finds no row left
        // (PostgreSQL re-checks `ended_at is null` after waiting on the first's lock).
        let ids: Vec<i64> = sqlx::query_scalar(
            "update breaking_alerts set ended_at = ends_at
             where ended_at is null and ends_at <= $1 returning id",
        )
        .bind(now.as_second())
        .fetch_all(&mut *tx)
        .await?;
        for id in &ids {
            give_up_deliveries(
                &mut tx,
                *id,
                now,
                "the alert expired before it was delivered",
            )
            .await?;
            feed::record(&mut tx, ChangeKind::Alert, *id, "expired").await?;
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<AlertDelivery>> {
        let mut tx = self.begin_write().await?;
        let rows = outbox::claim(
            &mut tx,
            "alert_deliveries",
            DELIVERY_COLUMNS,
            (now, lease_until),
            limit,
        )
        .await?;
        tx.commit().await?;
        let mut claimed = rows.iter().map(delivery).collect::<StoreResult<Vec<_>>>()?;
        claimed.sort_by_key(|d| d.id);
        Ok(claimed)
    }

    async fn delivery_done(&self, id: i64, at: Timestamp) -> StoreResult<()> {
        outbox::done(self, "alert_deliveries", id, at).await
    }

    async fn delivery_failed(
        &self,
        id: i64,
        at: Timestamp,
        retry_at: Option<Timestamp>,
        error: &str,
    ) -> StoreResult<()> {
        outbox::failed(self, "alert_deliveries", id, at, retry_at, error).await
    }

    async fn deliveries_of(&self, alert: i64) -> StoreResult<Vec<AlertDelivery>> {
        let rows = sqlx::query(&format!(
            "select {DELIVERY_COLUMNS} from alert_deliveries where alert_id = $1 order by id"
        ))
        .bind(alert)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(delivery).collect()
    }
}
