//! The index on disk (or in memory): opening it, noticing damage, writing and
//! committing with the change-feed position it reflects.
//!
//! The position travels in tantivy's commit payload, so "these documents" and "up to
//! this change" are committed atomically: after a crash the index is exactly as of its
//! last commit, and the follower replays the feed from there.
//!
//! tantivy's writer is opened at the first write and may be closed once its changes are
//! committed ([`SearchIndex::close_writer`]): an open writer holds six threads and a
//! queue of 10,000 slots (2.3 MB, every page written when it is made) whether or not
//! anything is being written, and a serving index is idle nearly all the time. The
//! index is this process's to write for as long as it is open all the same: a lock of
//! Byline's own ([`OWNER_LOCK`]) is held from opening to drop, since tantivy's lock is
//! held only while a writer is open.

use crate::analysis;
use crate::document::IndexedArticle;
use crate::error::SearchError;
use crate::merges::MergesSent;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use byline_core::ArticleId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use tantivy::Directory;
use tantivy::directory::error::LockError;
use tantivy::directory::{DirectoryLock, INDEX_WRITER_LOCK, Lock, MmapDirectory};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

/// How much memory and how many threads the writer may use.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl WriterOptions {
    /// A serving process: small steady updates.
    pub const SERVING: WriterOptions = WriterOptions {
        threads: 1,
        memory_bytes: 64 << 20,
    };
    /// `byline reindex` and rebuilds: bulk loading, fewer and larger segments.
    pub const BULK: WriterOptions = WriterOptions {
        threads: 2,
        memory_bytes: 768 << 20,
    };
}

/// What the commit payload records.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    /// The last change-feed sequence number reflected in this commit.
    position: i64,
}

/// How an index was found when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenState {
    /// Committed before, as of this change-feed position.
    Current { position: i64 },
    /// Nothing there: a new, empty index.
    Created,
    /// There was an index, but it could not be used (the reason says why); it was
    /// replaced by a new, empty one.
    Replaced { reason: String },
}

/// Held by the process that has the index open, for as long as it does (tantivy's own
/// lock, [`INDEX_WRITER_LOCK`], only while a writer is open). A file in the index's
/// folder that tantivy neither lists nor collects.
pub const OWNER_LOCK: &str = ".byline-owner.lock";

fn owner_lock() -> Lock {
    Lock {
        filepath: PathBuf::from(OWNER_LOCK),
        is_blocking: false,
    }
}

pub struct SearchIndex {
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    index: Index,
    options: WriterOptions,
    /// Opened at the first write, closed by [`SearchIndex::close_writer`].
    writer: Mutex<Option<IndexWriter>>,
    /// The merges the open writer started and that may still run.
    merges: MergesSent,
    /// This process's hold on the index ([`OWNER_LOCK`]); released on drop.
    _owner: DirectoryLock,
    /// The committed position (`-1`: never committed).
    position: AtomicI64,
    /// Upserts and removals handed to the writer since the last commit.
    uncommitted: AtomicU64,
    path: Option<PathBuf>,
}

