//! Sections, tags and site settings edited in the newsroom, with the right checked
//! against the permission matrix and every change in the audit log.

use crate::{Content, ContentError};
use byline_core::{Action, Ownership, SiteSettings, User, allowed};
use std::collections::BTreeMap;

const MAX_NAME: usize = 200;
const MAX_URL: usize = 500;
const MAX_ATTRIBUTION: usize = 300;

/// Social networks the site links to (the keys of `SiteSettings::social`), with the
/// form field of each.
pub const SOCIAL_KEYS: [(&str, &str); 5] = [
    ("x", "social.x"),
    ("youtube", "social.youtube"),
    ("instagram", "social.instagram"),
    ("facebook", "social.facebook"),
    ("telegram", "social.telegram"),
];
/// App stores the site links to (the keys of `SiteSettings::apps`), with their fields.
pub const APP_KEYS: [(&str, &str); 2] = [("ios", "apps.ios"), ("android", "apps.android")];

/// The settings form as typed. A missing key in the maps leaves that setting as it is;
/// an empty value removes the link.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub name: String,
    pub timezone: String,
    pub copyright: String,
    pub social: BTreeMap<String, String>,
    pub apps: BTreeMap<String, String>,
    /// Per edition code.
    pub attribution: BTreeMap<String, String>,
    /// The editions, one a line: `code Name`, in display order (the first is the
    /// default). `None` leaves them as they are.
    pub editions: Option<String>,
}

/// Editions from their form lines. Every existing edition must stay (its articles
/// would lose their pages): the form renames, reorders and adds.
fn editions_checked(
    typed: &str,
    existing: &[byline_core::Edition],
) -> Result<Vec<byline_core::Edition>, ContentError> {
    let bad = |m: String| Err(ContentError::invalid("editions", m));
    let mut out: Vec<byline_core::Edition> = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (code, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let (code, name) = (code.trim(), name.trim());
        let well_formed =
            (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !well_formed {
            return bad(format!(
                "{code:?} is not a language code: two or three lowercase letters, like en or hy"
            ));
        }
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control)
        {
            return bad(format!(
                "write the {code} edition's name after its code, like \"{code} English\""
            ));
        }
        if out.iter().any(|e| e.code == code) {
            return bad(format!("the edition {code} is listed twice"));
        }
        out.push(byline_core::Edition {
            code: code.to_owned(),
            name: name.to_owned(),
        });
    }
    if let Some(gone) = existing
        .iter()
        .find(|e| !out.iter().any(|o| o.code == e.code))
    {
        return bad(format!(
            "the edition {} cannot be removed here: its articles would lose their pages",
            gone.code
        ));
    }
    Ok(out)
}

