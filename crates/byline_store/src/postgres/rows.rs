//! Row → domain conversions shared by the PostgreSQL queries.

use crate::{StoreError, StoreResult, Translation};
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

pub(crate) fn cover(row: &PgRow) -> StoreResult<Option<Cover>> {
    match row.try_get::<Option<&str>, _>("cover")? {
        Some(text) => Ok(Some(json(text)?)),
        None => Ok(None),
    }
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
pub(crate) const ARTICLE_COLUMNS: &str = "a.id, a.edition, a.section_id, a.slug, a.title, a.subtitle, a.body_markdown, a.body_html, a.cover, a.status, a.featured, a.published_at, a.updated_at, a.created_at, a.views, a.translation_group, a.seo_title, a.seo_description";

/// The article's authors (in byline order) and tags as id arrays, read by [`article`]
/// (table alias `a`).
pub(crate) const LINK_COLUMNS: &str = "\
    array(select author_id from article_authors where article_id = a.id order by position) as author_ids, \
    array(select tag_id from article_tags where article_id = a.id order by tag_id) as tag_ids";

/// The article's published editions as a JSON array, read by [`translations`].
pub(crate) const TRANSLATIONS_COLUMN: &str = ", \
    (select coalesce(json_agg(json_build_object('id', t.id, 'edition', t.edition, 'slug', t.slug, 'section', t.section_id) order by t.id), '[]')::text \
     from articles t where t.translation_group = a.translation_group and t.status = 'published') as translations";

#[derive(serde::Deserialize)]
struct TranslationRow {
    id: i64,
    edition: String,
    slug: String,
    section: i64,
}

/// The `translations` column of [`TRANSLATIONS_COLUMN`].
pub(crate) fn translations(row: &PgRow) -> StoreResult<Vec<Translation>> {
    let list: Vec<TranslationRow> = json(row.try_get("translations")?)?;
    Ok(list
        .into_iter()
        .map(|t| Translation {
            id: ArticleId(t.id),
            edition: t.edition,
            slug: t.slug,
            section: SectionId(t.section),
        })
        .collect())
}

/// A whole article from a row of `ARTICLE_COLUMNS` and `LINK_COLUMNS`.
pub(crate) fn article(row: &PgRow) -> StoreResult<Article> {
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
        authors: row
            .try_get::<Vec<i64>, _>("author_ids")?
            .into_iter()
            .map(AuthorId)
            .collect(),
        tags: row
            .try_get::<Vec<i64>, _>("tag_ids")?
            .into_iter()
            .map(TagId)
            .collect(),
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
        },
    })
}
