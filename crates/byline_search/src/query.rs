//! Turning a parsed query and filters into a tantivy query.

use crate::analysis::{self, Lang};
use crate::parse::ParsedQuery;
use crate::schema::Fields;
use byline_core::{AuthorId, SectionId, TagId};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// Field weights: a word in the title says more about the article than one in the body.
const TITLE_BOOST: f32 = 3.0;
const META_BOOST: f32 = 2.0;
/// Added to an article whose whole title is the query: ranks first, whatever its age.
const EXACT_TITLE_BONUS: f32 = 1000.0;

/// Which articles may match at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `None`: every edition.
    pub edition: Option<String>,
    /// No other edition is in this edition's language: its language fields hold only
    /// its articles, so the edition filter can be skipped (it costs an intersection
    /// per matching document).
    pub edition_owns_language: bool,
    pub section: Option<SectionId>,
    pub author: Option<AuthorId>,
    pub tag: Option<TagId>,
    /// Published at or after (unix seconds).
    pub from: Option<i64>,
    /// Published before (unix seconds).
    pub until: Option<i64>,
}

/// A query ready to run, with what the snippets need to highlight.
pub(crate) struct Built {
    pub query: Box<dyn Query>,
    /// Positive tokens per language, for the snippet generator.
    pub highlight: HashMap<Lang, BTreeMap<String, f32>>,
}

/// The languages a query must look in.
pub(crate) fn langs_for(filters: &Filters) -> Vec<Lang> {
    match &filters.edition {
        Some(ed) => vec![Lang::of_edition(ed)],
        None => Lang::ALL.to_vec(),
    }
}

/// One field matching the analyzed tokens of a word or phrase: a term, or a phrase when
/// the text analyzes to several tokens (`co-operation`, `"power line"`).
fn field_match(field: Field, tokens: &[(usize, String)]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [(_, t)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, t),
            IndexRecordOption::WithFreqs,
        ))),
        many => {
            let first = many[0].0;
            let terms = many
                .iter()
                .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

/// "This word or phrase occurs in the article" across the given languages' fields.
/// `None` when it has no searchable token in any of them (a stop word).
fn text_match(
    fields: &Fields,
    langs: &[Lang],
    text: &str,
    highlight: Option<&mut HashMap<Lang, BTreeMap<String, f32>>>,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = Vec::new();
    for &lang in langs {
        let tokens = analysis::tokens(&mut lang.analyzer(), text);
        if tokens.is_empty() {
            continue;
        }
        seen.push((lang, tokens.clone()));
        let f = fields.lang(lang);
        for (field, boost) in [(f.title, TITLE_BOOST), (f.text, 1.0), (f.meta, META_BOOST)] {
            if let Some(q) = field_match(field, &tokens) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
        }
    }
    if let Some(h) = highlight {
        for (lang, tokens) in seen {
            let entry = h.entry(lang).or_default();
            for (_, t) in tokens {
                entry.insert(t, 1.0);
            }
        }
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// A filter clause: must match, adds nothing to the score.
fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn term_u64(field: Field, v: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, v),
        IndexRecordOption::Basic,
    ))
}

pub(crate) fn filter_clauses(fields: &Fields, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out = Vec::new();
    if let Some(ed) = filters
        .edition
        .as_ref()
        .filter(|_| !filters.edition_owns_language)
    {
        out.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(fields.edition, ed),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(s) = filters.section {
        out.push(filter(term_u64(fields.section, s.0 as u64)));
    }
    if let Some(a) = filters.author {
        out.push(filter(term_u64(fields.author, a.0 as u64)));
    }
    if let Some(t) = filters.tag {
        out.push(filter(term_u64(fields.tag, t.0 as u64)));
    }
    if filters.from.is_some() || filters.until.is_some() {
        let lower = filters.from.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_i64(fields.published, v))
        });
        let upper = filters.until.map_or(Bound::Unbounded, |v| {
            Bound::Excluded(Term::from_field_i64(fields.published, v))
        });
        out.push(filter(Box::new(RangeQuery::new(lower, upper))));
    }
    out
}

/// Builds the query. `all_words`: every word must occur (else any may).
pub(crate) fn build(
    fields: &Fields,
    parsed: &ParsedQuery,
    filters: &Filters,
    all_words: bool,
) -> Built {
    let langs = langs_for(filters);
    let mut highlight = HashMap::new();
    let mut positive: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let word_occur = if all_words {
        Occur::Must
    } else {
        Occur::Should
    };
    for word in &parsed.words {
        if let Some(q) = text_match(fields, &langs, word, Some(&mut highlight)) {
            positive.push((word_occur, q));
        }
    }
    for phrase in &parsed.phrases {
        if let Some(q) = text_match(fields, &langs, phrase, Some(&mut highlight)) {
            positive.push((Occur::Must, q));
        }
    }
    if positive.is_empty() {
        return Built {
            query: Box::new(EmptyQuery),
            highlight,
        };
    }
    // With every word required the clauses go straight into the top-level query: each
    // level of nesting costs a scorer call per matching document. When any word may
    // match they stay grouped, since beside the filters' `Must` a lone `Should` would
    // become optional and match everything.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = if all_words {
        positive
    } else {
        vec![(
            Occur::Must,
            Box::new(BooleanQuery::new(positive)) as Box<dyn Query>,
        )]
    };
    for excluded in &parsed.excluded {
        if let Some(q) = text_match(fields, &langs, excluded, None) {
            clauses.push((Occur::MustNot, Box::new(crate::exclusion::Excluded(q))));
        }
    }
    let exact = analysis::exact_key(&parsed.positive_text());
    if !exact.is_empty() {
        let q = TermQuery::new(
            Term::from_field_text(fields.title_exact, &exact),
            IndexRecordOption::Basic,
        );
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(q), EXACT_TITLE_BONUS)),
        ));
    }
    clauses.extend(filter_clauses(fields, filters));
    Built {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight,
    }
}