impl SearchIndex {
    /// An index in memory (tests, and outlets configured without a data folder).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        Self::assemble(index, fields, None, -1, WriterOptions::SERVING)
    }

    /// Opens the index in `dir`, creating it when absent and replacing it when it is
    /// damaged, of another schema version, or has no recorded position.
    pub fn open(dir: &Path, options: WriterOptions) -> Result<(Self, OpenState), SearchError> {
        // Never judge (let alone replace) an index another process is writing.
        if dir.exists() {
            Self::ensure_unlocked(dir)?;
        }
        // tantivy may panic on a truncated file instead of returning an error; a damaged
        // index must never stop Byline from starting, so a panic counts as damage.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Self::open_existing(dir, options)
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unreadable files".into());
            Err(Damaged(format!("reading it failed: {why}")))
        });
        match opened {
            Ok(Some((index, position))) => Ok((index, OpenState::Current { position })),
            Ok(None) => Ok((Self::create(dir, options)?, OpenState::Created)),
            Err(Damaged(reason)) => {
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
                Ok((Self::create(dir, options)?, OpenState::Replaced { reason }))
            }
            Err(Fatal(e)) => Err(e),
        }
    }

    /// `Locked` when another process has the index in `dir` open (which must exist):
    /// a Byline that holds [`OWNER_LOCK`], or any writer holding tantivy's lock.
    pub fn ensure_unlocked(dir: &Path) -> Result<(), SearchError> {
        let probe = MmapDirectory::open(dir)
            .map_err(|e| SearchError::io(dir, std::io::Error::other(e.to_string())))?;
        for lock in [&owner_lock(), &*INDEX_WRITER_LOCK] {
            drop(probe.acquire_lock(lock).map_err(|e| lock_error(dir, e))?);
        }
        Ok(())
    }

    /// A new, empty index in `dir` (which must not hold one).
    pub fn create(dir: &Path, options: WriterOptions) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        Self::assemble(index, fields, Some(dir.to_owned()), -1, options)
    }

    fn open_existing(
        dir: &Path,
        options: WriterOptions,
    ) -> Result<Option<(Self, i64)>, OpenFailure> {
        if !dir.join("meta.json").exists() {
            if dir.exists() && dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
                return Err(Damaged("meta.json is missing".into()));
            }
            return Ok(None);
        }
        let index = Index::open_in_dir(dir).map_err(|e| Damaged(e.to_string()))?;
        let metas = index.load_metas().map_err(|e| Damaged(e.to_string()))?;
        let payload: Payload = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| Damaged("no change-feed position recorded".into()))?;
        if payload.schema != SCHEMA_VERSION {
            return Err(Damaged(format!(
                "schema version {} (this Byline writes {SCHEMA_VERSION})",
                payload.schema
            )));
        }
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(Damaged("the schema differs".into()));
        }
        // Checksumming reads every byte of the index: fine for a small one, but for a
        // million articles it is seconds of start-up and gigabytes pulled into memory.
        // A big index is checked after start, off the serving path; opening every
        // segment below still catches missing and truncated files at once.
        if dir_bytes(dir) <= CHECKSUM_AT_START_MAX_BYTES {
            if let Some(damage) = checksum_failures(&index)? {
                return Err(Damaged(damage));
            }
        } else {
            // Through an index of its own: its memory maps (every byte of the index, in
            // the end) go away when the check is done, instead of staying mapped — and
            // counted as resident — in the readers' maps for as long as the server runs.
            let dir = dir.to_owned();
            std::thread::spawn(move || {
                match Index::open_in_dir(&dir)
                    .map_err(|e| Damaged(e.to_string()))
                    .and_then(|own| checksum_failures(&own))
                {
                    Ok(None) => {
                        tracing::info!(dir = %dir.display(), "search index checksums verified")
                    }
                    Ok(Some(damage)) | Err(Damaged(damage)) => tracing::error!(
                        dir = %dir.display(),
                        %damage,
                        "the search index is damaged; run `byline reindex` to rebuild it"
                    ),
                    Err(Fatal(e)) => {
                        tracing::error!(error = %e, "checking the search index failed")
                    }
                }
            });
        }
        let opened = Self::assemble(
            index,
            fields,
            Some(dir.to_owned()),
            payload.position,
            options,
        )
        .map_err(|e| match e {
            // Taking the owner lock failed: the index is not the reason to replace it.
            e @ (SearchError::Locked(_) | SearchError::Io { .. }) => Fatal(e),
            other => Damaged(other.to_string()),
        })?;
        // Opening every segment proves the files the metadata names are all there.
        opened.reader.reload().map_err(|e| Damaged(e.to_string()))?;
        Ok(Some((opened, payload.position)))
    }

    fn assemble(
        index: Index,
        fields: Fields,
        path: Option<PathBuf>,
        position: i64,
        options: WriterOptions,
    ) -> Result<Self, SearchError> {
        analysis::register(&index);
        let owner = index
            .directory()
            .acquire_lock(&owner_lock())
            .map_err(|e| lock_error(path.as_deref().unwrap_or(Path::new("")), e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            fields,
            reader,
            index,
            options,
            writer: Mutex::new(None),
            merges: MergesSent::default(),
            _owner: owner,
            position: AtomicI64::new(position),
            uncommitted: AtomicU64::new(0),
            path,
        })
    }

    /// Where the index lives (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The change-feed position of the last commit; `None` before the first.
    pub fn position(&self) -> Option<i64> {
        let p = self.position.load(Ordering::Acquire);
        (p >= 0).then_some(p)
    }

    /// Runs `f` on the writer, opening one first when none is open.
    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = match &mut *guard {
            Some(writer) => writer,
            empty => {
                let writer: IndexWriter = self
                    .index
                    .writer_with_num_threads(self.options.threads, self.options.memory_bytes)
                    .map_err(|e| match e {
                        TantivyError::LockFailure(LockError::LockBusy, _) => {
                            SearchError::Locked(self.path.clone().unwrap_or_default())
                        }
                        other => SearchError::Index(other),
                    })?;
                self.merges.clear();
                writer.set_merge_policy(self.merges.policy());
                empty.insert(writer)
            }
        };
        f(writer)
    }

    /// Adds the article, replacing any earlier version (visible after the next commit).
    pub fn upsert(&self, article: &IndexedArticle) -> Result<(), SearchError> {
        let doc = article.to_document(&self.fields);
        self.with_writer(|w| {
            w.delete_term(Term::from_field_u64(self.fields.id, article.id.0 as u64));
            w.add_document(doc)?;
            self.uncommitted.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
    }

    /// Removes the article if it is there (visible after the next commit).
    pub fn remove(&self, id: ArticleId) -> Result<(), SearchError> {
        self.with_writer(|w| {
            w.delete_term(Term::from_field_u64(self.fields.id, id.0 as u64));
            self.uncommitted.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
    }

    /// Removes everything (visible after the next commit): the start of a rebuild.
    /// Until that commit the index reflects no position.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.with_writer(|w| {
            w.delete_all_documents()?;
            Ok(())
        })?;
        self.position.store(-1, Ordering::Release);
        Ok(())
    }

    /// Commits what was written as reflecting the change feed up to `position`, and
    /// makes it visible to searches.
    pub fn commit(&self, position: i64) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            position,
        })
        .map_err(|e| SearchError::Worker(e.to_string()))?;
        self.with_writer(|w| {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            // Under the writer's lock, so no write lands between the commit and this.
            self.uncommitted.store(0, Ordering::Relaxed);
            Ok(())
        })?;
        // Searches must see the documents before anyone is told the index reached
        // `position` (readiness, `search_settled`): reload first, then publish it.
        // (The other order once let a search right after "settled" miss a new article.)
        self.reader.reload()?;
        self.position.store(position, Ordering::Release);
        Ok(())
    }

    /// Waits for the writer's background merges and closes it, so the folder is left
    /// compact and complete and the writer's threads and queue are gone. The next write
    /// opens a writer again. Written but uncommitted changes are dropped: call it after a
    /// commit (the end of a bulk build; a serving index that caught up with the feed).
    pub fn close_writer(&self) -> Result<(), SearchError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(writer) = guard.take() {
            // Under the lock: a write meanwhile waits for the merges to end instead of
            // finding tantivy's lock still held by this writer.
            self.uncommitted.store(0, Ordering::Relaxed);
            writer.wait_merging_threads()?;
            // Searches move to the merged segments, so the merged-away files can go.
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Closes the writer as [`SearchIndex::close_writer`] does, unless a merge it
    /// started may still be running (closing would wait for it: seconds, for large
    /// segments). `true` when no writer is left open.
    pub fn close_writer_unless_merging(&self) -> Result<bool, SearchError> {
        if !self.writer_is_open() {
            return Ok(true);
        }
        // Unreadable metadata: the merges cannot be told apart, so keep the writer.
        let merging = self
            .index
            .searchable_segment_ids()
            .map_or(true, |committed| self.merges.running(&committed));
        if merging {
            return Ok(false);
        }
        self.close_writer()?;
        Ok(true)
    }

    /// Whether a writer is open (its threads and queue held).
    pub fn writer_is_open(&self) -> bool {
        self.writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Upserts and removals written since the last commit (not yet visible). After an
    /// upsert tantivy holds an open segment until the commit: a term table of 4 MB and
    /// the fast fields' arenas (docs/PERFORMANCE.md, "Memory").
    pub fn uncommitted(&self) -> u64 {
        self.uncommitted.load(Ordering::Relaxed)
    }

    /// Documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes used on disk (0 in memory).
    pub fn disk_bytes(&self) -> u64 {
        self.path.as_deref().map_or(0, dir_size)
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn lock_error(dir: &Path, e: LockError) -> SearchError {
    match e {
        LockError::LockBusy => SearchError::Locked(dir.to_owned()),
        LockError::IoError(e) => SearchError::io(dir, std::io::Error::other(e.to_string())),
    }
}

enum OpenFailure {
    /// The index cannot be used as it is and should be replaced.
    Damaged(String),
    /// Replacing would not help (e.g. another process holds it).
    Fatal(SearchError),
}
use OpenFailure::{Damaged, Fatal};

/// Indexes up to this size are checksummed before they are used.
const CHECKSUM_AT_START_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Total size of the files directly in `dir` (an index keeps no subfolders).
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// `Some(description)` when index files fail their checksums.
fn checksum_failures(index: &Index) -> Result<Option<String>, OpenFailure> {
    let corrupt = index
        .validate_checksum()
        .map_err(|e| Damaged(e.to_string()))?;
    if corrupt.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!(
        "files fail their checksum: {}",
        corrupt
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}
