//! Crops around a focal point: the cards' 16:9 pictures, the 1,200×630 social image and
//! squares, cut from the sanitized original so the subject stays in the frame.
//!
//! A crop's file name carries its size and the focal point (`c640x360-30-70.webp`), so
//! a file never changes under its URL (it is served as immutable, like the variants):
//! moving the focal point makes new names. Only the sizes in [`CROPS`] parse, and the
//! content service makes a crop only around a focal point the picture has, so no
//! request can ask for work of its own choosing; each is made on its first request.

use crate::error::MediaError;
use crate::ingest::{Encoded, Limits, decode_original, encode_webp};
use image::imageops::FilterType;

/// What a crop is encoded as: WebP for pages, JPEG for the social image (what every
/// link preview reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CropFormat {
    Webp,
    Jpeg,
}

impl CropFormat {
    fn extension(self) -> &'static str {
        match self {
            CropFormat::Webp => "webp",
            CropFormat::Jpeg => "jpg",
        }
    }
}

/// The crops there are: (width, height, format).
pub const CROPS: [(u32, u32, CropFormat); 5] = [
    // Cards: 16:9, one and two CSS pixels per image pixel.
    (640, 360, CropFormat::Webp),
    (1280, 720, CropFormat::Webp),
    // The social image (Open Graph, X cards).
    (1200, 630, CropFormat::Jpeg),
    // Squares: the 1:1 picture of NewsArticle structured data, and small tiles.
    (600, 600, CropFormat::Webp),
    (1200, 1200, CropFormat::Jpeg),
];

const WEBP_QUALITY: f32 = 80.0;
const JPEG_QUALITY: u8 = 85;

/// One crop of a picture: its size and the point it keeps in the frame (percent of the
/// width and height from the top left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crop {
    pub width: u32,
    pub height: u32,
    pub focal_x: u8,
    pub focal_y: u8,
    pub format: CropFormat,
}

impl Crop {
    /// The crop of size `width`×`height` from [`CROPS`] around the focal point; `None`
    /// for a size that is not one of them or a point past 100 %.
    pub fn new(width: u32, height: u32, focal_x: u8, focal_y: u8) -> Option<Crop> {
        let (_, _, format) = CROPS.iter().find(|(w, h, _)| *w == width && *h == height)?;
        (focal_x <= 100 && focal_y <= 100).then_some(Crop {
            width,
            height,
            focal_x,
            focal_y,
            format: *format,
        })
    }

    /// `c640x360-30-70.webp`.
    pub fn file_name(&self) -> String {
        format!(
            "c{}x{}-{}-{}.{}",
            self.width,
            self.height,
            self.focal_x,
            self.focal_y,
            self.format.extension()
        )
    }

