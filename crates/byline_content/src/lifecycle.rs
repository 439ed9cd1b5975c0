//! The article lifecycle in the newsroom: drafts, revisioned saves with conflict
//! detection, and the moves draft → in review → scheduled → published → unpublished,
//! soft delete and restore. Every call is checked against the permission matrix
//! (`byline_core::roles`) and written to the audit log.

use crate::create::StartAs;
use crate::{ArticleInput, Content, ContentError};
use byline_core::{
    Action, Article, ArticleId, ArticleMeta, ArticleStatus, Cover, MediaId, NoticeKind, Ownership,
    Revision, Role, Seo, Slug, User, allowed,
};
use byline_store::{OwnedCreate, RevisionSave, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The article form as typed. Lists (tags, authors) are comma-separated slugs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleForm {
    pub edition: String,
    pub section: String,
    pub title: String,
    pub subtitle: String,
    /// Empty: made from the title.
    pub slug: String,
    pub body: String,
    pub tags: String,
    pub authors: String,
    pub seo_title: String,
    pub seo_description: String,
    /// The cover: `media:ID` for a library picture, the current cover's URL to keep
    /// it, empty for none.
    pub cover: String,
    /// The social card's picture, like `cover` (empty: the cover is used).
    pub social_image: String,
}

impl ArticleForm {
    /// The form filled from a stored article (slugs of its tags and authors).
    pub fn from_article(content: &Content, a: &Article) -> Self {
        let catalog = content.catalog();
        let tag_slugs: Vec<String> = a
            .tags
            .iter()
            .filter_map(|id| catalog.tags.iter().find(|t| t.id == *id))
            .map(|t| t.slug.to_string())
            .collect();
        let author_slugs: Vec<String> = a
            .authors
            .iter()
            .filter_map(|id| catalog.authors.iter().find(|x| x.id == *id))
            .map(|x| x.slug.to_string())
            .collect();
        let section = catalog
            .sections
            .iter()
            .find(|s| s.id == a.section)
            .map(|s| s.slug.to_string())
            .unwrap_or_default();
        Self {
            edition: a.edition.clone(),
            section,
            title: a.title.clone(),
            subtitle: a.subtitle.clone(),
            slug: a.slug.to_string(),
            body: a.body_markdown.clone(),
            tags: tag_slugs.join(", "),
            authors: author_slugs.join(", "),
            seo_title: a.seo.title.clone().unwrap_or_default(),
            seo_description: a.seo.description.clone().unwrap_or_default(),
            cover: a.cover.as_ref().map(|c| c.url.clone()).unwrap_or_default(),
            social_image: a
                .seo
                .image
                .as_ref()
                .map(|c| c.url.clone())
                .unwrap_or_default(),
        }
    }
}

/// What a save did.
#[derive(Debug, Clone)]
pub enum SaveOutcome {
    Saved {
        revision: i64,
    },
    /// Someone saved in between: the typed text is kept as revision `kept` (never
    /// applied) and `current` is what is stored now.
    Stale {
        kept: Revision,
        current: Box<Article>,
        current_revision: i64,
    },
}

/// A move between statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Publish,
    Schedule(Timestamp),
    Unpublish,
    Delete,
    Restore,
}

impl Transition {
    pub fn action(self) -> Action {
        match self {
            Transition::Submit => Action::SubmitForReview,
            Transition::Publish => Action::Publish,
            Transition::Schedule(_) => Action::Schedule,
            Transition::Unpublish => Action::Unpublish,
            Transition::Delete => Action::Delete,
            Transition::Restore => Action::UndoDelete,
        }
    }

    /// Whether the move makes sense from `from` (checked after the permission).
    fn valid_from(self, from: ArticleStatus) -> bool {
        use ArticleStatus::*;
        match self {
            Transition::Submit => matches!(from, Draft | Unpublished),
            Transition::Publish => matches!(from, Draft | InReview | Scheduled | Unpublished),
            Transition::Schedule(_) => matches!(from, Draft | InReview | Scheduled | Unpublished),
            Transition::Unpublish => matches!(from, Published | Scheduled),
            // A takedown is undone by an admin's reinstatement only, never by a
            // delete and restore.
            Transition::Delete => !matches!(from, Deleted | TakenDown),
            Transition::Restore => from == Deleted,
        }
    }
}

