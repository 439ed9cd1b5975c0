//! The two export formats behind one face, so the command's flow is written once.

use byline_import::{
    Author, ImportError, LinkMap, Planned, Report, Resolve, Sink, Source, Term, ghost, wordpress,
};
use std::io::{self, BufRead};

pub(crate) trait Export {
    fn source(&self) -> Source;
    fn authors(&self) -> &[Author];
    /// Sections the export names (Ghost has none).
    fn sections(&self) -> &[Term];
    fn tags(&self) -> &[Term];
    fn links(&self) -> &LinkMap;
    fn planned(&self, source_id: &str) -> Option<Planned>;
    /// The file path (under the uploads directory) of a WordPress attachment.
    fn attachment_file(&self, id: u64) -> Option<String>;
    /// Every attachment's file (or URL), to put the pictures in the library before the
    /// articles that show them (Ghost's exports list none).
    fn attachment_files(&self) -> Vec<String>;
    fn documents(&self, sink: &mut dyn Sink, resolve: &dyn Resolve) -> Result<Report, ImportError>;
}

impl<F, R> Export for wordpress::Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    fn source(&self) -> Source {
        Source::WordPress
    }
    fn authors(&self) -> &[Author] {
        &self.authors
    }
    fn sections(&self) -> &[Term] {
        &self.sections
    }
    fn tags(&self) -> &[Term] {
        &self.tags
    }
    fn links(&self) -> &LinkMap {
        &self.links
    }
    fn planned(&self, source_id: &str) -> Option<Planned> {
        wordpress::Catalog::planned(self, source_id)
    }
    fn attachment_file(&self, id: u64) -> Option<String> {
        let a = self.attachments.get(&id)?;
        a.file.clone().or_else(|| Some(a.url.clone()))
    }
    fn attachment_files(&self) -> Vec<String> {
        let mut ids: Vec<u64> = self.attachments.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter()
            .filter_map(|id| Export::attachment_file(self, id))
            .collect()
    }
    fn documents(&self, sink: &mut dyn Sink, resolve: &dyn Resolve) -> Result<Report, ImportError> {
        wordpress::Catalog::documents(self, sink, resolve)
    }
}

impl<F, R> Export for ghost::Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    fn source(&self) -> Source {
        Source::Ghost
    }
    fn authors(&self) -> &[Author] {
        &self.authors
    }
    fn sections(&self) -> &[Term] {
        &[]
    }
    fn tags(&self) -> &[Term] {
        &self.tags
    }
    fn links(&self) -> &LinkMap {
        &self.links
    }
    fn planned(&self, source_id: &str) -> Option<Planned> {
        ghost::Catalog::planned(self, source_id)
    }
    fn attachment_file(&self, _id: u64) -> Option<String> {
        None
    }
    fn attachment_files(&self) -> Vec<String> {
        Vec::new()
    }
    fn documents(&self, sink: &mut dyn Sink, resolve: &dyn Resolve) -> Result<Report, ImportError> {
        ghost::Catalog::documents(self, sink, resolve)
    }
}
