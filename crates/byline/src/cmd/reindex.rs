//! `byline reindex`: rebuild the search indexes (readers' and newsroom's) from the
//! store, with a progress bar.
//!
//! The new index is built beside the live one and swapped in at the end, so an
//! interrupted run leaves the old index in place. A running server holds the index,
//! and the command says so instead of waiting.

use crate::config::Config;
use crate::outlet;
use anyhow::Result;
use byline_content::SearchScope;
use indicatif::{ProgressBar, ProgressStyle};

pub async fn run(config: Config) -> Result<()> {
    let backend = outlet::open_store(&config).await?;
    let store = backend.store();
    let indexes = [
        (SearchScope::Reader, config.search_dir(), "published"),
        (
            SearchScope::Newsroom,
            config.newsroom_search_dir(),
            "newsroom",
        ),
    ];
    for (scope, dir, what) in indexes {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing [{bar:40}] {pos}/{len} articles ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let progress = |done: u64, total: u64| {
            bar.set_length(total);
            bar.set_position(done);
        };
        let result = byline_content::reindex(store.clone(), &dir, scope, &progress).await;
        bar.finish_and_clear();
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                backend.close().await;
                return Err(e.into());
            }
        };
        println!(
            "indexed {} {what} articles in {:.1} s ({:.1} MiB) into {}; change-feed position {}",
            report.articles,
            report.elapsed.as_secs_f64(),
            report.bytes as f64 / (1024.0 * 1024.0),
            dir.display(),
            report.position,
        );
    }
    backend.close().await;
    Ok(())
}
