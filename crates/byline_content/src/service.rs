//! `Content`: reading the outlet for readers, and the background work that keeps the
//! in-memory parts (catalog, view counts) in step with the store.

use crate::ContentError;
use crate::catalog::Catalog;
use crate::feed::ChangeFeed;
use crate::indexer;
use crate::section_heads::{SectionHeads, pick, rows_for};
use crate::views::{Counted, ViewCounter, is_bot};
use byline_core::{
    Article, ArticleId, ArticleStatus, ArticleSummary, PageNumber, PageRequest, Section, SectionId,
};
use byline_media::{Limits as MediaLimits, MediaStorage};
use byline_search::{OpenState, SearchIndex, WriterOptions};
use byline_store::{ArticleFilter, Change, ChangeKind, Store, StoreError, Translation};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Tunables of the content service.
#[derive(Debug, Clone)]
pub struct ContentOptions {
    /// Articles per list page (section, tag, author, search).
    pub per_page: u32,
    /// How often counted views are written to the store (at most 1 s by design).
    pub view_flush_interval: Duration,
    /// "Most read" looks at articles published in this many days.
    pub most_read_days: i64,
    /// Cards under an article ("more from the section"), loaded this many at a time.
    pub more_per_page: u32,
    /// Where the search index lives (`<data_dir>/search`); `None` keeps it in memory,
    /// rebuilt from the store on every start (tests, throwaway outlets).
    pub search_dir: Option<PathBuf>,
    /// Where the newsroom's search index lives (`<data_dir>/search-newsroom`: every
    /// article not deleted, for the article list's word filter); `None`: in memory.
    pub newsroom_search_dir: Option<PathBuf>,
    /// Where the media library's files go (in memory unless configured).
    pub media_storage: MediaStorage,
    /// What an upload may be (size, pixels).
    pub media_limits: MediaLimits,
    /// The time scheduled publishing goes by (a manual clock in tests).
    pub clock: crate::Clock,
    /// How often the scheduler looks for due articles.
    pub schedule_poll: Duration,
    /// Stored view counts read per query at start-up; the newest page loads before the
    /// outlet serves, the rest right after.
    pub view_load_page: u32,
    /// How often one client's beacons count (see [`crate::readers`]).
    pub view_limits: crate::ViewLimits,
    /// Password checks (Argon2id, ~19 MiB and tens of ms each) run at once; more wait
    /// up to `password_check_wait`, then are refused as unavailable (503).
    pub password_checks: usize,
    pub password_check_wait: Duration,
    /// Whether this process serves the outlet. A command beside the server (`byline
    /// import`) sets `false` and starts none of a server's background work (search
    /// indexer, change-feed follower, view counts, scheduler, media processor) and reads nothing back
    /// after its writes: the server's followers pick its changes up from the change
    /// feed, and doing it twice cost an import a round trip or two per article.
    pub serving: bool,
    /// Whether each new breaking-news alert is also queued for the app relay's webhook
    /// (`alerts_webhook_url`; the web front sends the queue).
    pub alerts_webhook: bool,
    /// Web Push: on by default; the endpoints subscriptions may name.
    pub push: crate::PushOptions,
}

impl Default for ContentOptions {
    fn default() -> Self {
        Self {
            per_page: 12,
            view_flush_interval: Duration::from_secs(1),
            most_read_days: 365,
            more_per_page: 4,
            search_dir: None,
            newsroom_search_dir: None,
            media_storage: MediaStorage::in_memory(),
            media_limits: MediaLimits::default(),
            clock: crate::Clock::system(),
            schedule_poll: Duration::from_secs(1),
            view_load_page: 20_000,
            view_limits: crate::ViewLimits::default(),
            password_checks: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .max(2),
            password_check_wait: Duration::from_secs(5),
            serving: true,
            alerts_webhook: false,
            push: crate::PushOptions::default(),
        }
    }
}

/// A page of a list and how many there are in all.
#[derive(Debug, Clone)]
pub struct Listing {
    pub articles: Vec<ArticleSummary>,
    pub total: u64,
    pub page: PageNumber,
    pub pages: u32,
}

