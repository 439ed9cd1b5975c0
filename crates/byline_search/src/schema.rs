//! The index schema: which fields exist, how each is analyzed, and its version.
//!
//! One index holds every edition. Text is indexed in per-language fields
//! (`title_en`, `text_ru`, …) because tantivy fixes the analyzer per field; a query on
//! one edition touches only that language's fields, a query on all editions asks each
//! language in turn. What the result page needs beyond ids (slug, title, body for
//! snippets) is stored, so suggestions and snippets never touch the store.

use crate::analysis::{self, Lang};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped whenever the schema or an analyzer changes: an index with another version is
/// rebuilt on start (its terms would not match the new analysis).
pub const SCHEMA_VERSION: u32 = 1;

/// The text fields of one language.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    pub title: Field,
    /// Subtitle and body.
    pub text: Field,
    /// Tag and author names.
    pub meta: Field,
}

#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub edition: Field,
    pub section: Field,
    pub author: Field,
    pub tag: Field,
    /// Publish time, unix seconds.
    pub published: Field,
    pub slug: Field,
    pub title_stored: Field,
    pub subtitle_stored: Field,
    pub body_stored: Field,
    pub title_exact: Field,
    pub title_words: Field,
    pub words: Field,
    langs: [LangFields; 4],
}

impl Fields {
    pub fn lang(&self, lang: Lang) -> LangFields {
        self.langs[lang_slot(lang)]
    }
}

fn lang_slot(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(3)
}

fn text(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_u64_field("id", INDEXED | STORED | FAST);
    let edition = b.add_text_field("edition", STRING | STORED | FAST);
    let section = b.add_u64_field("section", INDEXED | STORED | FAST);
    let author = b.add_u64_field("author", INDEXED);
    let tag = b.add_u64_field("tag", INDEXED);
    let published = b.add_i64_field("published", INDEXED | STORED | FAST);
    let slug = b.add_text_field("slug", STORED);
    let title_stored = b.add_text_field("title", STORED);
    let subtitle_stored = b.add_text_field("subtitle", STORED);
    let body_stored = b.add_text_field("body", STORED);
    let title_exact = b.add_text_field(
        "title_exact",
        text(analysis::EXACT, IndexRecordOption::Basic),
    );
    // Positions: suggestions are phrase-prefix queries ("grid inter…").
    let title_words = b.add_text_field(
        "title_words",
        text(analysis::WORDS, IndexRecordOption::WithFreqsAndPositions),
    );
    // Doc ids only: it is a dictionary for spelling corrections, never scored.
    let words = b.add_text_field("words", text(analysis::WORDS, IndexRecordOption::Basic));
    let langs = Lang::ALL.map(|lang| {
        let positions = IndexRecordOption::WithFreqsAndPositions;
        LangFields {
            title: b.add_text_field(
                &format!("title_{}", lang.code()),
                text(lang.analyzer_name(), positions),
            ),
            text: b.add_text_field(
                &format!("text_{}", lang.code()),
                text(lang.analyzer_name(), positions),
            ),
            meta: b.add_text_field(
                &format!("meta_{}", lang.code()),
                text(lang.analyzer_name(), positions),
            ),
        }
    });
    let fields = Fields {
        id,
        edition,
        section,
        author,
        tag,
        published,
        slug,
        title_stored,
        subtitle_stored,
        body_stored,
        title_exact,
        title_words,
        words,
        langs,
    };
    (b.build(), fields)
}
