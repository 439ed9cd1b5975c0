use thiserror::Error;

/// Small and semantic: callers never match on driver errors.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; names the rule, e.g. `article slug`.
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// The database is unreachable or overloaded; worth retrying.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(e.to_string())
            }
            // PostgreSQL shutting down, restarting or refusing connections for now:
            // SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and
            // 57 (operator intervention, e.g. 57P01 "terminating connection due to
            // administrator command"). Worth a retry, not a 500.
            sqlx::Error::Database(ref db)
                if db.code().is_some_and(|c| {
                    ["08", "53", "57"].iter().any(|class| c.starts_with(class))
                }) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            other => StoreError::Other(other.into()),
        }
    }
}

/// A failed migration as the operator should read it: above all, a database that a newer
/// Byline has migrated is refused by name (starting on it could misread its data).
pub(crate) fn migration_failed(e: sqlx::migrate::MigrateError) -> StoreError {
    match e {
        sqlx::migrate::MigrateError::VersionMissing(version) => StoreError::Other(anyhow::anyhow!(
            "the database was migrated by a newer Byline (its migration {version} is unknown to this version {}); run the newer Byline, or restore a backup made with this one",
            env!("CARGO_PKG_VERSION")
        )),
        other => StoreError::Other(anyhow::anyhow!("migration failed: {other}")),
    }
}
