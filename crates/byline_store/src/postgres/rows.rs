//! Row → domain conversions shared by the PostgreSQL queries.

use crate::{StoreError, StoreResult};
use byline_core::{
    Article, ArticleId, ArticleStatus, ArticleSummary, AuthorId, Cover, Localized, SectionId, Seo,
    Slug, TagId,
};
use sqlx::Row;
use sqlx::postgres::PgRow;

pub(crate) fn json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(e.into()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.into()))
}

pub(crate) fn localized(row: &PgRow, column: &str) -> StoreResult<Localized> {
    json(row.try_get::<&str, _>(column)?)
}

pub(crate) fn slug(row: &PgRow, column: &str) -> StoreResult<Slug> {
    let raw: &str = row.try_get(column)?;
    Slug::parse(raw).map_err(|e| StoreError::Other(anyhow::anyhow!("stored slug {raw:?}: {e}")))
}

pub(crate) fn timestamp(secs: i64) -> StoreResult<jiff::Timestamp> {
    jiff::Timestamp::from_second(secs).map_err(|e| StoreError::Other(e.into()))
}

fn picture(row: &PgRow, column: &str) -> StoreResult<Option<Cover>> {
    match row.try_get::<Option<&str>, _>(column)? {
        Some(text) => Ok(Some(json(text)?)),
        None => Ok(None),
    }
}

pub(crate) fn cover(row: &PgRow) -> StoreResult<Option<Cover>> {
    picture(row, "cover")
}

/// The columns `summary` reads, for SELECT lists.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.edition, a.section_id, a.slug, a.title, a.subtitle, a.cover, a.featured, a.published_at, a.views";

pub(crate) fn summary(row: &PgRow) -> StoreResult<ArticleSummary> {
    Ok(ArticleSummary {
        id: ArticleId(row.try_get("id")?),
        edition: row.try_get("edition")?,
        section: SectionId(row.try_get("section_id")?),
        slug: slug(row, "slug")?,
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        cover: cover(row)?,
        featured: row.try_get("featured")?,
        published_at: timestamp(row.try_get::<Option<i64>, _>("published_at")?.unwrap_or(0))?,
        views: row.try_get::<i64, _>("views")?.max(0) as u64,
    })
}

/// The columns `article` reads (table alias `a`).
pub(crate) const ARTICLE_COLUMNS: &str = "a.id, a.edition, a.section_id, a.slug, a.title, a.subtitle, a.body_markdown, a.body_html, a.cover, a.status, a.featured, a.published_at, a.updated_at, a.created_at, a.views, a.translation_group, a.seo_title, a.seo_description, a.seo_image";

/// A whole article from a row of `ARTICLE_COLUMNS` and its authors and tags.
pub(crate) fn article(
    row: &PgRow,
    authors: Vec<AuthorId>,
    tags: Vec<TagId>,
) -> StoreResult<Article> {
    let status: &str = row.try_get("status")?;
    let optional_time = |column: &str| -> StoreResult<Option<jiff::Timestamp>> {
        row.try_get::<Option<i64>, _>(column)?
            .map(timestamp)
            .transpose()
    };
    Ok(Article {
        id: ArticleId(row.try_get("id")?),
        edition: row.try_get("edition")?,
        section: SectionId(row.try_get("section_id")?),
        slug: slug(row, "slug")?,
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        body_markdown: row.try_get("body_markdown")?,
        body_html: row.try_get("body_html")?,
        cover: cover(row)?,
        authors,
        tags,
        status: status
            .parse::<ArticleStatus>()
            .map_err(|e| StoreError::Other(e.into()))?,
        featured: row.try_get("featured")?,
        published_at: optional_time("published_at")?,
        updated_at: optional_time("updated_at")?,
        created_at: timestamp(row.try_get("created_at")?)?,
        views: row.try_get::<i64, _>("views")?.max(0) as u64,
        translation_group: row.try_get("translation_group")?,
        seo: Seo {
            title: row.try_get("seo_title")?,
            description: row.try_get("seo_description")?,
            image: picture(row, "seo_image")?,
        },
    })
}
