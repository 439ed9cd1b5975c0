//! Moving a whole outlet from SQLite to PostgreSQL (`byline migrate-store`).
//!
//! Table by table, every row with its ids, in one PostgreSQL transaction (a failed move
//! leaves the target as it was); then the id sequences are moved past the copied ids,
//! and each table is verified by its row count and a checksum of its rows read back
//! from both databases. The checksum is order-independent (a sum of row hashes), so the
//! two databases' different text orderings do not matter.
//!
//! Re-running is safe: a target that already holds exactly the source is verified and
//! left alone; a target holding anything else is refused.

use crate::{PostgresStore, SqliteStore, StoreError, StoreResult};
use sha2::{Digest, Sha256};

/// Every table of the schema, parents before children (foreign keys).
pub const TABLES: &[&str] = &[
    "settings",
    "sections",
    "authors",
    "tags",
    "users",
    "articles",
    "article_authors",
    "article_tags",
    "article_views_daily",
    "article_old_slugs",
    "article_revisions",
    "article_notes",
    "article_assignments",
    "notifications",
    "article_presence",
    "changes",
    "sessions",
    "audit_log",
    "media",
    "media_unprocessed",
    "article_media",
    "store_chores",
    "api_keys",
    "api_tokens",
    "idempotency_keys",
    "login_failures",
    "import_sources",
    "redirects",
    "pages",
    "breaking_alerts",
    "alert_deliveries",
    "live_entries",
    "live_entry_revisions",
    "push_keys",
    "push_subscriptions",
    "push_messages",
    "push_deliveries",
];

/// One column value, as both databases can hold it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A table's rows as read for the move: column names, and values in that order.
pub(crate) struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// What the move found and did, per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: String,
    pub rows: u64,
    pub checksum: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Copied now, then verified.
    Copied(Vec<TableReport>),
    /// The target already held exactly the source (a re-run): verified, nothing written.
    AlreadyThere(Vec<TableReport>),
}

/// Moves the outlet in `from` into the empty outlet `to` (both migrated to this
/// version), or verifies an earlier move.
pub async fn sqlite_to_postgres(
    from: &SqliteStore,
    to: &PostgresStore,
) -> StoreResult<TransferOutcome> {
    let unknown: Vec<String> = from
        .table_names()
        .await?
        .into_iter()
        .filter(|t| !TABLES.contains(&t.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(StoreError::Other(anyhow::anyhow!(
            "the source has tables this version does not know how to move: {}",
            unknown.join(", ")
        )));
    }
    let source = digest_all(from_reader(from)).await?;
    if to.holds_rows(TABLES).await? {
        let target = digest_all(to_reader(to)).await?;
        if target == source {
            return Ok(TransferOutcome::AlreadyThere(source));
        }
        let differing: Vec<&str> = source
            .iter()
            .zip(&target)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.table.as_str())
            .collect();
        return Err(StoreError::Other(anyhow::anyhow!(
            "the target database already holds a different outlet (tables {}); move into an empty database",
            differing.join(", ")
        )));
    }
    let mut tx = to.begin_import().await?;
    for table in TABLES {
        let columns = PostgresStore::columns_in(&mut tx, table).await?;
        let rows = from.rows_of(table, &columns).await?;
        PostgresStore::insert_rows(&mut tx, table, &rows).await?;
    }
    PostgresStore::advance_sequences(&mut tx, TABLES).await?;
    tx.commit().await?;
    let target = digest_all(to_reader(to)).await?;
    if target != source {
        return Err(StoreError::Other(anyhow::anyhow!(
            "the copy does not verify: source {source:?}, target {target:?}"
        )));
    }
    Ok(TransferOutcome::Copied(source))
}

type Reader<'a> = Box<
    dyn Fn(&'static str) -> std::pin::Pin<Box<dyn Future<Output = StoreResult<Rows>> + Send + 'a>>
        + Send
        + Sync
        + 'a,
>;

fn from_reader(from: &SqliteStore) -> Reader<'_> {
    Box::new(move |table| {
        Box::pin(async move {
            let columns = from.column_names(table).await?;
            from.rows_of(table, &columns).await
        })
    })
}

fn to_reader(to: &PostgresStore) -> Reader<'_> {
    Box::new(move |table| Box::pin(to.rows_of(table)))
}

async fn digest_all(read: Reader<'_>) -> StoreResult<Vec<TableReport>> {
    let mut out = Vec::new();
    for table in TABLES {
        let rows = read(table).await?;
        out.push(digest(table, rows));
    }
    Ok(out)
}

/// Row count and an order-independent checksum over rows keyed by column name.
fn digest(table: &str, rows: Rows) -> TableReport {
    let mut order: Vec<usize> = (0..rows.columns.len()).collect();
    order.sort_by(|a, b| rows.columns[*a].cmp(&rows.columns[*b]));
    let mut sum: u128 = 0;
    for row in &rows.rows {
        let mut h = Sha256::new();
        for &i in &order {
            h.update(rows.columns[i].as_bytes());
            match &row[i] {
                Value::Null => h.update(b"\0n"),
                Value::Int(v) => {
                    h.update(b"\0i");
                    h.update(v.to_le_bytes());
                }
                Value::Real(v) => {
                    h.update(b"\0r");
                    h.update(v.to_le_bytes());
                }
                Value::Text(v) => {
                    h.update(b"\0t");
                    h.update((v.len() as u64).to_le_bytes());
                    h.update(v.as_bytes());
                }
                Value::Blob(v) => {
                    h.update(b"\0b");
                    h.update((v.len() as u64).to_le_bytes());
                    h.update(v);
                }
            }
        }
        let bytes: [u8; 16] = h.finalize()[..16].try_into().unwrap_or_default();
        sum = sum.wrapping_add(u128::from_le_bytes(bytes));
    }
    TableReport {
        table: table.to_owned(),
        rows: rows.rows.len() as u64,
        checksum: format!("{sum:032x}"),
    }
}
