//! Counting matches per section in the same pass that ranks them.

use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts matching documents per value of the `section` fast field.
pub(crate) struct SectionCounts;

/// Section ids are small: counting into a vector indexed by id is several times faster
/// than hashing per match (this runs for every matching document); larger ids, should
/// they appear, go to a map.
const DENSE: u64 = 4096;

pub(crate) struct SegmentSectionCounts {
    column: Column<u64>,
    dense: Vec<u64>,
    sparse: HashMap<u64, u64>,
}

impl Collector for SectionCounts {
    type Fruit = HashMap<u64, u64>;
    type Child = SegmentSectionCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentSectionCounts {
            column: reader.fast_fields().u64("section")?,
            dense: Vec::new(),
            sparse: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = HashMap::new();
        for fruit in fruits {
            for (k, v) in fruit {
                *all.entry(k).or_insert(0) += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentSectionCounts {
    type Fruit = HashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.column.first(doc) {
            Some(s) if s < DENSE => {
                let i = s as usize;
                if i >= self.dense.len() {
                    self.dense.resize(i + 1, 0);
                }
                self.dense[i] += 1;
            }
            Some(s) => *self.sparse.entry(s).or_insert(0) += 1,
            None => {}
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        for (i, n) in self.dense.into_iter().enumerate() {
            if n > 0 {
                self.sparse.insert(i as u64, n);
            }
        }
        self.sparse
    }
}
