//! The queries, one module per area, each written once for both databases.
//!
//! This module is mounted by each backend (`#[path = "../sql/mod.rs"] mod sql;` in
//! `sqlite` and `postgres`), which first names two types: `Db`, its sqlx database (whose
//! [`Dialect`](crate::dialect::Dialect) supplies the few fragments that differ), and
//! `Backend`, its store. Everything below is therefore plain, concrete sqlx code,
//! compiled once per backend (ADR 11).

use super::{Backend, Db};

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
