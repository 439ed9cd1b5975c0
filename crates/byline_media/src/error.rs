//! Why an upload was refused, in words an editor can act on.

use thiserror::Error;

/// What went wrong with a file. Every variant but [`MediaError::Internal`] is the
/// uploader's to fix; their messages are shown to them as they are.
#[derive(Debug, Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is {} and the largest accepted is {}",
        megabytes(*size),
        megabytes(*max)
    )]
    TooBig { size: u64, max: u64 },
    /// An image, but of a kind we do not take (BMP, TIFF, AVIF…).
    #[error("{format} images are not accepted: upload a JPEG, PNG, WebP or GIF")]
    UnsupportedFormat { format: String },
    /// Not recognisably an image at all (a script, an HTML page, an SVG drawing…).
    #[error("this file is not an image: upload a JPEG, PNG, WebP or GIF")]
    NotAnImage,
    /// A decompression bomb, or simply a picture too big to process safely.
    #[error(
        "the image is {width}×{height} pixels; the largest accepted is {max_side} pixels on a side and {max_megapixels} megapixels"
    )]
    TooManyPixels {
        width: u32,
        height: u32,
        max_side: u32,
        max_megapixels: u64,
    },
    /// Truncated or corrupt: the header looked right but the picture does not decode.
    #[error("the image is damaged or incomplete and could not be read ({detail})")]
    Damaged { detail: String },
    /// Our fault (an encoder or the storage failed), not the uploader's.
    #[error("processing the image failed: {0}")]
    Internal(String),
}

impl MediaError {
    /// True when the uploader can fix it (a 4xx), false for our own failures (a 5xx).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, MediaError::Internal(_))
    }
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}
