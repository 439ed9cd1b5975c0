//! The view counter: beacons are summed in memory and flushed to the store in batches.
//!
//! A beacon never touches the store: the set of countable (published) articles and their
//! counts live here, kept current by the change feed. Counting is exact under concurrency
//! (atomics), and a flush that fails puts its views back for the next one.

use byline_core::ArticleId;
use byline_store::{Store, StoreResult, ViewDelta};
use dashmap::DashMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

/// Whether an article's views count.
const UNKNOWN: u8 = 0;
const COUNTABLE: u8 = 1;
const NOT_COUNTABLE: u8 = 2;

#[derive(Debug, Default)]
struct Count {
    /// What the page shows: stored views plus everything counted since.
    total: AtomicU64,
    /// Counted but not yet written to the store.
    pending: AtomicU64,
    /// `COUNTABLE` for published articles. `UNKNOWN` while the stored counts are still
    /// loading: the beacon's views are held until the load says whether they count.
    state: AtomicU8,
}

#[derive(Default)]
pub struct ViewCounter {
    // Counts inline (no Arc per article): a million articles cost tens of MB, not hundreds.
    counts: DashMap<ArticleId, Count>,
    /// True until every stored count is loaded.
    loading: AtomicBool,
    /// Stored counts read per query while loading.
    load_page: u32,
    /// Held by the flush under way. A second flush (a test's or a graceful stop's, while
    /// the timer's runs) waits for it: otherwise it could return with nothing to write
    /// while the first still holds views on their way to the store.
    flushing: tokio::sync::Mutex<()>,
    /// Views a flush has taken and not yet written: still pending until the store has
    /// them, so "nothing pending" means every counted view is stored.
    in_flight: AtomicU64,
    /// Flushes that wrote views, views written, and flushes that failed (for metrics).
    pub flushes: AtomicU64,
    pub flushed_views: AtomicU64,
    pub flush_failures: AtomicU64,
}

