//! The media library's records (table `media`). The files themselves are in media
//! storage. Not in the change feed: a picture shows on a page only through an article,
//! whose save is in the feed (its body HTML is rendered with the picture at that time).

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{Focal, MediaId, MediaItem, MediaUse, MediaVariant, NewMedia, PageRequest};

/// The `Conflict` of an article save naming a library picture deleted meanwhile.
pub const PICTURE_GONE: &str = "a picture of the article was deleted";

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Records a picture whose files are already in media storage.
    async fn create_media(&self, media: &NewMedia) -> StoreResult<MediaId>;
    /// Records a picture whose files are still to be made from the upload kept in media
    /// storage (its row already names them), and queues its storage key for the media
    /// processor; one transaction.
    async fn create_unprocessed_media(&self, media: &NewMedia) -> StoreResult<MediaId>;
    /// Up to `limit` storage keys whose files are still to be made, oldest first.
    async fn unprocessed_media(&self, limit: u32) -> StoreResult<Vec<String>>;
    /// Claims the oldest key nobody holds (or whose claim lapsed by `now`) until
    /// `until`; `None` when there is none to claim. Two nodes never get the same key
    /// while a claim holds.
    async fn claim_unprocessed_media(
        &self,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> StoreResult<Option<String>>;
    /// Takes a key off the processing queue. `made` (the original's size and the
    /// variants as made) goes into every row sharing the key; `None` when the files
    /// could not be made (the rows stay as they are).
    async fn finish_unprocessed_media(
        &self,
        storage_key: &str,
        made: Option<(u64, &[MediaVariant])>,
    ) -> StoreResult<()>;
    /// One picture; `NotFound` for an unknown id.
    async fn media(&self, id: MediaId) -> StoreResult<MediaItem>;
    /// The focal points of the pictures stored under `storage_key` (one upload may be
    /// in the library more than once): the only points its crops are made around.
    async fn media_focals(&self, storage_key: &str) -> StoreResult<Vec<Focal>>;
    /// The library, newest first, and how many pictures match in all. `words`: every
    /// one must occur in the file name, alt text, caption or credit (any case); none
    /// lists everything.
    async fn media_list(
        &self,
        words: &[String],
        page: PageRequest,
    ) -> StoreResult<(Vec<MediaItem>, u64)>;
    /// Replaces a picture's alt text, caption, credit and focal point; `NotFound` for an
    /// unknown id.
    async fn update_media(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
        focal: Focal,
    ) -> StoreResult<()>;
    /// What shows the picture: articles (any status) and static pages, newest first.
    async fn media_usage(&self, id: MediaId) -> StoreResult<Vec<MediaUse>>;
    /// Removes a picture from the library: `Conflict` while anything shows it,
    /// `NotFound` for an unknown id. Answers its storage key when no other row shares
    /// it (its files may go), `None` when another upload of the same bytes keeps them.
    async fn delete_media(&self, id: MediaId) -> StoreResult<Option<String>>;
}
