//! Pictures adopted by an import (issue 15): taken in at the cost of a header check,
//! their files made later by the media processor or by the first request for one. On a
//! real SQLite store and a real media folder.

use byline_content::{Content, ContentError, ContentOptions, MediaMeta};
use byline_core::PageRequest;
use byline_media::MediaStorage;
use byline_store::SqliteStore;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

async fn outlet(dir: &Path, serving: bool) -> Content {
    let store = SqliteStore::open(&dir.join("byline.db")).await.unwrap();
    store.migrate().await.unwrap();
    let options = ContentOptions {
        media_storage: MediaStorage::local(&dir.join("media")).unwrap(),
        serving,
        ..ContentOptions::default()
    };
    Content::start(Arc::new(store), options).await.unwrap()
}

fn encoded(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encoded(w, h, image::ImageFormat::Jpeg)
}

fn file(dir: &Path, key: &str, name: &str) -> std::path::PathBuf {
    dir.join("media").join("lib").join(key).join(name)
}

fn meta(alt: &str) -> MediaMeta {
    MediaMeta {
        alt: alt.into(),
        ..MediaMeta::default()
    }
}

/// The row names the files to come, so a page can render its `srcset` at once; the
/// upload kept meanwhile is never served; the first request makes every file.
#[tokio::test]
async fn an_adopted_picture_names_its_files_and_the_first_request_makes_them() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path(), false).await;
    let item = content
        .adopt_media(jpeg(900, 600), "harbour.jpg", meta("A harbour"))
        .await
        .unwrap();
    let names: Vec<&str> = item.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["320.webp", "640.webp", "900.webp"]);
    assert_eq!(
        (item.width, item.height, item.mime.as_str()),
        (900, 600, "image/jpeg")
    );
    assert_eq!(
        content.media(item.id).await.unwrap(),
        item,
        "what was recorded"
    );
    let key = item.storage_key.clone();
    assert!(file(dir.path(), &key, "unprocessed").is_file());
    assert!(!file(dir.path(), &key, "original.jpg").exists());

    for name in ["unprocessed", "unprocessed.jpg", "../unprocessed"] {
        assert!(
            content.media_file(&key, name).await.unwrap().is_none(),
            "{name} is never served"
        );
    }
    let variant = content.media_file(&key, "640.webp").await.unwrap().unwrap();
    assert_eq!(variant.mime, "image/webp");
    assert_eq!(&variant.data[8..12], b"WEBP");
    for name in ["original.jpg", "320.webp", "640.webp", "900.webp"] {
        assert!(file(dir.path(), &key, name).is_file(), "{name} made");
    }
    assert!(
        !file(dir.path(), &key, "unprocessed").exists(),
        "kept upload dropped"
    );
    let made = content.media(item.id).await.unwrap();
    assert!(
        made.bytes > 0 && made.variants.iter().all(|v| v.bytes > 0),
        "{made:?}"
    );
    assert_eq!(
        made.variants
            .iter()
            .map(|v| (v.name.as_str(), v.width, v.height))
            .collect::<Vec<_>>(),
        [
            ("320.webp", 320, 213),
            ("640.webp", 640, 427),
            ("900.webp", 900, 600)
        ]
    );
    assert_eq!(
        content.process_adopted_media(10).await.unwrap(),
        0,
        "nothing left in the queue"
    );
    // A file of no picture is simply not there (no work, no error).
    assert!(
        content
            .media_file("00000000000000000000000000000000", "320.webp")
            .await
            .unwrap()
            .is_none()
    );
}

