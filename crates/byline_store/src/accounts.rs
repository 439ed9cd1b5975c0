//! The newsroom's accounts: users, sessions, failed logins and the audit log.

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{AuditEntry, Credentials, NewAuditEntry, NewUser, Role, Session, User, UserId};

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; `Conflict("user email")` when the e-mail is taken (ignoring case).
    async fn create_user(&self, user: &NewUser) -> StoreResult<UserId>;
    async fn user(&self, id: UserId) -> StoreResult<User>;
    /// The account with this e-mail (ignoring case and surrounding space) and its hash.
    async fn credentials(&self, email: &str) -> StoreResult<Credentials>;
    /// Every account, by id.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Records login attempt `attempt` under each of `keys` at `at` (UTC seconds),
    /// dropping every one recorded before `forget_before` on the way. An attempt counts
    /// as a failure until [`forget_login_attempt`](Self::forget_login_attempt) takes it
    /// back: throttling reserves before the password is checked. Shared by every node.
    async fn record_login_attempt(
        &self,
        attempt: &str,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> StoreResult<()>;
    /// Takes back every record of `attempt` (it succeeded, or was refused unchecked).
    async fn forget_login_attempt(&self, attempt: &str) -> StoreResult<()>;
    /// For each of `keys` with failures at or after `since`: the key, how many, and the
    /// time of the oldest of them.
    async fn login_failures_since(
        &self,
        keys: &[String],
        since: i64,
    ) -> StoreResult<Vec<(String, u64, i64)>>;
    /// Forgets the failures of `key` (a successful login forgets its account's).
    async fn forget_login_failures(&self, key: &str) -> StoreResult<()>;
    /// How many enabled admins there are.
    async fn active_admins(&self) -> StoreResult<u64>;
    async fn set_user_role(&self, id: UserId, role: Role) -> StoreResult<()>;
    /// Disabling also ends every session of the account, in the same transaction.
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()>;
    /// Replaces the password hash and ends the account's sessions except `keep` (the
    /// token hash of the session that made the change, if any).
    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()>;
    async fn create_session(&self, session: &Session) -> StoreResult<()>;
    /// The session with this token hash and its account; `NotFound` when unknown,
    /// expired at `now`, or the account is disabled.
    async fn session(&self, token_hash: &str, now: jiff::Timestamp)
    -> StoreResult<(Session, User)>;
    async fn touch_session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()>;
    /// Audit lines newest first, with ids below `before` when given.
    async fn audit_log(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditEntry>>;
}
