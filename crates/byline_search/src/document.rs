//! What the index holds about one published article, and its tantivy document.

use crate::analysis::{Lang, exact_key};
use crate::schema::Fields;
use byline_core::{ArticleId, AuthorId, SectionId, TagId};
use tantivy::TantivyDocument;

/// One published article as the index sees it. Built by the content service from the
/// store (names resolved), so this crate never reads the store.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedArticle {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: String,
    pub title: String,
    pub subtitle: String,
    /// The body as plain text (no markup).
    pub body: String,
    /// Author ids and their names in the article's edition.
    pub authors: Vec<(AuthorId, String)>,
    /// Tag ids and their names in the article's edition.
    pub tags: Vec<(TagId, String)>,
    /// Publish time, unix seconds.
    pub published: i64,
}

impl IndexedArticle {
    pub(crate) fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, self.id.0 as u64);
        doc.add_text(f.edition, &self.edition);
        doc.add_u64(f.section, self.section.0 as u64);
        doc.add_i64(f.published, self.published);
        doc.add_text(f.slug, &self.slug);
        doc.add_text(f.title_stored, &self.title);
        doc.add_text(f.subtitle_stored, &self.subtitle);
        doc.add_text(f.body_stored, &self.body);
        doc.add_text(f.title_exact, exact_key(&self.title));
        doc.add_text(f.title_words, &self.title);
        for text in [&self.title, &self.subtitle] {
            doc.add_text(f.words, text);
        }
        let lang = f.lang(Lang::of_edition(&self.edition));
        doc.add_text(lang.title, &self.title);
        doc.add_text(lang.text, &self.subtitle);
        doc.add_text(lang.text, &self.body);
        for (id, name) in &self.authors {
            doc.add_u64(f.author, id.0 as u64);
            doc.add_text(lang.meta, name);
            doc.add_text(f.words, name);
        }
        for (id, name) in &self.tags {
            doc.add_u64(f.tag, id.0 as u64);
            doc.add_text(lang.meta, name);
            doc.add_text(f.words, name);
        }
        doc
    }
}
