//! The media library: uploads go through the pipeline into media storage, and a row
//! in the store records them.

use crate::{Content, ContentError};
use byline_core::{
    Cover, Focal, MediaId, MediaItem, MediaUse, MediaVariant, NewMedia, PageRequest, User,
};
use byline_media::{Ingested, Limits, MediaError, MediaStorage, StorageError, StoredFile, ingest};
use std::collections::HashMap;

/// Longest alt text, caption and credit, in characters.
pub const MAX_ALT: usize = 500;
pub const MAX_CAPTION: usize = 1000;
pub const MAX_CREDIT: usize = 300;
/// Longest library search, in characters.
pub const MAX_LIBRARY_QUERY: usize = 200;
/// Longest kept upload name; longer names are cut (the name is only a label).
const MAX_FILE_NAME: usize = 200;

/// The words that go with a picture, and who uploaded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaMeta {
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: Option<i64>,
}

impl Content {
    /// Proves `bytes` are an acceptable picture, stores its sanitized original and
    /// variants, and records it in the library. A bad file is `Invalid` on the field
    /// `file` with a message the uploader can act on.
    pub async fn upload_media(
        &self,
        bytes: Vec<u8>,
        file_name: &str,
        meta: MediaMeta,
    ) -> Result<MediaItem, ContentError> {
        let (alt, caption, credit) = media_text(&meta.alt, &meta.caption, &meta.credit)?;
        let limits = self.media_limits();
        // Decoding and encoding take the CPU for a while: off the async workers.
        let ingested = off_the_workers(move || ingest(&bytes, &limits))
            .await?
            .map_err(media_error)?;
        self.media_storage()
            .put(&ingested)
            .await
            .map_err(storage_error)?;
        let new = NewMedia {
            storage_key: ingested.key.clone(),
            file_name: clean_file_name(file_name),
            mime: ingested.original.mime.to_owned(),
            width: ingested.width,
            height: ingested.height,
            bytes: ingested.original.data.len() as u64,
            alt,
            caption,
            credit,
            variants: variant_records(&ingested),
            uploaded_by: meta.uploaded_by,
        };
        let id = self.store.create_media(&new).await?;
        tracing::info!(%id, key = %new.storage_key, "media uploaded");
        Ok(self.store.media(id).await?)
    }

    /// One library item; `NotFound` for an unknown id.
    pub async fn media(&self, id: MediaId) -> Result<MediaItem, ContentError> {
        Ok(self.store.media(id).await?)
    }

    /// The library, newest first, and how many pictures match in all: every word of
    /// `query` must occur in a picture's file name, alt text, caption or credit (any
    /// case). A query past [`MAX_LIBRARY_QUERY`] characters is `Invalid` on `q`.
    pub async fn media_library(
        &self,
        query: &str,
        page: PageRequest,
    ) -> Result<(Vec<MediaItem>, u64), ContentError> {
        if query.chars().count() > MAX_LIBRARY_QUERY {
            return Err(ContentError::invalid(
                "q",
                format!("is longer than {MAX_LIBRARY_QUERY} characters"),
            ));
        }
        let words: Vec<String> = query.split_whitespace().map(str::to_owned).collect();
        Ok(self.store.media_list(&words, page).await?)
    }

    /// Replaces a picture's alt text, caption, credit and focal point, if `actor` may
    /// (`manage_media`: their own upload, or editors).
    pub async fn update_media(
        &self,
        actor: &User,
        id: MediaId,
        meta: &MediaMeta,
        focal: Focal,
    ) -> Result<MediaItem, ContentError> {
        let item = self.media_for_managing(actor, id).await?;
        let (alt, caption, credit) = media_text(&meta.alt, &meta.caption, &meta.credit)?;
        self.store
            .update_media(item.id, &alt, &caption, &credit, focal)
            .await?;
        let updated = self.store.media(id).await?;
        if updated.focal != item.focal {
            self.recrop_covers(&updated).await?;
        }
        Ok(updated)
    }

