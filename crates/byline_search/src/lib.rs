//! Byline's search index: a tantivy index that is a projection of articles in the
//! store (the readers' holds the published ones, the newsroom's every article not
//! deleted; same schema, same analysis).
//!
//! This crate knows tantivy and nothing of the store: the content service feeds it
//! [`IndexedArticle`]s from the change feed, commits with the feed position it reflects
//! ([`SearchIndex::commit`]), and asks it questions ([`SearchIndex::search`],
//! [`SearchIndex::suggest`], [`SearchIndex::matching_ids`]). See `docs/adr/0006-search-index.md` for the design.

mod analysis;
mod document;
mod error;
mod exclusion;
mod facets;
mod gate;
mod index;
mod matching;
mod merges;
mod parse;
mod query;
mod schema;
mod search;
mod suggest;
mod tokenizer;

pub use analysis::Lang;
pub use document::IndexedArticle;
pub use error::SearchError;
pub use index::{OpenState, SearchIndex, WriterOptions};
pub use matching::Matches;
pub use parse::{ParsedQuery, parse};
pub use query::Filters;
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, MAX_RESULTS, SearchRequest, SearchResults, SortOrder};
pub use suggest::Suggestion;
