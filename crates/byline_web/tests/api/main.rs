//! Integration tests of the API (`/api/v1`): the real router on the demo outlet, real
//! keys and tokens. One test binary; one module per area.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod client;
mod content;
mod errors;
mod fuzz;
mod pages;
