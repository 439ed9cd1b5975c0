//! Login throttling: at most `LIMIT` failed logins per `WINDOW`, counted per client IP
//! and per account in the store, so every node of an outlet counts the same failures (an
//! attacker spreading guesses over N nodes gets no more of them). Past the limit, logins
//! are refused before the password is even checked (no Argon2 work for an attacker's
//! guesses) with a 429 and `Retry-After`.

use byline_content::{ContentError, Store};
use std::time::Duration;

pub const LIMIT: u64 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Throttle;

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn window() -> i64 {
    WINDOW.as_secs() as i64
}

impl Throttle {
    /// `Ok(Err(wait))` when any of `keys` has used up its failures.
    pub async fn check(
        &self,
        store: &dyn Store,
        keys: &[String],
    ) -> Result<Result<(), Duration>, ContentError> {
        let now = now();
        let mut wait = 0;
        for (_, failures, oldest) in store.login_failures_since(keys, now - window()).await? {
            if failures >= LIMIT {
                wait = wait.max(oldest + window() - now);
            }
        }
        Ok(if wait > 0 {
            Err(Duration::from_secs(wait as u64))
        } else {
            Ok(())
        })
    }

    /// Counts a failed login under every key (and forgets failures older than the window).
    pub async fn fail(&self, store: &dyn Store, keys: &[String]) -> Result<(), ContentError> {
        let now = now();
        Ok(store
            .record_login_failure(keys, now, now - window())
            .await?)
    }

    /// A successful login forgets the account's failures (not the IP's).
    pub async fn succeed(&self, store: &dyn Store, account_key: &str) -> Result<(), ContentError> {
        Ok(store.forget_login_failures(account_key).await?)
    }
}
