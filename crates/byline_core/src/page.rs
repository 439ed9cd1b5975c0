//! Static pages: About, Contacts, Advertising, Privacy, Terms. One edition each, edited
//! in the newsroom like an article, linked from the footer in the order an editor sets;
//! never in feeds, lists or search (they are not news).

use crate::ids::PageId;
use crate::slug::Slug;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A page is either a draft (the newsroom only) or published (on the site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStatus {
    Draft,
    Published,
}

impl PageStatus {
    pub const ALL: [PageStatus; 2] = [Self::Draft, Self::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }
}

impl fmt::Display for PageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown page status {0:?} (expected draft or published)")]
pub struct UnknownPageStatus(pub String);

impl FromStr for PageStatus {
    type Err = UnknownPageStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPageStatus(s.to_owned()))
    }
}

/// A page as the content service hands it to the store: validated, body rendered and
/// sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    pub edition: String,
    pub slug: Slug,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    /// What search engines and social cards show; `None` uses the body's start.
    pub description: Option<String>,
    pub status: PageStatus,
    /// Place in the footer's list of pages (smallest first); `None` keeps the page out
    /// of the footer (it is still at its address and in the sitemap).
    pub footer_position: Option<i64>,
}

/// A page as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticPage {
    pub id: PageId,
    pub edition: String,
    pub slug: Slug,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub description: Option<String>,
    pub status: PageStatus,
    pub footer_position: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_and_refuses_others() {
        for s in PageStatus::ALL {
            assert_eq!(s.as_str().parse::<PageStatus>().unwrap(), s);
        }
        assert!("scheduled".parse::<PageStatus>().is_err());
    }
}
