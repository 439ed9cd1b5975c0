//! The page cache: rendered reader pages kept in memory, pre-compressed, and served
//! like static files.
//!
//! Reader pages are the same for everyone (theme and font size are client-side), so one
//! render serves all. Each cached page records what it depends on ([`deps`]); the change
//! feed invalidates exactly the pages whose dependencies changed, so a publish or a
//! correction is live at once and unrelated pages stay cached. Memory is bounded by a
//! byte budget (moka's size-aware TinyLFU/LRU), and concurrent misses for one page
//! share a single render.
//!
//! Pages of search results cannot name what they depend on (any article that could
//! match the query). They are kept with a [`Stamp`] instead — the readers' search index
//! position, the invalidation epoch and the hour they were worked out at — and count as
//! cached only while all three are unchanged. They take no place among the
//! dependencies, so however many different queries readers send, nothing but the byte
//! budget holds them.

pub(crate) mod compress;
pub mod deps;
mod follow;
mod purge;

pub use compress::Encoding;
pub use purge::PurgeWebhook;

use axum::body::Bytes;
use axum::http::HeaderValue;
use byline_content::Content;
use dashmap::DashMap;
use moka::future::Cache;
use moka::notification::RemovalCause;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A rendered page in every encoding, with its validator and dependencies.
pub struct CachedPage {
    pub identity: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
    pub etag: String,
    pub content_type: &'static str,
    /// When what the page shows last changed (feeds and sitemaps know it).
    pub last_modified: Option<jiff::Timestamp>,
    pub deps: Vec<String>,
    /// Whether `gzip` and `brotli` hold compressed bodies (a page rendered for one
    /// request only, with the cache off, is not worth compressing twice).
    pub compressed: bool,
    /// `Surrogate-Key` (space-separated) and `Cache-Tag` (comma-separated) values:
    /// [`deps::surrogate_keys`] of `deps`.
    pub surrogate_key: Option<HeaderValue>,
    pub cache_tag: Option<HeaderValue>,
    /// `ETag` and `Last-Modified` as header values, made once per render rather than on
    /// every hit.
    pub etag_header: HeaderValue,
    pub last_modified_header: Option<HeaderValue>,
    /// Kept by a stamp rather than by dependencies (search results): current only
    /// while [`PageCache::stamp`] gives the same.
    pub stamp: Option<Stamp>,
    /// A `Cache-Control` of its own instead of the site's CDN policy (search results:
    /// no CDN purge reaches them, so shared caches must ask again).
    pub cache_control: Option<HeaderValue>,
}

/// How a cached page learns it is out of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// The change feed drops it by the dependencies it declared.
    ByDependencies,
    /// It is current while the cache's [`Stamp`] is the one it was rendered at.
    ByStamp,
}

/// What a page of search results was worked out from: it is current while the
/// cache's stamp is the same (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The invalidation epoch: moves with every change the change feed brings
    /// (articles, alerts and their banner, settings…).
    epoch: u64,
    /// The change-feed position the readers' search index has committed. It lags the
    /// epoch (commits are batched), so a page worked out in between is stamped with
    /// the old position and dropped when the index catches up.
    index: Option<i64>,
    /// Hours since the epoch: ranking favours recent articles by their age in days.
    hour: i64,
}

