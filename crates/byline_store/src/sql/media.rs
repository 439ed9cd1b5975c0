//! The media library's rows (`MediaStore`). The files themselves are in media storage,
//! not here.

use super::Backend;
use super::rows::{self, Row, Transaction, now_secs, one_row};
use crate::{MediaStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{MediaId, MediaItem, MediaVariant, NewMedia, PageRequest};
use sqlx::Row as _;

const COLUMNS: &str = "id, storage_key, file_name, mime, width, height, bytes, alt, caption, credit, variants, uploaded_by, created_at";

#[async_trait]
impl MediaStore for Backend {
    async fn create_media(&self, media: &NewMedia) -> StoreResult<MediaId> {
        let mut tx = self.begin_write().await?;
        let id = insert_media(&mut tx, media).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn create_unprocessed_media(&self, media: &NewMedia) -> StoreResult<MediaId> {
        let mut tx = self.begin_write().await?;
        let id = insert_media(&mut tx, media).await?;
        sqlx::query(
            "insert into media_unprocessed (storage_key, queued_at) values ($1, $2)
             on conflict (storage_key) do nothing",
        )
        .bind(&media.storage_key)
        .bind(now_secs())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn unprocessed_media(&self, limit: u32) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "select storage_key from media_unprocessed order by queued_at, storage_key limit $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?)
    }

    async fn claim_unprocessed_media(
        &self,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> StoreResult<Option<String>> {
        // The outer condition is checked again on the row itself: of two nodes that
        // picked the same line, the second finds it claimed and gets nothing.
        Ok(sqlx::query_scalar(
            "update media_unprocessed set claimed_until = $1
             where storage_key = (select storage_key from media_unprocessed
                                  where claimed_until <= $2
                                  order by queued_at, storage_key limit 1)
               and claimed_until <= $2
             returning storage_key",
        )
        .bind(until.as_second())
        .bind(now.as_second())
        .fetch_optional(&self.write)
        .await?)
    }

    async fn finish_unprocessed_media(
        &self,
        storage_key: &str,
        made: Option<(u64, &[MediaVariant])>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if let Some((bytes, variants)) = made {
            sqlx::query("update media set bytes = $1, variants = $2 where storage_key = $3")
                .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
                .bind(rows::to_json(&variants)?)
                .bind(storage_key)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("delete from media_unprocessed where storage_key = $1")
            .bind(storage_key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn media(&self, id: MediaId) -> StoreResult<MediaItem> {
        let row = sqlx::query(&format!("select {COLUMNS} from media where id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        media_row(&row)
    }

    async fn media_list(&self, page: PageRequest) -> StoreResult<(Vec<MediaItem>, u64)> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from media order by id desc limit $1 offset $2"
        ))
        .bind(i64::from(page.per_page))
        .bind(page.offset())
        .fetch_all(&self.read)
        .await?;
        let total: i64 = sqlx::query_scalar("select count(*) from media")
            .fetch_one(&self.read)
            .await?;
        let items = rows.iter().map(media_row).collect::<StoreResult<_>>()?;
        Ok((items, total.max(0) as u64))
    }

    async fn update_media_text(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
    ) -> StoreResult<()> {
        one_row(
            sqlx::query("update media set alt = $1, caption = $2, credit = $3 where id = $4")
                .bind(alt)
                .bind(caption)
                .bind(credit)
                .bind(id.0)
                .execute(&self.write)
                .await?,
        )
    }
}

async fn insert_media(tx: &mut Transaction, media: &NewMedia) -> StoreResult<MediaId> {
    let id: i64 = sqlx::query_scalar(
        "insert into media (storage_key, file_name, mime, width, height, bytes, alt, caption,
           credit, variants, uploaded_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
    )
    .bind(&media.storage_key)
    .bind(&media.file_name)
    .bind(&media.mime)
    .bind(i64::from(media.width))
    .bind(i64::from(media.height))
    .bind(i64::try_from(media.bytes).unwrap_or(i64::MAX))
    .bind(&media.alt)
    .bind(&media.caption)
    .bind(&media.credit)
    .bind(rows::to_json(&media.variants)?)
    .bind(media.uploaded_by)
    .bind(now_secs())
    .fetch_one(&mut **tx)
    .await?;
    Ok(MediaId(id))
}

fn media_row(row: &Row) -> StoreResult<MediaItem> {
    Ok(MediaItem {
        id: MediaId(row.try_get("id")?),
        storage_key: row.try_get("storage_key")?,
        file_name: row.try_get("file_name")?,
        mime: row.try_get("mime")?,
        width: dimension(row.try_get("width")?)?,
        height: dimension(row.try_get("height")?)?,
        bytes: row.try_get::<i64, _>("bytes")?.max(0) as u64,
        alt: row.try_get("alt")?,
        caption: row.try_get("caption")?,
        credit: row.try_get("credit")?,
        variants: rows::json(row.try_get::<&str, _>("variants")?)?,
        uploaded_by: row.try_get("uploaded_by")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

fn dimension(value: i64) -> StoreResult<u32> {
    u32::try_from(value)
        .map_err(|_| StoreError::Other(anyhow::anyhow!("stored image dimension {value}")))
}
