//! Where the files live: object storage under content-addressed keys.

use crate::Ingested;
use futures::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::path::Path;
use std::sync::Arc;
use thiserror::Error;

/// Library files sit under this folder of the media root (`<data_dir>/media/lib/…`
/// locally), next to files that are not in the library (the demo's pictures).
pub const LIBRARY_PREFIX: &str = "lib";

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("media_store: {0}")]
    Config(String),
    #[error("media storage failed: {0}")]
    Backend(#[from] object_store::Error),
    #[error("media storage failed: {0}")]
    Io(#[from] std::io::Error),
}

/// A stored file and its type.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub data: Vec<u8>,
    pub mime: &'static str,
}

/// The media library's files in object storage. Cheap to clone.
#[derive(Clone)]
pub struct MediaStorage {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl std::fmt::Debug for MediaStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl MediaStorage {
    /// Files in a local folder (created if missing).
    pub fn local(dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            description: format!("local folder {}", dir.display()),
        })
    }

    /// Files in memory, gone at exit (tests, throwaway outlets).
    pub fn in_memory() -> Self {
        Self {
            store: Arc::new(InMemory::new()),
            description: "memory".into(),
        }
    }

    /// Any `object_store` backend (for tests and embedders).
    pub fn with_store(store: Arc<dyn ObjectStore>, description: impl Into<String>) -> Self {
        Self {
            store,
            description: description.into(),
        }
    }

    /// From the `media_store` setting: unset for the local `media_dir`,
    /// `file:///absolute/folder` for another local folder, or `s3://bucket/prefix` for
    /// an S3-compatible bucket whose endpoint, region and credentials come from the
    /// standard `AWS_*` environment variables (`AWS_ENDPOINT`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`). Nothing is
    /// contacted here; a wrong bucket shows at the first upload.
    pub fn from_config(media_store: Option<&str>, media_dir: &Path) -> Result<Self, StorageError> {
        let Some(url) = media_store.map(str::trim).filter(|u| !u.is_empty()) else {
            return Self::local(media_dir);
        };
        if let Some(folder) = url.strip_prefix("file://") {
            if !folder.starts_with('/') {
                return Err(StorageError::Config(format!(
                    "{url:?}: a file:// folder must be an absolute path (file:///srv/media)"
                )));
            }
            return Self::local(Path::new(folder));
        }
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(StorageError::Config(format!(
                "{url:?} must be s3://bucket/prefix or file:///folder (or unset for <data_dir>/media)"
            )));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(StorageError::Config(format!("{url:?} names no bucket")));
        }
        let s3 = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| StorageError::Config(e.to_string()))?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Self {
            store,
            description: format!("S3 bucket {bucket}/{prefix}"),
        })
    }

    /// Where files go, for log lines.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Stores the original and the variants. Files already there are left alone:
    /// under a content-addressed key they can only be the same.
    pub async fn put(&self, ingested: &Ingested) -> Result<(), StorageError> {
        for file in ingested.files() {
            let path = object_path(&ingested.key, &file.name);
            match self.store.head(&path).await {
                Ok(_) => continue,
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
            self.store
                .put(&path, PutPayload::from(file.data.clone()))
                .await?;
        }
        Ok(())
    }

    /// Stores one file made later (a crop) under `key`.
    pub async fn put_file(&self, key: &str, file: &crate::Encoded) -> Result<(), StorageError> {
        self.store
            .put(
                &object_path(key, &file.name),
                PutPayload::from(file.data.clone()),
            )
            .await?;
        Ok(())
    }

    /// Keeps an upload as it came, to be processed later (see [`crate::inspect`]). Its
    /// name is not one [`is_valid_file_name`] accepts, so it is never served: its
    /// metadata (EXIF, GPS) stays private until the sanitized files replace it.
    pub async fn put_unprocessed(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        self.store
            .put(&object_path(key, UNPROCESSED), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// The upload kept by [`MediaStorage::put_unprocessed`], `None` once processed.
    pub async fn unprocessed(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        match self.store.get(&object_path(key, UNPROCESSED)).await {
            Ok(r) => Ok(Some(r.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Drops the kept upload once its sanitized files are stored.
    pub async fn delete_unprocessed(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&object_path(key, UNPROCESSED)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes every file stored under `key` (the picture left the library and no
    /// other row shares its bytes). Files already gone are no error.
    pub async fn delete_all(&self, key: &str) -> Result<(), StorageError> {
        let prefix = ObjectPath::from(format!("{LIBRARY_PREFIX}/{key}"));
        let files: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        for file in files {
            match self.store.delete(&file.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Whether a file is stored (without reading it).
    pub async fn contains(&self, key: &str, name: &str) -> Result<bool, StorageError> {
        match self.store.head(&object_path(key, name)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// One stored file, `None` when there is no such file or the names are not ones
    /// the library makes (so no request can reach outside the library).
    pub async fn get(&self, key: &str, name: &str) -> Result<Option<StoredFile>, StorageError> {
        if !is_valid_key(key) || !is_valid_file_name(name) {
            return Ok(None);
        }
        let result = match self.store.get(&object_path(key, name)).await {
            Ok(r) => r,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(StoredFile {
            data: result.bytes().await?.to_vec(),
            mime: mime_of(name),
        }))
    }
}

/// The name an upload waiting to be processed is kept under: no extension, so never a
/// library file name.
const UNPROCESSED: &str = "unprocessed";

fn object_path(key: &str, name: &str) -> ObjectPath {
    ObjectPath::from(format!("{LIBRARY_PREFIX}/{key}/{name}"))
}

/// A content key as [`crate::ingest`] makes them: 32 lowercase hex digits.
pub fn is_valid_key(key: &str) -> bool {
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file name as [`crate::ingest`] makes them (`original.jpg|png|webp`, `640.webp`) or
/// a crop's ([`crate::Crop::file_name`]).
pub fn is_valid_file_name(name: &str) -> bool {
    if crate::crop::Crop::parse(name).is_some() {
        return true;
    }
    match name.split_once('.') {
        Some(("original", "jpg" | "png" | "webp")) => true,
        Some((width, "webp")) => {
            !width.is_empty() && width.len() <= 5 && width.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn mime_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "image/webp",
    }
}
