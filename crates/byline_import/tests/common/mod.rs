//! What the format tests share: fixtures, a resolver with predictable addresses, look-ups.

use byline_import::{Document, Target};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// New addresses the tests can predict: documents, tags, WordPress uploads, Ghost files.
pub fn resolve(t: &Target) -> Option<String> {
    match t {
        Target::Document(id) => Some(format!("/new/doc/{id}")),
        Target::Tag(s) => Some(format!("/en/tag/{s}")),
        Target::Upload(id) => Some(format!("/media/{id}")),
        Target::File(f) => Some(format!("/media/{f}")),
        _ => None,
    }
}

pub fn by_id<'a>(docs: &'a [Document], id: &str) -> &'a Document {
    docs.iter()
        .find(|d| d.source_id == id)
        .unwrap_or_else(|| panic!("no document {id}"))
}

pub fn rendered(md: &str) -> String {
    byline_render::markdown::render_markdown(md)
        .expect("the converted body is within the render limits")
        .html
}
