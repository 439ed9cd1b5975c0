//! Login throttling that reserves before it verifies, shared by every node.
//!
//! Each attempt is written to the store under all its keys *before* the password is
//! checked, then the keys are counted: parallel guesses see each other's reservations,
//! so no more than the limit of them ever reach Argon2. A successful attempt is taken
//! back; a refused one too (it was never checked, so it is not a failure); a wrong
//! password stays as a failure for the window.
//!
//! The keys, counted over [`WINDOW`]:
//! - the client address: [`PER_ADDRESS`] failures, whatever accounts it tries (spraying);
//! - the account from that address: [`PER_ACCOUNT_AND_ADDRESS`] (guessing one password);
//! - the account from anywhere: [`PER_ACCOUNT`] (guessing from many addresses) — except
//!   for a browser that has signed in to this account before (a *known device*, proven
//!   by a signed cookie), which counts under its own key ([`PER_DEVICE`]) instead.
//!
//! So a stranger can lock out only their own address, and at worst an account's sign-ins
//! from new devices for one window; staff on a browser they have used before always get
//! their own attempts (the device-cookie scheme OWASP recommends against lockout abuse).

use crate::{Content, ContentError};
use std::net::IpAddr;
use std::time::Duration;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_ADDRESS: u64 = 20;
pub const PER_ACCOUNT_AND_ADDRESS: u64 = 5;
pub const PER_ACCOUNT: u64 = 10;
pub const PER_DEVICE: u64 = 10;

/// Where a login comes from.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginClient<'a> {
    /// The client's address (`None` inside the process).
    pub address: Option<IpAddr>,
    /// The id of a device cookie already checked to belong to this account.
    pub known_device: Option<&'a str>,
}

/// Whose attempts a login counts under, and how many failures each may have.
fn keys(email: &str, client: LoginClient<'_>) -> Vec<(String, u64)> {
    let account = email.trim().to_lowercase();
    let address = client
        .address
        .map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let mut keys = vec![
        (format!("ip:{address}"), PER_ADDRESS),
        (
            format!("account-ip:{account}|{address}"),
            PER_ACCOUNT_AND_ADDRESS,
        ),
    ];
    match client.known_device {
        Some(device) => keys.push((format!("device:{device}"), PER_DEVICE)),
        None => keys.push((format!("account:{account}"), PER_ACCOUNT)),
    }
    keys
}

/// A reserved attempt: its id and keys.
pub(crate) struct Reservation {
    attempt: String,
    keys: Vec<(String, u64)>,
}

impl Content {
    /// Reserves an attempt to sign in as `email`; `Throttled` when any of its keys has
    /// used up its failures (the reservation is then taken back).
    pub(crate) async fn reserve_login(
        &self,
        email: &str,
        client: LoginClient<'_>,
    ) -> Result<Reservation, ContentError> {
        let keys = keys(email, client);
        let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let now = self.clock().now().as_second();
        let since = now - WINDOW.as_secs() as i64;
        let attempt = crate::accounts::random_token();
        self.store
            .record_login_attempt(&attempt, &names, now, since)
            .await?;
        // Counted after our own row is in: whoever reserved before us is counted too.
        let counts = self.store.login_failures_since(&names, since).await;
        let mut wait = 0;
        match &counts {
            Ok(counts) => {
                for (key, attempts, oldest) in counts {
                    let limit = keys.iter().find(|(k, _)| k == key).map_or(0, |(_, l)| *l);
                    // `attempts` includes this one.
                    if *attempts > limit {
                        wait = wait.max(oldest + WINDOW.as_secs() as i64 - now);
                    }
                }
            }
            Err(_) => wait = 1,
        }
        if wait > 0 {
            self.store.forget_login_attempt(&attempt).await?;
            counts?;
            return Err(ContentError::Throttled {
                retry_after: Duration::from_secs(wait.max(1) as u64),
            });
        }
        Ok(Reservation { attempt, keys })
    }

    /// The reserved attempt succeeded: it and the failures of this account from this
    /// address (or device) are forgotten. The address's other failures stay.
    pub(crate) async fn login_succeeded(&self, r: Reservation) -> Result<(), ContentError> {
        self.store.forget_login_attempt(&r.attempt).await?;
        for (key, _) in &r.keys {
            if key.starts_with("account-ip:") || key.starts_with("device:") {
                self.store.forget_login_failures(key).await?;
            }
        }
        Ok(())
    }

    /// The attempt was not checked after all (the service was busy): not a failure.
    pub(crate) async fn login_unchecked(&self, r: Reservation) -> Result<(), ContentError> {
        Ok(self.store.forget_login_attempt(&r.attempt).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_device_replaces_the_account_wide_key() {
        let ip: IpAddr = "198.51.100.4".parse().unwrap();
        let new_device = keys(
            " Editor@Example.org ",
            LoginClient {
                address: Some(ip),
                known_device: None,
            },
        );
        assert_eq!(
            new_device,
            vec![
                ("ip:198.51.100.4".to_owned(), PER_ADDRESS),
                (
                    "account-ip:editor@example.org|198.51.100.4".to_owned(),
                    PER_ACCOUNT_AND_ADDRESS
                ),
                ("account:editor@example.org".to_owned(), PER_ACCOUNT),
            ]
        );
        let known = keys(
            "editor@example.org",
            LoginClient {
                address: Some(ip),
                known_device: Some("d1"),
            },
        );
        assert!(known.contains(&("device:d1".to_owned(), PER_DEVICE)));
        assert!(!known.iter().any(|(k, _)| k.starts_with("account:")));
    }
}