/// The processor takes the queue oldest first; a picture whose header passed but whose
/// pixels do not decode is dropped from it (logged), its row kept and its files missing.
#[tokio::test]
async fn the_processor_makes_the_queue_and_drops_what_does_not_decode() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path(), false).await;
    let first = content
        .adopt_media(jpeg(400, 300), "a.jpg", meta(""))
        .await
        .unwrap();
    let png = encoded(300, 200, image::ImageFormat::Png);
    let cut = png[..png.len() / 2].to_vec();
    assert!(byline_media::ingest(&cut, &byline_media::Limits::default()).is_err());
    let broken = content
        .adopt_media(cut, "cut.png", meta(""))
        .await
        .expect("the header alone is sound");
    let again = content
        .adopt_media(jpeg(400, 300), "a-again.jpg", meta(""))
        .await
        .unwrap();
    assert_eq!(
        again.storage_key, first.storage_key,
        "the same bytes, the same files"
    );

    assert_eq!(content.process_adopted_media(10).await.unwrap(), 2);
    assert!(file(dir.path(), &first.storage_key, "original.jpg").is_file());
    for id in [first.id, again.id] {
        assert!(content.media(id).await.unwrap().bytes > 0);
    }
    let key = &broken.storage_key;
    assert!(!file(dir.path(), key, "unprocessed").exists());
    assert!(content.media_file(key, "300.webp").await.unwrap().is_none());
    assert_eq!(content.media(broken.id).await.unwrap().bytes, 0, "row kept");
    assert_eq!(content.process_adopted_media(10).await.unwrap(), 0);

    // Adopted again once made: recorded as made, nothing queued or kept.
    let third = content
        .adopt_media(jpeg(400, 300), "a-third.jpg", meta(""))
        .await
        .unwrap();
    assert!(!file(dir.path(), &third.storage_key, "unprocessed").exists());
    assert_eq!(content.process_adopted_media(10).await.unwrap(), 0);
}

/// What the header gives away is refused at once, as an upload would be, and leaves
/// nothing behind.
#[tokio::test]
async fn adopting_refuses_what_the_header_gives_away() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path(), false).await;
    let jpeg = jpeg(300, 200);
    for (what, bytes) in [
        (
            "svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        ),
        ("empty", Vec::new()),
        ("cut jpeg", jpeg[..jpeg.len() / 2].to_vec()),
    ] {
        match content.adopt_media(bytes, "x.jpg", meta("")).await {
            Err(ContentError::Invalid { field, .. }) => assert_eq!(field, "file", "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    let too_long = "x".repeat(byline_content::MAX_ALT + 1);
    assert!(matches!(
        content
            .adopt_media(jpeg.clone(), "x.jpg", meta(&too_long))
            .await,
        Err(ContentError::Invalid { field: "alt", .. })
    ));
    let (items, total) = content
        .media_library("", PageRequest::new(byline_core::PageNumber::FIRST, 10))
        .await
        .unwrap();
    assert_eq!((items.len(), total), (0, 0));
    assert!(!dir.path().join("media").join("lib").exists());
}

/// A serving outlet's media processor makes adopted pictures by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serving_outlet_makes_adopted_pictures_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(dir.path(), true).await;
    let item = content
        .adopt_media(jpeg(700, 500), "quay.jpg", meta(""))
        .await
        .unwrap();
    let original = file(dir.path(), &item.storage_key, "original.jpg");
    // Bounded for a stuck processor (it looks every 5 s), not a timing claim.
    for _ in 0..300 {
        if content.media(item.id).await.unwrap().bytes > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        content.media(item.id).await.unwrap().bytes > 0,
        "never made"
    );
    assert!(original.is_file());
    assert!(!file(dir.path(), &item.storage_key, "unprocessed").exists());
}

/// Two nodes on one database share the queue: each picture is claimed by one of them,
/// so between them they make every picture once, not once each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let a = outlet(dir.path(), false).await;
    let b = outlet(dir.path(), false).await;
    for n in 0..6 {
        a.adopt_media(jpeg(300 + n, 200), "p.jpg", meta(""))
            .await
            .unwrap();
    }
    let (made_a, made_b) = tokio::join!(a.process_adopted_media(10), b.process_adopted_media(10));
    let (made_a, made_b) = (made_a.unwrap(), made_b.unwrap());
    assert_eq!(made_a + made_b, 6, "a: {made_a}, b: {made_b}");
    assert_eq!(a.process_adopted_media(10).await.unwrap(), 0);
}
