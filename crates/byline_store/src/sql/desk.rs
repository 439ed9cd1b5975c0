//! Assignments, notifications and presence (`DeskStore`).

use super::Backend;
use super::rows;
use crate::{DeskStore, StoreResult};
use async_trait::async_trait;
use byline_core::{ArticleId, Assignment, NewNotice, Notice, NoticeKind, Presence, UserId};
use jiff::Timestamp;
use sqlx::Row as _;

#[async_trait]
impl DeskStore for Backend {
    async fn assignment(&self, article: ArticleId) -> StoreResult<Assignment> {
        let row = sqlx::query(
            "select writer_id, editor_id from article_assignments where article_id = $1",
        )
        .bind(article.0)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else {
            return Ok(Assignment::default());
        };
        Ok(Assignment {
            writer: row.try_get::<Option<i64>, _>("writer_id")?.map(UserId),
            editor: row.try_get::<Option<i64>, _>("editor_id")?.map(UserId),
        })
    }

    async fn set_assignment(&self, article: ArticleId, assignment: Assignment) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        rows::article_exists(&mut tx, article.0).await?;
        sqlx::query(
            "insert into article_assignments (article_id, writer_id, editor_id)
             values ($1, $2, $3)
             on conflict (article_id) do update set writer_id = excluded.writer_id,
                                                    editor_id = excluded.editor_id",
        )
        .bind(article.0)
        .bind(assignment.writer.map(|u| u.0))
        .bind(assignment.editor.map(|u| u.0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn notify(&self, notices: &[NewNotice], at: Timestamp) -> StoreResult<()> {
        if notices.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for n in notices {
            sqlx::query(
                "insert into notifications (user_id, article_id, kind, actor_id, created_at)
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(n.recipient.0)
            .bind(n.article.0)
            .bind(n.kind.as_str())
            .bind(n.actor.map(|u| u.0))
            .bind(at.as_second())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn notifications(&self, user: UserId, limit: u32) -> StoreResult<Vec<Notice>> {
        let rows = sqlx::query(
            "select n.id, n.article_id, a.title, n.kind, coalesce(nullif(u.display_name, ''), u.email, '') as actor,
                    n.created_at, n.read_at
             from notifications n
             join articles a on a.id = n.article_id
             left join users u on u.id = n.actor_id
             where n.user_id = $1 order by n.id desc limit $2",
        )
        .bind(user.0)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Notice {
                    id: row.try_get("id")?,
                    article: ArticleId(row.try_get("article_id")?),
                    article_title: row.try_get("title")?,
                    kind: rows::parse::<NoticeKind>(row.try_get("kind")?, "kind")?,
                    actor_name: row.try_get("actor")?,
                    at: rows::timestamp(row.try_get("created_at")?)?,
                    read: row.try_get::<Option<i64>, _>("read_at")?.is_some(),
                })
            })
            .collect()
    }

    async fn unread_notifications(&self, user: UserId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from notifications where user_id = $1 and read_at is null",
        )
        .bind(user.0)
        .fetch_one(&self.read)
        .await?;
        Ok(n.max(0) as u64)
    }

    async fn mark_notifications_read(
        &self,
        user: UserId,
        through: i64,
        at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "update notifications set read_at = $1
             where user_id = $2 and id <= $3 and read_at is null",
        )
        .bind(at.as_second())
        .bind(user.0)
        .bind(through)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn touch_presence(
        &self,
        article: ArticleId,
        user: UserId,
        at: Timestamp,
        since: Timestamp,
    ) -> StoreResult<Vec<Presence>> {
        let mut tx = self.begin_write().await?;
        rows::article_exists(&mut tx, article.0).await?;
        sqlx::query(
            "insert into article_presence (article_id, user_id, seen_at) values ($1, $2, $3)
             on conflict (article_id, user_id) do update set seen_at = excluded.seen_at",
        )
        .bind(article.0)
        .bind(user.0)
        .bind(at.as_second())
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(
            "select p.user_id, coalesce(nullif(u.display_name, ''), u.email) as name
             from article_presence p
             join users u on u.id = p.user_id
             where p.article_id = $1 and p.user_id <> $2 and p.seen_at >= $3
             order by p.user_id",
        )
        .bind(article.0)
        .bind(user.0)
        .bind(since.as_second())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok(Presence {
                    user: UserId(row.try_get("user_id")?),
                    name: row.try_get("name")?,
                })
            })
            .collect()
    }
}
