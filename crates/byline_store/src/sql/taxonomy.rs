//! Settings, sections, authors and tags (`TaxonomyStore`).

use super::{Backend, feed, rows};
use crate::{ChangeKind, StoreResult, TaxonomyStore};
use async_trait::async_trait;
use byline_core::{
    Author, AuthorId, Localized, Section, SectionId, SiteSettings, Slug, Tag, TagId,
};
use sqlx::Row;

#[async_trait]
impl TaxonomyStore for Backend {
    async fn is_empty(&self) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "select (select count(*) from articles) + (select count(*) from sections)",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(n == 0)
    }

    async fn settings(&self) -> StoreResult<SiteSettings> {
        let body: Option<String> = sqlx::query_scalar("select body from settings where id = 1")
            .fetch_optional(&self.read)
            .await?;
        match body {
            Some(body) => rows::json(&body),
            None => Ok(SiteSettings::default()),
        }
    }

    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into settings (id, body) values (1, $1) on conflict (id) do update set body = excluded.body",
        )
        .bind(rows::to_json(settings)?)
        .execute(&mut *tx)
        .await?;
        feed::record(&mut tx, ChangeKind::Settings, 1, "updated").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn upsert_section(
        &self,
        slug: &Slug,
        name: &Localized,
        description: &Localized,
        position: i64,
    ) -> StoreResult<SectionId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into sections (slug, names, descriptions, position) values ($1, $2, $3, $4)
             on conflict (slug) do update set names = excluded.names,
               descriptions = excluded.descriptions, position = excluded.position
             returning id",
        )
        .bind(slug.as_str())
        .bind(rows::to_json(name)?)
        .bind(rows::to_json(description)?)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        feed::record(&mut tx, ChangeKind::Section, id, "updated").await?;
        tx.commit().await?;
        Ok(SectionId(id))
    }

    async fn sections(&self) -> StoreResult<Vec<Section>> {
        let rows = sqlx::query(
            "select id, slug, names, descriptions, position from sections order by position, id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Section {
                    id: SectionId(row.try_get("id")?),
                    slug: rows::slug(row, "slug")?,
                    name: rows::localized(row, "names")?,
                    description: rows::localized(row, "descriptions")?,
                    position: row.try_get("position")?,
                })
            })
            .collect()
    }

    async fn upsert_author(
        &self,
        slug: &Slug,
        name: &Localized,
        bio: &Localized,
    ) -> StoreResult<AuthorId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into authors (slug, names, bios) values ($1, $2, $3)
             on conflict (slug) do update set names = excluded.names, bios = excluded.bios
             returning id",
        )
        .bind(slug.as_str())
        .bind(rows::to_json(name)?)
        .bind(rows::to_json(bio)?)
        .fetch_one(&mut *tx)
        .await?;
        feed::record(&mut tx, ChangeKind::Author, id, "updated").await?;
        tx.commit().await?;
        Ok(AuthorId(id))
    }

    async fn authors(&self) -> StoreResult<Vec<Author>> {
        let rows = sqlx::query("select id, slug, names, bios from authors order by id")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Author {
                    id: AuthorId(row.try_get("id")?),
                    slug: rows::slug(row, "slug")?,
                    name: rows::localized(row, "names")?,
                    bio: rows::localized(row, "bios")?,
                })
            })
            .collect()
    }

    async fn upsert_tag(&self, slug: &Slug, name: &Localized) -> StoreResult<TagId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into tags (slug, names) values ($1, $2)
             on conflict (slug) do update set names = excluded.names
             returning id",
        )
        .bind(slug.as_str())
        .bind(rows::to_json(name)?)
        .fetch_one(&mut *tx)
        .await?;
        feed::record(&mut tx, ChangeKind::Tag, id, "updated").await?;
        tx.commit().await?;
        Ok(TagId(id))
    }

    async fn tags(&self) -> StoreResult<Vec<Tag>> {
        let rows = sqlx::query("select id, slug, names from tags order by id")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Tag {
                    id: TagId(row.try_get("id")?),
                    slug: rows::slug(row, "slug")?,
                    name: rows::localized(row, "names")?,
                })
            })
            .collect()
    }
}
