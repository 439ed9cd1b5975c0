//! API access (migration 0007): Content API keys and Admin API tokens. Idempotency keys
//! are claimed inside the create they guard (`ArticleStore::create_owned_article`).

use crate::{ApiKey, ApiToken, StoreResult};
use async_trait::async_trait;
use byline_core::{User, UserId};

/// How long an Admin API idempotency key is remembered (a day, as the common payment
/// APIs do): long enough for any client's retries, short enough that the table stays small.
pub const IDEMPOTENCY_KEY_LIFETIME_SECS: i64 = 24 * 60 * 60;

#[async_trait]
pub trait ApiStore: Send + Sync {
    /// Records a Content API key by the SHA-256 of its text; returns its id.
    async fn create_api_key(&self, name: &str, key_hash: &str) -> StoreResult<i64>;
    /// The key with this hash, unless revoked (`NotFound`).
    async fn api_key(&self, key_hash: &str) -> StoreResult<ApiKey>;
    /// Every key, revoked ones included, by id.
    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// Revokes a key; `NotFound` when unknown or already revoked.
    async fn revoke_api_key(&self, id: i64) -> StoreResult<()>;

    /// Records an Admin API token of `user` by the SHA-256 of its text; returns its id.
    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64>;
    /// The token with this hash and its account, unless revoked or the account is
    /// disabled (`NotFound`).
    async fn api_token(&self, token_hash: &str) -> StoreResult<(ApiToken, User)>;
    /// Tokens of `user` (all users' when `None`), revoked ones included, by id.
    async fn api_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<ApiToken>>;
    /// Revokes a token; `NotFound` when unknown or already revoked.
    async fn revoke_api_token(&self, id: i64) -> StoreResult<()>;
}
