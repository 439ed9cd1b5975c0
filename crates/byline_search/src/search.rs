//! Running a search: ranking, counting per section, loading hits and their snippets.

use crate::analysis::Lang;
use crate::error::SearchError;
use crate::facets::SectionCounts;
use crate::index::SearchIndex;
use crate::parse::{self, ParsedQuery};
use crate::query::{self, Filters};
use crate::suggest;
use byline_core::{ArticleId, SectionId};
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};

/// No search pages past this many results: deep pages cost a heap of `offset` entries
/// and nobody reads them; a page past the cap is empty and says so.
pub const MAX_RESULTS: usize = 1000;

/// Relevance is multiplied by `1 + RECENCY_WEIGHT * 0.5^(age / HALF_LIFE)`: news ages,
/// so of two equally relevant articles the newer ranks higher, and a much more relevant
/// old one still wins over a barely relevant new one.
const RECENCY_WEIGHT: f32 = 1.0;
const HALF_LIFE_DAYS: f32 = 90.0;

/// The recency multiplier for an age in whole days, from a table: this runs for every
/// matching document, and a lookup is several times cheaper than `powf`.
fn recency(age_days: i64) -> f32 {
    const DAYS: usize = 40 * 365;
    static TABLE: LazyLock<Vec<f32>> = LazyLock::new(|| {
        (0..=DAYS)
            .map(|d| 1.0 + RECENCY_WEIGHT * 0.5f32.powf(d as f32 / HALF_LIFE_DAYS))
            .collect()
    });
    TABLE[(age_days.max(0) as usize).min(DAYS)]
}

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// How much of the body the snippet generator reads first.
const SNIPPET_SCAN_BYTES: usize = 4096;

fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Relevance blended with recency.
    #[default]
    Relevance,
    Newest,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// What the reader typed (parsed forgivingly).
    pub text: String,
    pub filters: Filters,
    pub order: SortOrder,
    pub offset: usize,
    pub limit: usize,
    /// "Now" for recency (unix seconds); tests pin it.
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: String,
    pub title: String,
    pub published: i64,
    /// Body text around the matches, HTML-escaped, matches in `<mark>`.
    pub snippet_html: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    pub total: u64,
    /// Matches per section for this query and filters other than the section (so the
    /// reader can switch section), most first.
    pub sections: Vec<(SectionId, u64)>,
    /// A likely intended word when a single word found little.
    pub did_you_mean: Option<String>,
    /// Not every word could be found together: results match some of them.
    pub relaxed: bool,
    /// The query had nothing searchable (empty, only stop words or punctuation).
    pub empty_query: bool,
}

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let parsed = parse::parse(&req.text);
        let searcher = self.reader.searcher();
        let mut built = query::build(&self.fields, &parsed, &req.filters, true);
        if built.highlight.is_empty() {
            return Ok(SearchResults {
                empty_query: true,
                ..Default::default()
            });
        }
        let mut ranked = self.run(&searcher, &built.query, req)?;
        let mut relaxed = false;
        if ranked.total == 0 && parsed.words.len() > 1 {
            built = query::build(&self.fields, &parsed, &req.filters, false);
            ranked = self.run(&searcher, &built.query, req)?;
            relaxed = ranked.total > 0;
        }
        let sections = match ranked.sections {
            Some(counts) => counts,
            None => {
                let mut wider = req.filters.clone();
                wider.section = None;
                let q = query::build(&self.fields, &parsed, &wider, !relaxed).query;
                searcher.search(&q, &SectionCounts)?
            }
        };
        let hits = self.hits(&searcher, &ranked.docs, &built.highlight)?;
        Ok(SearchResults {
            hits,
            total: ranked.total,
            sections: sorted_counts(sections),
            did_you_mean: self.did_you_mean(&searcher, &parsed, ranked.total)?,
            relaxed,
            empty_query: false,
        })
    }

    fn run(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        req: &SearchRequest,
    ) -> Result<Ranked, SearchError> {
        let limit = req.limit.clamp(1, 100);
        let deep = req.offset >= MAX_RESULTS;
        let top = TopDocs::with_limit(limit).and_offset(req.offset.min(MAX_RESULTS));
        let (docs, total, sections): (Vec<ScoredDoc>, u64, Option<HashMap<u64, u64>>) =
            match (deep, req.filters.section.is_some()) {
                (true, filtered) => {
                    let (total, counts) = searcher.search(q, &(Count, SectionCounts))?;
                    (Vec::new(), total as u64, (!filtered).then_some(counts))
                }
                (false, false) => {
                    let (docs, counts) = self.ranked(searcher, q, top, req, SectionCounts)?;
                    let total = counts.values().sum();
                    (docs, total, Some(counts))
                }
                (false, true) => {
                    let (docs, total) = self.ranked(searcher, q, top, req, Count)?;
                    (docs, total as u64, None)
                }
            };
        Ok(Ranked {
            docs,
            total,
            sections,
        })
    }

    /// The top documents in the requested order, with `extra` collected in the same pass.
    fn ranked<C: tantivy::collector::Collector>(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        top: TopDocs,
        req: &SearchRequest,
        extra: C,
    ) -> Result<(Vec<ScoredDoc>, C::Fruit), SearchError> {
        Ok(match req.order {
            SortOrder::Relevance => {
                let now = req.now;
                let ranked = top.tweak_score(move |segment: &SegmentReader| {
                    let published = segment
                        .fast_fields()
                        .i64("published")
                        .map(|c| c.first_or_default_col(now))
                        .ok();
                    move |doc: DocId, score: Score| {
                        let at = published.as_ref().map_or(now, |c| c.get_val(doc));
                        score * recency((now - at).max(0) / 86_400)
                    }
                });
                searcher.search(q, &(ranked, extra))?
            }
            SortOrder::Newest => {
                // A sort key from the fast field via `tweak_score` measured several times
                // faster here than `order_by_fast_field` (same order, ties by document).
                let ranked = top.tweak_score(move |segment: &SegmentReader| {
                    let published = segment
                        .fast_fields()
                        .i64("published")
                        .map(|c| c.first_or_default_col(0))
                        .ok();
                    move |doc: DocId, _score: Score| {
                        published.as_ref().map_or(0, |c| c.get_val(doc))
                    }
                });
                let (docs, fruit) = searcher.search(q, &(ranked, extra))?;
                let docs = docs
                    .into_iter()
                    .map(|(at, addr): (i64, DocAddress)| (at as f32, addr))
                    .collect();
                (docs, fruit)
            }
        })
    }

    /// Loads the ranked documents and makes their snippets (from the stored body, or the
    /// subtitle when the body does not match).
    fn hits(
        &self,
        searcher: &Searcher,
        docs: &[(Score, DocAddress)],
        highlight: &HashMap<Lang, BTreeMap<String, f32>>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let mut generators: HashMap<Lang, SnippetGenerator> = HashMap::new();
        let mut hits = Vec::with_capacity(docs.len());
        for &(score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let edition = str_of(&doc, f.edition);
            let lang = Lang::of_edition(&edition);
            let generator = generators.entry(lang).or_insert_with(|| {
                let terms = highlight.get(&lang).cloned().unwrap_or_default();
                let analyzer = lang.snippet_analyzer(terms.keys());
                SnippetGenerator::new(terms, analyzer, f.lang(lang).text, SNIPPET_CHARS)
            });
            hits.push(Hit {
                id: ArticleId(u64_of(&doc, f.id) as i64),
                section: SectionId(u64_of(&doc, f.section) as i64),
                slug: str_of(&doc, f.slug),
                title: str_of(&doc, f.title_stored),
                published: doc
                    .get_first(f.published)
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0),
                snippet_html: snippet(
                    generator,
                    &str_of(&doc, f.subtitle_stored),
                    &str_of(&doc, f.body_stored),
                ),
                score,
                edition,
            });
        }
        Ok(hits)
    }

    fn did_you_mean(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        total: u64,
    ) -> Result<Option<String>, SearchError> {
        // A word that finds plenty is not misspelt, whatever a dictionary says.
        const FEW: u64 = 3;
        match parsed.single_word() {
            Some(word) if total < FEW => suggest::correction(searcher, &self.fields, word, total),
            _ => Ok(None),
        }
    }
}

