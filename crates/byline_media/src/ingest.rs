//! From uploaded bytes to a sanitized original and responsive variants.

use crate::MediaError;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Widths of the responsive variants. A picture narrower than the widest one also
/// gets a variant at its own width, so the largest variant is never upscaled.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];
/// WebP quality of the variants: visually clean for photos at a third of JPEG's size.
const VARIANT_QUALITY: f32 = 80.0;
/// The kept original is re-encoded (that is what drops the metadata), so it gets a
/// high quality: it is the source for any variant made later.
const ORIGINAL_QUALITY: u8 = 90;

/// How much an upload may be. Defaults: 20 MiB, 12,000 px a side, 60 megapixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Largest width or height, in pixels.
    pub max_side: u32,
    /// Largest width × height. This bounds the memory a decode may take, which is
    /// what stops a decompression bomb (a small file declaring a huge picture).
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_side: 12_000,
            max_pixels: 60_000_000,
        }
    }
}

/// The formats we take. Decided from the bytes, never from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Kind {
    fn from_format(format: ImageFormat) -> Option<Self> {
        Some(match format {
            ImageFormat::Jpeg => Kind::Jpeg,
            ImageFormat::Png => Kind::Png,
            ImageFormat::WebP => Kind::Webp,
            ImageFormat::Gif => Kind::Gif,
            _ => return None,
        })
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Gif => "image/gif",
        }
    }
}

/// One encoded file: the sanitized original or a variant.
#[derive(Clone, PartialEq, Eq)]
pub struct Encoded {
    /// File name under the picture's key: `original.jpg`, `640.webp`, …
    pub name: String,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// What [`ingest`] makes of an upload.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// Content address: the first 128 bits of the upload's SHA-256, in hex. The same
    /// file always lands under the same key, so its URLs can be cached forever.
    pub key: String,
    /// What was uploaded.
    pub kind: Kind,
    /// Dimensions after applying the EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// The picture re-encoded without any metadata (a GIF keeps its first frame, as a
    /// PNG).
    pub original: Encoded,
    /// WebP variants, narrowest first; never wider than the picture.
    pub variants: Vec<Encoded>,
}

impl Ingested {
    /// The original and the variants, everything there is to store.
    pub fn files(&self) -> impl Iterator<Item = &Encoded> {
        std::iter::once(&self.original).chain(&self.variants)
    }
}

/// Proves `bytes` are a JPEG, PNG, WebP or GIF picture within `limits` by decoding
/// them, and makes the sanitized original and the responsive variants.
///
/// CPU-bound (a large photo takes a noticeable fraction of a second): async callers
/// run it on a blocking thread.
pub fn ingest(bytes: &[u8], limits: &Limits) -> Result<Ingested, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(MediaError::TooBig {
            size,
            max: limits.max_bytes,
        });
    }
    // The magic numbers, not the name: a renamed script or SVG matches none of them.
    let format = image::guess_format(bytes).map_err(|_| MediaError::NotAnImage)?;
    let kind = Kind::from_format(format).ok_or_else(|| MediaError::UnsupportedFormat {
        format: format_name(format),
    })?;
    if kind == Kind::Jpeg && !jpeg_is_complete(bytes) {
        return Err(MediaError::Damaged {
            detail: "the JPEG data ends before the picture does".into(),
        });
    }
    let image = decode(bytes, format, limits)?;
    let original = sanitized_original(&image, kind, bytes)?;
    let variants = variants(&image)?;
    Ok(Ingested {
        key: content_key(bytes),
        kind,
        width: image.width(),
        height: image.height(),
        original,
        variants,
    })
}

fn content_key(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn format_name(format: ImageFormat) -> String {
    format
        .extensions_str()
        .first()
        .map(|e| e.to_uppercase())
        .unwrap_or_else(|| format!("{format:?}"))
}

fn decode(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<DynamicImage, MediaError> {
    // The header alone first: a bomb is refused with its real size in the message,
    // before the decoder allocates anything for its pixels.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(damaged)?;
    let too_many = || MediaError::TooManyPixels {
        width,
        height,
        max_side: limits.max_side,
        max_megapixels: limits.max_pixels / 1_000_000,
    };
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(too_many());
    }
    // And the decoder's own limits as a second fence, should a header lie about its
    // size or a decoder need more than the pixels (8 bytes: 16-bit RGBA).
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decoder_limits);
    let classify = |e: ImageError| match e {
        ImageError::Limits(_) => too_many(),
        other => damaged(other),
    };
    let mut decoder = reader.into_decoder().map_err(classify)?;
    // Phones store "rotate 90°" as metadata; stripping it without applying it would
    // leave the picture on its side.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(classify)?;
    image.apply_orientation(orientation);
    // A header may say 0 × N (GIF allows it) and decoders return an empty picture,
    // which the encoders then refuse: the uploader's file, not our failure.
    if image.width() == 0 || image.height() == 0 {
        return Err(MediaError::Damaged {
            detail: format!(
                "it is {} × {} pixels, with nothing to show",
                image.width(),
                image.height()
            ),
        });
    }
    Ok(image)
}

