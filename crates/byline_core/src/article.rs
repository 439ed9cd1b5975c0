//! Articles: one edition of a story, and its lifecycle.

use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, TagId};
use crate::slug::Slug;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an article is in its life. Only `Published` is ever shown to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    InReview,
    Scheduled,
    Published,
    Unpublished,
    /// Soft-deleted in the newsroom (an admin can restore it). Added after the first
    /// five; every stored value keeps its meaning.
    Deleted,
    /// Removed from the site for legal or safety reasons, with a recorded reason: its
    /// address answers 410 Gone and only an admin can reinstate it.
    TakenDown,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 7] = [
        Self::Draft,
        Self::InReview,
        Self::Scheduled,
        Self::Published,
        Self::Unpublished,
        Self::Deleted,
        Self::TakenDown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
            Self::Deleted => "deleted",
            Self::TakenDown => "taken_down",
        }
    }
}

impl fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown article status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for ArticleStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "draft" => Self::Draft,
            "in_review" => Self::InReview,
            "scheduled" => Self::Scheduled,
            "published" => Self::Published,
            "unpublished" => Self::Unpublished,
            "deleted" => Self::Deleted,
            "taken_down" => Self::TakenDown,
            other => return Err(UnknownStatus(other.to_owned())),
        })
    }
}

/// What a public note on a published article says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionKind {
    /// Something published was wrong and is now right.
    Correction,
    /// New facts since publication.
    Update,
    /// What was published was unclear, not wrong.
    Clarification,
}

impl CorrectionKind {
    pub const ALL: [CorrectionKind; 3] = [Self::Correction, Self::Update, Self::Clarification];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correction => "correction",
            Self::Update => "update",
            Self::Clarification => "clarification",
        }
    }
}

impl FromStr for CorrectionKind {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

/// A public, dated note appended to a published article ("Correction: an earlier
/// version gave the wrong date"). Notes are only ever appended: the list is the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub kind: CorrectionKind,
    /// Plain text, one paragraph (pages escape it).
    pub text: String,
    /// Unix seconds.
    #[serde(with = "unix_seconds")]
    pub at: Timestamp,
}

/// `Correction::at` as stored: unix seconds, like every time in the database.
mod unix_seconds {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(at.as_second())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let seconds = i64::deserialize(d)?;
        Timestamp::from_second(seconds).map_err(serde::de::Error::custom)
    }
}

/// The lead picture of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    /// Public URL path, e.g. `/media/covers/7.jpg`.
    pub url: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` of a cover from the media library (empty for a plain picture, and in
    /// covers stored before the library existed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub srcset: String,
    /// Crops around the picture's focal point, for a cover from the media library
    /// (`None` for a plain picture and for covers stored before crops existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crops: Option<CoverCrops>,
}

/// A library cover's crops (URL paths): the cards' 16:9 picture, the social image and a
/// square, each cut around the focal point the picture had when the article was saved
/// (or when the focal point last moved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverCrops {
    /// 640×360, and `srcset` with the 1280×720 one.
    pub card: String,
    pub card_srcset: String,
    /// 1200×630 JPEG.
    pub social: String,
    /// 1200×1200 JPEG.
    pub square: String,
}

/// What an author hands in: the content service validates it and renders the body.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub edition: String,
    pub section: SectionId,
    pub slug: Slug,
    pub title: String,
    pub subtitle: String,
    pub body_markdown: String,
    /// Rendered and sanitized by the content service, never by the caller.
    pub body_html: String,
    /// Lowercased plain text for the simple search (title, subtitle, body).
    pub search_text: String,
    pub cover: Option<Cover>,
    /// The library pictures the body shows (`media:N`), for "where used"; the store
    /// adds those of the cover and the social image (by their storage key).
    pub media: Vec<MediaId>,
    pub authors: Vec<AuthorId>,
    pub tags: Vec<TagId>,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<Timestamp>,
    /// Links the editions of one story; `None` starts a new group.
    pub translation_group: Option<i64>,
    /// What search engines show instead of the title / subtitle, when set.
    pub seo: Seo,
}

/// A whole article as stored.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: Slug,
    pub title: String,
    pub subtitle: String,
    pub body_markdown: String,
    pub body_html: String,
    pub cover: Option<Cover>,
    pub authors: Vec<AuthorId>,
    pub tags: Vec<TagId>,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<Timestamp>,
    /// Set when a published article is corrected ("Updated …" on the page).
    pub updated_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub views: u64,
    pub translation_group: i64,
    pub seo: Seo,
    /// Public correction and update notes, oldest first.
    pub corrections: Vec<Correction>,
    /// Why the article was taken down (set while its status is `TakenDown`).
    pub takedown_reason: Option<String>,
    /// Set when the article is (or was) a live blog.
    pub live: Option<crate::live::LiveCoverage>,
}

/// Optional overrides for search engines and social cards. `None` (never an empty
/// string: the content service turns blanks into `None`) means "use the headline /
/// the subtitle".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seo {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The picture of social cards (`og:image`) when it should not be the cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Cover>,
}

/// What a list of articles needs: no body.
#[derive(Debug, Clone)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub edition: String,
    pub section: SectionId,
    pub slug: Slug,
    pub title: String,
    pub subtitle: String,
    pub cover: Option<Cover>,
    pub featured: bool,
    pub published_at: Timestamp,
    pub views: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips() {
        for s in [
            ArticleStatus::Draft,
            ArticleStatus::InReview,
            ArticleStatus::Scheduled,
            ArticleStatus::Published,
            ArticleStatus::Unpublished,
            ArticleStatus::Deleted,
            ArticleStatus::TakenDown,
        ] {
            assert_eq!(s.as_str().parse::<ArticleStatus>().unwrap(), s);
        }
        assert!("gone".parse::<ArticleStatus>().is_err());
    }
}