impl CachedPage {
    /// Compresses `body` (brotli and gzip) once, at render time.
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: Option<jiff::Timestamp>,
        deps: Vec<String>,
    ) -> Self {
        Self::build(body, content_type, last_modified, deps, true)
    }

    /// A page served once and dropped (the cache is off): identity only.
    pub fn uncompressed(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: Option<jiff::Timestamp>,
        deps: Vec<String>,
    ) -> Self {
        Self::build(body, content_type, last_modified, deps, false)
    }

    fn build(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: Option<jiff::Timestamp>,
        deps: Vec<String>,
        compressed: bool,
    ) -> Self {
        let identity: Bytes = body.into();
        let (gzip, brotli) = if compressed {
            compress::both(&identity)
        } else {
            (Bytes::new(), Bytes::new())
        };
        // The CDN's tags, made once per render rather than on every hit.
        let keys = deps::surrogate_keys(&deps);
        let etag = compress::etag(&identity);
        Self {
            etag_header: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            last_modified_header: last_modified.and_then(|t| {
                HeaderValue::from_str(&httpdate::fmt_http_date(std::time::SystemTime::from(t))).ok()
            }),
            etag,
            surrogate_key: HeaderValue::from_str(&keys.join(" ")).ok(),
            cache_tag: HeaderValue::from_str(&keys.join(",")).ok(),
            gzip,
            brotli,
            identity,
            content_type,
            last_modified,
            deps,
            compressed,
            stamp: None,
            cache_control: None,
        }
    }

    pub fn body(&self, encoding: Encoding) -> &Bytes {
        match encoding {
            Encoding::Identity => &self.identity,
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.brotli,
        }
    }

    fn weight(&self) -> u32 {
        let tags = [&self.surrogate_key, &self.cache_tag]
            .iter()
            .filter_map(|v| v.as_ref().map(HeaderValue::len))
            .sum::<usize>();
        let bytes = self.identity.len() + self.gzip.len() + self.brotli.len() + tags + 256;
        u32::try_from(bytes).unwrap_or(u32::MAX)
    }
}

/// Hit, miss, render and eviction counters (for `/metrics` and tests). Hits are
/// counted on every cached answer, by every core: sharded.
#[derive(Debug, Default)]
pub struct CacheStats {
    pub hits: crate::sharded::Counter,
    pub misses: AtomicU64,
    pub renders: AtomicU64,
    pub evictions: AtomicU64,
    pub invalidations: AtomicU64,
}

#[derive(Clone)]
pub struct PageCache {
    enabled: bool,
    pages: Cache<String, Arc<CachedPage>>,
    /// Dependency → keys of the cached pages that declared it.
    dependents: Arc<DashMap<String, HashSet<String>>>,
    /// Bumped on every invalidation: a render that started before one is not trusted.
    epoch: Arc<AtomicU64>,
    stats: Arc<CacheStats>,
    /// Where the search index position and the time come from, for [`Stamp`]s.
    content: Option<Content>,
}

/// Default byte budget: 256 MiB of rendered pages (all three encodings counted).
pub const DEFAULT_BUDGET: u64 = 256 * 1024 * 1024;

impl PageCache {
    pub fn new(enabled: bool, budget_bytes: u64) -> Self {
        let stats = Arc::new(CacheStats::default());
        let listener_stats = stats.clone();
        let pages = Cache::builder()
            .max_capacity(budget_bytes)
            .weigher(|_key: &String, page: &Arc<CachedPage>| page.weight())
            .eviction_listener(move |_key, _page, cause| {
                if cause == RemovalCause::Size {
                    listener_stats.evictions.fetch_add(1, Ordering::Relaxed);
                }
            })
            .build();
        Self {
            enabled,
            pages,
            dependents: Arc::default(),
            epoch: Arc::default(),
            stats,
            content: None,
        }
    }

    /// Stamps search pages with `content`'s search index position and clock.
    pub fn with_content(mut self, content: Content) -> Self {
        self.content = Some(content);
        self
    }

    /// What a page of search results worked out now would be stamped with.
    pub fn stamp(&self) -> Stamp {
        let (index, hour) = match &self.content {
            Some(content) => (
                content.search_position(),
                content.clock().now().as_second().div_euclid(3600),
            ),
            None => (None, 0),
        };
        Stamp {
            epoch: self.epoch.load(Ordering::Acquire),
            index,
            hour,
        }
    }

    /// Whether `page` may be served: always for pages kept by their dependencies, while
    /// the stamp holds for the others.
    fn current(&self, page: &CachedPage) -> bool {
        page.stamp.is_none_or(|stamp| stamp == self.stamp())
    }

    /// How many (dependency, page) pairs the cache tracks (for tests and `/metrics`).
    pub fn dependency_links(&self) -> usize {
        self.dependents.iter().map(|d| d.value().len()).sum()
    }

    /// Whether pages are kept (off only to measure rendering).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    /// Pages currently cached (after pending maintenance).
    pub async fn page_count(&self) -> u64 {
        self.pages.run_pending_tasks().await;
        self.pages.entry_count()
    }

