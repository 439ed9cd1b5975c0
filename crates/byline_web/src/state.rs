//! Shared state of the web fronts.

use crate::cache::{DEFAULT_BUDGET, PageCache, PurgeWebhook};
use crate::overload::{Overload, OverloadLimits};
use axum::http::HeaderValue;
use byline_content::Content;
use byline_render::{DateFormatter, Theme};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// What the web layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Public base URL without trailing slash, e.g. `https://meridian.example`.
    pub site_url: String,
    /// Where uploaded and generated media live; served under `/media/`.
    pub media_dir: PathBuf,
    /// Largest request body accepted (413 above).
    pub max_body_bytes: usize,
    /// Where imports from the newsroom keep their uploads (`uploads/`, deleted after
    /// the run), the media folders they may use (`media/`) and their reports: the
    /// data directory's `imports/`, shared with `byline import`. Never served.
    pub import_dir: PathBuf,
    /// Largest export the newsroom accepts (413 above).
    pub import_max_bytes: u64,
    /// Keep rendered reader pages in memory (off only to measure rendering).
    pub page_cache: bool,
    /// Byte budget of the page cache.
    pub page_cache_bytes: u64,
    /// Requests in flight and waiting before new ones get 503.
    pub overload: OverloadLimits,
    /// How long shared caches (CDNs) may keep reader pages.
    pub cdn: CdnPolicy,
    /// Called with the changed pages' keys on every change (`None`: no CDN to purge).
    pub purge_webhook: Option<PurgeWebhookConfig>,
    /// Where each breaking-news alert is POSTed for the app relay (`None`: nowhere).
    /// The content service must queue them (`ContentOptions::alerts_webhook`).
    pub alerts_webhook: Option<crate::AlertsWebhookConfig>,
    /// Who push services may contact about this sender (VAPID `sub`: `mailto:` or
    /// `https:`). The sender runs whenever the content service has Web Push on.
    pub push_contact: String,
    /// The HMAC key signing newsroom preview links (kept in `<data_dir>/preview.key`).
    pub preview_secret: Vec<u8>,
    /// API rate limits and CORS.
    pub api: crate::api::ApiConfig,
    /// Networks of the proxies in front of the site, whose forwarding headers name the
    /// client (empty: the TCP peer is the client).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long a connection may take over each part of a request, and how many there
    /// may be.
    pub timeouts: Timeouts,
    /// With a token, `/metrics` on the public listener answers only to
    /// `Authorization: Bearer <token>`; without one it is not there (see `metrics_listen`).
    pub metrics_token: Option<String>,
}

/// Limits on slow and idle connections (see `serve`).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Time to send a request's headers, and the longest idle time between requests on
    /// a kept-alive connection.
    pub header: std::time::Duration,
    /// Longest pause while sending a body.
    pub body_idle: std::time::Duration,
    /// A whole request, body included (408 past it).
    pub request: std::time::Duration,
    /// A whole picture upload.
    pub upload: std::time::Duration,
    /// Open connections at once; more wait in the kernel's queue.
    pub max_connections: usize,
}

impl Default for Timeouts {
    fn default() -> Self {
        use std::time::Duration;
        Self {
            header: Duration::from_secs(10),
            body_idle: Duration::from_secs(10),
            request: Duration::from_secs(30),
            upload: Duration::from_secs(300),
            max_connections: 10_000,
        }
    }
}

/// Shared-cache lifetimes for reader pages, feeds and sitemaps. Browsers always
/// revalidate (`max-age=0`, cheap with ETags); a CDN keeps a page `s_maxage` seconds
/// (the purge webhook ends that early on changes) and may serve it stale for
/// `stale_while_revalidate` seconds more while it fetches a fresh copy.
#[derive(Debug, Clone, Copy)]
pub struct CdnPolicy {
    pub s_maxage: u32,
    pub stale_while_revalidate: u32,
}

impl Default for CdnPolicy {
    fn default() -> Self {
        Self {
            s_maxage: 60,
            stale_while_revalidate: 60,
        }
    }
}

impl CdnPolicy {
    pub fn cache_control(&self) -> String {
        format!(
            "public, max-age=0, s-maxage={}, stale-while-revalidate={}",
            self.s_maxage, self.stale_while_revalidate
        )
    }
}

/// Where to tell the CDN what changed: `POST url` with `{"keys": [...]}` (and the same
/// keys space-separated in a `Surrogate-Key` header), with `Authorization: Bearer token`
/// when a token is set.
#[derive(Debug, Clone)]
pub struct PurgeWebhookConfig {
    pub url: String,
    pub token: Option<String>,
}

