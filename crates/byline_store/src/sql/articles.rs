//! Articles (`ArticleStore`): writes, reader lists, translations, views, and the
//! newsroom's lifecycle (owner, revisions, scheduling, soft delete).

use super::rows::{self, Row, Transaction, now_secs, parse};
use super::{Backend, Db, accounts, api, feed, media};
use crate::dialect::Dialect;
use crate::{
    ArticleFilter, ArticleStore, ChangeKind, IdempotencyClaim, NewsroomFilter, NewsroomSort,
    OwnedCreate, ReadCount, RevisionSave, StoreError, StoreResult, Translation, ViewDelta,
};
use async_trait::async_trait;
use byline_core::{
    Article, ArticleId, ArticleMeta, ArticleStatus, ArticleSummary, AuthorId, Cover, NewArticle,
    NewAuditEntry, NewsroomArticle, PageRequest, Revision, SectionId, UserId,
};
use sqlx::{QueryBuilder, Row as _};

const PUBLISHED: &str = "published";

#[async_trait]
impl ArticleStore for Backend {
    async fn create_article(&self, a: &NewArticle) -> StoreResult<ArticleId> {
        let mut tx = self.begin_write().await?;
        let id = insert_in(&mut tx, a).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_article(&self, id: ArticleId, a: &NewArticle) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        replace_in(&mut tx, id, a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_articles(&self, all: &[NewArticle]) -> StoreResult<Vec<ArticleId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(all.len());
        for a in all {
            ids.push(insert_in(&mut tx, a).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn set_article_pictures(
        &self,
        id: ArticleId,
        cover: Option<&Cover>,
        social: Option<&Cover>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        rows::one_row(
            sqlx::query("update articles set cover = $1, seo_image = $2 where id = $3")
                .bind(cover.map(rows::to_json).transpose()?)
                .bind(social.map(rows::to_json).transpose()?)
                .bind(id.0)
                .execute(&mut *tx)
                .await?,
        )?;
        feed::record(&mut tx, ChangeKind::Article, id.0, "updated").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_article_status(&self, id: ArticleId, status: ArticleStatus) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let done = sqlx::query(
            "update articles set status = $1,
               published_at = case when $2 then coalesce(published_at, $3) else published_at end
             where id = $4 and status <> 'taken_down'",
        )
        .bind(status.as_str())
        .bind(status == ArticleStatus::Published)
        .bind(now_secs())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        unless_taken_down(done.rows_affected())?;
        let action = status_action(&before, status);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn article(&self, id: ArticleId) -> StoreResult<Article> {
        let id = id.0.to_string();
        let (article, _) = self
            .article_where("id = cast($1 as bigint)", (&id, None), false)
            .await?;
        Ok(article)
    }

    async fn published_article(&self, edition: &str, slug: &str) -> StoreResult<Article> {
        let (article, _) = self.published_by_slug(edition, slug, false).await?;
        Ok(article)
    }

    async fn published_article_with_translations(
        &self,
        edition: &str,
        slug: &str,
    ) -> StoreResult<(Article, Vec<Translation>)> {
        self.published_by_slug(edition, slug, true).await
    }

    async fn published_by_old_slug(&self, edition: &str, slug: &str) -> StoreResult<Article> {
        self.article_where(
            "status = 'published' and a.id = (select article_id from article_old_slugs
                 where edition = $1 and slug = $2)",
            (edition, Some(slug)),
            false,
        )
        .await
        .map(|(article, _)| article)
    }

    async fn published_articles(
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

    async fn published_slice(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArticleSummary>> {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        self.slice_published(filter, offset, i64::from(limit)).await
    }

    async fn most_read(
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

    async fn published_summaries(&self, ids: &[ArticleId]) -> StoreResult<Vec<ArticleSummary>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(200) {
            let mut q = QueryBuilder::<Db>::new(format!(
                // NO_INDEX: without it SQLite (no ANALYZE statistics) walks the status
                // index, i.e. every published article, instead of the ids.
                "select {} from articles a where {}a.status = 'published' and a.id in ",
                rows::SUMMARY_COLUMNS,
                Db::NO_INDEX
            ));
            let ids: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            super::push_in_list(&mut q, &ids);
            for row in q.build().fetch_all(&self.read).await? {
                out.push(rows::summary(&row)?);
            }
        }
        Ok(out)
    }

    async fn published_after(&self, after: ArticleId, limit: i64) -> StoreResult<Vec<Article>> {
        self.articles_after("a.status = 'published'", after, limit)
            .await
    }

    async fn working_after(&self, after: ArticleId, limit: i64) -> StoreResult<Vec<Article>> {
        self.articles_after("a.status <> 'deleted'", after, limit)
            .await
    }

    async fn translations(&self, group: i64) -> StoreResult<Vec<Translation>> {
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

    async fn published_view_counts(
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

    async fn add_views(&self, deltas: &[ViewDelta]) -> StoreResult<()> {
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

    async fn most_viewed_since(&self, since_day: &str, limit: i64) -> StoreResult<Vec<ReadCount>> {
        let rows = sqlx::query(
            "select a.id, a.edition, a.title, cast(sum(d.views) as bigint) as total
             from article_views_daily d join articles a on a.id = d.article_id
             where d.day >= $1 and a.status = 'published'
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

    async fn views_per_day(&self, since_day: &str) -> StoreResult<Vec<(String, u64)>> {
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

    async fn article_meta(&self, id: ArticleId) -> StoreResult<ArticleMeta> {
        let row = sqlx::query(
            "select a.owner_id, s.writer_id, a.revision, a.deleted_from from articles a
             left join article_assignments s on s.article_id = a.id
             where a.id = $1",
        )
        .bind(id.0)
        .fetch_one(&self.write)
        .await?;
        Ok(ArticleMeta {
            id,
            owner: row.try_get::<Option<i64>, _>("owner_id")?.map(UserId),
            writer: row.try_get::<Option<i64>, _>("writer_id")?.map(UserId),
            revision: row.try_get("revision")?,
            deleted_from: row
                .try_get::<Option<&str>, _>("deleted_from")?
                .map(|s| parse::<ArticleStatus>(s, "status"))
                .transpose()?,
        })
    }

    async fn create_owned_article(
        &self,
        a: &NewArticle,
        owner: UserId,
        audit: &NewAuditEntry,
        once: Option<&IdempotencyClaim>,
    ) -> StoreResult<OwnedCreate> {
        let mut tx = self.begin_write().await?;
        if let Some(claim) = once
            && let Some(seen) = api::claim_in(&mut tx, owner, claim).await?
        {
            // Nothing written but the clean-up of expired keys, which may stay.
            tx.commit().await?;
            return Ok(OwnedCreate::Seen(seen));
        }
        let id = insert_in(&mut tx, a).await?;
        let revision = insert_revision(&mut tx, id, a, owner, 0, true).await?;
        sqlx::query("update articles set owner_id = $1, revision = $2 where id = $3")
            .bind(owner.0)
            .bind(revision)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let audit = NewAuditEntry {
            entity_id: id.0,
            ..audit.clone()
        };
        accounts::audit_in(&mut tx, &audit).await?;
        if let Some(claim) = once {
            api::answer_in(&mut tx, owner, &claim.key, id).await?;
        }
        tx.commit().await?;
        Ok(OwnedCreate::Created { id, revision })
    }

    async fn save_article_revision(
        &self,
        id: ArticleId,
        based_on: i64,
        a: &NewArticle,
        author: UserId,
    ) -> StoreResult<RevisionSave> {
        let mut tx = self.begin_write().await?;
        let current: i64 = sqlx::query_scalar("select revision from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if current != based_on {
            let kept = insert_revision(&mut tx, id, a, author, based_on, false).await?;
            tx.commit().await?;
            return Ok(RevisionSave::Stale { kept, current });
        }
        replace_in(&mut tx, id, a).await?;
        let revision = insert_revision(&mut tx, id, a, author, based_on, true).await?;
        sqlx::query("update articles set revision = $1 where id = $2")
            .bind(revision)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(RevisionSave::Saved { revision })
    }

    async fn revisions(&self, article: ArticleId) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "select id, article_id, author_id, title, subtitle, body_markdown, accepted, based_on,
                    created_at
             from article_revisions where article_id = $1 order by id desc",
        )
        .bind(article.0)
        .fetch_all(&self.write)
        .await?;
        rows.iter().map(revision).collect()
    }

    async fn revision(&self, id: i64) -> StoreResult<Revision> {
        let row = sqlx::query(
            "select id, article_id, author_id, title, subtitle, body_markdown, accepted, based_on,
                    created_at
             from article_revisions where id = $1",
        )
        .bind(id)
        .fetch_one(&self.write)
        .await?;
        revision(&row)
    }

    async fn schedule_article(&self, id: ArticleId, at: jiff::Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let done = sqlx::query(
            "update articles set status = 'scheduled', published_at = $1
             where id = $2 and status <> 'taken_down'",
        )
        .bind(at.as_second())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        unless_taken_down(done.rows_affected())?;
        let action = status_action(&before, ArticleStatus::Scheduled);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn soft_delete_article(&self, id: ArticleId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("select status from articles where id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if before == ArticleStatus::Deleted.as_str() {
            return Ok(());
        }
        let done = sqlx::query(
            "update articles set status = 'deleted', deleted_from = $1
             where id = $2 and status <> 'taken_down'",
        )
        .bind(&before)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        unless_taken_down(done.rows_affected())?;
        let action = status_action(&before, ArticleStatus::Deleted);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn restore_article(&self, id: ArticleId) -> StoreResult<ArticleStatus> {
        let mut tx = self.begin_write().await?;
        let back: Option<String> = sqlx::query_scalar(
            "select deleted_from from articles where id = $1 and status = 'deleted'",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
        let Some(back) = back else {
            return Err(StoreError::NotFound);
        };
        let status = parse::<ArticleStatus>(&back, "status")?;
        sqlx::query("update articles set status = $1, deleted_from = null where id = $2")
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let action = status_action(ArticleStatus::Deleted.as_str(), status);
        feed::record(&mut tx, ChangeKind::Article, id.0, action).await?;
        tx.commit().await?;
        Ok(status)
    }

    async fn newsroom_articles(&self, f: &NewsroomFilter) -> StoreResult<Vec<NewsroomArticle>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "select a.id, a.edition, a.section_id, a.title, a.status, a.owner_id, a.published_at,
                    a.created_at, a.updated_at, a.edited_at, {}
             from articles a where 1 = 1",
            Db::LINK_COLUMNS
        ));
        push_newsroom_filter(&mut q, f, true);
        match f.sort {
            NewsroomSort::Edited => q.push(" order by a.edited_at desc, a.id desc"),
            // Never-published ones (no time) after the rest, on both databases.
            NewsroomSort::Published => q.push(
                " order by case when a.published_at is null then 1 else 0 end, a.published_at desc, a.id desc",
            ),
        };
        q.push(" limit ")
            .push_bind(i64::from(f.limit))
            .push(" offset ")
            .push_bind(i64::try_from(f.offset).unwrap_or(i64::MAX));
        let rows = q.build().fetch_all(&self.read).await?;
        rows.iter()
            .map(|row| {
                let time = |c: &str| -> StoreResult<Option<jiff::Timestamp>> {
                    row.try_get::<Option<i64>, _>(c)?
                        .map(rows::timestamp)
                        .transpose()
                };
                let created_at = rows::timestamp(row.try_get("created_at")?)?;
                Ok(NewsroomArticle {
                    id: ArticleId(row.try_get("id")?),
                    edition: row.try_get("edition")?,
                    section: SectionId(row.try_get("section_id")?),
                    authors: Db::id_list(row, "author_ids")?
                        .into_iter()
                        .map(AuthorId)
                        .collect(),
                    title: row.try_get("title")?,
                    status: parse::<ArticleStatus>(row.try_get("status")?, "status")?,
                    owner: row.try_get::<Option<i64>, _>("owner_id")?.map(UserId),
                    published_at: time("published_at")?,
                    created_at,
                    updated_at: time("updated_at")?,
                    edited_at: time("edited_at")?.unwrap_or(created_at),
                })
            })
            .collect()
    }

    async fn newsroom_counts(&self, f: &NewsroomFilter) -> StoreResult<Vec<(ArticleStatus, u64)>> {
        let mut q =
            QueryBuilder::<Db>::new("select a.status, count(*) as n from articles a where 1 = 1");
        push_newsroom_filter(&mut q, f, false);
        q.push(" group by a.status");
        let rows = q.build().fetch_all(&self.read).await?;
        let mut counts = rows
            .iter()
            .map(|row| {
                Ok((
                    parse::<ArticleStatus>(row.try_get("status")?, "status")?,
                    u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0),
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        counts.sort_by_key(|(s, _)| ArticleStatus::ALL.iter().position(|x| x == s));
        Ok(counts)
    }

    async fn publish_due(&self, now: jiff::Timestamp) -> StoreResult<Vec<ArticleId>> {
        let mut tx = self.begin_write().await?;
        // One statement claims the due rows: a second caller finds them no longer
        // scheduled, so each is published (and announced) exactly once.
        let ids: Vec<i64> = sqlx::query_scalar(
            "update articles set status = 'published'
             where status = 'scheduled' and published_at <= $1 returning id",
        )
        .bind(now.as_second())
        .fetch_all(&mut *tx)
        .await?;
        for id in &ids {
            feed::record(&mut tx, ChangeKind::Article, *id, "published").await?;
        }
        tx.commit().await?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }
}

impl Backend {
    /// Up to `limit` articles matching `condition` with ids above `after`, by id: a full
    /// scan in pages, for rebuilding a search index.
    async fn articles_after(
        &self,
        condition: &str,
        after: ArticleId,
        limit: i64,
    ) -> StoreResult<Vec<Article>> {
        let rows = sqlx::query(&format!(
            // NO_INDEX: scan by id (the primary key), not through the status index, so
            // each page costs its own rows, not the whole table.
            "select {}, {} from articles a where {}{condition} and a.id > $1 order by a.id limit $2",
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
    let insert = sqlx::query(
        "insert into articles (edition, section_id, slug, title, subtitle, body_markdown,
           body_html, search_text, cover, status, featured, published_at, seo_title,
           seo_description, seo_image, created_at, translation_group)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                 coalesce($17, 0))
         returning id",
    );
    let id: i64 = bind_content(insert, a)?
        .bind(now_secs())
        .bind(a.translation_group)
        .fetch_one(&mut **tx)
        .await
        .map_err(slug_taken)?
        .try_get("id")?;
    if a.translation_group.is_none() {
        sqlx::query("update articles set translation_group = id where id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    insert_links(tx, ArticleId(id), a).await?;
    let action = if a.status == ArticleStatus::Published {
        "published"
    } else {
        "created"
    };
    feed::record(tx, ChangeKind::Article, id, action).await?;
    Ok(ArticleId(id))
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
    let update = sqlx::query(
        "update articles set edition = $1, section_id = $2, slug = $3, title = $4, subtitle = $5,
           body_markdown = $6, body_html = $7, search_text = $8, cover = $9, status = $10,
           featured = $11, published_at = coalesce($12, published_at), seo_title = $13,
           seo_description = $14, seo_image = $15, updated_at = coalesce($16, updated_at)
         where id = $17 and status <> 'taken_down'",
    );
    let done = bind_content(update, a)?
        .bind(updated_at)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(slug_taken)?;
    unless_taken_down(done.rows_affected())?;
    sqlx::query("delete from article_authors where article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from article_tags where article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    insert_links(tx, id, a).await?;
    let action = match (was_published, is_published) {
        (false, true) => "published",
        (true, false) => "unpublished",
        _ => "updated",
    };
    feed::record(tx, ChangeKind::Article, id.0, action).await?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// Binds `$1` to `$15`: what an editor writes, in the order both the insert and the
/// update of an article name the columns.
fn bind_content<'q>(q: Query<'q>, a: &'q NewArticle) -> StoreResult<Query<'q>> {
    Ok(q.bind(&a.edition)
        .bind(a.section.0)
        .bind(a.slug.as_str())
        .bind(&a.title)
        .bind(&a.subtitle)
        .bind(&a.body_markdown)
        .bind(&a.body_html)
        .bind(&a.search_text)
        .bind(a.cover.as_ref().map(rows::to_json).transpose()?)
        .bind(a.status.as_str())
        .bind(a.featured)
        .bind(a.published_at.map(|t| t.as_second()))
        .bind(&a.seo.title)
        .bind(&a.seo.description)
        .bind(a.seo.image.as_ref().map(rows::to_json).transpose()?))
}

/// Records the article's authors (in byline order), tags and library pictures.
async fn insert_links(tx: &mut Transaction, id: ArticleId, a: &NewArticle) -> StoreResult<()> {
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
    let cover = a
        .cover
        .as_ref()
        .and_then(|c| byline_core::storage_key_of(&c.url));
    let social = a
        .seo
        .image
        .as_ref()
        .and_then(|c| byline_core::storage_key_of(&c.url));
    media::record_article_media(tx, id, &a.media, [cover, social]).await?;
    Ok(())
}

/// An article write's error: `Conflict` when its slug is taken in its edition.
fn slug_taken(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            StoreError::Conflict("article slug in this edition")
        }
        e => e.into(),
    }
}

fn revision(row: &Row) -> StoreResult<Revision> {
    Ok(Revision {
        id: row.try_get("id")?,
        article: ArticleId(row.try_get("article_id")?),
        author: row.try_get::<Option<i64>, _>("author_id")?.map(UserId),
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        body_markdown: row.try_get("body_markdown")?,
        accepted: row.try_get("accepted")?,
        based_on: row.try_get("based_on")?,
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

async fn insert_revision(
    tx: &mut Transaction,
    article: ArticleId,
    a: &NewArticle,
    author: UserId,
    based_on: i64,
    accepted: bool,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into article_revisions (article_id, author_id, title, subtitle, body_markdown,
           accepted, based_on, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(article.0)
    .bind(author.0)
    .bind(&a.title)
    .bind(&a.subtitle)
    .bind(&a.body_markdown)
    .bind(accepted)
    .bind(based_on)
    .bind(now_secs())
    .fetch_one(&mut **tx)
    .await?)
}

/// The change-feed action for a status move.
/// A status write's guard: every update that sets an article's status or content
/// excludes taken-down articles in its own WHERE (so a save, move or import that raced
/// a takedown cannot undo it); no row changed means the article was taken down (its
/// existence was read in the same transaction).
fn unless_taken_down(rows: u64) -> StoreResult<()> {
    if rows == 0 {
        Err(StoreError::Conflict(crate::TAKEN_DOWN))
    } else {
        Ok(())
    }
}

fn status_action(before: &str, after: ArticleStatus) -> &'static str {
    match (before == ArticleStatus::Published.as_str(), after) {
        (_, ArticleStatus::Published) => "published",
        (true, _) => "unpublished",
        _ => "updated",
    }
}

/// The newsroom list's conditions (`with_status`: the status filter too; the counts per
/// status leave it out). The time range applies to the column the list is sorted by.
fn push_newsroom_filter(q: &mut QueryBuilder<'_, Db>, f: &NewsroomFilter, with_status: bool) {
    if let Some(owner) = f.owner {
        // Their own, and those assigned to them as the writer.
        q.push(" and (a.owner_id = ")
            .push_bind(owner.0)
            .push(" or exists (select 1 from article_assignments s where s.article_id = a.id and s.writer_id = ")
            .push_bind(owner.0)
            .push("))");
    }
    match f.status.filter(|_| with_status) {
        Some(status) => {
            q.push(" and a.status = ").push_bind(status.as_str());
        }
        None if !f.include_deleted => {
            q.push(" and a.status <> 'deleted'");
        }
        None => {}
    }
    if let Some(edition) = &f.edition {
        q.push(" and a.edition = ").push_bind(edition.clone());
    }
    if let Some(section) = f.section {
        q.push(" and a.section_id = ").push_bind(section.0);
    }
    if let Some(author) = f.author {
        q.push(" and exists (select 1 from article_authors x where x.article_id = a.id and x.author_id = ")
            .push_bind(author.0)
            .push(")");
    }
    if let Some(tag) = f.tag {
        q.push(
            " and exists (select 1 from article_tags x where x.article_id = a.id and x.tag_id = ",
        )
        .push_bind(tag.0)
        .push(")");
    }
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            q.push(" and 1 = 0");
        } else {
            q.push(" and a.id in ");
            let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
            super::push_in_list(q, &ids);
        }
    }
    let column = match f.sort {
        NewsroomSort::Edited => "a.edited_at",
        NewsroomSort::Published => "a.published_at",
    };
    if let Some(from) = f.from {
        q.push(format!(" and {column} >= "))
            .push_bind(from.as_second());
    }
    if let Some(until) = f.until {
        q.push(format!(" and {column} < "))
            .push_bind(until.as_second());
    }
}
