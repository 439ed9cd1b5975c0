//! The few places where SQLite and PostgreSQL need different SQL.
//!
//! Everything else is one text that both run: `$N` placeholders (sqlx's SQLite driver
//! binds `$N` by number), `true`/`false`, `on conflict`, `returning`. The shared queries
//! (`src/sql/`) take the differing fragments from their backend's dialect,
//! `<Db as Dialect>::…`, where `Db` is `sqlx::Sqlite` or `sqlx::Postgres`.
//! See ADR 11.

use crate::StoreResult;

pub(crate) trait Dialect: sqlx::Database {
    /// Starts a write transaction (SQLite's takes the write lock at once; see there).
    const BEGIN_WRITE: &'static str;

    /// Put before a column in a condition to keep the planner off that column's index
    /// (SQLite's unary `+`; PostgreSQL's autovacuum keeps statistics, and it needs no
    /// hint).
    const NO_INDEX: &'static str;

    /// The function giving the 1-based position of a substring (0 when absent).
    const STRING_POSITION: &'static str;

    /// The larger of two values (a scalar, not the aggregate).
    const GREATEST: &'static str;

    /// The UTC year and month of `published_at` (unix seconds), as bigints.
    const PUBLISHED_YEAR: &'static str;
    const PUBLISHED_MONTH: &'static str;

    /// The article's authors and tags, as the columns `author_ids` and `tag_ids` that
    /// [`Dialect::id_list`] reads, authors in byline order and tags by id (table alias
    /// `a`).
    const LINK_COLUMNS: &'static str;

    /// `, translations`: the article's published editions as a JSON array of
    /// `{id, edition, slug, section}` objects (`[]` when none; table alias `a`), in any
    /// order: `rows::translations` sorts them by id.
    const TRANSLATIONS_COLUMN: &'static str;

    /// Statements, run in order in one transaction, that refresh the query planner's
    /// statistics of every table ([`crate::ImportStore::analyze`]).
    const ANALYZE: &'static [&'static str];

    /// Statement that makes change-feed commits happen in sequence order, run just
    /// before a change is recorded (`None` when writers are already serialized).
    const CHANGE_ORDER_LOCK: Option<&'static str>;

    /// Statement announcing a committed change to other nodes: binds the channel and the
    /// sequence number as text (`None` when the database cannot notify).
    const CHANGE_NOTIFY: Option<&'static str>;

    /// An id list column of [`Dialect::LINK_COLUMNS`].
    fn id_list(row: &Self::Row, column: &str) -> StoreResult<Vec<i64>>;
}
