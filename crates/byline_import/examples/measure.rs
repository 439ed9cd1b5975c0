//! Times both passes over a WXR export and reports peak resident memory:
//! `cargo run --release -p byline_import --example measure -- FILE.xml`.

use byline_import::{Document, Options, SinkError, Target, wordpress};
use std::io::BufReader;
use std::time::Instant;

fn main() -> Result<(), byline_import::ImportError> {
    let path = std::env::args().nth(1).expect("a WXR file");
    let start = Instant::now();
    let catalog = wordpress::scan(
        || std::fs::File::open(&path).map(|f| BufReader::with_capacity(256 * 1024, f)),
        Options::new("en"),
    )?;
    let scanned = start.elapsed();
    let mut bytes = 0usize;
    let mut sink = |d: Document| -> Result<(), SinkError> {
        bytes += d.body_markdown.len();
        Ok(())
    };
    let resolve = |t: &Target| -> Option<String> {
        match t {
            Target::Document(id) => Some(format!("/en/news/{id}")),
            Target::Upload(id) => Some(format!("/media/{id}")),
            _ => None,
        }
    };
    let report = catalog.documents(&mut sink, &resolve)?;
    let total = start.elapsed();
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    println!("{report}");
    println!(
        "pass 1 {:.1}s, both passes {:.1}s, {bytes} bytes of Markdown, {} old addresses, peak {peak}",
        scanned.as_secs_f64(),
        total.as_secs_f64(),
        catalog.links.len()
    );
    Ok(())
}
