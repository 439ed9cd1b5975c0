//! Counters that every request bumps, without every core writing to one cache line.
//!
//! One `AtomicU64` shared by all worker threads is a cache line the cores pass back and
//! forth on every increment; on the cached-page path that costs more than the count is
//! worth. Each thread adds to its own shard instead (a thread keeps the shard it was
//! given first), and readers — `/metrics`, tests — sum the shards.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Shards per value: enough that worker threads rarely share one (they are about as
/// many as cores), few enough that summing stays trivial.
const SHARDS: usize = 16;

/// `T` alone on its cache line (128 bytes: adjacent-line prefetching pairs 64-byte lines).
#[repr(align(128))]
#[derive(Default)]
struct Padded<T>(T);

/// One `T` per shard; [`Sharded::local`] is the calling thread's.
pub struct Sharded<T> {
    shards: Box<[Padded<T>]>,
}

impl<T: Default> Default for Sharded<T> {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Padded::default()).collect(),
        }
    }
}

impl<T> Sharded<T> {
    /// The calling thread's shard.
    pub fn local(&self) -> &T {
        &self.shards[shard_of_this_thread()].0
    }

    /// Every shard, for summing.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().map(|p| &p.0)
    }
}

fn shard_of_this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|s| *s)
}

/// A monotonic counter, sharded.
#[derive(Default)]
pub struct Counter(Sharded<AtomicU64>);

impl Counter {
    pub fn add(&self, n: u64) {
        self.0.local().fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.all().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn adds_from_many_threads_sum_exactly() {
        let counter = Arc::new(Counter::default());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let c = counter.clone();
                std::thread::spawn(move || (0..10_000).for_each(|_| c.add(1)))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        counter.add(5);
        assert_eq!(counter.get(), 80_005);
    }

    #[test]
    fn shards_do_not_share_a_cache_line() {
        let sharded = Sharded::<AtomicU64>::default();
        let addresses: Vec<usize> = sharded.all().map(|c| c as *const _ as usize).collect();
        assert!(addresses.windows(2).all(|w| w[1] - w[0] >= 128));
    }
}
