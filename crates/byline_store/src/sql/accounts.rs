//! The newsroom's tables: accounts, sessions, the audit log, and the article lifecycle
//! (owner, revisions, scheduling, soft delete).

use super::articles::{insert_in, replace_in};
use super::rows::{self, Row, Transaction, now_secs};
use super::{Backend, Db, feed};
use crate::{ChangeKind, NewsroomFilter, RevisionSave, StoreError, StoreResult};
use byline_core::{
    ArticleId, ArticleMeta, ArticleStatus, AuditEntry, Credentials, NewArticle, NewAuditEntry,
    NewUser, NewsroomArticle, Revision, Role, Session, User, UserId,
};
use sqlx::{QueryBuilder, Row as _};

const USER_COLUMNS: &str = "id, email, display_name, role, disabled, created_at";

/// The key that makes e-mails unique ignoring case and surrounding space.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn parse<T: std::str::FromStr>(raw: &str, what: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    raw.parse()
        .map_err(|e| StoreError::Other(anyhow::anyhow!("stored {what} {raw:?}: {e}")))
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

fn revision(row: &Row) -> StoreResult<Revision> {
    Ok(Revision {
        id: row.try_get("id")?,
        article: ArticleId(row.try_get("article_id")?),
        author: row.try_get::<Option<i64>, _>("author_id")?.map(UserId),
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        body_markdown: row.try_get("body_markdown")?,
        accepted: row.try_get("accepted")?,
        based_on: row.try_get("based_on")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

async fn insert_revision(
    tx: &mut Transaction,
    article: ArticleId,
    a: &NewArticle,
    author: UserId,
    based_on: i64,
    accepted: bool,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into article_revisions (article_id, author_id, title, subtitle, body_markdown,
           accepted, based_on, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(article.0)
    .bind(author.0)
    .bind(&a.title)
    .bind(&a.subtitle)
    .bind(&a.body_markdown)
    .bind(accepted)
    .bind(based_on)
    .bind(now_secs())
    .fetch_one(&mut **tx)
    .await?)
}

/// Records the change-feed action for a status move, as `set_article_status` does.
fn status_action(before: &str, after: ArticleStatus) -> &'static str {
    match (before == ArticleStatus::Published.as_str(), after) {
        (_, ArticleStatus::Published) => "published",
        (true, _) => "unpublished",
        _ => "updated",
    }
}

impl Backend {
    pub(crate) async fn insert_user(&self, u: &NewUser) -> StoreResult<UserId> {
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

    pub(crate) async fn user_by_id(&self, id: UserId) -> StoreResult<User> {
        // On the writer: a role change or disable must be seen by the very next request.
        let row = sqlx::query(&format!("select {USER_COLUMNS} from users where id = $1"))
            .bind(id.0)
            .fetch_one(&self.write)
            .await?;
        user(&row)
    }

    pub(crate) async fn user_credentials(&self, email: &str) -> StoreResult<Credentials> {
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

    pub(crate) async fn all_users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("select {USER_COLUMNS} from users order by id"))
            .fetch_all(&self.write)
            .await?;
        rows.iter().map(user).collect()
    }

    pub(crate) async fn count_active_admins(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from users where role = 'admin' and disabled = false",
        )
        .fetch_one(&self.write)
        .await?;
        Ok(n.max(0) as u64)
    }

    pub(crate) async fn update_user_role(&self, id: UserId, role: Role) -> StoreResult<()> {
        let done = sqlx::query("update users set role = $1 where id = $2")
            .bind(role.as_str())
            .bind(id.0)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub(crate) async fn update_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("update users set disabled = $1 where id = $2")
            .bind(disabled)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            sqlx::query("delete from sessions where user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn update_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("update users set password_hash = $1 where id = $2")
            .bind(hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("delete from sessions where user_id = $1 and token_hash <> coalesce($2, '')")
            .bind(id.0)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn insert_session(&self, s: &Session) -> StoreResult<()> {
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

    pub(crate) async fn live_session(
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

    pub(crate) async fn update_session_seen(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> StoreResult<()> {
        sqlx::query("update sessions set last_seen_at = $1 where token_hash = $2")
            .bind(now.as_second())
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub(crate) async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("delete from sessions where token_hash = $1")
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub(crate) async fn insert_audit(&self, e: &NewAuditEntry) -> StoreResult<()> {
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
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub(crate) async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
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

    pub(crate) async fn meta_of(&self, id: ArticleId) -> StoreResult<ArticleMeta> {
        let row =
            sqlx::query("select owner_id, revision, deleted_from from articles where id = $1")
                .bind(id.0)
                .fetch_one(&self.write)
                .await?;
        Ok(ArticleMeta {
            id,
            owner: row.try_get::<Option<i64>, _>("owner_id")?.map(UserId),
            revision: row.try_get("revision")?,
            deleted_from: row
                .try_get::<Option<&str>, _>("deleted_from")?
                .map(|s| parse::<ArticleStatus>(s, "status"))
                .transpose()?,
        })
    }

    pub(crate) async fn insert_owned_article(
        &self,
        a: &NewArticle,
        owner: UserId,
    ) -> StoreResult<(ArticleId, i64)> {
        let mut tx = self.begin_write().await?;
        let id = insert_in(&mut tx, a).await?;
        let revision = insert_revision(&mut tx, id, a, owner, 0, true).await?;
        sqlx::query("update articles set owner_id = $1, revision = $2 where id = $3")
            .bind(owner.0)
            .bind(revision)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((id, revision))
    }

    pub(crate) async fn save_revision(
        &self,
        id: ArticleId,
        based_on: i64,
        a: &NewArticle,
        author: UserId,
    ) -> StoreResult<RevisionSave> {
        let mut tx = self.begin_write().await?;
        let current: i64 = sqlx::query_scalar("select revision from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if current != based_on {
            let kept = insert_revision(&mut tx, id, a, author, based_on, false).await?;
            tx.commit().await?;
            return Ok(RevisionSave::Stale { kept, current });
        }
        replace_in(&mut tx, id, a).await?;
        let revision = insert_revision(&mut tx, id, a, author, based_on, true).await?;
        sqlx::query("update articles set revision = $1 where id = $2")
            .bind(revision)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(RevisionSave::Saved { revision })
    }

    pub(crate) async fn revisions_of(&self, article: ArticleId) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "select id, article_id, author_id, title, subtitle, body_markdown, accepted, based_on,
                    created_at
             from article_revisions where article_id = $1 order by id desc",
        )
        .bind(article.0)
        .fetch_all(&self.write)
        .await?;
        rows.iter().map(revision).collect()
    }

    pub(crate) async fn revision_by_id(&self, id: i64) -> StoreResult<Revision> {
        let row = sqlx::query(
            "select id, article_id, author_id, title, subtitle, body_markdown, accepted, based_on,
                    created_at
             from article_revisions where id = $1",
        )
        .bind(id)
        .fetch_one(&self.write)
        .await?;
        revision(&row)
    }

    pub(crate) async fn set_scheduled(
        &self,
        id: ArticleId,
        at: jiff::Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("update articles set status = 'scheduled', published_at = $1 where id = $2")
            .bind(at.as_second())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let action = status_action(&before, ArticleStatus::Scheduled);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn set_deleted(&self, id: ArticleId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if before == ArticleStatus::Deleted.as_str() {
            return Ok(());
        }
        sqlx::query("update articles set status = 'deleted', deleted_from = $1 where id = $2")
            .bind(&before)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let action = status_action(&before, ArticleStatus::Deleted);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn undelete(&self, id: ArticleId) -> StoreResult<ArticleStatus> {
        let mut tx = self.begin_write().await?;
        let back: Option<String> = sqlx::query_scalar(
            "select deleted_from from articles where id = $1 and status = 'deleted'",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
        let Some(back) = back else {
            return Err(StoreError::NotFound);
        };
        let status = parse::<ArticleStatus>(&back, "status")?;
        sqlx::query("update articles set status = $1, deleted_from = null where id = $2")
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let action = status_action(ArticleStatus::Deleted.as_str(), status);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(status)
    }

    pub(crate) async fn newsroom_list(
        &self,
        f: &NewsroomFilter,
    ) -> StoreResult<Vec<NewsroomArticle>> {
        let mut q = QueryBuilder::<Db>::new(
            "select id, edition, title, status, owner_id, published_at, created_at, updated_at
             from articles where 1 = 1",
        );
        if let Some(owner) = f.owner {
            q.push(" and owner_id = ").push_bind(owner.0);
        }
        match f.status {
            Some(status) => {
                q.push(" and status = ").push_bind(status.as_str());
            }
            None if !f.include_deleted => {
                q.push(" and status <> 'deleted'");
            }
            None => {}
        }
        q.push(" order by id desc limit ")
            .push_bind(i64::from(f.limit))
            .push(" offset ")
            .push_bind(i64::try_from(f.offset).unwrap_or(i64::MAX));
        let rows = q.build().fetch_all(&self.write).await?;
        rows.iter()
            .map(|row| {
                let time = |c: &str| -> StoreResult<Option<jiff::Timestamp>> {
                    row.try_get::<Option<i64>, _>(c)?
                        .map(rows::timestamp)
                        .transpose()
                };
                Ok(NewsroomArticle {
                    id: ArticleId(row.try_get("id")?),
                    edition: row.try_get("edition")?,
                    title: row.try_get("title")?,
                    status: parse::<ArticleStatus>(row.try_get("status")?, "status")?,
                    owner: row.try_get::<Option<i64>, _>("owner_id")?.map(UserId),
                    published_at: time("published_at")?,
                    created_at: rows::timestamp(row.try_get("created_at")?)?,
                    updated_at: time("updated_at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn publish_due_now(
        &self,
        now: jiff::Timestamp,
    ) -> StoreResult<Vec<ArticleId>> {
        let mut tx = self.begin_write().await?;
        // One statement claims the due rows: a second caller finds them no longer
        // scheduled, so each is published (and announced) exactly once.
        let ids: Vec<i64> = sqlx::query_scalar(
            "update articles set status = 'published'
             where status = 'scheduled' and published_at <= $1 returning id",
        )
        .bind(now.as_second())
        .fetch_all(&mut *tx)
        .await?;
        for id in &ids {
            feed::record(&mut tx, ChangeKind::Article, *id, "published").await?;
        }
        tx.commit().await?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }
}