/// A ranked document and its sort value (score, or publish time for "newest").
type ScoredDoc = (Score, DocAddress);

/// What one ranking pass found.
struct Ranked {
    docs: Vec<ScoredDoc>,
    total: u64,
    /// Per-section counts, when the pass could collect them (no section filter).
    sections: Option<HashMap<u64, u64>>,
}

fn sorted_counts(counts: HashMap<u64, u64>) -> Vec<(SectionId, u64)> {
    let mut v: Vec<(SectionId, u64)> = counts
        .into_iter()
        .map(|(s, n)| (SectionId(s as i64), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

pub(crate) fn str_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_owned()
}

pub(crate) fn u64_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// The best fragment of the body with matches marked; the subtitle (or the start of
/// the body) when the body does not match. Always HTML-escaped.
fn snippet(generator: &SnippetGenerator, subtitle: &str, body: &str) -> String {
    // Analyzing a long read whole costs milliseconds per hit; most matches show early,
    // so look at the start first and at the whole body only when that finds nothing.
    let head = &body[..floor_char_boundary(body, SNIPPET_SCAN_BYTES)];
    let mut s = generator.snippet(head);
    if s.is_empty() && head.len() < body.len() {
        s = generator.snippet(body);
    }
    if !s.is_empty() {
        s.set_snippet_prefix_postfix("<mark>", "</mark>");
        let range = s.fragment_range();
        let mut html = String::new();
        if range.start > 0 {
            html.push('…');
        }
        html.push_str(&s.to_html());
        if range.end < body.len() {
            html.push('…');
        }
        return html;
    }
    let lead = if subtitle.trim().is_empty() {
        body
    } else {
        subtitle
    };
    let mut text: String = lead.chars().take(SNIPPET_CHARS).collect();
    if text.len() < lead.len() {
        if let Some(cut) = text.rfind(char::is_whitespace) {
            text.truncate(cut);
        }
        text.push('…');
    }
    escape(&text)
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
