//! Reading whole tables for `byline migrate-store` (see `crate::transfer`).

use super::SqliteStore;
use crate::transfer::{Rows, Value};
use crate::{StoreError, StoreResult};
use sqlx::{Column, Row, TypeInfo, ValueRef};

impl SqliteStore {
    /// The schema's tables (not SQLite's own nor the migrations' bookkeeping).
    pub(crate) async fn table_names(&self) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "select name from sqlite_master where type = 'table'
             and name not like 'sqlite_%' and name <> '_sqlx_migrations' order by name",
        )
        .fetch_all(&self.read)
        .await?)
    }

    pub(crate) async fn column_names(&self, table: &str) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(&format!("select * from {table} limit 0"))
            .fetch_all(&self.read)
            .await?;
        if rows.is_empty() {
            // No row to describe the columns: ask the schema.
            return Ok(
                sqlx::query_scalar("select name from pragma_table_info(?) order by cid")
                    .bind(table)
                    .fetch_all(&self.read)
                    .await?,
            );
        }
        Ok(rows[0]
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect())
    }

    /// Every row of `table`, the named columns in that order.
    pub(crate) async fn rows_of(&self, table: &str, columns: &[String]) -> StoreResult<Rows> {
        let sql = format!("select {} from {table}", columns.join(", "));
        let found = sqlx::query(&sql).fetch_all(&self.read).await?;
        let mut rows = Vec::with_capacity(found.len());
        for row in &found {
            let mut values = Vec::with_capacity(columns.len());
            for (i, column) in columns.iter().enumerate() {
                let raw = row.try_get_raw(i)?;
                let value = if raw.is_null() {
                    Value::Null
                } else {
                    match raw.type_info().name() {
                        "INTEGER" | "BOOLEAN" => Value::Int(row.try_get(i)?),
                        "REAL" => Value::Real(row.try_get(i)?),
                        "TEXT" => Value::Text(row.try_get(i)?),
                        "BLOB" => Value::Blob(row.try_get(i)?),
                        other => {
                            return Err(StoreError::Other(anyhow::anyhow!(
                                "{table}.{column}: unexpected SQLite type {other}"
                            )));
                        }
                    }
                };
                values.push(value);
            }
            rows.push(values);
        }
        Ok(Rows {
            columns: columns.to_vec(),
            rows,
        })
    }
}
