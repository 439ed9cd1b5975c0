//! Settings, sections, authors and tags: what an outlet is made of before its articles.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{
    Author, AuthorId, Localized, Section, SectionId, SiteSettings, Slug, Tag, TagId,
};

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    /// True when the store holds no articles and no sections (a fresh outlet).
    async fn is_empty(&self) -> StoreResult<bool>;

    async fn settings(&self) -> StoreResult<SiteSettings>;
    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()>;

    /// Creates or updates the section with this slug.
    async fn upsert_section(
        &self,
        slug: &Slug,
        name: &Localized,
        description: &Localized,
        position: i64,
    ) -> StoreResult<SectionId>;
    async fn sections(&self) -> StoreResult<Vec<Section>>;

    async fn upsert_author(
        &self,
        slug: &Slug,
        name: &Localized,
        bio: &Localized,
    ) -> StoreResult<AuthorId>;
    async fn authors(&self) -> StoreResult<Vec<Author>>;

    async fn upsert_tag(&self, slug: &Slug, name: &Localized) -> StoreResult<TagId>;
    async fn tags(&self) -> StoreResult<Vec<Tag>>;
}
