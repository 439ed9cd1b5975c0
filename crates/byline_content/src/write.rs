//! Writing content: validation, Markdown rendering and the store call, then a poke to
//! the change feed so every follower sees the write at once.

use crate::{Content, ContentError};
use byline_core::{
    ArticleId, ArticleStatus, AuthorId, Cover, Localized, NewArticle, SectionId, Seo, SiteSettings,
    Slug, TagId,
};
use byline_render::render_markdown_with_media;

pub const MAX_TITLE: usize = 300;
pub const MAX_SUBTITLE: usize = 600;
pub const MAX_BODY: usize = byline_core::limits::MAX_BODY_BYTES;

/// An article as an author writes it, with references by slug.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub edition: String,
    pub section: String,
    pub slug: String,
    pub title: String,
    pub subtitle: String,
    pub body_markdown: String,
    pub cover: Option<Cover>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<jiff::Timestamp>,
    /// Another edition of the same story, to join its translation group.
    pub translation_of: Option<ArticleId>,
    /// Optional title and description for search engines and social cards.
    pub seo: Seo,
}

impl Content {
    pub async fn save_settings(&self, settings: &SiteSettings) -> Result<(), ContentError> {
        if jiff::tz::TimeZone::get(&settings.timezone).is_err() {
            return Err(ContentError::invalid(
                "timezone",
                format!("unknown time zone {:?}", settings.timezone),
            ));
        }
        if settings.editions.is_empty() {
            return Err(ContentError::invalid(
                "editions",
                "at least one edition is needed",
            ));
        }
        self.store.save_settings(settings).await?;
        self.announce_taxonomy().await;
        Ok(())
    }

    pub async fn put_section(
        &self,
        slug: &str,
        name: &Localized,
        description: &Localized,
        position: i64,
    ) -> Result<SectionId, ContentError> {
        let slug = parse_slug("slug", slug)?;
        if RESERVED_SECTION_SLUGS.contains(&slug.as_str()) {
            return Err(ContentError::invalid(
                "slug",
                format!("{slug:?} is reserved for the site's own pages"),
            ));
        }
        let id = self
            .store
            .upsert_section(&slug, name, description, position)
            .await?;
        self.announce_taxonomy().await;
        Ok(id)
    }

    pub async fn put_author(
        &self,
        slug: &str,
        name: &Localized,
        bio: &Localized,
    ) -> Result<AuthorId, ContentError> {
        let id = self
            .store
            .upsert_author(&parse_slug("slug", slug)?, name, bio)
            .await?;
        self.announce_taxonomy().await;
        Ok(id)
    }

    pub async fn put_tag(&self, slug: &str, name: &Localized) -> Result<TagId, ContentError> {
        let id = self
            .store
            .upsert_tag(&parse_slug("slug", slug)?, name)
            .await?;
        self.announce_taxonomy().await;
        Ok(id)
    }

    /// Validates and stores a new article with no owner, as given (the demo outlet,
    /// imports); renders and sanitizes its body. Staff create with
    /// [`create_article`](Self::create_article).
    pub async fn import_article(&self, input: ArticleInput) -> Result<ArticleId, ContentError> {
        let new = self.validated(input).await?;
        let id = self
            .store
            .create_article(&new)
            .await
            .map_err(slug_conflict)?;
        self.announce_articles(&[id]).await;
        Ok(id)
    }

    /// Replaces an article's content (a correction, a move, a status change).
    pub async fn update_article(
        &self,
        id: ArticleId,
        input: ArticleInput,
    ) -> Result<(), ContentError> {
        let mut new = self.validated(input).await?;
        // The story stays in its translation group.
        new.translation_group = Some(self.store.article(id).await?.translation_group);
        self.store
            .update_article(id, &new)
            .await
            .map_err(slug_conflict)?;
        self.announce_articles(&[id]).await;
        Ok(())
    }

