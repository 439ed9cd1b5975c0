//! Creating an article in one step: the permission checks, the article with its first
//! revision, where it starts (a draft, published, scheduled), its audit line and the
//! client's idempotency key all go to the store in one transaction. A create therefore
//! leaves one article and one change-feed row, or nothing at all; a retry with the same
//! key finds the article its first request made. The newsroom's drafts and translations
//! are made the same way (as drafts, without a key).

use crate::lifecycle::slugify;
use crate::{ArticleForm, Content, ContentError};
use byline_core::{
    Action, Article, ArticleId, ArticleStatus, NewAuditEntry, Ownership, User, allowed,
};
use byline_store::{IdempotencyClaim, IdempotentRecord, OwnedCreate, StoreError};
use jiff::Timestamp;

/// Where a new article starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartAs {
    Draft,
    Published,
    /// Published by the scheduler at this (future) time.
    Scheduled(Timestamp),
}

impl StartAs {
    /// What the creator must be allowed to do (besides creating a draft).
    fn action(self) -> Action {
        match self {
            StartAs::Draft => Action::CreateDraft,
            StartAs::Published => Action::Publish,
            StartAs::Scheduled(_) => Action::Schedule,
        }
    }

    fn status(self) -> ArticleStatus {
        match self {
            StartAs::Draft => ArticleStatus::Draft,
            StartAs::Published => ArticleStatus::Published,
            StartAs::Scheduled(_) => ArticleStatus::Scheduled,
        }
    }

    /// The audit line's verb.
    fn verb(self) -> &'static str {
        match self {
            StartAs::Draft => "created",
            StartAs::Published => "published",
            StartAs::Scheduled(_) => "scheduled",
        }
    }
}

/// A client's key for retrying a create safely (the Admin API's `Idempotency-Key`).
#[derive(Debug, Clone, Copy)]
pub struct IdempotencyKey<'a> {
    pub key: &'a str,
    /// A digest of the request, telling a retry from another request under the same key.
    pub request_hash: &'a str,
}

/// What [`Content::create_article`] did.
#[derive(Debug, Clone)]
pub enum Created {
    /// The new article.
    New(Box<Article>),
    /// The key's first request made this article; nothing new was made.
    Replayed(Box<Article>),
    /// The key was used with another request; nothing was made.
    KeyReused,
}

impl Content {
    /// Creates an article owned by `actor` from `form`, starting as `start`, in one
    /// transaction (see the module). With `once`, a retry of the same request gets the
    /// article the first one made.
    pub async fn create_article(
        &self,
        actor: &User,
        form: &ArticleForm,
        start: StartAs,
        once: Option<IdempotencyKey<'_>>,
    ) -> Result<Created, ContentError> {
        match self.create_owned(actor, form, None, start, once).await? {
            OwnedCreate::Created { id, .. } => {
                Ok(Created::New(Box::new(self.store.article(id).await?)))
            }
            OwnedCreate::Seen(IdempotentRecord { request_hash, .. })
                if once.is_some_and(|k| k.request_hash != request_hash) =>
            {
                Ok(Created::KeyReused)
            }
            OwnedCreate::Seen(IdempotentRecord {
                article: Some(id), ..
            }) => Ok(Created::Replayed(Box::new(self.store.article(id).await?))),
            OwnedCreate::Seen(IdempotentRecord { article: None, .. }) => {
                Err(ContentError::Conflict(
                    "this Idempotency-Key names no article (an earlier request under it did not finish); use another key".into(),
                ))
            }
        }
    }

    /// The newsroom's new draft or translation (`translation_of`), or an API create.
    /// An empty slug is made from the title (with a number added while it is taken in
    /// the edition). Returns the id and first revision of a new article.
    pub(crate) async fn create_owned(
        &self,
        actor: &User,
        form: &ArticleForm,
        translation_of: Option<ArticleId>,
        start: StartAs,
        once: Option<IdempotencyKey<'_>>,
    ) -> Result<OwnedCreate, ContentError> {
        let may = |action| allowed(actor.role, action, Ownership::Own);
        if !may(Action::CreateDraft) || !may(start.action()) {
            return Err(ContentError::Forbidden);
        }
        let now = self.clock().now();
        if let StartAs::Scheduled(at) = start
            && at <= now
        {
            return Err(ContentError::invalid(
                "publish_at",
                "the time is in the past; pick a later one or publish now",
            ));
        }
        let cover = self.form_picture("cover", &form.cover, None).await?;
        let social_image = self
            .form_picture("social_image", &form.social_image, None)
            .await?;
        let generated = form.slug.trim().is_empty();
        let base = if generated {
            slugify(&form.title)
        } else {
            form.slug.trim().to_owned()
        };
        let summary = match start {
            StartAs::Scheduled(at) => format!("{} (for {at})", form.title.trim()),
            _ => form.title.trim().to_owned(),
        };
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            actor_email: actor.email.clone(),
            action: start.verb().to_owned(),
            entity_kind: "article".to_owned(),
            entity_id: 0, // the store sets the new article's id
            summary,
        };
        let claim = once.map(|k| IdempotencyClaim {
            key: k.key.to_owned(),
            request_hash: k.request_hash.to_owned(),
            now,
        });
        let tags = self.form_tags(actor, form).await?;
        let mut attempt = 1;
        let made = loop {
            let mut input = self.input_from(form, None);
            input.tags = tags.clone();
            input.cover = cover.clone();
            input.seo.image = social_image.clone();
            input.translation_of = translation_of;
            input.status = start.status();
            input.published_at = match start {
                StartAs::Scheduled(at) => Some(at),
                _ => None, // a publish takes the clock's time
            };
            input.slug = if attempt == 1 {
                base.clone()
            } else {
                format!("{base}-{attempt}")
            };
            let new = self.validated(input).await?;
            match self
                .store
                .create_owned_article(&new, actor.id, &audit, claim.as_ref())
                .await
            {
                Ok(made) => break made,
                Err(StoreError::Conflict(_)) if generated && attempt < 50 => attempt += 1,
                Err(e) => return Err(crate::write::slug_conflict(e)),
            }
        };
        if let OwnedCreate::Created { id, .. } = made {
            self.announce_articles(&[id]).await;
        }
        Ok(made)
    }
}
