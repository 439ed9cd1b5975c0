//! Keeping the search indexes projections of the store.
//!
//! There are two, each kept by its own task following the change feed ([`Scope`]): the
//! readers' (published articles only, so nothing unpublished can surface in results,
//! counts or spelling suggestions) and the newsroom's (every article not deleted). An
//! article in the index's scope is added (or replaced), any other state removes it,
//! and a renamed author or tag re-indexes their articles. What changed is committed at
//! most every [`COMMIT_EVERY`] (sooner only while catching up with a backlog), together
//! with the feed position it reflects, so a publish is findable well within a second and
//! a crash replays the feed from the last commit. On start the task catches up from
//! the index's position, or rebuilds the index when it has none (new, damaged, or ahead
//! of the store — a restored backup), saying which in the log.
//!
//! Each commit costs memory for a moment: tantivy opens a segment at the first write
//! after a commit, with a term table of 4 MB and the fast fields' arenas, and frees it
//! at the commit. So the tasks hold their changes until they commit, then hand them to
//! the index and commit in one go, and the two indexes take turns ([`IndexingTurn`]):
//! outside a rebuild one segment is open at a time, for the milliseconds of a commit,
//! instead of one per index from the change to its commit. Once a task has caught up
//! with the feed it closes its index's writer, whose threads and queue would otherwise
//! stay for nothing until the next change (docs/PERFORMANCE.md, "Memory").

use crate::ContentError;
use crate::feed::ChangeFeed;
use byline_core::{Article, ArticleId, ArticleStatus, AuthorId, PageNumber, PageRequest, TagId};
use byline_search::{IndexedArticle, SearchError, SearchIndex};
use byline_store::{ArticleFilter, Change, ChangeKind, Store, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Commits are batched: one per this interval at most, so a burst of publishes costs
/// one commit, and a single publish waits no longer than this.
pub const COMMIT_EVERY: Duration = Duration::from_millis(250);
/// Polling for changes from other processes, as the other followers do.
const POLL: Duration = Duration::from_millis(500);
const BATCH: i64 = 500;
/// Articles held (to add or remove) for the next commit before it is made early: a
/// catch-up after downtime reads a batch of [`BATCH`] changes in milliseconds, and each
/// held article carries its text. A batch that renames an author or a tag may pass it
/// by that name's articles.
const HOLD_AT_MOST: usize = 2_000;
/// Articles read per store call during a rebuild.
const SCAN: i64 = 500;

/// Which articles an index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Published articles: reader search.
    Reader,
    /// Every article not deleted: the newsroom list's word filter.
    Newsroom,
}

impl Scope {
    fn keeps(self, status: ArticleStatus) -> bool {
        match self {
            Scope::Reader => status == ArticleStatus::Published,
            Scope::Newsroom => status != ArticleStatus::Deleted,
        }
    }

    /// Its name among the change-feed followers (`/metrics`, `/readyz`).
    fn follower(self) -> &'static str {
        match self {
            Scope::Reader => "search",
            Scope::Newsroom => "newsroom-search",
        }
    }

    async fn scan(
        self,
        store: &dyn Store,
        after: ArticleId,
        limit: i64,
    ) -> Result<Vec<Article>, StoreError> {
        match self {
            Scope::Reader => store.published_after(after, limit).await,
            Scope::Newsroom => store.working_after(after, limit).await,
        }
    }

    async fn count(self, store: &dyn Store) -> Result<u64, StoreError> {
        Ok(match self {
            Scope::Reader => {
                store
                    .published_articles(
                        &ArticleFilter::default(),
                        PageRequest::new(PageNumber::FIRST, 1),
                    )
                    .await?
                    .1
            }
            Scope::Newsroom => store
                .newsroom_counts(&byline_store::NewsroomFilter::default())
                .await?
                .iter()
                .map(|(_, n)| n)
                .sum(),
        })
    }
}

/// Author and tag names per language, to index them with the article.
#[derive(Default)]
pub(crate) struct Names {
    authors: HashMap<AuthorId, byline_core::Localized>,
    tags: HashMap<TagId, byline_core::Localized>,
}

