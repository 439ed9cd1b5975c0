//! Fuzz targets of the parsers that need no server: one module per target, run one
//! with `cargo test -p byline_fuzz --test fuzz <target>`. (The API's query parameters
//! and Ghost's `filter` are fuzzed through the real router in byline_web's API tests.)

mod image;
mod markdown;
mod paste;
mod search;
mod slug;
