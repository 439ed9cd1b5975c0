//! Probes for load balancers and orchestrators: `/healthz` (the process answers) and
//! `/readyz` (it can serve readers: the store answers, the search index follows the
//! change feed, and no other follower of the feed is stuck on a failing batch). Plain JSON, never cached, outside the error-page layer's HTML.

use crate::error::Finished;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub async fn healthz() -> Response {
    probe(StatusCode::OK, json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let readiness = state.content.readiness().await;
    let ready = readiness.is_ready();
    let followers: serde_json::Map<String, serde_json::Value> = readiness
        .followers
        .iter()
        .map(|f| {
            let state = json!({
                "position": f.position,
                "behind": readiness.behind(f),
                "failing": f.failing,
            });
            (f.name.to_owned(), state)
        })
        .collect();
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "store": readiness.store.as_deref().map_or("ok", |_| "unreachable"),
        "search_behind": readiness.search_behind,
        "followers": followers,
    });
    if let Some(error) = &readiness.store {
        tracing::warn!(%error, "readyz: the store is unreachable");
    }
    for f in readiness.followers.iter().filter(|f| f.failing > 0) {
        let error = f.last_error.as_deref().unwrap_or("");
        tracing::warn!(
            follower = f.name,
            attempts = f.failing,
            error,
            "readyz: a change feed follower is failing"
        );
    }
    let mut response = probe(
        if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        body,
    );
    if !ready {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

fn probe(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response();
    response.extensions_mut().insert(Finished);
    response
}
