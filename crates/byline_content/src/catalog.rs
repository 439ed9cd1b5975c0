//! The small, rarely changing part of the outlet (settings, sections, authors, tags),
//! held in memory so a page render never queries it. Reloaded from the change feed.

use byline_core::{Author, AuthorId, Section, SectionId, SiteSettings, Tag, TagId};
use byline_store::{Store, StoreResult};
use jiff::tz::TimeZone;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub settings: SiteSettings,
    pub timezone: TimeZone,
    pub sections: Vec<Section>,
    pub authors: Vec<Author>,
    pub tags: Vec<Tag>,
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
}
