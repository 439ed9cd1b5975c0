//! Articles: writes, reader lists, translations and views.

use super::rows::{self, Transaction, now_secs};
use super::{Backend, Db, feed};
use crate::dialect::Dialect;
use crate::{
    ArticleFilter, ChangeKind, ReadCount, StoreError, StoreResult, Translation, ViewDelta,
};
use byline_core::{
    Article, ArticleId, ArticleStatus, ArticleSummary, NewArticle, PageRequest, SectionId,
};
use sqlx::{QueryBuilder, Row};

const PUBLISHED: &str = "published";

impl Backend {
    pub(crate) async fn insert_article(&self, a: &NewArticle) -> StoreResult<ArticleId> {
        let mut tx = self.begin_write().await?;
        let id = insert_in(&mut tx, a).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn insert_articles(&self, all: &[NewArticle]) -> StoreResult<Vec<ArticleId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(all.len());
        for a in all {
            ids.push(insert_in(&mut tx, a).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub(crate) async fn update_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "update articles set status = $1,
               published_at = case when $2 then coalesce(published_at, $3) else published_at end
             where id = $4",
        )
        .bind(status.as_str())
        .bind(status == ArticleStatus::Published)
        .bind(now_secs())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let action = match (before.as_str(), status) {
            (_, ArticleStatus::Published) => "published",
            (PUBLISHED, _) => "unpublished",
            _ => "updated",
        };
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn summaries_by_id(
        &self,
        ids: &[ArticleId],
    ) -> StoreResult<Vec<ArticleSummary>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(200) {
            let mut q = QueryBuilder::<Db>::new(format!(
                // NO_INDEX: without it SQLite (no ANALYZE statistics) walks the status
                // index, i.e. every published article, instead of the ids.
                "select {} from articles a where {}a.status = 'published' and a.id in (",
                rows::SUMMARY_COLUMNS,
                Db::NO_INDEX
            ));
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(id.0);
            }
            q.push(")");
            for row in q.build().fetch_all(&self.read).await? {
                out.push(rows::summary(&row)?);
            }
        }
        Ok(out)
    }

    pub(crate) async fn published_page_after(
        &self,
        after: ArticleId,
        limit: i64,
    ) -> StoreResult<Vec<Article>> {
        let rows = sqlx::query(&format!(
            // NO_INDEX: scan by id (the primary key), not through the status index, so
            // each page costs its own rows, not the whole table.
            "select {}, {} from articles a where {}a.status = 'published' and a.id > $1 order by a.id limit $2",
            rows::ARTICLE_COLUMNS,
            Db::LINK_COLUMNS,
            Db::NO_INDEX
        ))
        .bind(after.0)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(rows::article).collect()
    }

    pub(crate) async fn replace_article(&self, id: ArticleId, a: &NewArticle) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        replace_in(&mut tx, id, a).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One article with its authors and tags — and, when asked, its published
    /// translations — in a single query (one round trip instead of up to four: on the
    /// uncached article page every round trip costs more than the rows it returns).
    async fn article_where(
        &self,
        clause: &str,
        binds: (&str, Option<&str>),
        with_translations: bool,
    ) -> StoreResult<(Article, Vec<Translation>)> {
        let sql = format!(
            "select {}, {}{} from articles a where {clause}",
            rows::ARTICLE_COLUMNS,
            Db::LINK_COLUMNS,
            if with_translations {
                Db::TRANSLATIONS_COLUMN
            } else {
                ""
            }
        );
        let mut q = sqlx::query(&sql).bind(binds.0);
        if let Some(second) = binds.1 {
            q = q.bind(second);
        }
        let row = q.fetch_one(&self.read).await?;
        let translations = if with_translations {
            rows::translations(&row)?
        } else {
            Vec::new()
        };
        Ok((rows::article(&row)?, translations))
    }

