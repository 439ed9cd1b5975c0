//! The newest stories of each section, kept until the change feed moves.
//!
//! Why: every article page ends with "more from the section", the same few stories
//! for every article of a section. On a page-cache miss (a long-tail story that a
//! crawler or an old shared link brings up) reading them was one of the render's two
//! queries, some 16 % of its instructions. An entry is read at the feed's position
//! and served only while the position is still the same, so any change at all (a
//! write here, another node's notification, or a change another process wrote that a
//! follower's poll found: the feed learns of those before any follower acts on them)
//! retires every entry before the page cache drops the pages that showed them.
//! WordPress's object cache keys its query results by the posts' "last changed" stamp
//! the same way.

use byline_core::{ArticleId, ArticleSummary, SectionId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// More than an outlet has editions × sections; past it the map starts over.
const MAX_ENTRIES: usize = 4096;

/// A section's newest published stories in one edition, as read at feed position `at`.
struct Entry {
    edition: Box<str>,
    at: i64,
    /// How many the reader wanted shown; `newest` holds up to [`rows_for`] of it.
    wanted: u32,
    newest: Arc<[ArticleSummary]>,
}

/// Each section's entries, one per edition.
#[derive(Default)]
pub(crate) struct SectionHeads {
    sections: RwLock<HashMap<SectionId, Vec<Entry>>>,
}

/// How many stories to read to show `wanted` with one of them left out: one more to
/// leave out, one more to tell whether more follow.
pub(crate) fn rows_for(wanted: u32) -> u32 {
    wanted + 2
}

impl SectionHeads {
    /// The stories kept for `section` in `edition`, if they were read at feed position
    /// `at` for as many as `wanted`.
    pub(crate) fn get(
        &self,
        edition: &str,
        section: SectionId,
        at: i64,
        wanted: u32,
    ) -> Option<Arc<[ArticleSummary]>> {
        let sections = self.sections.read().unwrap_or_else(|p| p.into_inner());
        sections
            .get(&section)?
            .iter()
            .find(|e| &*e.edition == edition)
            .filter(|e| e.at == at && e.wanted == wanted)
            .map(|e| e.newest.clone())
    }

    /// Keeps `newest`, read at feed position `at`, unless a later read is kept already.
    pub(crate) fn put(
        &self,
        edition: &str,
        section: SectionId,
        at: i64,
        wanted: u32,
        newest: Arc<[ArticleSummary]>,
    ) {
        let mut sections = self.sections.write().unwrap_or_else(|p| p.into_inner());
        if sections.values().map(Vec::len).sum::<usize>() >= MAX_ENTRIES {
            sections.clear();
        }
        let entries = sections.entry(section).or_default();
        let entry = Entry {
            edition: edition.into(),
            at,
            wanted,
            newest,
        };
        match entries.iter_mut().find(|e| &*e.edition == edition) {
            Some(kept) if kept.at > at => {}
            Some(kept) => *kept = entry,
            None => entries.push(entry),
        }
    }
}

/// The first `wanted` of `newest` without `exclude`, and whether more follow.
pub(crate) fn pick(
    newest: &[ArticleSummary],
    exclude: ArticleId,
    wanted: u32,
) -> (Vec<ArticleSummary>, bool) {
    let mut rest = newest.iter().filter(|a| a.id != exclude);
    let picked: Vec<ArticleSummary> = rest.by_ref().take(wanted as usize).cloned().collect();
    let more = rest.next().is_some();
    (picked, more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_core::Slug;

    fn stories(ids: &[i64]) -> Arc<[ArticleSummary]> {
        ids.iter()
            .map(|&id| ArticleSummary {
                id: ArticleId(id),
                edition: "en".into(),
                section: SectionId(1),
                slug: Slug::parse(&format!("story-{id}")).unwrap(),
                title: format!("Story {id}"),
                subtitle: String::new(),
                cover: None,
                featured: false,
                published_at: jiff::Timestamp::UNIX_EPOCH,
                views: 0,
            })
            .collect()
    }

    fn ids(picked: &[ArticleSummary]) -> Vec<i64> {
        picked.iter().map(|a| a.id.0).collect()
    }

    #[test]
    fn one_left_out_and_whether_more_follow() {
        // Four wanted: up to six read.
        assert_eq!(rows_for(4), 6);
        let six = stories(&[9, 8, 7, 6, 5, 4]);
        // The page's own story among them: the next one takes its place.
        let (picked, more) = pick(&six, ArticleId(8), 4);
        assert_eq!((ids(&picked), more), (vec![9, 7, 6, 5], true));
        // Not among them.
        let (picked, more) = pick(&six, ArticleId(1), 4);
        assert_eq!((ids(&picked), more), (vec![9, 8, 7, 6], true));
        // Five in the section, the page's own one of them: four others, no more.
        let five = stories(&[9, 8, 7, 6, 5]);
        let (picked, more) = pick(&five, ArticleId(5), 4);
        assert_eq!((ids(&picked), more), (vec![9, 8, 7, 6], false));
        // Five others: one more follows.
        let (picked, more) = pick(&five, ArticleId(1), 4);
        assert_eq!((ids(&picked), more), (vec![9, 8, 7, 6], true));
        // Fewer than wanted.
        let (picked, more) = pick(&stories(&[3, 2]), ArticleId(3), 4);
        assert_eq!((ids(&picked), more), (vec![2], false));
    }

    #[test]
    fn kept_only_for_the_position_it_was_read_at() {
        let heads = SectionHeads::default();
        let s = SectionId(1);
        heads.put("en", s, 10, 4, stories(&[1]));
        assert!(heads.get("en", s, 10, 4).is_some());
        assert!(heads.get("en", s, 11, 4).is_none(), "the feed moved");
        assert!(heads.get("ru", s, 10, 4).is_none(), "another edition");
        assert!(heads.get("en", SectionId(2), 10, 4).is_none());
        assert!(heads.get("en", s, 10, 5).is_none(), "another count");
        // A read that started before a later one was kept does not replace it.
        heads.put("en", s, 12, 4, stories(&[2]));
        heads.put("en", s, 11, 4, stories(&[3]));
        assert_eq!(ids(&heads.get("en", s, 12, 4).unwrap()), vec![2]);
        heads.put("ru", s, 12, 4, stories(&[4]));
        assert_eq!(ids(&heads.get("ru", s, 12, 4).unwrap()), vec![4]);
        assert_eq!(ids(&heads.get("en", s, 12, 4).unwrap()), vec![2]);
    }
}
