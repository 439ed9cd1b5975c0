//! Honest view counts: a reader counts once per article per window, and one machine
//! cannot push an article up "most read" by sending beacons.
//!
//! Nothing about a reader is stored: a view is remembered only as a keyed hash (SipHash
//! with a key drawn at start-up and never written anywhere) of the client's address, its
//! user agent and the article, held in memory for one to two windows. Two rules:
//! - the same address and user agent count once per article per window;
//! - one address counts at most [`ViewLimits::per_address`] times per article per window,
//!   whatever user agents it claims (an office or a phone network shares an address
//!   among real readers, so this is a ceiling, not one). IPv6 addresses are taken by
//!   their /64, the block one machine usually has.
//!
//! Memory is two generations of hashes per shard: the current window's and the last
//! one's. A view is known if either holds it, so a repeat within one window is always
//! caught and one within two windows usually is. A generation that grows past its cap
//! (a flood of made-up clients) is retired early: the window shortens, memory does not
//! grow.

use byline_core::ArticleId;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How views are limited per client.
#[derive(Debug, Clone, Copy)]
pub struct ViewLimits {
    /// How long a client's view of an article is remembered (zero: every beacon counts,
    /// for benchmarks of the raw counter).
    pub window: Duration,
    /// Views of one article counted from one address per window.
    pub per_address: u16,
}

impl Default for ViewLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(30 * 60),
            per_address: 10,
        }
    }
}

/// Who sent a beacon, as far as counting goes. `address: None` only for requests made
/// inside the process (tests through the router without a connection): not limited.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub address: Option<IpAddr>,
    pub user_agent: Option<&'a str>,
}

const SHARDS: usize = 16;
/// Entries per shard and generation before it is retired early (16 shards × 2
/// generations × 64 Ki × ~10 bytes ≈ 20 MB at most).
const SHARD_CAP: usize = 64 * 1024;

pub struct RecentReaders {
    limits: ViewLimits,
    hasher: RandomState,
    shards: Vec<Mutex<Generations>>,
}

struct Generations {
    started: Instant,
    current: HashMap<u64, u16>,
    previous: HashMap<u64, u16>,
}

/// Whether a beacon adds a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Count,
    /// This client's view of the article is already counted in this window.
    Repeat,
    /// Its address has sent the article's allowance of views in this window.
    AddressLimit,
}

impl RecentReaders {
    pub fn new(limits: ViewLimits) -> Self {
        Self {
            limits,
            hasher: RandomState::new(),
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Generations {
                        started: Instant::now(),
                        current: HashMap::new(),
                        previous: HashMap::new(),
                    })
                })
                .collect(),
        }
    }

    /// Decides whether `reader`'s beacon for `article` counts, and remembers it.
    pub fn admit(&self, article: ArticleId, reader: Reader<'_>) -> Verdict {
        let Some(address) = reader.address else {
            return Verdict::Count;
        };
        if self.limits.window.is_zero() {
            return Verdict::Count;
        }
        let block = machine_block(address);
        let client = self.hasher.hash_one((
            b'c',
            article.0,
            block,
            address,
            reader.user_agent.unwrap_or(""),
        ));
        let per_address = self.hasher.hash_one((b'a', article.0, block));
        let now = Instant::now();
        if self.seen(client, now) > 0 {
            return Verdict::Repeat;
        }
        // Checked and counted under the address's own shard lock, so parallel beacons
        // from one address cannot all slip under the ceiling.
        let mut shard = self.shard(per_address, now);
        let sent = shard.current.get(&per_address).copied().unwrap_or(0)
            + shard.previous.get(&per_address).copied().unwrap_or(0);
        if sent >= self.limits.per_address {
            return Verdict::AddressLimit;
        }
        *shard.current.entry(per_address).or_default() += 1;
        drop(shard);
        let mut shard = self.shard(client, now);
        if shard.current.contains_key(&client) || shard.previous.contains_key(&client) {
            // Another beacon of the same client won the race: give the address its
            // allowance back.
            drop(shard);
            let mut shard = self.shard(per_address, now);
            if let Some(n) = shard.current.get_mut(&per_address) {
                *n = n.saturating_sub(1);
            }
            return Verdict::Repeat;
        }
        shard.current.insert(client, 1);
        Verdict::Count
    }

    fn seen(&self, key: u64, now: Instant) -> u16 {
        let shard = self.shard(key, now);
        shard
            .current
            .get(&key)
            .or(shard.previous.get(&key))
            .copied()
            .unwrap_or(0)
    }

    /// The shard holding `key`, its generations rotated if the window has passed.
    fn shard(&self, key: u64, now: Instant) -> std::sync::MutexGuard<'_, Generations> {
        let mut shard = self.shards[(key as usize) % SHARDS]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let expired = now.duration_since(shard.started) >= self.limits.window;
        if expired || shard.current.len() >= SHARD_CAP {
            let elapsed_twice = now.duration_since(shard.started) >= self.limits.window * 2;
            shard.previous = std::mem::take(&mut shard.current);
            if elapsed_twice {
                // Nothing from two windows ago is kept either.
                shard.previous.clear();
            }
            shard.started = now;
        }
        shard
    }
}

