//! Live blogs and their entries (`LiveStore`).

use super::Backend;
use super::feed;
use super::push::{self, Source};
use super::rows::{self, Row, Transaction};
use crate::live::NOT_LIVE;
use crate::{ChangeKind, LiveStore, StoreError, StoreResult, TAKEN_DOWN};
use async_trait::async_trait;
use byline_core::{
    ArticleId, ArticleStatus, AuthorId, EntryRevision, EntryText, LiveEntry, PushNotice, UserId,
};
use jiff::Timestamp;
use sqlx::Row as _;

const ENTRY_COLUMNS: &str = "id, article_id, title, body_markdown, body_html, author_id, key_event, pinned, created_at, updated_at, deleted_at, seq, created_by";

fn entry_of(row: &Row) -> StoreResult<LiveEntry> {
    Ok(LiveEntry {
        id: row.try_get("id")?,
        article: ArticleId(row.try_get("article_id")?),
        title: row.try_get("title")?,
        body_markdown: row.try_get("body_markdown")?,
        body_html: row.try_get("body_html")?,
        author: row.try_get::<Option<i64>, _>("author_id")?.map(AuthorId),
        key_event: row.try_get("key_event")?,
        pinned: row.try_get("pinned")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
        updated_at: rows::timestamp(row.try_get("updated_at")?)?,
        deleted_at: row
            .try_get::<Option<i64>, _>("deleted_at")?
            .map(rows::timestamp)
            .transpose()?,
        seq: row.try_get("seq")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
    })
}

/// Takes the article's row for this transaction (PostgreSQL: concurrent entry writes to
/// one live blog queue here) and returns whether it is live; `NotFound`, or
/// `Conflict(TAKEN_DOWN)` for a taken-down article, which nothing may change.
async fn lock_article(tx: &mut Transaction, id: ArticleId) -> StoreResult<(bool, bool)> {
    rows::article_exists(tx, id.0).await?;
    let done =
        sqlx::query("update articles set live_until = live_until where id = $1 and status <> $2")
            .bind(id.0)
            .bind(ArticleStatus::TakenDown.as_str())
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(TAKEN_DOWN));
    }
    let row = sqlx::query("select live_since, live_until, status from articles where id = $1")
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await?;
    let live = row.try_get::<Option<i64>, _>("live_since")?.is_some()
        && row.try_get::<Option<i64>, _>("live_until")?.is_none();
    let published = row.try_get::<String, _>("status")? == ArticleStatus::Published.as_str();
    Ok((live, published))
}

/// Records the entry write in the change feed and stamps the entry with its position;
/// a published live blog's `updated_at` follows its newest write.
async fn stamp(
    tx: &mut Transaction,
    article: ArticleId,
    entry: i64,
    at: Timestamp,
    published: bool,
) -> StoreResult<LiveEntry> {
    // A pinned entry unpins the others, which changes them too: they get a position of
    // their own (a change-feed row before the entry's), so readers resuming and apps
    // paging by cursor learn it, and no two entries ever share a position.
    let unpinning: Option<i64> = sqlx::query_scalar(
        "select o.id from live_entries o where o.article_id = $1 and o.id <> $2 and o.pinned
           and exists (select 1 from live_entries p where p.id = $2 and p.pinned) limit 1",
    )
    .bind(article.0)
    .bind(entry)
    .fetch_optional(&mut **tx)
    .await?;
    if unpinning.is_some() {
        let unpinned = feed::record(tx, ChangeKind::Article, article.0, "entry").await?;
        sqlx::query(
            "update live_entries set pinned = false, seq = $1
             where article_id = $2 and id <> $3 and pinned",
        )
        .bind(unpinned)
        .bind(article.0)
        .bind(entry)
        .execute(&mut **tx)
        .await?;
    }
    let seq = feed::record(tx, ChangeKind::Article, article.0, "entry").await?;
    sqlx::query("update live_entries set seq = $1 where id = $2")
        .bind(seq)
        .bind(entry)
        .execute(&mut **tx)
        .await?;
    if published {
        sqlx::query("update articles set updated_at = $1 where id = $2")
            .bind(at.as_second())
            .bind(article.0)
            .execute(&mut **tx)
            .await?;
    }
    let row = sqlx::query(&format!(
        "select {ENTRY_COLUMNS} from live_entries where id = $1"
    ))
    .bind(entry)
    .fetch_one(&mut **tx)
    .await?;
    entry_of(&row)
}