/// What the front page of an edition shows.
#[derive(Debug, Clone)]
pub struct FrontPage {
    pub lead: Option<ArticleSummary>,
    pub latest: Vec<ArticleSummary>,
    pub blocks: Vec<(Section, Vec<ArticleSummary>)>,
    pub most_read: Vec<ArticleSummary>,
}

/// The content service. Cheap to clone (all state is shared).
#[derive(Clone)]
pub struct Content {
    pub(crate) store: Arc<dyn Store>,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// Held while a catalog is read and installed, so reloads finish in the order they
    /// read: without it the change feed's reload that read before a write could install
    /// its older catalog after the writer's own reload (an author just created would
    /// then be "unknown" to the next save).
    catalog_reload: Arc<tokio::sync::Mutex<()>>,
    /// The two search indexes write and commit in turns (`indexer`).
    indexing_turn: indexer::IndexingTurn,
    /// Held while an article's state is read and handed to the view counter, for the
    /// same reason: the change feed's refresh that read "unpublished" before a publish
    /// committed must not land after the publisher's own refresh read "published" (the
    /// reader who opens the story at once would not be counted).
    view_refresh: Arc<tokio::sync::Mutex<()>>,
    /// The open breaking-news alerts.
    pub(crate) alerts: Arc<crate::alerts::AlertBoard>,
    views: Arc<ViewCounter>,
    readers: Arc<crate::readers::RecentReaders>,
    /// Bounds the password checks running at once (see `ContentOptions`).
    pub(crate) password_checks: Arc<tokio::sync::Semaphore>,
    feed: ChangeFeed,
    /// The newest change in the store when this service started (see [`Content::follow`]).
    started_at: i64,
    /// The newest change a database notification announced (tests of LISTEN/NOTIFY).
    notified: Arc<std::sync::atomic::AtomicI64>,
    /// "More from the section", kept until the feed moves (`section_heads`).
    section_heads: Arc<SectionHeads>,
    search: Arc<SearchIndex>,
    newsroom_search: Arc<SearchIndex>,
    media_jobs: Arc<crate::media_processing::MediaJobs>,
    /// The outlet's VAPID key pair (`None`: Web Push is off).
    pub(crate) push_keys: Option<Arc<byline_core::PushKeys>>,
    options: ContentOptions,
}

impl Content {
    /// Loads the catalog and view counts and starts following the change feed.
    /// Must be called inside a Tokio runtime.
    pub async fn start(
        store: Arc<dyn Store>,
        options: ContentOptions,
    ) -> Result<Self, ContentError> {
        let position = store.last_change().await?;
        let catalog = Catalog::load(store.as_ref()).await?;
        let alerts = Arc::new(crate::alerts::AlertBoard::load(store.as_ref()).await?);
        let push_keys = match options.push.enabled {
            true => Some(Arc::new(crate::push::load_keys(store.as_ref()).await?)),
            false => None,
        };
        let views = Arc::new(ViewCounter::loading(options.view_load_page));
        let views_rest = views.load_first(store.as_ref()).await?;
        let search = Arc::new(open_search_index(options.search_dir.as_deref())?);
        let newsroom_search = Arc::new(open_search_index(options.newsroom_search_dir.as_deref())?);
        let content = Self {
            store: store.clone(),
            catalog: Arc::new(RwLock::new(Arc::new(catalog))),
            catalog_reload: Arc::new(tokio::sync::Mutex::new(())),
            indexing_turn: indexer::IndexingTurn::default(),
            view_refresh: Arc::new(tokio::sync::Mutex::new(())),
            alerts,
            views,
            readers: Arc::new(crate::readers::RecentReaders::new(options.view_limits)),
            password_checks: Arc::new(tokio::sync::Semaphore::new(options.password_checks.max(1))),
            feed: ChangeFeed::new(position),
            started_at: position,
            notified: Arc::default(),
            section_heads: Arc::default(),
            search: search.clone(),
            newsroom_search: newsroom_search.clone(),
            media_jobs: Arc::new(crate::media_processing::MediaJobs::new()),
            push_keys,
            options,
        };
        if !content.options.serving {
            return Ok(content);
        }
        // Other nodes' changes wake this one's followers at once where the database can
        // tell (PostgreSQL); elsewhere the followers' poll finds them.
        let (feed, notified) = (content.feed.clone(), content.notified.clone());
        store
            .notify_changes(Arc::new(move |seq| {
                notified.fetch_max(seq, std::sync::atomic::Ordering::AcqRel);
                feed.poke(seq);
            }))
            .await?;
        content.follow_own_changes(position);
        if let Some(before) = views_rest {
            content.load_rest_of_views(before);
        }
        content.start_view_flusher();
        content.start_scheduler();
        content.start_media_processor();
        let turn = content.indexing_turn.clone();
        indexer::start(
            store.clone(),
            &content.feed,
            search,
            indexer::Scope::Reader,
            turn.clone(),
        )
        .await?;
        indexer::start(
            store,
            &content.feed,
            newsroom_search,
            indexer::Scope::Newsroom,
            turn,
        )
        .await?;
        Ok(content)
    }

