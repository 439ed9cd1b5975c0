//! `/metrics` in the Prometheus text format: the page cache and the view counter.
//! (Request and store metrics join when the operations issue lands.)

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use std::fmt::Write;
use std::sync::atomic::Ordering;

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let stats = state.cache.stats();
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
        );
    };
    counter(
        "byline_page_cache_hits_total",
        "Reader pages served from the page cache.",
        stats.hits.load(Ordering::Relaxed),
    );
    counter(
        "byline_page_cache_misses_total",
        "Reader page requests not in the page cache.",
        stats.misses.load(Ordering::Relaxed),
    );
    counter(
        "byline_page_cache_renders_total",
        "Reader pages rendered.",
        stats.renders.load(Ordering::Relaxed),
    );
    counter(
        "byline_page_cache_evictions_total",
        "Pages evicted to stay within the byte budget.",
        stats.evictions.load(Ordering::Relaxed),
    );
    counter(
        "byline_page_cache_invalidations_total",
        "Pages dropped because what they show changed.",
        stats.invalidations.load(Ordering::Relaxed),
    );
    counter(
        "byline_overload_shed_total",
        "Requests answered 503 because the server was saturated.",
        state.overload.shed.load(Ordering::Relaxed),
    );
    let _ = writeln!(
        out,
        "# HELP byline_page_cache_bytes Bytes held by the page cache.\n# TYPE byline_page_cache_bytes gauge\nbyline_page_cache_bytes {}",
        state.cache.weighted_size().await
    );
    let _ = writeln!(
        out,
        "# HELP byline_views_pending Views counted and not yet written to the store.\n# TYPE byline_views_pending gauge\nbyline_views_pending {}",
        state.content.pending_views()
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        out,
    )
}
