//! Login throttling: at most `LIMIT` failed logins per `WINDOW`, counted per client IP
//! and per account, in memory on each node. Past the limit, logins are refused before
//! the password is even checked (no Argon2 work for an attacker's guesses) with a 429
//! and `Retry-After`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const LIMIT: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Above this many keys, expired ones are swept (bounds memory under a spray attack).
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    /// `Err(wait)` when any of `keys` has used up its failures.
    pub fn check(&self, keys: &[String]) -> Result<(), Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(times) = map.get_mut(key) {
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= WINDOW)
                {
                    times.pop_front();
                }
                if times.len() >= LIMIT {
                    let oldest = times.front().copied().unwrap_or(now);
                    wait = wait.max(WINDOW.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    pub fn fail(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        for key in keys {
            map.entry(key.clone()).or_default().push_back(now);
        }
    }

    /// A successful login forgets the account's failures (not the IP's).
    pub fn succeed(&self, account_key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(account_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_then_a_wait() {
        let t = Throttle::default();
        let keys = vec!["ip:1".to_owned(), "account:a".to_owned()];
        for _ in 0..LIMIT {
            assert!(t.check(&keys).is_ok());
            t.fail(&keys);
        }
        let wait = t.check(&keys).unwrap_err();
        assert!(wait > Duration::from_secs(14 * 60) && wait <= WINDOW);
        assert!(
            t.check(&["ip:2".to_owned()]).is_ok(),
            "others are not affected"
        );
        assert!(
            t.check(&["account:a".to_owned()]).is_err(),
            "per account too"
        );
        t.succeed("account:a");
        assert!(t.check(&["account:a".to_owned()]).is_ok());
    }
}
