//! `byline reindex`: a new index built from the store beside the live one, then put in
//! its place, so a failed or interrupted rebuild never leaves search worse than before.

use crate::ContentError;
use crate::indexer;
use byline_search::{SearchIndex, WriterOptions};
use byline_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ReindexReport {
    pub articles: u64,
    pub position: i64,
    pub elapsed: Duration,
    pub bytes: u64,
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    dir.with_file_name(name)
}

fn io(path: &Path, e: std::io::Error) -> ContentError {
    ContentError::Internal(anyhow::anyhow!("{}: {e}", path.display()))
}

/// Rebuilds the index in `dir` from every article of `scope` in `store`.
/// `progress(done, total)` is called as articles are indexed.
pub async fn reindex(
    store: Arc<dyn Store>,
    dir: &Path,
    scope: indexer::Scope,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<ReindexReport, ContentError> {
    let started = Instant::now();
    // Refuse early, before any work, when a running Byline holds the live index.
    if dir.exists() {
        SearchIndex::ensure_unlocked(dir).map_err(|e| ContentError::Unavailable(e.to_string()))?;
    }
    let fresh = sibling(dir, ".new");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(|e| io(&fresh, e))?;
    }
    let index = Arc::new(
        SearchIndex::create(&fresh, WriterOptions::BULK)
            .map_err(|e| ContentError::Internal(e.into()))?,
    );
    let position = store.last_change().await?;
    let articles = indexer::fill(store.as_ref(), &index, scope, position, progress).await?;
    let finishing = index.clone();
    tokio::task::spawn_blocking(move || finishing.close_writer())
        .await
        .map_err(|e| ContentError::Internal(anyhow::anyhow!("search worker: {e}")))?
        .map_err(|e| ContentError::Internal(e.into()))?;
    let bytes = index.disk_bytes();
    drop(index);
    let old = sibling(dir, ".old");
    if dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
        }
        std::fs::rename(dir, &old).map_err(|e| io(dir, e))?;
    }
    std::fs::rename(&fresh, dir).map_err(|e| io(&fresh, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
    }
    Ok(ReindexReport {
        articles,
        position,
        elapsed: started.elapsed(),
        bytes,
    })
}
