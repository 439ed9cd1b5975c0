//! `byline import wordpress|ghost FILE`: an outlet's archive from another CMS, in one
//! command, while the outlet serves (it is one more process on the store). The flow
//! itself is the content service's ([`byline_content::importer`]), shared with the
//! newsroom's import page; this adds the progress bar, the summary and the report file.

use crate::cli::ImportArgs;
use crate::config::Config;
use crate::outlet;
use anyhow::{Context, Result};
use byline_content::importer::{self, ImportRequest, ImportSummary, Observer, Phase};
use byline_import::Source;
use indicatif::{ProgressBar, ProgressStyle};

pub async fn wordpress(config: Config, args: ImportArgs) -> Result<()> {
    run(config, args, Source::WordPress).await
}

pub async fn ghost(config: Config, args: ImportArgs) -> Result<()> {
    run(config, args, Source::Ghost).await
}

/// The progress bar: a spinner while the file is read, then pictures and documents
/// counted, each phase from zero.
struct Bar(ProgressBar);

impl Observer for Bar {
    fn phase(&self, phase: Phase) {
        self.0.set_position(0);
        self.0.set_message(match phase {
            Phase::Reading => "reading the export",
            Phase::Terms => "sections, tags and authors",
            Phase::Pictures => "pictures",
            Phase::Documents => "articles and pages",
            Phase::Redirects => "redirects from the old addresses",
        });
    }

    fn document(&self) {
        self.0.inc(1);
    }

    fn picture(&self) {
        self.0.inc(1);
    }
}

async fn run(config: Config, args: ImportArgs, source: Source) -> Result<()> {
    let request = ImportRequest {
        source,
        file: args.file.clone(),
        edition: args.edition.clone(),
        media_dir: args.media_dir.clone(),
        section_map: args.section_map.clone(),
        dry_run: args.dry_run,
    };
    std::fs::File::open(&request.file)
        .with_context(|| format!("opening {}", request.file.display()))?;
    // A dry run opens no store (opening one migrates it): nothing is written.
    let outlet = if args.dry_run {
        None
    } else {
        Some(outlet::open_for_import(&config).await?)
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {pos} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let observer = Bar(bar);
    let result = tokio::task::block_in_place(|| {
        importer::run_import(outlet.as_ref().map(|o| &o.content), &request, &observer)
    });
    observer.0.finish_and_clear();
    if let Some(o) = outlet {
        // Before anything is reported as done: the import wrote without an fsync per item.
        let synced = o.backend.sync().await;
        o.backend.close().await;
        synced?;
    }
    let summary = result.map_err(|e| match e {
        importer::ImporterError::NoEdition(e) => {
            anyhow::anyhow!("the outlet has no edition {e:?} (see --edition)")
        }
        importer::ImporterError::SectionMap(p) => {
            anyhow::anyhow!("--section-map takes old=new pairs, not {p:?}")
        }
        other => other.into(),
    })?;
    if args.dry_run {
        print_summary(&summary, None);
        println!("dry run of {}: nothing was written", args.file.display());
        return Ok(());
    }
    let dir = config.data_dir.join("imports");
    let path = summary
        .write_report(&dir)
        .with_context(|| format!("writing the report in {}", dir.display()))?;
    print_summary(&summary, Some(path.as_path()));
    Ok(())
}

fn print_summary(summary: &ImportSummary, path: Option<&std::path::Path>) {
    let report = &summary.export;
    println!("in the export:");
    for (kind, n) in &report.counts {
        println!("  {kind}: {n}");
    }
    if !summary.written.is_empty() {
        println!("written:");
        for (kind, w) in &summary.written {
            println!(
                "  {kind}: {} new, {} updated, {} unchanged",
                w.created, w.updated, w.unchanged
            );
        }
    }
    for (reason, n) in &report.skipped_in_bulk {
        println!("skipped {n} × {reason}");
    }
    for s in &report.skipped {
        println!("skipped {}: {}", s.item, s.reason);
    }
    for (what, n) in &report.untranslated {
        println!("kept as text {n} × {what}");
    }
    for (file, why) in &summary.pictures_missing {
        println!("picture not imported (its old URL stays): {file}: {why}");
    }
    for e in &report.errors {
        println!("not imported: {}: {}", e.item, e.message);
    }
    if let Some(path) = path {
        println!("full report: {}", path.display());
    }
}
