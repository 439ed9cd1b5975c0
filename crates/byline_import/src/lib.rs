//! Imports an outlet's archive from another CMS: the parsing and conversion core of
//! `byline import`, with no database of its own, so it is tested fast and the CLI and
//! the newsroom write what it produces.
//!
//! Both formats are read as streams (an export of 100,000 posts is never held whole in
//! memory) and each produces the same things:
//!
//! - [`Document`]s: articles and static pages with Byline Markdown bodies, status,
//!   edition, translation group, section, tags, authors, cover, SEO fields and dates,
//!   each keyed by its [`Source`] and source id so a second run updates instead of
//!   adding;
//! - the authors, sections and tags they refer to;
//! - a [`LinkMap`]: every old address of every item (WordPress permalinks in each
//!   common structure, Ghost's `/slug/`, `/tag/x/`, `/author/x/`) and what it became,
//!   for the redirects table and for rewriting body links;
//! - a [`Report`]: counts per kind, what was skipped and why, what was kept as text,
//!   and per-item errors. Only a file that cannot be read at all is an [`ImportError`].
//!
//! WordPress (WXR 1.0–1.2) is read twice; the caller gives a function that opens the
//! file:
//!
//! ```no_run
//! # use byline_import::{wordpress, Options, Document, Target, SinkError};
//! # fn main() -> Result<(), byline_import::ImportError> {
//! let open = || std::fs::File::open("export.xml").map(std::io::BufReader::new);
//! let catalog = wordpress::scan(open, Options::new("en"))?; // pass 1: the site's shape
//! // … write catalog.authors, .sections, .tags, .attachments; catalog.planned(id)
//! // tells where each document will live, so links to later ones resolve; then:
//! let mut sink = |doc: Document| -> Result<(), SinkError> { Ok(()) };
//! let resolve = |t: &Target| -> Option<String> { None }; // old target → new address
//! let report = catalog.documents(&mut sink, &resolve)?; // pass 2: one document at a time
//! # Ok(()) }
//! ```
//!
//! Ghost (JSON export of Ghost 4–6) works the same way: [`ghost::scan`] then
//! [`ghost::Catalog::documents`].
//!
//! Bodies are converted to Markdown with `htmd`, the converter behind the newsroom's
//! paste, plus what exports have: WordPress's paragraph rules, block markup, shortcodes,
//! figures with captions and Byline's click-to-load embeds. The Markdown is sanitized
//! again when the content service renders it, like anything typed in the newsroom.

pub mod error;
pub mod ghost;
pub mod html;
pub mod links;
pub mod model;
pub mod report;
pub mod sink;
pub mod wordpress;

pub use error::ImportError;
pub use links::LinkMap;
pub use model::{
    Attachment, Author, Cover, Document, DocumentKind, ImportStatus, Options, Planned, Source,
    Target, Term, slugify,
};
pub use report::{Counted, Report};
pub use sink::{Resolve, Sink, SinkError};