impl Names {
    pub(crate) async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        Ok(Self {
            authors: store
                .authors()
                .await?
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect(),
            tags: store
                .tags()
                .await?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect(),
        })
    }

    /// What an index holds for an article.
    pub(crate) fn indexed(&self, a: &Article) -> IndexedArticle {
        let ed = a.edition.as_str();
        IndexedArticle {
            id: a.id,
            edition: a.edition.clone(),
            section: a.section,
            slug: a.slug.as_str().to_owned(),
            title: a.title.clone(),
            subtitle: a.subtitle.clone(),
            body: byline_render::plain_text(&a.body_markdown),
            authors: a
                .authors
                .iter()
                .map(|id| {
                    let name = self.authors.get(id).map(|n| n.get(ed)).unwrap_or("");
                    (*id, name.to_owned())
                })
                .collect(),
            tags: a
                .tags
                .iter()
                .map(|id| {
                    let name = self.tags.get(id).map(|n| n.get(ed)).unwrap_or("");
                    (*id, name.to_owned())
                })
                .collect(),
            published: a.published_at.unwrap_or(a.created_at).as_second(),
        }
    }
}

fn internal(e: SearchError) -> ContentError {
    match e {
        SearchError::Locked(_) => ContentError::Unavailable(e.to_string()),
        other => ContentError::Internal(other.into()),
    }
}

/// Whose turn it is to write and commit: shared by a process's two indexes, so outside
/// a rebuild (which writes the whole index in one go, without taking turns) at most one
/// of them has an open segment.
pub(crate) type IndexingTurn = Arc<tokio::sync::Mutex<()>>;

/// A change waiting for the next commit.
enum Held {
    Upsert(IndexedArticle),
    Remove(ArticleId),
}

/// Hands `held` to the index in order and commits it as of `position`, in this
/// index's turn. On failure the caller reads the changes again from the last commit.
async fn write_and_commit(
    index: &Arc<SearchIndex>,
    turn: &IndexingTurn,
    held: Vec<Held>,
    position: i64,
) -> Result<(), ContentError> {
    let _turn = turn.lock().await;
    let index = index.clone();
    blocking(move || {
        // Each one dropped once written: the held copy and tantivy's are not both kept.
        for w in held {
            match w {
                Held::Upsert(a) => index.upsert(&a)?,
                Held::Remove(id) => index.remove(id)?,
            }
        }
        index.commit(position)
    })
    .await
}

/// Runs blocking index work off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, ContentError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ContentError::Internal(anyhow::anyhow!("search worker: {e}")))?
        .map_err(internal)
}

