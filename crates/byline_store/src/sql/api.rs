//! The API's tables (`ApiStore`): Content API keys, Admin API tokens and idempotency
//! keys.

use super::Backend;
use super::accounts::user;
use super::rows::{self, Row, Transaction, now_secs, one_row};
use crate::{ApiKey, ApiStore, ApiToken, IdempotencyClaim, IdempotentRecord, StoreResult};
use async_trait::async_trait;
use byline_core::{ArticleId, User, UserId};
use sqlx::Row as _;

fn api_key(row: &Row) -> StoreResult<ApiKey> {
    Ok(ApiKey {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
        revoked_at: row
            .try_get::<Option<i64>, _>("revoked_at")?
            .map(rows::timestamp)
            .transpose()?,
    })
}

fn api_token(row: &Row) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        user: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
        revoked_at: row
            .try_get::<Option<i64>, _>("revoked_at")?
            .map(rows::timestamp)
            .transpose()?,
    })
}

#[async_trait]
impl ApiStore for Backend {
    async fn create_api_key(&self, name: &str, key_hash: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "insert into api_keys (name, key_hash, created_at) values ($1, $2, $3) returning id",
        )
        .bind(name)
        .bind(key_hash)
        .bind(now_secs())
        .fetch_one(&self.write)
        .await?)
    }

    async fn api_key(&self, key_hash: &str) -> StoreResult<ApiKey> {
        // On the writer: a revoked key stops working with the very next request.
        let row = sqlx::query(
            "select id, name, created_at, revoked_at from api_keys
             where key_hash = $1 and revoked_at is null",
        )
        .bind(key_hash)
        .fetch_one(&self.write)
        .await?;
        api_key(&row)
    }

    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        sqlx::query("select id, name, created_at, revoked_at from api_keys order by id")
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(api_key)
            .collect()
    }

    async fn revoke_api_key(&self, id: i64) -> StoreResult<()> {
        self.revoke("api_keys", id).await
    }

    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "insert into api_tokens (user_id, name, token_hash, created_at)
             values ($1, $2, $3, $4) returning id",
        )
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(now_secs())
        .fetch_one(&self.write)
        .await?)
    }

    async fn api_token(&self, token_hash: &str) -> StoreResult<(ApiToken, User)> {
        let row = sqlx::query(
            "select t.id as token_id, t.user_id, t.name, t.created_at as token_created_at,
                    t.revoked_at, u.id, u.email, u.display_name, u.role, u.disabled, u.created_at
             from api_tokens t join users u on u.id = t.user_id
             where t.token_hash = $1 and t.revoked_at is null and not u.disabled",
        )
        .bind(token_hash)
        .fetch_one(&self.write)
        .await?;
        let token = ApiToken {
            id: row.try_get("token_id")?,
            user: UserId(row.try_get("user_id")?),
            name: row.try_get("name")?,
            created_at: rows::timestamp(row.try_get("token_created_at")?)?,
            revoked_at: None,
        };
        Ok((token, user(&row)?))
    }

    async fn api_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<ApiToken>> {
        sqlx::query(
            "select id, user_id, name, created_at, revoked_at from api_tokens
             where $1 is null or user_id = $1 order by id",
        )
        .bind(user.map(|u| u.0))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(api_token)
        .collect()
    }

    async fn revoke_api_token(&self, id: i64) -> StoreResult<()> {
        self.revoke("api_tokens", id).await
    }
}

impl Backend {
    /// Revokes the key or token `id` of `table`; `NotFound` when unknown or already
    /// revoked.
    async fn revoke(&self, table: &str, id: i64) -> StoreResult<()> {
        one_row(
            sqlx::query(&format!(
                "update {table} set revoked_at = $1 where id = $2 and revoked_at is null"
            ))
            .bind(now_secs())
            .bind(id)
            .execute(&self.write)
            .await?,
        )
    }
}

/// Claims `claim.key` for `user` inside the caller's transaction (a create's): `None`
/// when the key is new, otherwise what it already stands for. Concurrent claims of one
/// key are serialized by its primary key (PostgreSQL makes the second insert wait for the
/// first transaction; SQLite has one writer), so the loser sees the winner's article.
/// Keys live for a day: older ones are forgotten here, so the table holds a day of keys.
pub(super) async fn claim_in(
    tx: &mut Transaction,
    user: UserId,
    claim: &IdempotencyClaim,
) -> StoreResult<Option<IdempotentRecord>> {
    let now = claim.now.as_second();
    sqlx::query("delete from idempotency_keys where created_at < $1")
        .bind(now - crate::IDEMPOTENCY_KEY_LIFETIME_SECS)
        .execute(&mut **tx)
        .await?;
    let inserted = sqlx::query(
        "insert into idempotency_keys (user_id, key, request_hash, created_at)
         values ($1, $2, $3, $4) on conflict do nothing",
    )
    .bind(user.0)
    .bind(&claim.key)
    .bind(&claim.request_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "select request_hash, status, body from idempotency_keys where user_id = $1 and key = $2",
    )
    .bind(user.0)
    .bind(&claim.key)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(record(&row)?))
}

/// Records, in the same transaction as its claim, the article a key's request made.
pub(super) async fn answer_in(
    tx: &mut Transaction,
    user: UserId,
    key: &str,
    article: ArticleId,
) -> StoreResult<()> {
    one_row(
        sqlx::query(
            "update idempotency_keys set status = $1, body = $2 where user_id = $3 and key = $4",
        )
        .bind(i64::from(CREATED))
        .bind(article.0.to_string())
        .bind(user.0)
        .bind(key)
        .execute(&mut **tx)
        .await?,
    )
}

/// The status stored with a key whose create succeeded; the body is the article's id.
const CREATED: u16 = 201;

fn record(row: &Row) -> StoreResult<IdempotentRecord> {
    let status: Option<i64> = row.try_get("status")?;
    let body: Option<String> = row.try_get("body")?;
    Ok(IdempotentRecord {
        request_hash: row.try_get("request_hash")?,
        // Rows written before creates were one transaction may hold a whole answer (or
        // none, if that request died): they name no article.
        article: match (status, body) {
            (Some(s), Some(body)) if s == i64::from(CREATED) => body.parse().ok().map(ArticleId),
            _ => None,
        },
    })
}