impl WebConfig {
    pub fn for_tests(media_dir: PathBuf) -> Self {
        Self {
            site_url: "http://127.0.0.1:8080".into(),
            import_dir: std::env::temp_dir().join(format!(
                "byline-imports-{}",
                byline_content::accounts::random_token()
            )),
            import_max_bytes: 64 * 1024 * 1024,
            media_dir,
            max_body_bytes: 64 * 1024,
            page_cache: true,
            page_cache_bytes: DEFAULT_BUDGET,
            overload: OverloadLimits::default(),
            cdn: CdnPolicy::default(),
            purge_webhook: None,
            alerts_webhook: None,
            push_contact: "mailto:desk@meridian.example".into(),
            preview_secret: byline_content::accounts::random_token().into_bytes(),
            api: Default::default(),
            trusted_proxies: Vec::new(),
            timeouts: Timeouts::default(),
            metrics_token: None,
        }
    }
}

/// Everything a handler may use: one reference-counted pointer, so the clone every
/// extractor and middleware makes per request is one atomic increment (it was one per
/// field, each with its own `Arc`s, a few thousand instructions a request).
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What [`AppState`] points to.
pub struct SharedState {
    pub content: Content,
    pub theme: Arc<Theme>,
    pub config: Arc<WebConfig>,
    pub cache: PageCache,
    pub overload: Overload,
    /// `Cache-Control` of cacheable reader responses, from [`CdnPolicy`].
    pub cdn_cache_control: HeaderValue,
    /// Login throttling and other newsroom state.
    pub newsroom: Arc<crate::newsroom::NewsroomState>,
    /// The API's rate limiter.
    pub api: Arc<crate::api::ApiState>,
    /// Requests by status class and latency, for `/metrics`.
    pub requests: Arc<crate::request_stats::RequestStats>,
    /// The Content-Security-Policy and other security headers, built once.
    pub security_headers: crate::security_headers::SecurityHeaders,
    /// Content-Security-Policy violations browsers reported.
    pub csp_reports: Arc<crate::security_headers::CspReports>,
    /// Live-blog readers connected to this node and the entries sent to them.
    pub live: crate::live::LiveHub,
    dates: Arc<RwLock<HashMap<String, Arc<DateFormatter>>>>,
    /// Each edition's chrome, rendered once (`site::chrome`).
    pub chrome: crate::site::chrome::ChromeCache,
}

impl AppState {
    /// Builds the state and starts the page cache's change-feed follower.
    pub fn new(content: Content, theme: Arc<Theme>, config: WebConfig) -> Self {
        let cache = PageCache::new(config.page_cache, config.page_cache_bytes)
            .with_content(content.clone());
        let purge = config.purge_webhook.clone().map(PurgeWebhook::new);
        cache.follow(&content, purge);
        if let Some(webhook) = config.alerts_webhook.clone() {
            crate::alerts_webhook::start(content.clone(), webhook, config.site_url.clone());
        }
        if content.options().serving {
            crate::push_sender::start(&content, config.push_contact.clone());
        }
        let cdn_cache_control = HeaderValue::from_str(&config.cdn.cache_control())
            .unwrap_or(HeaderValue::from_static("public, max-age=0"));
        let security_headers =
            crate::security_headers::SecurityHeaders::new(&theme, &config.site_url);
        // Where its follower starts (`Content::follow`): a reader is sent what follows.
        let live =
            crate::live::LiveHub::new(content.followers_start(), config.timeouts.max_connections);
        let state = Self(Arc::new(SharedState {
            live,
            security_headers,
            csp_reports: Default::default(),
            cdn_cache_control,
            content,
            theme,
            overload: Overload::new(config.overload),
            newsroom: Default::default(),
            api: Arc::new(crate::api::ApiState::new(&config.api)),
            requests: Default::default(),
            config: Arc::new(config),
            cache,
            dates: Default::default(),
            chrome: Default::default(),
        }));
        crate::live::start(&state);
        state
    }

    /// A handle that does not keep the state alive (for tasks that outlive no server).
    pub(crate) fn downgrade(&self) -> std::sync::Weak<SharedState> {
        Arc::downgrade(&self.0)
    }

    pub(crate) fn from_shared(shared: Arc<SharedState>) -> Self {
        Self(shared)
    }
}

impl SharedState {
    /// The date formatter for `lang` (English when ICU4X has no data for it).
    pub fn dates(&self, lang: &str) -> Arc<DateFormatter> {
        if let Some(f) = self
            .dates
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(lang)
        {
            return f.clone();
        }
        let made = DateFormatter::new(lang)
            .or_else(|_| DateFormatter::new("en"))
            .map(Arc::new)
            .expect("ICU4X compiled data always has English");
        self.dates
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(lang.to_owned(), made.clone());
        made
    }

    /// Absolute URL for a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.config.site_url, path)
    }
}
