//! Live blogs (issue 17): an article made live takes timestamped entries — text, an
//! optional title, pictures and embeds through the same renderer and sanitizer as
//! articles, an author, a key-event flag and one pinned entry — until an editor ends
//! it; then it is an ordinary article with its entries.
//!
//! Entries go on the site at once, so they need the right to publish the article.
//! Each write is one change-feed row: the page cache purges the article's pages, and
//! every node's event stream sends the entry to its readers.

use crate::lifecycle::check;
use crate::{Content, ContentError};
use byline_core::{
    Action, ArticleId, EntryRevision, EntryText, LiveEntry, MAX_ENTRY_BODY, MAX_ENTRY_TITLE,
    PAGE_ENTRIES, User,
};
use byline_render::render_markdown_with_media;
use byline_store::{NOT_LIVE, StoreError, TAKEN_DOWN};

/// An entry as written in a form or an API request.
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    pub title: String,
    pub body: String,
    /// An author's slug; empty for none.
    pub author: String,
    pub key_event: bool,
    pub pinned: bool,
}

/// The most entries one request for entries returns.
pub const MAX_ENTRIES_PER_REQUEST: u32 = 200;

/// A refusal from the store as the field message the form shows.
fn refused(e: StoreError) -> ContentError {
    match e {
        StoreError::Conflict(NOT_LIVE) => ContentError::invalid(
            "entry_body",
            "this live blog has ended (or is not live): make it live again to add entries",
        ),
        StoreError::Conflict(TAKEN_DOWN) => {
            ContentError::invalid("status", "the article was taken down")
        }
        other => other.into(),
    }
}

impl Content {
    /// Validates and renders an entry.
    async fn entry_text(&self, input: &EntryInput) -> Result<EntryText, ContentError> {
        let title = crate::write::one_line(&input.title);
        if title.chars().count() > MAX_ENTRY_TITLE {
            return Err(ContentError::invalid(
                "entry_title",
                format!("at most {MAX_ENTRY_TITLE} characters"),
            ));
        }
        let body = crate::write::without_controls(input.body.trim());
        if body.is_empty() {
            return Err(ContentError::invalid("entry_body", "write the entry"));
        }
        if body.chars().count() > MAX_ENTRY_BODY {
            return Err(ContentError::invalid(
                "entry_body",
                format!("at most {MAX_ENTRY_BODY} characters"),
            ));
        }
        let author = match input.author.trim() {
            "" => None,
            slug => Some(
                self.catalog()
                    .author_by_slug(slug)
                    .map(|a| a.id)
                    .ok_or_else(|| {
                        ContentError::invalid("entry_author", format!("no author {slug:?}"))
                    })?,
            ),
        };
        let media = self.media_for_body(&body).await?;
        let rendered = render_markdown_with_media(&body, &media)
            .map_err(|e| ContentError::invalid("entry_body", e.to_string()))?;
        Ok(EntryText {
            title,
            body_markdown: body,
            body_html: rendered.html,
            author,
            key_event: input.key_event,
            pinned: input.pinned,
        })
    }

    async fn check_live_right(&self, actor: &User, id: ArticleId) -> Result<(), ContentError> {
        let meta = self.store.article_meta(id).await?;
        check(actor, Action::Publish, &meta)
    }

    /// After an entry write: the audit line, and this node's followers told at once.
    async fn entry_written(
        &self,
        actor: &User,
        action: &str,
        entry: LiveEntry,
    ) -> Result<LiveEntry, ContentError> {
        self.audit(
            Some(actor),
            action,
            "article",
            entry.article.0,
            summary(&entry),
        )
        .await?;
        self.announce_articles(&[entry.article]).await;
        Ok(entry)
    }

    /// Makes article `id` a live blog (`on`) or ends it. Making an ended one live again
    /// resumes it (its coverage keeps its start).
    pub async fn set_live(
        &self,
        actor: &User,
        id: ArticleId,
        on: bool,
    ) -> Result<(), ContentError> {
        self.check_live_right(actor, id).await?;
        let article = self.store.article(id).await?;
        let now = self.clock().now();
        if on {
            self.store.start_live(id, now).await.map_err(refused)?;
        } else {
            match self.store.end_live(id, now).await {
                Ok(()) => {}
                // Ending what is not live is already done.
                Err(StoreError::Conflict(NOT_LIVE)) => return Ok(()),
                Err(e) => return Err(refused(e)),
            }
        }
        let action = if on { "live_started" } else { "live_ended" };
        self.audit(Some(actor), action, "article", id.0, article.title)
            .await?;
        self.announce_articles(&[id]).await;
        Ok(())
    }