    pub(crate) async fn article_by_id(&self, id: ArticleId) -> StoreResult<Article> {
        let id = id.0.to_string();
        let (article, _) = self
            .article_where("id = cast($1 as bigint)", (&id, None), false)
            .await?;
        Ok(article)
    }

    pub(crate) async fn published_by_former_slug(
        &self,
        edition: &str,
        slug: &str,
    ) -> StoreResult<Article> {
        self.article_where(
            "status = 'published' and a.id = (select article_id from article_old_slugs
                 where edition = $1 and slug = $2)",
            (edition, Some(slug)),
            false,
        )
        .await
        .map(|(article, _)| article)
    }

    pub(crate) async fn published_by_slug(
        &self,
        edition: &str,
        slug: &str,
        with_translations: bool,
    ) -> StoreResult<(Article, Vec<Translation>)> {
        self.article_where(
            "status = 'published' and a.edition = $1 and a.slug = $2",
            (edition, Some(slug)),
            with_translations,
        )
        .await
    }

    pub(crate) async fn list_published(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
    ) -> StoreResult<(Vec<ArticleSummary>, u64)> {
        let mut count = QueryBuilder::<Db>::new("select count(*) from articles a where ");
        push_filter(&mut count, filter);
        let total: i64 = count.build_query_scalar().fetch_one(&self.read).await?;
        let items = self
            .slice_published(filter, page.offset(), page.limit())
            .await?;
        Ok((items, total.max(0) as u64))
    }

    pub(crate) async fn slice_published(
        &self,
        filter: &ArticleFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<ArticleSummary>> {
        let mut list = QueryBuilder::<Db>::new(format!(
            "select {} from articles a where ",
            rows::SUMMARY_COLUMNS
        ));
        push_filter(&mut list, filter);
        list.push(" order by a.published_at desc, a.id desc limit ")
            .push_bind(limit)
            .push(" offset ")
            .push_bind(offset);
        let rows = list.build().fetch_all(&self.read).await?;
        rows.iter().map(rows::summary).collect()
    }

    pub(crate) async fn list_most_read(
        &self,
        edition: &str,
        since: jiff::Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<ArticleSummary>> {
        let sql = format!(
            "select {} from articles a
             where a.status = 'published' and a.edition = $1 and a.published_at >= $2
             order by a.views desc, a.published_at desc limit $3",
            rows::SUMMARY_COLUMNS
        );
        let rows = sqlx::query(&sql)
            .bind(edition)
            .bind(since.as_second())
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(rows::summary).collect()
    }

    pub(crate) async fn group_translations(&self, group: i64) -> StoreResult<Vec<Translation>> {
        let rows = sqlx::query(
            "select id, edition, slug, section_id from articles
             where translation_group = $1 and status = 'published' order by id",
        )
        .bind(group)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Translation {
                    id: ArticleId(row.try_get("id")?),
                    edition: row.try_get("edition")?,
                    slug: row.try_get("slug")?,
                    section: SectionId(row.try_get("section_id")?),
                })
            })
            .collect()
    }

    pub(crate) async fn view_counts(
        &self,
        before: Option<ArticleId>,
        limit: u32,
    ) -> StoreResult<Vec<(ArticleId, u64)>> {
        // Keyset pages down the covering index (status, id, views): each page costs
        // its own rows, and no read transaction stays open across the whole table.
        let rows = sqlx::query(
            "select id, views from articles where status = $1 and id < $2 order by id desc limit $3",
        )
        .bind(PUBLISHED)
        .bind(before.map_or(i64::MAX, |id| id.0))
        .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    ArticleId(row.try_get("id")?),
                    row.try_get::<i64, _>("views")?.max(0) as u64,
                ))
            })
            .collect()
    }

    pub(crate) async fn top_viewed(
        &self,
        since_day: &str,
        limit: i64,
    ) -> StoreResult<Vec<ReadCount>> {
        let rows = sqlx::query(
            "select a.id, a.edition, a.title, cast(sum(d.views) as bigint) as total
             from article_views_daily d join articles a on a.id = d.article_id
             where d.day >= $1
             group by a.id, a.edition, a.title
             order by total desc, a.id limit $2",
        )
        .bind(since_day)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ReadCount {
                    article: ArticleId(row.try_get("id")?),
                    edition: row.try_get("edition")?,
                    title: row.try_get("title")?,
                    views: u64::try_from(row.try_get::<i64, _>("total")?).unwrap_or(0),
                })
            })
            .collect()
    }

    pub(crate) async fn daily_views(&self, since_day: &str) -> StoreResult<Vec<(String, u64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select day, cast(sum(views) as bigint) from article_views_daily
             where day >= $1 group by day order by day",
        )
        .bind(since_day)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(day, n)| (day, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    pub(crate) async fn apply_views(&self, deltas: &[ViewDelta]) -> StoreResult<()> {
        if deltas.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for d in deltas {
            let count = i64::try_from(d.count).unwrap_or(i64::MAX);
            sqlx::query("update articles set views = views + $1 where id = $2")
                .bind(count)
                .bind(d.article.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into article_views_daily (article_id, day, views) values ($1, $2, $3)
                 on conflict (article_id, day) do update set views = article_views_daily.views + excluded.views",
            )
            .bind(d.article.0)
            .bind(&d.day)
            .bind(count)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

pub(super) fn push_filter(q: &mut QueryBuilder<'_, Db>, f: &ArticleFilter) {
    q.push("a.status = 'published'");
    if let Some(edition) = &f.edition {
        q.push(" and a.edition = ").push_bind(edition.clone());
    }
    if let Some(section) = f.section {
        q.push(" and a.section_id = ").push_bind(section.0);
    }
    if let Some(exclude) = f.exclude {
        q.push(" and a.id <> ").push_bind(exclude.0);
    }
    if let Some(tag) = f.tag {
        q.push(
            " and exists (select 1 from article_tags t where t.article_id = a.id and t.tag_id = ",
        )
        .push_bind(tag.0)
        .push(")");
    }
    if let Some(author) = f.author {
        q.push(" and exists (select 1 from article_authors w where w.article_id = a.id and w.author_id = ")
            .push_bind(author.0)
            .push(")");
    }
    if let Some(text) = &f.text {
        // search_text is stored lowercased; a position search avoids LIKE's wildcard
        // escaping.
        q.push(format_args!(" and {}(a.search_text, ", Db::STRING_POSITION))
            .push_bind(text.to_lowercase())
            .push(") > 0");
    }
}

pub(super) async fn insert_in(tx: &mut Transaction, a: &NewArticle) -> StoreResult<ArticleId> {
    {
        let cover = a.cover.as_ref().map(rows::to_json).transpose()?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "insert into articles (edition, section_id, slug, title, subtitle, body_markdown,
               body_html, search_text, cover, status, featured, published_at, created_at,
               translation_group, seo_title, seo_description, seo_image)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, 0), $15, $16,
                     $17)
             returning id",
        )
        .bind(&a.edition)
        .bind(a.section.0)
        .bind(a.slug.as_str())
        .bind(&a.title)
        .bind(&a.subtitle)
        .bind(&a.body_markdown)
        .bind(&a.body_html)
        .bind(&a.search_text)
        .bind(cover)
        .bind(a.status.as_str())
        .bind(a.featured)
        .bind(a.published_at.map(|t| t.as_second()))
        .bind(now_secs())
        .bind(a.translation_group)
        .bind(&a.seo.title)
        .bind(&a.seo.description)
        .bind(a.seo.image.as_ref().map(rows::to_json).transpose()?)
        .fetch_one(&mut **tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict("article slug in this edition"));
            }
            Err(e) => return Err(e.into()),
        };
        if a.translation_group.is_none() {
            sqlx::query("update articles set translation_group = id where id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        for (position, author) in a.authors.iter().enumerate() {
            sqlx::query(
                "insert into article_authors (article_id, author_id, position) values ($1, $2, $3)",
            )
            .bind(id)
            .bind(author.0)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
        }
        for tag in &a.tags {
            sqlx::query("insert into article_tags (article_id, tag_id) values ($1, $2) on conflict do nothing")
                .bind(id)
                .bind(tag.0)
                .execute(&mut **tx)
                .await?;
        }
        let action = if a.status == ArticleStatus::Published {
            "published"
        } else {
            "created"
        };
        feed::record(tx, ChangeKind::Article, id, action).await?;
        Ok(ArticleId(id))
    }
}