/// The JPEG decoder fills a truncated picture with grey instead of failing, so we
/// check the end marker ourselves: after the first scan starts (past any embedded
/// thumbnail, whose own end marker sits in the EXIF block) an `FF D9` must follow.
/// Only the marker is required, not that it is last: phones append data after it
/// (motion photos).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // past SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xff {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xff {
            at += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if marker == 0xda {
            // In entropy-coded data a literal FF is stuffed as FF 00, so FF D9 is
            // only ever the real end marker.
            return bytes[at + 2..].windows(2).any(|w| w == [0xff, 0xd9]);
        }
        at += 2 + len;
    }
    false
}

fn damaged(e: ImageError) -> MediaError {
    MediaError::Damaged {
        detail: e.to_string(),
    }
}

fn internal(e: impl std::fmt::Display) -> MediaError {
    MediaError::Internal(e.to_string())
}

/// Re-encodes the decoded pixels: only pixels survive, so EXIF (GPS, camera serials),
/// XMP, IPTC and comments are gone. ICC profiles go too (browsers assume sRGB).
fn sanitized_original(
    image: &DynamicImage,
    kind: Kind,
    bytes: &[u8],
) -> Result<Encoded, MediaError> {
    let mut data = Vec::new();
    let (name, mime) = match kind {
        Kind::Jpeg => {
            let pixels = match image {
                DynamicImage::ImageLuma8(_) => image.clone(),
                _ => DynamicImage::ImageRgb8(image.to_rgb8()),
            };
            pixels
                .write_with_encoder(JpegEncoder::new_with_quality(&mut data, ORIGINAL_QUALITY))
                .map_err(internal)?;
            ("original.jpg", "image/jpeg")
        }
        // A GIF keeps its first frame, losslessly: PNG rather than GIF's 256 colours.
        Kind::Png | Kind::Gif => {
            image
                .write_with_encoder(PngEncoder::new(&mut data))
                .map_err(internal)?;
            ("original.png", "image/png")
        }
        Kind::Webp => {
            // A lossless WebP (screenshots, diagrams) stays lossless.
            let lossless = bytes.get(12..16) == Some(b"VP8L".as_slice());
            data = encode_webp(image, lossless, f32::from(ORIGINAL_QUALITY))?;
            ("original.webp", "image/webp")
        }
    };
    Ok(Encoded {
        name: name.to_owned(),
        mime,
        width: image.width(),
        height: image.height(),
        data,
    })
}

fn variants(image: &DynamicImage) -> Result<Vec<Encoded>, MediaError> {
    let (width, height) = (image.width(), image.height());
    let mut widths: Vec<u32> = VARIANT_WIDTHS.into_iter().filter(|w| *w < width).collect();
    if width <= VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1] {
        widths.push(width);
    }
    // Widest first, each made from the previous one: resizing a 1600 px picture to
    // 1024 is far cheaper than resizing the 6000 px original again.
    let mut out = Vec::with_capacity(widths.len());
    let mut source: Option<DynamicImage> = None;
    for &w in widths.iter().rev() {
        let resized = if w == width {
            None
        } else {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
                .max(1) as u32;
            let from = source.as_ref().unwrap_or(image);
            Some(from.resize_exact(w, h, FilterType::CatmullRom))
        };
        let pixels = resized.as_ref().unwrap_or(image);
        out.push(Encoded {
            name: format!("{w}.webp"),
            mime: "image/webp",
            width: pixels.width(),
            height: pixels.height(),
            data: encode_webp(pixels, false, VARIANT_QUALITY)?,
        });
        if resized.is_some() {
            source = resized;
        }
    }
    out.reverse();
    Ok(out)
}

fn encode_webp(image: &DynamicImage, lossless: bool, quality: f32) -> Result<Vec<u8>, MediaError> {
    let (w, h) = (image.width(), image.height());
    let encoded = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        webp::Encoder::from_rgba(&rgba, w, h).encode_simple(lossless, quality)
    } else {
        let rgb = image.to_rgb8();
        webp::Encoder::from_rgb(&rgb, w, h).encode_simple(lossless, quality)
    };
    encoded
        .map(|m| m.to_vec())
        .map_err(|e| MediaError::Internal(format!("WebP encoding failed: {e:?}")))
}
