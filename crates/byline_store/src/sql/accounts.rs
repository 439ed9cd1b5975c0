//! The newsroom's accounts (`AccountStore`): users, sessions, failed logins and the
//! audit log.

use super::Backend;
use super::rows::{self, Row, Transaction, now_secs, one_row, parse};
use crate::{AccountStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{AuditEntry, Credentials, NewAuditEntry, NewUser, Role, Session, User, UserId};
use sqlx::Row as _;

const USER_COLUMNS: &str = "id, email, display_name, role, disabled, created_at";

/// The key that makes e-mails unique ignoring case and surrounding space.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(super) fn user(row: &Row) -> StoreResult<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: parse::<Role>(row.try_get("role")?, "role")?,
        disabled: row.try_get("disabled")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

fn session(row: &Row) -> StoreResult<Session> {
    Ok(Session {
        token_hash: row.try_get("token_hash")?,
        user: UserId(row.try_get("user_id")?),
        created_at: rows::timestamp(row.try_get("created_at")?)?,
        expires_at: rows::timestamp(row.try_get("expires_at")?)?,
        last_seen_at: rows::timestamp(row.try_get("last_seen_at")?)?,
    })
}

#[async_trait]
impl AccountStore for Backend {
    async fn create_user(&self, u: &NewUser) -> StoreResult<UserId> {
        let inserted = sqlx::query_scalar::<_, i64>(
            "insert into users (email, email_key, display_name, role, password_hash, disabled, created_at)
             values ($1, $2, $3, $4, $5, false, $6) returning id",
        )
        .bind(u.email.trim())
        .bind(email_key(&u.email))
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(&u.password_hash)
        .bind(now_secs())
        .fetch_one(&self.write)
        .await;
        match inserted {
            Ok(id) => Ok(UserId(id)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Conflict("user email"))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn user(&self, id: UserId) -> StoreResult<User> {
        // On the writer: a role change or disable must be seen by the very next request.
        let row = sqlx::query(&format!("select {USER_COLUMNS} from users where id = $1"))
            .bind(id.0)
            .fetch_one(&self.write)
            .await?;
        user(&row)
    }

    async fn credentials(&self, email: &str) -> StoreResult<Credentials> {
        let row = sqlx::query(&format!(
            "select {USER_COLUMNS}, password_hash from users where email_key = $1"
        ))
        .bind(email_key(email))
        .fetch_one(&self.write)
        .await?;
        Ok(Credentials {
            user: user(&row)?,
            password_hash: row.try_get("password_hash")?,
        })
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("select {USER_COLUMNS} from users order by id"))
            .fetch_all(&self.write)
            .await?;
        rows.iter().map(user).collect()
    }

    async fn record_login_attempt(
        &self,
        attempt: &str,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from login_failures where at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("insert into login_failures (key, at, attempt) values ($1, $2, $3)")
                .bind(key)
                .bind(at)
                .bind(attempt)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn forget_login_attempt(&self, attempt: &str) -> StoreResult<()> {
        sqlx::query("delete from login_failures where attempt = $1")
            .bind(attempt)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn login_failures_since(
        &self,
        keys: &[String],
        since: i64,
    ) -> StoreResult<Vec<(String, u64, i64)>> {
        let mut out = Vec::new();
        for key in keys {
            if let Some(row) = sqlx::query("select key, count(*) as n, min(at) as oldest from login_failures where key = $1 and at >= $2 group by key")
                .bind(key)
                .bind(since)
                .fetch_optional(&self.read)
                .await?
            {
                let n: i64 = row.try_get("n")?;
                out.push((row.try_get("key")?, n.max(0) as u64, row.try_get("oldest")?));
            }
        }
        Ok(out)
    }

    async fn forget_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("delete from login_failures where key = $1")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn active_admins(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from users where role = 'admin' and disabled = false",
        )
        .fetch_one(&self.write)
        .await?;
        Ok(n.max(0) as u64)
    }

    async fn set_user_role(&self, id: UserId, role: Role) -> StoreResult<()> {
        one_row(
            sqlx::query("update users set role = $1 where id = $2")
                .bind(role.as_str())
                .bind(id.0)
                .execute(&self.write)
                .await?,
        )
    }

    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        one_row(
            sqlx::query("update users set disabled = $1 where id = $2")
                .bind(disabled)
                .bind(id.0)
                .execute(&mut *tx)
                .await?,
        )?;
        if disabled {
            sqlx::query("delete from sessions where user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        one_row(
            sqlx::query("update users set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(id.0)
                .execute(&mut *tx)
                .await?,
        )?;
        sqlx::query("delete from sessions where user_id = $1 and token_hash <> coalesce($2, '')")
            .bind(id.0)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        sqlx::query(
            "insert into sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(&s.token_hash)
        .bind(s.user.0)
        .bind(s.created_at.as_second())
        .bind(s.expires_at.as_second())
        .bind(s.last_seen_at.as_second())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn session(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> StoreResult<(Session, User)> {
        // On the writer: a disabled account's sessions are gone for the very next request.
        let row = sqlx::query(
            "select s.token_hash, s.user_id, s.created_at, s.expires_at, s.last_seen_at,
                    u.id, u.email, u.display_name, u.role, u.disabled, u.created_at as user_created_at
             from sessions s join users u on u.id = s.user_id
             where s.token_hash = $1 and s.expires_at > $2 and u.disabled = false",
        )
        .bind(token_hash)
        .bind(now.as_second())
        .fetch_one(&self.write)
        .await?;
        let mut account = user(&row)?;
        account.created_at = rows::timestamp(row.try_get("user_created_at")?)?;
        Ok((session(&row)?, account))
    }

    async fn touch_session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<()> {
        sqlx::query("update sessions set last_seen_at = $1 where token_hash = $2")
            .bind(now.as_second())
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("delete from sessions where token_hash = $1")
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn append_audit(&self, e: &NewAuditEntry) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        audit_in(&mut tx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "select id, actor_id, actor_email, action, entity_kind, entity_id, summary, at
             from audit_log where id < $1 order by id desc limit $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    actor: row.try_get::<Option<i64>, _>("actor_id")?.map(UserId),
                    actor_email: row.try_get("actor_email")?,
                    action: row.try_get("action")?,
                    entity_kind: row.try_get("entity_kind")?,
                    entity_id: row.try_get("entity_id")?,
                    summary: row.try_get("summary")?,
                    at: rows::timestamp(row.try_get("at")?)?,
                })
            })
            .collect()
    }
}

/// Appends an audit line inside the caller's transaction (with the write it records).
pub(super) async fn audit_in(tx: &mut Transaction, e: &NewAuditEntry) -> StoreResult<()> {
    sqlx::query(
        "insert into audit_log (actor_id, actor_email, action, entity_kind, entity_id, summary, at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.actor.map(|u| u.0))
    .bind(&e.actor_email)
    .bind(&e.action)
    .bind(&e.entity_kind)
    .bind(e.entity_id)
    .bind(&e.summary)
    .bind(now_secs())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
