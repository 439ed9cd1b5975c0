//! Which merges a writer started and are still running, so a serving index closes its
//! writer only when closing will not wait (closing waits for every running merge, and
//! on a large index a merge of large segments takes seconds: the index task would read
//! nothing from the change feed meanwhile).
//!
//! tantivy says when a merge starts (its merge policy names the segments to merge) but
//! not when it ends; a merge has ended once its segments are gone from the committed
//! ones, which it replaces with the merged segment.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tantivy::SegmentMeta;
use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The segments sent to be merged and not yet seen gone. Shared by a writer's merge
/// policy and the index.
#[derive(Debug, Default, Clone)]
pub(crate) struct MergesSent(Arc<Mutex<HashSet<SegmentId>>>);

impl MergesSent {
    /// tantivy's default merge policy, noting what it sends to be merged here.
    pub(crate) fn policy(&self) -> Box<dyn MergePolicy> {
        Box::new(Noting {
            inner: LogMergePolicy::default(),
            sent: self.clone(),
        })
    }

    fn note(&self, candidates: &[MergeCandidate]) {
        let mut sent = self.0.lock().unwrap_or_else(|p| p.into_inner());
        sent.extend(candidates.iter().flat_map(|c| c.0.iter().copied()));
    }

    /// Whether a merge sent may still be running, given the committed segments: one of
    /// its segments is still among them. Forgets the merges that have ended.
    pub(crate) fn running(&self, committed: &[SegmentId]) -> bool {
        let mut sent = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if sent.is_empty() {
            return false;
        }
        let committed: HashSet<&SegmentId> = committed.iter().collect();
        sent.retain(|id| committed.contains(id));
        !sent.is_empty()
    }

    /// A new writer: what an earlier one sent has ended (closing waited for it).
    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[derive(Debug)]
struct Noting {
    inner: LogMergePolicy,
    sent: MergesSent,
}

impl MergePolicy for Noting {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let candidates = self.inner.compute_merge_candidates(segments);
        self.sent.note(&candidates);
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_runs_until_its_segments_are_gone_from_the_committed_ones() {
        let [a, b, c, merged] = std::array::from_fn(|_| SegmentId::generate_random());
        let sent = MergesSent::default();
        assert!(!sent.running(&[a, b, c]), "nothing sent");

        sent.note(&[MergeCandidate(vec![a, b])]);
        assert!(
            sent.running(&[a, b, c]),
            "sent, its segments still committed"
        );
        assert!(
            sent.running(&[b, c]),
            "one of its segments is still there: not ended"
        );
        assert!(
            !sent.running(&[c, merged]),
            "replaced by the merged segment"
        );
        assert!(!sent.running(&[a, b, c]), "an ended merge is forgotten");

        sent.note(&[MergeCandidate(vec![c])]);
        sent.clear();
        assert!(!sent.running(&[c]), "a new writer starts with none");
    }
}