    pub(crate) async fn validated(
        &self,
        mut input: ArticleInput,
    ) -> Result<NewArticle, ContentError> {
        // Control characters are never content, and PostgreSQL refuses NUL outright:
        // drop them here so both stores keep the same text.
        input.title = single_line(&input.title);
        input.subtitle = single_line(&input.subtitle);
        input.body_markdown = without_controls(&input.body_markdown);
        let catalog = self.catalog();
        if !catalog.settings.has_edition(&input.edition) {
            return Err(ContentError::invalid(
                "edition",
                format!("no edition {:?}", input.edition),
            ));
        }
        let section = catalog
            .section_by_slug(&input.section)
            .ok_or_else(|| {
                ContentError::invalid("section", format!("no section {:?}", input.section))
            })?
            .id;
        let slug = parse_slug("slug", &input.slug)?;
        let title = input.title.trim();
        if title.is_empty() {
            return Err(ContentError::invalid("title", "the title is empty"));
        }
        if title.chars().count() > MAX_TITLE {
            return Err(ContentError::invalid(
                "title",
                format!("the title is longer than {MAX_TITLE} characters"),
            ));
        }
        if input.subtitle.chars().count() > MAX_SUBTITLE {
            return Err(ContentError::invalid(
                "subtitle",
                format!("the subtitle is longer than {MAX_SUBTITLE} characters"),
            ));
        }
        if input.body_markdown.len() > MAX_BODY {
            return Err(ContentError::invalid(
                "body",
                format!("the body is larger than {MAX_BODY} bytes"),
            ));
        }
        let seo = Seo {
            title: optional_text(input.seo.title, "seo.title", MAX_TITLE)?,
            description: optional_text(input.seo.description, "seo.description", MAX_SUBTITLE)?,
            image: input.seo.image,
        };
        let authors = input
            .authors
            .iter()
            .map(|s| {
                catalog
                    .author_by_slug(s)
                    .map(|a| a.id)
                    .ok_or_else(|| ContentError::invalid("authors", format!("no author {s:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let tags = input
            .tags
            .iter()
            .map(|s| {
                catalog
                    .tag_by_slug(s)
                    .map(|t| t.id)
                    .ok_or_else(|| ContentError::invalid("tags", format!("no tag {s:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let translation_group = match input.translation_of {
            Some(id) => Some(self.store.article(id).await?.translation_group),
            None => None,
        };
        let published_at = match input.status {
            ArticleStatus::Published => {
                Some(input.published_at.unwrap_or_else(|| self.clock().now()))
            }
            _ => input.published_at,
        };
        let media = self.media_for_body(&input.body_markdown).await?;
        let body = render_markdown_with_media(&input.body_markdown, &media)
            .map_err(|e| ContentError::invalid("body", e.to_string()))?;
        let search_text = format!("{}\n{}\n{}", title, input.subtitle, body.text).to_lowercase();
        let new = NewArticle {
            edition: input.edition,
            section,
            slug,
            title: title.to_owned(),
            subtitle: input.subtitle.trim().to_owned(),
            body_markdown: input.body_markdown,
            body_html: body.html,
            search_text,
            cover: input.cover,
            media: media.keys().map(|id| byline_core::MediaId(*id)).collect(),
            authors,
            tags,
            status: input.status,
            featured: input.featured,
            published_at,
            translation_group,
            seo,
        };
        Ok(new)
    }
}

/// Text with control characters removed (tabs and line breaks kept).
pub(crate) fn without_controls(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// One line of text: control characters removed, line breaks and tabs become spaces.
pub(crate) fn single_line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Plain words on one line: trimmed, every run of whitespace and control characters one
/// space (alert lines, correction notes, takedown reasons).
pub(crate) fn one_line(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn slug_conflict(e: byline_store::StoreError) -> ContentError {
    match e {
        byline_store::StoreError::Conflict(byline_store::TAKEN_DOWN) => ContentError::invalid(
            "status",
            "this article was taken down meanwhile: it cannot change until an admin reinstates it",
        ),
        byline_store::StoreError::Conflict(byline_store::PICTURE_GONE) => ContentError::invalid(
            "body",
            "a picture of this article was deleted from the media library meanwhile; choose another",
        ),
        byline_store::StoreError::Conflict(_) => ContentError::invalid(
            "slug",
            "another article in this edition already has this slug",
        ),
        other => other.into(),
    }
}

impl Content {
    /// Publishes, unpublishes or otherwise moves an article between states; readers,
    /// caches and search follow through the change feed.
    pub async fn set_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
    ) -> Result<(), ContentError> {
        self.store.set_article_status(id, status).await?;
        self.announce_articles(&[id]).await;
        Ok(())
    }
}

/// Section slugs that would shadow the site's own paths under `/{edition}/`.
pub const RESERVED_SECTION_SLUGS: &[&str] = &[
    "tag", "author", "search", "more", "page", "feed", "rss", "atom", "sitemap", "api", "static",
    "media", "newsroom",
];

fn parse_slug(field: &'static str, raw: &str) -> Result<Slug, ContentError> {
    Slug::parse(raw).map_err(|e| ContentError::invalid(field, e.to_string()))
}

/// Trims an optional field; blank becomes `None` (so "unset" has one spelling).
pub(crate) fn optional_text(
    value: Option<String>,
    field: &'static str,
    max_chars: usize,
) -> Result<Option<String>, ContentError> {
    let Some(text) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max_chars {
        return Err(ContentError::invalid(
            field,
            format!("longer than {max_chars} characters"),
        ));
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(without_controls("a\u{0}b\u{7}\nc\td"), "ab\nc\td");
        assert_eq!(single_line("Title\u{0}\nnext\u{1b}"), "Title next");
    }
}
