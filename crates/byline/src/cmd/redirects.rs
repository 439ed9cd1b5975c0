//! `byline redirects export`: every old address and its new home, as CSV.

use crate::cli::RedirectsCommand;
use crate::config::Config;
use crate::outlet;
use anyhow::Result;
use std::io::Write;

pub async fn run(config: Config, command: RedirectsCommand) -> Result<()> {
    match command {
        RedirectsCommand::Export => {
            let backend = outlet::open_store(&config).await?;
            let redirects = backend.store().redirects().await;
            backend.close().await;
            let mut out = std::io::stdout().lock();
            writeln!(out, "old_path,new_path,origin")?;
            for r in redirects? {
                writeln!(
                    out,
                    "{},{},{}",
                    csv(&r.path),
                    csv(&r.target),
                    r.origin.as_str()
                )?;
            }
            Ok(())
        }
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
