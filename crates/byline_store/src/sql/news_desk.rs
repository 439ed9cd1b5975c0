//! Correction notes and takedowns (`NewsDeskStore`).

use super::Backend;
use super::feed;
use super::rows::{self, Transaction};
use crate::news_desk::{NOT_PUBLISHED, NOT_TAKEN_DOWN};
use crate::{ChangeKind, NewsDeskStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{ArticleId, ArticleStatus, Correction};

/// The article's status, read inside the write (`NotFound` when there is none).
async fn status_in(tx: &mut Transaction, id: ArticleId) -> StoreResult<String> {
    sqlx::query_scalar("select status from articles where id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)
}

#[async_trait]
impl NewsDeskStore for Backend {
    async fn add_correction(&self, id: ArticleId, note: &Correction) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if status_in(&mut tx, id).await? != ArticleStatus::Published.as_str() {
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

    async fn take_down_article(&self, id: ArticleId, reason: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if status_in(&mut tx, id).await? != ArticleStatus::Published.as_str() {
            return Err(StoreError::Conflict(NOT_PUBLISHED));
        }
        sqlx::query("update articles set status = $1, takedown_reason = $2 where id = $3")
            .bind(ArticleStatus::TakenDown.as_str())
            .bind(reason)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "unpublished").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reinstate_article(&self, id: ArticleId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if status_in(&mut tx, id).await? != ArticleStatus::TakenDown.as_str() {
            return Err(StoreError::Conflict(NOT_TAKEN_DOWN));
        }
        sqlx::query("update articles set status = $1, takedown_reason = null where id = $2")
            .bind(ArticleStatus::Published.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
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
}
