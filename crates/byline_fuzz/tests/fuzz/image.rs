//! Image ingest: random bytes and mutated real files are pictures or refused as the
//! uploader's mistake, never a panic or an internal error.

#[path = "../../../byline_media/tests/fixtures/mod.rs"]
mod fixtures;

use byline_fuzz::{fuzz, mutated};
use byline_media::{Limits, ingest};
use proptest::prelude::*;

/// Small limits keep each case fast; a mutated header declaring a huge picture is then
/// refused early, which is the same path as with the defaults.
fn limits() -> Limits {
    Limits {
        max_bytes: 1024 * 1024,
        max_side: 2_000,
        max_pixels: 2_000_000,
    }
}

#[test]
fn any_upload_is_a_picture_or_refused() {
    let files = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        mutated(fixtures::jpeg(64, 48)),
        mutated(fixtures::png(40, 30)),
        mutated(fixtures::gif(30, 20)),
        mutated(fixtures::webp(50, 40)),
        mutated(fixtures::jpeg_with_exif_gps(32, 32)),
        mutated(fixtures::png_declaring(100_000, 100_000)),
    ];
    fuzz("image", files, |bytes| {
        match ingest(&bytes, &limits()) {
            Ok(got) => {
                prop_assert!(got.width <= 2_000 && got.height <= 2_000);
                prop_assert!(!got.variants.is_empty());
            }
            Err(e) => prop_assert!(e.is_user_error(), "{e:?}"),
        }
        Ok(())
    });
}
