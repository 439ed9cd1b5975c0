//! Imports from another CMS and the old addresses they leave behind: what each item of
//! an export became (so a second run updates instead of adding) and the `redirects`
//! the reader site answers with a 301 where it would otherwise say 404.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{ArticleId, AuthorId, Localized, NewArticle, SectionId, Slug, TagId};

/// What an import write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Created,
    Updated,
    /// The item was written before with the same fingerprint: nothing was written.
    Unchanged,
}

/// Byline kinds an imported item can become (the `kind` of `import_sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Article,
    Section,
    Tag,
    Author,
    Media,
    /// A static page.
    Page,
    /// A translation group: the source's key for a set of translations → the group id.
    TranslationGroup,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Section => "section",
            Self::Tag => "tag",
            Self::Author => "author",
            Self::Media => "media",
            Self::Page => "page",
            Self::TranslationGroup => "translation_group",
        }
    }
}

/// Who made a redirect: an import's redirects never replace an admin's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectOrigin {
    Import,
    Admin,
}

impl RedirectOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Admin => "admin",
        }
    }
}

/// An old address and its new home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Normalized: decoded, lowercase, no trailing slash, with the query that
    /// addressed an item when there was one (`/?p=42`).
    pub path: String,
    /// The new address (a root-relative path).
    pub target: String,
    pub origin: RedirectOrigin,
    pub created_at: jiff::Timestamp,
}

/// A section, tag or author as an import hands it in.
#[derive(Debug, Clone)]
pub struct ImportedTerm<'a> {
    /// `wordpress`, `ghost`.
    pub source: &'a str,
    pub source_id: &'a str,
    pub slug: &'a Slug,
    pub name: &'a Localized,
    /// A section's description, an author's bio; unused for tags.
    pub text: &'a Localized,
    /// A hash of what is written: an unchanged term is not written again.
    pub fingerprint: &'a str,
}

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// What the item `source_id` of `source` became, when it was imported before.
    async fn imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
    ) -> StoreResult<Option<i64>>;
    /// Records what an item became (pictures, translation groups: written elsewhere).
    async fn record_imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
        target_id: i64,
    ) -> StoreResult<()>;
    /// Creates the article, or replaces the one imported before from the same item,
    /// and records which it is: one transaction, with its change-feed row. An item
    /// whose `fingerprint` is unchanged is not written. `Conflict` when its slug is
    /// taken in its edition by another article.
    async fn import_article(
        &self,
        source: &str,
        source_id: &str,
        fingerprint: &str,
        article: &NewArticle,
    ) -> StoreResult<(ArticleId, Imported)>;
    /// A section: the one imported before from the same item (its names and
    /// description replaced), else the outlet's section with that slug (linked, left
    /// as the outlet has it), else a new one at the end. One transaction.
    async fn import_section(&self, term: &ImportedTerm<'_>) -> StoreResult<(SectionId, Imported)>;
    /// A tag, by the same rules as [`Self::import_section`].
    async fn import_tag(&self, term: &ImportedTerm<'_>) -> StoreResult<(TagId, Imported)>;
    /// An author profile, by the same rules as [`Self::import_section`].
    async fn import_author(&self, term: &ImportedTerm<'_>) -> StoreResult<(AuthorId, Imported)>;

    /// Saves a redirect; an import's never replaces an admin's. Answers whether a row
    /// was added or changed.
    async fn save_redirect(
        &self,
        path: &str,
        target: &str,
        origin: RedirectOrigin,
    ) -> StoreResult<bool>;
    /// Saves many redirects of one origin in one transaction, by the rules of
    /// [`Self::save_redirect`] (an import's never replaces an admin's); a path given
    /// twice keeps its last target. Answers how many rows were added or changed. An
    /// import leaves hundreds of thousands: one transaction per redirect would be one
    /// fsync each.
    async fn save_redirects(
        &self,
        redirects: &[(String, String)],
        origin: RedirectOrigin,
    ) -> StoreResult<u64>;
    /// Where an old address (normalized like [`Redirect::path`]) leads now.
    async fn redirect(&self, path: &str) -> StoreResult<Option<String>>;
    /// Every redirect, by path.
    async fn redirects(&self) -> StoreResult<Vec<Redirect>>;
    /// Up to `limit` redirects after path `after` (`""`: from the start), by path, whose
    /// old or new address contains `containing` (`""`: all): the newsroom's pages of a
    /// list that an import can make hundreds of thousands long.
    async fn redirects_page(
        &self,
        containing: &str,
        after: &str,
        limit: i64,
    ) -> StoreResult<Vec<Redirect>>;
    /// Removes the redirect from `path`; answers whether there was one.
    async fn delete_redirect(&self, path: &str) -> StoreResult<bool>;
    /// Refreshes the query planner's statistics of every table (`ANALYZE`): after a
    /// bulk write (an import, the demo's load), so the first readers' queries take the
    /// indexes their filters name. SQLite keeps none until asked, and a PostgreSQL
    /// without autovacuum (or before it runs) plans from guesses: an article by its
    /// slug was read by scanning every published story (docs/PERFORMANCE.md). Every
    /// reading connection plans with the new statistics from its next statement.
    async fn analyze(&self) -> StoreResult<()>;
}
