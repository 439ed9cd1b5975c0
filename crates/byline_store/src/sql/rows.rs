//! Row → domain conversions and small helpers shared by the queries.

use super::{Backend, Db};
use crate::dialect::Dialect;
use crate::{StoreError, StoreResult, Translation};
use byline_core::{
    Article, ArticleId, ArticleStatus, ArticleSummary, AuthorId, Cover, Localized, SectionId, Seo,
    Slug, TagId,
};
use sqlx::Row as _;

/// A result row of this backend.
pub(super) type Row = <Db as sqlx::Database>::Row;

/// This backend's transaction.
pub(super) type Transaction = sqlx::Transaction<'static, Db>;

impl Backend {
    /// A transaction on the writer (see [`Dialect::BEGIN_WRITE`]).
    pub(super) async fn begin_write(&self) -> StoreResult<Transaction> {
        Ok(self.write.begin_with(Db::BEGIN_WRITE).await?)
    }
}

pub(crate) fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(e.into()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.into()))
}

pub(crate) fn localized(row: &Row, column: &str) -> StoreResult<Localized> {
    json(row.try_get::<&str, _>(column)?)
}

pub(crate) fn slug(row: &Row, column: &str) -> StoreResult<Slug> {
    let raw: &str = row.try_get(column)?;
    Slug::parse(raw).map_err(|e| StoreError::Other(anyhow::anyhow!("stored slug {raw:?}: {e}")))
}

/// `NotFound` when an update touched no row.
pub(super) fn one_row(done: <Db as sqlx::Database>::QueryResult) -> StoreResult<()> {
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A stored name (role, status) as its type, naming what could not be read.
pub(super) fn parse<T: std::str::FromStr>(raw: &str, what: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    raw.parse()
        .map_err(|e| StoreError::Other(anyhow::anyhow!("stored {what} {raw:?}: {e}")))
}

pub(crate) fn timestamp(secs: i64) -> StoreResult<jiff::Timestamp> {
    jiff::Timestamp::from_second(secs).map_err(|e| StoreError::Other(e.into()))
}

fn picture(row: &Row, column: &str) -> StoreResult<Option<Cover>> {
    match row.try_get::<Option<&str>, _>(column)? {
        Some(text) => Ok(Some(json(text)?)),
        None => Ok(None),
    }
}

pub(crate) fn cover(row: &Row) -> StoreResult<Option<Cover>> {
    picture(row, "cover")
}

/// The columns `summary` reads, for SELECT lists.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.edition, a.section_id, a.slug, a.title, a.subtitle, a.cover, a.featured, a.published_at, a.views";

pub(crate) fn summary(row: &Row) -> StoreResult<ArticleSummary> {
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
pub(crate) const ARTICLE_COLUMNS: &str = "a.id, a.edition, a.section_id, a.slug, a.title, a.subtitle, a.body_markdown, a.body_html, a.cover, a.status, a.featured, a.published_at, a.updated_at, a.created_at, a.views, a.translation_group, a.seo_title, a.seo_description, a.seo_image, a.corrections, a.takedown_reason, a.live_since, a.live_until";

#[derive(serde::Deserialize)]
struct TranslationRow {
    id: i64,
    edition: String,
    slug: String,
    section: i64,
}

/// The `translations` column of [`Dialect::TRANSLATIONS_COLUMN`].
pub(crate) fn translations(row: &Row) -> StoreResult<Vec<Translation>> {
    Ok(by_id(json(row.try_get("translations")?)?))
}

/// Translations by id (the dialect's column may hold them in any order; SQLite's does:
/// see its `LINK_COLUMNS`).
fn by_id(mut list: Vec<TranslationRow>) -> Vec<Translation> {
    list.sort_unstable_by_key(|t| t.id);
    list.into_iter()
        .map(|t| Translation {
            id: ArticleId(t.id),
            edition: t.edition,
            slug: t.slug,
            section: SectionId(t.section),
        })
        .collect()
}

/// A whole article from a row of [`ARTICLE_COLUMNS`] and [`Dialect::LINK_COLUMNS`].
pub(crate) fn article(row: &Row) -> StoreResult<Article> {
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
        authors: Db::id_list(row, "author_ids")?
            .into_iter()
            .map(AuthorId)
            .collect(),
        tags: Db::id_list(row, "tag_ids")?
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
            image: picture(row, "seo_image")?,
        },
        corrections: json(row.try_get("corrections")?)?,
        takedown_reason: row.try_get("takedown_reason")?,
        live: match row.try_get::<Option<i64>, _>("live_since")? {
            Some(since) => Some(byline_core::LiveCoverage {
                since: timestamp(since)?,
                until: row
                    .try_get::<Option<i64>, _>("live_until")?
                    .map(timestamp)
                    .transpose()?,
            }),
            None => None,
        },
    })
}

/// `NotFound` unless article `id` exists (checked inside the write that needs it).
pub(super) async fn article_exists(tx: &mut Transaction, id: i64) -> StoreResult<()> {
    let found: Option<i64> = sqlx::query_scalar("select id from articles where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    found.map(|_| ()).ok_or(crate::StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::{TranslationRow, by_id};

    #[test]
    fn translations_come_by_id_in_whatever_order_they_were_read() {
        let row = |id: i64, edition: &str| TranslationRow {
            id,
            edition: edition.into(),
            slug: format!("story-{id}"),
            section: 1,
        };
        let read = vec![row(9, "hy"), row(2, "en"), row(5, "ru")];
        let ids: Vec<i64> = by_id(read).iter().map(|t| t.id.0).collect();
        assert_eq!(ids, [2, 5, 9]);
    }
}
