//! Byline's media pipeline.
//!
//! [`ingest`] turns uploaded bytes into a sanitized original plus responsive WebP
//! variants, refusing anything that is not a JPEG, PNG, WebP or GIF that decodes
//! within [`Limits`]. [`MediaStorage`] keeps the results under content-addressed keys
//! in object storage (a local folder by default, an S3-compatible bucket by
//! configuration). [`make_crop`] cuts the crops pages ask for around a focal point. This crate knows nothing of HTTP or the database: the content
//! service records what it stored, the web layer serves it.

mod crop;
mod error;
mod ingest;
mod storage;

pub use crop::{CROPS, Crop, CropFormat, make_crop};
pub use error::MediaError;
pub use ingest::{
    Encoded, Ingested, Inspected, Kind, Limits, VARIANT_WIDTHS, ingest, inspect, webp_variant,
};
pub use storage::{
    LIBRARY_PREFIX, MediaStorage, StorageError, StoredFile, is_valid_file_name, is_valid_key,
};
