//! A converted document as the newsroom's forms would hold it.

use super::pictures::Pictures;
use crate::{ArticleInput, MAX_SUBTITLE, PageInput};
use byline_core::{ArticleStatus, PageStatus, Seo};
use byline_import::{Document, ImportStatus};

/// The article form's values for a converted document.
pub(super) fn article_input(
    doc: Document,
    section: String,
    pictures: &Pictures<'_>,
) -> ArticleInput {
    let (status, published_at) = match doc.status {
        ImportStatus::Published => (ArticleStatus::Published, doc.published_at),
        ImportStatus::Scheduled(at) => (ArticleStatus::Scheduled, Some(at)),
        ImportStatus::Draft => (ArticleStatus::Draft, doc.published_at),
        ImportStatus::InReview => (ArticleStatus::InReview, doc.published_at),
    };
    let cover = doc.cover.map(|c| {
        let picture = pictures.get(&Pictures::relative(&c.url));
        match picture {
            Some(item) => byline_core::Cover {
                alt: c.alt,
                caption: c.caption,
                ..item.cover()
            },
            // The file was not in the media folder: the old URL stays (reported).
            None => byline_core::Cover {
                url: c.url,
                alt: c.alt,
                caption: c.caption,
                credit: String::new(),
                width: 0,
                height: 0,
                srcset: String::new(),
                crops: None,
            },
        }
    });
    ArticleInput {
        edition: doc.edition,
        section,
        slug: doc.slug,
        title: doc.title,
        subtitle: cut(&doc.subtitle, MAX_SUBTITLE),
        body_markdown: doc.body_markdown,
        cover,
        authors: doc.authors,
        tags: doc.tags,
        status,
        featured: false,
        published_at,
        translation_of: None,
        seo: Seo {
            title: doc.seo_title,
            description: doc.seo_description.map(|d| cut(&d, MAX_SUBTITLE)),
            image: None,
        },
    }
}

/// The page form's values for a converted page. Only a published page is public; a
/// scheduled one waits as a draft (pages have no schedule).
pub(super) fn page_input(doc: Document) -> PageInput {
    let description = doc
        .seo_description
        .or_else(|| Some(doc.subtitle.clone()).filter(|s| !s.trim().is_empty()))
        .map(|d| cut(&d, MAX_SUBTITLE));
    PageInput {
        edition: doc.edition,
        slug: doc.slug,
        title: doc.title,
        body_markdown: doc.body_markdown,
        description,
        status: if doc.status == ImportStatus::Published {
            PageStatus::Published
        } else {
            PageStatus::Draft
        },
        footer_position: None,
    }
}

/// `text` cut to `max` characters (the exports have no limits; Byline has).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