    /// Posts an entry to live article `id`; it is on the site at once.
    pub async fn post_entry(
        &self,
        actor: &User,
        id: ArticleId,
        input: &EntryInput,
    ) -> Result<LiveEntry, ContentError> {
        self.check_live_right(actor, id).await?;
        let text = self.entry_text(input).await?;
        // A key event is also a notification for the readers who asked for those (the
        // store queues it only while the article is published).
        let push = match text.key_event && self.push_keys.is_some() {
            true => {
                let article = self.store.article(id).await?;
                self.key_event_notice(&article, &text.title, &text.body_markdown)
            }
            false => None,
        };
        let entry = self
            .store
            .add_entry(id, &text, self.clock().now(), Some(actor.id), push.as_ref())
            .await
            .map_err(refused)?;
        self.entry_written(actor, "entry_posted", entry).await
    }

    /// Replaces entry `entry` of article `id` (the old version is kept).
    pub async fn edit_entry(
        &self,
        actor: &User,
        id: ArticleId,
        entry: i64,
        input: &EntryInput,
    ) -> Result<LiveEntry, ContentError> {
        self.check_live_right(actor, id).await?;
        let text = self.entry_text(input).await?;
        let entry = self
            .store
            .edit_entry(id, entry, &text, self.clock().now(), Some(actor.id))
            .await
            .map_err(refused)?;
        self.entry_written(actor, "entry_edited", entry).await
    }

    /// Deletes entry `entry` of article `id` (its last version is kept).
    pub async fn delete_entry(
        &self,
        actor: &User,
        id: ArticleId,
        entry: i64,
    ) -> Result<LiveEntry, ContentError> {
        self.check_live_right(actor, id).await?;
        let entry = self
            .store
            .delete_entry(id, entry, self.clock().now(), Some(actor.id))
            .await
            .map_err(refused)?;
        self.entry_written(actor, "entry_deleted", entry).await
    }

    /// Starts a live blog and posts entries as given (ending it at `ended`), with no
    /// actor and no check of rights (the demo outlet): like
    /// [`import_article`](Self::import_article).
    pub async fn import_live_blog(
        &self,
        id: ArticleId,
        entries: &[(jiff::Timestamp, EntryInput)],
        ended: Option<jiff::Timestamp>,
    ) -> Result<(), ContentError> {
        let first = entries.iter().map(|(at, _)| *at).min();
        self.store
            .start_live(id, first.unwrap_or_else(|| self.clock().now()))
            .await
            .map_err(refused)?;
        for (at, input) in entries {
            let text = self.entry_text(input).await?;
            self.store
                .add_entry(id, &text, *at, None, None)
                .await
                .map_err(refused)?;
        }
        if let Some(at) = ended {
            self.store.end_live(id, at).await.map_err(refused)?;
        }
        self.announce_articles(&[id]).await;
        Ok(())
    }

    /// The entries a live page shows: the newest [`PAGE_ENTRIES`], newest first.
    pub async fn live_entries(&self, id: ArticleId) -> Result<Vec<LiveEntry>, ContentError> {
        Ok(self.store.live_entries(id, PAGE_ENTRIES).await?)
    }

    /// Entries written after change-feed position `after` (deleted ones included), in
    /// order: what a reader who saw `after` missed.
    pub async fn live_entries_since(
        &self,
        id: ArticleId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<LiveEntry>, ContentError> {
        Ok(self
            .store
            .live_entries_since(id, after.max(0), limit.clamp(1, MAX_ENTRIES_PER_REQUEST))
            .await?)
    }

    /// One entry of article `id`, for whoever may publish it.
    pub async fn live_entry(
        &self,
        actor: &User,
        id: ArticleId,
        entry: i64,
    ) -> Result<(LiveEntry, Vec<EntryRevision>), ContentError> {
        self.check_live_right(actor, id).await?;
        let e = self.store.live_entry(id, entry).await?;
        let revisions = self.store.entry_revisions(entry).await?;
        Ok((e, revisions))
    }
}

/// The audit line's words: the entry's title, or the start of its text.
fn summary(e: &LiveEntry) -> String {
    let words = if e.title.is_empty() {
        &e.body_markdown
    } else {
        &e.title
    };
    let short: String = words.chars().take(120).collect();
    format!("entry {}: {short}", e.id)
}
