//! The page cache: rendered reader pages kept in memory and served like static files.
//!
//! Reader pages are the same for everyone (theme and font size are client-side), so one
//! render serves all. Any committed change clears the cache through the change feed,
//! so a publish or a correction is live at once. (Finer, per-page invalidation and a
//! byte budget are the performance issue's work.)

use axum::body::Bytes;
use byline_content::Content;
use dashmap::DashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A rendered page with its validators.
#[derive(Clone)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
    pub content_type: &'static str,
    /// When what the page shows last changed (feeds and sitemaps know it).
    pub last_modified: Option<jiff::Timestamp>,
}

#[derive(Clone)]
pub struct PageCache {
    enabled: bool,
    pages: Arc<DashMap<String, CachedPage>>,
    /// Bumped on every invalidation, so a render that started before a change can't
    /// put a stale page back after it.
    generation: Arc<AtomicU64>,
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            pages: Arc::default(),
            generation: Arc::default(),
        }
    }

    pub(crate) fn follow(&self, content: &Content) {
        let me = self.clone();
        content.feed().follow(
            content.store().clone(),
            content.feed().position(),
            "page-cache",
            move |_| {
                me.clear();
            },
        );
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.pages.clear();
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    pub(crate) fn get(&self, key: &str) -> Option<CachedPage> {
        if !self.enabled {
            return None;
        }
        self.pages.get(key).map(|p| p.clone())
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn put(&self, key: String, page: CachedPage, generation: u64) {
        if self.enabled && self.generation() == generation {
            self.pages.insert(key, page);
        }
    }
}
