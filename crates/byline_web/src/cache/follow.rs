//! Invalidation from the change feed: exactly the pages a change can affect.

use super::{PageCache, PurgeWebhook, deps};
use byline_content::{Change, ChangeKind, Content};
use byline_core::ArticleId;

impl PageCache {
    /// Follows the change feed: drops the pages each change affects, then tells the CDN
    /// (through `purge`) to drop the same keys.
    pub(crate) fn follow(&self, content: &Content, purge: Option<PurgeWebhook>) {
        let cache = self.clone();
        let reader = content.clone();
        content.follow("page-cache", move |changes: &[Change]| {
            let cache = cache.clone();
            let reader = reader.clone();
            let purge = purge.clone();
            let changes = changes.to_vec();
            tokio::spawn(async move {
                let keys = cache.apply(&reader, &changes).await;
                if let Some(purge) = purge {
                    purge.purge(keys);
                }
            });
        });
    }

    /// Drops the pages `changes` affect and returns the keys it dropped them by.
    async fn apply(&self, content: &Content, changes: &[Change]) -> Vec<String> {
        if changes.iter().any(|c| c.kind != ChangeKind::Article) {
            // Settings, sections, authors and tags appear on every page (navigation, footer).
            self.clear().await;
            return vec![deps::ALL.to_owned()];
        }
        let mut keys = vec![deps::SITE.to_owned()];
        for change in changes {
            let id = change.entity_id;
            keys.push(deps::article(id));
            keys.push(deps::shows(id));
            // Where the article is now; where it was is covered by `shows` (every list
            // that displayed it declared that).
            match content.changed_article(ArticleId(id)).await {
                Ok(a) => {
                    keys.push(deps::group(a.translation_group));
                    keys.push(deps::edition(&a.edition));
                    keys.push(deps::list("section", a.section.0, &a.edition));
                    keys.extend(a.tags.iter().map(|t| deps::list("tag", t.0, &a.edition)));
                    keys.extend(
                        a.authors
                            .iter()
                            .map(|w| deps::list("author", w.0, &a.edition)),
                    );
                }
                Err(error) => {
                    tracing::debug!(article = id, %error, "changed article not readable; clearing its pages only");
                }
            }
        }
        keys.sort();
        keys.dedup();
        self.invalidate(&keys).await;
        keys
    }
}
