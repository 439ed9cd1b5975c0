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

/// What the header of an upload promises, checked without decoding its pixels: what
/// [`ingest`] will make of it, file for file. An import takes thousands of pictures in
/// at this cost and leaves the decoding and encoding to [`ingest`] later (the planned
/// files are served once made); see `byline_content`'s media processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The same content address [`ingest`] gives the same bytes.
    pub key: String,
    pub kind: Kind,
    /// Dimensions after applying the EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// Name and type of the sanitized original to come.
    pub original_name: &'static str,
    pub original_mime: &'static str,
    /// The variants to come, narrowest first: `(name, width, height)`.
    pub variants: Vec<(String, u32, u32)>,
}

/// Checks what can be checked of an upload without decoding it: size, format from the
/// magic numbers, a JPEG's end marker, and the header's dimensions (after the EXIF
/// orientation) within `limits`. Cheap (a fraction of a millisecond): the pixels are not
/// read, so a picture that passes may still fail [`ingest`].
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspected, MediaError> {
    let (kind, format) = check_container(bytes, limits)?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, limits)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    if width == 0 || height == 0 {
        return Err(nothing_to_show(width, height));
    }
    let (original_name, original_mime) = original_file(kind);
    Ok(Inspected {
        key: content_key(bytes),
        kind,
        width,
        height,
        original_name,
        original_mime,
        variants: variant_sizes(width, height)
            .into_iter()
            .map(|(w, h)| (format!("{w}.webp"), w, h))
            .collect(),
    })
}

/// Proves `bytes` are a JPEG, PNG, WebP or GIF picture within `limits` by decoding
/// them, and makes the sanitized original and the responsive variants.
///
/// CPU-bound (a large photo takes a noticeable fraction of a second): async callers
/// run it on a blocking thread.
pub fn ingest(bytes: &[u8], limits: &Limits) -> Result<Ingested, MediaError> {
    let (kind, format) = check_container(bytes, limits)?;
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

/// The checks before any decoding: not empty, not too big, one of our formats by its
/// magic numbers, and (a JPEG) not cut short.
fn check_container(bytes: &[u8], limits: &Limits) -> Result<(Kind, ImageFormat), MediaError> {
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
    Ok((kind, format))
}

fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), MediaError> {
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(too_many_pixels(width, height, limits));
    }
    Ok(())
}

fn too_many_pixels(width: u32, height: u32, limits: &Limits) -> MediaError {
    MediaError::TooManyPixels {
        width,
        height,
        max_side: limits.max_side,
        max_megapixels: limits.max_pixels / 1_000_000,
    }
}

fn nothing_to_show(width: u32, height: u32) -> MediaError {
    MediaError::Damaged {
        detail: format!("it is {width} × {height} pixels, with nothing to show"),
    }
}

/// The sanitized original's file name and type for an upload of `kind`.
fn original_file(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Jpeg => ("original.jpg", "image/jpeg"),
        // A GIF keeps its first frame, losslessly: PNG rather than GIF's 256 colours.
        Kind::Png | Kind::Gif => ("original.png", "image/png"),
        Kind::Webp => ("original.webp", "image/webp"),
    }
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

/// Decodes a stored original (its checks as for an upload: it was one) for the crops.
pub(crate) fn decode_original(bytes: &[u8], limits: &Limits) -> Result<DynamicImage, MediaError> {
    let (_, format) = check_container(bytes, limits)?;
    decode(bytes, format, limits)
}

fn decode(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<DynamicImage, MediaError> {
    // The header alone first: a bomb is refused with its real size in the message,
    // before the decoder allocates anything for its pixels.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(damaged)?;
    check_pixels(width, height, limits)?;
    // And the decoder's own limits as a second fence, should a header lie about its
    // size or a decoder need more than the pixels (8 bytes: 16-bit RGBA).
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decoder_limits);
    let classify = |e: ImageError| match e {
        ImageError::Limits(_) => too_many_pixels(width, height, limits),
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
        return Err(nothing_to_show(image.width(), image.height()));
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
    match kind {
        Kind::Jpeg => {
            let pixels = match image {
                DynamicImage::ImageLuma8(_) => image.clone(),
                _ => DynamicImage::ImageRgb8(image.to_rgb8()),
            };
            pixels
                .write_with_encoder(JpegEncoder::new_with_quality(&mut data, ORIGINAL_QUALITY))
                .map_err(internal)?;
        }
        Kind::Png | Kind::Gif => {
            image
                .write_with_encoder(PngEncoder::new(&mut data))
                .map_err(internal)?;
        }
        Kind::Webp => {
            // A lossless WebP (screenshots, diagrams) stays lossless.
            let lossless = bytes.get(12..16) == Some(b"VP8L".as_slice());
            data = encode_webp(image, lossless, f32::from(ORIGINAL_QUALITY))?;
        }
    }
    let (name, mime) = original_file(kind);
    Ok(Encoded {
        name: name.to_owned(),
        mime,
        width: image.width(),
        height: image.height(),
        data,
    })
}

/// The variants' sizes for a picture of `width` × `height`, narrowest first: every
/// [`VARIANT_WIDTHS`] narrower than the picture, plus the picture's own width when it is
/// not wider than the widest (so nothing is ever upscaled).
fn variant_sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut widths: Vec<u32> = VARIANT_WIDTHS.into_iter().filter(|w| *w < width).collect();
    if width <= VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1] {
        widths.push(width);
    }
    widths
        .into_iter()
        .map(|w| {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
                .max(1) as u32;
            (w, h)
        })
        .collect()
}

fn variants(image: &DynamicImage) -> Result<Vec<Encoded>, MediaError> {
    let width = image.width();
    // Widest first, each made from the previous one: resizing a 1600 px picture to
    // 1024 is far cheaper than resizing the 6000 px original again.
    let sizes = variant_sizes(width, image.height());
    let mut out = Vec::with_capacity(sizes.len());
    let mut source: Option<DynamicImage> = None;
    for &(w, h) in sizes.iter().rev() {
        let resized = if w == width {
            None
        } else {
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

/// `image` as a lossy WebP at the library's variant quality: for pictures made outside
/// the library that should weigh what its variants weigh (the demo's covers).
pub fn webp_variant(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    encode_webp(image, false, VARIANT_QUALITY)
}

pub(crate) fn encode_webp(
    image: &DynamicImage,
    lossless: bool,
    quality: f32,
) -> Result<Vec<u8>, MediaError> {
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