    pub(crate) fn media_jobs(&self) -> &crate::media_processing::MediaJobs {
        &self.media_jobs
    }

    pub(crate) fn search_index(&self) -> &Arc<SearchIndex> {
        &self.search
    }

    pub(crate) fn newsroom_search_index(&self) -> &Arc<SearchIndex> {
        &self.newsroom_search
    }

    fn follow_own_changes(&self, position: i64) {
        self.feed.follow(
            self.store.clone(),
            position,
            "content",
            OwnChanges(self.clone()),
        );
    }

    /// Reloads the catalog after a change to settings, sections, authors or tags, and
    /// tells the view counter about changed articles.
    async fn apply_changes(&self, changes: &[Change]) -> Result<(), ContentError> {
        if changes
            .iter()
            .any(|c| !matches!(c.kind, ChangeKind::Article | ChangeKind::Alert))
        {
            self.reload_catalog().await?;
        }
        if changes.iter().any(|c| c.kind == ChangeKind::Alert) {
            self.reload_alerts().await?;
        }
        for change in changes.iter().filter(|c| c.kind == ChangeKind::Article) {
            self.refresh_view_entry(ArticleId(change.entity_id)).await?;
        }
        Ok(())
    }

    /// Reads settings, sections, authors and tags again. The page cache calls it
    /// before it drops every page for such a change, so a page rendered right after
    /// the drop cannot show the old ones (this service's own follower may run later).
    pub async fn reload_catalog(&self) -> Result<(), ContentError> {
        let _in_order = self.catalog_reload.lock().await;
        let catalog = Catalog::load(self.store.as_ref()).await?;
        *self.catalog.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(catalog);
        Ok(())
    }

    /// Makes the view counter agree with the store on whether `id` may be counted
    /// (published) and on its stored count.
    async fn refresh_view_entry(&self, id: ArticleId) -> Result<(), ContentError> {
        let _in_order = self.view_refresh.lock().await;
        match self.store.article(id).await {
            Ok(a) => self
                .views
                .set_countable(id, a.status == ArticleStatus::Published, a.views),
            Err(byline_store::StoreError::NotFound) => self.views.set_countable(id, false, 0),
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Loads the older articles' stored view counts after start-up (a million of them
    /// take longer than a reader should wait for the first page). A failed read is
    /// retried: until the load completes, their beacons are held, not lost.
    fn load_rest_of_views(&self, before: ArticleId) {
        let (views, store) = (self.views.clone(), self.store.clone());
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let mut wait = Duration::from_millis(100);
            while let Err(e) = views.load_rest(store.as_ref(), before).await {
                tracing::warn!(error = %e, "loading view counts failed; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(10));
            }
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "view counts loaded"
            );
        });
    }

