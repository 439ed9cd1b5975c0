//! Newsroom accounts, sessions, the audit log and article revisions, as stored.

use crate::article::ArticleStatus;
use crate::ids::{ArticleId, AuthorId, SectionId, UserId};
use crate::roles::Role;
use jiff::Timestamp;

/// A newsroom account (never carries the password hash; see [`Credentials`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// As typed when the account was made; unique ignoring case.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: Timestamp,
}

/// An account to create. The password is already an Argon2id PHC string.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

/// An account with its password hash, for checking a login.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// A signed-in browser. The store keeps only the SHA-256 of the cookie's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// One line of the audit log: who did what to which thing, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    /// `None` for the server itself (scheduled publishing, the command line).
    pub actor: Option<UserId>,
    /// The actor's e-mail at the time (kept even if the account changes later).
    pub actor_email: String,
    pub action: String,
    /// `article`, `user`, `session`, …
    pub entity_kind: String,
    pub entity_id: i64,
    pub summary: String,
    pub at: Timestamp,
}

/// An audit line to append.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub actor: Option<UserId>,
    pub actor_email: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: i64,
    pub summary: String,
}

/// What the newsroom knows about an article beyond its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleMeta {
    pub id: ArticleId,
    /// Who created it in the newsroom; `None` for the demo outlet and imports.
    pub owner: Option<UserId>,
    /// The writer it is assigned to, who works on it as its owner does.
    pub writer: Option<UserId>,
    /// The newest accepted revision (0 before the first newsroom save).
    pub revision: i64,
    /// The status before a soft delete, while the article is deleted.
    pub deleted_from: Option<ArticleStatus>,
}

/// A saved version of an article's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: i64,
    pub article: ArticleId,
    pub author: Option<UserId>,
    pub title: String,
    pub subtitle: String,
    pub body_markdown: String,
    /// False for a save refused as stale: kept so nothing typed is lost, never applied.
    pub accepted: bool,
    /// The revision the editor's form was based on.
    pub based_on: i64,
    pub created_at: Timestamp,
}

/// An internal note on an article (staff only; never shown to readers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleNote {
    pub id: i64,
    pub article: ArticleId,
    /// `None` when the account is gone.
    pub author: Option<UserId>,
    pub author_name: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// One row of the newsroom's article list.
#[derive(Debug, Clone)]
pub struct NewsroomArticle {
    pub id: ArticleId,
    pub edition: String,
    pub title: String,
    pub status: ArticleStatus,
    pub owner: Option<UserId>,
    pub section: SectionId,
    pub authors: Vec<AuthorId>,
    pub published_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Option<Timestamp>,
    /// The article's newest change of any kind.
    pub edited_at: Timestamp,
}