/// Keeps the current version of a live entry of `article` as a revision before it is
/// replaced; `NotFound` for an entry not of `article` or already deleted.
async fn keep_revision(
    tx: &mut Transaction,
    article: ArticleId,
    entry: i64,
    at: Timestamp,
    by: Option<UserId>,
) -> StoreResult<()> {
    let done = sqlx::query(
        "insert into live_entry_revisions (entry_id, title, body_markdown, key_event, pinned, replaced_at, replaced_by)
         select id, title, body_markdown, key_event, pinned, $1, $2 from live_entries
         where id = $3 and article_id = $4 and deleted_at is null",
    )
    .bind(at.as_second())
    .bind(by.map(|u| u.0))
    .bind(entry)
    .bind(article.0)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[async_trait]
impl LiveStore for Backend {
    async fn start_live(&self, id: ArticleId, at: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (live, _) = lock_article(&mut tx, id).await?;
        if live {
            return Ok(());
        }
        sqlx::query(
            "update articles set live_since = coalesce(live_since, $1), live_until = null where id = $2",
        )
        .bind(at.as_second())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "live").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_live(&self, id: ArticleId, at: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (live, _) = lock_article(&mut tx, id).await?;
        if !live {
            return Err(StoreError::Conflict(NOT_LIVE));
        }
        sqlx::query("update articles set live_until = $1 where id = $2")
            .bind(at.as_second())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "live").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_entry(
        &self,
        article: ArticleId,
        e: &EntryText,
        at: Timestamp,
        by: Option<UserId>,
        push: Option<&PushNotice>,
    ) -> StoreResult<LiveEntry> {
        let mut tx = self.begin_write().await?;
        let (live, published) = lock_article(&mut tx, article).await?;
        if !live {
            return Err(StoreError::Conflict(NOT_LIVE));
        }
        let id: i64 = sqlx::query_scalar(
            "insert into live_entries (article_id, title, body_markdown, body_html, author_id, key_event, pinned, created_at, updated_at, seq, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $8, 0, $9) returning id",
        )
        .bind(article.0)
        .bind(&e.title)
        .bind(&e.body_markdown)
        .bind(&e.body_html)
        .bind(e.author.map(|a| a.0))
        .bind(e.key_event)
        .bind(e.pinned)
        .bind(at.as_second())
        .bind(by.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        let stored = stamp(&mut tx, article, id, at, published).await?;
        // A draft's key events are not announced: nobody could open them.
        if let Some(notice) = push.filter(|_| published) {
            push::enqueue(&mut tx, notice, Source::Entry(id)).await?;
        }
        tx.commit().await?;
        Ok(stored)
    }

    async fn edit_entry(
        &self,
        article: ArticleId,
        entry: i64,
        e: &EntryText,
        at: Timestamp,
        by: Option<UserId>,
    ) -> StoreResult<LiveEntry> {
        let mut tx = self.begin_write().await?;
        let (_, published) = lock_article(&mut tx, article).await?;
        keep_revision(&mut tx, article, entry, at, by).await?;
        sqlx::query(
            "update live_entries set title = $1, body_markdown = $2, body_html = $3, author_id = $4,
             key_event = $5, pinned = $6, updated_at = $7 where id = $8",
        )
        .bind(&e.title)
        .bind(&e.body_markdown)
        .bind(&e.body_html)
        .bind(e.author.map(|a| a.0))
        .bind(e.key_event)
        .bind(e.pinned)
        .bind(at.as_second())
        .bind(entry)
        .execute(&mut *tx)
        .await?;
        // No longer a key event: its announcement, if still queued, is not sent.
        if !e.key_event {
            push::give_up(&mut tx, Source::Entry(entry), at, "no longer a key event").await?;
        }
        let stored = stamp(&mut tx, article, entry, at, published).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn delete_entry(
        &self,
        article: ArticleId,
        entry: i64,
        at: Timestamp,
        by: Option<UserId>,
    ) -> StoreResult<LiveEntry> {
        let mut tx = self.begin_write().await?;
        let (_, published) = lock_article(&mut tx, article).await?;
        keep_revision(&mut tx, article, entry, at, by).await?;
        sqlx::query("update live_entries set deleted_at = $1, pinned = false, updated_at = $1 where id = $2")
            .bind(at.as_second())
            .bind(entry)
            .execute(&mut *tx)
            .await?;
        let stored = stamp(&mut tx, article, entry, at, published).await?;
        push::give_up(&mut tx, Source::Entry(entry), at, "the entry was deleted").await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn live_entry(&self, article: ArticleId, id: i64) -> StoreResult<LiveEntry> {
        let row = sqlx::query(&format!(
            "select {ENTRY_COLUMNS} from live_entries where id = $1 and article_id = $2"
        ))
        .bind(id)
        .bind(article.0)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        entry_of(&row)
    }

    async fn live_entries(&self, article: ArticleId, limit: u32) -> StoreResult<Vec<LiveEntry>> {
        let rows = sqlx::query(&format!(
            "select {ENTRY_COLUMNS} from live_entries where article_id = $1 and deleted_at is null
             order by created_at desc, id desc limit $2"
        ))
        .bind(article.0)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(entry_of).collect()
    }

    async fn live_entries_since(
        &self,
        article: ArticleId,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<LiveEntry>> {
        let rows = sqlx::query(&format!(
            "select {ENTRY_COLUMNS} from live_entries where article_id = $1 and seq > $2
             order by seq limit $3"
        ))
        .bind(article.0)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(entry_of).collect()
    }

    async fn entry_revisions(&self, entry: i64) -> StoreResult<Vec<EntryRevision>> {
        let rows = sqlx::query(
            "select entry_id, title, body_markdown, key_event, pinned, replaced_at, replaced_by
             from live_entry_revisions where entry_id = $1 order by id desc",
        )
        .bind(entry)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(EntryRevision {
                    entry: row.try_get("entry_id")?,
                    title: row.try_get("title")?,
                    body_markdown: row.try_get("body_markdown")?,
                    key_event: row.try_get("key_event")?,
                    pinned: row.try_get("pinned")?,
                    replaced_at: rows::timestamp(row.try_get("replaced_at")?)?,
                    replaced_by: row.try_get::<Option<i64>, _>("replaced_by")?.map(UserId),
                })
            })
            .collect()
    }
}
