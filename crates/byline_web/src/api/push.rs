//! Readers' Web Push subscriptions (issue 17): the site's script sends the browser's
//! `PushSubscription` for one edition, or asks to stop. Public (no key: the reader is
//! anonymous), rate-limited per client address; the content service checks that the
//! endpoint is a push service's and the keys are real P-256 / 16-byte values.

use super::admin::JsonBody;
use super::problem::{Kind, Problem};
use crate::client::ClientAddr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::SubscriptionInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// A browser's subscription to one edition's notifications.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeIn {
    /// The edition whose alerts to receive (`en`, `ru`, …).
    pub edition: String,
    /// Also the key events of live blogs.
    #[serde(default)]
    pub key_events: bool,
    /// `PushSubscription.toJSON()` as the browser gives it.
    pub subscription: BrowserSubscription,
}

/// `PushSubscription.toJSON()`. Other members (`expirationTime`) are ignored: a push
/// service tells when a subscription is gone (404/410).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BrowserSubscription {
    pub endpoint: String,
    pub keys: SubscriptionKeys,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionKeys {
    /// The browser's P-256 key, base64url.
    pub p256dh: String,
    /// The browser's 16-byte secret, base64url.
    pub auth: String,
}

/// Which subscription to remove: the endpoint, proven by its secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeIn {
    /// Only this edition's (all of the browser's when absent).
    pub edition: Option<String>,
    pub endpoint: String,
    /// The subscription's `keys.auth`.
    pub auth: String,
}

fn no_store(status: StatusCode) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}

/// Subscribes a browser to an edition's breaking news (and, if asked, live key events).
#[utoipa::path(
    post, path = "/api/v1/push/subscriptions", tag = "site",
    request_body = SubscribeIn,
    responses(
        (status = 201, description = "Subscribed (or renewed)"),
        (status = 400, description = "Invalid JSON, unknown edition, an endpoint that is not a push service's, malformed keys", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn subscribe(
    State(state): State<AppState>,
    client: ClientAddr,
    body: JsonBody<SubscribeIn>,
) -> Result<Response, Problem> {
    state.api.admit_public_write(client.0)?;
    let s = body.value;
    state
        .content
        .subscribe_push(SubscriptionInput {
            edition: s.edition,
            endpoint: s.subscription.endpoint,
            p256dh: s.subscription.keys.p256dh,
            auth: s.subscription.keys.auth,
            key_events: s.key_events,
        })
        .await?;
    Ok(no_store(StatusCode::CREATED))
}

/// Stops a browser's notifications (of one edition, or all).
#[utoipa::path(
    delete, path = "/api/v1/push/subscriptions", tag = "site",
    request_body = UnsubscribeIn,
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Invalid JSON or a malformed secret", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription with that secret", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    client: ClientAddr,
    body: JsonBody<UnsubscribeIn>,
) -> Result<Response, Problem> {
    state.api.admit_public_write(client.0)?;
    let u = body.value;
    let removed = state
        .content
        .unsubscribe_push(&u.endpoint, &u.auth, u.edition.as_deref())
        .await?;
    if !removed {
        return Err(Problem::new(
            Kind::NotFound,
            "no subscription with that endpoint and secret".to_owned(),
        ));
    }
    Ok(no_store(StatusCode::NO_CONTENT))
}
