//! Writes `COUNT` distinct JPEG photographs-to-be for the import benchmark, where a
//! WordPress export keeps them: `OUT/2020/01/picture-{n}.jpg` (see `bench/import/run`).
//! `cargo run --release -p byline_media --example generate_pictures -- OUT [COUNT] [WIDTH] [HEIGHT]`
//!
//! Each picture is a different gradient with noise, so no two files are alike (the
//! media pipeline must decode, strip and resize every one, as it would real photos).

use image::{ImageBuffer, Rgb};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "uploads".into()));
    let count: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let width: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1200);
    let height: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(800);
    let dir = out.join("2020/01");
    std::fs::create_dir_all(&dir)?;
    for n in 0..count {
        let path = dir.join(format!("picture-{n}.jpg"));
        if path.exists() {
            continue;
        }
        let mut seed = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let picture = ImageBuffer::from_fn(width, height, |x, y| {
            // xorshift noise over a gradient that differs per picture
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed & 0x1f) as u32;
            Rgb([
                ((x * 255 / width + n) % 256) as u8,
                ((y * 255 / height + noise) % 256) as u8,
                ((n * 37 + x / 7 + y / 5) % 256) as u8,
            ])
        });
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        image::codecs::jpeg::JpegEncoder::new_with_quality(file, 82).encode_image(&picture)?;
    }
    println!("{count} pictures in {}", dir.display());
    Ok(())
}
