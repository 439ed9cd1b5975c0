//! Imports from another CMS (issue 15): each item is written keyed by its source and
//! source id, in one transaction with its change-feed row, so a second run of the same
//! export updates what changed and adds nothing, a failed item leaves nothing half
//! written, and search, the page cache and the purge hook follow as for any write.
//! The parsing is `byline_import`'s; the command is `byline import`.

use crate::newsroom_admin::require;
use crate::{ArticleInput, Content, ContentError};
use byline_core::{Action, ArticleId, AuthorId, Localized, SectionId, Slug, TagId, User};
use byline_store::{ImportKind, Imported, ImportedTerm, Redirect, RedirectOrigin};
use sha2::{Digest, Sha256};

/// A section, tag or author from an export.
#[derive(Debug, Clone)]
pub struct TermInput<'a> {
    /// `wordpress`, `ghost`.
    pub source: &'a str,
    pub source_id: &'a str,
    pub slug: &'a str,
    pub name: Localized,
    /// A section's description, an author's bio (unused for tags).
    pub text: Localized,
}

/// Which taxonomy table a [`TermInput`] goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Section,
    Tag,
    Author,
}

impl Content {
    /// Refreshes the store's query planner statistics, after a bulk write (an import,
    /// the demo's load): see `ImportStore::analyze`.
    pub async fn refresh_statistics(&self) -> Result<(), ContentError> {
        Ok(self.store.analyze().await?)
    }

    /// Writes an imported section, tag or author (see `ImportStore::import_section`:
    /// the outlet's own row with the slug is linked and left as it is). Answers its id.
    pub async fn import_term(
        &self,
        kind: TermKind,
        input: &TermInput<'_>,
    ) -> Result<(i64, Imported), ContentError> {
        let slug = Slug::parse(input.slug)
            .map_err(|e| ContentError::invalid("slug", format!("{:?}: {e}", input.slug)))?;
        let fingerprint = fingerprint(&format!(
            "{kind:?}{:?}{:?}{:?}",
            input.slug, input.name, input.text
        ));
        let term = ImportedTerm {
            source: input.source,
            source_id: input.source_id,
            slug: &slug,
            name: &input.name,
            text: &input.text,
            fingerprint: &fingerprint,
        };
        let (id, outcome) = match kind {
            TermKind::Section => {
                if crate::write::RESERVED_SECTION_SLUGS.contains(&slug.as_str()) {
                    return Err(ContentError::invalid(
                        "slug",
                        format!("{slug:?} is reserved for the site's own pages"),
                    ));
                }
                let (SectionId(id), o) = self.store.import_section(&term).await?;
                (id, o)
            }
            TermKind::Tag => {
                let (TagId(id), o) = self.store.import_tag(&term).await?;
                (id, o)
            }
            TermKind::Author => {
                let (AuthorId(id), o) = self.store.import_author(&term).await?;
                (id, o)
            }
        };
        if outcome != Imported::Unchanged {
            self.announce_taxonomy().await;
        }
        Ok((id, outcome))
    }

    /// Validates, renders and writes an imported article as the newsroom would, keyed
    /// by `source` and `source_id`: created the first time, replaced when it changed
    /// since, untouched when it did not. `translation_key` puts the articles of one
    /// source key in one translation group. Sections, authors and tags named by
    /// `input` must exist (import them first).
    pub async fn import_source_article(
        &self,
        source: &str,
        source_id: &str,
        translation_key: Option<&str>,
        input: ArticleInput,
    ) -> Result<(ArticleId, Imported), ContentError> {
        let fingerprint = fingerprint(&format!("{input:?}"));
        let mut new = self.validated(input).await?;
        if let Some(key) = translation_key {
            new.translation_group = self
                .store
                .imported(source, ImportKind::TranslationGroup, key)
                .await?;
        }
        let (id, outcome) = self
            .store
            .import_article(source, source_id, &fingerprint, &new)
            .await?; // a taken slug is a Conflict: the importer tries a suffix
        if let (Some(key), None) = (translation_key, new.translation_group) {
            let group = self.store.article(id).await?.translation_group;
            self.store
                .record_imported(source, ImportKind::TranslationGroup, key, group)
                .await?;
        }
        if outcome != Imported::Unchanged {
            self.announce_articles(&[id]).await;
        }
        Ok((id, outcome))
    }

