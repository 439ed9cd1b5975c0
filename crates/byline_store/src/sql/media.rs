//! The media library's rows (`MediaStore`). The files themselves are in media storage,
//! not here.

use super::rows::{self, Row, Transaction, now_secs, one_row};
use super::{Backend, Db};
use crate::{MediaStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{
    ArticleId, Focal, MediaId, MediaItem, MediaUse, MediaVariant, NewMedia, PageRequest,
};
use sqlx::{QueryBuilder, Row as _};

const COLUMNS: &str = "id, storage_key, file_name, mime, width, height, bytes, alt, caption, credit, focal_x, focal_y, variants, uploaded_by, created_at";

/// The chore migration 0017 leaves: fill `search_text` and `article_media` for the rows
/// that existed before.
const BACKFILL_CHORE: &str = "media_library_backfill";

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

    async fn media_focals(&self, storage_key: &str) -> StoreResult<Vec<Focal>> {
        let rows = sqlx::query("select focal_x, focal_y from media where storage_key = $1")
            .bind(storage_key)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Focal::new(
                    percent(row.try_get("focal_x")?),
                    percent(row.try_get("focal_y")?),
                )
                .unwrap_or_default())
            })
            .collect()
    }

    async fn media_list(
        &self,
        words: &[String],
        page: PageRequest,
    ) -> StoreResult<(Vec<MediaItem>, u64)> {
        let filter = |q: &mut QueryBuilder<'_, Db>| {
            q.push(" where true");
            for word in words {
                q.push(" and search_text like ")
                    .push_bind(format!("%{}%", like_escaped(&word.to_lowercase())))
                    .push(" escape '\\'");
            }
        };
        let mut q = QueryBuilder::<Db>::new(format!("select {COLUMNS} from media"));
        filter(&mut q);
        q.push(" order by id desc limit ")
            .push_bind(i64::from(page.per_page))
            .push(" offset ")
            .push_bind(page.offset());
        let rows = q.build().fetch_all(&self.read).await?;
        let mut count = QueryBuilder::<Db>::new("select count(*) from media");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.read).await?;
        let items = rows.iter().map(media_row).collect::<StoreResult<_>>()?;
        Ok((items, total.max(0) as u64))
    }

    async fn update_media(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
        focal: Focal,
    ) -> StoreResult<()> {
        let file_name: String = sqlx::query_scalar("select file_name from media where id = $1")
            .bind(id.0)
            .fetch_optional(&self.write)
            .await?
            .ok_or(StoreError::NotFound)?;
        one_row(
            sqlx::query(
                "update media set alt = $1, caption = $2, credit = $3, focal_x = $4,
                   focal_y = $5, search_text = $6
                 where id = $7",
            )
            .bind(alt)
            .bind(caption)
            .bind(credit)
            .bind(i64::from(focal.x))
            .bind(i64::from(focal.y))
            .bind(search_text(&file_name, alt, caption, credit))
            .bind(id.0)
            .execute(&self.write)
            .await?,
        )
    }

    async fn media_usage(&self, id: MediaId) -> StoreResult<Vec<MediaUse>> {
        let articles = sqlx::query(
            "select a.id, a.title, a.edition, a.status from article_media m
             join articles a on a.id = m.article_id
             where m.media_id = $1 order by a.id desc",
        )
        .bind(id.0)
        .fetch_all(&self.read)
        .await?;
        let mut uses = Vec::with_capacity(articles.len());
        for row in &articles {
            let status: String = row.try_get("status")?;
            uses.push(MediaUse::Article {
                id: ArticleId(row.try_get("id")?),
                title: row.try_get("title")?,
                edition: row.try_get("edition")?,
                status: status
                    .parse()
                    .map_err(|e| StoreError::Other(anyhow::anyhow!("{e}")))?,
            });
        }
        // Pages are few (About, Contacts, …): their bodies are read, not indexed.
        let pages = sqlx::query(
            "select id, title, edition from pages
             where body_markdown like $1 or body_markdown like $2 order by id desc",
        )
        .bind(format!("%(media:{id})%"))
        .bind(format!("%(media:{id} %"))
        .fetch_all(&self.read)
        .await?;
        for row in &pages {
            uses.push(MediaUse::Page {
                id: row.try_get("id")?,
                title: row.try_get("title")?,
                edition: row.try_get("edition")?,
            });
        }
        Ok(uses)
    }

    async fn delete_media(&self, id: MediaId) -> StoreResult<Option<String>> {
        let mut tx = self.begin_write().await?;
        let key: String = sqlx::query_scalar("select storage_key from media where id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let used: i64 = sqlx::query_scalar(
            "select (select count(*) from article_media where media_id = $1)
                  + (select count(*) from pages where body_markdown like $2
                                                 or body_markdown like $3)",
        )
        .bind(id.0)
        .bind(format!("%(media:{id})%"))
        .bind(format!("%(media:{id} %"))
        .fetch_one(&mut *tx)
        .await?;
        if used > 0 {
            return Err(StoreError::Conflict("picture in use"));
        }
        sqlx::query("delete from media where id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let shared: i64 = sqlx::query_scalar("select count(*) from media where storage_key = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((shared == 0).then_some(key))
    }
}

