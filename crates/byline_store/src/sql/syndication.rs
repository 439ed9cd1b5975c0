//! Reads for feeds, sitemaps and the API (`SyndicationStore`): whole recent articles,
//! article windows, and the sitemap's months and entries with their translations. Each
//! is a fixed number of queries, never one per article.

use super::articles::push_filter;
use super::{Backend, Db, rows};
use crate::dialect::Dialect;
use crate::{
    ArticleFilter, ArticleWindow, SitemapEntry, SitemapFilter, SitemapMonth, StoreResult,
    SyndicationStore, Translation,
};
use async_trait::async_trait;
use byline_core::{Article, ArticleId, SectionId};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;

/// Ids per `in (…)` list: well under either database's bound-parameter limit.
const CHUNK: usize = 500;

#[async_trait]
impl SyndicationStore for Backend {
    async fn recent_articles(
        &self,
        filter: &ArticleFilter,
        limit: u32,
    ) -> StoreResult<Vec<Article>> {
        self.article_window(
            &ArticleWindow {
                filter: filter.clone(),
                ..Default::default()
            },
            limit,
        )
        .await
    }

    async fn sitemap_months(&self) -> StoreResult<Vec<SitemapMonth>> {
        let found = sqlx::query(&format!(
            "select edition, {} as y, {} as m, count(*) as n,
                    max({}(published_at, coalesce(updated_at, published_at))) as lastmod
             from articles
             where status = 'published' and published_at is not null
             group by edition, y, m
             order by edition, y desc, m desc",
            Db::PUBLISHED_YEAR,
            Db::PUBLISHED_MONTH,
            Db::GREATEST
        ))
        .fetch_all(&self.read)
        .await?;
        found
            .iter()
            .map(|row| {
                Ok(SitemapMonth {
                    edition: row.try_get("edition")?,
                    year: row.try_get::<i64, _>("y")?.clamp(0, 9999) as i16,
                    month: row.try_get::<i64, _>("m")?.clamp(1, 12) as i8,
                    count: row.try_get::<i64, _>("n")?.max(0) as u64,
                    lastmod: rows::timestamp(row.try_get("lastmod")?)?,
                })
            })
            .collect()
    }

    async fn sitemap_entries(
        &self,
        filter: &SitemapFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<SitemapEntry>> {
        let mut q = QueryBuilder::<Db>::new(
            "select id, edition, section_id, slug, title, published_at, updated_at,
                    translation_group
             from articles where status = 'published' and published_at >= ",
        );
        q.push_bind(filter.from.as_second())
            .push(" and published_at < ")
            .push_bind(filter.until.as_second());
        if let Some(edition) = &filter.edition {
            q.push(" and edition = ").push_bind(edition.clone());
        }
        q.push(" order by published_at desc, id desc limit ")
            .push_bind(i64::from(limit))
            .push(" offset ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let found = q.build().fetch_all(&self.read).await?;
        let mut groups: Vec<i64> = found
            .iter()
            .map(|r| r.try_get("translation_group"))
            .collect::<Result<_, _>>()?;
        groups.sort_unstable();
        groups.dedup();
        let members = self.group_members(&groups).await?;
        found
            .iter()
            .map(|row| {
                let group: i64 = row.try_get("translation_group")?;
                Ok(SitemapEntry {
                    id: ArticleId(row.try_get("id")?),
                    edition: row.try_get("edition")?,
                    section: SectionId(row.try_get("section_id")?),
                    slug: row.try_get("slug")?,
                    title: row.try_get("title")?,
                    published_at: rows::timestamp(row.try_get("published_at")?)?,
                    updated_at: row
                        .try_get::<Option<i64>, _>("updated_at")?
                        .map(rows::timestamp)
                        .transpose()?,
                    translations: members.get(&group).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Whole published articles in `window`, newest first (feeds and the API).
    async fn article_window(
        &self,
        window: &ArticleWindow,
        limit: u32,
    ) -> StoreResult<Vec<Article>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "select {}, {} from articles a where ",
            rows::ARTICLE_COLUMNS,
            Db::LINK_COLUMNS
        ));
        push_filter(&mut q, &window.filter);
        if let Some(since) = window.since {
            q.push(" and a.published_at >= ")
                .push_bind(since.as_second());
        }
        if let Some(until) = window.until {
            q.push(" and a.published_at < ")
                .push_bind(until.as_second());
        }
        if !window.ids.is_empty() {
            q.push(" and a.id in ");
            let ids: Vec<i64> = window.ids.iter().map(|id| id.0).collect();
            super::push_in_list(&mut q, &ids);
        }
        if let Some((at, id)) = window.after {
            q.push(" and (a.published_at < ")
                .push_bind(at.as_second())
                .push(" or (a.published_at = ")
                .push_bind(at.as_second())
                .push(" and a.id < ")
                .push_bind(id.0)
                .push("))");
        }
        q.push(" order by a.published_at desc, a.id desc limit ")
            .push_bind(i64::from(limit));
        let found = q.build().fetch_all(&self.read).await?;
        found.iter().map(rows::article).collect()
    }
}

impl Backend {
    /// Published members of each translation group, by id.
    async fn group_members(&self, groups: &[i64]) -> StoreResult<HashMap<i64, Vec<Translation>>> {
        let mut out: HashMap<i64, Vec<Translation>> = HashMap::new();
        for chunk in groups.chunks(CHUNK) {
            let mut q = QueryBuilder::<Db>::new(
                "select id, edition, slug, section_id, translation_group from articles
                 where status = 'published' and translation_group in ",
            );
            super::push_in_list(&mut q, chunk);
            q.push(" order by id");
            for row in q.build().fetch_all(&self.read).await? {
                out.entry(row.try_get("translation_group")?)
                    .or_default()
                    .push(Translation {
                        id: ArticleId(row.try_get("id")?),
                        edition: row.try_get("edition")?,
                        slug: row.try_get("slug")?,
                        section: SectionId(row.try_get("section_id")?),
                    });
            }
        }
        Ok(out)
    }
}
