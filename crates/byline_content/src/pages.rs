//! Static pages (About, Contacts, Privacy, …): written and ordered in the newsroom by
//! those who may `manage_pages`, read by the site and the Content API when published.
//! Their bodies go through the same Markdown renderer and sanitizer as articles'.

use crate::newsroom_admin::require;
use crate::write::{optional_text, single_line, without_controls};
use crate::{Content, ContentError, MAX_SUBTITLE, slugify};
use byline_core::{Action, NewPage, PageId, PageStatus, Slug, StaticPage, User};
use byline_render::render_markdown_with_media;
use byline_store::Imported;

/// Highest footer place an editor can give (the footer is short; this bounds the input).
pub const MAX_FOOTER_POSITION: i64 = 999;

/// A page as an editor writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    pub edition: String,
    /// Empty: made from the title.
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
    pub description: Option<String>,
    pub status: PageStatus,
    /// `None`: not in the footer.
    pub footer_position: Option<i64>,
}

impl Content {
    /// Every page of every edition, drafts included, for the newsroom.
    pub async fn newsroom_pages(&self, actor: &User) -> Result<Vec<StaticPage>, ContentError> {
        require(actor, Action::ManagePages)?;
        Ok(self.store.pages().await?)
    }

    /// One page for its editor.
    pub async fn newsroom_page(
        &self,
        actor: &User,
        id: PageId,
    ) -> Result<StaticPage, ContentError> {
        require(actor, Action::ManagePages)?;
        Ok(self.store.page(id).await?)
    }

    /// Creates (`id` `None`) or replaces a page, with an audit line.
    pub async fn save_page(
        &self,
        actor: &User,
        id: Option<PageId>,
        input: PageInput,
    ) -> Result<PageId, ContentError> {
        require(actor, Action::ManagePages)?;
        let new = self.page_validated(input).await?;
        let now = self.clock().now();
        let id = match id {
            Some(id) => {
                self.store
                    .update_page(id, &new, now)
                    .await
                    .map_err(page_slug_conflict)?;
                id
            }
            None => self
                .store
                .create_page(&new, now)
                .await
                .map_err(page_slug_conflict)?,
        };
        self.announce_taxonomy().await;
        self.audit(
            Some(actor),
            "page_saved",
            "page",
            id.0,
            format!("/{}/page/{} ({})", new.edition, new.slug, new.status),
        )
        .await?;
        Ok(id)
    }

    /// Validates and stores a new page with no owner and no audit line, as given, last
    /// saved `at` (the demo outlet). Staff write pages with [`save_page`](Self::save_page).
    pub async fn import_page(
        &self,
        input: PageInput,
        at: jiff::Timestamp,
    ) -> Result<PageId, ContentError> {
        let new = self.page_validated(input).await?;
        let id = self
            .store
            .create_page(&new, at)
            .await
            .map_err(page_slug_conflict)?;
        self.announce_taxonomy().await;
        Ok(id)
    }

    /// Removes a page for good, with an audit line.
    pub async fn delete_page(&self, actor: &User, id: PageId) -> Result<(), ContentError> {
        require(actor, Action::ManagePages)?;
        let page = self.store.page(id).await?;
        self.store.delete_page(id).await?;
        self.announce_taxonomy().await;
        self.audit(
            Some(actor),
            "page_deleted",
            "page",
            id.0,
            format!("/{}/page/{}", page.edition, page.slug),
        )
        .await
    }

    /// The published page at `/{edition}/page/{slug}`.
    pub async fn published_page(
        &self,
        edition: &str,
        slug: &str,
    ) -> Result<Option<StaticPage>, ContentError> {
        Ok(self
            .store
            .page_by_slug(edition, slug)
            .await?
            .filter(|p| p.status == PageStatus::Published))
    }

    /// One published page by id (the Content API).
    pub async fn published_page_by_id(&self, id: PageId) -> Result<StaticPage, ContentError> {
        match self.store.page(id).await? {
            p if p.status == PageStatus::Published => Ok(p),
            _ => Err(ContentError::NotFound),
        }
    }

    /// The published pages, of one edition or all, in footer order.
    pub async fn published_pages(
        &self,
        edition: Option<&str>,
    ) -> Result<Vec<StaticPage>, ContentError> {
        Ok(self
            .store
            .pages()
            .await?
            .into_iter()
            .filter(|p| p.status == PageStatus::Published)
            .filter(|p| edition.is_none_or(|e| p.edition == e))
            .collect())
    }

    /// Writes an imported page keyed by its source and source id (see
    /// [`Content::import_source_article`]).
    pub async fn import_source_page(
        &self,
        source: &str,
        source_id: &str,
        input: PageInput,
    ) -> Result<(PageId, Imported), ContentError> {
        let fingerprint = crate::import::fingerprint(&format!("{input:?}"));
        let new = self.page_validated(input).await?;
        let (id, outcome) = self
            .store
            .import_page(source, source_id, &fingerprint, &new, self.clock().now())
            .await?; // a taken slug is a Conflict: the importer tries a suffix
        // Only the followers are told: each catalog reload reads every page, so
        // reloading here once per imported page would be quadratic in an import's
        // pages; the content follower reloads once per batch of changes instead.
        if outcome != Imported::Unchanged {
            self.announce().await;
        }
        Ok((id, outcome))
    }

    async fn page_validated(&self, input: PageInput) -> Result<NewPage, ContentError> {
        let catalog = self.catalog();
        if !catalog.settings.has_edition(&input.edition) {
            return Err(ContentError::invalid(
                "edition",
                format!("no edition {:?}", input.edition),
            ));
        }
        let title = single_line(&input.title).trim().to_owned();
        if title.is_empty() {
            return Err(ContentError::invalid("title", "the title is empty"));
        }
        if title.chars().count() > crate::write::MAX_TITLE {
            return Err(ContentError::invalid(
                "title",
                format!(
                    "the title is longer than {} characters",
                    crate::write::MAX_TITLE
                ),
            ));
        }
        let slug = match input.slug.trim() {
            "" => slugify(&title),
            given => given.to_owned(),
        };
        let slug = Slug::parse(&slug).map_err(|e| ContentError::invalid("slug", e.to_string()))?;
        let body_markdown = without_controls(&input.body_markdown);
        if body_markdown.len() > crate::write::MAX_BODY {
            return Err(ContentError::invalid(
                "body",
                format!("the body is larger than {} bytes", crate::write::MAX_BODY),
            ));
        }
        let description = optional_text(
            input.description.map(|d| single_line(&d)),
            "description",
            MAX_SUBTITLE,
        )?;
        if let Some(p) = input.footer_position
            && !(0..=MAX_FOOTER_POSITION).contains(&p)
        {
            return Err(ContentError::invalid(
                "footer_position",
                format!("the footer place is a number from 0 to {MAX_FOOTER_POSITION}"),
            ));
        }
        let media = self.media_for_body(&body_markdown).await?;
        let body = render_markdown_with_media(&body_markdown, &media)
            .map_err(|e| ContentError::invalid("body", e.to_string()))?;
        Ok(NewPage {
            edition: input.edition,
            slug,
            title,
            body_markdown,
            body_html: body.html,
            description,
            status: input.status,
            footer_position: input.footer_position,
        })
    }
}

fn page_slug_conflict(e: byline_store::StoreError) -> ContentError {
    match e {
        byline_store::StoreError::Conflict(_) => ContentError::invalid(
            "slug",
            "another page in this edition already has this address",
        ),
        other => other.into(),
    }
}
