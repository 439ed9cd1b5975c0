//! The app relay's webhook: each breaking-news alert is POSTed as JSON to
//! `alerts_webhook_url`, where the outlet's own relay forwards it to the iOS and
//! Android apps (FCM, APNs). Deliveries come from a durable outbox in the store,
//! written with the alert: any node's sender claims due ones with a lease, so each is
//! sent by one node at a time; a failure is retried with back-off; a refusal (4xx
//! other than 408 and 429) or the last attempt gives up, logged and kept for the
//! operator. A sender that dies after sending but before recording it sends that
//! delivery again when the lease runs out, so receivers de-duplicate by
//! `X-Byline-Delivery` (or the alert's id).
//!
//! Requests are signed when `alerts_webhook_secret` is set: `X-Byline-Signature:
//! sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the timestamp in
//! `X-Byline-Timestamp` (unix seconds), so a relay can refuse forged and replayed calls.

use byline_content::{AlertDelivery, Content};
use byline_core::Alert;
use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sha2::Sha256;
use std::time::Duration;

/// Where to send alerts, and the secret to sign them with.
#[derive(Debug, Clone)]
pub struct AlertsWebhookConfig {
    pub url: String,
    pub secret: Option<String>,
}

/// Attempts per delivery before giving up.
pub const ATTEMPTS: u32 = 8;
/// How long a claimed delivery is this sender's (then another may take it): longer
/// than a batch can take (`BATCH` calls of at most `TIMEOUT` each).
const LEASE: Duration = Duration::from_secs(120);
/// Deliveries claimed at once.
const BATCH: u32 = 5;
/// The longest one call may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the sender looks for due deliveries.
const POLL: Duration = Duration::from_secs(1);

/// The body a relay receives.
#[derive(Serialize)]
struct Payload<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    delivery: i64,
    alert: AlertBody<'a>,
}

#[derive(Serialize)]
struct AlertBody<'a> {
    id: i64,
    edition: &'a str,
    text: &'a str,
    /// Absolute; null when the alert leads nowhere.
    url: Option<String>,
    article_id: Option<i64>,
    starts_at: String,
    ends_at: String,
}

/// `X-Byline-Signature`'s value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// When attempt `attempts` (1-based) failed: retry after 5 s, 10 s, 20 s … up to 15 min.
fn retry_delay(attempts: u32) -> SignedDuration {
    let secs = 5u64.saturating_mul(1 << attempts.saturating_sub(1).min(16));
    SignedDuration::from_secs(secs.min(15 * 60) as i64)
}

/// Starts the sender (needs a Tokio runtime). `site_url` makes site paths absolute.
pub fn start(content: Content, config: AlertsWebhookConfig, site_url: String) {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let claimed = match content.claim_alert_deliveries(LEASE, BATCH).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "claiming alert deliveries failed; retrying");
                    continue;
                }
            };
            for (delivery, alert) in claimed {
                let outcome = send(&client, &config, &site_url, &delivery, &alert).await;
                let outcome = outcome.map_err(|(give_up, error)| {
                    let retry = (!give_up && delivery.attempts < ATTEMPTS)
                        .then(|| content.clock().now() + retry_delay(delivery.attempts));
                    (retry, error)
                });
                if let Err(e) = content.alert_delivery_outcome(delivery.id, outcome).await {
                    // The lease runs out and the delivery comes due again.
                    tracing::warn!(delivery = delivery.id, error = %e, "recording an alert delivery failed");
                }
            }
        }
    });
}

/// One attempt: `Err((give_up, why))` on failure.
async fn send(
    client: &reqwest::Client,
    config: &AlertsWebhookConfig,
    site_url: &str,
    delivery: &AlertDelivery,
    alert: &Alert,
) -> Result<(), (bool, String)> {
    let url = (!alert.url.is_empty()).then(|| {
        if alert.url.starts_with('/') {
            format!("{}{}", site_url.trim_end_matches('/'), alert.url)
        } else {
            alert.url.clone()
        }
    });
    let body = serde_json::to_vec(&Payload {
        kind: "breaking_alert",
        delivery: delivery.id,
        alert: AlertBody {
            id: alert.id,
            edition: &alert.edition,
            text: &alert.text,
            url,
            article_id: alert.article.map(|a| a.0),
            starts_at: alert.starts_at.to_string(),
            ends_at: alert.ends_at.to_string(),
        },
    })
    .map_err(|e| (true, e.to_string()))?;
    let timestamp = Timestamp::now().as_second();
    let mut request = client
        .post(&config.url)
        .header("content-type", "application/json")
        .header("x-byline-delivery", delivery.id.to_string())
        .header("x-byline-timestamp", timestamp.to_string());
    if let Some(secret) = &config.secret {
        request = request.header("x-byline-signature", signature(secret, timestamp, &body));
    }
    match request.body(body).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => {
            let status = r.status();
            let retry =
                status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429;
            Err((!retry, format!("the relay answered {status}")))
        }
        Err(e) => Err((false, format!("the relay could not be reached: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_a_ceiling() {
        assert_eq!(retry_delay(1), SignedDuration::from_secs(5));
        assert_eq!(retry_delay(2), SignedDuration::from_secs(10));
        assert_eq!(retry_delay(4), SignedDuration::from_secs(40));
        assert_eq!(retry_delay(30), SignedDuration::from_secs(900));
    }

    #[test]
    fn the_signature_covers_time_and_body() {
        let a = signature("s3cret", 1_800_000_000, b"{}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64, "{a}");
        assert_ne!(a, signature("s3cret", 1_800_000_001, b"{}"));
        assert_ne!(a, signature("s3cret", 1_800_000_000, b"{ }"));
        assert_ne!(a, signature("other", 1_800_000_000, b"{}"));
    }
}
