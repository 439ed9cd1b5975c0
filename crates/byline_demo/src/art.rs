//! Generated pictures for the demo outlet: abstract covers and simple bar charts.
//! Deterministic (a seed per story), so the demo looks the same on every machine,
//! and nothing is downloaded.

use image::{ImageBuffer, Rgb, RgbImage};

pub const COVER_WIDTH: u32 = 1200;
pub const COVER_HEIGHT: u32 = 675;
/// The narrower copies each cover also gets (for `srcset`).
pub const COVER_WIDTHS: [u32; 2] = [480, 800];

/// A small deterministic generator (SplitMix64): enough for shapes and colours.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Palettes per section mood: background top, background bottom, two accents.
const PALETTES: &[[[u8; 3]; 4]] = &[
    [[18, 42, 66], [44, 92, 120], [236, 180, 92], [214, 96, 77]],
    [
        [46, 26, 58],
        [120, 62, 96],
        [247, 202, 136],
        [120, 190, 180],
    ],
    [[20, 60, 48], [70, 130, 96], [240, 224, 170], [200, 110, 70]],
    [[70, 40, 24], [170, 100, 60], [250, 230, 200], [60, 90, 130]],
    [[28, 30, 38], [80, 86, 104], [232, 90, 80], [240, 200, 120]],
    [
        [12, 56, 90],
        [90, 160, 190],
        [255, 240, 210],
        [250, 150, 90],
    ],
];

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t)
}

/// An abstract cover: a gradient sky, soft discs and diagonal bands.
pub fn cover(seed: u64) -> RgbImage {
    let mut rng = Rng(seed);
    let palette = PALETTES[(rng.next() % PALETTES.len() as u64) as usize];
    let (w, h) = (COVER_WIDTH as f32, COVER_HEIGHT as f32);
    let discs: Vec<(f32, f32, f32, [u8; 3], f32)> = (0..4)
        .map(|i| {
            (
                rng.unit() * w,
                rng.unit() * h,
                60.0 + rng.unit() * 260.0,
                palette[2 + i % 2],
                0.25 + rng.unit() * 0.45,
            )
        })
        .collect();
    let band_angle = 0.3 + rng.unit() * 0.9;
    let band_width = 40.0 + rng.unit() * 90.0;
    let band_color = palette[2 + (rng.next() % 2) as usize];

    ImageBuffer::from_fn(COVER_WIDTH, COVER_HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let mut c = mix(palette[0], palette[1], fy / h);
        let band = ((fx * band_angle.cos() + fy * band_angle.sin()) / band_width).sin();
        if band > 0.85 {
            c = blend(c, band_color, 0.18);
        }
        for &(cx, cy, r, color, alpha) in &discs {
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < r {
                let edge = ((r - d) / 12.0).min(1.0);
                c = blend(c, color, alpha * edge);
            }
        }
        Rgb(c.map(|v| v.clamp(0.0, 255.0) as u8))
    })
}

fn blend(c: [f32; 3], over: [u8; 3], alpha: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| c[i] * (1.0 - alpha) + f32::from(over[i]) * alpha)
}

/// A bar chart without text (the caption carries the words), for figures in bodies.
pub fn chart(seed: u64) -> RgbImage {
    let mut rng = Rng(seed);
    let (w, h) = (960u32, 480u32);
    let bars = 6 + (rng.next() % 6) as u32;
    let values: Vec<f32> = (0..bars).map(|_| 0.2 + rng.unit() * 0.75).collect();
    let slot = (w - 80) / bars;
    ImageBuffer::from_fn(w, h, |x, y| {
        let background = Rgb([248, 246, 241]);
        if y == h - 40 && x >= 40 && x < w - 40 {
            return Rgb([60, 60, 60]);
        }
        if y < h - 40 && (h - 40 - y) % 80 == 0 && x >= 40 && x < w - 40 {
            return Rgb([222, 218, 210]);
        }
        if x < 40 || x >= w - 40 || y >= h - 40 {
            return background;
        }
        let i = (x - 40) / slot;
        let within = (x - 40) % slot;
        if i < bars && within > slot / 6 && within < slot - slot / 6 {
            let top = (h - 40) as f32 - values[i as usize] * (h - 80) as f32;
            if y as f32 >= top {
                return if i == bars - 1 {
                    Rgb([200, 84, 60])
                } else {
                    Rgb([38, 84, 124])
                };
            }
        }
        background
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_picture() {
        assert_eq!(cover(7).as_raw(), cover(7).as_raw());
        assert_ne!(cover(7).as_raw(), cover(8).as_raw());
        assert_eq!(chart(3).dimensions(), (960, 480));
    }
}
