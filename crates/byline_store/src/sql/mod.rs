//! The queries, one module per area, each written once for both databases.
//!
//! This module is mounted by each backend (`#[path = "../sql/mod.rs"] mod sql;` in
//! `sqlite` and `postgres`), which first names two types: `Db`, its sqlx database (whose
//! [`Dialect`](crate::dialect::Dialect) supplies the few fragments that differ), and
//! `Backend`, its store. Everything below is therefore plain, concrete sqlx code,
//! compiled once per backend (ADR 11).

use super::{Backend, Db};
use sqlx::QueryBuilder;

/// Pushes `(v1, v2, …)` for an `in` list, padded with its last value to a length of 8,
/// 16, 32 …. Each connection prepares and keeps every distinct statement text it runs
/// (sqlx caches a hundred), and a list whose length follows the data — a sitemap's
/// translation groups grow by one with each story — made a new, large statement for
/// every length: the readers' memory grew for as long as stories were published
/// (docs/PERFORMANCE.md, "Memory"). Padded, a query has a handful of texts.
/// `values` must not be empty.
pub(crate) fn push_in_list(q: &mut QueryBuilder<'_, Db>, values: &[i64]) {
    let Some(last) = values.last() else {
        q.push("(null)");
        return;
    };
    let len = values.len().next_power_of_two().max(8);
    q.push("(");
    let mut list = q.separated(", ");
    for i in 0..len {
        list.push_bind(*values.get(i).unwrap_or(last));
    }
    list.push_unseparated(")");
}

mod accounts;
mod api;
mod articles;
mod desk;
pub(super) mod feed;
mod imports;
mod live;
pub(super) mod media;
mod news_desk;
mod notes;
mod outbox;
mod pages;
pub(super) mod push;
mod rows;
mod syndication;
mod taxonomy;
