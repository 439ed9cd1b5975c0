//! The purge webhook: tells a CDN which cached pages a change made stale.
//!
//! The keys sent are exactly the dependencies the in-memory page cache invalidates for
//! the same change, and every cached response carries them in `Surrogate-Key` /
//! `Cache-Tag`, so the CDN drops the same pages Byline does. Calls go out in change-feed
//! order, one at a time, after the in-memory cache has dropped its copies (else the CDN
//! could refetch a stale page from us). A failing receiver is retried with back-off, then
//! logged and skipped: a purge that never arrives costs at most `s-maxage` of staleness.

use crate::state::PurgeWebhookConfig;
use std::time::Duration;
use tokio::sync::mpsc;

/// Attempts per purge before giving up on it.
const ATTEMPTS: u32 = 4;
/// Keys per request: receivers cap them (Fastly takes 256 per call).
const KEYS_PER_CALL: usize = 256;

#[derive(Clone)]
pub struct PurgeWebhook {
    queue: mpsc::UnboundedSender<Vec<String>>,
}

impl PurgeWebhook {
    /// Starts the sender task (needs a Tokio runtime).
    pub fn new(config: PurgeWebhookConfig) -> Self {
        let (queue, mut rx) = mpsc::unbounded_channel::<Vec<String>>();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        tokio::spawn(async move {
            while let Some(keys) = rx.recv().await {
                for chunk in keys.chunks(KEYS_PER_CALL) {
                    send(&client, &config, chunk).await;
                }
            }
        });
        Self { queue }
    }

    /// Queues a purge of `keys` (sent in order, after earlier ones).
    pub fn purge(&self, keys: Vec<String>) {
        if !keys.is_empty() {
            // The receiver lives as long as the runtime; after that nothing is served.
            let _ = self.queue.send(keys);
        }
    }
}

async fn send(client: &reqwest::Client, config: &PurgeWebhookConfig, keys: &[String]) {
    let body = serde_json::json!({ "keys": keys });
    let mut delay = Duration::from_millis(200);
    for attempt in 1..=ATTEMPTS {
        let mut request = client
            .post(&config.url)
            .header("surrogate-key", keys.join(" "))
            .json(&body);
        if let Some(token) = &config.token {
            request = request.bearer_auth(token);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => {
                tracing::debug!(keys = keys.len(), "purge webhook called");
                return;
            }
            Ok(r) => {
                tracing::warn!(status = %r.status(), attempt, "purge webhook refused the purge")
            }
            Err(e) => tracing::warn!(error = %e, attempt, "purge webhook unreachable"),
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(delay).await;
            delay *= 4;
        }
    }
    tracing::error!(
        keys = %keys.join(" "),
        "purge webhook failed {ATTEMPTS} times; the CDN keeps these pages until s-maxage"
    );
}
