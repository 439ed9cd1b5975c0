//! A local push service (RFC 8030) for tests: it holds the browser side of each
//! subscription (a P-256 key pair and a 16-byte secret, made here as a browser makes
//! them), and on every push it checks what a real push service checks — the VAPID
//! token (RFC 8292: an ES256 JWT verified with `p256`, not with the crate that signed
//! it; audience this service's origin; expiry within 24 hours; a contact) and the
//! outlet's key — then decrypts the body (RFC 8291 `aes128gcm`) with the subscription's
//! private key, as the browser would. A push that fails a check is answered 400/401/403
//! and recorded, so tests assert there were none.

use super::TestSite;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use web_push_native::p256;

/// How the stub answers pushes to one subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 201 Created, as push services accept a message.
    Accept,
    /// 410 Gone: the browser unsubscribed.
    Gone,
    /// Never answers (the sender's timeout must end it).
    Hang,
}

/// One decrypted push.
#[derive(Debug, Clone)]
pub struct Received {
    pub subscription: u32,
    pub payload: serde_json::Value,
    pub ttl: String,
    pub urgency: String,
    pub topic: String,
}

struct Browser {
    secret: p256::SecretKey,
    auth: [u8; 16],
    answer: Answer,
}

#[derive(Default)]
struct Inner {
    browsers: HashMap<u32, Browser>,
    received: Vec<Received>,
    refused: Vec<String>,
    /// The outlet's VAPID public key every push must carry.
    expected_key: String,
}

#[derive(Clone)]
pub struct PushStub {
    origin: String,
    inner: Arc<Mutex<Inner>>,
}

/// A subscription as the site's script sends it (`PushSubscription.toJSON()`).
pub struct Subscription {
    pub id: u32,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

impl Subscription {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "endpoint": self.endpoint,
            "expirationTime": null,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        })
    }
}

impl PushStub {
    /// Listens on 127.0.0.1 (see [`expect_key`](Self::expect_key)).
    pub async fn start() -> PushStub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let stub = PushStub {
            origin,
            inner: Arc::new(Mutex::new(Inner::default())),
        };
        let app = axum::Router::new()
            .route("/push/{id}", axum::routing::post(receive))
            .with_state(stub.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        stub
    }

    /// Every push must be signed with the outlet's `vapid_public_key` (base64url).
    pub fn expect_key(&self, vapid_public_key: &str) {
        self.inner.lock().unwrap().expected_key = vapid_public_key.to_owned();
    }

    /// `http://127.0.0.1:<port>`: what `push_services` must list.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A new browser subscription answering `answer`.
    pub fn subscribe(&self, answer: Answer) -> Subscription {
        use web_push_native::jwt_simple::algorithms::ES256KeyPair;
        let secret = p256::SecretKey::from_slice(&ES256KeyPair::generate().to_bytes()).unwrap();
        let auth: [u8; 16] = ES256KeyPair::generate().to_bytes()[..16]
            .try_into()
            .unwrap();
        let public = {
            use p256::elliptic_curve::sec1::ToEncodedPoint as _;
            secret
                .public_key()
                .to_encoded_point(false)
                .as_bytes()
                .to_vec()
        };
        let mut inner = self.inner.lock().unwrap();
        let id = inner.browsers.len() as u32 + 1;
        inner.browsers.insert(
            id,
            Browser {
                secret,
                auth,
                answer,
            },
        );
        Subscription {
            id,
            endpoint: format!("{}/push/{id}", self.origin),
            p256dh: URL_SAFE_NO_PAD.encode(public),
            auth: URL_SAFE_NO_PAD.encode(auth),
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    pub fn received_by(&self, subscription: u32) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.subscription == subscription)
            .collect()
    }

    /// Pushes that failed a check (VAPID, key, encryption), with why.
    pub fn refused(&self) -> Vec<String> {
        self.inner.lock().unwrap().refused.clone()
    }
}

/// The demo outlet taking subscriptions whose endpoints are the stub's, and the stub.
pub async fn site_with_push_stub() -> (TestSite, PushStub) {
    let stub = PushStub::start().await;
    let site = TestSite::demo_with(byline_content::ContentOptions {
        push: byline_content::PushOptions {
            enabled: true,
            services: vec![stub.origin().to_owned()],
        },
        ..byline_content::ContentOptions::default()
    })
    .await;
    stub.expect_key(site.content().push_public_key().unwrap());
    (site, stub)
}

