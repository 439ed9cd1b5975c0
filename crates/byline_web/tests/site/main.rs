//! Integration tests of the reader site: the real router, a real SQLite file, the demo
//! outlet. One test binary; one module per area.

#[path = "../common/mod.rs"]
mod common;

mod article;
mod cache;
mod cdn;
mod compression;
mod errors;
mod front_door;
mod health;
mod lists;
mod media;
mod nodes;
mod pages;
mod search;
mod search_cache;
mod security;
mod settings;
mod snapshots;
mod syndication;
mod timeouts;
mod views;
