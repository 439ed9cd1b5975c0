//! The Web Push sender (issue 17): works off the store's push outbox from any node.
//! Each due delivery is claimed with a lease (one sender at a time, across nodes),
//! encrypted for its browser (RFC 8291, `aes128gcm`), signed for the push service
//! (RFC 8292 VAPID, with the outlet's one key pair) and POSTed to its endpoint
//! (RFC 8030). The push service's answer settles it: accepted; gone (404/410: the
//! subscription is removed); refused for good (other 4xx); or tried again with back-off
//! (429, 5xx, no answer in time). Calls run concurrently with a timeout each, so a push
//! service that hangs holds one slot for ten seconds, never the queue.
//!
//! Exactly once: a delivery is marked delivered once; a sender that dies between the
//! push service's answer and that mark sends it again when its lease runs out. The
//! repeat carries the same `Topic` (so a push service still holding the first replaces
//! it) and the notification the same tag (so a browser that got both shows one).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use byline_content::{Content, PushOutcome, PushPayload};
use byline_core::PushDelivery;
use futures::StreamExt as _;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use web_push_native::jwt_simple::algorithms::{ECDSAP256KeyPairLike as _, ES256KeyPair};
use web_push_native::jwt_simple::claims::Claims;

/// Attempts per delivery before giving up.
pub const ATTEMPTS: u32 = 8;
/// How long a claimed batch is this sender's: longer than the batch can take
/// (`BATCH / CONCURRENCY` rounds of at most `TIMEOUT`).
const LEASE: Duration = Duration::from_secs(120);
/// Deliveries claimed at once.
const BATCH: u32 = 64;
/// Calls to push services in flight at once.
const CONCURRENCY: usize = 16;
/// The longest one call may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the sender looks for due deliveries when the last look found none.
const POLL: Duration = Duration::from_millis(500);
/// How long a VAPID token is good for (RFC 8292: at most 24 hours).
const TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// How often settled notifications are pruned, and how long they are kept (for the
/// newsroom's tallies).
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);
const KEEP_SETTLED: SignedDuration = SignedDuration::from_hours(30 * 24);
/// The longest a push service's `Retry-After` is honoured.
const MAX_RETRY_AFTER: u64 = 60 * 60;

/// When attempt `attempts` (1-based) failed: retry after 10 s, 20 s, 40 s … up to 30 min.
fn retry_delay(attempts: u32) -> SignedDuration {
    let secs = 10u64.saturating_mul(1 << attempts.saturating_sub(1).min(16));
    SignedDuration::from_secs(secs.min(30 * 60) as i64)
}

/// What signs and identifies this outlet's pushes.
pub struct Signer {
    key: ES256KeyPair,
    public_key: String,
    contact: String,
}

impl Signer {
    pub fn new(content: &Content, contact: String) -> Option<Self> {
        let keys = content.push_keys()?;
        let secret = URL_SAFE_NO_PAD.decode(&keys.private_key).ok()?;
        match ES256KeyPair::from_bytes(&secret) {
            Ok(key) => Some(Self {
                key,
                public_key: keys.public_key.clone(),
                contact,
            }),
            Err(e) => {
                tracing::error!(error = %e, "the stored VAPID key cannot be read; Web Push is off");
                None
            }
        }
    }

    /// `Authorization: vapid t=<JWT>, k=<public key>` for an endpoint of `origin`.
    fn authorization(&self, origin: &str) -> Result<String, String> {
        let claims = Claims::create(TOKEN_LIFETIME.into())
            .with_audience(origin)
            .with_subject(&self.contact);
        let token = self.key.sign(claims).map_err(|e| e.to_string())?;
        Ok(format!("vapid t={token}, k={}", self.public_key))
    }
}

/// The push service's origin (`scheme://host[:port]`): the VAPID token's audience.
fn origin(endpoint: &reqwest::Url) -> Option<String> {
    let host = endpoint.host_str()?;
    Some(match endpoint.port() {
        Some(port) => format!("{}://{host}:{port}", endpoint.scheme()),
        None => format!("{}://{host}", endpoint.scheme()),
    })
}

/// Starts the sender when Web Push is on (needs a Tokio runtime).
pub fn start(content: &Content, contact: String) {
    let Some(signer) = Signer::new(content, contact) else {
        return;
    };
    // Without its timeout and redirect policy the sender would not be safe to run.
    let client = match reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "no HTTP client for Web Push; the sender is not started");
            return;
        }
    };
    let content = content.clone();
    tokio::spawn(async move {
        let mut last_prune = std::time::Instant::now();
        loop {
            if last_prune.elapsed() >= PRUNE_EVERY {
                last_prune = std::time::Instant::now();
                match content.prune_push_messages(KEEP_SETTLED).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(messages = n, "old push messages pruned"),
                    Err(e) => tracing::warn!(error = %e, "pruning push messages failed"),
                }
            }
            let claimed = match content.claim_push_deliveries(LEASE, BATCH).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "claiming push deliveries failed; retrying");
                    Vec::new()
                }
            };
            let full = claimed.len() == BATCH as usize;
            futures::stream::iter(claimed)
                .for_each_concurrent(CONCURRENCY, |delivery| {
                    let (content, client, signer) = (&content, &client, &signer);
                    async move {
                        let outcome = send(client, signer, &delivery, content.clock().now()).await;
                        if let Err(e) = content.push_delivery_outcome(&delivery, outcome).await {
                            // The lease runs out and the delivery comes due again.
                            tracing::warn!(delivery = delivery.id, error = %e, "recording a push delivery failed");
                        }
                    }
                })
                .await;
            // A full batch means more are waiting: take them at once.
            if !full {
                tokio::time::sleep(POLL).await;
            }
        }
    });
}

