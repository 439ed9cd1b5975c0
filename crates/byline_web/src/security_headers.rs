//! Security headers on every answer: a Content-Security-Policy on every HTML page
//! (reader, newsroom and error pages alike, cached ones included), and `nosniff`,
//! `Referrer-Policy` (and HSTS on an https site) on everything.
//!
//! The policy allows scripts from the site itself and the theme's inline snippets by
//! hash (never `'unsafe-inline'`), frames only from the embed providers' player hosts,
//! no plugins, no `<base>`, and forms posting only to the site. The newsroom may not be
//! framed at all. Violations are reported to `/csp-report` (see [`report`]).
//!
//! One hand-written layer rather than `from_fn` middleware: it runs on every request,
//! so it adds no boxed future, and the header values are built once at start-up.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use byline_render::Theme;
use byline_render::markdown::EMBED_FRAME_ORIGINS;
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// Where browsers send Content-Security-Policy violation reports.
pub const REPORT_PATH: &str = "/csp-report";

static PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// The header values, built once.
#[derive(Clone)]
pub struct SecurityHeaders {
    inner: Arc<Values>,
}

struct Values {
    site_csp: HeaderValue,
    newsroom_csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// The policies for a site at `site_url` rendered with `theme`.
    pub fn new(theme: &Theme, site_url: &str) -> Self {
        let site = policy(theme.inline_script_hashes(), "'self'");
        let newsroom = policy(theme.inline_script_hashes(), "'none'");
        Self {
            inner: Arc::new(Values {
                site_csp: HeaderValue::from_str(&site).expect("the policy is ASCII"),
                newsroom_csp: HeaderValue::from_str(&newsroom).expect("the policy is ASCII"),
                hsts: site_url.starts_with("https://").then(|| {
                    // A year, as browsers' preload lists ask; subdomains are the
                    // outlet's business, so they are not included.
                    HeaderValue::from_static("max-age=31536000")
                }),
            }),
        }
    }
}

impl SecurityHeaders {
    /// Adds the headers to an answer made outside this layer (the front door's);
    /// `newsroom`: whether it is a newsroom page.
    pub(crate) fn apply_to(&self, headers: &mut HeaderMap, newsroom: bool) {
        apply(headers, &self.inner, newsroom);
    }
}

/// The Content-Security-Policy of HTML pages; `frame_ancestors` is who may frame them.
fn policy(script_hashes: &[String], frame_ancestors: &str) -> String {
    let mut scripts = String::from("'self'");
    for hash in script_hashes {
        scripts.push(' ');
        scripts.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; \
         worker-src 'self'; frame-src {frames}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}; report-uri {REPORT_PATH}",
        frames = EMBED_FRAME_ORIGINS.join(" "),
    )
}

impl<S> Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService {
            inner,
            headers: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct SecurityHeadersService<S> {
    inner: S,
    headers: SecurityHeaders,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SecurityHeadersService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = WithHeaders<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let path = request.uri().path();
        let newsroom = path == "/newsroom" || path.starts_with("/newsroom/");
        WithHeaders {
            future: self.inner.call(request),
            headers: self.headers.clone(),
            newsroom,
        }
    }
}

pin_project! {
    pub struct WithHeaders<F> {
        #[pin]
        future: F,
        headers: SecurityHeaders,
        newsroom: bool,
    }
}

impl<F, B, E> Future for WithHeaders<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = std::task::ready!(this.future.poll(cx))?;
        apply(response.headers_mut(), &this.headers.inner, *this.newsroom);
        Poll::Ready(Ok(response))
    }
}

fn apply(h: &mut HeaderMap, values: &Values, newsroom: bool) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if let Some(hsts) = &values.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    let html = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html {
        return;
    }
    // A page that brings its own policy (the API docs page) keeps it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = if newsroom {
            &values.newsroom_csp
        } else {
            &values.site_csp
        };
        h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(if newsroom { "DENY" } else { "SAMEORIGIN" }),
    );
    h.insert(
        PERMISSIONS_POLICY.clone(),
        HeaderValue::from_static(
            "accelerometer=(), browsing-topics=(), camera=(), geolocation=(), gyroscope=(), \
             magnetometer=(), microphone=(), payment=(), usb=()",
        ),
    );
}

/// Violation reports received (for `/metrics`), and a bound on how many are logged.
pub struct CspReports {
    pub received: AtomicU64,
    log_limit: governor::DefaultDirectRateLimiter,
}

impl Default for CspReports {
    fn default() -> Self {
        Self {
            received: AtomicU64::new(0),
            // A page with an injected script reports from every reader's browser: a few
            // lines a minute say it happened without flooding the log.
            log_limit: governor::RateLimiter::direct(governor::Quota::per_minute(
                std::num::NonZeroU32::new(10).expect("non-zero"),
            )),
        }
    }
}

/// Largest violation report read (browsers send well under 4 KB).
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

/// `POST /csp-report`: a browser telling us a page tried something its policy forbids
/// (an injected script is the case that matters). Counted, and logged with what was
/// blocked; the reply is always 204, so the endpoint tells a caller nothing.
pub async fn report(
    State(state): State<crate::state::AppState>,
    body: axum::body::Bytes,
) -> axum::response::Response {
    state.csp_reports.received.fetch_add(1, Ordering::Relaxed);
    if body.len() <= MAX_REPORT_BYTES {
        let report: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        // `application/csp-report` wraps it in "csp-report"; the Reporting API sends a
        // list of {type, body}.
        let inner = report
            .get("csp-report")
            .or_else(|| report.get(0).and_then(|r| r.get("body")))
            .unwrap_or(&report);
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| inner.get(*n).and_then(|v| v.as_str()))
                .map(|s| s.chars().take(200).collect::<String>())
                .unwrap_or_default()
        };
        if state.csp_reports.log_limit.check().is_ok() {
            tracing::warn!(
                document = %field(&["document-uri", "documentURL"]),
                directive = %field(&["violated-directive", "effectiveDirective"]),
                blocked = %field(&["blocked-uri", "blockedURL"]),
                "Content-Security-Policy violation reported"
            );
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.extensions_mut().insert(crate::error::Finished);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_has_no_unsafe_sources_and_names_the_theme_snippet() {
        let theme = Theme::load(None).unwrap();
        assert!(
            !theme.inline_script_hashes().is_empty(),
            "the night-theme snippet"
        );
        let p = policy(theme.inline_script_hashes(), "'none'");
        assert!(!p.contains("unsafe"), "{p}");
        for hash in theme.inline_script_hashes() {
            assert!(p.contains(hash.as_str()), "{p}");
        }
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "frame-src https://www.youtube-nocookie.com https://platform.twitter.com https://t.me;",
        ] {
            assert!(p.contains(d), "{d} in {p}");
        }
    }
}