/// One line of a revision diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub kind: &'static str,
    pub text: String,
}

/// A line diff of two texts (title, subtitle and body as one document), by `similar`.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            kind: match c.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Insert => "added",
                similar::ChangeTag::Delete => "removed",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

fn revision_text(r: &Revision) -> String {
    format!("# {}\n{}\n\n{}\n", r.title, r.subtitle, r.body_markdown)
}

/// A URL slug from a title in any script: transliterated to ASCII by `deunicode`
/// (Russian "Привет мир" → `privet-mir`, Armenian too), lowercased, everything else a
/// hyphen. `deunicode` is maintained, dependency-free and covers Cyrillic and Armenian,
/// which is what our editions need.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    let max = byline_core::slug::MAX_SLUG_LEN - 4; // room for a "-N" suffix
    if slug.len() > max {
        slug.truncate(max);
        if let Some(cut) = slug.rfind('-') {
            slug.truncate(cut);
        }
    }
    if slug.is_empty() {
        slug = "article".into();
    }
    slug
}

/// The article is the actor's own when they created it or it is assigned to them as
/// its writer.
fn ownership(actor: &User, meta: &ArticleMeta) -> Ownership {
    if meta.owner == Some(actor.id) || meta.writer == Some(actor.id) {
        Ownership::Own
    } else {
        Ownership::Others
    }
}