    /// What an item of an export became when it was imported before.
    pub async fn imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
    ) -> Result<Option<i64>, ContentError> {
        Ok(self.store.imported(source, kind, source_id).await?)
    }

    /// Remembers what an item became (a picture put in the library).
    pub async fn record_imported(
        &self,
        source: &str,
        kind: ImportKind,
        source_id: &str,
        target_id: i64,
    ) -> Result<(), ContentError> {
        Ok(self
            .store
            .record_imported(source, kind, source_id, target_id)
            .await?)
    }

    /// Saves a redirect from an old address (normalized: see
    /// [`normalize_old_path`]) to a root-relative new one. Answers whether it was new
    /// or changed; an import's never replaces an admin's.
    pub async fn save_redirect(
        &self,
        path: &str,
        target: &str,
        origin: RedirectOrigin,
    ) -> Result<bool, ContentError> {
        if !target.starts_with('/') || target.starts_with("//") {
            return Err(ContentError::invalid(
                "target",
                format!("{target:?} is not an address on this site"),
            ));
        }
        Ok(self.store.save_redirect(path, target, origin).await?)
    }

    /// Saves many redirects of one origin in one transaction (an import's hundreds of
    /// thousands), by the rules of [`Content::save_redirect`]; all or none. Answers how
    /// many were new or changed.
    pub async fn save_redirects(
        &self,
        redirects: &[(String, String)],
        origin: RedirectOrigin,
    ) -> Result<u64, ContentError> {
        if let Some((_, target)) = redirects
            .iter()
            .find(|(_, t)| !t.starts_with('/') || t.starts_with("//"))
        {
            return Err(ContentError::invalid(
                "target",
                format!("{target:?} is not an address on this site"),
            ));
        }
        Ok(self.store.save_redirects(redirects, origin).await?)
    }

    /// Where an old address leads now (the reader site's 404 path asks this).
    pub async fn redirect_for(
        &self,
        path: &str,
        query: Option<&str>,
    ) -> Result<Option<String>, ContentError> {
        Ok(self
            .store
            .redirect(&normalize_old_path(path, query))
            .await?)
    }

    /// Every redirect, by old address.
    pub async fn redirects(&self) -> Result<Vec<Redirect>, ContentError> {
        Ok(self.store.redirects().await?)
    }

    /// A page of the redirects for the newsroom (admins): `limit` after old address
    /// `after`, those whose old or new address contains `containing`.
    pub async fn newsroom_redirects(
        &self,
        actor: &User,
        containing: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<Redirect>, ContentError> {
        require(actor, Action::ManageSettings)?;
        let containing: String = containing.trim().chars().take(MAX_ADDRESS).collect();
        Ok(self
            .store
            .redirects_page(&containing, after, limit.clamp(1, 500))
            .await?)
    }

    /// An admin's redirect from an old address (a path, or a whole URL of the old
    /// site, whose host is dropped) to an address on this site. It replaces an
    /// import's redirect from the same address. Answers the old address as stored.
    pub async fn add_redirect(
        &self,
        actor: &User,
        from: &str,
        to: &str,
    ) -> Result<String, ContentError> {
        require(actor, Action::ManageSettings)?;
        let from = old_address(from)?;
        let to = new_address(to)?;
        let (to_path, to_query) = match to.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (to.as_str(), None),
        };
        if normalize_old_path(to_path, to_query) == from {
            return Err(ContentError::invalid(
                "to",
                "a redirect to the same address would never end",
            ));
        }
        self.store
            .save_redirect(&from, &to, RedirectOrigin::Admin)
            .await?;
        self.audit(
            Some(actor),
            "redirect_saved",
            "redirect",
            0,
            format!("{from} → {to}"),
        )
        .await?;
        Ok(from)
    }

    /// Removes the redirect from `path` (as the list shows it).
    pub async fn remove_redirect(&self, actor: &User, path: &str) -> Result<(), ContentError> {
        require(actor, Action::ManageSettings)?;
        if !self.store.delete_redirect(path).await? {
            return Err(ContentError::NotFound);
        }
        self.audit(
            Some(actor),
            "redirect_deleted",
            "redirect",
            0,
            path.chars().take(MAX_ADDRESS).collect(),
        )
        .await
    }
}

/// Longest old or new address a redirect takes, in characters.
pub const MAX_ADDRESS: usize = 2_000;

