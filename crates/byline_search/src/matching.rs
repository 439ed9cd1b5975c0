//! The newsroom's word filter: which articles contain every word typed, by id only.
//!
//! The newsroom list filters and sorts in the store (status, owner, dates); the index
//! contributes the set of matching articles, analyzed as reader search is (so ru/hy
//! word forms match), without scoring details, snippets or stored documents.

use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::parse;
use crate::query::{self, Filters};
use byline_core::ArticleId;
use tantivy::collector::{Count, TopDocs};

/// What a word filter found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    /// The most relevant matches, at most the limit asked for.
    pub ids: Vec<ArticleId>,
    /// How many matched in all (more than `ids` holds when the limit cut them).
    pub total: u64,
    /// The text had nothing searchable (only stop words or punctuation).
    pub empty_query: bool,
}

impl SearchIndex {
    /// Articles containing every word of `text` (in `edition` only when given), most
    /// relevant first, at most `limit`.
    pub fn matching_ids(
        &self,
        text: &str,
        edition: Option<&str>,
        limit: usize,
    ) -> Result<Matches, SearchError> {
        let parsed = parse::parse(text);
        let filters = Filters {
            edition: edition.map(str::to_owned),
            ..Filters::default()
        };
        let built = query::build(&self.fields, &parsed, &filters, true);
        if built.highlight.is_empty() {
            return Ok(Matches {
                empty_query: true,
                ..Matches::default()
            });
        }
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &built.query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let column = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .u64("id")?;
            if let Some(id) = column.first(addr.doc_id) {
                ids.push(ArticleId(id as i64));
            }
        }
        Ok(Matches {
            ids,
            total: total as u64,
            empty_query: false,
        })
    }
}