pub(crate) fn check(actor: &User, action: Action, meta: &ArticleMeta) -> Result<(), ContentError> {
    if allowed(actor.role, action, ownership(actor, meta)) {
        Ok(())
    } else {
        Err(ContentError::Forbidden)
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Content {
    /// An article as the newsroom shows it, if `actor` may see it (403 otherwise,
    /// without saying anything about it).
    pub async fn newsroom_article(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<(Article, ArticleMeta), ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        if article.status == ArticleStatus::Deleted {
            if actor.role != Role::Admin {
                return Err(ContentError::Forbidden);
            }
        } else {
            check(actor, Action::Edit, &meta)?;
        }
        Ok((article, meta))
    }

    /// Converts the form into the content service's input, keeping what the form does
    /// not show (status, cover, featured, publish time) from `existing`.
    pub(crate) fn input_from(
        &self,
        form: &ArticleForm,
        existing: Option<&Article>,
    ) -> ArticleInput {
        ArticleInput {
            edition: form.edition.trim().to_owned(),
            section: form.section.trim().to_owned(),
            slug: form.slug.trim().to_owned(),
            title: form.title.clone(),
            subtitle: form.subtitle.clone(),
            body_markdown: form.body.clone(),
            cover: existing.and_then(|a| a.cover.clone()),
            authors: split_list(&form.authors),
            tags: split_list(&form.tags),
            status: existing.map_or(ArticleStatus::Draft, |a| a.status),
            featured: existing.is_some_and(|a| a.featured),
            published_at: existing.and_then(|a| a.published_at),
            translation_of: existing.map(|a| a.id),
            seo: Seo {
                title: Some(form.seo_title.clone()),
                description: Some(form.seo_description.clone()),
                image: existing.and_then(|a| a.seo.image.clone()),
            },
        }
    }

    /// The form's tags as slugs: each entry a tag's slug or its name (in any edition,
    /// any case). An entry written `+Name` asks for a new tag: editors get it there and
    /// then (named in the article's edition, its slug made from the name; an existing
    /// tag of that name is simply chosen); for anyone else, and for an entry that names
    /// no tag, it is a field message, since only editors add to the outlet's tags.
    pub(crate) async fn form_tags(
        &self,
        actor: &User,
        form: &ArticleForm,
    ) -> Result<Vec<String>, ContentError> {
        let catalog = self.catalog();
        let mut slugs = Vec::new();
        for entry in split_list(&form.tags) {
            let (wants_new, entry) = match entry.strip_prefix('+') {
                Some(name) => (true, name.trim().to_owned()),
                None => (false, entry),
            };
            let lower = entry.to_lowercase();
            let known = catalog.tags.iter().find(|t| {
                t.slug.as_str() == lower || t.name.0.values().any(|n| n.to_lowercase() == lower)
            });
            let slug = match known {
                Some(t) => t.slug.to_string(),
                None if wants_new
                    && !entry.is_empty()
                    && allowed(actor.role, Action::ManageSectionsAndTags, Ownership::Own) =>
                {
                    let name: String = crate::write::single_line(&entry)
                        .trim()
                        .chars()
                        .take(100)
                        .collect();
                    if !name.chars().any(char::is_alphanumeric) {
                        return Err(ContentError::invalid(
                            "tags",
                            format!("a tag's name needs letters or digits: {entry:?}"),
                        ));
                    }
                    let slug = slugify(&name);
                    // A tag with that address already: it is chosen, never renamed.
                    if catalog.tag_by_slug(&slug).is_none() {
                        let edition = form.edition.trim();
                        let edition = if catalog.settings.has_edition(edition) {
                            edition
                        } else {
                            catalog.settings.default_edition()
                        };
                        self.put_tag(
                            &slug,
                            &byline_core::Localized::from_pairs([(edition, name.as_str())]),
                        )
                        .await?;
                        tracing::info!(actor = %actor.id, %slug, "tag created from the editor");
                    }
                    slug
                }
                None if wants_new => {
                    return Err(ContentError::invalid(
                        "tags",
                        format!(
                            "only editors add new tags: choose one from the list instead of {entry:?}"
                        ),
                    ));
                }
                None => {
                    return Err(ContentError::invalid(
                        "tags",
                        format!(
                            "{entry:?} is not one of the outlet's tags; choose one from the list"
                        ),
                    ));
                }
            };
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        Ok(slugs)
    }

    /// The picture a form field asks for (the cover, the social card's picture): kept
    /// when it names the current one, else a library picture by `media:ID` (or just the
    /// number); none when empty.
    pub(crate) async fn form_picture(
        &self,
        field: &'static str,
        typed: &str,
        current: Option<&Cover>,
    ) -> Result<Option<Cover>, ContentError> {
        let raw = typed.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if let Some(current) = current
            && current.url == raw
        {
            return Ok(Some(current.clone()));
        }
        let id = raw
            .strip_prefix("media:")
            .unwrap_or(raw)
            .trim()
            .parse::<i64>()
            .map_err(|_| {
                ContentError::invalid(
                    field,
                    "choose a picture from the library (media: and its number)",
                )
            })?;
        match self.store.media(MediaId(id)).await {
            Ok(item) => Ok(Some(item.cover())),
            Err(StoreError::NotFound) => Err(ContentError::invalid(
                field,
                format!("there is no picture media:{id} in the library"),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates a draft owned by `actor`. An empty slug is made from the title (with a
    /// number added while it is taken in the edition).
    pub async fn create_draft(
        &self,
        actor: &User,
        form: &ArticleForm,
    ) -> Result<(ArticleId, i64), ContentError> {
        self.create_draft_of(actor, form, None).await
    }

    /// "Create translation": a draft in `edition` owned by `actor`, starting from the
    /// text of article `source` (to be translated) and linked to it in its translation
    /// group, so each page offers the other once both are published.
    pub async fn create_translation(
        &self,
        actor: &User,
        source: ArticleId,
        edition: &str,
    ) -> Result<(ArticleId, i64), ContentError> {
        let (article, _) = self.newsroom_article(actor, source).await?;
        if article.status == ArticleStatus::TakenDown {
            // A copy to publish elsewhere would route around the takedown.
            return Err(ContentError::invalid(
                "translation",
                "this article was taken down: it cannot be translated until an admin reinstates it",
            ));
        }
        let edition = edition.trim();
        if !self.catalog().settings.has_edition(edition) {
            return Err(ContentError::invalid(
                "translation",
                format!("there is no edition {edition:?}"),
            ));
        }
        if edition == article.edition {
            return Err(ContentError::invalid(
                "translation",
                "choose another edition than the article's own",
            ));
        }
        let form = ArticleForm {
            edition: edition.to_owned(),
            slug: String::new(),
            ..ArticleForm::from_article(self, &article)
        };
        self.create_draft_of(actor, &form, Some(source)).await
    }

    async fn create_draft_of(
        &self,
        actor: &User,
        form: &ArticleForm,
        translation_of: Option<ArticleId>,
    ) -> Result<(ArticleId, i64), ContentError> {
        match self
            .create_owned(actor, form, translation_of, StartAs::Draft, None)
            .await?
        {
            OwnedCreate::Created { id, revision } => Ok((id, revision)),
            // Only a create with an idempotency key can find one.
            OwnedCreate::Seen(_) => Err(ContentError::Internal(anyhow::anyhow!(
                "a create without a key found one"
            ))),
        }
    }

    /// Saves the form over article `id` as a new revision, if nobody saved since
    /// `based_on`; otherwise keeps the text and reports the conflict.
    pub async fn save_article(
        &self,
        actor: &User,
        id: ArticleId,
        based_on: i64,
        form: &ArticleForm,
    ) -> Result<SaveOutcome, ContentError> {
        let existing = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        // Deleted while someone had it open: who could edit it before is told so
        // (and gets their text back), not just "not allowed".
        if existing.status == ArticleStatus::Deleted
            && actor.role != Role::Admin
            && check(actor, Action::Edit, &meta).is_ok()
        {
            return Err(ContentError::Deleted);
        }
        let action = match existing.status {
            ArticleStatus::Published => Action::Correct,
            ArticleStatus::Deleted => Action::UndoDelete,
            _ => Action::Edit,
        };
        check(actor, action, &meta)?;
        if existing.status == ArticleStatus::Deleted {
            return Err(ContentError::invalid(
                "status",
                "restore the article before editing it",
            ));
        }
        if existing.status == ArticleStatus::TakenDown {
            return Err(ContentError::invalid(
                "status",
                "this article was taken down: it cannot change until an admin reinstates it",
            ));
        }
        // A scheduled article goes live without another look: changing it takes the
        // right to schedule it. The owner who may not is told so, and the form keeps
        // what they typed.
        if existing.status == ArticleStatus::Scheduled
            && check(actor, Action::Schedule, &meta).is_err()
        {
            check(actor, Action::Edit, &meta)?;
            return Err(ContentError::invalid(
                "status",
                "this article is scheduled: only an editor can change it now (ask one to return it to review)",
            ));
        }
        // The revision a save is based on must be one of this article's (0: none yet).
        // A refused save is kept pointing at it and its diff prints it, so a foreign id
        // would show another article's text to whoever sent it.
        if based_on != 0 && !self.is_revision_of(based_on, id).await? {
            return Err(ContentError::invalid(
                "revision",
                "the form names a revision of another article; reload the article and save again",
            ));
        }
        let mut input = self.input_from(form, Some(&existing));
        input.tags = self.form_tags(actor, form).await?;
        input.cover = self
            .form_picture("cover", &form.cover, existing.cover.as_ref())
            .await?;
        input.seo.image = self
            .form_picture(
                "social_image",
                &form.social_image,
                existing.seo.image.as_ref(),
            )
            .await?;
        input.translation_of = None;
        if input.slug.is_empty() {
            input.slug = existing.slug.to_string();
        }
        let mut new = self.validated(input).await?;
        new.translation_group = Some(existing.translation_group);
        let outcome = self
            .store
            .save_article_revision(id, based_on, &new, actor.id)
            .await
            .map_err(crate::write::slug_conflict)?;
        match outcome {
            RevisionSave::Saved { revision } => {
                let verb = if action == Action::Correct {
                    "corrected"
                } else {
                    "edited"
                };
                self.audit(Some(actor), verb, "article", id.0, new.title.clone())
                    .await?;
                self.announce_articles(&[id]).await;
                Ok(SaveOutcome::Saved { revision })
            }
            RevisionSave::Stale { kept, current } => {
                self.audit(
                    Some(actor),
                    "save_refused",
                    "article",
                    id.0,
                    format!("based on revision {based_on}, newest is {current}; kept as {kept}"),
                )
                .await?;
                Ok(SaveOutcome::Stale {
                    kept: self.store.revision(kept).await?,
                    current: Box::new(self.store.article(id).await?),
                    current_revision: current,
                })
            }
        }
    }

    /// Moves an article to another status, if `actor` may and the move makes sense.
    pub async fn transition(
        &self,
        actor: &User,
        id: ArticleId,
        transition: Transition,
    ) -> Result<ArticleStatus, ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        check(actor, transition.action(), &meta)?;
        if !transition.valid_from(article.status) {
            return Err(ContentError::invalid(
                "status",
                format!(
                    "this cannot be done to an article that is {}",
                    article.status
                ),
            ));
        }
        let now = self.clock().now();
        let (status, verb) = match transition {
            Transition::Submit => {
                self.store
                    .set_article_status(id, ArticleStatus::InReview)
                    .await?;
                (ArticleStatus::InReview, "submitted")
            }
            Transition::Publish => {
                // A story scheduled for later but published now carries today's date.
                if article.published_at.is_some_and(|at| at > now) {
                    self.store.schedule_article(id, now).await?;
                }
                self.store
                    .set_article_status(id, ArticleStatus::Published)
                    .await?;
                (ArticleStatus::Published, "published")
            }
            Transition::Schedule(at) => {
                if at <= now {
                    return Err(ContentError::invalid(
                        "publish_at",
                        "the time is in the past; pick a later one or publish now",
                    ));
                }
                self.store.schedule_article(id, at).await?;
                (ArticleStatus::Scheduled, "scheduled")
            }
            Transition::Unpublish => {
                self.store
                    .set_article_status(id, ArticleStatus::Unpublished)
                    .await?;
                (ArticleStatus::Unpublished, "unpublished")
            }
            Transition::Delete => {
                self.store.soft_delete_article(id).await?;
                (ArticleStatus::Deleted, "deleted")
            }
            Transition::Restore => (self.store.restore_article(id).await?, "restored"),
        };
        let summary = match transition {
            Transition::Schedule(at) => format!("{} (for {at})", article.title),
            _ => article.title.clone(),
        };
        self.audit(Some(actor), verb, "article", id.0, summary)
            .await?;
        let notice = match transition {
            Transition::Schedule(_) => Some(NoticeKind::Scheduled),
            Transition::Publish => Some(NoticeKind::Published),
            _ => None,
        };
        if let Some(kind) = notice {
            self.notify_desk(id, kind, Some(actor)).await?;
        }
        self.announce_articles(&[id]).await;
        Ok(status)
    }

    /// `Ok` when `actor` may do `action` to article `id` (403 otherwise).
    pub async fn transition_allowed(
        &self,
        actor: &User,
        id: ArticleId,
        action: Action,
    ) -> Result<(), ContentError> {
        check(actor, action, &self.store.article_meta(id).await?)
    }

    /// Revision `revision` of article `id` and what it changed compared with the
    /// revision it was based on (everything is "added" for the first one).
    pub async fn revision_diff(
        &self,
        actor: &User,
        id: ArticleId,
        revision: i64,
    ) -> Result<(Revision, Vec<DiffLine>), ContentError> {
        self.newsroom_article(actor, id).await?;
        let r = self.store.revision(revision).await?;
        if r.article != id {
            return Err(ContentError::NotFound);
        }
        // Only ever compared with a revision of the same article (older data may hold a
        // foreign `based_on`, saved before saves checked it).
        let before = match self.store.revision(r.based_on).await {
            Ok(b) if r.based_on > 0 && b.article == id => revision_text(&b),
            Ok(_) | Err(StoreError::NotFound) => String::new(),
            Err(e) => return Err(e.into()),
        };
        let lines = diff_lines(&before, &revision_text(&r));
        Ok((r, lines))
    }

    /// Saves revision `revision`'s title, subtitle and text over article `id` (its other
    /// details stay as they are now) as a new revision: nothing is lost, and the restore
    /// can itself be undone. Refused like any save when someone saved since `based_on`.
    pub async fn restore_revision(
        &self,
        actor: &User,
        id: ArticleId,
        revision: i64,
        based_on: i64,
    ) -> Result<SaveOutcome, ContentError> {
        let (article, _) = self.newsroom_article(actor, id).await?;
        let r = self.revision(actor, id, revision).await?;
        let form = ArticleForm {
            title: r.title,
            subtitle: r.subtitle,
            body: r.body_markdown,
            ..ArticleForm::from_article(self, &article)
        };
        self.save_article(actor, id, based_on, &form).await
    }

    /// An article for a signed preview link (the link is the right to see it): any
    /// status but deleted and taken down (a link made before a takedown stops working).
    pub async fn article_for_preview(&self, id: ArticleId) -> Result<Article, ContentError> {
        match self.store.article(id).await {
            Ok(a) if !matches!(a.status, ArticleStatus::Deleted | ArticleStatus::TakenDown) => {
                Ok(a)
            }
            Ok(_) | Err(StoreError::NotFound) => Err(ContentError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether revision `revision` exists and belongs to article `id`.
    async fn is_revision_of(&self, revision: i64, id: ArticleId) -> Result<bool, ContentError> {
        match self.store.revision(revision).await {
            Ok(r) => Ok(r.article == id),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// One revision of article `id`, if `actor` may see the article.
    pub async fn revision(
        &self,
        actor: &User,
        id: ArticleId,
        revision: i64,
    ) -> Result<Revision, ContentError> {
        self.newsroom_article(actor, id).await?;
        match self.store.revision(revision).await {
            Ok(r) if r.article == id => Ok(r),
            Ok(_) | Err(StoreError::NotFound) => Err(ContentError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Revisions of an article the actor may see, newest first.
    pub async fn article_revisions(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<Vec<Revision>, ContentError> {
        self.newsroom_article(actor, id).await?;
        Ok(self.store.revisions(id).await?)
    }

    /// A time typed in the site's time zone (`YYYY-MM-DDTHH:MM`, what a
    /// `datetime-local` field sends) as a UTC timestamp.
    pub fn parse_site_time(
        &self,
        field: &'static str,
        raw: &str,
    ) -> Result<Timestamp, ContentError> {
        let tz = self.catalog().timezone.clone();
        let civil: jiff::civil::DateTime = raw.trim().parse().map_err(|_| {
            ContentError::invalid(field, "enter a date and time like 2026-06-01T09:30")
        })?;
        civil.to_zoned(tz).map(|z| z.timestamp()).map_err(|_| {
            ContentError::invalid(field, "this time does not exist in the site's time zone")
        })
    }

    /// A timestamp as the site's time zone shows it, in the `datetime-local` format.
    pub fn site_time(&self, at: Timestamp) -> String {
        // The catalog resolved the zone once (UTC when unknown); lists call this per row.
        at.to_zoned(self.catalog().timezone.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    }

    /// Checks a slug typed in a form (for field-level messages before saving).
    pub fn check_slug(raw: &str) -> Result<(), ContentError> {
        Slug::parse(raw.trim())
            .map(|_| ())
            .map_err(|e| ContentError::invalid("slug", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles_in_every_edition() {
        assert_eq!(
            slugify("Grain prices: what's next?"),
            "grain-prices-what-s-next"
        );
        assert_eq!(slugify("Привет, мир"), "privet-mir");
        let hy = slugify("Բարեւ աշխարհ");
        assert!(Slug::parse(&hy).is_ok() && hy != "article", "{hy}");
        assert_eq!(slugify("!!!"), "article");
        let long = slugify(&"word ".repeat(100));
        assert!(long.len() <= 116 && Slug::parse(&long).is_ok());
    }

    #[test]
    fn diffs_mark_added_and_removed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        let kinds: Vec<_> = d.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                ("same", "a"),
                ("removed", "b"),
                ("added", "B"),
                ("same", "c")
            ]
        );
    }

    #[test]
    fn moves_make_sense_only_from_some_statuses() {
        use ArticleStatus::*;
        assert!(Transition::Submit.valid_from(Draft));
        assert!(!Transition::Submit.valid_from(Published));
        assert!(!Transition::Unpublish.valid_from(Draft));
        assert!(Transition::Restore.valid_from(Deleted));
        assert!(!Transition::Delete.valid_from(Deleted));
        assert!(!Transition::Delete.valid_from(TakenDown));
        assert!(!Transition::Publish.valid_from(TakenDown));
        assert!(!Transition::Unpublish.valid_from(TakenDown));
    }
}
