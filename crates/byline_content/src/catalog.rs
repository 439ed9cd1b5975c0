//! The small, rarely changing part of the outlet (settings, sections, authors, tags, the
//! published static pages' addresses), held in memory so a page render never queries
//! it. Reloaded from the change feed.

use byline_core::{
    Author, AuthorId, PageId, PageStatus, Section, SectionId, SiteSettings, Slug, Tag, TagId,
};
use byline_store::{Store, StoreResult};
use jiff::tz::TimeZone;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub settings: SiteSettings,
    pub timezone: TimeZone,
    pub sections: Vec<Section>,
    pub authors: Vec<Author>,
    pub tags: Vec<Tag>,
    /// The published static pages, by edition then footer order (no bodies).
    pub pages: Vec<PageLink>,
}

/// A published static page as lists and the footer show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub id: PageId,
    pub edition: String,
    pub slug: Slug,
    pub title: String,
    pub footer_position: Option<i64>,
    pub updated_at: jiff::Timestamp,
}

impl Catalog {
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let settings = store.settings().await?;
        let timezone = TimeZone::get(&settings.timezone).unwrap_or_else(|e| {
            tracing::warn!(zone = %settings.timezone, error = %e, "unknown timezone in settings; using UTC");
            TimeZone::UTC
        });
        Ok(Self {
            timezone,
            sections: store.sections().await?,
            authors: store.authors().await?,
            tags: store.tags().await?,
            pages: store
                .pages()
                .await?
                .into_iter()
                .filter(|p| p.status == PageStatus::Published)
                .map(|p| PageLink {
                    id: p.id,
                    edition: p.edition,
                    slug: p.slug,
                    title: p.title,
                    footer_position: p.footer_position,
                    updated_at: p.updated_at,
                })
                .collect(),
            settings,
        })
    }

    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn section_by_slug(&self, slug: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.slug.as_str() == slug)
    }

    pub fn author(&self, id: AuthorId) -> Option<&Author> {
        self.authors.iter().find(|a| a.id == id)
    }

    pub fn author_by_slug(&self, slug: &str) -> Option<&Author> {
        self.authors.iter().find(|a| a.slug.as_str() == slug)
    }

    pub fn tag(&self, id: TagId) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    pub fn tag_by_slug(&self, slug: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.slug.as_str() == slug)
    }

    /// The edition's published pages that are in the footer, in footer order.
    pub fn footer_pages<'a>(&'a self, edition: &'a str) -> impl Iterator<Item = &'a PageLink> {
        self.pages
            .iter()
            .filter(move |p| p.edition == edition && p.footer_position.is_some())
    }

    /// The edition's published pages (footer ones first, in footer order).
    pub fn edition_pages<'a>(&'a self, edition: &'a str) -> impl Iterator<Item = &'a PageLink> {
        self.pages.iter().filter(move |p| p.edition == edition)
    }
}
