//! Pictures taken in now, their files made later.
//!
//! Making a picture's files (decoding it, re-encoding the original without its metadata,
//! encoding four WebP variants) takes a third of a second of CPU; an archive of 20,000
//! pictures would hold its import for an hour. So an import *adopts* pictures instead:
//! [`Content::adopt_media`] checks each one's header (`byline_media::inspect`), keeps the
//! upload as it came where it is never served, and records a row that already names
//! the files to come, so pages render their final `srcset` at once. The files are then
//! made by whichever comes first:
//!
//! - the media processor every serving node runs, one picture at a time (one core,
//!   leaving the rest to readers), oldest first, each claimed in the store so that
//!   several nodes share the queue;
//! - the first request for one of the files, which makes them there and then.
//!
//! Either way it is [`byline_media::ingest`], the same pipeline as an upload; its output
//! depends only on the bytes, so two nodes doing the same picture store the same files.
//! Files are stored first, then the rows updated, then the kept upload deleted: a crash
//! in between leaves the picture queued, and it is made again.

use crate::media::{media_error, media_text, off_the_workers, storage_error, variant_records};
use crate::{Content, ContentError, MediaMeta};
use byline_core::{MediaId, MediaItem, MediaVariant, NewMedia};
use byline_media::{StoredFile, ingest, inspect};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often an idle media processor looks for pictures to make.
const PROCESSOR_POLL: Duration = Duration::from_secs(5);
/// Pictures made between two looks at whether the loop should go on.
const PROCESSOR_BATCH: u32 = 16;
/// How long a node holds a picture it makes: far longer than making one takes (a
/// fraction of a second), so only a node that died lets its claim lapse.
const CLAIM: jiff::SignedDuration = jiff::SignedDuration::from_secs(600);

/// One picture made at a time per key, and a bound on how many at once.
pub(crate) struct MediaJobs {
    running: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Pictures being made at once on this node (requests and the processor together).
    slots: tokio::sync::Semaphore,
}

impl MediaJobs {
    pub(crate) fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            running: Mutex::default(),
            slots: tokio::sync::Semaphore::new(cores),
        }
    }

    fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running.entry(key.to_owned()).or_default().clone()
    }

    fn release(&self, key: &str, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        // Two references: the map's and ours. More means someone else waits for it.
        if Arc::strong_count(&lock) <= 2 {
            running.remove(key);
        }
    }
}

/// What [`Content::make_media_files`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made {
    /// The files were made now.
    Now,
    /// No kept upload under the key: made before (here or on another node), or never
    /// adopted.
    NothingKept,
    /// The kept upload did not decode; it was dropped and the rows left as they were.
    Failed,
}

impl Content {
    /// Takes a picture into the library at the cost of reading its header: the checks
    /// that need no decoding (format, size, pixel limits, a complete JPEG) refuse a bad
    /// file as [`Content::upload_media`] would, and the files are made later (see the
    /// module). For imports; an editor's upload goes through `upload_media`, which has
    /// everything ready when it answers.
    pub async fn adopt_media(
        &self,
        bytes: Vec<u8>,
        file_name: &str,
        meta: MediaMeta,
    ) -> Result<MediaItem, ContentError> {
        let (alt, caption, credit) = media_text(&meta.alt, &meta.caption, &meta.credit)?;
        let limits = self.options().media_limits;
        // Hashing a large photo is a millisecond of CPU: off the async workers, and so
        // an import's parallel prefetch really runs in parallel.
        let (inspected, bytes) =
            off_the_workers(move || inspect(&bytes, &limits).map(|i| (i, bytes)))
                .await?
                .map_err(media_error)?;
        let storage = &self.options().media_storage;
        let made = storage
            .contains(&inspected.key, inspected.original_name)
            .await
            .map_err(storage_error)?;
        if !made {
            storage
                .put_unprocessed(&inspected.key, bytes)
                .await
                .map_err(storage_error)?;
        }
        let new = NewMedia {
            storage_key: inspected.key,
            file_name: crate::media::clean_file_name(file_name),
            mime: inspected.original_mime.to_owned(),
            width: inspected.width,
            height: inspected.height,
            // Sizes are known once the files are made.
            bytes: 0,
            alt,
            caption,
            credit,
            variants: inspected
                .variants
                .into_iter()
                .map(|(name, width, height)| MediaVariant {
                    name,
                    width,
                    height,
                    bytes: 0,
                })
                .collect(),
            uploaded_by: meta.uploaded_by,
        };
        let id: MediaId = if made {
            self.store.create_media(&new).await?
        } else {
            self.store.create_unprocessed_media(&new).await?
        };
        Ok(self.store.media(id).await?)
    }

    /// Makes the files of up to `limit` adopted pictures, oldest first, one at a time,
    /// each claimed in the store first (so nodes share the queue); returns how many it
    /// took off the queue. A picture the pipeline refuses after all (pixels that do not
    /// decode) is logged and taken off too, its files missing; a storage or database
    /// failure leaves it queued (its claim lapses) and is returned.
    pub async fn process_adopted_media(&self, limit: u32) -> Result<usize, ContentError> {
        let mut done = 0;
        while done < limit as usize {
            let now = self.clock().now();
            let until = now
                .checked_add(CLAIM)
                .map_err(|e| ContentError::Internal(e.into()))?;
            let Some(key) = self.store.claim_unprocessed_media(now, until).await? else {
                break;
            };
            if self.make_media_files(&key).await? == Made::NothingKept {
                self.store.finish_unprocessed_media(&key, None).await?;
            }
            done += 1;
        }
        Ok(done)
    }