/// One attempt at one delivery.
pub async fn send(
    client: &reqwest::Client,
    signer: &Signer,
    delivery: &PushDelivery,
    now: Timestamp,
) -> PushOutcome {
    let ttl = delivery.expires_at.duration_since(now).as_secs();
    if ttl <= 0 {
        return PushOutcome::GiveUp("expired before it could be delivered".into());
    }
    // `retry_after`: what the push service asked for (429, 503), when longer.
    let give_up_or_retry = |why: String, retry_after: Option<u64>| {
        if delivery.attempts >= ATTEMPTS {
            PushOutcome::GiveUp(format!("{why} (after {ATTEMPTS} attempts)"))
        } else {
            let asked =
                SignedDuration::from_secs(retry_after.unwrap_or(0).min(MAX_RETRY_AFTER) as i64);
            PushOutcome::Retry(now + retry_delay(delivery.attempts).max(asked), why)
        }
    };
    if !(signer.contact.starts_with("mailto:") || signer.contact.starts_with("https://")) {
        // Said once, when it first matters (not at start: the first line a server
        // prints is its address).
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            tracing::warn!(
                contact = %signer.contact,
                "push_contact is not a mailto: or https:// address; some push services (Apple's) refuse such pushes"
            );
        });
    }
    let request = match build(client, signer, delivery, ttl) {
        Ok(request) => request,
        Err(why) => return PushOutcome::GiveUp(why),
    };
    match client.execute(request).await {
        Ok(r) if r.status().is_success() => PushOutcome::Delivered,
        Ok(r) => {
            let status = r.status();
            match status.as_u16() {
                404 | 410 => PushOutcome::Gone,
                408 | 429 | 500..=599 => {
                    let retry_after = r
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    give_up_or_retry(format!("the push service answered {status}"), retry_after)
                }
                _ => PushOutcome::GiveUp(format!("the push service refused it: {status}")),
            }
        }
        Err(e) => give_up_or_retry(format!("the push service could not be reached: {e}"), None),
    }
}

/// The encrypted, signed request (`Err`: this delivery can never be sent).
fn build(
    client: &reqwest::Client,
    signer: &Signer,
    delivery: &PushDelivery,
    ttl: i64,
) -> Result<reqwest::Request, String> {
    let endpoint = reqwest::Url::parse(&delivery.endpoint)
        .map_err(|e| format!("the endpoint is not a URL: {e}"))?;
    let audience = origin(&endpoint).ok_or("the endpoint has no host")?;
    let p256dh = URL_SAFE_NO_PAD
        .decode(&delivery.p256dh)
        .map_err(|_| "the subscription's key is not base64url")?;
    let browser_key = web_push_native::p256::PublicKey::from_sec1_bytes(&p256dh)
        .map_err(|_| "the subscription's key is not a P-256 point")?;
    let auth = URL_SAFE_NO_PAD
        .decode(&delivery.auth)
        .ok()
        .filter(|a| a.len() == 16)
        .ok_or("the subscription's secret is not 16 bytes")?;
    let auth = web_push_native::Auth::clone_from_slice(&auth);
    let payload = PushPayload::of(delivery).to_bytes();
    let body = web_push_native::encrypt(payload, &browser_key, &auth)
        .map_err(|e| format!("encrypting failed: {e}"))?;
    client
        .post(endpoint)
        .header("authorization", signer.authorization(&audience)?)
        .header("ttl", ttl.to_string())
        .header("urgency", delivery.kind.urgency())
        // RFC 8030 §5.4: a repeat of this message replaces the first while undelivered.
        .header("topic", format!("byline-{}", delivery.message))
        .header("content-encoding", "aes128gcm")
        .header("content-type", "application/octet-stream")
        .body(body)
        .build()
        .map_err(|e| format!("the request could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_a_ceiling() {
        assert_eq!(retry_delay(1), SignedDuration::from_secs(10));
        assert_eq!(retry_delay(3), SignedDuration::from_secs(40));
        assert_eq!(retry_delay(30), SignedDuration::from_secs(1800));
    }

    #[test]
    fn the_audience_is_the_endpoints_origin() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        assert_eq!(
            origin(&url("https://fcm.googleapis.com/fcm/send/x")).unwrap(),
            "https://fcm.googleapis.com"
        );
        assert_eq!(
            origin(&url("http://127.0.0.1:4567/push/1")).unwrap(),
            "http://127.0.0.1:4567"
        );
    }
}