/// Adds every article in `scope` to `index` (which should be empty, or be cleared
/// first) and commits as of `position`. `progress(done, total)` is called per batch.
pub async fn fill(
    store: &dyn Store,
    index: &Arc<SearchIndex>,
    scope: Scope,
    position: i64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64, ContentError> {
    let total = scope.count(store).await?;
    let names = Arc::new(Names::load(store).await?);
    let mut after = ArticleId(0);
    let mut done = 0u64;
    progress(0, total);
    loop {
        let page = scope.scan(store, after, SCAN).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        done += page.len() as u64;
        let (index, names) = (index.clone(), names.clone());
        blocking(move || {
            for a in &page {
                index.upsert(&names.indexed(a))?;
            }
            Ok(())
        })
        .await?;
        progress(done, total.max(done));
    }
    let committer = index.clone();
    blocking(move || committer.commit(position)).await?;
    Ok(done)
}

/// Starts the task that keeps `index` current. Returns once the start-up decision
/// (catch up or rebuild) is made; the work itself runs in the background.
pub(crate) async fn start(
    store: Arc<dyn Store>,
    feed: &ChangeFeed,
    index: Arc<SearchIndex>,
    scope: Scope,
    turn: IndexingTurn,
) -> Result<(), ContentError> {
    let newest = store.last_change().await?;
    let rebuild_from = match index.position() {
        None => Some("it has no recorded position (new or replaced)"),
        Some(p) if p > newest => {
            tracing::warn!(
                index = scope.follower(),
                position = p,
                store = newest,
                "the search index is ahead of the store (restored from a backup?)"
            );
            Some("it is ahead of the store")
        }
        Some(p) if p < newest => {
            tracing::info!(
                index = scope.follower(),
                from = p,
                to = newest,
                changes = newest - p,
                "search index: catching up with the change feed"
            );
            None
        }
        Some(_) => {
            tracing::info!(
                index = scope.follower(),
                position = newest,
                "search index is up to date"
            );
            None
        }
    };
    if rebuild_from.is_some() {
        // At once, so nobody takes the old position for the truth meanwhile.
        let cleaner = index.clone();
        blocking(move || cleaner.clear()).await?;
    }
    let mut rx = feed.watch();
    // Listed with the other followers (`/metrics`, `/readyz`, `Content::settled`), at
    // what it has read and holds for its commit; what search shows is its committed
    // position.
    let status = feed.register(scope.follower(), index.position().unwrap_or(0));
    let feed = feed.clone();
    tokio::spawn(async move {
        let mut position = match rebuild_from {
            Some(why) => rebuild(store.as_ref(), &index, scope, why).await,
            None => index.position().unwrap_or(0),
        };
        status.succeeded(Some(position));
        let mut names = match Names::load(store.as_ref()).await {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "search indexer: loading names failed");
                Names::default()
            }
        };
        // Read and not yet committed: `held` (empty when the changes meant nothing to
        // this index), from `committed` up to `position`; a commit is due while the two
        // differ, and a failed one rewinds `position` to `committed`.
        let mut held: Vec<Held> = Vec::new();
        let mut committed = position;
        let mut commit_failures = 0u32;
        let mut last_commit = Instant::now();
        loop {
            // A full batch means more is waiting (a catch-up): read on after a commit
            // instead of waiting for the next poll.
            let mut more = false;
            match store.changes_since(position, BATCH).await {
                Ok(changes) if !changes.is_empty() => {
                    // Known before it is applied, as for every follower (`feed::run`).
                    if let Some(last) = changes.last() {
                        feed.poke(last.seq);
                    }
                    match apply(store.as_ref(), scope, &mut names, &changes, &mut held).await {
                        Ok(()) => {
                            position = changes.last().map_or(position, |c| c.seq);
                            // Re-reading after a failed commit is not a recovery yet.
                            match commit_failures {
                                0 => status.succeeded(Some(position)),
                                _ => status.moved_to(position),
                            }
                            more = changes.len() as i64 == BATCH;
                        }
                        Err(e) => {
                            // These changes are read again; what is held before them is
                            // still committed when due (below).
                            status.failed(&e);
                            tracing::warn!(error = %e, "search indexer: applying changes failed; retrying");
                            tokio::time::sleep(POLL).await;
                        }
                    }
                    if more && last_commit.elapsed() < COMMIT_EVERY && held.len() < HOLD_AT_MOST {
                        continue;
                    }
                }
                Ok(_) if commit_failures == 0 => status.succeeded(None),
                Ok(_) => {}
                Err(e) => {
                    let e = ContentError::from(e);
                    status.failed(&e);
                    tracing::warn!(error = %e, "search indexer: reading the change feed failed")
                }
            }
            if position != committed
                && (last_commit.elapsed() >= COMMIT_EVERY || held.len() >= HOLD_AT_MOST)
            {
                match write_and_commit(&index, &turn, std::mem::take(&mut held), position).await {
                    Ok(()) => {
                        committed = position;
                        commit_failures = 0;
                        // A recovery, if commits were failing.
                        status.succeeded(Some(position));
                    }
                    Err(e) => {
                        // What was held went with the attempt: read it again from the
                        // feed, from the last commit (an upsert written twice is harmless:
                        // it deletes the id before adding it), after a pause that doubles
                        // with each failure in a row, as every follower's does.
                        position = committed;
                        status.moved_to(committed);
                        status.failed(&e);
                        tracing::error!(error = %e, "search indexer: commit failed; retrying");
                        let pause = crate::feed::FIRST_BACKOFF
                            .saturating_mul(2u32.saturating_pow(commit_failures.min(16)));
                        commit_failures = commit_failures.saturating_add(1);
                        tokio::time::sleep(pause.min(crate::feed::MAX_BACKOFF)).await;
                        last_commit = Instant::now();
                        continue;
                    }
                }
                last_commit = Instant::now();
                if more {
                    continue;
                }
            }
            // Caught up: the writer's threads and queue go until the next change, once
            // no merge it started is running (closing waits for them, and this task would
            // read nothing meanwhile); until then it is tried again at each pass.
            if position == committed && index.writer_is_open() {
                let closing = index.clone();
                if let Err(e) = blocking(move || closing.close_writer_unless_merging()).await {
                    tracing::warn!(error = %e, "search indexer: closing the writer failed");
                }
            }
            let wait = if position != committed {
                COMMIT_EVERY.saturating_sub(last_commit.elapsed())
            } else {
                POLL
            };
            tokio::select! {
                changed = rx.changed() => if changed.is_err() { return },
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
    Ok(())
}

/// Rebuilds in place; returns the position the index now reflects. Retries until it
/// succeeds: without it search would stay wrong.
async fn rebuild(store: &dyn Store, index: &Arc<SearchIndex>, scope: Scope, why: &str) -> i64 {
    loop {
        let started = Instant::now();
        tracing::info!(
            index = scope.follower(),
            reason = why,
            "search index: rebuilding from the store"
        );
        let attempt = async {
            let position = store.last_change().await?;
            let cleaner = index.clone();
            blocking(move || cleaner.clear()).await?;
            let n = fill(store, index, scope, position, &|_, _| {}).await?;
            Ok::<_, ContentError>((position, n))
        };
        match attempt.await {
            Ok((position, n)) => {
                tracing::info!(
                    index = scope.follower(),
                    articles = n,
                    seconds = started.elapsed().as_secs_f64(),
                    "search index: rebuilt"
                );
                return position;
            }
            Err(e) => {
                tracing::error!(error = %e, "search index: rebuilding failed; trying again");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Reads what one batch of changes means for the index and adds it to `held`, in
/// order, for the next commit. On error `held` is as it was.
async fn apply(
    store: &dyn Store,
    scope: Scope,
    names: &mut Names,
    changes: &[Change],
    held: &mut Vec<Held>,
) -> Result<(), ContentError> {
    let mut articles: BTreeSet<ArticleId> = BTreeSet::new();
    let mut renamed = Vec::new();
    for c in changes {
        match c.kind {
            ChangeKind::Article => {
                articles.insert(ArticleId(c.entity_id));
            }
            ChangeKind::Author => renamed.push(ArticleFilter {
                author: Some(AuthorId(c.entity_id)),
                ..Default::default()
            }),
            ChangeKind::Tag => renamed.push(ArticleFilter {
                tag: Some(TagId(c.entity_id)),
                ..Default::default()
            }),
            // Section names are not indexed (results show the catalog's); settings neither.
            ChangeKind::Section | ChangeKind::Settings | ChangeKind::Page | ChangeKind::Alert => {}
        }
    }
    if !renamed.is_empty() {
        *names = Names::load(store).await?;
        // Published articles carry the new name at once. In the newsroom's index an
        // unpublished one keeps the old name until its next save (the word filter finds
        // it by that name meanwhile): renames are rare, drafts many.
        for filter in renamed {
            let mut page = PageNumber::FIRST;
            loop {
                let (list, total) = store
                    .published_articles(&filter, PageRequest::new(page, 100))
                    .await?;
                articles.extend(list.iter().map(|a| a.id));
                if u64::from(page.get()) * 100 >= total {
                    break;
                }
                page = PageNumber::new(page.get() + 1);
            }
        }
    }
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    for id in articles {
        match store.article(id).await {
            Ok(a) if scope.keeps(a.status) => upserts.push(names.indexed(&a)),
            Ok(_) | Err(StoreError::NotFound) => removals.push(id),
            Err(e) => return Err(e.into()),
        }
    }
    held.extend(upserts.into_iter().map(Held::Upsert));
    held.extend(removals.into_iter().map(Held::Remove));
    Ok(())
}
