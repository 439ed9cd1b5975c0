//! Who may use the API: read-only keys for apps (Content API) and user tokens (Admin
//! API, acting with the user's role). Idempotency keys belong to the create they guard
//! (`create.rs`).
//!
//! Keys and tokens are random and shown once; only their SHA-256 is stored (a fast hash
//! is enough for values this long: there is nothing to brute-force). The command line
//! uses the free functions with a bare store, the web front the `Content` methods.

use crate::accounts::{audit, token_hash};
use crate::{Content, ContentError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use byline_core::{Action, Ownership, User, UserId, allowed};
use byline_store::{ApiKey, ApiToken, Store};

/// Length of a Content API key: 26 lowercase hex characters, the form Ghost's
/// JavaScript client checks for.
pub const KEY_LEN: usize = 26;
pub const MAX_NAME: usize = 100;

/// A made key or token: its id and its text (shown once, never stored).
#[derive(Debug, Clone)]
pub struct Secret {
    pub id: i64,
    pub text: String,
}

/// 13 random bytes from the OS as 26 lowercase hex characters (104 bits).
fn new_key() -> String {
    let mut bytes = [0u8; KEY_LEN / 2];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` has the form of a key (checked before any database work).
pub fn looks_like_key(text: &str) -> bool {
    text.len() == KEY_LEN && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn checked_name(name: &str) -> Result<String, ContentError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ContentError::invalid(
            "name",
            format!("give a name of 1 to {MAX_NAME} characters"),
        ));
    }
    Ok(name.to_owned())
}

/// Makes a Content API key named `name`.
pub async fn create_api_key(
    store: &dyn Store,
    actor: Option<&User>,
    name: &str,
) -> Result<Secret, ContentError> {
    let name = checked_name(name)?;
    let text = new_key();
    let id = store.create_api_key(&name, &token_hash(&text)).await?;
    audit(store, actor, "api_key_created", "api_key", id, name).await?;
    Ok(Secret { id, text })
}

pub async fn revoke_api_key(
    store: &dyn Store,
    actor: Option<&User>,
    id: i64,
) -> Result<(), ContentError> {
    store.revoke_api_key(id).await?;
    audit(
        store,
        actor,
        "api_key_revoked",
        "api_key",
        id,
        String::new(),
    )
    .await
}

/// Makes an Admin API token for `user`, named `name`.
pub async fn create_api_token(
    store: &dyn Store,
    actor: Option<&User>,
    user: UserId,
    name: &str,
) -> Result<Secret, ContentError> {
    let name = checked_name(name)?;
    let text = crate::accounts::random_token();
    let id = store
        .create_api_token(user, &name, &token_hash(&text))
        .await?;
    audit(store, actor, "api_token_created", "user", user.0, name).await?;
    Ok(Secret { id, text })
}

pub async fn revoke_api_token(
    store: &dyn Store,
    actor: Option<&User>,
    id: i64,
) -> Result<(), ContentError> {
    store.revoke_api_token(id).await?;
    audit(
        store,
        actor,
        "api_token_revoked",
        "api_token",
        id,
        String::new(),
    )
    .await
}

/// Admins manage every key and token; everyone may manage their own tokens.
fn check_admin(actor: &User) -> Result<(), ContentError> {
    if allowed(actor.role, Action::ManageSettings, Ownership::Others) {
        Ok(())
    } else {
        Err(ContentError::Forbidden)
    }
}

impl Content {
    /// The live key with this text; `NotFound` for anything else (unknown, revoked,
    /// malformed).
    pub async fn api_key(&self, text: &str) -> Result<ApiKey, ContentError> {
        if !looks_like_key(text) {
            return Err(ContentError::NotFound);
        }
        Ok(self.store.api_key(&token_hash(text)).await?)
    }

    /// The account behind a live Admin API token; `NotFound` otherwise.
    pub async fn api_token_user(&self, text: &str) -> Result<User, ContentError> {
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ContentError::NotFound);
        }
        Ok(self.store.api_token(&token_hash(text)).await?.1)
    }

    pub async fn api_keys(&self, actor: &User) -> Result<Vec<ApiKey>, ContentError> {
        check_admin(actor)?;
        Ok(self.store.api_keys().await?)
    }

    pub async fn create_api_key(&self, actor: &User, name: &str) -> Result<Secret, ContentError> {
        check_admin(actor)?;
        create_api_key(self.store.as_ref(), Some(actor), name).await
    }

    pub async fn revoke_api_key(&self, actor: &User, id: i64) -> Result<(), ContentError> {
        check_admin(actor)?;
        revoke_api_key(self.store.as_ref(), Some(actor), id).await
    }

    /// Tokens `actor` may see: their own, or everyone's for admins.
    pub async fn api_tokens(&self, actor: &User) -> Result<Vec<ApiToken>, ContentError> {
        let all = check_admin(actor).is_ok();
        Ok(self.store.api_tokens((!all).then_some(actor.id)).await?)
    }

    /// A token for `actor` themself.
    pub async fn create_own_api_token(
        &self,
        actor: &User,
        name: &str,
    ) -> Result<Secret, ContentError> {
        create_api_token(self.store.as_ref(), Some(actor), actor.id, name).await
    }

    /// Revokes a token of `actor`'s own, or anyone's for admins.
    pub async fn revoke_api_token(&self, actor: &User, id: i64) -> Result<(), ContentError> {
        if check_admin(actor).is_err() {
            let own = self.store.api_tokens(Some(actor.id)).await?;
            if !own.iter().any(|t| t.id == id) {
                return Err(ContentError::Forbidden);
            }
        }
        revoke_api_token(self.store.as_ref(), Some(actor), id).await
    }

    /// Creates a tag or replaces its names in the given editions (others stay), in one
    /// write: the Admin API's `PUT /admin/tags/{slug}`. Returns the names it now has.
    pub async fn api_put_tag(
        &self,
        actor: &User,
        slug: &str,
        names: &std::collections::BTreeMap<String, String>,
    ) -> Result<byline_core::Localized, ContentError> {
        crate::newsroom_admin::require(actor, Action::ManageSectionsAndTags)?;
        if names.is_empty() {
            return Err(ContentError::invalid("names", "give at least one name"));
        }
        let catalog = self.catalog();
        let mut merged = catalog
            .tag_by_slug(slug.trim())
            .map(|t| t.name.clone())
            .unwrap_or_default();
        for (lang, name) in names {
            if !catalog.settings.has_edition(lang) {
                return Err(ContentError::invalid(
                    "names",
                    format!("there is no edition {lang:?}"),
                ));
            }
            merged.0.insert(
                lang.clone(),
                crate::newsroom_admin::name_checked("names", name)?,
            );
        }
        let id = self.put_tag(slug.trim(), &merged).await?;
        self.audit(
            Some(actor),
            "tag_saved",
            "tag",
            id.0,
            format!("{} (API)", slug.trim()),
        )
        .await?;
        Ok(merged)
    }

    /// A published article by id, with its story's published editions.
    pub async fn published_article_by_id(
        &self,
        id: byline_core::ArticleId,
    ) -> Result<(byline_core::Article, Vec<byline_store::Translation>), ContentError> {
        let article = self.store.article(id).await?;
        if article.status == byline_core::ArticleStatus::TakenDown {
            // Apps that cached it learn to drop it.
            return Err(ContentError::TakenDown);
        }
        if article.status != byline_core::ArticleStatus::Published {
            return Err(ContentError::NotFound);
        }
        let translations = self.store.translations(article.translation_group).await?;
        Ok((article, translations))
    }

    /// The most read articles of `edition` over the front page's period, whole.
    pub async fn most_read_articles(
        &self,
        edition: &str,
        limit: u32,
    ) -> Result<Vec<byline_core::Article>, ContentError> {
        self.edition_checked(edition)?;
        let since = self
            .clock()
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(
                24 * self.options().most_read_days,
            ))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let top = self
            .store
            .most_read(edition, since, i64::from(limit.clamp(1, 100)))
            .await?;
        let window = byline_store::ArticleWindow {
            ids: top.iter().map(|a| a.id).collect(),
            ..Default::default()
        };
        let mut whole = self.store.article_window(&window, limit).await?;
        whole.sort_by_key(|a| top.iter().position(|t| t.id == a.id));
        Ok(whole)
    }

    /// Published articles in `window`, newest first, at most `limit` (1–100).
    pub async fn article_window(
        &self,
        window: &byline_store::ArticleWindow,
        limit: u32,
    ) -> Result<Vec<byline_core::Article>, ContentError> {
        if let Some(edition) = &window.filter.edition {
            self.edition_checked(edition)?;
        }
        Ok(self
            .store
            .article_window(window, limit.clamp(1, 100))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_form_ghost_clients_check() {
        let key = new_key();
        assert!(looks_like_key(&key), "{key}");
        assert_ne!(key, new_key());
        assert!(!looks_like_key(&key.to_uppercase()));
        assert!(!looks_like_key(&key[1..]));
    }
}
