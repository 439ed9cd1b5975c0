//! Integration tests of the newsroom: the real router, a real database, the demo
//! outlet, real logins. One test binary; one module per area.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod api_access;
mod articles;
mod breaking;
mod client;
mod csrf;
mod dashboard;
mod desk;
mod html_checker;
mod import;
mod languages;
mod list;
mod live;
mod matrix;
mod media;
mod media_library;
mod news_desk;
mod nodes;
mod notes;
mod pages;
mod preview;
mod push;
mod redirects;
mod scheduler;
mod security;
mod settings;
mod throttle;
