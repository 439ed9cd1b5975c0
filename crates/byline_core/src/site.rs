//! Site-wide settings and the taxonomy: editions, sections, authors, tags.

use crate::ids::{AuthorId, SectionId, TagId};
use crate::localized::Localized;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One language edition of the outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    /// BCP-47 language code, also the first URL segment: `en`, `ru`, `hy`.
    pub code: String,
    /// The edition's name in its own language ("Русский").
    pub name: String,
}

/// Settings an admin edits in the newsroom; stored in the store, not in the config file,
/// so every node sees the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    pub name: String,
    pub tagline: Localized,
    /// URL of the logo; none renders the name as a wordmark.
    pub logo_url: Option<String>,
    /// Keys: x, youtube, instagram, facebook, telegram.
    pub social: BTreeMap<String, String>,
    /// Keys: ios, android.
    pub apps: BTreeMap<String, String>,
    pub attribution: Localized,
    pub copyright: String,
    /// IANA zone name used when showing times (times are stored in UTC).
    pub timezone: String,
    /// Editions in display order; the first is the default.
    pub editions: Vec<Edition>,
    /// RSS/Atom feeds: how many items, excerpt or full text.
    pub feeds: FeedSettings,
    /// What `/robots.txt` says besides pointing to the sitemap.
    pub robots: RobotsSettings,
}

/// Whether feed items carry the whole article or only its excerpt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedContent {
    /// The subtitle (or the first sentences): readers click through to the site.
    #[default]
    Excerpt,
    /// The whole sanitized body as well.
    FullText,
}

/// Settings of the RSS and Atom feeds. Missing keys in stored settings take these
/// defaults, so outlets saved before feeds existed keep loading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedSettings {
    pub content: FeedContent,
    /// Newest items per feed (clamped to 1..=100 when serving).
    pub items: u32,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            content: FeedContent::Excerpt,
            items: 30,
        }
    }
}

/// Settings of `/robots.txt`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RobotsSettings {
    /// Ask every crawler to stay away (a staging copy of the outlet).
    pub block_all: bool,
    /// Extra path prefixes to disallow, besides the site's own non-pages
    /// (API, search results, load-more fragments), which are always disallowed.
    pub disallow: Vec<String>,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "Byline".into(),
            tagline: Localized::default(),
            logo_url: None,
            social: BTreeMap::new(),
            apps: BTreeMap::new(),
            attribution: Localized::default(),
            copyright: "Byline".into(),
            timezone: "Asia/Baku".into(),
            editions: vec![
                Edition {
                    code: "en".into(),
                    name: "English".into(),
                },
                Edition {
                    code: "ru".into(),
                    name: "Русский".into(),
                },
                Edition {
                    code: "hy".into(),
                    name: "Հայերեն".into(),
                },
            ],
            feeds: FeedSettings::default(),
            robots: RobotsSettings::default(),
        }
    }
}

impl SiteSettings {
    pub fn default_edition(&self) -> &str {
        self.editions
            .first()
            .map(|e| e.code.as_str())
            .unwrap_or("en")
    }

    pub fn has_edition(&self, code: &str) -> bool {
        self.editions.iter().any(|e| e.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_saved_before_feeds_existed_still_load() {
        let old = r#"{"name":"Old Gazette","timezone":"UTC","editions":[{"code":"en","name":"English"}]}"#;
        let s: SiteSettings = serde_json::from_str(old).unwrap();
        assert_eq!(s.name, "Old Gazette");
        assert_eq!(s.feeds, FeedSettings::default());
        assert_eq!(s.robots, RobotsSettings::default());
        let full: SiteSettings =
            serde_json::from_str(r#"{"feeds":{"content":"full_text"}}"#).unwrap();
        assert_eq!(full.feeds.content, FeedContent::FullText);
        assert_eq!(
            full.feeds.items, 30,
            "a partial object keeps the other defaults"
        );
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: SectionId,
    pub slug: Slug,
    pub name: Localized,
    pub description: Localized,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub id: AuthorId,
    pub slug: Slug,
    pub name: Localized,
    pub bio: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub slug: Slug,
    pub name: Localized,
}
