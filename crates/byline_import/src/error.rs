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
    /// `at` is where: `byte 1234` (XML) or `line 3, column 17` (JSON).
    #[error("the export is malformed at {at}: {message}")]
    Malformed { at: String, message: String },
    #[error("the export ends early (truncated?) at {at}")]
    Truncated { at: String },
    #[error("the export is not UTF-8 text at {at}")]
    NotUtf8 { at: String },
    #[error("the export changed between the two passes over it")]
    Changed,
    #[error("the import was stopped: {0}")]
    Sink(String),
}
