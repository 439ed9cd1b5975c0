//! The outboxes' shared steps (`alert_deliveries`, `push_deliveries`): claim due rows
//! with a lease, mark one delivered, release a failed attempt. Each table has the same
//! columns for this: `delivered_at`, `failed_at`, `next_at`, `lease_until`, `attempts`,
//! `last_error`.

use super::Backend;
use super::rows::{self, Row, Transaction};
use crate::StoreResult;
use jiff::Timestamp;

/// Claims up to `limit` rows of `table` due at `now` until `lease_until` (counting the
/// attempt), returning `returning` of each. The outer conditions repeat the inner ones:
/// a second sender whose update waited on the first's row locks (PostgreSQL) re-checks
/// them on the rows as the first left them — leased, settled, or put off to a retry
/// time — and claims nothing twice, nor early.
pub(super) async fn claim(
    tx: &mut Transaction,
    table: &str,
    returning: &str,
    (now, lease_until): (Timestamp, Timestamp),
    limit: u32,
) -> StoreResult<Vec<Row>> {
    Ok(sqlx::query(&format!(
        "update {table} set lease_until = $1, attempts = attempts + 1
         where id in (select id from {table}
                      where delivered_at is null and failed_at is null and next_at <= $2
                        and (lease_until is null or lease_until <= $2)
                      order by id limit $3)
           and delivered_at is null and failed_at is null and next_at <= $2
           and (lease_until is null or lease_until <= $2)
         returning {returning}"
    ))
    .bind(lease_until.as_second())
    .bind(now.as_second())
    .bind(i64::from(limit))
    .fetch_all(&mut **tx)
    .await?)
}

/// Marks a claimed row delivered, once. `NotFound` for an unknown id, or one settled
/// meanwhile (given up because what it announced ended while it was being sent).
pub(super) async fn done(
    backend: &Backend,
    table: &str,
    id: i64,
    at: Timestamp,
) -> StoreResult<()> {
    let done = sqlx::query(&format!(
        "update {table} set delivered_at = $1, lease_until = null, last_error = ''
         where id = $2 and delivered_at is null and failed_at is null"
    ))
    .bind(at.as_second())
    .bind(id)
    .execute(&backend.write)
    .await?;
    rows::one_row(done)
}

/// Releases a failed attempt: due again at `retry_at`, or given up (`None`). `NotFound`
/// when unknown or settled meanwhile (delivered by a sender whose lease this one
/// outlived, or given up because what it announced ended).
pub(super) async fn failed(
    backend: &Backend,
    table: &str,
    id: i64,
    at: Timestamp,
    retry_at: Option<Timestamp>,
    error: &str,
) -> StoreResult<()> {
    let error: String = error.chars().take(500).collect();
    let done = sqlx::query(&format!(
        "update {table}
         set lease_until = null, last_error = $1,
             next_at = coalesce($2, next_at),
             failed_at = case when $2 is null then $3 else null end
         where id = $4 and delivered_at is null and failed_at is null"
    ))
    .bind(error)
    .bind(retry_at.map(|t| t.as_second()))
    .bind(at.as_second())
    .bind(id)
    .execute(&backend.write)
    .await?;
    rows::one_row(done)
}
