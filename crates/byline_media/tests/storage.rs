//! Media storage on a real local folder, in memory, and the configuration forms.

mod fixtures;

use byline_media::{Limits, MediaStorage, ingest};
use std::sync::Arc;

async fn round_trip(storage: &MediaStorage) -> byline_media::Ingested {
    let got = ingest(&fixtures::jpeg(700, 400), &Limits::default()).unwrap();
    storage.put(&got).await.unwrap();
    // Idempotent: the same picture again is fine (content-addressed).
    storage.put(&got).await.unwrap();
    for file in got.files() {
        let stored = storage.get(&got.key, &file.name).await.unwrap().unwrap();
        assert_eq!(stored.data, file.data, "{}", file.name);
        assert_eq!(stored.mime, file.mime);
    }
    assert!(storage.get(&got.key, "9999.webp").await.unwrap().is_none());
    got
}

#[tokio::test]
async fn a_local_folder_holds_the_files_under_their_content_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("media");
    let storage = MediaStorage::local(&root).unwrap();
    let got = round_trip(&storage).await;
    let on_disk = root.join("lib").join(&got.key).join("640.webp");
    assert_eq!(std::fs::read(on_disk).unwrap(), got.variants[1].data);
    assert!(
        root.join("lib")
            .join(&got.key)
            .join("original.jpg")
            .is_file()
    );
    // From the configuration: unset means the media folder.
    let configured = MediaStorage::from_config(None, &root).unwrap();
    assert!(
        configured
            .get(&got.key, "320.webp")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn in_memory_storage_behaves_the_same() {
    round_trip(&MediaStorage::in_memory()).await;
    let custom = MediaStorage::with_store(
        Arc::new(object_store::memory::InMemory::new()),
        "another memory",
    );
    round_trip(&custom).await;
}

#[tokio::test]
async fn names_outside_the_library_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
    let storage = MediaStorage::local(dir.path()).unwrap();
    let got = round_trip(&storage).await;
    for (key, name) in [
        ("..", "secret.txt"),
        (got.key.as_str(), "../../secret.txt"),
        (got.key.as_str(), "original.svg"),
        (got.key.as_str(), "640.webp.html"),
        ("ABCDEF0123456789ABCDEF0123456789", "640.webp"),
        ("../lib", "640.webp"),
    ] {
        assert!(
            storage.get(key, name).await.unwrap().is_none(),
            "{key}/{name}"
        );
    }
}

/// An upload kept for later processing is readable by the processor and never served,
/// whatever name a request tries; once processed it is gone.
#[tokio::test]
async fn an_unprocessed_upload_is_kept_but_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let storage = MediaStorage::local(dir.path()).unwrap();
    let key = "0123456789abcdef0123456789abcdef";
    let upload = fixtures::jpeg_with_exif_gps(64, 32);
    storage.put_unprocessed(key, upload.clone()).await.unwrap();
    assert_eq!(storage.unprocessed(key).await.unwrap(), Some(upload));
    for name in [
        "unprocessed",
        "unprocessed.jpg",
        "original.jpg",
        "../unprocessed",
    ] {
        assert!(storage.get(key, name).await.unwrap().is_none(), "{name}");
    }
    assert!(!storage.contains(key, "original.jpg").await.unwrap());
    storage.delete_unprocessed(key).await.unwrap();
    storage.delete_unprocessed(key).await.unwrap();
    assert_eq!(storage.unprocessed(key).await.unwrap(), None);
}

#[test]
fn configuration_forms() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = MediaStorage::from_config(Some("s3://newsroom-media/byline"), dir.path()).unwrap();
    assert_eq!(s3.describe(), "S3 bucket newsroom-media/byline");
    let elsewhere = dir.path().join("elsewhere");
    let file_url = format!("file://{}", elsewhere.display());
    let local = MediaStorage::from_config(Some(&file_url), dir.path()).unwrap();
    assert!(local.describe().contains("elsewhere"));
    assert!(elsewhere.is_dir());
    for bad in ["ftp://x/y", "s3://", "file://relative/path", "bucket"] {
        let e = MediaStorage::from_config(Some(bad), dir.path()).unwrap_err();
        assert!(e.to_string().starts_with("media_store"), "{bad}: {e}");
    }
}