    /// Makes a crop of a library picture from its stored original, once (concurrent
    /// requests for the same crop wait for the first), stores it and answers it; `None`
    /// when its point is not the picture's focal point, when the picture has no
    /// original, or when it does not decode (logged).
    pub(crate) async fn make_crop_file(
        &self,
        key: &str,
        crop: byline_media::Crop,
    ) -> Result<Option<StoredFile>, ContentError> {
        let storage = &self.options().media_storage;
        let focals = self.store.media_focals(key).await?;
        let jobs = self.media_jobs();
        let job = format!("{key}/{}", crop.file_name());
        let lock = jobs.lock_for(&job);
        let made = async {
            let _one_at_a_time = lock.lock().await;
            // Made while this request waited for the one before it.
            if let Some(file) = storage
                .get(key, &crop.file_name())
                .await
                .map_err(storage_error)?
            {
                return Ok(Some(file));
            }
            // Only around a point the picture has: a crop URL names its point, and any
            // other would let a request ask for work (and storage) of its choosing.
            // Crops made at an earlier point stay served (pages cached elsewhere).
            let point = byline_core::Focal::new(crop.focal_x, crop.focal_y);
            if !point.is_some_and(|p| focals.contains(&p)) {
                return Ok(None);
            }
            let mut original = None;
            for attempt in 0..2 {
                for name in ["original.jpg", "original.png", "original.webp"] {
                    if let Some(file) = storage.get(key, name).await.map_err(storage_error)? {
                        original = Some(file.data);
                        break;
                    }
                }
                // An adopted picture's original is made on its first request.
                if original.is_some() || attempt == 1 || self.make_media_files(key).await? != Made::Now {
                    break;
                }
            }
            let Some(original) = original else {
                return Ok(None);
            };
            let _slot = jobs
                .slots
                .acquire()
                .await
                .map_err(|e| ContentError::Internal(e.into()))?;
            let limits = self.options().media_limits;
            let encoded = match off_the_workers(move || byline_media::make_crop(&original, &crop, &limits)).await? {
                Ok(encoded) => encoded,
                Err(e) => {
                    tracing::warn!(key, crop = %crop.file_name(), error = %e, "a crop could not be made");
                    return Ok(None);
                }
            };
            storage.put_file(key, &encoded).await.map_err(storage_error)?;
            Ok(Some(StoredFile {
                data: encoded.data,
                mime: encoded.mime,
            }))
        }
        .await;
        jobs.release(&job, lock);
        made
    }

    /// Makes an adopted picture's files from its kept upload, once (concurrent callers
    /// for the same key wait for the first and find nothing left to do).
    pub(crate) async fn make_media_files(&self, key: &str) -> Result<Made, ContentError> {
        let jobs = self.media_jobs();
        let lock = jobs.lock_for(key);
        let made = {
            let _one_at_a_time = lock.lock().await;
            self.make_media_files_locked(key).await
        };
        jobs.release(key, lock);
        made
    }

    async fn make_media_files_locked(&self, key: &str) -> Result<Made, ContentError> {
        let storage = &self.options().media_storage;
        let Some(bytes) = storage.unprocessed(key).await.map_err(storage_error)? else {
            return Ok(Made::NothingKept);
        };
        let _slot = self
            .media_jobs()
            .slots
            .acquire()
            .await
            .map_err(|e| ContentError::Internal(e.into()))?;
        let limits = self.options().media_limits;
        let result = off_the_workers(move || ingest(&bytes, &limits)).await?;
        let ingested = match result {
            Ok(ingested) => ingested,
            // Made from the bytes alone, so trying again would fail the same way.
            Err(e) => {
                if e.is_user_error() {
                    tracing::warn!(key, error = %e, "an adopted picture does not decode; its files stay missing");
                } else {
                    tracing::error!(key, error = %e, "an adopted picture could not be processed; its files stay missing");
                }
                self.store.finish_unprocessed_media(key, None).await?;
                storage
                    .delete_unprocessed(key)
                    .await
                    .map_err(storage_error)?;
                return Ok(Made::Failed);
            }
        };
        storage.put(&ingested).await.map_err(storage_error)?;
        let variants = variant_records(&ingested);
        let original = ingested.original.data.len() as u64;
        self.store
            .finish_unprocessed_media(key, Some((original, &variants)))
            .await?;
        storage
            .delete_unprocessed(key)
            .await
            .map_err(storage_error)?;
        tracing::info!(key, "adopted picture's files made");
        Ok(Made::Now)
    }

    /// The media processor of a serving node (see the module).
    pub(crate) fn start_media_processor(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                match me.process_adopted_media(PROCESSOR_BATCH).await {
                    Ok(0) => tokio::time::sleep(PROCESSOR_POLL).await,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "making adopted pictures' files failed; retrying");
                        tokio::time::sleep(PROCESSOR_POLL).await;
                    }
                }
            }
        });
    }
}