/// Checks `Authorization: vapid t=<jwt>, k=<key>` as a push service does.
fn check_vapid(headers: &HeaderMap, origin: &str, expected_key: &str) -> Result<(), String> {
    use p256::ecdsa::signature::Verifier as _;
    let value = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization")?;
    let rest = value.strip_prefix("vapid ").ok_or("not the vapid scheme")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=').ok_or("malformed parameter")?;
        match name {
            "t" => token = Some(value),
            "k" => key = Some(value),
            _ => {}
        }
    }
    let (token, key) = (token.ok_or("no t=")?, key.ok_or("no k=")?);
    if key != expected_key {
        return Err("signed with another key than the outlet's".into());
    }
    let key_bytes = URL_SAFE_NO_PAD
        .decode(key)
        .map_err(|_| "k is not base64url")?;
    let verifying = p256::ecdsa::VerifyingKey::from_sec1_bytes(&key_bytes)
        .map_err(|_| "k is not a P-256 key")?;
    let mut parts = token.split('.');
    let (header, claims, signature) = (
        parts.next().ok_or("no JWT header")?,
        parts.next().ok_or("no JWT claims")?,
        parts.next().ok_or("no JWT signature")?,
    );
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|_| "header")?)
            .map_err(|_| "header is not JSON")?;
    if header["alg"] != "ES256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let signature = p256::ecdsa::Signature::from_slice(
        &URL_SAFE_NO_PAD.decode(signature).map_err(|_| "signature")?,
    )
    .map_err(|_| "signature is not r||s")?;
    verifying
        .verify(
            format!("{}.{}", token.split('.').next().unwrap(), claims).as_bytes(),
            &signature,
        )
        .map_err(|_| "the JWT's signature does not verify")?;
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).map_err(|_| "claims")?)
            .map_err(|_| "claims are not JSON")?;
    if claims["aud"] != origin {
        return Err(format!("aud {} is not {origin}", claims["aud"]));
    }
    let now = jiff::Timestamp::now().as_second();
    let exp = claims["exp"].as_i64().ok_or("no exp")?;
    if exp <= now || exp > now + 24 * 3600 {
        return Err(format!("exp {exp} is not within 24 hours of {now}"));
    }
    let sub = claims["sub"].as_str().ok_or("no sub")?;
    if !(sub.starts_with("mailto:") || sub.starts_with("https:")) {
        return Err(format!("sub {sub:?} is not mailto: or https:"));
    }
    Ok(())
}

async fn receive(
    State(stub): State<PushStub>,
    Path(id): Path<u32>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (answer, result) = {
        let inner = stub.inner.lock().unwrap();
        let Some(browser) = inner.browsers.get(&id) else {
            return StatusCode::NOT_FOUND;
        };
        let result = check_vapid(&headers, &stub.origin, &inner.expected_key).and_then(|()| {
            if header("content-encoding") != "aes128gcm" {
                return Err("not aes128gcm".into());
            }
            let auth = web_push_native::Auth::clone_from_slice(&browser.auth);
            let plain = web_push_native::decrypt(body.to_vec(), &browser.secret, &auth)
                .map_err(|e| format!("does not decrypt: {e}"))?;
            serde_json::from_slice::<serde_json::Value>(&plain)
                .map_err(|e| format!("not JSON inside: {e}"))
        });
        (browser.answer, result)
    };
    match result {
        Err(why) => {
            stub.inner.lock().unwrap().refused.push(why);
            StatusCode::FORBIDDEN
        }
        Ok(payload) => match answer {
            Answer::Gone => StatusCode::GONE,
            Answer::Hang => {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                StatusCode::CREATED
            }
            Answer::Accept => {
                stub.inner.lock().unwrap().received.push(Received {
                    subscription: id,
                    payload,
                    ttl: header("ttl"),
                    urgency: header("urgency"),
                    topic: header("topic"),
                });
                StatusCode::CREATED
            }
        },
    }
}
