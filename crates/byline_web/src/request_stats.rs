//! Request counts by status class and a latency histogram, for `/metrics`. Atomics only,
//! sharded per worker thread ([`crate::sharded`]): a few nanoseconds per request and no
//! cache line shared between cores on a path that serves a cached page in microseconds.

use crate::sharded::Sharded;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds (Prometheus `le`).
pub const BUCKETS: [f64; 9] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0];

#[derive(Default)]
pub struct RequestStats(Sharded<Counts>);

#[derive(Default)]
struct Counts {
    /// By status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    /// Requests at or under each bucket's bound (cumulative, as Prometheus wants).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    micros_total: AtomicU64,
}

impl RequestStats {
    /// Counts an answer with `status` that took from `started` until now.
    pub(crate) fn record(&self, status: u16, started: Instant) {
        let seconds = started.elapsed().as_secs_f64();
        let counts = self.0.local();
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        counts.by_class[class].fetch_add(1, Ordering::Relaxed);
        for (bound, bucket) in BUCKETS.iter().zip(&counts.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        counts.count.fetch_add(1, Ordering::Relaxed);
        counts
            .micros_total
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    fn sum(&self, field: impl Fn(&Counts) -> &AtomicU64) -> u64 {
        self.0.all().map(|c| field(c).load(Ordering::Relaxed)).sum()
    }

    /// Requests answered with a status of `class` (1 to 5).
    pub fn in_class(&self, class: usize) -> u64 {
        self.sum(|c| &c.by_class[class.clamp(1, 5) - 1])
    }

    pub fn bucket_counts(&self) -> Vec<(f64, u64)> {
        BUCKETS
            .iter()
            .enumerate()
            .map(|(i, b)| (*b, self.sum(|c| &c.buckets[i])))
            .collect()
    }

    pub fn count(&self) -> u64 {
        self.sum(|c| &c.count)
    }

    pub fn seconds_total(&self) -> f64 {
        self.sum(|c| &c.micros_total) as f64 / 1e6
    }
}

/// The outermost layer: every request is counted, shed ones (503) included.
pub async fn measure(
    State(stats): State<Arc<RequestStats>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    stats.record(response.status().as_u16(), started);
    response
}