    /// The crop a file name names, if it is one [`Crop::file_name`] makes.
    pub fn parse(name: &str) -> Option<Crop> {
        let (stem, ext) = name.strip_prefix('c')?.split_once('.')?;
        let mut parts = stem.split('-');
        let (size, x, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (w, h) = size.split_once('x')?;
        let number = |s: &str| {
            (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let crop = Crop::new(
            number(w)?,
            number(h)?,
            u8::try_from(number(x)?).ok()?,
            u8::try_from(number(y)?).ok()?,
        )?;
        // One name per crop: no leading zeros, the format's own extension.
        (crop.file_name() == name && crop.format.extension() == ext).then_some(crop)
    }

    /// The part of a `width`×`height` picture this crop keeps: `(x, y, w, h)`, the
    /// largest rectangle of the crop's shape, as near the focal point's centre as the
    /// picture allows.
    pub fn rect(&self, width: u32, height: u32) -> (u32, u32, u32, u32) {
        let (cw, ch) = if u64::from(width) * u64::from(self.height)
            > u64::from(height) * u64::from(self.width)
        {
            // Wider than the crop: full height, part of the width.
            let w = (u64::from(height) * u64::from(self.width) / u64::from(self.height)) as u32;
            (w.max(1), height)
        } else {
            let h = (u64::from(width) * u64::from(self.height) / u64::from(self.width)) as u32;
            (width, h.max(1))
        };
        let place = |size: u32, keep: u32, percent: u8| {
            let centre = u64::from(size) * u64::from(percent) / 100;
            let start = centre.saturating_sub(u64::from(keep) / 2);
            start.min(u64::from(size - keep)) as u32
        };
        (
            place(width, cw, self.focal_x),
            place(height, ch, self.focal_y),
            cw,
            ch,
        )
    }
}

/// Makes `crop` from a sanitized original (as [`crate::ingest`] stores it): cut around
/// the focal point, then scaled down to the crop's size (never up: a small picture
/// gives a smaller crop of the same shape).
pub fn make_crop(original: &[u8], crop: &Crop, limits: &Limits) -> Result<Encoded, MediaError> {
    let image = decode_original(original, limits)?;
    let (x, y, w, h) = crop.rect(image.width(), image.height());
    let mut cut = image.crop_imm(x, y, w, h);
    if w > crop.width {
        cut = cut.resize_exact(crop.width, crop.height, FilterType::CatmullRom);
    }
    let data = match crop.format {
        CropFormat::Webp => encode_webp(&cut, false, WEBP_QUALITY)?,
        CropFormat::Jpeg => {
            let rgb = cut.to_rgb8();
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(|e| MediaError::Internal(format!("JPEG encoding failed: {e}")))?;
            out
        }
    };
    Ok(Encoded {
        name: crop.file_name(),
        mime: match crop.format {
            CropFormat::Webp => "image/webp",
            CropFormat::Jpeg => "image/jpeg",
        },
        width: cut.width(),
        height: cut.height(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        let c = Crop::new(640, 360, 30, 70).unwrap();
        assert_eq!(c.file_name(), "c640x360-30-70.webp");
        assert_eq!(Crop::parse("c640x360-30-70.webp"), Some(c));
        assert_eq!(
            Crop::parse("c1200x630-50-50.jpg").map(|c| c.format),
            Some(CropFormat::Jpeg)
        );
        for bad in [
            "c641x360-30-70.webp",
            "c640x360-30-70.jpg",
            "c640x360-030-70.webp",
            "c640x360-101-70.webp",
            "c640x360-30.webp",
            "c640x360-30-70-1.webp",
            "640.webp",
            "c640x360-30-70.webp/../x",
            "c99999999x1-1-1.webp",
        ] {
            assert_eq!(Crop::parse(bad), None, "{bad}");
        }
        assert_eq!(Crop::new(333, 333, 1, 1), None);
    }

    #[test]
    fn the_rectangle_keeps_the_focal_point_inside_the_picture() {
        let wide = Crop::new(600, 600, 90, 50).unwrap();
        // A 2000×1000 picture, square crop: 1000 wide, centred at x = 1800 but kept inside.
        assert_eq!(wide.rect(2000, 1000), (1000, 0, 1000, 1000));
        let left = Crop::new(600, 600, 10, 50).unwrap();
        assert_eq!(left.rect(2000, 1000), (0, 0, 1000, 1000));
        let middle = Crop::new(600, 600, 50, 50).unwrap();
        assert_eq!(middle.rect(2000, 1000), (500, 0, 1000, 1000));
        // A tall picture, 16:9 crop: full width, the band around y = 25 %.
        let card = Crop::new(640, 360, 50, 25).unwrap();
        assert_eq!(card.rect(900, 1600), (0, 147, 900, 506));
    }

    #[test]
    fn crops_are_made_at_their_size_and_never_upscaled() {
        let img = image::RgbImage::from_fn(2000, 1000, |x, _| {
            image::Rgb([if x < 1000 { 10 } else { 240 }, 0, 0])
        });
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let limits = Limits::default();
        let right = make_crop(&png, &Crop::new(600, 600, 95, 50).unwrap(), &limits).unwrap();
        assert_eq!((right.width, right.height), (600, 600));
        let decoded = image::load_from_memory(&right.data).unwrap().to_rgb8();
        assert!(decoded.get_pixel(300, 300)[0] > 200, "the right half kept");
        let social = make_crop(&png, &Crop::new(1200, 630, 50, 50).unwrap(), &limits).unwrap();
        assert_eq!((social.width, social.height), (1200, 630));
        assert_eq!(social.mime, "image/jpeg");
        let small = image::RgbImage::from_pixel(300, 200, image::Rgb([1, 2, 3]));
        let mut png = Vec::new();
        small
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let card = make_crop(&png, &Crop::new(1280, 720, 50, 50).unwrap(), &limits).unwrap();
        assert_eq!(
            (card.width, card.height),
            (300, 168),
            "the shape, not the size"
        );
    }
}