    /// The covers and social images that show `item` take its crops around its new
    /// focal point (their words stay as the articles were written), and their pages are
    /// made again (each is a change in the feed).
    async fn recrop_covers(&self, item: &MediaItem) -> Result<(), ContentError> {
        let crops = item.crops();
        let shows = |c: &Option<Cover>| {
            c.as_ref()
                .is_some_and(|c| byline_core::storage_key_of(&c.url) == Some(&item.storage_key))
        };
        let mut changed = Vec::new();
        for used in self.store.media_usage(item.id).await? {
            let MediaUse::Article { id, .. } = used else {
                continue;
            };
            let article = self.store.article(id).await?;
            let (mut cover, mut social) = (article.cover.clone(), article.seo.image.clone());
            for picture in [&mut cover, &mut social] {
                if shows(picture)
                    && let Some(p) = picture.as_mut()
                {
                    p.crops = Some(crops.clone());
                }
            }
            if cover != article.cover || social != article.seo.image {
                self.store
                    .set_article_pictures(id, cover.as_ref(), social.as_ref())
                    .await?;
                changed.push(id);
            }
        }
        if !changed.is_empty() {
            tracing::info!(media = %item.id, articles = changed.len(), "covers recropped");
            self.announce_articles(&changed).await;
        }
        Ok(())
    }

    /// What shows a picture: the articles (any status) and static pages.
    pub async fn media_usage(&self, id: MediaId) -> Result<Vec<MediaUse>, ContentError> {
        // Articles from the store's index; pages (few) read here with the renderer's own
        // reading of `media:N`, which the store's text match may miss.
        let mut uses: Vec<MediaUse> = self
            .store
            .media_usage(id)
            .await?
            .into_iter()
            .filter(|u| matches!(u, MediaUse::Article { .. }))
            .collect();
        uses.extend(self.pages_showing(id).await?);
        Ok(uses)
    }

    /// The static pages whose text shows picture `id`.
    async fn pages_showing(&self, id: MediaId) -> Result<Vec<MediaUse>, ContentError> {
        Ok(self
            .store
            .pages()
            .await?
            .into_iter()
            .filter(|p| {
                byline_render::media_refs(&p.body_markdown)
                    .iter()
                    .any(|r| r.parse::<i64>().ok() == Some(id.0))
            })
            .map(|p| MediaUse::Page {
                id: p.id.0,
                title: p.title,
                edition: p.edition,
            })
            .collect())
    }

    /// Takes a picture out of the library, if `actor` may (`manage_media`) and nothing
    /// shows it (`Conflict` while an article or page does: a page must not lose its
    /// picture). Its files go too unless another upload of the same bytes keeps them.
    pub async fn delete_media(&self, actor: &User, id: MediaId) -> Result<(), ContentError> {
        self.media_for_managing(actor, id).await?;
        let in_use = || {
            ContentError::Conflict(
                "the picture is in use: take it out of the articles and pages that show it first"
                    .into(),
            )
        };
        if !self.pages_showing(id).await?.is_empty() {
            return Err(in_use());
        }
        let freed = match self.store.delete_media(id).await {
            Err(byline_store::StoreError::Conflict(_)) => return Err(in_use()),
            other => other?,
        };
        if let Some(key) = freed {
            // The row is gone: a failure here leaves unreachable files, never a page
            // without its picture. Logged, not refused.
            if let Err(e) = self.media_storage().delete_all(&key).await {
                tracing::warn!(%id, %key, error = %e, "picture deleted, its files not");
            }
        }
        tracing::info!(%id, actor = %actor.id, "media deleted");
        Ok(())
    }

    /// The picture, when `actor` may change it (`Forbidden` otherwise).
    async fn media_for_managing(
        &self,
        actor: &User,
        id: MediaId,
    ) -> Result<MediaItem, ContentError> {
        let item = self.store.media(id).await?;
        if !item.managed_by(actor) {
            return Err(ContentError::Forbidden);
        }
        Ok(item)
    }

    /// A stored file of the library (`None` when there is none by that name). The
    /// files of a picture adopted by an import are made here when they are asked for
    /// before the media processor got to them.
    pub async fn media_file(
        &self,
        key: &str,
        name: &str,
    ) -> Result<Option<StoredFile>, ContentError> {
        let storage = self.media_storage();
        if let Some(file) = storage.get(key, name).await.map_err(storage_error)? {
            return Ok(Some(file));
        }
        if !byline_media::is_valid_key(key) || !byline_media::is_valid_file_name(name) {
            return Ok(None);
        }
        if let Some(crop) = byline_media::Crop::parse(name) {
            return self.make_crop_file(key, crop).await;
        }
        match self.make_media_files(key).await? {
            crate::media_processing::Made::Now => {
                storage.get(key, name).await.map_err(storage_error)
            }
            _ => Ok(None),
        }
    }

