//! Writing and reading whole tables for `byline migrate-store` (see `crate::transfer`).

use super::PostgresStore;
use crate::transfer::{Rows, Value};
use crate::{StoreError, StoreResult};
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

/// Bound parameters per statement: well under PostgreSQL's limit of 65,535.
const MAX_BINDS: usize = 30_000;

impl PostgresStore {
    /// True when any of `tables` holds a row.
    pub(crate) async fn holds_rows(&self, tables: &[&str]) -> StoreResult<bool> {
        for table in tables {
            let any: bool = sqlx::query_scalar(&format!("select exists (select 1 from {table})"))
                .fetch_one(&self.read)
                .await?;
            if any {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub(crate) async fn begin_import(&self) -> StoreResult<Transaction<'static, Postgres>> {
        Ok(self.write.begin().await?)
    }

    /// `table`'s columns with their types, in table order.
    pub(crate) async fn columns_in(
        tx: &mut Transaction<'_, Postgres>,
        table: &str,
    ) -> StoreResult<Vec<String>> {
        let columns: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns
             where table_schema = current_schema() and table_name = $1 order by ordinal_position",
        )
        .bind(table)
        .fetch_all(&mut **tx)
        .await?;
        if columns.is_empty() {
            return Err(StoreError::Other(anyhow::anyhow!(
                "the target has no table {table}"
            )));
        }
        Ok(columns)
    }

    async fn column_types(
        executor: impl sqlx::PgExecutor<'_>,
        table: &str,
    ) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query(
            "select column_name::text as name, data_type::text as kind from information_schema.columns
             where table_schema = current_schema() and table_name = $1 order by ordinal_position",
        )
        .bind(table)
        .fetch_all(executor)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("name")?, r.try_get("kind")?)))
            .collect()
    }

    /// Inserts `rows` into `table`, ids included, in batches.
    pub(crate) async fn insert_rows(
        tx: &mut Transaction<'_, Postgres>,
        table: &str,
        rows: &Rows,
    ) -> StoreResult<()> {
        let types = Self::column_types(&mut **tx, table).await?;
        let kinds: Vec<&str> = rows
            .columns
            .iter()
            .map(|c| {
                types
                    .iter()
                    .find(|(name, _)| name == c)
                    .map(|(_, kind)| kind.as_str())
                    .ok_or_else(|| {
                        StoreError::Other(anyhow::anyhow!("the target's {table} has no column {c}"))
                    })
            })
            .collect::<StoreResult<_>>()?;
        let per_statement = (MAX_BINDS / rows.columns.len().max(1)).max(1);
        for batch in rows.rows.chunks(per_statement) {
            let mut q = QueryBuilder::<Postgres>::new(format!(
                "insert into {table} ({}) ",
                rows.columns.join(", ")
            ));
            let mut failed = None;
            q.push_values(batch, |mut b, row| {
                for (value, kind) in row.iter().zip(&kinds) {
                    match bind_as(value, kind) {
                        Ok(Bound::Int(v)) => b.push_bind(v),
                        Ok(Bound::Int4(v)) => b.push_bind(v),
                        Ok(Bound::Bool(v)) => b.push_bind(v),
                        Ok(Bound::Text(v)) => b.push_bind(v),
                        Ok(Bound::Real(v)) => b.push_bind(v),
                        Ok(Bound::Bytes(v)) => b.push_bind(v),
                        Err(e) => {
                            failed.get_or_insert(e);
                            b.push_bind(None::<i64>)
                        }
                    };
                }
            });
            if let Some(e) = failed {
                return Err(StoreError::Other(anyhow::anyhow!("{table}: {e}")));
            }
            q.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Moves every id sequence past the ids copied in, so new rows do not collide.
    pub(crate) async fn advance_sequences(
        tx: &mut Transaction<'_, Postgres>,
        tables: &[&str],
    ) -> StoreResult<()> {
        for table in tables {
            let serials: Vec<String> = sqlx::query_scalar(
                "select column_name::text from information_schema.columns
                 where table_schema = current_schema() and table_name = $1
                 and column_default like 'nextval(%'",
            )
            .bind(table)
            .fetch_all(&mut **tx)
            .await?;
            for column in serials {
                sqlx::query(&format!(
                    "select setval(pg_get_serial_sequence('{table}', '{column}'),
                            coalesce((select max({column}) from {table}), 1),
                            (select max({column}) from {table}) is not null)"
                ))
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }

    /// Every row of `table`, in the shape the SQLite side reads (booleans as integers).
    pub(crate) async fn rows_of(&self, table: &'static str) -> StoreResult<Rows> {
        let types = Self::column_types(&self.read, table).await?;
        let columns: Vec<String> = types.iter().map(|(n, _)| n.clone()).collect();
        let found = sqlx::query(&format!("select {} from {table}", columns.join(", ")))
            .fetch_all(&self.read)
            .await?;
        let mut rows = Vec::with_capacity(found.len());
        for row in &found {
            let mut values = Vec::with_capacity(types.len());
            for (i, (name, kind)) in types.iter().enumerate() {
                let value = match kind.as_str() {
                    "bigint" => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                    "integer" => row
                        .try_get::<Option<i32>, _>(i)?
                        .map(|v| Value::Int(v.into())),
                    "boolean" => row
                        .try_get::<Option<bool>, _>(i)?
                        .map(|v| Value::Int(v.into())),
                    "text" => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                    "double precision" => row.try_get::<Option<f64>, _>(i)?.map(Value::Real),
                    "bytea" => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Blob),
                    other => {
                        return Err(StoreError::Other(anyhow::anyhow!(
                            "{table}.{name}: unexpected PostgreSQL type {other}"
                        )));
                    }
                };
                values.push(value.unwrap_or(Value::Null));
            }
            rows.push(values);
        }
        Ok(Rows { columns, rows })
    }
}

enum Bound {
    Int(Option<i64>),
    Int4(Option<i32>),
    Bool(Option<bool>),
    Text(Option<String>),
    Real(Option<f64>),
    Bytes(Option<Vec<u8>>),
}

/// A SQLite value as the PostgreSQL column of type `kind` takes it.
fn bind_as(value: &Value, kind: &str) -> Result<Bound, String> {
    let mismatch = || format!("a {value:?} cannot go into a {kind} column");
    Ok(match (kind, value) {
        ("bigint", Value::Null) => Bound::Int(None),
        ("bigint", Value::Int(v)) => Bound::Int(Some(*v)),
        ("integer", Value::Null) => Bound::Int4(None),
        ("integer", Value::Int(v)) => Bound::Int4(Some(i32::try_from(*v).map_err(|_| mismatch())?)),
        ("boolean", Value::Null) => Bound::Bool(None),
        ("boolean", Value::Int(v)) => Bound::Bool(Some(*v != 0)),
        ("text", Value::Null) => Bound::Text(None),
        ("text", Value::Text(v)) => Bound::Text(Some(v.clone())),
        ("double precision", Value::Null) => Bound::Real(None),
        ("double precision", Value::Real(v)) => Bound::Real(Some(*v)),
        ("double precision", Value::Int(v)) => Bound::Real(Some(*v as f64)),
        ("bytea", Value::Null) => Bound::Bytes(None),
        ("bytea", Value::Blob(v)) => Bound::Bytes(Some(v.clone())),
        _ => return Err(mismatch()),
    })
}
