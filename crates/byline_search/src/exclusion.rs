//! Excluded words (`-word`) as tantivy queries that an exclusion can always seek.
//!
//! tantivy 0.27's `Exclude` asks its exclusion set `seek_danger(doc)` for each candidate.
//! When an excluded word is a phrase (`-co-operation` analyses to two tokens) that
//! matches nothing in a segment, its `PhraseScorer` starts at `TERMINATED` and its
//! `seek_danger` asserts `target >= doc`: a panic in debug builds (found by the
//! search-query fuzz target). The default `seek_danger` of `DocSet` handles a docset
//! already past the target; this wrapper gives the excluded scorer that default and
//! delegates everything else, so results are unchanged.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

/// `query`, for a `MustNot` clause.
#[derive(Debug)]
pub(crate) struct Excluded(pub(crate) Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Self(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlainSeek(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer with `DocSet`'s default `seek_danger` (which seeks only when behind).
struct PlainSeek(Box<dyn Scorer>);

impl DocSet for PlainSeek {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for PlainSeek {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
