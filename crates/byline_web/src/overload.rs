//! Overload protection: a bounded number of requests in flight and a bounded queue
//! behind them; past that, 503 with Retry-After at once instead of latency growing
//! without limit.
//!
//! tower's `ConcurrencyLimit` queues without bound and `LoadShed` sheds without any
//! queue; a spike needs a short queue and a clear "come back later" past it, so this is
//! a semaphore plus a waiting counter.

use crate::error::Finished;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Copy)]
pub struct OverloadLimits {
    /// Requests handled at the same time.
    pub in_flight: usize,
    /// Requests allowed to wait for a slot.
    pub queue: usize,
    /// Longest wait for a slot before answering 503.
    pub max_wait: Duration,
}

impl Default for OverloadLimits {
    fn default() -> Self {
        Self {
            in_flight: 1024,
            queue: 4096,
            max_wait: Duration::from_secs(2),
        }
    }
}

#[derive(Clone)]
pub struct Overload {
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    limits: OverloadLimits,
    pub shed: Arc<AtomicU64>,
}

impl Overload {
    pub fn new(limits: OverloadLimits) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(limits.in_flight.max(1))),
            waiting: Arc::default(),
            limits,
            shed: Arc::default(),
        }
    }
}

pub async fn guard(State(overload): State<Overload>, request: Request, next: Next) -> Response {
    let permit = match overload.slots.clone().try_acquire_owned() {
        Ok(p) => p,
        Err(_) => {
            if overload.waiting.fetch_add(1, Ordering::AcqRel) >= overload.limits.queue {
                overload.waiting.fetch_sub(1, Ordering::AcqRel);
                return shed(&overload);
            }
            let waited = tokio::time::timeout(
                overload.limits.max_wait,
                overload.slots.clone().acquire_owned(),
            )
            .await;
            overload.waiting.fetch_sub(1, Ordering::AcqRel);
            match waited {
                Ok(Ok(p)) => p,
                _ => return shed(&overload),
            }
        }
    };
    let response = next.run(request).await;
    drop(permit);
    response
}

fn shed(overload: &Overload) -> Response {
    overload.shed.fetch_add(1, Ordering::Relaxed);
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, HeaderValue::from_static("1")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        "Busy: too many requests at once. Please retry in a second.\n",
    )
        .into_response();
    // Rendering a themed page is exactly the work we cannot afford right now.
    r.extensions_mut().insert(Finished);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn slow_app(limits: OverloadLimits) -> (Router, Overload) {
        let overload = Overload::new(limits);
        let app = Router::new()
            .route(
                "/",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "done"
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                overload.clone(),
                guard,
            ));
        (app, overload)
    }

    async fn status(app: &Router) -> StatusCode {
        app.clone()
            .oneshot(axum::http::Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn past_the_queue_answers_503_at_once() {
        let limits = OverloadLimits {
            in_flight: 1,
            queue: 1,
            max_wait: Duration::from_secs(5),
        };
        let (app, overload) = slow_app(limits);
        let first = tokio::spawn({
            let app = app.clone();
            async move { status(&app).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = tokio::spawn({
            let app = app.clone();
            async move { status(&app).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = std::time::Instant::now();
        let refused = app
            .clone()
            .oneshot(axum::http::Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers().get(header::RETRY_AFTER).unwrap(), "1");
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "refused without waiting"
        );
        assert_eq!(first.await.unwrap(), StatusCode::OK);
        assert_eq!(
            queued.await.unwrap(),
            StatusCode::OK,
            "the queued request was served"
        );
        assert_eq!(overload.shed.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn a_wait_longer_than_allowed_is_503() {
        let limits = OverloadLimits {
            in_flight: 1,
            queue: 10,
            max_wait: Duration::from_millis(50),
        };
        let (app, _) = slow_app(limits);
        let first = tokio::spawn({
            let app = app.clone();
            async move { status(&app).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(status(&app).await, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(first.await.unwrap(), StatusCode::OK);
        assert_eq!(
            status(&app).await,
            StatusCode::OK,
            "served again once the slot is free"
        );
    }
}
