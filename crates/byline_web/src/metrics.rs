//! `/metrics` in the Prometheus text format: requests and their latency, the page cache,
//! the view counter's flushes, and how far the search index and the other followers of
//! the change feed trail it (and whether they fail).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use byline_content::{FollowerState, Readiness};
use std::fmt::Write;
use std::sync::atomic::Ordering;

/// `/metrics` on the public listener: only with `metrics_token` set, and only to a caller
/// that presents it. Without a token the route is not there (a 404 like any other), so
/// an outlet's traffic figures are not public by default; `metrics_listen` serves them
/// on a private address instead.
pub async fn public_metrics(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return crate::error::WebError::NotFound.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let matches: bool = {
        use sha2::{Digest, Sha256};
        // Compared as digests, so the time taken says nothing about the token.
        Sha256::digest(presented.as_bytes()) == Sha256::digest(token.as_bytes())
    };
    if !matches {
        let mut refused = (
            axum::http::StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
            "metrics need the bearer token\n",
        )
            .into_response();
        refused.extensions_mut().insert(crate::error::Finished);
        return refused;
    }
    metrics(State(state)).await.into_response()
}

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
        stats.hits.get(),
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
    counter(
        "byline_csp_reports_total",
        "Content-Security-Policy violations reported by browsers.",
        state.csp_reports.received.load(Ordering::Relaxed),
    );
    let (flushes, flushed, flush_failures) = state.content.view_flush_stats();
    counter(
        "byline_view_flushes_total",
        "Batches of counted views written to the store.",
        flushes,
    );
    counter(
        "byline_views_flushed_total",
        "Views written to the store.",
        flushed,
    );
    counter(
        "byline_view_flush_failures_total",
        "View flushes that failed (their views stay pending and are retried).",
        flush_failures,
    );
    let requests = &state.requests;
    let _ = writeln!(
        out,
        "# HELP byline_http_requests_total Requests answered, by status class.\n# TYPE byline_http_requests_total counter"
    );
    for class in 1..=5 {
        let _ = writeln!(
            out,
            "byline_http_requests_total{{class=\"{class}xx\"}} {}",
            requests.in_class(class)
        );
    }
    let _ = writeln!(
        out,
        "# HELP byline_http_request_duration_seconds Time from request to response head.\n# TYPE byline_http_request_duration_seconds histogram"
    );
    for (bound, count) in requests.bucket_counts() {
        let _ = writeln!(
            out,
            "byline_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "byline_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\nbyline_http_request_duration_seconds_sum {sum}\nbyline_http_request_duration_seconds_count {count}",
        count = requests.count(),
        sum = requests.seconds_total()
    );
    let readiness = state.content.readiness().await;
    if let Some(behind) = readiness.search_behind {
        let _ = writeln!(
            out,
            "# HELP byline_search_feed_lag Change-feed entries the search index has yet to take in.\n# TYPE byline_search_feed_lag gauge\nbyline_search_feed_lag {behind}"
        );
    }
    followers(&mut out, &readiness);
    let _ = writeln!(
        out,
        "# HELP byline_page_cache_bytes Bytes held by the page cache.\n# TYPE byline_page_cache_bytes gauge\nbyline_page_cache_bytes {}",
        state.cache.weighted_size().await
    );
    let _ = writeln!(
        out,
        "# HELP byline_page_cache_dependency_links (dependency, page) pairs the page cache tracks for invalidation.\n# TYPE byline_page_cache_dependency_links gauge\nbyline_page_cache_dependency_links {}",
        state.cache.dependency_links()
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

/// Per follower of the change feed: its position, how far it trails, and its failures.
fn followers(out: &mut String, readiness: &Readiness) {
    type Value = fn(&Readiness, &FollowerState) -> Option<i64>;
    let families: [(&str, &str, &str, Value); 4] = [
        (
            "byline_follower_position",
            "gauge",
            "The last change-feed entry the follower took in.",
            |_, f| Some(f.position),
        ),
        (
            "byline_follower_lag",
            "gauge",
            "Change-feed entries the follower has yet to take in.",
            |r, f| r.behind(f),
        ),
        (
            "byline_follower_failing",
            "gauge",
            "Failed attempts on the follower's current batch (0: healthy).",
            |_, f| i64::try_from(f.failing).ok(),
        ),
        (
            "byline_follower_failures_total",
            "counter",
            "Failed attempts to read or apply a batch (each is retried).",
            |_, f| i64::try_from(f.failures).ok(),
        ),
    ];
    for (name, kind, help, value) in families {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for f in &readiness.followers {
            if let Some(value) = value(readiness, f) {
                let _ = writeln!(out, "{name}{{follower=\"{}\"}} {value}", f.name);
            }
        }
    }
}
