//! The known-device cookie: proof that this browser has signed in to an account before.
//!
//! Set after every successful sign-in, it holds a random id and an HMAC (keyed with the
//! outlet's secret) over the id and the account's e-mail. A login presenting a valid one
//! for the account it signs in to is throttled under its own key, not the account's
//! (see `byline_content::throttle`), so strangers guessing an account's password cannot
//! lock its owner out of the browsers they use.

use super::session::{cookie, secure};
use crate::state::AppState;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const DEVICE_COOKIE: &str = "byline_device";
/// A year: staff sign in from the same browsers for a long time.
const MAX_AGE: u64 = 365 * 24 * 60 * 60;

fn mac(secret: &[u8], id: &str, email: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"known-device\0");
    mac.update(id.as_bytes());
    mac.update(b"\0");
    mac.update(email.trim().to_lowercase().as_bytes());
    let bytes = mac.finalize().into_bytes();
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The device id of the request's cookie, if it was issued for `email`.
pub fn known_device(state: &AppState, headers: &HeaderMap, email: &str) -> Option<String> {
    let value = cookie(headers, DEVICE_COOKIE)?;
    let (id, signature) = value.split_once('.')?;
    let valid = id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && hmac_eq(&mac(&state.config.preview_secret, id, email), signature);
    valid.then(|| id.to_owned())
}

/// The `Set-Cookie` value marking this browser as known for `email` (keeping `id` when
/// it already had one).
pub fn device_cookie(state: &AppState, id: Option<&str>, email: &str) -> String {
    let id = id.map_or_else(
        || byline_content::accounts::random_token()[..32].to_owned(),
        str::to_owned,
    );
    format!(
        "{DEVICE_COOKIE}={id}.{}; Path=/newsroom; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE}{}",
        mac(&state.config.preview_secret, &id, email),
        secure(state)
    )
}

/// Constant-time comparison of two hex MACs.
fn hmac_eq(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