/// An old address as typed (`/2019/05/x/`, `https://old.example/?p=42`), normalized
/// as the redirects table keys it.
fn old_address(raw: &str) -> Result<String, ContentError> {
    let raw = raw.trim();
    let path = match raw.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            match rest.find(['/', '?']) {
                Some(at) => &rest[at..],
                None => "/",
            }
        }
        _ => raw,
    };
    let path = path.split('#').next().unwrap_or("");
    if !path.starts_with('/') && !path.starts_with('?') {
        return Err(ContentError::invalid(
            "from",
            "write the old address as a path starting with / (or the old site's whole URL)",
        ));
    }
    if path.chars().count() > MAX_ADDRESS || path.chars().any(char::is_control) {
        return Err(ContentError::invalid(
            "from",
            format!("an address is at most {MAX_ADDRESS} characters, on one line"),
        ));
    }
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (if p.is_empty() { "/" } else { p }, Some(q)),
        None => (path, None),
    };
    Ok(normalize_old_path(p, q))
}

/// A new address on this site: a root-relative path, non-ASCII and spaces
/// percent-encoded so it is a valid `Location`.
fn new_address(raw: &str) -> Result<String, ContentError> {
    const ENCODE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'\\');
    let raw = raw.trim();
    if !raw.starts_with('/') || raw.starts_with("//") || raw.starts_with("/\\") {
        return Err(ContentError::invalid(
            "to",
            "the new address is a path on this site, starting with one /",
        ));
    }
    if raw.chars().count() > MAX_ADDRESS || raw.chars().any(char::is_control) {
        return Err(ContentError::invalid(
            "to",
            format!("an address is at most {MAX_ADDRESS} characters, on one line"),
        ));
    }
    Ok(percent_encoding::utf8_percent_encode(raw, ENCODE).to_string())
}

/// Query parameters that addressed an item on the old site (`/?p=42`); any other
/// query is not part of an address. The same list as `byline_import`'s link map,
/// whose normalized addresses are what the redirects table holds.
const ADDRESSING_QUERY: [&str; 7] = [
    "p",
    "page_id",
    "attachment_id",
    "cat",
    "tag",
    "author",
    "feed",
];

/// An old address as the redirects table keys it: percent-decoded, lowercase, no
/// trailing slash (`/` stays), and the addressing query parameters sorted.
pub fn normalize_old_path(path: &str, query: Option<&str>) -> String {
    let decoded = percent_decode(path).to_lowercase();
    let mut out = decoded.trim_end_matches('/').to_owned();
    if out.is_empty() {
        out.push('/');
    }
    let mut params: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|kv| ADDRESSING_QUERY.contains(&kv.split('=').next().unwrap_or("")))
        .collect();
    params.sort_unstable();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A hash of what an item writes: an unchanged item is not written again.
pub(crate) fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_normalize_like_the_link_map() {
        assert_eq!(normalize_old_path("/", Some("utm_source=x&p=42")), "/?p=42");
        assert_eq!(
            normalize_old_path("/2024/05/03/River-Basins/", None),
            "/2024/05/03/river-basins"
        );
        assert_eq!(normalize_old_path("/%D0%BF%D1%80/", None), "/пр");
        assert_eq!(normalize_old_path("/", None), "/");
        assert_eq!(normalize_old_path("/a%", None), "/a%");
    }

    #[test]
    fn typed_addresses_become_what_the_table_holds_or_are_refused() {
        assert_eq!(
            old_address(" https://Old.example/2019/05/River/?utm=1#top ").unwrap(),
            "/2019/05/river"
        );
        assert_eq!(old_address("http://old.example").unwrap(), "/");
        assert_eq!(old_address("/?p=42&x=1").unwrap(), "/?p=42");
        assert_eq!(old_address("?page_id=7").unwrap(), "/?page_id=7");
        for bad in ["", "old/path", "javascript:alert(1)", "/a\nb"] {
            assert!(old_address(bad).is_err(), "{bad:?}");
        }
        assert!(old_address(&format!("/{}", "a".repeat(MAX_ADDRESS))).is_err());
        assert_eq!(
            new_address("/ru/page/о нас").unwrap(),
            "/ru/page/%D0%BE%20%D0%BD%D0%B0%D1%81"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "en/x",
            "/a\rb",
        ] {
            assert!(new_address(bad).is_err(), "{bad:?}");
        }
    }
}
