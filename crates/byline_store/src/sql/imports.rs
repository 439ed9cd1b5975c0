//! Imports (`ImportStore`): what each imported item became, the redirects from the old
//! site's addresses, and the planner's statistics after a bulk write.

use super::articles::{insert_in, replace_in};
use super::feed;
use super::rows::{self, Transaction, now_secs};
use super::{Backend, Db};
use crate::dialect::Dialect;
use crate::{
    ChangeKind, ImportKind, ImportStore, Imported, ImportedTerm, Redirect, RedirectOrigin,
    StoreResult,
};
use async_trait::async_trait;
use byline_core::{ArticleId, AuthorId, NewArticle, SectionId, TagId};
use sqlx::Row as _;

/// Rows of one multi-row insert of [`ImportStore::save_redirects`]: 4 parameters each,
/// far under both backends' limits on parameters per statement.
const REDIRECTS_PER_STATEMENT: usize = 500;

#[async_trait]
impl ImportStore for Backend {
    async fn imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
    ) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "select target_id from import_sources where source = $1 and kind = $2 and source_id = $3",
        )
        .bind(source)
        .bind(kind.as_str())
        .bind(source_id)
        .fetch_optional(&self.read)
        .await?)
    }

    async fn record_imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
        target_id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        record(&mut tx, source, kind, source_id, target_id, "").await?;
        tx.commit().await?;
        Ok(())
    }

    async fn import_article(
        &self,
        source: &str,
        source_id: &str,
        fingerprint: &str,
        article: &NewArticle,
    ) -> StoreResult<(ArticleId, Imported)> {
        let mut tx = self.begin_write().await?;
        let before = earlier(&mut tx, source, ImportKind::Article, source_id).await?;
        // An article deleted for good since the last run is imported again.
        let before = match before {
            Some((id, _)) if !exists(&mut tx, "articles", id).await? => None,
            b => b,
        };
        let (id, outcome) = match before {
            Some((id, f)) if f == fingerprint => return Ok((ArticleId(id), Imported::Unchanged)),
            Some((id, _)) => {
                replace_in(&mut tx, ArticleId(id), article).await?;
                (ArticleId(id), Imported::Updated)
            }
            None => (insert_in(&mut tx, article).await?, Imported::Created),
        };
        record(
            &mut tx,
            source,
            ImportKind::Article,
            source_id,
            id.0,
            fingerprint,
        )
        .await?;
        tx.commit().await?;
        Ok((id, outcome))
    }

    async fn import_section(&self, term: &ImportedTerm<'_>) -> StoreResult<(SectionId, Imported)> {
        let (id, outcome) = self.import_term(Term::Section, term).await?;
        Ok((SectionId(id), outcome))
    }

    async fn import_tag(&self, term: &ImportedTerm<'_>) -> StoreResult<(TagId, Imported)> {
        let (id, outcome) = self.import_term(Term::Tag, term).await?;
        Ok((TagId(id), outcome))
    }

    async fn import_author(&self, term: &ImportedTerm<'_>) -> StoreResult<(AuthorId, Imported)> {
        let (id, outcome) = self.import_term(Term::Author, term).await?;
        Ok((AuthorId(id), outcome))
    }

    async fn save_redirect(
        &self,
        path: &str,
        target: &str,
        origin: RedirectOrigin,
    ) -> StoreResult<bool> {
        // An admin's redirect wins over an import's; an unchanged one is not rewritten.
        let done = sqlx::query(
            "insert into redirects (path, target, origin, created_at) values ($1, $2, $3, $4)
             on conflict (path) do update set target = excluded.target, origin = excluded.origin
             where (redirects.origin = 'import' or excluded.origin = 'admin')
               and (redirects.target <> excluded.target or redirects.origin <> excluded.origin)",
        )
        .bind(path)
        .bind(target)
        .bind(origin.as_str())
        .bind(now_secs())
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn save_redirects(
        &self,
        redirects: &[(String, String)],
        origin: RedirectOrigin,
    ) -> StoreResult<u64> {
        // One row per path (PostgreSQL refuses a statement that updates a row twice),
        // the last target winning, in the order given.
        let mut last: std::collections::HashMap<&str, usize> = Default::default();
        for (i, (path, _)) in redirects.iter().enumerate() {
            last.insert(path.as_str(), i);
        }
        let rows: Vec<&(String, String)> = redirects
            .iter()
            .enumerate()
            .filter(|(i, (path, _))| last.get(path.as_str()) == Some(i))
            .map(|(_, r)| r)
            .collect();
        let now = now_secs();
        let mut changed = 0;
        let mut tx = self.begin_write().await?;
        // Many rows per statement: each statement is a round trip to the database.
        for chunk in rows.chunks(REDIRECTS_PER_STATEMENT) {
            let mut q = sqlx::QueryBuilder::<super::Db>::new(
                "insert into redirects (path, target, origin, created_at) ",
            );
            q.push_values(chunk, |mut row, (path, target)| {
                row.push_bind(path.as_str())
                    .push_bind(target.as_str())
                    .push_bind(origin.as_str())
                    .push_bind(now);
            });
            q.push(
                " on conflict (path) do update set target = excluded.target, origin = excluded.origin
                 where (redirects.origin = 'import' or excluded.origin = 'admin')
                   and (redirects.target <> excluded.target or redirects.origin <> excluded.origin)",
            );
            changed += q.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn redirect(&self, path: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("select target from redirects where path = $1")
                .bind(path)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    async fn redirects(&self) -> StoreResult<Vec<Redirect>> {
        let rows =
            sqlx::query("select path, target, origin, created_at from redirects order by path")
                .fetch_all(&self.read)
                .await?;
        rows.iter().map(redirect).collect()
    }

    async fn redirects_page(
        &self,
        containing: &str,
        after: &str,
        limit: i64,
    ) -> StoreResult<Vec<Redirect>> {
        // `like` with the pattern's own wildcards escaped, so `50%` finds "50%".
        let pattern = format!(
            "%{}%",
            containing
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows = sqlx::query(
            "select path, target, origin, created_at from redirects
             where path > $1 and (path like $2 escape '\\' or target like $2 escape '\\')
             order by path limit $3",
        )
        .bind(after)
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(redirect).collect()
    }

    async fn delete_redirect(&self, path: &str) -> StoreResult<bool> {
        let done = sqlx::query("delete from redirects where path = $1")
            .bind(path)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn analyze(&self) -> StoreResult<()> {
        // One connection for all the statements (SQLite's analysis limit is the
        // connection's own), in one transaction: readers see the old statistics or
        // the new ones, never none.
        let mut transaction = self.begin_write().await?;
        for statement in <Db as Dialect>::ANALYZE {
            sqlx::query(statement).execute(&mut *transaction).await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}

fn redirect(row: &rows::Row) -> StoreResult<Redirect> {
    let origin: String = row.try_get("origin")?;
    Ok(Redirect {
        path: row.try_get("path")?,
        target: row.try_get("target")?,
        origin: if origin == "admin" {
            RedirectOrigin::Admin
        } else {
            RedirectOrigin::Import
        },
        created_at: rows::timestamp(row.try_get("created_at")?)?,
    })
}

/// The three taxonomy tables an import writes, with what differs between them.
#[derive(Clone, Copy)]
enum Term {
    Section,
    Tag,
    Author,
}

impl Term {
    fn kind(self) -> ImportKind {
        match self {
            Self::Section => ImportKind::Section,
            Self::Tag => ImportKind::Tag,
            Self::Author => ImportKind::Author,
        }
    }

    fn change(self) -> ChangeKind {
        match self {
            Self::Section => ChangeKind::Section,
            Self::Tag => ChangeKind::Tag,
            Self::Author => ChangeKind::Author,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Section => "sections",
            Self::Tag => "tags",
            Self::Author => "authors",
        }
    }

    /// Replaces the names (and description or bio) of row `$1` with `$2` (and `$3`).
    fn update(self) -> &'static str {
        match self {
            Self::Section => "update sections set names = $2, descriptions = $3 where id = $1",
            Self::Tag => "update tags set names = $2 where id = $1",
            Self::Author => "update authors set names = $2, bios = $3 where id = $1",
        }
    }

    /// Inserts a row with slug `$1`, names `$2` (and `$3`), returning its id.
    fn insert(self) -> &'static str {
        match self {
            Self::Section => {
                "insert into sections (slug, names, descriptions, position)
                 values ($1, $2, $3, (select coalesce(max(position), 0) + 1 from sections))
                 returning id"
            }
            Self::Tag => "insert into tags (slug, names) values ($1, $2) returning id",
            Self::Author => {
                "insert into authors (slug, names, bios) values ($1, $2, $3) returning id"
            }
        }
    }
}

impl Backend {
    async fn import_term(&self, term: Term, t: &ImportedTerm<'_>) -> StoreResult<(i64, Imported)> {
        let mut tx = self.begin_write().await?;
        let before = match earlier(&mut tx, t.source, term.kind(), t.source_id).await? {
            Some((id, _)) if !exists(&mut tx, term.table(), id).await? => None,
            b => b,
        };
        let names = rows::to_json(t.name)?;
        let text = rows::to_json(t.text)?;
        let (id, outcome) = match before {
            Some((id, f)) if f == t.fingerprint => return Ok((id, Imported::Unchanged)),
            Some((id, _)) => {
                let q = sqlx::query(term.update()).bind(id).bind(&names);
                let q = if matches!(term, Term::Tag) {
                    q
                } else {
                    q.bind(&text)
                };
                q.execute(&mut *tx).await?;
                (id, Imported::Updated)
            }
            None => {
                let existing: Option<i64> =
                    sqlx::query_scalar(&format!("select id from {} where slug = $1", term.table()))
                        .bind(t.slug.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                match existing {
                    // The outlet's own section with this slug: the import's items go
                    // there, and what the outlet named it stays.
                    Some(id) => (id, Imported::Unchanged),
                    None => {
                        let q = sqlx::query_scalar(term.insert())
                            .bind(t.slug.as_str())
                            .bind(&names);
                        let q = if matches!(term, Term::Tag) {
                            q
                        } else {
                            q.bind(&text)
                        };
                        (q.fetch_one(&mut *tx).await?, Imported::Created)
                    }
                }
            }
        };
        if outcome != Imported::Unchanged {
            feed::record(&mut tx, term.change(), id, "updated").await?;
        }
        record(
            &mut tx,
            t.source,
            term.kind(),
            t.source_id,
            id,
            t.fingerprint,
        )
        .await?;
        tx.commit().await?;
        Ok((id, outcome))
    }
}

/// The target and fingerprint an item was imported as before.
pub(super) async fn earlier(
    tx: &mut Transaction,
    source: &str,
    kind: ImportKind,
    source_id: &str,
) -> StoreResult<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "select target_id, fingerprint from import_sources
         where source = $1 and kind = $2 and source_id = $3",
    )
    .bind(source)
    .bind(kind.as_str())
    .bind(source_id)
    .fetch_optional(&mut **tx)
    .await?)
}

pub(super) async fn exists(tx: &mut Transaction, table: &str, id: i64) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(&format!("select id from {table} where id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

pub(super) async fn record(
    tx: &mut Transaction,
    source: &str,
    kind: ImportKind,
    source_id: &str,
    target_id: i64,
    fingerprint: &str,
) -> StoreResult<()> {
    sqlx::query(
        "insert into import_sources (source, kind, source_id, target_id, fingerprint, imported_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (source, kind, source_id) do update set target_id = excluded.target_id,
           fingerprint = excluded.fingerprint, imported_at = excluded.imported_at",
    )
    .bind(source)
    .bind(kind.as_str())
    .bind(source_id)
    .bind(target_id)
    .bind(fingerprint)
    .bind(now_secs())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
