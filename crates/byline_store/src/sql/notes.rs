//! Internal notes on articles (`NoteStore`).

use super::Backend;
use super::rows;
use crate::{NoteStore, StoreResult};
use async_trait::async_trait;
use byline_core::{ArticleId, ArticleNote, UserId};
use jiff::Timestamp;
use sqlx::Row as _;

#[async_trait]
impl NoteStore for Backend {
    async fn add_note(
        &self,
        article: ArticleId,
        author: UserId,
        body: &str,
        at: Timestamp,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        rows::article_exists(&mut tx, article.0).await?;
        let id: i64 = sqlx::query_scalar(
            "insert into article_notes (article_id, author_id, body, created_at)
             values ($1, $2, $3, $4) returning id",
        )
        .bind(article.0)
        .bind(author.0)
        .bind(body)
        .bind(at.as_second())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn notes(&self, article: ArticleId) -> StoreResult<Vec<ArticleNote>> {
        let rows = sqlx::query(
            "select n.id, n.author_id, coalesce(u.display_name, '') as author_name, n.body, n.created_at
             from article_notes n left join users u on u.id = n.author_id
             where n.article_id = $1 order by n.id",
        )
        .bind(article.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ArticleNote {
                    id: row.try_get("id")?,
                    article,
                    author: row.try_get::<Option<i64>, _>("author_id")?.map(UserId),
                    author_name: row.try_get("author_name")?,
                    body: row.try_get("body")?,
                    created_at: rows::timestamp(row.try_get("created_at")?)?,
                })
            })
            .collect()
    }
}
