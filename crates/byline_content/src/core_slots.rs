//! CPU-bound work on tokio's blocking pool, at most one job per core at a time.
//!
//! Why bound it: such work (a search query, compressing a page) finishes no sooner when
//! more jobs run at once than there are cores, and each job holds a blocking thread
//! meanwhile, with its stack and its allocator pages. Unbounded, 64 readers searching
//! at once grew the pool by some 30 threads and the process by about 90 MB, and a
//! publish that dropped the pages 64 readers were asking for started a compressing
//! thread for each (docs/PERFORMANCE.md, "Memory"). Bounded, the jobs wait for a core
//! in order.

use tokio::sync::Semaphore;

/// One slot per core for a kind of work; give each kind that must not wait behind
/// another its own set (readers' searches, the newsroom's, compressing).
pub struct CoreSlots(Semaphore);

impl CoreSlots {
    /// As many slots as the machine has cores (two when it cannot tell).
    pub fn per_core() -> Self {
        Self(Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        ))
    }

    /// Runs `work` on the blocking pool once a slot is free.
    pub async fn run<T: Send + 'static>(
        &'static self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let slot = self.0.acquire().await.expect("core slots are never closed");
        // The slot goes with the work, not with the caller: a request cancelled while
        // its job runs (its deadline, the reader gone) must not free a core the job
        // still uses.
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_jobs_run_at_once_than_there_are_slots_even_when_callers_give_up() {
        static SLOTS: LazyLock<CoreSlots> = LazyLock::new(|| CoreSlots(Semaphore::new(2)));
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let job = || {
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            MOST.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(30));
            RUNNING.fetch_sub(1, Ordering::SeqCst);
        };
        // Callers that stop waiting: the first two once their jobs have started (their
        // slots must stay taken until the jobs end), the others before a slot was free
        // (their jobs never run).
        for _ in 0..4 {
            let _ = tokio::time::timeout(Duration::from_millis(5), SLOTS.run(job)).await;
        }
        let waiting: Vec<_> = (0..8).map(|_| tokio::spawn(SLOTS.run(job))).collect();
        for w in waiting {
            w.await.unwrap().unwrap();
        }
        while RUNNING.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(MOST.load(Ordering::SeqCst), 2);
    }
}