/// A link of the settings: empty, or an http(s) URL on one line.
fn url_checked(field: &'static str, raw: &str) -> Result<String, ContentError> {
    let url = raw.trim();
    let ok = url.is_empty()
        || ((url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= MAX_URL
            && !url.chars().any(|c| c.is_control() || c.is_whitespace()));
    if ok {
        Ok(url.to_owned())
    } else {
        Err(ContentError::invalid(
            field,
            format!("enter an address starting with https:// (at most {MAX_URL} characters)"),
        ))
    }
}

fn put_links(
    into: &mut BTreeMap<String, String>,
    typed: &BTreeMap<String, String>,
    keys: &[(&str, &'static str)],
) -> Result<(), ContentError> {
    for (key, field) in keys {
        let Some(raw) = typed.get(*key) else { continue };
        let url = url_checked(field, raw)?;
        if url.is_empty() {
            into.remove(*key);
        } else {
            into.insert((*key).to_owned(), url);
        }
    }
    Ok(())
}

pub(crate) fn require(actor: &User, action: Action) -> Result<(), ContentError> {
    if allowed(actor.role, action, Ownership::Others) {
        Ok(())
    } else {
        Err(ContentError::Forbidden)
    }
}

pub(crate) fn name_checked(field: &'static str, name: &str) -> Result<String, ContentError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ContentError::invalid(field, "the name is empty"));
    }
    if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(ContentError::invalid(
            field,
            format!("the name may have at most {MAX_NAME} characters, on one line"),
        ));
    }
    Ok(name.to_owned())
}

impl Content {
    /// Creates a tag, or renames it in `lang` (its names in other editions stay).
    pub async fn newsroom_put_tag(
        &self,
        actor: &User,
        slug: &str,
        lang: &str,
        name: &str,
    ) -> Result<(), ContentError> {
        require(actor, Action::ManageSectionsAndTags)?;
        let name = name_checked("name", name)?;
        let mut names = self
            .catalog()
            .tag_by_slug(slug.trim())
            .map(|t| t.name.clone())
            .unwrap_or_default();
        names.0.insert(lang.to_owned(), name.clone());
        let id = self.put_tag(slug.trim(), &names).await?;
        self.audit(
            Some(actor),
            "tag_saved",
            "tag",
            id.0,
            format!("{} = {name}", slug.trim()),
        )
        .await
    }

    /// Creates a section (last in order), or renames it in `lang`.
    pub async fn newsroom_put_section(
        &self,
        actor: &User,
        slug: &str,
        lang: &str,
        name: &str,
    ) -> Result<(), ContentError> {
        require(actor, Action::ManageSectionsAndTags)?;
        let name = name_checked("name", name)?;
        let catalog = self.catalog();
        let existing = catalog.section_by_slug(slug.trim());
        let mut names = existing.map(|s| s.name.clone()).unwrap_or_default();
        names.0.insert(lang.to_owned(), name.clone());
        let description = existing.map(|s| s.description.clone()).unwrap_or_default();
        let position = existing.map_or(catalog.sections.len() as i64, |s| s.position);
        let id = self
            .put_section(slug.trim(), &names, &description, position)
            .await?;
        self.audit(
            Some(actor),
            "section_saved",
            "section",
            id.0,
            format!("{} = {name}", slug.trim()),
        )
        .await
    }

    /// The settings as stored, for the admin's settings form: read from the store, not
    /// the catalog, since right after a save the catalog may not have caught up yet and
    /// the admin must see what was saved.
    pub async fn newsroom_settings(&self, actor: &User) -> Result<SiteSettings, ContentError> {
        require(actor, Action::ManageSettings)?;
        Ok(self.store.settings().await?)
    }

    /// Changes the site's name, time zone and copyright line.
    pub async fn newsroom_save_settings(
        &self,
        actor: &User,
        input: &SettingsInput,
    ) -> Result<(), ContentError> {
        require(actor, Action::ManageSettings)?;
        let mut settings = self.store.settings().await?;
        settings.name = name_checked("name", &input.name)?;
        settings.timezone = input.timezone.trim().to_owned();
        settings.copyright = input.copyright.trim().to_owned();
        if let Some(typed) = &input.editions {
            settings.editions = editions_checked(typed, &settings.editions)?;
        }
        put_links(&mut settings.social, &input.social, &SOCIAL_KEYS)?;
        put_links(&mut settings.apps, &input.apps, &APP_KEYS)?;
        for (edition, text) in &input.attribution {
            if !settings.has_edition(edition) {
                continue;
            }
            let text = text.trim();
            if text.chars().count() > MAX_ATTRIBUTION || text.chars().any(char::is_control) {
                return Err(ContentError::invalid(
                    "attribution",
                    format!(
                        "the {edition} attribution line may have at most {MAX_ATTRIBUTION} characters, on one line"
                    ),
                ));
            }
            if text.is_empty() {
                settings.attribution.0.remove(edition);
            } else {
                settings
                    .attribution
                    .0
                    .insert(edition.clone(), text.to_owned());
            }
        }
        self.save_settings(&settings).await?;
        self.audit(
            Some(actor),
            "settings_changed",
            "settings",
            1,
            format!("name {:?}, time zone {}", settings.name, settings.timezone),
        )
        .await
    }
}
