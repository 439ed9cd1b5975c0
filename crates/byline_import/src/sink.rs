//! Where converted documents go (the integration's writer, a test's vector).

use crate::model::{Document, Target};

/// What a sink answers for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// This document failed (it is listed in the report); the import goes on.
    Item(String),
    /// Stop the import (the database is gone, the user pressed Ctrl-C).
    Stop(String),
}

/// Receives documents one at a time, in the export's order.
pub trait Sink {
    fn document(&mut self, document: Document) -> Result<(), SinkError>;
}

impl<F: FnMut(Document) -> Result<(), SinkError>> Sink for F {
    fn document(&mut self, document: Document) -> Result<(), SinkError> {
        self(document)
    }
}

/// New addresses of old targets, for rewriting links in bodies; `None` keeps the old
/// link (a picture whose file was not found, say).
pub trait Resolve {
    fn address(&self, target: &Target) -> Option<String>;
}

impl<F: Fn(&Target) -> Option<String>> Resolve for F {
    fn address(&self, target: &Target) -> Option<String> {
        self(target)
    }
}
