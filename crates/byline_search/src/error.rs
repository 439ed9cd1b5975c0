use std::path::PathBuf;
use thiserror::Error;

/// What can go wrong with the search index.
#[derive(Debug, Error)]
pub enum SearchError {
    /// Another process (a running Byline, or `byline reindex`) holds the index for writing.
    #[error(
        "the search index at {0} is in use by another Byline process; stop it first (or remove the folder: a starting Byline rebuilds it)"
    )]
    Locked(PathBuf),
    #[error("search index I/O at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A search ran on a worker thread that panicked or was cancelled.
    #[error("search worker failed: {0}")]
    Worker(String),
}

impl SearchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
