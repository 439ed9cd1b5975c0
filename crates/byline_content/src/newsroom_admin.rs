//! Sections, tags and site settings edited in the newsroom, with the right checked
//! against the permission matrix and every change in the audit log.

use crate::{Content, ContentError};
use byline_core::{Action, Ownership, User, allowed};

const MAX_NAME: usize = 200;

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

    /// Changes the site's name, time zone and copyright line.
    pub async fn newsroom_save_settings(
        &self,
        actor: &User,
        name: &str,
        timezone: &str,
        copyright: &str,
    ) -> Result<(), ContentError> {
        require(actor, Action::ManageSettings)?;
        let mut settings = self.store.settings().await?;
        settings.name = name_checked("name", name)?;
        settings.timezone = timezone.trim().to_owned();
        settings.copyright = copyright.trim().to_owned();
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
