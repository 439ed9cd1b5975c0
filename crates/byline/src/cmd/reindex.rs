//! `byline reindex`: rebuild the search index from the store, with a progress bar.
//!
//! The new index is built beside the live one and swapped in at the end, so an
//! interrupted run leaves the old index in place. A running server holds the index,
//! and the command says so instead of waiting.

use crate::config::Config;
use crate::outlet;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

pub async fn run(config: Config) -> Result<()> {
    let backend = outlet::open_store(&config).await?;
    let store = backend.store();
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
    let result = byline_content::reindex(store, &config.search_dir(), &progress).await;
    bar.finish_and_clear();
    backend.close().await;
    let report = result?;
    println!(
        "indexed {} published articles in {:.1} s ({:.1} MiB) into {}; change-feed position {}",
        report.articles,
        report.elapsed.as_secs_f64(),
        report.bytes as f64 / (1024.0 * 1024.0),
        config.search_dir().display(),
        report.position,
    );
    Ok(())
}
