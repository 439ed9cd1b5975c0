//! Web Push (issue 17): readers' subscriptions, one per browser and edition, and the
//! notifications the desk's writes queue for them. A breaking-news alert is announced
//! to every subscriber of its edition; a live blog's key event to those who asked for
//! key events too. The queue is the store's outbox (`push_deliveries`); the web front's
//! sender works it off from any node.
//!
//! The endpoint a browser hands over is where this server will send requests, so it is
//! checked against a list of push services (`push_services`): an address that is not a
//! push service's would turn every alert into a request to wherever a stranger chose.

use crate::{Content, ContentError};
use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use byline_core::{
    Alert, MAX_PUSH_ENDPOINT, MAX_PUSH_PAYLOAD, NewPushSubscription, PushDelivery, PushKeys,
    PushKind, PushNotice, PushTally,
};
use byline_store::StoreError;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// The push services of the browsers people use (Chrome/Edge/Opera/Samsung: FCM;
/// Firefox: Mozilla; Safari: Apple; legacy Edge: WNS). `*.` matches any subdomain.
pub const DEFAULT_PUSH_SERVICES: &[&str] = &[
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://*.push.apple.com",
    "https://*.notify.windows.com",
];

/// How long a key event's notification is worth showing.
const KEY_EVENT_LIFETIME: SignedDuration = SignedDuration::from_hours(6);
/// Longest notification body, in characters (what phones show before cutting).
const MAX_NOTICE_BODY: usize = 240;

/// Web Push settings of the content service.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Off: no key pair, no subscribe button, nothing queued.
    pub enabled: bool,
    /// Origins a subscription's endpoint may point to (`https://host`, `*.` for any
    /// subdomain; tests add their own stub's `http://127.0.0.1:port`).
    pub services: Vec<String>,
}

impl Default for PushOptions {
    fn default() -> Self {
        Self {
            enabled: true,
            services: DEFAULT_PUSH_SERVICES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }
}

/// A browser's `PushSubscription` as the site's script sends it, for one edition.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionInput {
    pub edition: String,
    pub endpoint: String,
    /// base64url, as `PushSubscription.toJSON().keys` gives them.
    pub p256dh: String,
    pub auth: String,
    pub key_events: bool,
}

/// What became of one attempt to send a delivery.
#[derive(Debug, Clone)]
pub enum PushOutcome {
    Delivered,
    /// Try again at this time.
    Retry(Timestamp, String),
    /// Not worth trying again (refused, expired, out of attempts).
    GiveUp(String),
    /// The push service no longer knows the subscription (404, 410).
    Gone,
}

/// What the service worker receives (decrypted): JSON it shows as a notification.
#[derive(Debug, Serialize)]
pub struct PushPayload<'a> {
    /// The message id: the notification's tag, so a repeated send replaces it.
    pub id: i64,
    pub kind: &'static str,
    pub lang: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// A path on the site or an `https://` address (the worker opens it).
    pub url: &'a str,
}