async fn insert_media(tx: &mut Transaction, media: &NewMedia) -> StoreResult<MediaId> {
    let id: i64 = sqlx::query_scalar(
        "insert into media (storage_key, file_name, mime, width, height, bytes, alt, caption,
           credit, variants, uploaded_by, created_at, search_text)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
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
    .bind(search_text(
        &media.file_name,
        &media.alt,
        &media.caption,
        &media.credit,
    ))
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
        focal: Focal::new(
            percent(row.try_get("focal_x")?),
            percent(row.try_get("focal_y")?),
        )
        .unwrap_or_default(),
        variants: rows::json(row.try_get::<&str, _>("variants")?)?,
        uploaded_by: row.try_get("uploaded_by")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

fn dimension(value: i64) -> StoreResult<u32> {
    u32::try_from(value)
        .map_err(|_| StoreError::Other(anyhow::anyhow!("stored image dimension {value}")))
}

fn percent(value: i64) -> u8 {
    value.clamp(0, 100) as u8
}

/// What the library's search looks in, lowercased here (SQL's `lower` folds only ASCII
/// in SQLite).
fn search_text(file_name: &str, alt: &str, caption: &str, credit: &str) -> String {
    format!("{file_name}\n{alt}\n{caption}\n{credit}").to_lowercase()
}

/// `s` with LIKE's wildcards (and the escape character) taken literally.
fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Records which library pictures article `id` shows: the body's (as the content
/// service found them) and the cover's and social image's (by storage key).
pub(crate) async fn record_article_media(
    tx: &mut Transaction,
    id: ArticleId,
    body: &[MediaId],
    pictures: [Option<&str>; 2],
) -> StoreResult<()> {
    sqlx::query("delete from article_media where article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    for media in body {
        // The foreign key refuses a picture deleted since the content service looked it
        // up: the save fails instead of showing a missing picture.
        sqlx::query(
            "insert into article_media (article_id, media_id) values ($1, $2)
             on conflict do nothing",
        )
        .bind(id.0)
        .bind(media.0)
        .execute(&mut **tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::Conflict(crate::PICTURE_GONE)
            }
            other => other.into(),
        })?;
    }
    for key in pictures.into_iter().flatten() {
        sqlx::query(
            "insert into article_media (article_id, media_id)
             select $1, id from media where storage_key = $2
             on conflict do nothing",
        )
        .bind(id.0)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Does the chore migration 0017 leaves, once: the search text of every picture and
/// the pictures of every article stored before. One transaction; a second node that
/// opens the store meanwhile waits on the chore's row and then finds it done.
pub(crate) async fn backfill_media_library(backend: &Backend) -> StoreResult<()> {
    let mut tx = backend.begin_write().await?;
    let claimed = sqlx::query("delete from store_chores where name = $1")
        .bind(BACKFILL_CHORE)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    let media = sqlx::query("select id, storage_key, file_name, alt, caption, credit from media")
        .fetch_all(&mut *tx)
        .await?;
    for row in &media {
        let text = search_text(
            row.try_get("file_name")?,
            row.try_get("alt")?,
            row.try_get("caption")?,
            row.try_get("credit")?,
        );
        sqlx::query("update media set search_text = $1 where id = $2")
            .bind(text)
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
    }
    if !media.is_empty() {
        let mut after = 0i64;
        loop {
            let batch = sqlx::query(
                "select id, body_markdown, cover, seo_image from articles
                 where id > $1 order by id limit 500",
            )
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = batch.last() else { break };
            after = last.try_get("id")?;
            for row in &batch {
                let body: String = row.try_get("body_markdown")?;
                let covers = [
                    row.try_get::<Option<String>, _>("cover")?,
                    row.try_get::<Option<String>, _>("seo_image")?,
                ]
                .map(|json| {
                    json.and_then(|j| serde_json::from_str::<byline_core::Cover>(&j).ok())
                        .map(|c| c.url)
                });
                record_article_media(
                    &mut tx,
                    ArticleId(row.try_get("id")?),
                    &body_media_ids(&body),
                    [
                        covers[0].as_deref().and_then(byline_core::storage_key_of),
                        covers[1].as_deref().and_then(byline_core::storage_key_of),
                    ],
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The numbers after every `media:` in a Markdown body (inline and reference-style
/// pictures, `<media:12>`, `media:+012`): the backfill's reading, which also counts a
/// mention in a code span or a link (the safe side: such a picture is kept).
fn body_media_ids(markdown: &str) -> Vec<MediaId> {
    let mut ids = Vec::new();
    for (i, _) in markdown.match_indices("media:") {
        let digits: String = markdown[i + "media:".len()..]
            .chars()
            .skip_while(|c| *c == ' ' || *c == '+')
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(id) = digits.parse() {
            ids.push(MediaId(id));
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_references_and_keys() {
        assert_eq!(
            body_media_ids(
                "a ![x](media:12) b ![y](media: 7 \"t\") ![z](media:x) ![r][p] ![q](<media:+09>)\n\n[p]: media:5"
            ),
            vec![MediaId(12), MediaId(7), MediaId(9), MediaId(5)]
        );
        assert_eq!(like_escaped("50%_a\\"), "50\\%\\_a\\\\");
    }
}
