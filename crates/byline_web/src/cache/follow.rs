//! Invalidation from the change feed: exactly the pages a change can affect.

use super::{PageCache, PurgeWebhook, deps};
use byline_content::{Change, ChangeKind, Content, ContentError, Follower};
use byline_core::ArticleId;

/// The page cache as a change-feed follower: drops the pages each batch affects, then
/// tells the CDN (through `purge`) to drop the same keys.
struct Invalidation {
    cache: PageCache,
    content: Content,
    purge: Option<PurgeWebhook>,
}

impl Follower for Invalidation {
    async fn apply(&self, batch: &[Change]) -> Result<(), ContentError> {
        let keys = self.cache.apply(&self.content, batch).await?;
        if let Some(purge) = &self.purge {
            purge.purge(keys);
        }
        Ok(())
    }
}

impl PageCache {
    /// Follows the change feed from where this node's content service started.
    pub(crate) fn follow(&self, content: &Content, purge: Option<PurgeWebhook>) {
        content.follow(
            "page-cache",
            Invalidation {
                cache: self.clone(),
                content: content.clone(),
                purge,
            },
        );
    }

    /// Drops the pages `changes` affect and returns the keys it dropped them by. Fails
    /// when the store cannot say where a changed article is now (the batch is retried).
    async fn apply(
        &self,
        content: &Content,
        changes: &[Change],
    ) -> Result<Vec<String>, ContentError> {
        // The banner first: pages rendered after any drop below must show the alerts as
        // they are now (this follower may run before the content service's own).
        if changes.iter().any(|c| c.kind == ChangeKind::Alert) {
            content.reload_alerts().await?;
        }
        if changes
            .iter()
            .any(|c| !matches!(c.kind, ChangeKind::Article | ChangeKind::Alert))
        {
            // Settings, sections, authors and tags appear on every page (navigation,
            // footer): read them again first, as the banner above, then drop everything.
            content.reload_catalog().await?;
            self.clear().await;
            return Ok(vec![deps::ALL.to_owned()]);
        }
        let mut keys = vec![deps::SITE.to_owned()];
        for change in changes.iter().filter(|c| c.kind == ChangeKind::Alert) {
            // A banner raised, ended or expired: every HTML page of its edition.
            match content.alert_edition(change.entity_id).await {
                Ok(ed) => keys.push(deps::pages(&ed)),
                Err(ContentError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        for change in changes.iter().filter(|c| c.kind == ChangeKind::Article) {
            let id = change.entity_id;
            keys.push(deps::article(id));
            if change.action == "corrected" || change.action == "entry" {
                // A correction note or a live-blog entry changes the article's own page
                // and its entry in the feeds and sitemaps (`updated`, `lastmod`, the
                // entries in the item): the edition's and, by `shows`, those of its
                // section, tags and authors.
                keys.push(deps::shows(id));
                match content.changed_article(ArticleId(id)).await {
                    Ok(a) => keys.push(deps::edition(&a.edition)),
                    Err(ContentError::NotFound) => {}
                    Err(e) => return Err(e),
                }
                continue;
            }
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
                // Deleted: its pages and the lists that showed it are covered above.
                Err(ContentError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        keys.sort();
        keys.dedup();
        self.invalidate(&keys).await;
        Ok(keys)
    }
}
