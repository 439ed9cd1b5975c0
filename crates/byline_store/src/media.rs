//! The media library's records (table `media`). The files themselves are in media
//! storage. Not in the change feed: a picture shows on a page only through an article,
//! whose save is in the feed (its body HTML is rendered with the picture at that time).

use crate::StoreResult;
use async_trait::async_trait;
use byline_core::{MediaId, MediaItem, NewMedia, PageRequest};

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Records a picture whose files are already in media storage.
    async fn create_media(&self, media: &NewMedia) -> StoreResult<MediaId>;
    /// One picture; `NotFound` for an unknown id.
    async fn media(&self, id: MediaId) -> StoreResult<MediaItem>;
    /// The library, newest first, and how many pictures there are in all.
    async fn media_list(&self, page: PageRequest) -> StoreResult<(Vec<MediaItem>, u64)>;
    /// Replaces a picture's alt text, caption and credit; `NotFound` for an unknown id.
    async fn update_media_text(
        &self,
        id: MediaId,
        alt: &str,
        caption: &str,
        credit: &str,
    ) -> StoreResult<()>;
}