/// What a beacon's view came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// The article's count, this view included.
    Total(u64),
    /// Held while the stored counts load; kept if the article turns out to be published.
    Held,
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
    /// A counter whose stored counts are about to be loaded, `page` per query, by
    /// [`load_first`](Self::load_first) and [`load_rest`](Self::load_rest).
    pub fn loading(page: u32) -> Self {
        Self {
            counts: DashMap::new(),
            loading: AtomicBool::new(true),
            load_page: page.max(1),
            ..Self::default()
        }
    }

    /// Loads the newest page of stored counts. `None` when that was all of them (the
    /// counter is complete); otherwise where [`load_rest`](Self::load_rest) goes on.
    /// A big outlet starts serving after this first page: the newest articles, the ones
    /// readers open, count exactly from the start.
    pub async fn load_first(&self, store: &dyn Store) -> StoreResult<Option<ArticleId>> {
        let next = self.load_page(store, None).await?;
        if next.is_none() {
            self.finish_loading();
        }
        Ok(next)
    }

    /// Loads the remaining stored counts below `before`, then completes the counter.
    pub async fn load_rest(&self, store: &dyn Store, before: ArticleId) -> StoreResult<()> {
        let mut next = Some(before);
        while let Some(before) = next {
            next = self.load_page(store, Some(before)).await?;
        }
        self.finish_loading();
        Ok(())
    }

    /// One page of stored counts; `Some(last id)` when more may follow.
    async fn load_page(
        &self,
        store: &dyn Store,
        before: Option<ArticleId>,
    ) -> StoreResult<Option<ArticleId>> {
        let page = store.published_view_counts(before, self.load_page).await?;
        self.absorb(&page);
        Ok((page.len() == self.load_page as usize).then(|| page[page.len() - 1].0))
    }

    /// Takes in stored counts read from the store.
    fn absorb(&self, page: &[(ArticleId, u64)]) {
        for (id, stored) in page {
            self.counts
                .entry(*id)
                .and_modify(|count| {
                    // The change feed may have spoken since the page was read: what it set
                    // is newer and stays. Held views join the stored count.
                    if count.state.load(Ordering::Acquire) == UNKNOWN {
                        count.total.fetch_add(*stored, Ordering::AcqRel);
                        count.state.store(COUNTABLE, Ordering::Release);
                    }
                })
                .or_insert_with(|| Count {
                    total: AtomicU64::new(*stored),
                    pending: AtomicU64::new(0),
                    state: AtomicU8::new(COUNTABLE),
                });
        }
    }

    /// Every stored count is in: views held for articles that turned out unpublished or
    /// unknown are dropped, and from now on such beacons are refused.
    fn finish_loading(&self) {
        self.loading.store(false, Ordering::Release);
        let before = self.counts.len();
        self.counts
            .retain(|_, count| count.state.load(Ordering::Acquire) != UNKNOWN);
        let dropped = before - self.counts.len();
        if dropped > 0 {
            tracing::info!(
                articles = dropped,
                "dropped views held for articles that are not published"
            );
        }
    }

    /// True while stored counts are still loading.
    pub fn is_loading(&self) -> bool {
        self.loading.load(Ordering::Acquire)
    }

    /// Marks an article countable (published) or not; `stored` seeds a new entry's total.
    pub fn set_countable(&self, id: ArticleId, countable: bool, stored: u64) {
        let state = if countable { COUNTABLE } else { NOT_COUNTABLE };
        self.counts
            .entry(id)
            .and_modify(|count| {
                if count.state.load(Ordering::Acquire) == UNKNOWN {
                    count.total.fetch_add(stored, Ordering::AcqRel);
                }
                count.state.store(state, Ordering::Release);
            })
            .or_insert_with(|| Count {
                total: AtomicU64::new(stored),
                pending: AtomicU64::new(0),
                state: AtomicU8::new(state),
            });
    }

    /// Counts one view. `None` when the article is unknown or not published.
    pub fn record(&self, id: ArticleId) -> Option<Counted> {
        if let Some(count) = self.counts.get(&id) {
            return match count.state.load(Ordering::Acquire) {
                COUNTABLE => {
                    count.pending.fetch_add(1, Ordering::AcqRel);
                    Some(Counted::Total(
                        count.total.fetch_add(1, Ordering::AcqRel) + 1,
                    ))
                }
                UNKNOWN if self.is_loading() => {
                    count.pending.fetch_add(1, Ordering::AcqRel);
                    count.total.fetch_add(1, Ordering::AcqRel);
                    Some(Counted::Held)
                }
                _ => None,
            };
        }
        if !self.is_loading() {
            return None;
        }
        self.counts.entry(id).or_insert_with(|| Count {
            state: AtomicU8::new(UNKNOWN),
            ..Count::default()
        });
        // Count through the entry now present, whatever put it there.
        self.record(id)
    }

    /// The current count without counting (for bots). `None` as for [`record`](Self::record),
    /// and while an article's stored count is still loading.
    pub fn peek(&self, id: ArticleId) -> Option<u64> {
        let count = self.counts.get(&id)?;
        (count.state.load(Ordering::Acquire) == COUNTABLE)
            .then(|| count.total.load(Ordering::Acquire))
    }

    /// Views counted and not yet stored, across all articles (held ones excluded), those
    /// a flush is writing included.
    pub fn pending(&self) -> u64 {
        // Entries first, then in flight: a flush adds a view to in-flight before it takes
        // it from its entry, so read this way round a view on its way may be counted
        // twice for a moment, but is not missed.
        let in_entries: u64 = self
            .counts
            .iter()
            .filter(|c| c.state.load(Ordering::Acquire) != UNKNOWN)
            .map(|c| c.pending.load(Ordering::Acquire))
            .sum();
        in_entries + self.in_flight.load(Ordering::Acquire)
    }

    /// Views a flush has taken from the counts and is writing now.
    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Writes pending views to the store in one transaction, counted on the UTC day of
    /// `now` (the content service's clock, which the dashboard reads them by), after any
    /// flush under way has finished: when it returns, every view counted before it was
    /// called is stored (or, if the store failed, pending again).
    pub async fn flush(&self, store: &dyn Store, now: jiff::Timestamp) -> StoreResult<u64> {
        let _one_at_a_time = self.flushing.lock().await;
        let day = now.strftime("%Y-%m-%d").to_string();
        let mut taken: Vec<ViewDelta> = Vec::new();
        for entry in self.counts.iter() {
            if entry.state.load(Ordering::Acquire) == UNKNOWN {
                continue; // held until the load says whether it counts
            }
            // In flight before it leaves the entry (see `pending`); views counted between
            // the load and the swap are added (or the difference taken back) after.
            let seen = entry.pending.load(Ordering::Acquire);
            self.in_flight.fetch_add(seen, Ordering::AcqRel);
            let n = entry.pending.swap(0, Ordering::AcqRel);
            match n.cmp(&seen) {
                std::cmp::Ordering::Greater => {
                    self.in_flight.fetch_add(n - seen, Ordering::AcqRel);
                }
                std::cmp::Ordering::Less => {
                    self.in_flight.fetch_sub(seen - n, Ordering::AcqRel);
                }
                std::cmp::Ordering::Equal => {}
            }
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
        let taken_views: u64 = taken.iter().map(|d| d.count).sum();
        match store.add_views(&taken).await {
            Ok(()) => {
                self.flushes.fetch_add(1, Ordering::Relaxed);
                self.flushed_views.fetch_add(taken_views, Ordering::Relaxed);
                self.in_flight.fetch_sub(taken_views, Ordering::AcqRel);
                Ok(taken_views)
            }
            Err(e) => {
                self.flush_failures.fetch_add(1, Ordering::Relaxed);
                // Nothing counted is dropped: the next flush tries again.
                for delta in taken {
                    if let Some(count) = self.counts.get(&delta.article) {
                        count.pending.fetch_add(delta.count, Ordering::AcqRel);
                    }
                }
                self.in_flight.fetch_sub(taken_views, Ordering::AcqRel);
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
        assert_eq!(v.record(ArticleId(1)), Some(Counted::Total(11)));
        assert_eq!(v.record(ArticleId(2)), None);
        assert_eq!(v.record(ArticleId(3)), None);
        assert_eq!(v.peek(ArticleId(1)), Some(11));
        assert_eq!(v.pending(), 1);
    }

    #[test]
    fn views_while_loading_are_held_then_kept_or_dropped() {
        let v = ViewCounter::loading(10);
        v.absorb(&[(ArticleId(9), 100)]);
        // Loaded already: exact from the start.
        assert_eq!(v.record(ArticleId(9)), Some(Counted::Total(101)));
        // Not loaded yet: held, not shown, not flushed.
        assert_eq!(v.record(ArticleId(5)), Some(Counted::Held));
        assert_eq!(v.record(ArticleId(5)), Some(Counted::Held));
        assert_eq!(v.record(ArticleId(7)), Some(Counted::Held));
        assert_eq!(v.peek(ArticleId(5)), None);
        assert_eq!(v.pending(), 1, "held views are not pending yet");
        // The change feed unpublishes 6 while the load still has it as published.
        v.set_countable(ArticleId(6), false, 40);
        v.absorb(&[(ArticleId(6), 40), (ArticleId(5), 20)]);
        v.finish_loading();
        assert_eq!(
            v.peek(ArticleId(5)),
            Some(22),
            "held views join the stored count"
        );
        assert_eq!(
            v.record(ArticleId(6)),
            None,
            "the newer word of the feed stays"
        );
        assert_eq!(
            v.record(ArticleId(7)),
            None,
            "7 is not published: dropped, refused"
        );
        assert_eq!(v.peek(ArticleId(7)), None);
        assert_eq!(v.pending(), 3);
    }

    #[test]
    fn a_publish_during_loading_takes_the_held_views() {
        let v = ViewCounter::loading(10);
        assert_eq!(v.record(ArticleId(3)), Some(Counted::Held));
        v.set_countable(ArticleId(3), true, 10);
        assert_eq!(v.record(ArticleId(3)), Some(Counted::Total(12)));
        v.finish_loading();
        assert_eq!(v.peek(ArticleId(3)), Some(12));
        assert_eq!(
            v.record(ArticleId(4)),
            None,
            "after loading, unknown is unknown"
        );
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
