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