    /// A body as readers will see it (the article renderer, sanitized), with its word
    /// count: the editor's live preview. An unknown picture, or a body past the limits
    /// (`byline_core::limits`), is `Invalid` on `body`.
    pub async fn preview_body(&self, markdown: &str) -> Result<(String, usize), ContentError> {
        let media = self.media_for_body(markdown).await?;
        let body = byline_render::render_markdown_with_media(markdown, &media)
            .map_err(|e| ContentError::invalid("body", e.to_string()))?;
        let words = body.text.split_whitespace().count();
        Ok((body.html, words))
    }

    /// The library pictures a Markdown body refers to (`![alt](media:42)`); an unknown
    /// or malformed reference is `Invalid` on `body`.
    pub(crate) async fn media_for_body(
        &self,
        markdown: &str,
    ) -> Result<HashMap<i64, MediaItem>, ContentError> {
        let mut found = HashMap::new();
        for raw in byline_render::media_refs(markdown) {
            let id = raw.parse::<i64>().map_err(|_| {
                ContentError::invalid(
                    "body",
                    format!(
                        "\"media:{raw}\" is not a library picture: write media: and its number"
                    ),
                )
            })?;
            if found.contains_key(&id) {
                continue;
            }
            match self.store.media(MediaId(id)).await {
                Ok(item) => {
                    found.insert(id, item);
                }
                Err(byline_store::StoreError::NotFound) => {
                    return Err(ContentError::invalid(
                        "body",
                        format!("there is no picture media:{id} in the media library"),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(found)
    }

    fn media_storage(&self) -> &MediaStorage {
        &self.options().media_storage
    }

    fn media_limits(&self) -> Limits {
        self.options().media_limits
    }
}

/// Runs the CPU-bound part of the media pipeline on a blocking thread, off the async
/// workers; the pipeline's own answer is the caller's to map.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ContentError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ContentError::Internal(anyhow::anyhow!("image pipeline: {e}")))
}

/// What the store records of the variants made.
pub(crate) fn variant_records(ingested: &Ingested) -> Vec<MediaVariant> {
    ingested
        .variants
        .iter()
        .map(|v| MediaVariant {
            name: v.name.clone(),
            width: v.width,
            height: v.height,
            bytes: v.data.len() as u64,
        })
        .collect()
}

pub(crate) fn media_error(e: MediaError) -> ContentError {
    if e.is_user_error() {
        ContentError::invalid("file", e.to_string())
    } else {
        ContentError::Internal(anyhow::anyhow!(e))
    }
}

/// Storage that cannot be reached is worth retrying (503), not a bug (500).
pub(crate) fn storage_error(e: StorageError) -> ContentError {
    tracing::error!(error = %e, "media storage");
    ContentError::Unavailable(e.to_string())
}

pub(crate) fn media_text(
    alt: &str,
    caption: &str,
    credit: &str,
) -> Result<(String, String, String), ContentError> {
    let check = |field: &'static str, value: &str, max: usize| {
        let value = crate::write::single_line(value).trim().to_owned();
        if value.chars().count() > max {
            return Err(ContentError::invalid(
                field,
                format!("is longer than {max} characters"),
            ));
        }
        Ok(value)
    };
    Ok((
        check("alt", alt, MAX_ALT)?,
        check("caption", caption, MAX_CAPTION)?,
        check("credit", credit, MAX_CREDIT)?,
    ))
}

/// The last path component of what the browser sent, without control characters,
/// cut to a sane length: a label, never a path.
pub(crate) fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME)
        .collect();
    let name = name.trim();
    if name.is_empty() {
        "upload".into()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_labels_not_paths() {
        assert_eq!(clean_file_name("C:\\Users\\me\\Harbour.JPG"), "Harbour.JPG");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\n.png"), "ab.png");
        assert_eq!(clean_file_name(""), "upload");
        assert_eq!(clean_file_name(&"x".repeat(500)).len(), MAX_FILE_NAME);
    }
}
