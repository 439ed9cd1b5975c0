//! What an import produces: documents (articles and static pages), the people and
//! terms they refer to, and the old addresses of everything.

use jiff::Timestamp;
use std::collections::HashMap;

/// Which system an item came from; with its source id it keys the item, so a second
/// run of the same export updates instead of adding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    WordPress,
    Ghost,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WordPress => "wordpress",
            Self::Ghost => "ghost",
        }
    }
}

/// An article, or a static page (About, Contacts, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Article,
    Page,
}

/// The Byline status an item is imported with. Nothing that was not public in the old
/// system becomes public here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    Published,
    /// Publishes itself at this time (WordPress `future`, Ghost `scheduled`).
    Scheduled(Timestamp),
    Draft,
    InReview,
}

/// A picture the document uses as its cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// The URL on the old site (the integration finds the file under the media
    /// directory by its path, or keeps the URL).
    pub url: String,
    pub alt: String,
    pub caption: String,
    /// The WordPress attachment it came from, when there was one.
    pub attachment_id: Option<u64>,
}

/// One article or page, ready for the content service.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub source: Source,
    /// The id in the source system (WordPress post id, Ghost post id).
    pub source_id: String,
    pub kind: DocumentKind,
    /// Never empty: an untitled WordPress post gets a title from its slug or id.
    pub title: String,
    /// Unique per edition among the import's documents (a duplicate gets `-2`, …).
    pub slug: String,
    pub subtitle: String,
    /// Byline Markdown (sanitized again when the content service renders it).
    pub body_markdown: String,
    pub status: ImportStatus,
    pub edition: String,
    /// Documents that are translations of each other share this key.
    pub translation_group: Option<String>,
    /// The section's slug (articles only; pages have none).
    pub section: Option<String>,
    /// Tag slugs, in the source's order.
    pub tags: Vec<String>,
    /// Author slugs, in the source's order (the first is the main byline).
    pub authors: Vec<String>,
    pub cover: Option<Cover>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub canonical_url: Option<String>,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

/// Longest kept, in characters: title, subtitle, SEO title, SEO description, canonical
/// URL. The source systems have no limits; longer text is cut and reported.
pub const FIELD_LIMITS: [(&str, usize); 5] = [
    ("title", 300),
    ("subtitle", 1000),
    ("SEO title", 300),
    ("SEO description", 1000),
    ("canonical URL", 2000),
];

impl Document {
    /// Cuts fields longer than [`FIELD_LIMITS`]; answers which were cut (a cut URL
    /// is dropped, as half a URL is wrong).
    pub fn cap_fields(&mut self) -> Vec<&'static str> {
        let mut cut = Vec::new();
        let mut cap = |name: &'static str, text: &mut String| {
            let limit = FIELD_LIMITS
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(usize::MAX, |l| l.1);
            if let Some((at, _)) = text.char_indices().nth(limit) {
                text.truncate(at);
                cut.push(name);
            }
        };
        cap("title", &mut self.title);
        cap("subtitle", &mut self.subtitle);
        if let Some(t) = &mut self.seo_title {
            cap("SEO title", t);
        }
        if let Some(t) = &mut self.seo_description {
            cap("SEO description", t);
        }
        if let Some(url) = &mut self.canonical_url {
            cap("canonical URL", url);
        }
        if cut.contains(&"canonical URL") {
            self.canonical_url = None;
        }
        cut
    }
}

/// Where a document will live, known after pass 1 (before any document is written):
/// enough for the integration to resolve links to documents later in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: DocumentKind,
    pub slug: String,
    pub edition: String,
    /// The section's slug, when the export says it (a WordPress post's first
    /// category); otherwise the integration's default section.
    pub section: Option<String>,
}

/// A person who wrote for the old site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub source_id: String,
    pub slug: String,
    pub name: String,
    pub email: Option<String>,
    pub bio: String,
}

/// A section or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub source_id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// An uploaded file on the old site (a WordPress attachment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: u64,
    pub url: String,
    /// The path under the uploads directory (`2024/05/river.jpg`), which is where
    /// the file is in `--media-dir`.
    pub file: Option<String>,
    pub title: String,
    pub alt: String,
    pub caption: String,
    /// The post it was uploaded to (a `[gallery]` without ids shows these).
    pub parent: Option<u64>,
}

/// What an old address now stands for; the integration turns it into a new address
/// (a redirect's target, or a rewritten link in a body).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A document by its source id.
    Document(String),
    Section(String),
    Tag(String),
    Author(String),
    /// An uploaded file (the attachment page, or the file itself).
    Upload(u64),
    /// An uploaded file by its path under the media directory (Ghost's
    /// `content/images/2024/05/river.jpg` is `2024/05/river.jpg`).
    File(String),
    /// The site's feed, or a section's or tag's.
    Feed(Option<Box<Target>>),
    /// The front page.
    Home,
}

/// What the caller passes to an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The edition of items without a language of their own.
    pub edition: String,
    /// Old category slug → section slug (`--section-map old=new`).
    pub section_map: HashMap<String, String>,
    /// Old language code → edition slug, where they differ (`en_US` → `en`).
    pub editions: HashMap<String, String>,
    /// The old site's address, where the export does not say it (Ghost's does
    /// not): absolute links to it are then recognized as the site's own.
    pub site_url: Option<String>,
}

impl Options {
    pub fn new(edition: &str) -> Self {
        Self {
            edition: edition.to_owned(),
            ..Self::default()
        }
    }

    /// The edition of a language code from the source (Polylang's slug, WPML's code).
    pub fn edition_of(&self, language: &str) -> String {
        self.editions
            .get(language)
            .cloned()
            .unwrap_or_else(|| slugify(language))
    }
}

/// A URL slug from any text: transliterated to ASCII, lowercase, runs of other
/// characters collapsed to one hyphen (the same rules as the content service's).
pub fn slugify(text: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    let ascii = deunicode::deunicode(&decoded).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > byline_core::slug::MAX_SLUG_LEN {
        slug.truncate(byline_core::slug::MAX_SLUG_LEN);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_valid() {
        assert_eq!(slugify("Привет, мир!"), "privet-mir");
        assert_eq!(slugify("%d0%bf%d1%80%d0%b8"), "pri");
        assert_eq!(slugify("  --  "), "");
        let long = slugify(&"word ".repeat(100));
        assert!(byline_core::Slug::parse(&long).is_ok(), "{long}");
    }
}
