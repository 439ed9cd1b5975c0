//! Helping readers type: title suggestions as they type, and "did you mean".

use crate::analysis::{self, words_analyzer};
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::schema::Fields;
use crate::search::{str_of, u64_of};
use byline_core::{ArticleId, SectionId};
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Searcher, TantivyDocument, Term};

/// How many title words a typed prefix may expand to. Bounded so a two-letter prefix
/// costs no more than a word.
const MAX_EXPANSIONS: u32 = 200;
/// Shorter input suggests nothing: too many titles start that way to be useful.
const MIN_PREFIX_CHARS: usize = 2;

/// A title offered while the reader types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: String,
    pub title: String,
}

impl SearchIndex {
    /// Titles whose words start like the input ("grid inter" → "Grid interconnectors…"),
    /// newest first.
    pub fn suggest(
        &self,
        input: &str,
        edition: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        // Like a search, only the start of a long input is looked at.
        let input: String = input
            .chars()
            .take(byline_core::limits::MAX_SEARCH_QUERY_CHARS)
            .collect();
        let tokens = analysis::tokens(&mut words_analyzer(), &input);
        let tokens: Vec<_> = tokens.into_iter().take(8).collect();
        let Some((_, last)) = tokens.last() else {
            return Ok(Vec::new());
        };
        if tokens.len() == 1 && last.chars().count() < MIN_PREFIX_CHARS {
            return Ok(Vec::new());
        }
        let first = tokens[0].0;
        let terms = tokens
            .iter()
            .map(|(p, t)| (p - first, Term::from_field_text(self.fields.title_words, t)))
            .collect();
        let mut prefix = PhrasePrefixQuery::new_with_offset(terms);
        prefix.set_max_expansions(MAX_EXPANSIONS);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(prefix))];
        if let Some(ed) = edition {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.edition, ed),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit.clamp(1, 20))
            .order_by_fast_field::<i64>("published", Order::Desc);
        let found = searcher.search(&BooleanQuery::new(clauses), &top)?;
        let f = &self.fields;
        found
            .into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr)?;
                Ok(Suggestion {
                    id: ArticleId(u64_of(&doc, f.id) as i64),
                    edition: str_of(&doc, f.edition),
                    section: SectionId(u64_of(&doc, f.section) as i64),
                    slug: str_of(&doc, f.slug),
                    title: str_of(&doc, f.title_stored),
                })
            })
            .collect()
    }
}

/// The most frequent indexed word within a small edit distance of `word`, if it is more
/// frequent than what was found for `word` itself (`found` documents).
pub(crate) fn correction(
    searcher: &Searcher,
    fields: &Fields,
    word: &str,
    found: u64,
) -> Result<Option<String>, SearchError> {
    let tokens = analysis::tokens(&mut words_analyzer(), word);
    let [(_, token)] = tokens.as_slice() else {
        return Ok(None);
    };
    let chars = token.chars().count();
    if chars < 4 || token.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    // One typo in a short word, two in a long one.
    let distance = if chars < 8 { 1 } else { 2 };
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(fields.words, token), distance, true);
    let mut freq: HashMap<Vec<u8>, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.words)?;
        let mut stream = inverted
            .terms()
            .search(fuzzy.automaton()?)
            .into_stream()
            .map_err(|e| SearchError::Worker(e.to_string()))?;
        while stream.advance() {
            *freq.entry(stream.key().to_vec()).or_insert(0) += u64::from(stream.value().doc_freq);
        }
    }
    let best = freq
        .into_iter()
        .filter(|(k, _)| k.as_slice() != token.as_bytes())
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
    Ok(best
        .filter(|(_, n)| *n > found)
        .and_then(|(k, _)| String::from_utf8(k).ok()))
}
