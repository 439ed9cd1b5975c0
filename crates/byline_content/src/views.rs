//! The view counter: beacons are summed in memory and flushed to the store in batches.
//!
//! A beacon never touches the store: the set of countable (published) articles and their
//! counts live here, kept current by the change feed. Counting is exact under concurrency
//! (atomics), and a flush that fails puts its views back for the next one.

use byline_core::ArticleId;
use byline_store::{Store, StoreResult, ViewDelta};
use dashmap::DashMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug, Default)]
struct Count {
    /// What the page shows: stored views plus everything counted since.
    total: AtomicU64,
    /// Counted but not yet written to the store.
    pending: AtomicU64,
    /// Only published articles count views.
    countable: AtomicBool,
}

#[derive(Default)]
pub struct ViewCounter {
    // Counts inline (no Arc per article): a million articles cost tens of MB, not hundreds.
    counts: DashMap<ArticleId, Count>,
}

static BOTS: LazyLock<isbot::Bots> = LazyLock::new(isbot::Bots::default);

/// True for crawlers, previewers and tools that should not count as readers.
pub fn is_bot(user_agent: Option<&str>) -> bool {
    match user_agent.map(str::trim) {
        None | Some("") => true,
        Some(ua) => BOTS.is_bot(ua),
    }
}

impl ViewCounter {
    /// Loads every published article's count.
    pub async fn warm(&self, store: &dyn Store) -> StoreResult<()> {
        for (id, views) in store.published_view_counts().await? {
            self.set_countable(id, true, views);
        }
        Ok(())
    }

    /// Marks an article countable (published) or not; `stored` seeds a new entry's total.
    pub fn set_countable(&self, id: ArticleId, countable: bool, stored: u64) {
        let entry = self.counts.entry(id).or_insert_with(|| Count {
            total: AtomicU64::new(stored),
            ..Count::default()
        });
        entry.countable.store(countable, Ordering::Release);
    }

    /// Counts one view. `None` when the article is unknown or not published.
    pub fn record(&self, id: ArticleId) -> Option<u64> {
        let count = self.counts.get(&id)?;
        if !count.countable.load(Ordering::Acquire) {
            return None;
        }
        count.pending.fetch_add(1, Ordering::AcqRel);
        Some(count.total.fetch_add(1, Ordering::AcqRel) + 1)
    }

    /// The current count without counting (for bots). `None` as for [`record`](Self::record).
    pub fn peek(&self, id: ArticleId) -> Option<u64> {
        let count = self.counts.get(&id)?;
        count
            .countable
            .load(Ordering::Acquire)
            .then(|| count.total.load(Ordering::Acquire))
    }

    /// Views counted and not yet flushed, across all articles.
    pub fn pending(&self) -> u64 {
        self.counts
            .iter()
            .map(|c| c.pending.load(Ordering::Acquire))
            .sum()
    }

    /// Writes pending views to the store in one transaction.
    pub async fn flush(&self, store: &dyn Store) -> StoreResult<u64> {
        let day = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
        let mut taken: Vec<ViewDelta> = Vec::new();
        for entry in self.counts.iter() {
            let n = entry.pending.swap(0, Ordering::AcqRel);
            if n > 0 {
                taken.push(ViewDelta {
                    article: *entry.key(),
                    day: day.clone(),
                    count: n,
                });
            }
        }
        if taken.is_empty() {
            return Ok(0);
        }
        match store.add_views(&taken).await {
            Ok(()) => Ok(taken.iter().map(|d| d.count).sum()),
            Err(e) => {
                // Nothing counted is dropped: the next flush tries again.
                for delta in taken {
                    if let Some(count) = self.counts.get(&delta.article) {
                        count.pending.fetch_add(delta.count, Ordering::AcqRel);
                    }
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_countable_articles() {
        let v = ViewCounter::default();
        v.set_countable(ArticleId(1), true, 10);
        v.set_countable(ArticleId(2), false, 0);
        assert_eq!(v.record(ArticleId(1)), Some(11));
        assert_eq!(v.record(ArticleId(2)), None);
        assert_eq!(v.record(ArticleId(3)), None);
        assert_eq!(v.peek(ArticleId(1)), Some(11));
        assert_eq!(v.pending(), 1);
    }

    #[test]
    fn recognises_bots() {
        assert!(is_bot(Some(
            "Googlebot/2.1 (+http://www.google.com/bot.html)"
        )));
        assert!(is_bot(None));
        assert!(!is_bot(Some(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
        )));
    }
}
