//! Static pages (About, Contacts, …): one edition each, in the footer in the order an
//! editor sets. Every write records a `page` change in its own transaction.

use crate::{Imported, StoreResult};
use async_trait::async_trait;
use byline_core::{NewPage, PageId, StaticPage};
use jiff::Timestamp;

#[async_trait]
pub trait PageStore: Send + Sync {
    /// Adds a page. `Conflict` when its slug is taken in its edition.
    async fn create_page(&self, page: &NewPage, at: Timestamp) -> StoreResult<PageId>;
    /// Replaces a page's content (`updated_at` becomes `at`). `NotFound`, `Conflict`.
    async fn update_page(&self, id: PageId, page: &NewPage, at: Timestamp) -> StoreResult<()>;
    /// Removes a page for good. `NotFound` when there is none.
    async fn delete_page(&self, id: PageId) -> StoreResult<()>;
    /// `NotFound` when there is none.
    async fn page(&self, id: PageId) -> StoreResult<StaticPage>;
    /// The page at this address of an edition, whatever its status.
    async fn page_by_slug(&self, edition: &str, slug: &str) -> StoreResult<Option<StaticPage>>;
    /// Every page: by edition, then footer position (pages outside the footer last),
    /// then title.
    async fn pages(&self) -> StoreResult<Vec<StaticPage>>;
    /// Creates the page, or replaces the one imported before from the same item (see
    /// `ImportStore::import_article`: same keys, same fingerprint rule). A footer
    /// position an editor set since is kept.
    async fn import_page(
        &self,
        source: &str,
        source_id: &str,
        fingerprint: &str,
        page: &NewPage,
        at: Timestamp,
    ) -> StoreResult<(PageId, Imported)>;
}
