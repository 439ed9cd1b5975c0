//! Errors that stop a whole import (an item's own problems go into the report).

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read the export: {0}")]
    Io(#[from] io::Error),
    #[error("this is not a {expected} export: {found}")]
    WrongFormat {
        expected: &'static str,
        found: String,
    },
    #[error("the export is malformed at byte {position}: {message}")]
    Malformed { position: u64, message: String },
    #[error("the export ends early (truncated?) at byte {position}")]
    Truncated { position: u64 },
    #[error("the export is not UTF-8 text at byte {position}")]
    NotUtf8 { position: u64 },
    #[error("the export changed between the two passes over it")]
    Changed,
    #[error("the import was stopped: {0}")]
    Sink(String),
}
