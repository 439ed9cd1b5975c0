//! Newsroom accounts: passwords (Argon2id), sessions and the audit log.
//!
//! The command line uses the free functions here with a bare store (it must not start
//! the content service: that would take the search index's lock from a running server);
//! the web front goes through the `Content` methods, which wrap the same functions.

use crate::{Content, ContentError};
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use byline_core::{AuditEntry, NewAuditEntry, NewUser, Role, Session, User, UserId};
use byline_store::{Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 200;
pub const MAX_EMAIL: usize = 254;
pub const MAX_DISPLAY_NAME: usize = 100;
/// A session lasts this long after login (sliding sessions would keep a stolen cookie
/// alive forever; two weeks is a working fortnight between logins).
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 14);
/// `last_seen_at` is written at most this often (a write per request would be waste).
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// What a new account needs, as typed.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// `None`: a one-time password is generated and returned.
    pub password: Option<String>,
}

/// A created account and, when none was given, its generated password.
#[derive(Debug, Clone)]
pub struct CreatedUser {
    pub id: UserId,
    pub generated_password: Option<String>,
}

/// A started session: the cookie's token (shown once, never stored) and the account.
#[derive(Debug, Clone)]
pub struct Login {
    pub token: String,
    pub user: User,
}

/// The SHA-256 of a session token, as stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the OS, hex: the session token (and other unguessable values).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A readable one-time password: 20 characters without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20)
        .map(|_| ALPHABET[(OsRng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// Hashes on a blocking thread: Argon2id is deliberately slow (tens of ms) and would
/// stall the async workers.
pub async fn hash_password(password: &str) -> Result<String, ContentError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ContentError::Internal(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| ContentError::Internal(e.into()))?
}

async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Checks a new password against the rules; the message says what to fix.
pub fn check_password(field: &'static str, password: &str) -> Result<(), ContentError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(ContentError::invalid(
            field,
            format!("the password needs at least {MIN_PASSWORD} characters"),
        ));
    }
    if n > MAX_PASSWORD {
        return Err(ContentError::invalid(
            field,
            format!("the password may have at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain,
/// no spaces or control characters. Delivery is not our concern; typos are.
pub fn check_email(email: &str) -> Result<String, ContentError> {
    let email = email.trim();
    let bad = || ContentError::invalid("email", "enter an e-mail address like name@example.org");
    if email.is_empty() || email.chars().count() > MAX_EMAIL {
        return Err(bad());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || domain.ends_with('.') {
        return Err(bad());
    }
    Ok(email.to_owned())
}

/// Validates and creates an account (the command line and the admin page).
pub async fn create_user(store: &dyn Store, input: UserInput) -> Result<CreatedUser, ContentError> {
    let email = check_email(&input.email)?;
    let display_name = input.display_name.trim();
    let display_name = if display_name.is_empty() {
        email.split('@').next().unwrap_or(&email).to_owned()
    } else {
        display_name.to_owned()
    };
    if display_name.chars().count() > MAX_DISPLAY_NAME || display_name.chars().any(char::is_control)
    {
        return Err(ContentError::invalid(
            "display_name",
            format!("the name may have at most {MAX_DISPLAY_NAME} characters, on one line"),
        ));
    }
    let (password, generated) = match input.password {
        Some(p) => {
            check_password("password", &p)?;
            (p, None)
        }
        None => {
            let p = generate_password();
            (p.clone(), Some(p))
        }
    };
    let password_hash = hash_password(&password).await?;
    let id = store
        .create_user(&NewUser {
            email,
            display_name,
            role: input.role,
            password_hash,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ContentError::invalid("email", "an account with this e-mail already exists")
            }
            other => other.into(),
        })?;
    Ok(CreatedUser {
        id,
        generated_password: generated,
    })
}

/// Appends to the audit log on behalf of `actor` (`None`: the server itself).
pub async fn audit(
    store: &dyn Store,
    actor: Option<&User>,
    action: &str,
    entity_kind: &str,
    entity_id: i64,
    summary: String,
) -> Result<(), ContentError> {
    store
        .append_audit(&NewAuditEntry {
            actor: actor.map(|u| u.id),
            actor_email: actor.map(|u| u.email.clone()).unwrap_or_default(),
            action: action.to_owned(),
            entity_kind: entity_kind.to_owned(),
            entity_id,
            summary,
        })
        .await?;
    Ok(())
}

/// A valid Argon2id hash of nothing anyone types: verifying against it costs what a real
/// check costs, so an unknown e-mail answers as slowly as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$YnlsaW5lLWR1bW15$0qXnFLeMRYMoqVQ1bqFBm2X0Hn7vVvsQ1sTZ3E6Yx0o";

impl Content {
    /// A turn to run Argon2: a flood of logins queues for a moment, then is refused
    /// (503 with Retry-After) instead of taking every core and gigabytes of memory.
    async fn password_check_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ContentError> {
        let busy = || {
            ContentError::Unavailable(
                "too many sign-ins at once; try again in a few seconds".into(),
            )
        };
        match self.password_checks.try_acquire() {
            Ok(permit) => Ok(permit),
            Err(_) => tokio::time::timeout(
                self.options().password_check_wait,
                self.password_checks.acquire(),
            )
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy()),
        }
    }

    /// Checks e-mail and password and starts a session, within the throttle's limits
    /// for `client` (`Throttled` past them: see [`crate::throttle`]).
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: crate::LoginClient<'_>,
    ) -> Result<Login, ContentError> {
        let reservation = self.reserve_login(email, client).await?;
        let turn = match self.password_check_turn().await {
            Ok(turn) => turn,
            Err(busy) => {
                self.login_unchecked(reservation).await?;
                return Err(busy);
            }
        };
        let checked = self.check_credentials(email, password).await;
        drop(turn);
        match checked {
            Ok(login) => {
                self.login_succeeded(reservation).await?;
                Ok(login)
            }
            // A wrong password keeps its reservation: that is the failure counted.
            Err(ContentError::WrongCredentials) => Err(ContentError::WrongCredentials),
            Err(other) => {
                self.login_unchecked(reservation).await?;
                Err(other)
            }
        }
    }

    async fn check_credentials(&self, email: &str, password: &str) -> Result<Login, ContentError> {
        let found = match self.store.credentials(email).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let hash = found
            .as_ref()
            .map(|c| c.password_hash.as_str())
            .unwrap_or(DUMMY_HASH);
        let matches = verify_password(password, hash).await;
        let Some(credentials) = found.filter(|c| matches && !c.user.disabled) else {
            return Err(ContentError::WrongCredentials);
        };
        let token = random_token();
        let now = Timestamp::now();
        self.store
            .create_session(&Session {
                token_hash: token_hash(&token),
                user: credentials.user.id,
                created_at: now,
                expires_at: now + SESSION_LIFETIME,
                last_seen_at: now,
            })
            .await?;
        let user = credentials.user;
        audit(
            self.store.as_ref(),
            Some(&user),
            "login",
            "user",
            user.id.0,
            String::new(),
        )
        .await?;
        Ok(Login { token, user })
    }

    /// The account signed in with `token`; `NotFound` for unknown, expired or disabled.
    pub async fn session_user(&self, token: &str) -> Result<User, ContentError> {
        let now = Timestamp::now();
        let hash = token_hash(token);
        let (session, user) = self.store.session(&hash, now).await?;
        if now.duration_since(session.last_seen_at) >= TOUCH_EVERY {
            self.store.touch_session(&hash, now).await?;
        }
        Ok(user)
    }

    pub async fn logout(&self, token: &str) -> Result<(), ContentError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// Changes the acting user's password after checking the current one; every other
    /// session of the account ends (a stolen cookie stops working).
    pub async fn change_password(
        &self,
        user: &User,
        token: &str,
        current: &str,
        new: &str,
    ) -> Result<(), ContentError> {
        let credentials = self.store.credentials(&user.email).await?;
        let _turn = self.password_check_turn().await?;
        if !verify_password(current, &credentials.password_hash).await {
            return Err(ContentError::invalid(
                "current",
                "the current password is wrong",
            ));
        }
        check_password("new", new)?;
        let hash = hash_password(new).await?;
        self.store
            .set_password_hash(user.id, &hash, Some(&token_hash(token)))
            .await?;
        // Admin API tokens are as good as the password: a changed password (perhaps
        // because it was stolen) ends them too.
        let revoked = self.revoke_all_api_tokens(user.id).await?;
        audit(
            self.store.as_ref(),
            Some(user),
            "password_changed",
            "user",
            user.id.0,
            if revoked > 0 {
                format!("{revoked} API token(s) revoked")
            } else {
                String::new()
            },
        )
        .await
    }

    /// Revokes every live Admin API token of `user`; how many there were.
    async fn revoke_all_api_tokens(&self, user: UserId) -> Result<usize, ContentError> {
        let live: Vec<i64> = self
            .store
            .api_tokens(Some(user))
            .await?
            .into_iter()
            .filter(|t| t.revoked_at.is_none())
            .map(|t| t.id)
            .collect();
        for id in &live {
            match self.store.revoke_api_token(*id).await {
                // Revoked meanwhile by someone else: as good.
                Ok(()) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(live.len())
    }

    fn require(&self, actor: &User, action: byline_core::Action) -> Result<(), ContentError> {
        if byline_core::allowed(actor.role, action, byline_core::Ownership::Others) {
            Ok(())
        } else {
            Err(ContentError::Forbidden)
        }
    }

    pub async fn users(&self, actor: &User) -> Result<Vec<User>, ContentError> {
        self.require(actor, byline_core::Action::ManageUsers)?;
        Ok(self.store.users().await?)
    }

    pub async fn add_user(
        &self,
        actor: &User,
        input: UserInput,
    ) -> Result<CreatedUser, ContentError> {
        self.require(actor, byline_core::Action::ManageUsers)?;
        let (email, role) = (input.email.trim().to_owned(), input.role);
        let created = create_user(self.store.as_ref(), input).await?;
        audit(
            self.store.as_ref(),
            Some(actor),
            "user_created",
            "user",
            created.id.0,
            format!("{email} as {role}"),
        )
        .await?;
        Ok(created)
    }

    /// Changes a role. The last enabled admin cannot stop being one (nobody could then
    /// manage users).
    pub async fn set_role(&self, actor: &User, id: UserId, role: Role) -> Result<(), ContentError> {
        self.require(actor, byline_core::Action::ManageUsers)?;
        let target = self.store.user(id).await?;
        if target.role == Role::Admin
            && role != Role::Admin
            && !target.disabled
            && self.store.active_admins().await? <= 1
        {
            return Err(ContentError::invalid(
                "role",
                "the last admin must stay an admin",
            ));
        }
        self.store.set_user_role(id, role).await?;
        audit(
            self.store.as_ref(),
            Some(actor),
            "user_role_changed",
            "user",
            id.0,
            format!("{}: {} → {role}", target.email, target.role),
        )
        .await
    }

    /// Disables (ending every session at once) or enables an account.
    pub async fn set_disabled(
        &self,
        actor: &User,
        id: UserId,
        disabled: bool,
    ) -> Result<(), ContentError> {
        self.require(actor, byline_core::Action::ManageUsers)?;
        let target = self.store.user(id).await?;
        if disabled && target.id == actor.id {
            return Err(ContentError::invalid(
                "user",
                "you cannot disable your own account",
            ));
        }
        self.store.set_user_disabled(id, disabled).await?;
        // Disabling ends the account's sessions (in the store) and its API tokens for
        // good: enabling it again does not bring old tokens back.
        if disabled {
            self.revoke_all_api_tokens(id).await?;
        }
        let action = if disabled {
            "user_disabled"
        } else {
            "user_enabled"
        };
        audit(
            self.store.as_ref(),
            Some(actor),
            action,
            "user",
            id.0,
            target.email,
        )
        .await
    }

    /// A page of the audit log, newest first (admins only).
    pub async fn audit_log(
        &self,
        actor: &User,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, ContentError> {
        self.require(actor, byline_core::Action::ReadAuditLog)?;
        Ok(self.store.audit_log(before, limit.clamp(1, 500)).await?)
    }

    /// Appends an audit line (`None`: the server itself).
    pub async fn audit(
        &self,
        actor: Option<&User>,
        action: &str,
        entity_kind: &str,
        entity_id: i64,
        summary: String,
    ) -> Result<(), ContentError> {
        audit(
            self.store.as_ref(),
            actor,
            action,
            entity_kind,
            entity_id,
            summary,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash).await);
        assert!(!verify_password("wrong horse battery", &hash).await);
        assert!(
            PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash parses, so unknown e-mails cost a real verification"
        );
    }

    #[test]
    fn generated_passwords_pass_the_rules_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert!(check_password("p", &a).is_ok());
        assert_ne!(a, b);
        assert_eq!(random_token().len(), 64);
    }

    #[test]
    fn emails() {
        assert_eq!(
            check_email("  ann@example.org ").unwrap(),
            "ann@example.org"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
    }
}
