//! Who is calling: an app with a Content API key (`Authorization: Bearer KEY` or
//! `?key=KEY`), or a user with an Admin API token (`Authorization: Bearer TOKEN`).
//! Both are looked up in the store on every request, so a revocation counts at once,
//! and both are rate-limited per key or token.

use super::problem::{Kind, Problem};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use byline_content::{ApiKey, ContentError};
use byline_core::User;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// API settings from the configuration.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Requests per minute allowed per key or token, sustained.
    pub rate_per_minute: u32,
    /// Requests a key or token may make at once above the sustained rate.
    pub rate_burst: u32,
    /// Origins allowed to call the API from a browser (`*` for any; empty: no CORS).
    pub cors_origins: Vec<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_per_minute: 600,
            rate_burst: 60,
            cors_origins: Vec::new(),
        }
    }
}

/// Who a rate limit counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    Key(i64),
    Token(i64),
}

/// The API's in-memory state: one GCRA bucket per key or token, and one per client
/// address for the public writes (push subscriptions).
pub struct ApiState {
    limiter: DefaultKeyedRateLimiter<Caller>,
    public_writes: DefaultKeyedRateLimiter<std::net::IpAddr>,
    /// When idle buckets of `public_writes` were last dropped (unix seconds).
    public_writes_swept: std::sync::atomic::AtomicI64,
}

/// Public writes a client address may make per minute (a reader subscribes once or
/// twice; a script filling the table does not get far).
const PUBLIC_WRITES_PER_MINUTE: u32 = 12;

impl ApiState {
    pub fn new(config: &ApiConfig) -> Self {
        let per_minute = NonZeroU32::new(config.rate_per_minute.max(1)).expect("max(1)");
        let burst = NonZeroU32::new(config.rate_burst.max(1)).expect("max(1)");
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            public_writes: RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(PUBLIC_WRITES_PER_MINUTE).expect("not zero"),
            )),
            public_writes_swept: Default::default(),
        }
    }

    /// `Ok` when the client at `ip` may make another public write now (requests
    /// without an address, made inside the process, count as one client).
    pub(crate) fn admit_public_write(&self, ip: Option<std::net::IpAddr>) -> Result<(), Problem> {
        use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
        // An IPv6 client usually holds a whole /64: it counts as one address.
        let ip = match ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)) {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            v4 => v4,
        };
        // Buckets of addresses that went quiet are dropped before they pile up — at most
        // once a minute, so many live buckets cannot make every write a full scan.
        if self.public_writes.len() > 10_000 {
            use std::sync::atomic::Ordering;
            let now = jiff::Timestamp::now().as_second();
            let last = self.public_writes_swept.load(Ordering::Relaxed);
            if now - last >= 60
                && self
                    .public_writes_swept
                    .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
            {
                self.public_writes.retain_recent();
            }
        }
        self.public_writes.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
            Problem::new(
                Kind::RateLimited,
                format!("too many requests from this address; retry in {seconds} s"),
            )
            .retry_after(seconds)
        })
    }

    /// `Ok` when `caller` may make another request now; otherwise a 429 saying when.
    fn admit(&self, caller: Caller) -> Result<(), Problem> {
        self.limiter.check_key(&caller).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            Problem::new(
                Kind::RateLimited,
                format!("rate limit reached; retry in {} s", seconds.max(1)),
            )
            .retry_after(seconds.max(1))
        })
    }
}

/// The credential a request carries: the bearer token, else `?key=`.
fn credential(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, rest) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| rest.trim().to_owned());
    }
    let query = parts.uri.query()?;
    super::params::query_pairs(Some(query))
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v)
}

fn unauthorized(detail: &str) -> Problem {
    Problem::new(Kind::Unauthorized, detail.to_owned())
}

/// Proof that the request carries a live Content API key within its rate limit.
pub struct AppKey;

impl FromRequestParts<AppState> for AppKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let text = credential(parts).ok_or_else(|| {
            unauthorized("send the API key as `Authorization: Bearer KEY` or `?key=KEY`")
        })?;
        let key = match state.content.api_key(&text).await {
            Ok(key) => key,
            Err(ContentError::NotFound) => {
                return Err(unauthorized("unknown or revoked API key"));
            }
            Err(e) => return Err(e.into()),
        };
        state.api.admit(Caller::Key(key.id))?;
        Ok(Self)
    }
}

/// A user with a live Admin API token, within its rate limit. The user's role decides
/// what the request may do (the newsroom's permission matrix).
pub struct AdminUser(pub User);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let text = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_owned())
            .ok_or_else(|| unauthorized("send the token as `Authorization: Bearer TOKEN`"))?;
        let user = match state.content.api_token_user(&text).await {
            Ok(user) => user,
            Err(ContentError::NotFound) => {
                return Err(unauthorized("unknown or revoked token"));
            }
            Err(e) => return Err(e.into()),
        };
        // One budget per user, however many tokens they hold.
        state.api.admit(Caller::Token(user.id.0))?;
        Ok(Self(user))
    }
}

/// The Content API key in `?key=` (Ghost's way), live and within its rate limit.
pub async fn auth_key(state: &AppState, query: Option<&str>) -> Result<ApiKey, Problem> {
    let text = super::params::query_pairs(query)?
        .into_iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v)
        .ok_or_else(|| unauthorized("send the API key as ?key=KEY"))?;
    let key = match state.content.api_key(&text).await {
        Ok(key) => key,
        Err(ContentError::NotFound) => return Err(unauthorized("unknown or revoked API key")),
        Err(e) => return Err(e.into()),
    };
    state.api.admit(Caller::Key(key.id))?;
    Ok(key)
}