/// Replaces an article's content inside the caller's transaction (shared by
/// `update_article` and the newsroom's revisioned saves).
pub(super) async fn replace_in(
    tx: &mut Transaction,
    id: ArticleId,
    a: &NewArticle,
) -> StoreResult<()> {
    let previous: Option<(String, String, String)> =
        sqlx::query_as("select status, edition, slug from articles where id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((previous, old_edition, old_slug)) = previous else {
        return Err(StoreError::NotFound);
    };
    if (old_edition.as_str(), old_slug.as_str()) != (a.edition.as_str(), a.slug.as_str()) {
        // The old address keeps leading here; the new one is nobody's old address.
        sqlx::query(
            "insert into article_old_slugs (edition, slug, article_id) values ($1, $2, $3)
             on conflict (edition, slug) do update set article_id = excluded.article_id",
        )
        .bind(&old_edition)
        .bind(&old_slug)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
        sqlx::query("delete from article_old_slugs where edition = $1 and slug = $2")
            .bind(&a.edition)
            .bind(a.slug.as_str())
            .execute(&mut **tx)
            .await?;
    }
    let was_published = previous == ArticleStatus::Published.as_str();
    let is_published = a.status == ArticleStatus::Published;
    // A change to a live article is a correction readers are told about.
    let updated_at = (was_published && is_published).then(now_secs);
    let cover = a.cover.as_ref().map(rows::to_json).transpose()?;
    let seo_image = a.seo.image.as_ref().map(rows::to_json).transpose()?;
    let result = sqlx::query(
        "update articles set edition = $1, section_id = $2, slug = $3, title = $4, subtitle = $5,
               body_markdown = $6, body_html = $7, search_text = $8, cover = $9, status = $10,
               featured = $11, published_at = coalesce($12, published_at),
               updated_at = coalesce($13, updated_at), seo_title = $14, seo_description = $15,
               seo_image = $16
             where id = $17",
    )
    .bind(&a.edition)
    .bind(a.section.0)
    .bind(a.slug.as_str())
    .bind(&a.title)
    .bind(&a.subtitle)
    .bind(&a.body_markdown)
    .bind(&a.body_html)
    .bind(&a.search_text)
    .bind(cover)
    .bind(a.status.as_str())
    .bind(a.featured)
    .bind(a.published_at.map(|t| t.as_second()))
    .bind(updated_at)
    .bind(&a.seo.title)
    .bind(&a.seo.description)
    .bind(seo_image)
    .bind(id.0)
    .execute(&mut **tx)
    .await;
    match result {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(StoreError::Conflict("article slug in this edition"));
        }
        Err(e) => return Err(e.into()),
    }
    sqlx::query("delete from article_authors where article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from article_tags where article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    for (position, author) in a.authors.iter().enumerate() {
        sqlx::query(
            "insert into article_authors (article_id, author_id, position) values ($1, $2, $3)",
        )
        .bind(id.0)
        .bind(author.0)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    for tag in &a.tags {
        sqlx::query(
            "insert into article_tags (article_id, tag_id) values ($1, $2) on conflict do nothing",
        )
        .bind(id.0)
        .bind(tag.0)
        .execute(&mut **tx)
        .await?;
    }
    let action = match (was_published, is_published) {
        (false, true) => "published",
        (true, false) => "unpublished",
        _ => "updated",
    };
    feed::record(tx, ChangeKind::Article, id.0, action).await?;
    Ok(())
}
