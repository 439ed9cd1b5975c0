//! Static pages (`PageStore`).

use super::feed;
use super::imports::{earlier, exists, record};
use super::rows::{self, Row, Transaction};
use super::{Backend, Db};
use crate::{ChangeKind, ImportKind, Imported, PageStore, StoreError, StoreResult};
use async_trait::async_trait;
use byline_core::{NewPage, PageId, PageStatus, StaticPage};
use jiff::Timestamp;
use sqlx::Row as _;

const COLUMNS: &str = "id, edition, slug, title, body_markdown, body_html, description, status,
    footer_position, created_at, updated_at";

#[async_trait]
impl PageStore for Backend {
    async fn create_page(&self, page: &NewPage, at: Timestamp) -> StoreResult<PageId> {
        let mut tx = self.begin_write().await?;
        let id = insert_in(&mut tx, page, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_page(&self, id: PageId, page: &NewPage, at: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        replace_in(&mut tx, id, page, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_page(&self, id: PageId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("delete from pages where id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        rows::one_row(done)?;
        feed::record(&mut tx, ChangeKind::Page, id.0, "deleted").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn page(&self, id: PageId) -> StoreResult<StaticPage> {
        let row = sqlx::query(&format!("select {COLUMNS} from pages where id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        page(&row)
    }

    async fn page_by_slug(&self, edition: &str, slug: &str) -> StoreResult<Option<StaticPage>> {
        let row = sqlx::query(&format!(
            "select {COLUMNS} from pages where edition = $1 and slug = $2"
        ))
        .bind(edition)
        .bind(slug)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(page).transpose()
    }

    async fn pages(&self) -> StoreResult<Vec<StaticPage>> {
        let found = sqlx::query(&format!(
            "select {COLUMNS} from pages
             order by edition, footer_position is null, footer_position, title, id"
        ))
        .fetch_all(&self.read)
        .await?;
        found.iter().map(page).collect()
    }

    async fn import_page(
        &self,
        source: &str,
        source_id: &str,
        fingerprint: &str,
        new: &NewPage,
        at: Timestamp,
    ) -> StoreResult<(PageId, Imported)> {
        let mut tx = self.begin_write().await?;
        let before = match earlier(&mut tx, source, ImportKind::Page, source_id).await? {
            Some((id, _)) if !exists(&mut tx, "pages", id).await? => None,
            b => b,
        };
        let (id, outcome) = match before {
            Some((id, f)) if f == fingerprint => return Ok((PageId(id), Imported::Unchanged)),
            Some((id, _)) => {
                // The footer is the outlet's to arrange: an update keeps its place.
                let kept: Option<i64> =
                    sqlx::query_scalar("select footer_position from pages where id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                let new = NewPage {
                    footer_position: kept,
                    ..new.clone()
                };
                replace_in(&mut tx, PageId(id), &new, at).await?;
                (PageId(id), Imported::Updated)
            }
            None => (insert_in(&mut tx, new, at).await?, Imported::Created),
        };
        record(
            &mut tx,
            source,
            ImportKind::Page,
            source_id,
            id.0,
            fingerprint,
        )
        .await?;
        tx.commit().await?;
        Ok((id, outcome))
    }
}

async fn insert_in(tx: &mut Transaction, p: &NewPage, at: Timestamp) -> StoreResult<PageId> {
    let insert = sqlx::query(
        "insert into pages (edition, slug, title, body_markdown, body_html, description,
           status, footer_position, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         returning id",
    );
    let id: i64 = bind_content(insert, p)
        .bind(at.as_second())
        .fetch_one(&mut **tx)
        .await
        .map_err(slug_taken)?
        .try_get("id")?;
    feed::record(tx, ChangeKind::Page, id, "created").await?;
    Ok(PageId(id))
}

async fn replace_in(
    tx: &mut Transaction,
    id: PageId,
    p: &NewPage,
    at: Timestamp,
) -> StoreResult<()> {
    let update = sqlx::query(
        "update pages set edition = $1, slug = $2, title = $3, body_markdown = $4,
           body_html = $5, description = $6, status = $7, footer_position = $8,
           updated_at = $9
         where id = $10",
    );
    let done = bind_content(update, p)
        .bind(at.as_second())
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(slug_taken)?;
    rows::one_row(done)?;
    feed::record(tx, ChangeKind::Page, id.0, "updated").await?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// Binds a page's content as `$1`…`$8`, in the column order of both writes.
fn bind_content<'q>(q: Query<'q>, p: &'q NewPage) -> Query<'q> {
    q.bind(&p.edition)
        .bind(p.slug.as_str())
        .bind(&p.title)
        .bind(&p.body_markdown)
        .bind(&p.body_html)
        .bind(p.description.as_deref())
        .bind(p.status.as_str())
        .bind(p.footer_position)
}

fn slug_taken(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            StoreError::Conflict("page slug in this edition")
        }
        e => e.into(),
    }
}

fn page(row: &Row) -> StoreResult<StaticPage> {
    let status: &str = row.try_get("status")?;
    Ok(StaticPage {
        id: PageId(row.try_get("id")?),
        edition: row.try_get("edition")?,
        slug: rows::slug(row, "slug")?,
        title: row.try_get("title")?,
        body_markdown: row.try_get("body_markdown")?,
        body_html: row.try_get("body_html")?,
        description: row.try_get("description")?,
        status: rows::parse::<PageStatus>(status, "page status")?,
        footer_position: row.try_get("footer_position")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
        updated_at: rows::timestamp(row.try_get("updated_at")?)?,
    })
}