    fn start_view_flusher(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(me.options.view_flush_interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = me.views.flush(me.store.as_ref(), me.clock().now()).await {
                    tracing::warn!(error = %e, "flushing views failed; they stay pending");
                }
            }
        });
    }

    /// Writes every pending view now (graceful stop, tests).
    pub async fn flush_views(&self) -> Result<u64, ContentError> {
        Ok(self
            .views
            .flush(self.store.as_ref(), self.clock().now())
            .await?)
    }

    /// The newest change-feed entry this node knows of: its own writes, other nodes'
    /// where the database notifies, and whatever a follower has read from the feed
    /// (ADR 2, "The newest known position").
    pub fn newest_known_change(&self) -> i64 {
        self.feed.position()
    }

    /// The newest change-feed entry a database notification announced (0: none yet;
    /// SQLite never notifies).
    pub fn newest_notified_change(&self) -> i64 {
        self.notified.load(std::sync::atomic::Ordering::Acquire)
    }

    /// True while older articles' stored view counts are still loading after start-up.
    pub fn views_loading(&self) -> bool {
        self.views.is_loading()
    }

    /// The view counter's flush statistics: (flushes, views written, failed flushes).
    pub fn view_flush_stats(&self) -> (u64, u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.views.flushes.load(Relaxed),
            self.views.flushed_views.load(Relaxed),
            self.views.flush_failures.load(Relaxed),
        )
    }

    pub fn pending_views(&self) -> u64 {
        self.views.pending()
    }

    /// The catalog as of now (settings, sections, authors, tags).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn feed(&self) -> &ChangeFeed {
        &self.feed
    }

    /// The store behind the service, for tests that set up or inspect what no method
    /// offers. The fronts have none: they go through the service's methods.
    #[cfg(feature = "test-support")]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Takes the search indexes' turn to write, so neither writes nor commits until
    /// the guard is dropped.
    #[cfg(feature = "test-support")]
    pub async fn hold_indexing_turn(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.indexing_turn.clone().lock_owned().await
    }

    /// The readers' and the newsroom's search indexes.
    #[cfg(feature = "test-support")]
    pub fn search_indexes(&self) -> [&Arc<byline_search::SearchIndex>; 2] {
        [&self.search, &self.newsroom_search]
    }

    pub fn options(&self) -> &ContentOptions {
        &self.options
    }

    pub fn clock(&self) -> &crate::Clock {
        &self.options.clock
    }

    /// Like [`Self::announce`], after a write to settings, sections, authors or tags:
    /// this node's catalog is reloaded first, so the writer's next request sees the
    /// change (a new section can be chosen at once; the taxonomy page lists it) instead
    /// of waiting for the change feed. Other nodes follow the feed as before.
    pub(crate) async fn announce_taxonomy(&self) {
        if let Err(e) = self.reload_catalog().await {
            // The change is committed; this node's follower reloads it on its retry.
            tracing::error!(error = %e, "reloading the catalog failed");
        }
        self.announce().await;
    }

    /// Like [`Self::announce`], after a write to articles: this node's view counter
    /// learns first whether they are published, so a reader's beacon right after the
    /// writer's answer is counted, not refused while the change feed catches up.
    pub(crate) async fn announce_articles(&self, ids: &[ArticleId]) {
        if !self.options.serving {
            return;
        }
        for &id in ids {
            if let Err(e) = self.refresh_view_entry(id).await {
                // The change feed's follower sets it on its retry.
                tracing::warn!(article = %id, error = %e, "refreshing view counter entry failed");
            }
        }
        self.announce().await;
    }

    /// Tells followers about writes just committed.
    pub(crate) async fn announce(&self) {
        if !self.options.serving {
            return; // no followers here to tell
        }
        if let Ok(seq) = self.store.last_change().await {
            self.feed.poke(seq);
        }
    }

    /// Counts a reader's view (the beacon) and answers the new count. `NotFound` for
    /// unknown or unpublished articles; bots get the count without adding to it.
    /// `Ok(None)` in the first moments of a big outlet's start, when the article's stored
    /// count is not loaded yet: the view is held and counted once it is.
    /// A client counts once per article per window, and one address only so many
    /// times ([`crate::readers`]); past that it gets the count, like a bot.
    pub fn record_view(
        &self,
        id: ArticleId,
        reader: crate::Reader<'_>,
    ) -> Result<Option<u64>, ContentError> {
        let counts = !is_bot(reader.user_agent)
            && (self.views.peek(id).is_none()
                || self.readers.admit(id, reader) == crate::readers::Verdict::Count);
        if !counts {
            return match self.views.peek(id) {
                Some(total) => Ok(Some(total)),
                None if self.views.is_loading() => Ok(None),
                None => Err(ContentError::NotFound),
            };
        }
        match self.views.record(id) {
            Some(Counted::Total(total)) => Ok(Some(total)),
            Some(Counted::Held) => Ok(None),
            None => Err(ContentError::NotFound),
        }
    }

    /// The current view count of an article as readers see it (stored + not yet flushed).
    pub fn views_of(&self, id: ArticleId) -> Option<u64> {
        self.views.peek(id)
    }

    pub(crate) fn edition_checked(&self, edition: &str) -> Result<(), ContentError> {
        if self.catalog().settings.has_edition(edition) {
            Ok(())
        } else {
            Err(ContentError::NotFound)
        }
    }

    pub async fn front_page(&self, edition: &str) -> Result<FrontPage, ContentError> {
        self.edition_checked(edition)?;
        let catalog = self.catalog();
        let first = PageRequest::new(PageNumber::FIRST, 40);
        let filter = ArticleFilter {
            edition: Some(edition.to_owned()),
            ..Default::default()
        };
        let (recent, _) = self.store.published_articles(&filter, first).await?;
        // The lead is the newest featured story, else simply the newest.
        let lead = recent
            .iter()
            .position(|a| self.is_featured(a))
            .or(if recent.is_empty() { None } else { Some(0) });
        let lead = lead.map(|i| recent[i].clone());
        let latest: Vec<ArticleSummary> = recent
            .iter()
            .filter(|a| Some(a.id) != lead.as_ref().map(|l| l.id))
            .take(10)
            .cloned()
            .collect();
        let mut blocks = Vec::new();
        for section in &catalog.sections {
            let filter = ArticleFilter {
                edition: Some(edition.to_owned()),
                section: Some(section.id),
                ..Default::default()
            };
            let (articles, _) = self
                .store
                .published_articles(&filter, PageRequest::new(PageNumber::FIRST, 4))
                .await?;
            if !articles.is_empty() {
                blocks.push((section.clone(), articles));
            }
        }
        let since = self
            .clock()
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(
                24 * self.options.most_read_days,
            ))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let most_read = self.store.most_read(edition, since, 5).await?;
        Ok(FrontPage {
            lead,
            latest,
            blocks,
            most_read,
        })
    }

    fn is_featured(&self, a: &ArticleSummary) -> bool {
        a.featured
    }

    /// One page of published articles matching `filter`.
    pub async fn list(
        &self,
        filter: ArticleFilter,
        page: PageNumber,
    ) -> Result<Listing, ContentError> {
        self.list_sized(filter, page, self.options.per_page).await
    }

    /// Like [`list`](Self::list) with another page size (e.g. the few "more from the
    /// section" cards under an article).
    pub async fn list_sized(
        &self,
        filter: ArticleFilter,
        page: PageNumber,
        per_page: u32,
    ) -> Result<Listing, ContentError> {
        if let Some(edition) = &filter.edition {
            self.edition_checked(edition)?;
        }
        let request = PageRequest::new(page, per_page.clamp(1, 100));
        let (articles, total) = self.store.published_articles(&filter, request).await?;
        Ok(Listing {
            articles,
            total,
            page,
            pages: request.pages_for(total),
        })
    }

    /// The newest `wanted` published stories of `section` in `edition` other than
    /// `exclude`, and whether more follow (the cards under an article). Read once per
    /// change of the feed and section, not once per page (`section_heads`).
    pub async fn more_from_section(
        &self,
        edition: &str,
        section: SectionId,
        exclude: ArticleId,
        wanted: u32,
    ) -> Result<(Vec<ArticleSummary>, bool), ContentError> {
        let wanted = wanted.clamp(1, 100);
        // The position before the read: a change that commits during it moves the feed
        // past `at`, so what was read is never served after that change is known.
        let at = self.feed.position();
        if let Some(newest) = self.section_heads.get(edition, section, at, wanted) {
            return Ok(pick(&newest, exclude, wanted));
        }
        self.edition_checked(edition)?;
        let filter = ArticleFilter {
            edition: Some(edition.to_owned()),
            section: Some(section),
            ..Default::default()
        };
        let newest: Arc<[ArticleSummary]> = self
            .store
            .published_slice(&filter, 0, rows_for(wanted))
            .await?
            .into();
        let picked = pick(&newest, exclude, wanted);
        self.section_heads.put(edition, section, at, wanted, newest);
        Ok(picked)
    }

    /// A published article by edition and slug, with its published translations.
    pub async fn published_article(
        &self,
        edition: &str,
        slug: &str,
    ) -> Result<(Article, Vec<Translation>), ContentError> {
        self.edition_checked(edition)?;
        if byline_core::Slug::parse(slug).is_err() {
            return Err(ContentError::NotFound);
        }
        match self
            .store
            .published_article_with_translations(edition, slug)
            .await
        {
            Err(StoreError::NotFound) if self.store.taken_down_at(edition, slug).await? => {
                Err(ContentError::TakenDown)
            }
            found => Ok(found?),
        }
    }

    /// A published article of `edition` by id (`NotFound` for any other).
    pub async fn published_in_edition(
        &self,
        edition: &str,
        id: ArticleId,
    ) -> Result<Article, ContentError> {
        self.edition_checked(edition)?;
        match self.store.article(id).await? {
            a if a.edition == edition && a.status == ArticleStatus::Published => Ok(a),
            _ => Err(ContentError::NotFound),
        }
    }

    /// An article in whatever status, as a change left it: for followers that must
    /// know where a changed article is now (the page cache), never for readers.
    pub async fn changed_article(&self, id: ArticleId) -> Result<Article, ContentError> {
        Ok(self.store.article(id).await?)
    }

    /// Runs `follower` on every batch of changes since this content service started
    /// (see [`ChangeFeed::follow`]: one batch at a time, retried until it succeeds).
    ///
    /// Why from the start, not from the newest change this node knows of: a follower's
    /// poll raises that before it applies what it read, and what this process wrote
    /// while starting (the demo outlet, settings from the configuration) is taken in by
    /// the content service's own follower at once; a follower started after either
    /// would never see those changes, and the page cache would not purge them from the
    /// CDN. Followers are started while the server starts, so the replay is short.
    pub fn follow(&self, name: &'static str, follower: impl crate::Follower) {
        self.feed
            .follow(self.store.clone(), self.started_at, name, follower);
    }

    /// Where followers started with [`follow`](Self::follow) begin: the newest change
    /// in the store when this content service started.
    pub fn followers_start(&self) -> i64 {
        self.started_at
    }

    /// The published article that was at `slug` in `edition` before its address
    /// changed (`NotFound` when none was).
    pub async fn renamed_article(
        &self,
        edition: &str,
        slug: &str,
    ) -> Result<Article, ContentError> {
        self.edition_checked(edition)?;
        if byline_core::Slug::parse(slug).is_err() {
            return Err(ContentError::NotFound);
        }
        Ok(self.store.published_by_old_slug(edition, slug).await?)
    }
}

/// Opens the search index, replacing a damaged one (the indexer then rebuilds it).
fn open_search_index(dir: Option<&Path>) -> Result<SearchIndex, ContentError> {
    let Some(dir) = dir else {
        return SearchIndex::in_memory().map_err(|e| ContentError::Internal(e.into()));
    };
    let (index, state) = SearchIndex::open(dir, WriterOptions::SERVING).map_err(|e| match e {
        byline_search::SearchError::Locked(_) => ContentError::Unavailable(e.to_string()),
        other => ContentError::Internal(other.into()),
    })?;
    match state {
        OpenState::Current { position } => {
            tracing::info!(dir = %dir.display(), position, "opened the search index")
        }
        OpenState::Created => {
            tracing::info!(dir = %dir.display(), "created a new search index")
        }
        OpenState::Replaced { reason } => tracing::warn!(
            dir = %dir.display(),
            reason = %reason,
            "the search index was damaged and is rebuilt from the store"
        ),
    }
    Ok(index)
}

/// This node's catalog and view-counter membership, as a change-feed follower.
struct OwnChanges(Content);

impl crate::feed::Follower for OwnChanges {
    async fn apply(&self, batch: &[Change]) -> Result<(), ContentError> {
        self.0.apply_changes(batch).await
    }
}