impl PushPayload<'_> {
    pub fn of(d: &PushDelivery) -> PushPayload<'_> {
        PushPayload {
            id: d.message,
            kind: d.kind.as_str(),
            lang: &d.edition,
            title: &d.title,
            body: &d.body,
            url: &d.url,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A notice whose payload, with the largest message id, fits one push record.
fn fits(notice: &PushNotice) -> Result<(), ContentError> {
    let size = PushPayload {
        id: i64::MAX,
        kind: notice.kind.as_str(),
        lang: &notice.edition,
        title: &notice.title,
        body: &notice.body,
        url: &notice.url,
    }
    .to_bytes()
    .len();
    if size > MAX_PUSH_PAYLOAD {
        return Err(ContentError::invalid(
            "text",
            format!(
                "too long for a push notification: {size} bytes with its title and link, \
                 at most {MAX_PUSH_PAYLOAD}"
            ),
        ));
    }
    Ok(())
}

/// Base64url (with or without padding; browsers send it without) to bytes of `len`.
fn key_bytes(raw: &str, len: usize, field: &'static str) -> Result<Vec<u8>, ContentError> {
    let raw = raw.trim();
    let bytes = URL_SAFE_NO_PAD
        .decode(raw)
        .or_else(|_| URL_SAFE.decode(raw))
        .map_err(|_| ContentError::invalid(field, "not base64url"))?;
    if bytes.len() != len {
        return Err(ContentError::invalid(
            field,
            format!("must be {len} bytes, not {}", bytes.len()),
        ));
    }
    Ok(bytes)
}

/// `endpoint` as the sender will parse it (the WHATWG URL standard, as reqwest and
/// browsers do), when its origin is one of `services`; `None` otherwise. Comparing the
/// parsed scheme, host and port — not the text — keeps `https://10.0.0.5\.push.apple.com/`
/// (host `10.0.0.5` to a parser) off a list that allows `*.push.apple.com`.
fn push_service_url(endpoint: &str, services: &[String]) -> Option<url::Url> {
    let url = url::Url::parse(endpoint).ok()?;
    if !url.username().is_empty() || url.password().is_some() || url.cannot_be_a_base() {
        return None;
    }
    let host = url.host_str()?;
    let port = url.port_or_known_default()?;
    let allowed = services.iter().any(|service| {
        let Some((scheme, authority)) = service.split_once("://") else {
            return false;
        };
        let (wildcard, authority) = match authority.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, authority),
        };
        let Ok(listed) =
            url::Url::parse(&format!("{scheme}://{}", authority.trim_end_matches('/')))
        else {
            return false;
        };
        let (Some(listed_host), Some(listed_port)) =
            (listed.host_str(), listed.port_or_known_default())
        else {
            return false;
        };
        let host_matches = if wildcard {
            host.strip_suffix(listed_host)
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
        } else {
            host == listed_host
        };
        url.scheme() == listed.scheme() && port == listed_port && host_matches
    });
    allowed.then_some(url)
}