    /// Bytes currently used, as weighed against the budget.
    pub async fn weighted_size(&self) -> u64 {
        self.pages.run_pending_tasks().await;
        self.pages.weighted_size()
    }

    /// The cached page for `key`, counted as a hit; `None` (uncounted) on a miss, for
    /// handlers that must do work before they can render (the article page looks the
    /// article up only when its page is not cached).
    pub async fn hit(&self, key: &str) -> Option<Arc<CachedPage>> {
        if !self.enabled {
            return None;
        }
        let page = self.pages.get(key).await.filter(|p| self.current(p))?;
        self.stats.hits.add(1);
        Some(page)
    }

    /// Whether `key` is cached right now (no counting, no render).
    pub fn contains(&self, key: &str) -> bool {
        self.pages.contains_key(key)
    }

    /// The page for `key`: cached, or rendered once by `render` however many requests
    /// ask for it at the same time. A page kept [`ByStamp`](Keeping::ByStamp) (search
    /// results, which cannot name their dependencies) is kept with the [`Stamp`] taken
    /// before `render` starts and served only while the stamp holds.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: String,
        keeping: Keeping,
        render: F,
    ) -> Result<Arc<CachedPage>, Arc<E>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<CachedPage, E>>,
        E: Send + Sync + 'static,
    {
        if !self.enabled {
            self.stats.misses.fetch_add(1, Ordering::Relaxed);
            self.stats.renders.fetch_add(1, Ordering::Relaxed);
            return render().await.map(Arc::new).map_err(Arc::new);
        }
        if let Some(page) = self.pages.get(&key).await {
            if self.current(&page) {
                self.stats.hits.add(1);
                return Ok(page);
            }
            // Results worked out before the index or the epoch moved: work them out again.
            self.pages.invalidate(&key).await;
        }
        self.stats.misses.fetch_add(1, Ordering::Relaxed);
        // Taken before rendering: what the render reads is at least this new.
        let started = self.epoch.load(Ordering::Acquire);
        let stamp = (keeping == Keeping::ByStamp).then(|| self.stamp());
        let stats = self.stats.clone();
        // Left here when this request joins a render already under way (or finds its
        // page just put in) instead of running its own.
        let mut render = Some(render);
        let page = self
            .pages
            .try_get_with(key.clone(), async {
                stats.renders.fetch_add(1, Ordering::Relaxed);
                let render = render.take().expect("moka runs an init future once");
                render().await.map(|mut page| {
                    page.stamp = stamp;
                    Arc::new(page)
                })
            })
            .await?;
        if let Some(stamp) = stamp {
            if page.stamp == Some(stamp) {
                // Its stamp says when it stops being current; nothing to register.
                return Ok(page);
            }
            // A render that began under an older stamp: its results may predate what
            // this request must show (a story the index took in since). Work them out
            // for this request, and keep them while they are still current.
            let Some(render) = render.take() else {
                return Ok(page);
            };
            self.pages.invalidate(&key).await;
            self.stats.renders.fetch_add(1, Ordering::Relaxed);
            let mut fresh = render().await.map_err(Arc::new)?;
            fresh.stamp = Some(stamp);
            let fresh = Arc::new(fresh);
            if self.stamp() == stamp {
                self.pages.insert(key, fresh.clone()).await;
            }
            return Ok(fresh);
        }
        for dep in &page.deps {
            self.dependents
                .entry(dep.clone())
                .or_default()
                .insert(key.clone());
        }
        // An invalidation ran while we rendered: what we cached may predate it.
        if self.epoch.load(Ordering::Acquire) != started {
            self.pages.invalidate(&key).await;
        }
        Ok(page)
    }

    /// Drops every page that declared one of `deps`.
    pub async fn invalidate(&self, deps: &[String]) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let mut keys = HashSet::new();
        for dep in deps {
            if let Some((_, dependents)) = self.dependents.remove(dep) {
                keys.extend(dependents);
            }
        }
        for key in &keys {
            self.pages.invalidate(key).await;
        }
        self.stats
            .invalidations
            .fetch_add(keys.len() as u64, Ordering::Relaxed);
    }

    /// Drops everything (settings, sections, authors or tags changed: every page shows them).
    pub async fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.dependents.clear();
        self.pages.invalidate_all();
        self.pages.run_pending_tasks().await;
    }
}