/// The block of addresses one machine usually has: the address itself for IPv4, its /64
/// for IPv6.
fn machine_block(address: IpAddr) -> [u8; 8] {
    match address {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            [o[0], o[1], o[2], o[3], 0, 0, 0, 0]
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => machine_block(IpAddr::V4(v4)),
            None => {
                let o = v6.octets();
                [o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]]
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader<'a>(ip: &str, ua: &'a str) -> Reader<'a> {
        Reader {
            address: Some(ip.parse().unwrap()),
            user_agent: Some(ua),
        }
    }

    #[test]
    fn a_client_counts_once_per_article_and_window() {
        let r = RecentReaders::new(ViewLimits::default());
        let a = ArticleId(1);
        assert_eq!(r.admit(a, reader("10.0.0.1", "Firefox")), Verdict::Count);
        assert_eq!(r.admit(a, reader("10.0.0.1", "Firefox")), Verdict::Repeat);
        assert_eq!(
            r.admit(ArticleId(2), reader("10.0.0.1", "Firefox")),
            Verdict::Count,
            "another article counts"
        );
        assert_eq!(
            r.admit(a, reader("10.0.0.2", "Firefox")),
            Verdict::Count,
            "another address counts"
        );
        assert_eq!(
            r.admit(a, reader("10.0.0.1", "Safari")),
            Verdict::Count,
            "another browser behind the same address counts"
        );
    }

    #[test]
    fn one_address_cannot_push_an_article_by_changing_its_user_agent() {
        let r = RecentReaders::new(ViewLimits {
            per_address: 5,
            ..ViewLimits::default()
        });
        let counted = (0..1000)
            .filter(|i| {
                r.admit(ArticleId(7), reader("203.0.113.9", &format!("bot {i}"))) == Verdict::Count
            })
            .count();
        assert_eq!(counted, 5);
        // One machine's IPv6 /64 is one address.
        let counted = (0..1000)
            .filter(|i| {
                let ip = format!("2001:db8:1:2::{:x}", i + 1);
                r.admit(ArticleId(7), reader(&ip, "same")) == Verdict::Count
            })
            .count();
        assert_eq!(counted, 5);
    }

    #[test]
    fn distinct_readers_are_counted_exactly() {
        let r = RecentReaders::new(ViewLimits::default());
        let counted = (0..50_000u32)
            .filter(|i| {
                let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000u32 + i));
                r.admit(
                    ArticleId(3),
                    Reader {
                        address: Some(ip),
                        user_agent: Some("Chrome"),
                    },
                ) == Verdict::Count
            })
            .count();
        assert_eq!(counted, 50_000);
    }

    #[test]
    fn after_the_window_a_client_counts_again() {
        let r = RecentReaders::new(ViewLimits {
            // Long enough that a test thread held up by a busy machine between the
            // first two admits still sees them within one window.
            window: Duration::from_millis(500),
            per_address: 10,
        });
        let a = ArticleId(1);
        assert_eq!(r.admit(a, reader("10.0.0.1", "x")), Verdict::Count);
        assert_eq!(r.admit(a, reader("10.0.0.1", "x")), Verdict::Repeat);
        // Past two windows: both generations of remembered readers are gone.
        std::thread::sleep(Duration::from_millis(1_100));
        assert_eq!(r.admit(a, reader("10.0.0.1", "x")), Verdict::Count);
    }

    #[test]
    fn a_zero_window_or_no_address_counts_everything() {
        let r = RecentReaders::new(ViewLimits {
            window: Duration::ZERO,
            per_address: 1,
        });
        for _ in 0..3 {
            assert_eq!(
                r.admit(ArticleId(1), reader("10.0.0.1", "x")),
                Verdict::Count
            );
        }
        let r = RecentReaders::new(ViewLimits::default());
        for _ in 0..3 {
            let inside = Reader {
                address: None,
                user_agent: Some("x"),
            };
            assert_eq!(r.admit(ArticleId(1), inside), Verdict::Count);
        }
    }
}