/// A one-line, cut notification body.
fn notice_body(text: &str) -> String {
    let line = crate::write::one_line(text);
    if line.chars().count() <= MAX_NOTICE_BODY {
        return line;
    }
    let mut cut: String = line.chars().take(MAX_NOTICE_BODY - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// A new key pair: P-256, from the operating system's random source.
fn new_keys() -> PushKeys {
    use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike as _, ES256KeyPair};
    let pair = ES256KeyPair::generate();
    PushKeys {
        public_key: URL_SAFE_NO_PAD.encode(pair.public_key().public_key().to_bytes_uncompressed()),
        private_key: URL_SAFE_NO_PAD.encode(pair.to_bytes()),
    }
}

/// Loads the outlet's key pair, making it on the first start.
pub(crate) async fn load_keys(store: &dyn byline_store::Store) -> Result<PushKeys, ContentError> {
    Ok(store.push_keys(&new_keys()).await?)
}

impl Content {
    /// The VAPID public key browsers subscribe with (base64url), when Web Push is on.
    pub fn push_public_key(&self) -> Option<&str> {
        self.push_keys.as_deref().map(|k| k.public_key.as_str())
    }

    /// The key pair the sender signs and identifies itself with.
    pub fn push_keys(&self) -> Option<&PushKeys> {
        self.push_keys.as_deref()
    }

    /// Stores (or renews) a browser's subscription to one edition's notifications.
    pub async fn subscribe_push(&self, input: SubscriptionInput) -> Result<(), ContentError> {
        if self.push_keys.is_none() {
            return Err(ContentError::invalid(
                "push",
                "this site does not send notifications",
            ));
        }
        let edition = input.edition.trim();
        if !self.catalog().settings.has_edition(edition) {
            return Err(ContentError::invalid(
                "edition",
                format!("there is no edition {edition:?}"),
            ));
        }
        let endpoint = input.endpoint.trim();
        if endpoint.is_empty() || endpoint.len() > MAX_PUSH_ENDPOINT {
            return Err(ContentError::invalid(
                "endpoint",
                format!("give the subscription's endpoint, at most {MAX_PUSH_ENDPOINT} bytes"),
            ));
        }
        let endpoint = match push_service_url(endpoint, &self.options().push.services) {
            Some(url)
                if !endpoint
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control()) =>
            {
                url
            }
            _ => {
                return Err(ContentError::invalid(
                    "endpoint",
                    "the endpoint is not a known push service's address",
                ));
            }
        };
        let p256dh = key_bytes(&input.p256dh, 65, "p256dh")?;
        if web_push_native::p256::PublicKey::from_sec1_bytes(&p256dh).is_err() {
            return Err(ContentError::invalid("p256dh", "not a P-256 public key"));
        }
        let auth = key_bytes(&input.auth, 16, "auth")?;
        self.store
            .subscribe_push(&NewPushSubscription {
                edition: edition.to_owned(),
                // Stored as parsed: what the sender will call, byte for byte.
                endpoint: endpoint.to_string(),
                p256dh: URL_SAFE_NO_PAD.encode(p256dh),
                auth: URL_SAFE_NO_PAD.encode(auth),
                key_events: input.key_events,
                created_at: self.clock().now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(why) => ContentError::invalid("endpoint", why),
                e => e.into(),
            })?;
        Ok(())
    }

    /// Removes a browser's subscription to `edition` (every edition when `None`); the
    /// caller proves it is the browser's by its `auth` secret. Whether one was removed.
    pub async fn unsubscribe_push(
        &self,
        endpoint: &str,
        auth: &str,
        edition: Option<&str>,
    ) -> Result<bool, ContentError> {
        let auth = match key_bytes(auth, 16, "auth") {
            Ok(bytes) => URL_SAFE_NO_PAD.encode(bytes),
            Err(e) => return Err(e),
        };
        // Stored as parsed (see `subscribe_push`); an endpoint that does not parse was
        // never stored.
        let Ok(endpoint) = url::Url::parse(endpoint.trim()) else {
            return Ok(false);
        };
        Ok(self
            .store
            .unsubscribe_push(endpoint.as_str(), &auth, edition)
            .await?
            > 0)
    }

    /// Subscriptions of one edition, or of all (the newsroom's figure).
    pub async fn push_subscription_count(
        &self,
        edition: Option<&str>,
    ) -> Result<u64, ContentError> {
        Ok(self.store.push_subscription_count(edition).await?)
    }

    /// The notification announcing an alert (`None` when Web Push is off), or a 4xx
    /// when it would not fit a push message.
    pub(crate) fn alert_notice(
        &self,
        edition: &str,
        text: &str,
        url: &str,
        starts_at: Timestamp,
        ends_at: Timestamp,
    ) -> Result<Option<PushNotice>, ContentError> {
        if self.push_keys.is_none() {
            return Ok(None);
        }
        let catalog = self.catalog();
        let notice = PushNotice {
            kind: PushKind::Alert,
            edition: edition.to_owned(),
            title: catalog.settings.name.clone(),
            body: text.to_owned(),
            url: if url.is_empty() {
                format!("/{edition}/")
            } else {
                url.to_owned()
            },
            created_at: starts_at,
            expires_at: ends_at,
        };
        fits(&notice)?;
        Ok(Some(notice))
    }

    /// The notification announcing a live blog's key event.
    pub(crate) fn key_event_notice(
        &self,
        article: &byline_core::Article,
        title: &str,
        body_markdown: &str,
    ) -> Option<PushNotice> {
        self.push_keys.as_ref()?;
        let catalog = self.catalog();
        let section = catalog.section(article.section)?;
        let text = if title.is_empty() {
            byline_render::plain_text(body_markdown)
        } else {
            title.to_owned()
        };
        let now = self.clock().now();
        let notice = PushNotice {
            kind: PushKind::KeyEvent,
            edition: article.edition.clone(),
            title: notice_body(&article.title),
            body: notice_body(&text),
            url: format!("/{}/{}/{}", article.edition, section.slug, article.slug),
            created_at: now,
            expires_at: now + KEY_EVENT_LIFETIME,
        };
        // Bounded parts (a cut title and body, a site path) always fit.
        fits(&notice).ok().map(|()| notice)
    }

    /// Claims up to `limit` due notifications for `lease` (any node's sender).
    pub async fn claim_push_deliveries(
        &self,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PushDelivery>, ContentError> {
        let now = self.clock().now();
        let until = now + SignedDuration::try_from(lease).unwrap_or(SignedDuration::from_secs(60));
        Ok(self.store.claim_push_deliveries(now, until, limit).await?)
    }

    /// Records what became of a claimed delivery.
    pub async fn push_delivery_outcome(
        &self,
        delivery: &PushDelivery,
        outcome: PushOutcome,
    ) -> Result<(), ContentError> {
        let now = self.clock().now();
        let done = match outcome {
            PushOutcome::Delivered => self.store.push_delivery_done(delivery.id, now).await,
            PushOutcome::Retry(at, error) => {
                self.store
                    .push_delivery_failed(delivery.id, now, Some(at), &error)
                    .await
            }
            PushOutcome::GiveUp(error) => {
                tracing::info!(delivery = delivery.id, %error, "push delivery given up");
                self.store
                    .push_delivery_failed(delivery.id, now, None, &error)
                    .await
            }
            PushOutcome::Gone => {
                tracing::info!(
                    subscription = delivery.subscription,
                    "push subscription gone; removed"
                );
                self.store.push_endpoint_gone(delivery.subscription).await
            }
        };
        match done {
            // Settled meanwhile (its alert ended, its subscription went): nothing to do.
            Ok(()) | Err(StoreError::NotFound) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Forgets notifications older than `age` that have nothing left to send (the
    /// sender's hourly chore); returns how many.
    pub async fn prune_push_messages(&self, age: SignedDuration) -> Result<u64, ContentError> {
        Ok(self
            .store
            .prune_push_messages(self.clock().now() - age)
            .await?)
    }

    /// How alert `alert`'s notification stands across its subscribers.
    pub async fn push_tally_of_alert(&self, alert: &Alert) -> Result<PushTally, ContentError> {
        Ok(self.store.push_tally_of_alert(alert.id).await?)
    }

    /// How a key event's notification stands.
    pub async fn push_tally_of_entry(&self, entry: i64) -> Result<PushTally, ContentError> {
        Ok(self.store.push_tally_of_entry(entry).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Vec<String> {
        PushOptions::default().services
    }

    #[test]
    fn endpoints_must_be_a_push_services() {
        for good in [
            "https://fcm.googleapis.com/fcm/send/abc:def",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            "https://web.push.apple.com/QGh7",
            "https://db5p.notify.windows.com/w/?token=x",
        ] {
            assert!(push_service_url(good, &services()).is_some(), "{good}");
        }
        for bad in [
            "http://fcm.googleapis.com/fcm/send/x",
            "https://fcm.googleapis.com.evil.example/x",
            "https://evil.example/fcm.googleapis.com",
            "https://push.apple.com/x",
            "https://x.push.apple.com.evil.example/",
            "https://user@fcm.googleapis.com/x",
            "https://127.0.0.1/x",
            "fcm.googleapis.com/x",
            "javascript:alert(1)",
            "",
            // A backslash ends the host for a URL parser: the host here is 10.0.0.5.
            "https://10.0.0.5:8443\\.push.apple.com/x",
            "https://10.0.0.5\\.notify.windows.com/x",
            "https://fcm.googleapis.com:8443/fcm/send/x",
            "https://evil.example#.push.apple.com",
            "https://evil.example?.push.apple.com",
        ] {
            assert!(push_service_url(bad, &services()).is_none(), "{bad}");
        }
        let stub = vec!["http://127.0.0.1:4567".to_owned()];
        assert!(push_service_url("http://127.0.0.1:4567/push/1", &stub).is_some());
        assert!(push_service_url("http://127.0.0.1:4568/push/1", &stub).is_none());
        assert_eq!(
            push_service_url("HTTPS://FCM.googleapis.com:443/fcm/send/a", &services())
                .unwrap()
                .as_str(),
            "https://fcm.googleapis.com/fcm/send/a",
            "kept as the sender will call it"
        );
    }

    #[test]
    fn a_notice_that_does_not_fit_one_record_is_refused() {
        let notice = |body: String| PushNotice {
            kind: PushKind::Alert,
            edition: "en".into(),
            title: "Meridian".into(),
            body,
            url: "/en/".into(),
            created_at: Timestamp::UNIX_EPOCH,
            expires_at: Timestamp::UNIX_EPOCH,
        };
        assert!(fits(&notice("a".repeat(3_000))).is_ok());
        let err = fits(&notice("ա".repeat(2_000))).unwrap_err().to_string();
        assert!(err.contains("push notification"), "{err}");
    }

    #[test]
    fn keys_are_a_p256_pair_in_base64url() {
        let keys = new_keys();
        let public = URL_SAFE_NO_PAD.decode(&keys.public_key).unwrap();
        assert_eq!(public.len(), 65);
        assert!(web_push_native::p256::PublicKey::from_sec1_bytes(&public).is_ok());
        assert_eq!(URL_SAFE_NO_PAD.decode(&keys.private_key).unwrap().len(), 32);
        assert_ne!(new_keys(), keys, "random, not fixed");
    }

    #[test]
    fn bodies_are_one_cut_line() {
        assert_eq!(notice_body("a\nb"), "a b");
        let long = notice_body(&"word ".repeat(100));
        assert_eq!(long.chars().count(), MAX_NOTICE_BODY);
        assert!(long.ends_with('…'));
    }
}
